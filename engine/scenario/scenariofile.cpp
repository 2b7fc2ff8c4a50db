// SPDX-License-Identifier: GPL-3.0-or-later
// loadScenarioFile (declared in parser.h): a .synack file from disk (a regular file only, read
// with a bound on its size), then parsed.
#include "scenario/parser.h"

#include <utility>

#include "base/file.h"

namespace synack {

namespace {

ParseOutcome fileError(const std::string& path, std::string message)
{
    ParseOutcome out;
    out.errors.push_back(Diagnostic { path, SourcePos {}, std::move(message) });
    return out;
}

std::string baseNameWithoutExtension(const std::string& path)
{
    const auto slash = path.find_last_of('/');
    std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
    constexpr std::string_view kExt = ".synack";
    if (base.size() > kExt.size() && base.compare(base.size() - kExt.size(), kExt.size(), kExt) == 0)
        base.erase(base.size() - kExt.size());
    return base;
}

} // namespace

ParseOutcome loadScenarioFile(const std::string& path)
{
    auto text = readRegularFile(path, ScenarioLimits::kMaxFileBytes, "scenario");
    if (!text)
        return fileError(path, text.error().detail);
    return parseScenario(*text, baseNameWithoutExtension(path), path);
}

} // namespace synack
