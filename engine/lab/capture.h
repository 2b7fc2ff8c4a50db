// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/fd.h"
#include "base/result.h"
#include "tcp/sockaddr.h"
#include "tcp/segment.h"

namespace synack {

/// One packet read from the lab's lo: kept whole (up to the snap length) for the pcap, decoded
/// for the trace.
struct CapturedPacket {
    std::int64_t monoNs = 0; ///< CLOCK_MONOTONIC (std::chrono::steady_clock) when it passed lo
    std::int64_t realNs = 0; ///< CLOCK_REALTIME as the kernel stamped it: the pcap's timestamp
    std::uint32_t length = 0; ///< the whole packet's length, IP header included
    std::vector<std::uint8_t> bytes; ///< the IP packet from its first byte, cut at Capture::kSnapLen
};

/// A TCP segment's header, decoded from an IPv4 or IPv6 packet.
struct DecodedSegment {
    SockAddr src;
    SockAddr dst;
    std::uint32_t seq = 0;
    std::uint32_t ack = 0;
    std::uint8_t flags = 0;
    std::uint16_t window = 0; ///< the raw 16-bit field
    std::uint32_t payload = 0; ///< payload bytes, from the IP header's lengths (not the snap)
    TcpOptions options;
};

/// Decodes an IP packet carrying TCP from its first `size` bytes; `wireLength` is the whole
/// packet's length (used only when the IP header says 0: a BIG TCP GSO packet over 64 KiB).
/// nullopt for anything else (ICMP, UDP, a header cut short).
std::optional<DecodedSegment> decodeSegment(const std::uint8_t* data, std::size_t size, std::size_t wireLength);

std::optional<DecodedSegment> decodeSegment(const CapturedPacket& packet);

/// Reads every packet on the lab's lo from an AF_PACKET socket through a TPACKET_V2 receive ring.
///
/// Why a ring: the kernel charges a packet socket's receive buffer with each packet's whole
/// skb, and loopback TCP sends 64 KiB GSO packets, so an ordinary socket (rmem_max, ~200 KiB)
/// drops packets of a bulk send between two drains. A ring copies only kSnapLen bytes of each
/// packet into 8192 frames, however big the packet is.
///
/// Time: the kernel stamps each frame with CLOCK_REALTIME as the packet passes the tap (the
/// fallback of tpacket_rcv(): no SO_TIMESTAMPING needed). The trace's clock is CLOCK_MONOTONIC,
/// so open() measures the offset between the two clocks once and drain() subtracts it. A reading
/// of CLOCK_MONOTONIC at drain time would be simpler but up to a sampling interval late, and
/// would give a whole handshake one instant; the kernel's stamp keeps the microseconds between
/// segments. A wall clock step during a run would shift stamps: drain() clamps each one between
/// the previous packet's and the read time, so order and causality hold regardless.
class Capture {
public:
    /// Bytes kept of each packet: IP and TCP headers with all options (at most 120 bytes) and the
    /// first bytes of payload. The pcap records each packet's whole length as well.
    static constexpr std::size_t kSnapLen = 432;

    /// Sets up the ring on a packet socket (Lab::packetSocketOnLo()).
    static Result<Capture> open(Fd packetSocket);

    Capture(Capture&& other) noexcept;
    Capture& operator=(Capture&& other) noexcept;
    Capture(const Capture&) = delete;
    Capture& operator=(const Capture&) = delete;
    ~Capture();

    /// Every packet that passed lo since the last call, in order. Never blocks. Loopback packets
    /// pass the tap twice (sent, then received); only the received copy is kept, as libpcap does,
    /// so each segment is seen once.
    std::vector<CapturedPacket> drain();

    /// Packets the kernel could not put in the ring because it was full (cumulative).
    std::uint64_t dropped();

private:
    Capture() = default;
    void release();
    Fd m_fd;
    void* m_ring = nullptr;
    std::size_t m_ringSize = 0;
    unsigned m_frameSize = 0;
    unsigned m_frameCount = 0;
    unsigned m_next = 0;
    std::int64_t m_realMinusMono = 0;
    std::int64_t m_lastMono = 0;
    std::uint64_t m_drops = 0;
};

/// CLOCK_MONOTONIC now, in nanoseconds: the clock of steady_clock and of CapturedPacket::monoNs.
std::int64_t monotonicNowNs();

} // namespace synack
