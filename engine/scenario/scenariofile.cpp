// SPDX-License-Identifier: GPL-3.0-or-later
// loadScenarioFile (declared in parser.h): a .synack file from disk (a regular file only, read
// with a bound on its size), then parsed.
#include "scenario/parser.h"

#include <algorithm>
#include <utility>

#include "base/file.h"
#include "scenario/text.h"

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

ScenarioText readScenarioText(const std::string& path)
{
    ScenarioText out;
    auto text = readRegularFile(path, ScenarioLimits::kMaxFileBytes, "scenario");
    if (!text) {
        out.error = Diagnostic { path, SourcePos {}, text.error().detail };
        return out;
    }
    const std::string_view all = *text;
    if (const auto bad = invalidUtf8At(all); bad != std::string_view::npos) {
        const auto newline = bad == 0 ? std::string_view::npos : all.rfind('\n', bad - 1);
        const std::size_t from = newline == std::string_view::npos ? 0 : newline + 1;
        SourcePos pos;
        pos.line = 1 + static_cast<int>(std::count(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(from), '\n'));
        pos.column = codePoints(all.substr(from, bad - from)) + 1;
        out.error = Diagnostic { path, pos, "this line is not valid UTF-8; save the file as UTF-8" };
        return out;
    }
    out.text = std::move(*text);
    return out;
}

} // namespace synack
