// SPDX-License-Identifier: GPL-3.0-or-later
#include "lab/lab.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <optional>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace synack {

namespace {

// --- the wire format between the main process and its helpers ------------------------------
// Fixed-size messages on SOCK_SEQPACKET sockets: one request, one reply (with at most one
// descriptor attached), so a message is never split or merged and no parsing can go wrong.

enum Op : std::int32_t {
    OpSocket = 1, ///< socket(family, type, protocol) in the session's namespace
    OpPacketLo = 2, ///< AF_PACKET socket bound to the session's lo
    OpSession = 3, ///< to the helper: fork a session with a fresh network namespace
    OpTun = 4, ///< a TUN device "wire0" in the session's namespace, addressed local -> peer, up
    OpSysctlWrite = 5, ///< write `value` to /proc/sys/net/ipv4/`name` in the session's namespace
    OpSysctlRead = 6, ///< read /proc/sys/net/ipv4/`name` there, into the reply's text
};

/// The settings a session may write: /proc/sys/net is per network namespace of the process that
/// opens it, so only the session can reach its namespace's; and it never takes a path, only one
/// of these names (the scenario's parser has the same list, with each one's range).
constexpr const char* kSysctlNames[] = { "tcp_syn_retries", "tcp_syn_linear_timeouts", "tcp_synack_retries",
    "tcp_retries2", "tcp_orphan_retries", "tcp_fin_timeout", "tcp_keepalive_time", "tcp_keepalive_intvl",
    "tcp_keepalive_probes", "tcp_tw_reuse", "ip_local_port_range" };

/// Room for the longest name and value, with their NUL.
constexpr std::size_t kSysctlText = 32;

enum Kind : std::int32_t { KindNone = 0, KindUserNet = 1, KindNet = 2 };

struct Request {
    std::int32_t op = 0;
    std::int32_t family = 0;
    std::int32_t type = 0;
    std::int32_t protocol = 0;
    std::uint32_t local = 0; ///< OpTun: this end's IPv4 address, network byte order
    std::uint32_t peer = 0; ///< OpTun: the other end's
    char name[kSysctlText] {}; ///< OpSysctl*: one of kSysctlNames, NUL-terminated
    char value[kSysctlText] {}; ///< OpSysctlWrite: digits and spaces, NUL-terminated
};

struct Reply {
    std::int32_t err = 0; ///< errno of the request (0: a descriptor is attached, or hello ok)
    std::int32_t userErr = 0; ///< helper hello: errno of unshare(CLONE_NEWUSER|CLONE_NEWNET)
    std::int32_t netErr = 0; ///< helper hello: errno of unshare(CLONE_NEWNET) alone
    std::int32_t kind = KindNone; ///< helper hello: which namespaces were made
    char text[kSysctlText] {}; ///< OpSysctlRead: the file's text, NUL-terminated
};

/// A helper that does not answer within this long is stuck (it only makes a few system calls
/// per request); the caller gets ETIMEDOUT instead of a frozen run.
constexpr int kReplyTimeoutMs = 5000;

// --- helper and session side: only async-signal-safe system calls, no allocation -------------

int sendReply(int fd, const Reply& reply, int passFd)
{
    iovec iov { const_cast<Reply*>(&reply), sizeof reply };
    msghdr msg {};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] {};
    if (passFd >= 0) {
        msg.msg_control = control;
        msg.msg_controllen = sizeof control;
        cmsghdr* c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        std::memcpy(CMSG_DATA(c), &passFd, sizeof passFd);
    }
    for (;;) {
        if (::sendmsg(fd, &msg, MSG_NOSIGNAL) >= 0)
            return 0;
        if (errno != EINTR)
            return errno;
    }
}

/// 1 with a request, 0 at end of file (the other side closed), -1 on error.
int recvRequest(int fd, Request& request)
{
    for (;;) {
        const ssize_t n = ::recv(fd, &request, sizeof request, 0);
        if (n == static_cast<ssize_t>(sizeof request))
            return 1;
        if (n == 0)
            return 0;
        if (n < 0 && errno == EINTR)
            continue;
        return -1;
    }
}

