// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

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

/// True when RFC 9293 (plus Linux's abort to CLOSE from any state) has a direct edge from `from` to `to`.
bool isDirectTransition(TcpState from, TcpState to);

} // namespace synack
