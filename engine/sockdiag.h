// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "fd.h"
#include "result.h"
#include "sockaddr.h"
#include "tcpinfo.h"
#include "tcpstate.h"

namespace synack {

/// The kernel's timer kinds as sock_diag reports them in idiag_timer (net/ipv4/inet_diag.c, tcp_diag.c).
enum class DiagTimer : std::uint8_t {
    None = 0,
    Retransmit = 1,
    Keepalive = 2,
    TimeWait = 3,
    ZeroWindowProbe = 4,
};

/// "retransmit", "keepalive", "time-wait", "probe", "" for none.
std::string_view timerName(DiagTimer timer);
std::optional<DiagTimer> timerFromName(std::string_view name);

/// One TCP socket as a sock_diag dump reports it. Works for sockets the caller has no descriptor
/// for: TIME_WAIT sockets, SYN_RECV request sockets, orphans after close().
struct DiagSocket {
    TcpState state = TcpState::Unknown; ///< request sockets are reported as SynRecv
    SockAddr local;
    SockAddr remote;
    std::uint64_t cookie = 0; ///< idiag_cookie; equals getsockopt(SO_COOKIE) of the same socket
    std::uint32_t inode = 0; ///< 0 for orphans, TIME_WAIT and request sockets
    std::uint32_t uid = 0;
    std::uint32_t rqueue = 0; ///< listeners: accept queue length; others: bytes unread
    std::uint32_t wqueue = 0; ///< listeners: backlog; others: bytes not yet acknowledged
    DiagTimer timer = DiagTimer::None;
    std::uint32_t expiresMs = 0; ///< time left on `timer`, in milliseconds
    std::uint8_t retrans = 0; ///< idiag_retrans (retransmits, or keepalive probes sent)
    std::optional<std::uint8_t> shutdown; ///< INET_DIAG_SHUTDOWN: bit 0 = RCV_SHUTDOWN, bit 1 = SEND_SHUTDOWN
    std::optional<TcpInfoReading> info; ///< INET_DIAG_INFO (full sockets only)
    std::optional<std::array<std::uint32_t, 9>> memInfo; ///< INET_DIAG_SKMEMINFO (SK_MEMINFO_* order)
};

/// A sock_diag (NETLINK_SOCK_DIAG) client: one netlink socket, dumps filtered in the kernel by a
/// bytecode on the local port, so a busy host costs us nothing extra. Careful netlink per
/// iproute2's libnetlink.c: EINTR retried, nlmsg_seq checked, NLMSG_ERROR, NLMSG_DONE and
/// NLM_F_DUMP_INTR (the dump is retried) handled.
class SockDiag {
public:
    /// Opens the netlink socket. Fails with the errno (e.g. EPROTONOSUPPORT when sock_diag is missing).
    static Result<SockDiag> open();
    /// Uses a NETLINK_SOCK_DIAG socket made elsewhere: one made in the lab's network namespace
    /// dumps that namespace's sockets (a netlink socket serves the namespace it was created in).
    static Result<SockDiag> fromFd(Fd fd);

    /// All TCP sockets of `family` (AF_INET or AF_INET6) whose local port is one of `localPorts`,
    /// in every state. An empty port list returns an empty result without asking the kernel.
    /// At most kMaxPorts ports: a scenario's sockets use far fewer, and a bound keeps the request small.
    Result<std::vector<DiagSocket>> dump(int family, std::span<const std::uint16_t> localPorts);

    static constexpr std::size_t kMaxPorts = 28;

private:
    explicit SockDiag(Fd fd)
        : m_fd(std::move(fd))
    {
    }
    Fd m_fd;
    std::uint32_t m_seq = 0;
};

} // namespace synack
