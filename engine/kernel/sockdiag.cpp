// SPDX-License-Identifier: GPL-3.0-or-later
#include "kernel/sockdiag.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/uio.h>

namespace synack {

namespace {

// NLM_F_DUMP_INTR means the socket tables changed while the kernel walked them; we start over,
// but not forever on a host whose tables never settle.
constexpr int kMaxDumpAttempts = 5;

// netlink_recvmsg() caps the size the kernel allocates for each dump skb at 32 KiB
// (max_recvmsg_len), so one buffer of that size always holds a whole dump datagram.
constexpr std::size_t kRecvBufferSize = 32768;

constexpr const char* kRecvCall = "recvmsg(NETLINK_SOCK_DIAG)";

// One op of the kernel's filter language (struct inet_diag_bc_op), written out field by field.
void appendOp(std::vector<std::uint8_t>& out, std::uint8_t code, std::uint8_t yes, std::uint16_t no)
{
    inet_diag_bc_op op {};
    op.code = code;
    op.yes = yes;
    op.no = no;
    const auto* p = reinterpret_cast<const std::uint8_t*>(&op);
    out.insert(out.end(), p, p + sizeof op);
}

// "local port is one of `ports`" as inet_diag bytecode, laid out the way iproute2's ss.c compiles
// an OR: P1, JMP, P2, JMP, ..., Pn, where each Pi is S_EQ (8 bytes, port in the second op's `no`).
//
// The audit (inet_diag_bc_audit) walks only the `yes` chain and insists that it ends exactly at
// the end of the program, and that every `no` target is either a point on that chain (valid_cc),
// the end (accept) or end + 4 (reject). So an S_EQ cannot jump straight to "accept" on a match;
// instead its yes falls through onto the JMP behind it, and the JMP (which always takes `no`)
// jumps to the end. A mismatch takes S_EQ's `no` = 12, skipping its port word and the JMP onto
// the next S_EQ; for the last port that is end + 4, i.e. reject.
std::vector<std::uint8_t> portFilter(std::span<const std::uint16_t> ports)
{
    constexpr std::uint8_t kEqSize = 2 * sizeof(inet_diag_bc_op);
    constexpr std::uint8_t kJmpSize = sizeof(inet_diag_bc_op);
    std::vector<std::uint8_t> bc;
    bc.reserve(ports.size() * (kEqSize + kJmpSize));
    for (std::size_t i = 0; i < ports.size(); ++i) {
        appendOp(bc, INET_DIAG_BC_S_EQ, kEqSize, kEqSize + kJmpSize);
        // The comparison operand lives in the `no` field of a follow-on op, in host byte order.
        appendOp(bc, 0, 0, ports[i]);
        const std::size_t rest = ports.size() - 1 - i;
        if (rest > 0) {
            const std::size_t bytesAfterJmp = rest * kEqSize + (rest - 1) * kJmpSize;
            appendOp(bc, INET_DIAG_BC_JMP, kJmpSize, static_cast<std::uint16_t>(bytesAfterJmp + kJmpSize));
        }
    }
    return bc;
}

// nlmsghdr + inet_diag_req_v2 + one INET_DIAG_REQ_BYTECODE attribute.
std::vector<std::uint8_t> buildRequest(int family, std::span<const std::uint16_t> ports)
{
    const std::vector<std::uint8_t> bc = portFilter(ports);
    const std::size_t attrLen = NLA_HDRLEN + bc.size();
    const std::size_t total = NLMSG_SPACE(sizeof(inet_diag_req_v2)) + NLA_ALIGN(attrLen);
    std::vector<std::uint8_t> buf(total, 0);

    nlmsghdr nlh {};
    nlh.nlmsg_len = static_cast<std::uint32_t>(total);
    nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    std::memcpy(buf.data(), &nlh, sizeof nlh);

    inet_diag_req_v2 req {};
    req.sdiag_family = static_cast<std::uint8_t>(family);
    req.sdiag_protocol = IPPROTO_TCP;
    // All states: includes TIME_WAIT and request sockets (TCP_NEW_SYN_RECV, bit 12), which the
    // kernel also adds on its own whenever TCP_SYN_RECV is asked for.
    req.idiag_states = 0xffffffffU;
    req.idiag_ext = (1U << (INET_DIAG_INFO - 1)) | (1U << (INET_DIAG_SKMEMINFO - 1));
    std::memcpy(buf.data() + NLMSG_HDRLEN, &req, sizeof req);

    nlattr attr {};
    attr.nla_len = static_cast<std::uint16_t>(attrLen);
    attr.nla_type = INET_DIAG_REQ_BYTECODE;
    std::uint8_t* a = buf.data() + NLMSG_SPACE(sizeof(inet_diag_req_v2));
    std::memcpy(a, &attr, sizeof attr);
    std::memcpy(a + NLA_HDRLEN, bc.data(), bc.size());
    return buf;
}

Error malformed(std::string what)
{
    return Error { kRecvCall, EBADMSG, std::move(what) };
}


SockAddr addrFromKernel(int family, const std::uint32_t (&words)[4], std::uint16_t portBe)
{
    SockAddr a;
    a.family = family;
    // idiag_src/idiag_dst hold the address in network order; IPv4 uses only the first word.
    std::memcpy(a.addr.data(), words, family == AF_INET6 ? 16 : 4);
    a.port = ntohs(portBe);
    return a;
}

// A failure the kernel reported as -errno (NLMSG_DONE's status, NLMSG_ERROR's error). An errno is
// at most MAX_ERRNO (4095, linux/err.h); anything lower is not one (and INT_MIN cannot be negated).
Error kernelError(const char* call, int negated)
{
    constexpr int kMaxErrno = 4095;
    if (negated < -kMaxErrno)
        return malformed(std::string(call) + " reported " + std::to_string(negated) + ", which is no errno");
    return errnoError(call, -negated);
}

// One SOCK_DIAG_BY_FAMILY payload (inet_diag_msg + attributes). Everything is memcpy'd out of the
// buffer: netlink only guarantees 4-byte alignment, and tcp_info holds 64-bit fields.
Result<DiagSocket> parseSocket(const std::uint8_t* data, std::size_t len)
{
    DiagSocket out;
    if (len < sizeof(inet_diag_msg))
        return malformed("inet_diag_msg shorter than its header");
    inet_diag_msg m {};
    std::memcpy(&m, data, sizeof m);
    if (m.idiag_family != AF_INET && m.idiag_family != AF_INET6)
        return malformed("inet_diag_msg with family " + std::to_string(m.idiag_family));

    // Request sockets come as TCP_SYN_RECV from inet_req_diag_fill(); stateFromKernel also folds
    // TCP_NEW_SYN_RECV (12) into SynRecv for kernels that would report it raw.
    out.state = stateFromKernel(m.idiag_state);
    out.local = addrFromKernel(m.idiag_family, m.id.idiag_src, m.id.idiag_sport);
    out.remote = addrFromKernel(m.idiag_family, m.id.idiag_dst, m.id.idiag_dport);
    out.cookie = m.id.idiag_cookie[0] | (static_cast<std::uint64_t>(m.id.idiag_cookie[1]) << 32);
    out.inode = m.idiag_inode;
    out.uid = m.idiag_uid;
    out.rqueue = m.idiag_rqueue;
    out.wqueue = m.idiag_wqueue;
    out.timer = static_cast<DiagTimer>(m.idiag_timer); // kept as sent: see timerName
    // Milliseconds (jiffies_to_msecs() in inet_diag.c); TIME_WAIT and request sockets clamp a
    // timer that is already overdue to 0.
    out.expiresMs = m.idiag_expires;
    out.retrans = m.idiag_retrans;

    std::size_t off = NLMSG_ALIGN(sizeof(inet_diag_msg));
    while (off + NLA_HDRLEN <= len) {
        nlattr attr {};
        std::memcpy(&attr, data + off, sizeof attr);
        if (attr.nla_len < NLA_HDRLEN || attr.nla_len > len - off)
            return malformed("bad attribute length in inet_diag_msg");
        const std::uint8_t* payload = data + off + NLA_HDRLEN;
        const std::size_t payloadLen = attr.nla_len - NLA_HDRLEN;
        switch (attr.nla_type & NLA_TYPE_MASK) {
        case INET_DIAG_SHUTDOWN:
            if (payloadLen >= 1)
                out.shutdown = payload[0];
            break;
        case INET_DIAG_INFO:
            // The kernel sends its own sizeof(struct tcp_info), which may be shorter or longer
            // than ours; tcpInfoFromBytes copies what both know.
            if (payloadLen > 0)
                out.info = tcpInfoFromBytes(payload, payloadLen);
            break;
        case INET_DIAG_SKMEMINFO: {
            std::array<std::uint32_t, 9> mem {};
            const std::size_t n = std::min(payloadLen / sizeof(std::uint32_t), mem.size());
            std::memcpy(mem.data(), payload, n * sizeof(std::uint32_t));
            out.memInfo = mem;
            break;
        }
        default:
            // INET_DIAG_PAD (alignment for INET_DIAG_INFO), INET_DIAG_MARK, congestion info, ...
            break;
        }
        off += NLA_ALIGN(attr.nla_len);
    }
    return out;
}

// Throws away the rest of a dump whose framing we lost (its NLMSG_DONE may have been in the lost
// part, so waiting for it could block forever). Each non-blocking recvmsg() lets the kernel queue
// the next part, so EAGAIN means the dump has finished and the socket is ready for the next
// request (a dump still running would make the next one fail with EBUSY).
void drain(int fd, std::uint8_t* buf)
{
    for (;;) {
        if (::recv(fd, buf, kRecvBufferSize, MSG_DONTWAIT) < 0 && errno != EINTR)
            return;
    }
}

struct DumpPass {
    std::vector<DiagSocket> sockets;
    bool interrupted = false;
};

/// Reads the datagrams of one dump's reply, in order, until its NLMSG_DONE (or NLMSG_ERROR).
/// The live client and the replay of a recording both read through it.
class DumpReader {
public:
    /// Replies to (`pid`, `seq`) only; `anySender` takes the first message's pair instead (a
    /// recording was made by another socket).
    DumpReader(std::uint32_t pid, std::uint32_t seq, bool anySender = false)
        : m_pid(pid)
        , m_seq(seq)
        , m_any(anySender)
    {
    }

