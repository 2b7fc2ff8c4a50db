// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>

#include "base/result.h"
#include "tcp/sockaddr.h"
#include "kernel/sockdiag.h"
#include "tcp/tcpstate.h"

namespace synack {

/// What the kernel says about one socket at one instant. -1 = not known.
struct Sample {
    bool present = false; ///< the kernel knows this socket (a descriptor, or a sock_diag entry)
    TcpState state = TcpState::Unknown;
    SockAddr local;
    SockAddr peer;
    std::uint64_t cookie = 0;
    std::int64_t recvq = -1;
    std::int64_t sendq = -1;
    std::int64_t notsent = -1;
    std::int64_t sndbuf = -1;
    std::int64_t rcvbuf = -1;
    std::int64_t sndwnd = -1;
    std::int64_t rcvwnd = -1;
    std::int64_t acceptq = -1;
    std::int64_t backlog = -1;
    std::int64_t segsOut = -1;
    std::int64_t segsIn = -1;
    std::int64_t retrans = -1;
    std::int64_t bytesSent = -1; ///< tcpi_bytes_sent: payload bytes sent, retransmissions included
    DiagTimer timer = DiagTimer::None;
    std::int64_t timerMs = 0;
    std::int64_t timerRetrans = 0;
    int shutdown = -1; ///< bit 0 RCV_SHUTDOWN, bit 1 SEND_SHUTDOWN; -1 unknown
    bool fromDescriptor = false; ///< read through our own descriptor (else sock_diag only)
};

/// Reads a socket we hold: TCP_INFO, SIOCINQ/SIOCOUTQ/SIOCOUTQNSD, SO_SNDBUF/SO_RCVBUF, SO_COOKIE,
/// getsockname/getpeername. Listener queues come from tcpi_unacked/tcpi_sacked.
Result<Sample> probeDescriptor(int fd);

/// What sock_diag says about a socket (used when we hold no descriptor, and for timers and shutdown).
Sample sampleFromDiag(const DiagSocket& d);

/// Adds what only sock_diag knows (timer, shutdown) to a descriptor's sample.
void mergeDiag(Sample& s, const DiagSocket& d);

} // namespace synack
