// SPDX-License-Identifier: GPL-3.0-or-later
#include "base/file.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fd.h"

namespace synack {

namespace {
    std::string sizeText(std::int64_t bytes)
    {
        if (bytes >= (1 << 20) && bytes % (1 << 20) == 0)
            return std::to_string(bytes >> 20) + " MiB";
        return std::to_string(bytes) + " bytes";
    }
}

Result<std::string> readRegularFile(const std::string& path, std::int64_t maxBytes, const std::string& what)
{
    // Errors are worded whole in `detail` (with the system's text for an errno), for the caller
    // to show after the path as a compiler would: "x.synack: cannot open 'x.synack': ...".
    auto failed = [&](const char* verb, int err) {
        return Error { path, 0, std::string(verb) + " '" + path + "': " + std::strerror(err) };
    };
    if (path.empty())
        return Error { what, 0, "no file name given" };
    // Non-blocking, so that opening a FIFO with no writer does not wait; fstat says what it is.
    Fd fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
    if (!fd)
        return failed("cannot open", errno);
    struct stat st { };
    if (::fstat(fd.get(), &st) != 0)
        return failed("cannot read", errno);
    if (S_ISDIR(st.st_mode))
        return failed("cannot read", EISDIR);
    if (!S_ISREG(st.st_mode))
        return Error { path, 0,
            "'" + path + "' is not a regular file (a device, a FIFO or a socket): a " + what + " must be a file" };
    if (st.st_size > maxBytes)
        return Error { path, 0,
            "'" + path + "' is " + std::to_string(st.st_size) + " bytes; " + what + " files may be at most "
                + std::to_string(maxBytes) + " bytes (" + sizeText(maxBytes) + ")" };
    // Read at most one byte more than allowed: a file can grow between fstat and read.
    std::string text;
    text.reserve(static_cast<std::size_t>(st.st_size));
    char buf[65536];
    for (;;) {
        const ssize_t n = ::read(fd.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return failed("cannot read", errno);
        if (n == 0)
            break;
        text.append(buf, static_cast<std::size_t>(n));
        if (static_cast<std::int64_t>(text.size()) > maxBytes)
            return Error { path, 0,
                "'" + path + "' is bigger than " + std::to_string(maxBytes) + " bytes; " + what
                    + " files may be at most " + sizeText(maxBytes) };
    }
    return text;
}

} // namespace synack
