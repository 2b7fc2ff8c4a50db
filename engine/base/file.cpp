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

namespace synack {

namespace {
    Error pathError(const std::string& path, const char* verb, int err)
    {
        return Error { {}, err, std::string("cannot ") + verb + " '" + path + "'" };
    }

    /// write() until done; EINTR is retried. 0 or the errno.
    int writeAll(int fd, std::string_view bytes)
    {
        while (!bytes.empty()) {
            const ssize_t n = ::write(fd, bytes.data(), bytes.size());
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
                return errno;
            if (n == 0)
                return EIO;
            bytes.remove_prefix(static_cast<std::size_t>(n));
        }
        return 0;
    }
}

Result<OutputFile> OutputFile::open(const std::string& path)
{
    if (path.empty())
        return Error { {}, 0, "an empty file name was given" };
    OutputFile out;
    out.m_path = path;
    struct stat st { };
    if (::stat(path.c_str(), &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return pathError(path, "write", EISDIR);
        if (!S_ISREG(st.st_mode)) {
            // A device, a pipe or a FIFO: written in place, never renamed over. Non-blocking
            // open so a FIFO nobody reads says so (ENXIO) instead of waiting forever.
            out.m_fd = Fd(::open(path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
            if (!out.m_fd) {
                const int err = errno;
                if (err == ENXIO)
                    return Error { {}, err, "'" + path + "' is a FIFO that nobody reads" };
                return pathError(path, "open", err);
            }
            const int flags = ::fcntl(out.m_fd.get(), F_GETFL);
            if (flags >= 0)
                ::fcntl(out.m_fd.get(), F_SETFL, flags & ~O_NONBLOCK);
            return out;
        }
    } else if (errno != ENOENT) {
        return pathError(path, "write", errno);
    }
    // A regular file (or a new one): a temporary file in the same directory, so rename() is
    // atomic. Mode 0666 less the umask, as the target would have had.
    const auto slash = path.rfind('/');
    const std::string dir = slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
    const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
    if (base.empty())
        return pathError(path, "write", EISDIR);
    for (int attempt = 0; attempt < 100 && !out.m_fd; ++attempt) {
        out.m_temp = dir + "." + base + ".synack-" + std::to_string(::getpid()) + "-" + std::to_string(attempt);
        out.m_fd = Fd(::open(out.m_temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, 0666));
        if (!out.m_fd && errno != EEXIST) {
            const int err = errno;
            out.m_temp.clear();
            return Error { {}, err,
                "cannot create a file in '" + (dir.empty() ? std::string(".") : dir) + "' to write '" + path + "'" };
        }
    }
    if (!out.m_fd) {
        out.m_temp.clear();
        return pathError(path, "write", EEXIST);
    }
    return out;
}

OutputFile OutputFile::standardOutput()
{
    OutputFile out;
    out.m_path = "-";
    out.m_stdout = true;
    return out;
}

OutputFile::OutputFile(OutputFile&& other) noexcept
    : m_path(std::move(other.m_path))
    , m_temp(std::exchange(other.m_temp, {}))
    , m_fd(std::move(other.m_fd))
    , m_stdout(other.m_stdout)
{
}

OutputFile& OutputFile::operator=(OutputFile&& other) noexcept
{
    if (this != &other) {
        discard();
        m_path = std::move(other.m_path);
        m_temp = std::exchange(other.m_temp, {});
        m_fd = std::move(other.m_fd);
        m_stdout = other.m_stdout;
    }
    return *this;
}

OutputFile::~OutputFile() { discard(); }

void OutputFile::discard()
{
    m_fd.reset();
    if (!m_temp.empty())
        ::unlink(m_temp.c_str());
    m_temp.clear();
}

Result<void> OutputFile::commit(std::string_view bytes)
{
    const std::string shown = m_stdout ? std::string("standard output") : m_path;
    const int fd = m_stdout ? STDOUT_FILENO : m_fd.get();
    if (fd < 0)
        return Error { {}, EBADF, "'" + shown + "' was written already" };
    if (const int err = writeAll(fd, bytes))
        return Error { {}, err, "cannot write '" + shown + "'" };
    if (m_temp.empty())
        return {}; // standard output, a device or a pipe: nothing to rename
    if (::fsync(fd) != 0)
        return Error { {}, errno, "cannot write '" + shown + "'" };
    if (const int err = m_fd.reset())
        return Error { {}, err, "cannot write '" + shown + "'" };
    if (::rename(m_temp.c_str(), m_path.c_str()) != 0)
        return Error { {}, errno, "cannot replace '" + shown + "'" };
    m_temp.clear();
    return {};
}

} // namespace synack