/// "ID ID 1\n": the outer id maps to itself, so sock_diag and /proc show the user's own uid.
std::size_t formatIdMap(char* out, unsigned id)
{
    char digits[16];
    std::size_t n = 0;
    do {
        digits[n++] = static_cast<char>('0' + id % 10);
        id /= 10;
    } while (id != 0);
    std::size_t len = 0;
    for (int copy = 0; copy < 2; ++copy) {
        for (std::size_t i = n; i > 0; --i)
            out[len++] = digits[i - 1];
        out[len++] = ' ';
    }
    out[len++] = '1';
    out[len++] = '\n';
    return len;
}

void writeProcFile(const char* path, const char* text, std::size_t len)
{
    const int fd = ::open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    // A failed write leaves the id unmapped (shown as the overflow uid): the capabilities
    // the lab needs come with the namespace itself, not with the mapping.
    [[maybe_unused]] const ssize_t n = ::write(fd, text, len);
    ::close(fd);
}

/// SIOCSIFFLAGS IFF_UP on "lo": a new network namespace's loopback starts down.
int bringLoUp()
{
    const int s = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0)
        return errno;
    ifreq ifr {};
    std::memcpy(ifr.ifr_name, "lo", 3);
    int err = 0;
    if (::ioctl(s, SIOCGIFFLAGS, &ifr) != 0) {
        err = errno;
    } else {
        ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP | IFF_RUNNING);
        if (::ioctl(s, SIOCSIFFLAGS, &ifr) != 0)
            err = errno;
    }
    ::close(s);
    return err;
}

/// An interface's IPv4 address (SIOCSIFADDR, SIOCSIFDSTADDR) through `s`.
int setInterfaceAddress(int s, const char* name, unsigned long request, std::uint32_t address)
{
    ifreq ifr {};
    std::memcpy(ifr.ifr_name, name, std::strlen(name) + 1);
    sockaddr_in sin {};
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = address;
    std::memcpy(&ifr.ifr_addr, &sin, sizeof sin);
    return ::ioctl(s, request, &ifr) == 0 ? 0 : errno;
}

/// The wire's end in this namespace: a TUN device (IFF_TUN | IFF_NO_PI: each read or write is one
/// IP packet, no offloads, so the kernel hands over real segments of at most the MTU) named
/// "wire0", point-to-point from `local` to `peer` (the kernel adds the route to the peer), MTU
/// 1500, up. IPv6 is switched off in the namespace first, so that no router solicitation or
/// duplicate address detection crosses the wire: only what the scenario does. The descriptor
/// (non-blocking) in `out`; 0 or the errno.
int makeTun(std::uint32_t local, std::uint32_t peer, int& out)
{
    writeProcFile("/proc/sys/net/ipv6/conf/all/disable_ipv6", "1", 1);
    writeProcFile("/proc/sys/net/ipv6/conf/default/disable_ipv6", "1", 1);
    const int tun = ::open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK);
    if (tun < 0)
        return errno;
    const char* name = "wire0";
    ifreq ifr {};
    std::memcpy(ifr.ifr_name, name, 6);
    ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
    int err = ::ioctl(tun, TUNSETIFF, &ifr) == 0 ? 0 : errno;
    const int s = err ? -1 : ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (!err && s < 0)
        err = errno;
    if (!err)
        err = setInterfaceAddress(s, name, SIOCSIFADDR, local);
    if (!err)
        err = setInterfaceAddress(s, name, SIOCSIFDSTADDR, peer);
    if (!err) {
        ifreq mtu {};
        std::memcpy(mtu.ifr_name, name, 6);
        mtu.ifr_mtu = 1500;
        if (::ioctl(s, SIOCSIFMTU, &mtu) != 0)
            err = errno;
    }
    if (!err) {
        ifreq flags {};
        std::memcpy(flags.ifr_name, name, 6);
        flags.ifr_flags = static_cast<short>(IFF_UP | IFF_RUNNING | IFF_POINTOPOINT | IFF_NOARP);
        if (::ioctl(s, SIOCSIFFLAGS, &flags) != 0)
            err = errno;
    }
    if (s >= 0)
        ::close(s);
    if (err) {
        ::close(tun);
        return err;
    }
    out = tun;
    return 0;
}