    /// What reading one datagram gave: nothing yet (the dump goes on), or its end.
    struct Outcome {
        bool done = false;
        bool framingLost = false; ///< the rest of the dump cannot be read: drain it
        std::optional<Result<DumpPass>> result; ///< set when done
    };

    Outcome feed(const std::uint8_t* buf, std::size_t size)
    {
        std::size_t off = 0;
        while (off + NLMSG_HDRLEN <= size) {
            nlmsghdr h {};
            std::memcpy(&h, buf + off, sizeof h);
            if (h.nlmsg_len < NLMSG_HDRLEN || h.nlmsg_len > size - off)
                return { true, true, Result<DumpPass>(malformed("bad nlmsg_len")) };
            const std::uint8_t* payload = buf + off + NLMSG_HDRLEN;
            const std::size_t payloadLen = h.nlmsg_len - NLMSG_HDRLEN;
            off += NLMSG_ALIGN(h.nlmsg_len);

            if (m_any) {
                m_pid = h.nlmsg_pid;
                m_seq = h.nlmsg_seq;
                m_any = false;
            }
            // Leftovers of an earlier, abandoned dump carry an older sequence number.
            if (h.nlmsg_pid != m_pid || h.nlmsg_seq != m_seq)
                continue;
            if (h.nlmsg_flags & NLM_F_DUMP_INTR)
                m_pass.interrupted = true;

            if (h.nlmsg_type == NLMSG_DONE) {
                // The DONE payload is the dump callback's final return value (netlink_dump_done).
                int status = 0;
                if (payloadLen >= sizeof status)
                    std::memcpy(&status, payload, sizeof status);
                if (status < 0)
                    return done(kernelError("SOCK_DIAG_BY_FAMILY dump", status));
                return finish();
            }
            if (h.nlmsg_type == NLMSG_ERROR) {
                // An error ends the dump; without NLM_F_ACK, error 0 would not be sent at all.
                nlmsgerr err {};
                if (payloadLen < sizeof err.error)
                    return done(malformed("truncated NLMSG_ERROR"));
                std::memcpy(&err.error, payload, sizeof err.error);
                if (err.error < 0)
                    return done(kernelError("SOCK_DIAG_BY_FAMILY", err.error));
                return finish();
            }
            if (h.nlmsg_type != SOCK_DIAG_BY_FAMILY)
                continue;
            // A malformed socket entry does not end the dump: the rest is read to NLMSG_DONE so
            // the kernel's dump state is finished (otherwise the next request on this socket
            // would get EBUSY), and the first problem is reported afterwards.
            auto s = parseSocket(payload, payloadLen);
            if (!s) {
                if (!m_failure)
                    m_failure = s.error();
                continue;
            }
            m_pass.sockets.push_back(std::move(*s));
        }
        return {};
    }

private:
    static Outcome done(Error e) { return { true, false, Result<DumpPass>(std::move(e)) }; }
    Outcome finish()
    {
        if (m_failure)
            return done(*m_failure);
        return { true, false, Result<DumpPass>(std::move(m_pass)) };
    }

