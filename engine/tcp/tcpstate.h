// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "tcp/segment.h"

namespace synack {

/// TCP states in the kernel's own order and numbering (include/net/tcp_states.h).
enum class TcpState : std::uint8_t {
    Unknown = 0,
    Established = 1,
    SynSent = 2,
    SynRecv = 3,
    FinWait1 = 4,
    FinWait2 = 5,
    TimeWait = 6,
    Close = 7,
    CloseWait = 8,
    LastAck = 9,
    Listen = 10,
    Closing = 11,
    NewSynRecv = 12, ///< a request socket; reported to users as SYN_RECV
};

/// The kernel's name without "TCP_": "ESTABLISHED", "SYN_SENT", ... ("UNKNOWN" for 0 or out of range).
std::string_view stateName(TcpState state);
/// Inverse of stateName (case-insensitive; "CLOSED" is accepted for CLOSE). NEW_SYN_RECV maps to SYN_RECV.
std::optional<TcpState> stateFromName(std::string_view name);
/// Kernel number (tcpi_state / idiag_state) to state; request sockets fold into SynRecv.
TcpState stateFromKernel(unsigned value);

/// The eleven states of the RFC 9293 diagram, in the kernel's order.
inline constexpr TcpState kRfcStates[] = {
    TcpState::Established, TcpState::SynSent, TcpState::SynRecv, TcpState::FinWait1, TcpState::FinWait2,
    TcpState::TimeWait, TcpState::Close, TcpState::CloseWait, TcpState::LastAck, TcpState::Listen, TcpState::Closing,
};

/// One move of the RFC 9293 state diagram (figure 5): what triggers it, what it receives and
/// what it sends. The one table of the diagram: inference fills gaps along it, the diagram view
/// draws exactly these edges, and tests check both against it.
struct RfcEdge {
    TcpState from;
    TcpState to;
    SegmentKind receives; ///< the segment that causes it, None for a call or a timer
    SegmentKind sends; ///< the segment it sends, None for nothing
    /// Part of a graceful exchange, so a path between two sampled states may run along it. Not so
    /// close() on a listener or in SYN_SENT: they are taken only when the sampler sees them.
    bool inferable;
};

inline constexpr RfcEdge kRfcEdges[] = {
    { TcpState::Close, TcpState::SynSent, SegmentKind::None, SegmentKind::Syn, true }, // connect()
    { TcpState::Close, TcpState::Listen, SegmentKind::None, SegmentKind::None, true }, // listen()
    { TcpState::Listen, TcpState::SynRecv, SegmentKind::Syn, SegmentKind::SynAck, true },
    { TcpState::SynSent, TcpState::Established, SegmentKind::SynAck, SegmentKind::Ack, true },
    { TcpState::SynRecv, TcpState::Established, SegmentKind::Ack, SegmentKind::None, true },
    { TcpState::SynSent, TcpState::SynRecv, SegmentKind::Syn, SegmentKind::SynAck, true }, // simultaneous open
    { TcpState::SynRecv, TcpState::FinWait1, SegmentKind::None, SegmentKind::Fin, true }, // close()
    { TcpState::Established, TcpState::FinWait1, SegmentKind::None, SegmentKind::Fin, true }, // close()
    { TcpState::Established, TcpState::CloseWait, SegmentKind::Fin, SegmentKind::Ack, true },
    { TcpState::FinWait1, TcpState::FinWait2, SegmentKind::Ack, SegmentKind::None, true },
    { TcpState::FinWait1, TcpState::Closing, SegmentKind::Fin, SegmentKind::Ack, true }, // simultaneous close
    { TcpState::FinWait1, TcpState::TimeWait, SegmentKind::Fin, SegmentKind::Ack, true }, // FIN,ACK together
    { TcpState::FinWait2, TcpState::TimeWait, SegmentKind::Fin, SegmentKind::Ack, true },
    { TcpState::Closing, TcpState::TimeWait, SegmentKind::Ack, SegmentKind::None, true },
    { TcpState::CloseWait, TcpState::LastAck, SegmentKind::None, SegmentKind::Fin, true }, // close()
    { TcpState::LastAck, TcpState::Close, SegmentKind::Ack, SegmentKind::None, true },
    { TcpState::TimeWait, TcpState::Close, SegmentKind::None, SegmentKind::None, true }, // 2MSL timeout
    { TcpState::Listen, TcpState::Close, SegmentKind::None, SegmentKind::None, false }, // close()
    { TcpState::SynSent, TcpState::Close, SegmentKind::None, SegmentKind::None, false }, // close(), timeout or RST
};

/// The edge from `from` to `to`, or null.
const RfcEdge* rfcEdge(TcpState from, TcpState to);

/// True when the diagram (plus Linux's abort to CLOSE from any state) has a direct edge from
/// `from` to `to`.
bool isDirectTransition(TcpState from, TcpState to);

/// The states strictly between `from` and `to` on the shortest path a graceful exchange takes
/// (inferable edges, in table order); empty when there is none. A passive opening (a connection
/// a listener made) starts at LISTEN and never passes SYN_SENT.
std::vector<TcpState> rfcPath(TcpState from, TcpState to, bool passiveOpen);

/// A kernel timer as a learner should call it. The kernel reports five kinds in idiag_timer
/// (inet_diag.c); two of them also serve an orphan in FIN_WAIT2: its timewait socket's timer, or
/// the keepalive timer when tcp_fin_timeout is longer than TIME_WAIT (tcp_set_keepalive's
/// neighbour in tcp_rcv_state_process). That one is the FIN_WAIT2 timer (tcp_fin_timeout), not
/// TIME_WAIT's, and is named so.
enum class TimerKind : std::uint8_t {
    None,
    Retransmit,
    Keepalive,
    TimeWait,
    Probe, ///< the zero-window probe timer
    FinWait2, ///< an orphan's FIN_WAIT2 timeout (tcp_fin_timeout)
    Unknown, ///< a value this program does not know (a newer kernel's); shown with its number
};

/// "none", "retransmit", "keepalive", "time-wait", "probe", "fin-wait2", "unknown".
std::string_view timerKindName(TimerKind kind);
/// Inverse of timerKindName for the kinds a scenario may expect ("unknown" is not one of them).
std::optional<TimerKind> timerKindFromName(std::string_view name);
/// The kind of the kernel's idiag_timer `raw` on a socket in `state`; `orphan` when no
/// application holds it any more.
TimerKind timerKindOf(unsigned raw, TcpState state, bool orphan);

} // namespace synack