/// The descriptors a forked helper inherited are the main process's: sockets of a run among
/// them. Keeping them open here would keep those connections alive after the main process
/// closed them, so everything but `keep` goes; stdio points at /dev/null, so a pipe the main
/// process writes to (a test reading `synack run`) ends when the main process ends.
void dropInheritedDescriptors(int keep)
{
    const int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null >= 0) {
        ::dup2(null, 0);
        ::dup2(null, 1);
        ::dup2(null, 2);
    }
    if (keep > 3)
        ::close_range(3, static_cast<unsigned>(keep - 1), 0);
    ::close_range(static_cast<unsigned>(keep + 1), ~0U, 0);
}

/// The NUL-terminated text of a request field, at most `size` bytes long with its NUL; else -1.
long fieldLength(const char* field, std::size_t size)
{
    for (std::size_t i = 0; i < size; ++i)
        if (field[i] == '\0')
            return static_cast<long>(i);
    return -1;
}

/// "/proc/sys/net/ipv4/NAME" into `path` for a name of kSysctlNames; false for any other.
bool sysctlPath(const Request& request, char (&path)[64])
{
    const long len = fieldLength(request.name, sizeof request.name);
    if (len <= 0)
        return false;
    bool known = false;
    for (const char* name : kSysctlNames)
        known |= std::strlen(name) == static_cast<std::size_t>(len) && std::memcmp(name, request.name, static_cast<std::size_t>(len)) == 0;
    if (!known)
        return false;
    constexpr char kDir[] = "/proc/sys/net/ipv4/";
    std::memcpy(path, kDir, sizeof kDir - 1);
    std::memcpy(path + sizeof kDir - 1, request.name, static_cast<std::size_t>(len) + 1);
    return true;
}

/// Writes or reads one of kSysctlNames in this process's network namespace; 0 or the errno. A value
/// is numbers and single spaces only, as the parser made it.
int serveSysctl(const Request& request, Reply& reply)
{
    char path[64];
    if (!sysctlPath(request, path))
        return EINVAL;
    if (request.op == OpSysctlWrite) {
        const long len = fieldLength(request.value, sizeof request.value);
        if (len <= 0)
            return EINVAL;
        for (long i = 0; i < len; ++i)
            if ((request.value[i] < '0' || request.value[i] > '9') && request.value[i] != ' ')
                return EINVAL;
        const int f = ::open(path, O_WRONLY | O_CLOEXEC);
        if (f < 0)
            return errno;
        const ssize_t n = ::write(f, request.value, static_cast<std::size_t>(len));
        const int err = n < 0 ? errno : n != len ? EIO : 0;
        ::close(f);
        return err;
    }
    const int f = ::open(path, O_RDONLY | O_CLOEXEC);
    if (f < 0)
        return errno;
    const ssize_t n = ::read(f, reply.text, sizeof reply.text - 1);
    const int err = n < 0 ? errno : 0;
    ::close(f);
    return err;
}