    std::uint32_t m_pid;
    std::uint32_t m_seq;
    bool m_any;
    DumpPass m_pass;
    std::optional<Error> m_failure;
};

Result<DumpPass> dumpOnce(int fd, std::uint32_t seq, std::vector<std::uint8_t>& request,
    const std::function<void(std::span<const std::uint8_t>)>& recorder)
{
    // Our netlink port id, assigned by bind() in open(): replies to our dump carry it in nlmsg_pid.
    sockaddr_nl local {};
    socklen_t localLen = sizeof local;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &localLen) != 0)
        return errnoError("getsockname(NETLINK_SOCK_DIAG)", errno);

    nlmsghdr nlh {};
    std::memcpy(&nlh, request.data(), sizeof nlh);
    nlh.nlmsg_seq = seq;
    std::memcpy(request.data(), &nlh, sizeof nlh);

    sockaddr_nl kernel {};
    kernel.nl_family = AF_NETLINK;
    for (;;) {
        const ssize_t sent = ::sendto(
            fd, request.data(), request.size(), 0, reinterpret_cast<const sockaddr*>(&kernel), sizeof kernel);
        if (sent >= 0)
            break;
        if (errno != EINTR)
            return errnoError("sendto(NETLINK_SOCK_DIAG)", errno);
    }

