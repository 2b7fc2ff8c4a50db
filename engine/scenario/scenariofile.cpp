// SPDX-License-Identifier: GPL-3.0-or-later
// loadScenarioFile (declared in parser.h): a .synack file from disk, read with a bound on its size
// and then parsed.
#include "scenario/parser.h"

#include <cerrno>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fd.h"

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
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd)
        return fileError(path, "cannot open '" + path + "': " + std::strerror(errno));

    struct stat st { };
    if (::fstat(fd.get(), &st) != 0)
        return fileError(path, "cannot read '" + path + "': " + std::strerror(errno));
    if (S_ISDIR(st.st_mode))
        return fileError(path, "cannot read '" + path + "': " + std::strerror(EISDIR));
    if (st.st_size > ScenarioLimits::kMaxFileBytes)
        return fileError(path,
            "'" + path + "' is " + std::to_string(st.st_size) + " bytes; scenario files may be at most "
                + std::to_string(ScenarioLimits::kMaxFileBytes) + " bytes (1 MiB)");

    // Read at most one byte more than allowed: fstat's size means nothing for pipes and /proc files.
    std::string text;
    char buf[16384];
    for (;;) {
        const ssize_t n = ::read(fd.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return fileError(path, "cannot read '" + path + "': " + std::strerror(errno));
        if (n == 0)
            break;
        text.append(buf, static_cast<std::size_t>(n));
        if (text.size() > static_cast<std::size_t>(ScenarioLimits::kMaxFileBytes))
            return fileError(path,
                "'" + path + "' is bigger than " + std::to_string(ScenarioLimits::kMaxFileBytes)
                    + " bytes; scenario files may be at most 1 MiB");
    }
    return parseScenario(text, baseNameWithoutExtension(path), path);
}

} // namespace synack