[[noreturn]] void sessionMain(int fd)
{
    // The helper is single-threaded, so "parent death" is the helper's exit.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    Reply hello;
    if (::unshare(CLONE_NEWNET) != 0)
        hello.err = errno;
    else
        hello.err = bringLoUp();
    sendReply(fd, hello, -1);
    if (hello.err != 0)
        ::_exit(1);
    Request request;
    while (recvRequest(fd, request) == 1) {
        Reply reply;
        int s = -1;
        if (request.op == OpSocket) {
            s = ::socket(request.family, request.type | SOCK_CLOEXEC, request.protocol);
            if (s < 0)
                reply.err = errno;
        } else if (request.op == OpPacketLo) {
            // SOCK_DGRAM: the kernel strips lo's (all-zero) Ethernet header and tells the
            // protocol in sockaddr_ll, so the reader gets IP packets.
            s = ::socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ETH_P_ALL));
            if (s < 0) {
                reply.err = errno;
            } else {
                ifreq ifr {};
                std::memcpy(ifr.ifr_name, "lo", 3);
                sockaddr_ll sll {};
                sll.sll_family = AF_PACKET;
                sll.sll_protocol = htons(ETH_P_ALL);
                if (::ioctl(s, SIOCGIFINDEX, &ifr) != 0) {
                    reply.err = errno;
                } else {
                    sll.sll_ifindex = ifr.ifr_ifindex;
                    if (::bind(s, reinterpret_cast<sockaddr*>(&sll), sizeof sll) != 0)
                        reply.err = errno;
                }
                if (reply.err != 0) {
                    ::close(s);
                    s = -1;
                }
            }
        } else if (request.op == OpTun) {
            reply.err = makeTun(request.local, request.peer, s);
        } else if (request.op == OpSysctlWrite || request.op == OpSysctlRead) {
            reply.err = serveSysctl(request, reply);
        } else {
            reply.err = EINVAL;
        }
        const int sendErr = sendReply(fd, reply, s);
        if (s >= 0)
            ::close(s);
        if (sendErr != 0)
            break;
    }
    ::_exit(0);
}

[[noreturn]] void helperMain(int fd, pid_t parent, bool forkedByMainThread)
{
    // PR_SET_PDEATHSIG fires when the *thread* that forked us ends: only trust it when that
    // was the main thread. Otherwise the end of the socket pair (when the process exits) is
    // what ends the helper.
    if (forkedByMainThread) {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent)
            ::_exit(0);
    }
    dropInheritedDescriptors(fd);
    struct sigaction ignore { };
    ignore.sa_handler = SIG_IGN;
    ::sigaction(SIGPIPE, &ignore, nullptr);
    // Ctrl-C reaches the terminal's whole process group: the main process stops its run and
    // tears the lab down in order; the helper ends when it does (its channel closes).
    ::sigaction(SIGINT, &ignore, nullptr);
    ::sigaction(SIGTERM, &ignore, nullptr);
    // Sessions are reaped by the kernel: the helper never waits for them.
    ::sigaction(SIGCHLD, &ignore, nullptr);

    const uid_t uid = ::geteuid();
    const gid_t gid = ::getegid();
    Reply hello;
    if (::unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0) {
        hello.kind = KindUserNet;
        char map[48];
        // setgroups must be denied before an unprivileged process may write gid_map.
        writeProcFile("/proc/self/setgroups", "deny", 4);
        writeProcFile("/proc/self/uid_map", map, formatIdMap(map, uid));
        writeProcFile("/proc/self/gid_map", map, formatIdMap(map, gid));
    } else {
        hello.userErr = errno;
        // Root where user namespaces are refused (a container's seccomp profile, AppArmor)
        // may still make a network namespace.
        if (::unshare(CLONE_NEWNET) == 0)
            hello.kind = KindNet;
        else
            hello.netErr = errno;
    }
    hello.err = hello.kind != KindNone ? 0 : (hello.userErr ? hello.userErr : EPERM);
    if (sendReply(fd, hello, -1) != 0)
        ::_exit(1);

    Request request;
    while (recvRequest(fd, request) == 1) {
        Reply reply;
        if (request.op != OpSession || hello.kind == KindNone) {
            reply.err = request.op != OpSession ? EINVAL : hello.err;
            if (sendReply(fd, reply, -1) != 0)
                break;
            continue;
        }
        int pair[2];
        if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) != 0) {
            reply.err = errno;
            if (sendReply(fd, reply, -1) != 0)
                break;
            continue;
        }
        const pid_t pid = ::fork();
        if (pid == 0) {
            ::close(fd);
            ::close(pair[0]);
            sessionMain(pair[1]);
        }
        ::close(pair[1]);
        if (pid < 0)
            reply.err = errno;
        const int sendErr = sendReply(fd, reply, pid < 0 ? -1 : pair[0]);
        ::close(pair[0]);
        if (sendErr != 0)
            break;
    }
    ::_exit(0);
}