    // Aligned for nlmsghdr; everything else is copied out with memcpy.
    std::vector<std::uint64_t> storage(kRecvBufferSize / sizeof(std::uint64_t));
    auto* buf = reinterpret_cast<std::uint8_t*>(storage.data());

    DumpReader reader(local.nl_pid, seq);
    for (;;) {
        sockaddr_nl from {};
        iovec iov { buf, kRecvBufferSize };
        msghdr msg {};
        msg.msg_name = &from;
        msg.msg_namelen = sizeof from;
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        const ssize_t got = ::recvmsg(fd, &msg, 0);
        if (got < 0) {
            const int err = errno;
            if (err == EINTR)
                continue;
            drain(fd, buf);
            return errnoError(kRecvCall, err);
        }
        if (got == 0)
            return Error { kRecvCall, 0, "netlink socket closed during a dump" };
        if (msg.msg_namelen != sizeof from || from.nl_pid != 0)
            continue; // not from the kernel
        if (msg.msg_flags & MSG_TRUNC) {
            drain(fd, buf);
            return Error { kRecvCall, EMSGSIZE, "netlink datagram truncated" };
        }
        if (recorder)
            recorder(std::span<const std::uint8_t>(buf, static_cast<std::size_t>(got)));
        DumpReader::Outcome out = reader.feed(buf, static_cast<std::size_t>(got));
        if (out.framingLost)
            drain(fd, buf);
        if (out.done)
            return std::move(*out.result);
    }
}

std::uint32_t readU32(std::span<const std::uint8_t> bytes, std::size_t at)
{
    std::uint32_t v = 0;
    std::memcpy(&v, bytes.data() + at, sizeof v);
    return v;
}

