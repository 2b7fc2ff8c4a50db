// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <iterator>
#include <optional>
#include <span>
#include <vector>

#include "base/fd.h"
#include "base/result.h"
#include "tcp/sockaddr.h"
#include "kernel/tcpinfo.h"
#include "tcp/tcpstate.h"

namespace synack {

/// The kernel's timer kinds as sock_diag reports them in idiag_timer (net/ipv4/inet_diag.c, tcp_diag.c).
enum class DiagTimer : std::uint8_t {
    None = 0,
    Retransmit = 1,
    Keepalive = 2,
    TimeWait = 3,
    ZeroWindowProbe = 4,
};

/// "retransmit", "keepalive", "time-wait", "probe", "" for none, and "unknown(N)" for a value a
/// newer kernel may send (never "none": a timer we cannot name is still a timer).
std::string timerName(DiagTimer timer);
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
    DiagTimer timer = DiagTimer::None; ///< the kernel's value as sent, even one not named above
    std::uint32_t expiresMs = 0; ///< time left on `timer`, in milliseconds
    std::uint8_t retrans = 0; ///< idiag_retrans (retransmits, or keepalive probes sent)
    std::optional<std::uint8_t> shutdown; ///< INET_DIAG_SHUTDOWN: bit 0 = RCV_SHUTDOWN, bit 1 = SEND_SHUTDOWN
    std::optional<TcpInfoReading> info; ///< INET_DIAG_INFO (full sockets only)
    /// INET_DIAG_SKMEMINFO, indexed by the kernel's SK_MEMINFO_* names (linux/sock_diag.h).
    std::optional<std::array<std::uint32_t, 9>> memInfo;
};

/// Whether a sock_diag record is a socket caught in the middle of its teardown rather than a
/// reading of its state. The kernel unhashes a full socket when it enters CLOSE (tcp_set_state),
/// so a dump walking the established hash never meets one there. But inet_diag_dump_icsk()
/// collects the sockets of a hash bucket under the bucket's lock and fills their records only
/// after releasing it; a socket that moved on in between (an orphan in FIN_WAIT1 whose ACK
/// arrived, replaced by its timewait socket in FIN_WAIT2; a LAST_ACK socket destroyed) is then
/// reported as it is while dying: state CLOSE, local port 0 (inet_put_port() cleared it). That
/// is not what the connection did: its replacement, or its absence, shows in the next dump.
bool isTeardownRecord(const DiagSocket& d);

/// Reads one dump's reply as the kernel sent it: its datagrams, in order, up to the NLMSG_DONE or
/// NLMSG_ERROR that ends it, replying to the sender and sequence number of its first message.
/// Pure (the live client and RecordedDiag read through the same code), so it can be fed any
/// bytes: the sockets reported, or the first problem; ENODATA when the reply never ended.
Result<std::vector<DiagSocket>> parseDiagReply(std::span<const std::vector<std::uint8_t>> datagrams);

/// Where sock_diag dumps come from: the kernel (SockDiag) or a recording of its replies
/// (RecordedDiag), so that what is made of them can be tested without a kernel.
class DiagSource {
public:
    virtual ~DiagSource() = default;
    /// All TCP sockets of `family` (AF_INET or AF_INET6) whose local port is one of `localPorts`,
    /// in every state.
    virtual Result<std::vector<DiagSocket>> dump(int family, std::span<const std::uint16_t> localPorts) = 0;
};

/// Several namespaces' sockets as one: each dump is every source's, one after the other. The
/// gated lab's two hosts are two network namespaces, each with its own sock_diag socket; their
/// addresses differ, so a socket is told by its 4-tuple whichever host it is on.
class CombinedDiag : public DiagSource {
public:
    explicit CombinedDiag(std::vector<DiagSource*> sources)
        : m_sources(std::move(sources))
    {
    }
    Result<std::vector<DiagSocket>> dump(int family, std::span<const std::uint16_t> localPorts) override
    {
        std::vector<DiagSocket> all;
        for (DiagSource* s : m_sources) {
            auto part = s->dump(family, localPorts);
            if (!part)
                return part.error();
            all.insert(all.end(), std::make_move_iterator(part->begin()), std::make_move_iterator(part->end()));
        }
        return all;
    }

private:
    std::vector<DiagSource*> m_sources;
};

/// A sock_diag (NETLINK_SOCK_DIAG) client: one netlink socket, dumps filtered in the kernel by a
/// bytecode on the local port, so a busy host costs us nothing extra. Careful netlink per
/// iproute2's libnetlink.c: EINTR retried, nlmsg_seq checked, NLMSG_ERROR, NLMSG_DONE and
/// NLM_F_DUMP_INTR (the dump is retried) handled.
class SockDiag : public DiagSource {
public:
    /// Opens the netlink socket. Fails with the errno (e.g. EPROTONOSUPPORT when sock_diag is missing).
    static Result<SockDiag> open();
    /// Uses a NETLINK_SOCK_DIAG socket made elsewhere: one made in the lab's network namespace
    /// dumps that namespace's sockets (a netlink socket serves the namespace it was created in).
    static Result<SockDiag> fromFd(Fd fd);

    /// All TCP sockets of `family` (AF_INET or AF_INET6) whose local port is one of `localPorts`,
    /// in every state. An empty port list returns an empty result without asking the kernel.
    /// At most kMaxPorts ports: a scenario's sockets use far fewer, and a bound keeps the request small.
    Result<std::vector<DiagSocket>> dump(int family, std::span<const std::uint16_t> localPorts) override;

    /// Hands every dump, as asked and as answered (each datagram of the reply, byte for byte),
    /// to `sink` as one record that RecordedDiag can replay (as ss can record and replay its
    /// dumps). Empty to stop.
    void setRecording(std::function<void(const std::vector<std::uint8_t>&)> sink) { m_recording = std::move(sink); }

    static constexpr std::size_t kMaxPorts = 28;

private:
    explicit SockDiag(Fd fd)
        : m_fd(std::move(fd))
    {
    }
    Result<std::vector<DiagSocket>> dumpLive(int family, std::span<const std::uint16_t> localPorts);

    Fd m_fd;
    std::uint32_t m_seq = 0;
    std::function<void(const std::vector<std::uint8_t>&)> m_recording;
    std::function<void(std::span<const std::uint8_t>)> m_recorder; ///< during one recorded dump
};

/// Replays the dumps a SockDiag recorded (setRecording), in order: each reply is read by the same
/// code that reads the kernel's, and filtered by the ports asked for now as the kernel's bytecode
/// filters them (a record whose port the kernel cleared after filtering, as a dying socket's,
/// is kept as the kernel kept it).
class RecordedDiag : public DiagSource {
public:
    /// The concatenated records; fails naming the byte where they stop making sense.
    static Result<RecordedDiag> fromBytes(std::vector<std::uint8_t> bytes);
    Result<std::vector<DiagSocket>> dump(int family, std::span<const std::uint16_t> localPorts) override;
    std::size_t dumpCount() const { return m_dumps.size(); }

private:
    struct Dump {
        int family = 0;
        std::vector<std::uint16_t> ports;
        std::vector<std::vector<std::uint8_t>> datagrams;
    };
    std::vector<Dump> m_dumps;
    std::size_t m_next = 0;
};

} // namespace synack