// --- main process side ------------------------------------------------------------------------

/// Waits for one reply and the descriptor attached to it.
Result<Fd> awaitReply(int fd, const char* what, Reply& reply)
{
    pollfd pfd { fd, POLLIN, 0 };
    for (;;) {
        const int rc = ::poll(&pfd, 1, kReplyTimeoutMs);
        if (rc > 0)
            break;
        if (rc == 0)
            return Error { what, ETIMEDOUT, "the lab helper did not answer" };
        if (errno != EINTR)
            return errnoError(what, errno);
    }
    iovec iov { &reply, sizeof reply };
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] {};
    msghdr msg {};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t n;
    do
        n = ::recvmsg(fd, &msg, MSG_CMSG_CLOEXEC);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return errnoError(what, errno);
    Fd passed;
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS && c->cmsg_len >= CMSG_LEN(sizeof(int))) {
            int got = -1;
            std::memcpy(&got, CMSG_DATA(c), sizeof got);
            passed.reset(got);
        }
    if (n == 0)
        return Error { what, EPIPE, "the lab helper has gone" };
    // The kernel truncates the control data when it cannot install the descriptor here: this
    // process is at its descriptor limit (scm_detach_fds()).
    if (msg.msg_flags & MSG_CTRUNC)
        return Error { what, EMFILE, "the descriptor the lab made could not be received here" };
    if (n != static_cast<ssize_t>(sizeof reply))
        return Error { what, EPROTO, "malformed reply from the lab helper" };
    return passed;
}

/// Sends a request and waits for its reply, and the descriptor that came with it (if any).
Result<Fd> exchange(int fd, const Request& request, const char* what, Reply& reply)
{
    for (;;) {
        if (::send(fd, &request, sizeof request, MSG_NOSIGNAL) >= 0)
            break;
        if (errno != EINTR)
            return errnoError(what, errno);
    }
    return awaitReply(fd, what, reply);
}

Result<Fd> ask(int fd, const Request& request, const char* what)
{
    Reply reply;
    auto passed = exchange(fd, request, what, reply);
    if (!passed)
        return passed;
    if (reply.err != 0)
        return errnoError(what, reply.err);
    if (!passed->valid())
        return Error { what, EPROTO, "the lab helper sent no descriptor" };
    return passed;
}

/// A request answered by its reply alone, with no descriptor (one that came anyway is closed).
Result<Reply> askReply(int fd, const Request& request, const char* what)
{
    Reply reply;
    auto passed = exchange(fd, request, what, reply);
    if (!passed)
        return passed.error();
    return reply;
}

/// The process's one helper (see Lab). Guarded by its mutex; forked again if it has gone.
struct Helper {
    std::mutex mutex;
    Fd channel;
    pid_t pid = -1;
    Reply hello;
    std::optional<Error> failure; ///< the helper could not be forked or did not say hello
    std::string ended; ///< how the last helper ended ("signal 9: Killed"), once reaped
    pid_t endedPid = -1; ///< which helper that was
};

/// Whether the other end of a socket pair has closed: its process ended (or closed it).
bool hungUp(int fd)
{
    pollfd pfd { fd, 0, 0 }; // POLLHUP and POLLERR are reported without being asked for
    return ::poll(&pfd, 1, 0) == 1 && (pfd.revents & (POLLHUP | POLLERR | POLLNVAL));
}

/// How a child process ended, as a person reads it: "signal 9: Killed", "exit status 1".
std::string howEnded(int status)
{
    if (WIFSIGNALED(status)) {
        const char* name = ::strsignal(WTERMSIG(status));
        return "signal " + std::to_string(WTERMSIG(status)) + (name ? std::string(": ") + name : std::string());
    }
    if (WIFEXITED(status))
        return "exit status " + std::to_string(WEXITSTATUS(status));
    return "wait status " + std::to_string(status);
}

