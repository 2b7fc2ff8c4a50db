// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace synack {

/// TCP header flags (RFC 9293 3.1), as in the header's 13th byte.
enum TcpFlag : std::uint8_t {
    kFin = 0x01,
    kSyn = 0x02,
    kRst = 0x04,
    kPsh = 0x08,
    kAck = 0x10,
    kUrg = 0x20,
    kEce = 0x40,
    kCwr = 0x80,
};

/// The flags as the trace writes them: "SYN", "SYN,ACK", "FIN,PSH,ACK", "RST"; ACK always last;
/// "none" for none.
std::string tcpFlagsText(std::uint8_t flags);
/// Inverse of tcpFlagsText (any order, any case); nullopt for a word that is not a flag.
std::optional<std::uint8_t> tcpFlagsFromText(std::string_view text);

/// What a segment is to the state machine (RFC 9293 3.5-3.6), the words its diagram uses.
enum class SegmentKind : std::uint8_t {
    None,
    Syn, ///< SYN without ACK
    SynAck,
    Ack, ///< any other segment that acknowledges: a bare ACK, data
    Fin, ///< FIN (with ACK, as Linux always sends it)
    Rst,
};
/// The kind of a segment with these flags.
SegmentKind segmentKindOf(std::uint8_t flags);
/// The flags an inferred segment of this kind is drawn with: "SYN", "SYN,ACK", "ACK", "FIN,ACK", "RST".
std::uint8_t flagsOf(SegmentKind kind);

/// The TCP options of a captured segment (RFC 9293 3.1, RFC 7323, RFC 2018).
struct TcpOptions {
    std::optional<std::uint16_t> mss;
    std::optional<std::uint8_t> wscale; ///< the shift a SYN offers (RFC 7323 2.2)
    bool sackPermitted = false;
    std::optional<std::uint32_t> tsVal;
    std::optional<std::uint32_t> tsEcr;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> sack; ///< SACK blocks, [left, right)
    /// Every option in wire order as tcpdump prints them: "mss 65495,sackOK,TS val 1 ecr 0,nop,wscale 7".
    std::string text;
    bool empty() const { return text.empty() && !mss && !wscale && !sackPermitted && !tsVal && !tsEcr && sack.empty(); }
    friend bool operator==(const TcpOptions&, const TcpOptions&) = default;
};

} // namespace synack
