// SPDX-License-Identifier: GPL-3.0-or-later
#include "tcp/tcpstate.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <deque>
#include <map>
#include <string>

namespace synack {

namespace {
    // One table from number to name, as ss.c keeps it.
    constexpr std::array<std::string_view, 13> kNames = {
        "UNKNOWN",
        "ESTABLISHED",
        "SYN_SENT",
        "SYN_RECV",
        "FIN_WAIT1",
        "FIN_WAIT2",
        "TIME_WAIT",
        "CLOSE",
        "CLOSE_WAIT",
        "LAST_ACK",
        "LISTEN",
        "CLOSING",
        "NEW_SYN_RECV",
    };
}

std::string_view stateName(TcpState state)
{
    const auto i = static_cast<std::size_t>(state);
    if (state == TcpState::NewSynRecv)
        return kNames[static_cast<std::size_t>(TcpState::SynRecv)];
    return i < kNames.size() ? kNames[i] : kNames[0];
}

std::optional<TcpState> stateFromName(std::string_view name)
{
    std::string upper(name);
    std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
    std::replace(upper.begin(), upper.end(), '-', '_');
    if (upper.rfind("TCP_", 0) == 0)
        upper.erase(0, 4);
    if (upper == "CLOSED")
        return TcpState::Close;
    // RFC 9293's spellings (SYN-RECEIVED, FIN-WAIT-1) and the BSD abbreviation SYN-RCVD.
    if (upper == "SYN_RECEIVED" || upper == "SYN_RCVD")
        return TcpState::SynRecv;
    if (upper == "FIN_WAIT_1")
        return TcpState::FinWait1;
    if (upper == "FIN_WAIT_2")
        return TcpState::FinWait2;
    for (std::size_t i = 1; i < kNames.size(); ++i) {
        if (kNames[i] == upper)
            return i == static_cast<std::size_t>(TcpState::NewSynRecv) ? TcpState::SynRecv : static_cast<TcpState>(i);
    }
    return std::nullopt;
}

TcpState stateFromKernel(unsigned value)
{
    if (value == static_cast<unsigned>(TcpState::NewSynRecv))
        return TcpState::SynRecv;
    if (value == 0 || value > static_cast<unsigned>(TcpState::Closing))
        return TcpState::Unknown;
    return static_cast<TcpState>(value);
}

const RfcEdge* rfcEdge(TcpState from, TcpState to)
{
    for (const RfcEdge& e : kRfcEdges)
        if (e.from == from && e.to == to)
            return &e;
    return nullptr;
}

bool isDirectTransition(TcpState from, TcpState to)
{
    // Linux can abort a connection from any state straight to CLOSE (RST, tcp_disconnect, timeouts).
    return from == to || to == TcpState::Close || rfcEdge(from, to) != nullptr;
}

std::vector<TcpState> rfcPath(TcpState from, TcpState to, bool passiveOpen)
{
    using S = TcpState;
    if (from == S::Close && passiveOpen)
        from = S::Listen; // an accepted connection's server half was born of a listener
    // Breadth first over the inferable edges, in table order.
    std::map<S, S> prev;
    std::deque<S> queue { from };
    prev[from] = from;
    while (!queue.empty()) {
        const S s = queue.front();
        queue.pop_front();
        if (s == to)
            break;
        for (const RfcEdge& e : kRfcEdges) {
            if (!e.inferable || e.from != s || prev.count(e.to))
                continue;
            if (passiveOpen && e.to == S::SynSent)
                continue; // a passive connection does not go through SYN_SENT
            prev[e.to] = s;
            queue.push_back(e.to);
        }
    }
    if (!prev.count(to))
        return {};
    std::vector<S> path;
    for (S s = prev[to]; s != from; s = prev[s])
        path.push_back(s);
    std::reverse(path.begin(), path.end());
    if (passiveOpen && from == S::Listen && !path.empty() && path.front() == S::Listen)
        path.erase(path.begin());
    return path;
}

namespace {
    constexpr std::array<std::string_view, 7> kTimerKinds = {
        "none", "retransmit", "keepalive", "time-wait", "probe", "fin-wait2", "unknown",
    };
}

std::string_view timerKindName(TimerKind kind)
{
    const auto i = static_cast<std::size_t>(kind);
    return i < kTimerKinds.size() ? kTimerKinds[i] : kTimerKinds.back();
}

std::optional<TimerKind> timerKindFromName(std::string_view name)
{
    for (std::size_t i = 0; i + 1 < kTimerKinds.size(); ++i)
        if (kTimerKinds[i] == name)
            return static_cast<TimerKind>(i);
    return std::nullopt;
}

TimerKind timerKindOf(unsigned raw, TcpState state, bool orphan)
{
    // idiag_timer (net/ipv4/inet_diag.c): 0 none, 1 retransmit (and the loss probe and reorder
    // timers), 2 sk_timer (keepalive, SYN-ACK, FIN_WAIT2), 3 timewait socket, 4 zero-window probe.
    switch (raw) {
    case 0:
        return TimerKind::None;
    case 1:
        return TimerKind::Retransmit;
    case 2:
        return state == TcpState::FinWait2 && orphan ? TimerKind::FinWait2 : TimerKind::Keepalive;
    case 3:
        return state == TcpState::FinWait2 ? TimerKind::FinWait2 : TimerKind::TimeWait;
    case 4:
        return TimerKind::Probe;
    default:
        return TimerKind::Unknown;
    }
}

} // namespace synack