/// Reaps the helper when its channel has hung up, remembering how it ended. Its channel closes
/// in do_exit() before it becomes a zombie, so the wait that follows is short and certain.
/// Returns whether the helper has gone.
bool reapIfGone(Helper& h)
{
    if (!h.channel || !hungUp(h.channel.get()))
        return !h.channel && !h.ended.empty();
    h.channel.reset();
    int status = 0;
    pid_t got;
    do
        got = ::waitpid(h.pid, &status, 0);
    while (got < 0 && errno == EINTR);
    h.ended = got == h.pid ? howEnded(status) : "not waitable: " + errnoName(errno);
    h.endedPid = h.pid;
    h.pid = -1;
    return true;
}

Helper& helper()
{
    static Helper h;
    return h;
}

void forkHelper(Helper& h)
{
    h.failure.reset();
    h.hello = Reply {};
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) != 0) {
        h.failure = errnoError("socketpair(AF_UNIX, SOCK_SEQPACKET)", errno);
        return;
    }
    const pid_t parent = ::getpid();
    const bool mainThread = ::gettid() == parent;
    const pid_t pid = ::fork();
    if (pid == 0)
        helperMain(pair[1], parent, mainThread);
    ::close(pair[1]);
    if (pid < 0) {
        h.failure = errnoError("fork(lab helper)", errno);
        ::close(pair[0]);
        return;
    }
    h.pid = pid;
    h.channel.reset(pair[0]);
    auto none = awaitReply(h.channel.get(), "lab helper", h.hello);
    if (!none)
        h.failure = none.error();
}

/// Makes sure the helper runs; a helper that has gone (its socket reports hang-up) is reaped
/// and forked again.
void ensureHelper(Helper& h)
{
    reapIfGone(h);
    if (!h.channel)
        forkHelper(h);
}

std::string readSetting(const char* path)
{
    std::ifstream f(path);
    std::string value;
    if (!f || !std::getline(f, value))
        return "(not present on this kernel)";
    return value;
}

std::string why(
    const Error& e, const std::string& apparmor, const std::string& maxUserNs, const std::string& debianSwitch)
{
    std::string reason;
    if (apparmor == "1")
        reason = "AppArmor restricts unprivileged user namespaces (kernel.apparmor_restrict_unprivileged_userns "
                 "= 1, as on Ubuntu 24.04); an AppArmor profile for synack with `userns,` allows them";
    else if (maxUserNs == "0")
        reason = "user namespaces are switched off (user.max_user_namespaces = 0)";
    else if (debianSwitch == "0")
        reason = "unprivileged user namespaces are switched off (kernel.unprivileged_userns_clone = 0)";
    else
        reason = "the kernel refused to make the namespaces";
    return reason + ": " + e.message();
}

} // namespace

void Lab::prepare()
{
    if (tierFromEnvironment() == Tier::HostLoopback)
        return;
    Helper& h = helper();
    std::lock_guard lock(h.mutex);
    ensureHelper(h);
}

Tier Lab::tierFromEnvironment()
{
    const char* v = std::getenv("SYNACK_TIER");
    if (!v)
        return Tier::Auto;
    const std::string s(v);
    if (s == "0")
        return Tier::HostLoopback;
    if (s == "1")
        return Tier::Lab;
    return Tier::Auto;
}