void appendU32(std::vector<std::uint8_t>& out, std::uint32_t v)
{
    const auto* p = reinterpret_cast<const std::uint8_t*>(&v);
    out.insert(out.end(), p, p + sizeof v);
}

constexpr std::uint32_t kRecordMagic = 0x50444453; // "SDDP" on a little-endian machine

} // namespace

std::string timerName(DiagTimer timer)
{
    switch (timer) {
    case DiagTimer::None:
        return "";
    case DiagTimer::Retransmit:
        return "retransmit";
    case DiagTimer::Keepalive:
        return "keepalive";
    case DiagTimer::TimeWait:
        return "time-wait";
    case DiagTimer::ZeroWindowProbe:
        return "probe";
    }
    return "unknown(" + std::to_string(static_cast<unsigned>(timer)) + ")";
}

std::optional<DiagTimer> timerFromName(std::string_view name)
{
    if (name.empty() || name == "none")
        return DiagTimer::None;
    for (DiagTimer t :
        { DiagTimer::Retransmit, DiagTimer::Keepalive, DiagTimer::TimeWait, DiagTimer::ZeroWindowProbe }) {
        if (timerName(t) == name)
            return t;
    }
    return std::nullopt;
}

bool isTeardownRecord(const DiagSocket& d)
{
    return d.state == TcpState::Close || d.state == TcpState::Unknown || d.local.port == 0;
}

Result<SockDiag> SockDiag::open()
{
    Fd fd(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG));
    if (!fd)
        return errnoError("socket(NETLINK_SOCK_DIAG)", errno);
    return fromFd(std::move(fd));
}

Result<SockDiag> SockDiag::fromFd(Fd fd)
{
    // Bind now (nl_pid 0: the kernel picks a unique port id) so that the id we check replies
    // against exists before the first request, instead of appearing with sendto()'s autobind.
    sockaddr_nl local {};
    local.nl_family = AF_NETLINK;
    if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&local), sizeof local) != 0)
        return errnoError("bind(NETLINK_SOCK_DIAG)", errno);
    return SockDiag(std::move(fd));
}

Result<std::vector<DiagSocket>> SockDiag::dump(int family, std::span<const std::uint16_t> localPorts)
{
    if (!m_recording)
        return dumpLive(family, localPorts);
    // One record per dump: what was asked, then every datagram of the reply (see RecordedDiag).
    std::vector<std::vector<std::uint8_t>> datagrams;
    m_recorder = [&](std::span<const std::uint8_t> d) { datagrams.emplace_back(d.begin(), d.end()); };
    auto result = dumpLive(family, localPorts);
    m_recorder = nullptr;
    std::vector<std::uint8_t> rec;
    appendU32(rec, kRecordMagic);
    appendU32(rec, static_cast<std::uint32_t>(family));
    appendU32(rec, static_cast<std::uint32_t>(localPorts.size()));
    for (std::uint16_t port : localPorts)
        appendU32(rec, port);
    appendU32(rec, static_cast<std::uint32_t>(datagrams.size()));
    for (const auto& d : datagrams) {
        appendU32(rec, static_cast<std::uint32_t>(d.size()));
        rec.insert(rec.end(), d.begin(), d.end());
    }
    m_recording(rec);
    return result;
}

Result<std::vector<DiagSocket>> SockDiag::dumpLive(int family, std::span<const std::uint16_t> localPorts)
{
    if (family != AF_INET && family != AF_INET6)
        return Error { "SockDiag::dump", EAFNOSUPPORT, "family must be AF_INET or AF_INET6" };
    if (localPorts.empty())
        return std::vector<DiagSocket> {};
    if (localPorts.size() > kMaxPorts)
        return Error { "SockDiag::dump", EINVAL,
            "at most " + std::to_string(kMaxPorts) + " local ports per dump, got "
                + std::to_string(localPorts.size()) };
    if (!m_fd)
        return errnoError("SockDiag::dump", EBADF);

    std::vector<std::uint8_t> request = buildRequest(family, localPorts);
    for (int attempt = 0; attempt < kMaxDumpAttempts; ++attempt) {
        auto pass = dumpOnce(m_fd.get(), ++m_seq, request, m_recorder);
        if (!pass)
            return pass.error();
        if (!pass->interrupted)
            return std::move(pass->sockets);
    }
    return Error { "SOCK_DIAG_BY_FAMILY dump", EINTR,
        "interrupted by concurrent changes " + std::to_string(kMaxDumpAttempts) + " times in a row" };
}

