// SPDX-License-Identifier: GPL-3.0-or-later
#include "run/wire.h"

#include <algorithm>
#include <cstdio>

namespace synack {

namespace {
    bool seqBefore(std::uint32_t a, std::uint32_t b) { return static_cast<std::int32_t>(a - b) < 0; }
}

std::string WireClassifier::what(const DecodedSegment& seg)
{
    // In the words of the cause of the segment that answers it: "SYN", "SYN,ACK", "RST", "FIN",
    // "data" or "ACK".
    if (seg.flags & kSyn)
        return tcpFlagsText(seg.flags & (kSyn | kAck));
    if (seg.flags & kRst)
        return "RST";
    if (seg.flags & kFin)
        return "FIN";
    return seg.payload > 0 ? "data" : "ACK";
}

void WireClassifier::delivered(const DecodedSegment& seg, std::int64_t wireNs)
{
    const std::string a = seg.src.toString(), b = seg.dst.toString();
    const bool srcFirst = a < b;
    auto it = m_connections.find(srcFirst ? std::make_pair(a, b) : std::make_pair(b, a));
    if (it == m_connections.end())
        return;
    Side& s = it->second.side[srcFirst ? 0 : 1];
    if (seg.payload > 0 || (seg.flags & kFin))
        s.lastNewNs = wireNs;
}

std::optional<std::uint32_t> WireClassifier::relativeSeq(const DecodedSegment& seg) const
{
    const std::string a = seg.src.toString(), b = seg.dst.toString();
    const bool srcFirst = a < b;
    auto it = m_connections.find(srcFirst ? std::make_pair(a, b) : std::make_pair(b, a));
    if (it == m_connections.end() || !it->second.side[srcFirst ? 0 : 1].isn)
        return std::nullopt;
    return seg.seq - *it->second.side[srcFirst ? 0 : 1].isn;
}

std::string WireClassifier::retransmission(Side& s, std::uint32_t seq, std::int64_t wireNs)
{
    // The first transmission that covers seq: the greatest start at or before it.
    auto it = s.firstSent.upper_bound(seq);
    if (it == s.firstSent.begin())
        return "retransmission";
    --it;
    const int n = ++it->second.second;
    const double seconds = static_cast<double>(wireNs - it->second.first) / 1e9;
    char since[32];
    std::snprintf(since, sizeof since, seconds < 10 ? "%.1f" : "%.0f", seconds);
    return "retransmission " + std::to_string(n) + ", +" + since + " s";
}

std::string WireClassifier::causeOf(const DecodedSegment& seg, const Side& s, const Side& r, std::uint32_t segLen,
    std::int64_t wireNs, const std::string& sender, std::string& probe) const
{
    const bool syn = seg.flags & kSyn, rst = seg.flags & kRst, ack = seg.flags & kAck;
    if (s.sent && segLen > 0 && !seqBefore(s.sentEnd, seg.seq + segLen))
        return "retransmission";
    const std::uint32_t acked = r.ackSent ? *r.ackSent : s.sentEnd;
    if (s.sent && segLen == 0 && seg.flags == kAck && seg.seq == acked - 1) {
        probe = r.window && *r.window == 0 ? "window probe" : "keepalive probe";
        return probe;
    }
    if (segLen == 0 && !rst && ack && !r.probe.empty())
        return "answers " + r.probe;
    if (syn && ack)
        return "answers SYN";
    if (segLen > 0 || rst) {
        const std::string call = m_callOf(sender);
        if (!call.empty())
            return call;
        if (rst && s.probe == "keepalive probe")
            return "keepalive gave up: its probes went unanswered";
        if (rst)
            return r.lastWhat.empty() ? std::string("reset") : "answers " + r.lastWhat;
        return "queued by an earlier call";
    }
    const bool acksNew = ack && (!s.ackSent || seqBefore(*s.ackSent, seg.ack));
    if (!acksNew && !seg.options.sack.empty() && r.isn) {
        // Blocks in the data sender's numbers, from 1 like seq: the first below the ACK is a
        // D-SACK (RFC 2883: data that arrived twice), the others say what arrived past a hole.
        const auto [left, right] = seg.options.sack.front();
        const std::string block = std::to_string(left - *r.isn) + "-" + std::to_string(right - *r.isn);
        if (!seqBefore(seg.ack, right))
            return "duplicate ACK, D-SACK " + block + ": those bytes arrived twice";
        return "duplicate ACK, SACK " + block + ": they arrived past a hole";
    }
    if (acksNew) {
        if (r.lastNewNs >= 0 && wireNs - r.lastNewNs >= kDelayedAckNs)
            return "delayed ACK";
        return r.lastWhat.empty() ? std::string("ACK") : "answers " + r.lastWhat;
    }
    if (m_callOf(sender) == "recv")
        return "window update after recv";
    return s.window && s.synSeen && r.synSeen ? "window update or duplicate ACK" : "ACK";
}

WireSegment WireClassifier::classify(const DecodedSegment& seg, std::int64_t wireNs, std::int64_t frame, bool gateCopy)
{
    const std::string a = seg.src.toString(), b = seg.dst.toString();
    const bool srcFirst = a < b;
    Connection& conn = m_connections[srcFirst ? std::make_pair(a, b) : std::make_pair(b, a)];
    const bool syn = seg.flags & kSyn, fin = seg.flags & kFin, rst = seg.flags & kRst, ack = seg.flags & kAck;
    // A copy the gate made is no one's transmission: it is described, and leaves no trace here.
    std::optional<Connection> before;
    if (gateCopy)
        before = conn;
    Side& s = conn.side[srcFirst ? 0 : 1];
    Side& r = conn.side[srcFirst ? 1 : 0];
    // A SYN with a new ISN opens a new connection on this 4-tuple (an old one in TIME_WAIT may
    // be reused): forget the old one.
    if (syn && !ack && !(s.synSeen && s.isn == seg.seq))
        conn = Connection {};

    SegmentEvent e;
    e.from = m_nameOf(seg.src, seg.dst);
    e.to = m_nameOf(seg.dst, seg.src);
    const std::uint32_t segLen = seg.payload + (syn ? 1 : 0) + (fin ? 1 : 0);
    std::string probe;
    e.cause = causeOf(seg, s, r, segLen, wireNs, e.from, probe);
    if (e.cause == "retransmission")
        e.cause = retransmission(s, seg.seq, wireNs);
    else if (segLen > 0 && !(s.sent && !seqBefore(s.sentEnd, seg.seq + segLen)))
        s.firstSent.emplace(seg.seq, std::make_pair(wireNs, 0));
    if (e.cause.rfind("answers ", 0) == 0 && e.cause.find("probe") != std::string::npos)
        r.probe.clear();
    if (!probe.empty())
        s.probe = probe;

    if (syn) {
        s.synSeen = true;
        s.isn = seg.seq;
        s.wscaleOffered = seg.options.wscale;
    }
    const std::uint32_t end = seg.seq + segLen;
    if (!s.sent || seqBefore(s.sentEnd, end)) {
        if (seg.payload > 0 || fin)
            s.lastNewNs = wireNs;
        s.sentEnd = end;
    }
    s.sent = true;
    if (ack && (!s.ackSent || seqBefore(*s.ackSent, seg.ack)))
        s.ackSent = seg.ack;

    // RFC 7323 2.2: a SYN's window is never scaled; after the handshake each side's window is
    // shifted by the scale it offered, if both offered one (at most 14, 2.3).
    if (syn) {
        e.window = seg.window;
        e.wscale = 0;
    } else if (s.synSeen && r.synSeen) {
        e.wscale = s.wscaleOffered && r.wscaleOffered ? std::min<int>(*s.wscaleOffered, 14) : 0;
        e.window = static_cast<std::uint32_t>(seg.window) << e.wscale;
    }
    if (e.window && !rst)
        s.window = e.window;
    s.lastWhat = what(seg);

    e.flags = seg.flags;
    e.seq = seg.seq;
    if (ack)
        e.ack = seg.ack;
    if (s.isn)
        e.relSeq = seg.seq - *s.isn;
    if (ack && r.isn)
        e.relAck = seg.ack - *r.isn;
    e.rawWindow = seg.window;
    e.length = seg.payload;
    e.source = Source::Capture;
    e.options = seg.options;
    e.wireNs = wireNs;
    e.frame = frame;
    if (before) {
        conn = std::move(*before);
        e.cause = "a copy made by the gate";
    }
    return WireSegment { std::move(e), seg.src, seg.dst };
}

} // namespace synack