Result<Lab> Lab::start()
{
    Helper& h = helper();
    std::lock_guard lock(h.mutex);
    ensureHelper(h);
    if (h.failure)
        return *h.failure;
    if (h.hello.kind == KindNone) {
        auto named = [](int err) { return errnoName(err) + ": " + std::strerror(err); };
        // err stays 0: both errnos are in the text, and message() would repeat one of them.
        return Error { "unshare", 0,
            "cannot make a user namespace (" + named(h.hello.userErr) + ") nor, without one, a network namespace ("
                + named(h.hello.netErr) + ")" };
    }
    Request request;
    request.op = OpSession;
    auto session = ask(h.channel.get(), request, "lab session");
    if (!session)
        return session.error();
    Reply hello;
    auto none = awaitReply(session->get(), "lab session", hello);
    if (!none)
        return none.error();
    if (hello.err != 0)
        return errnoError("unshare(CLONE_NEWNET) and lo up in the lab session", hello.err);
    Lab lab;
    lab.m_helperPid = h.pid;
    ucred peer {};
    socklen_t len = sizeof peer;
    if (::getsockopt(session->get(), SOL_SOCKET, SO_PEERCRED, &peer, &len) == 0)
        lab.m_sessionPid = peer.pid;
    lab.m_channel = std::move(*session);
    lab.m_namespaces = h.hello.kind == KindUserNet ? "user+net" : "net";
    return lab;
}

Lab::~Lab() = default;

Result<Fd> Lab::socket(int family, int type, int protocol)
{
    if (auto gone = lost())
        return *gone;
    if (!m_channel)
        return Error { "lab socket", EBADF, "the lab was moved from" };
    std::lock_guard lock(*m_mutex);
    Request request;
    request.op = OpSocket;
    request.family = family;
    request.type = type;
    request.protocol = protocol;
    return dropOnTimeout(ask(m_channel.get(), request, "socket (in the lab)"));
}

Result<Fd> Lab::dropOnTimeout(Result<Fd> answer)
{
    // A reply that comes after we gave up would be read as the answer to the next request (with
    // someone else's descriptor): once the session is late, it is not asked anything again.
    if (!answer && answer.error().err == ETIMEDOUT) {
        m_channel.reset();
        m_lost = Error { {}, 0,
            "the lab's session process (pid " + std::to_string(m_sessionPid) + ") stopped answering" };
    }
    if (!answer && answer.error().err == EPIPE)
        if (auto gone = lost())
            return *gone;
    return answer;
}

std::optional<Error> Lab::lost()
{
    if (m_lost || !m_channel)
        return m_lost;
    // The helper's end is the session's (PR_SET_PDEATHSIG), but the session takes a moment to
    // die after the helper has: the helper's channel is asked too, so that once the helper has
    // gone the lab is lost, with no window in between.
    Helper& h = helper();
    std::lock_guard lock(h.mutex);
    reapIfGone(h);
    const bool helperGone = h.pid != m_helperPid;
    if (!helperGone && !hungUp(m_channel.get()))
        return std::nullopt;
    m_channel.reset();
    if (helperGone)
        m_lost = Error { {}, 0,
            "the lab helper exited (" + (h.endedPid == m_helperPid ? h.ended : std::string("how is not known")) + ")" };
    else
        m_lost = Error { {}, 0,
            "the lab's session process (pid " + std::to_string(m_sessionPid) + ") exited; the lab helper is still running" };
    return m_lost;
}

Result<Fd> Lab::packetSocketOnLo()
{
    if (auto gone = lost())
        return *gone;
    if (!m_channel)
        return Error { "lab packet socket", EBADF, "the lab was moved from" };
    std::lock_guard lock(*m_mutex);
    Request request;
    request.op = OpPacketLo;
    return dropOnTimeout(ask(m_channel.get(), request, "socket(AF_PACKET) on the lab's lo"));
}

Result<Fd> Lab::tunDevice(std::uint32_t local, std::uint32_t peer)
{
    if (auto gone = lost())
        return *gone;
    if (!m_channel)
        return Error { "lab TUN device", EBADF, "the lab was moved from" };
    std::lock_guard lock(*m_mutex);
    Request request;
    request.op = OpTun;
    request.local = local;
    request.peer = peer;
    return dropOnTimeout(ask(m_channel.get(), request, "open(/dev/net/tun) and TUNSETIFF in the lab"));
}

