// SPDX-License-Identifier: GPL-3.0-or-later
#include "base/limits.h"

#include <cerrno>
#include <dirent.h>
#include <fstream>
#include <sys/resource.h>

namespace synack {

namespace {

    std::string firstLine(const char* path)
    {
        std::ifstream f(path);
        std::string line;
        if (!f || !std::getline(f, line))
            return "unreadable";
        return line;
    }

    /// The value of one "Name:   value" line of /proc/meminfo.
    std::string memInfo(const std::string& name)
    {
        std::ifstream f("/proc/meminfo");
        std::string line;
        while (std::getline(f, line))
            if (line.rfind(name + ":", 0) == 0) {
                const auto at = line.find_first_not_of(' ', name.size() + 1);
                return at == std::string::npos ? std::string() : line.substr(at);
            }
        return "unreadable";
    }

    std::string limitText(rlim_t v) { return v == RLIM_INFINITY ? std::string("unlimited") : std::to_string(v); }

    long openDescriptors()
    {
        DIR* dir = ::opendir("/proc/self/fd");
        if (!dir)
            return -1; // at the limit, even this needs a descriptor
        long n = 0;
        while (const dirent* e = ::readdir(dir))
            n += e->d_name[0] != '.';
        ::closedir(dir);
        return n - 1; // the directory's own
    }

} // namespace

std::optional<std::string> resourceShortage(int err)
{
    switch (err) {
    case EMFILE: {
        rlimit rl {};
        ::getrlimit(RLIMIT_NOFILE, &rl);
        const long open = openDescriptors();
        return "this process may have at most " + limitText(rl.rlim_cur) + " descriptors open (RLIMIT_NOFILE soft "
            + limitText(rl.rlim_cur) + ", hard " + limitText(rl.rlim_max) + ")"
            + (open >= 0 ? " and has " + std::to_string(open) + " open" : std::string(" and has them all open"));
    }
    case ENFILE:
        return "the system's file table is full (fs.file-max = " + firstLine("/proc/sys/fs/file-max")
            + "; fs.file-nr, allocated/free/max = " + firstLine("/proc/sys/fs/file-nr") + ")";
    case ENOBUFS:
    case ENOMEM:
        return "the kernel could not allocate memory for the call (MemAvailable " + memInfo("MemAvailable")
            + "; net.ipv4.tcp_mem = " + firstLine("/proc/sys/net/ipv4/tcp_mem") + " pages)";
    default:
        return std::nullopt;
    }
}

long raiseDescriptorLimit()
{
    rlimit rl {};
    if (::getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return -1;
    if (rl.rlim_cur < rl.rlim_max) {
        rlimit raised = rl;
        raised.rlim_cur = rl.rlim_max;
        if (::setrlimit(RLIMIT_NOFILE, &raised) == 0)
            rl = raised;
    }
    return rl.rlim_cur == RLIM_INFINITY ? -1 : static_cast<long>(rl.rlim_cur);
}

} // namespace synack