Result<std::vector<DiagSocket>> parseDiagReply(std::span<const std::vector<std::uint8_t>> datagrams)
{
    DumpReader reader(0, 0, true);
    for (const auto& datagram : datagrams) {
        // Aligned copy, as the live reader's buffer is.
        std::vector<std::uint64_t> storage((datagram.size() + 7) / 8);
        if (!datagram.empty())
            std::memcpy(storage.data(), datagram.data(), datagram.size());
        DumpReader::Outcome out = reader.feed(reinterpret_cast<const std::uint8_t*>(storage.data()), datagram.size());
        if (!out.done)
            continue;
        if (!*out.result)
            return out.result->error();
        return std::move((*out.result)->sockets);
    }
    return Error { "sock_diag reply", ENODATA, "no NLMSG_DONE" };
}

Result<RecordedDiag> RecordedDiag::fromBytes(std::vector<std::uint8_t> bytes)
{
    RecordedDiag r;
    const std::span<const std::uint8_t> all(bytes);
    std::size_t at = 0;
    auto need = [&](std::size_t n) { return all.size() - at >= n; };
    auto bad = [&](const std::string& what) {
        return Error { "recorded sock_diag replies", EBADMSG, what + " at byte " + std::to_string(at) };
    };
    while (at < all.size()) {
        if (!need(12) || readU32(all, at) != kRecordMagic)
            return bad("not a dump record");
        Dump d;
        d.family = static_cast<int>(readU32(all, at + 4));
        const std::uint32_t ports = readU32(all, at + 8);
        at += 12;
        if (ports > SockDiag::kMaxPorts || !need(4 * std::size_t(ports) + 4))
            return bad("bad port list");
        for (std::uint32_t i = 0; i < ports; ++i, at += 4)
            d.ports.push_back(static_cast<std::uint16_t>(readU32(all, at)));
        const std::uint32_t count = readU32(all, at);
        at += 4;
        for (std::uint32_t i = 0; i < count; ++i) {
            if (!need(4))
                return bad("truncated datagram length");
            const std::uint32_t len = readU32(all, at);
            at += 4;
            if (!need(len))
                return bad("truncated datagram");
            d.datagrams.emplace_back(all.begin() + static_cast<std::ptrdiff_t>(at),
                all.begin() + static_cast<std::ptrdiff_t>(at + len));
            at += len;
        }
        r.m_dumps.push_back(std::move(d));
    }
    return r;
}

Result<std::vector<DiagSocket>> RecordedDiag::dump(int family, std::span<const std::uint16_t> localPorts)
{
    if (m_next >= m_dumps.size())
        return Error { "recorded sock_diag replies", ENODATA,
            "no recorded dump left (" + std::to_string(m_dumps.size()) + " were recorded)" };
    const Dump& d = m_dumps[m_next++];
    if (d.family != family)
        return Error { "recorded sock_diag replies", EINVAL,
            "dump " + std::to_string(m_next) + " was recorded for family " + std::to_string(d.family) };
    auto reply = parseDiagReply(d.datagrams);
    if (!reply) {
        if (reply.error().err == ENODATA)
            return Error { "recorded sock_diag replies", EBADMSG, "dump " + std::to_string(m_next) + " has no NLMSG_DONE" };
        return reply.error();
    }
    // The kernel filtered by the ports it was asked for; ask again with others and the
    // replay filters the same way (by local port only, as the bytecode does).
    std::vector<DiagSocket> kept;
    for (DiagSocket& s : *reply)
        if (std::find(localPorts.begin(), localPorts.end(), s.local.port) != localPorts.end()
            || (s.local.port == 0 && std::find(d.ports.begin(), d.ports.end(), 0) == d.ports.end()))
            kept.push_back(std::move(s));
    return kept;
}

} // namespace synack
