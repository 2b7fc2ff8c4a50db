// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "lab/capture.h"
#include "run/ordering.h"

namespace synack {

/// Names, numbers and explains each segment the lab captured, from what its connection sent
/// before: sequence numbers relative to each side's ISN, the window scaled as the SYNs agreed
/// (RFC 7323), and a cause. Pure: it sees only the segments it is given, in wire order.
class WireClassifier {
public:
    /// Who sent a segment between two addresses (an endpoint's name, or the address).
    using NameOf = std::function<std::string(const SockAddr& from, const SockAddr& to)>;
    /// The call that made an endpoint send, "" when none (see causes below).
    using CallOf = std::function<std::string(const std::string& sender)>;

    WireClassifier(NameOf nameOf, CallOf callOf)
        : m_nameOf(std::move(nameOf))
        , m_callOf(std::move(callOf))
    {
    }

    /// The segment as the trace records it, captured at `wireNs` (the run's clock), frame `frame`
    /// of the run's pcap. Causes (documented heuristics):
    /// - retransmission: its sequence range was sent already;
    /// - keepalive / window probe: no data, seq one below what the peer has acknowledged (how
    ///   tcp_xmit_probe_skb() makes the peer answer); a window probe when the peer's last window
    ///   was 0; the peer's next bare ACK "answers" it;
    /// - SYN,ACK answers SYN;
    /// - new data, FIN or RST: the call that sent it, else for RST "answers" the peer's last
    ///   segment, else data queued by an earlier call;
    /// - a bare ACK of new data: "delayed ACK" when it left kDelayedAckNs or more after the data,
    ///   else "answers" the segment it acknowledges; an ACK of nothing new is a window update
    ///   (after recv) or a duplicate ACK.
    WireSegment classify(const DecodedSegment& seg, std::int64_t wireNs, std::int64_t frame, bool gateCopy = false);

    /// Linux delays an ACK by at least TCP_DELACK_MIN (40 ms); an ACK it sends at once leaves
    /// within microseconds on lo. Half the minimum separates the two with room to spare.
    static constexpr std::int64_t kDelayedAckNs = 20'000'000;

private:
    /// One direction of a connection, as the capture has seen it so far.
    struct Side {
        std::optional<std::uint32_t> isn; ///< its SYN's seq
        std::optional<std::uint8_t> wscaleOffered; ///< its SYN's window scale option
        bool synSeen = false;
        bool sent = false;
        std::uint32_t sentEnd = 0; ///< highest seq + length sent, SYN and FIN counting one
        std::optional<std::uint32_t> ackSent; ///< highest ack it sent
        std::optional<std::uint32_t> window; ///< the last window it advertised, in bytes
        std::int64_t lastNewNs = -1; ///< wire time of its last segment with new data or FIN
        std::string lastWhat; ///< what its last segment was, for "answers ...": see what()
        std::string probe; ///< "keepalive probe" or "window probe" it sent, not answered yet
        /// Each first transmission by its seq: its wire time and how often it was sent again.
        std::map<std::uint32_t, std::pair<std::int64_t, int>> firstSent;
    };
    struct Connection {
        Side side[2]; ///< [0] is the address that sorts first
    };

    static std::string what(const DecodedSegment& seg);
public:
    /// A segment held at the gate reached its receiver only now: what answers it is timed from here
    /// (an ACK sent at once is not a delayed ACK because the segment waited at the gate).
    void delivered(const DecodedSegment& seg, std::int64_t wireNs);
    /// seq counted from its sender's SYN (1 = the first data byte), when that SYN was seen.
    std::optional<std::uint32_t> relativeSeq(const DecodedSegment& seg) const;
private:
    /// "retransmission 2, +3 s": which retransmission of the segment at `seq` this is, and how
    /// long after the first transmission.
    static std::string retransmission(Side& s, std::uint32_t seq, std::int64_t wireNs);
    std::string causeOf(const DecodedSegment& seg, const Side& s, const Side& r, std::uint32_t segLen,
        std::int64_t wireNs, const std::string& sender, std::string& probe) const;

    NameOf m_nameOf;
    CallOf m_callOf;
    std::map<std::pair<std::string, std::string>, Connection> m_connections;
};

} // namespace synack