Result<std::string> Lab::sysctlRequest(int op, std::string_view name, std::string_view value, const std::string& what)
{
    if (auto gone = lost())
        return *gone;
    if (!m_channel)
        return Error { what, EBADF, "the lab was moved from" };
    Request request;
    request.op = op;
    if (name.size() >= sizeof request.name || value.size() >= sizeof request.value)
        return Error { what, EINVAL, "the name or value is too long" };
    // (An empty view may have no data at all: memcpy must not be given its null pointer.)
    if (!name.empty())
        std::memcpy(request.name, name.data(), name.size());
    if (!value.empty())
        std::memcpy(request.value, value.data(), value.size());
    std::lock_guard lock(*m_mutex);
    auto answer = askReply(m_channel.get(), request, what.c_str());
    if (!answer) {
        // As in dropOnTimeout(): a late reply must not be taken for the next request's.
        if (answer.error().err == ETIMEDOUT) {
            m_channel.reset();
            m_lost = Error { {}, 0,
                "the lab's session process (pid " + std::to_string(m_sessionPid) + ") stopped answering" };
        }
        return answer.error();
    }
    if (answer->err != 0)
        return errnoError(what, answer->err);
    answer->text[sizeof answer->text - 1] = '\0';
    std::string text(answer->text);
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.pop_back();
    return text;
}

Result<void> Lab::sysctl(std::string_view name, std::string_view value)
{
    auto answer = sysctlRequest(OpSysctlWrite, name, value, "write(/proc/sys/net/ipv4/" + std::string(name) + ")");
    if (!answer)
        return answer.error();
    return {};
}

Result<std::string> Lab::readSysctl(std::string_view name)
{
    return sysctlRequest(OpSysctlRead, name, {}, "read(/proc/sys/net/ipv4/" + std::string(name) + ")");
}

TierReport Lab::probe()
{
    TierReport r;
    const char* env = std::getenv("SYNACK_TIER");
    const std::string apparmor = readSetting("/proc/sys/kernel/apparmor_restrict_unprivileged_userns");
    const std::string maxUserNs = readSetting("/proc/sys/user/max_user_namespaces");
    const std::string debianSwitch = readSetting("/proc/sys/kernel/unprivileged_userns_clone");
    r.facts.emplace_back("SYNACK_TIER", env ? env : "(unset)");
    r.facts.emplace_back("running as", ::geteuid() == 0 ? "root (uid 0)" : "uid " + std::to_string(::geteuid()));
    r.facts.emplace_back("user.max_user_namespaces", maxUserNs);
    r.facts.emplace_back("kernel.unprivileged_userns_clone", debianSwitch);
    r.facts.emplace_back("kernel.apparmor_restrict_unprivileged_userns", apparmor);
    if (tierFromEnvironment() == Tier::HostLoopback) {
        r.forced = true;
        r.why = "SYNACK_TIER=0 forces host loopback";
        return r;
    }
    {
        Helper& h = helper();
        std::lock_guard lock(h.mutex);
        ensureHelper(h);
        if (!h.failure) {
            auto outcome = [](int err) { return err ? errnoName(err) + " (" + std::strerror(err) + ")" : "ok"; };
            r.facts.emplace_back("unshare(CLONE_NEWUSER|CLONE_NEWNET)", outcome(h.hello.userErr));
            if (h.hello.userErr)
                r.facts.emplace_back("unshare(CLONE_NEWNET) as a fallback for root", outcome(h.hello.netErr));
        }
    }
    auto lab = start();
    if (!lab) {
        r.why = why(lab.error(), apparmor, maxUserNs, debianSwitch);
        return r;
    }
    auto packet = lab->packetSocketOnLo();
    if (!packet) {
        r.why = "a private network namespace works, but no packet socket can be opened on its lo: "
            + packet.error().message();
        return r;
    }
    r.tier = 1;
    r.name = "lab";
    r.namespaces = lab->namespaces();
    r.why = r.namespaces == "user+net"
        ? "unshare(CLONE_NEWUSER|CLONE_NEWNET) works: each run gets a private network namespace and a packet "
          "socket on its lo"
        : "user namespaces are refused, but as root unshare(CLONE_NEWNET) works: each run gets a private network "
          "namespace and a packet socket on its lo";
    return r;
}

} // namespace synack
