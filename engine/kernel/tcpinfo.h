// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <cstdint>

#include "base/result.h"

namespace synack {

/// struct tcp_info as of Linux 6.7 (include/uapi/linux/tcp.h). We ship our own copy because
/// distribution headers lag the running kernel. The kernel copies min(our size, its size) bytes;
/// `length` says how many it filled, and the rest stays zero (an older kernel simply knows less).
struct TcpInfo {
    std::uint8_t state;
    std::uint8_t caState;
    std::uint8_t retransmits;
    std::uint8_t probes;
    std::uint8_t backoff;
    std::uint8_t options;
    std::uint8_t wscale; ///< low nibble: snd_wscale, high nibble: rcv_wscale
    std::uint8_t flags;

    std::uint32_t rto;
    std::uint32_t ato;
    std::uint32_t sndMss;
    std::uint32_t rcvMss;

    std::uint32_t unacked; ///< for a listener: the accept queue's length
    std::uint32_t sacked; ///< for a listener: the backlog (accept queue capacity)
    std::uint32_t lost;
    std::uint32_t retrans;
    std::uint32_t fackets;

    std::uint32_t lastDataSent;
    std::uint32_t lastAckSent;
    std::uint32_t lastDataRecv;
    std::uint32_t lastAckRecv;

    std::uint32_t pmtu;
    std::uint32_t rcvSsthresh;
    std::uint32_t rtt;
    std::uint32_t rttvar;
    std::uint32_t sndSsthresh;
    std::uint32_t sndCwnd;
    std::uint32_t advmss;
    std::uint32_t reordering;

    std::uint32_t rcvRtt;
    std::uint32_t rcvSpace;

    std::uint32_t totalRetrans;

    std::uint64_t pacingRate;
    std::uint64_t maxPacingRate;
    std::uint64_t bytesAcked;
    std::uint64_t bytesReceived;
    std::uint32_t segsOut;
    std::uint32_t segsIn;

    std::uint32_t notsentBytes;
    std::uint32_t minRtt;
    std::uint32_t dataSegsIn;
    std::uint32_t dataSegsOut;

    std::uint64_t deliveryRate;

    std::uint64_t busyTime;
    std::uint64_t rwndLimited;
    std::uint64_t sndbufLimited;

    std::uint32_t delivered;
    std::uint32_t deliveredCe;

    std::uint64_t bytesSent;
    std::uint64_t bytesRetrans;
    std::uint32_t dsackDups;
    std::uint32_t reordSeen;

    std::uint32_t rcvOoopack;

    std::uint32_t sndWnd; ///< peer's advertised window, scaled (Linux 5.4)
    std::uint32_t rcvWnd; ///< our advertised window, scaled (Linux 6.2)
    std::uint32_t rehash;
    std::uint16_t totalRto;
    std::uint16_t totalRtoRecoveries;
    std::uint32_t totalRtoTime;
};

/// A TcpInfo and how many bytes of it the kernel filled.
struct TcpInfoReading {
    TcpInfo info {};
    std::size_t length = 0;

    /// True when the kernel filled the field that ends at `endOffset` (use offsetof + sizeof).
    bool has(std::size_t endOffset) const { return length >= endOffset; }
    bool hasSndWnd() const { return has(offsetof(TcpInfo, sndWnd) + sizeof(std::uint32_t)); }
    bool hasRcvWnd() const { return has(offsetof(TcpInfo, rcvWnd) + sizeof(std::uint32_t)); }
};

/// getsockopt(TCP_INFO) on a descriptor; zero-fills what an older kernel does not know.
Result<TcpInfoReading> readTcpInfo(int fd);

/// Zero-fills and copies a tcp_info blob of any length (as sock_diag's INET_DIAG_INFO delivers it).
TcpInfoReading tcpInfoFromBytes(const void* data, std::size_t length);

} // namespace synack
