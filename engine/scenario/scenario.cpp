// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenario/scenario.h"

#include <array>

namespace synack {

namespace {
// The tables are indexed by the enums' values, so their order must follow the declarations.
constexpr std::array<std::string_view, 13> kOptionNames = { "reuseaddr", "linger", "keepalive", "keepidle", "keepintvl",
    "keepcnt", "sndbuf", "rcvbuf", "defer-accept", "nodelay", "nonblock", "user-timeout", "syncnt" };

constexpr std::array<std::string_view, 19> kQuantityNames = { "state", "errno", "result", "recvq", "sendq", "notsent",
    "acceptq", "sndbuf", "rcvbuf", "timer", "timer-ms", "segs-out", "segs-in", "retrans", "shutdown", "blocked",
    "peer-state", "held", "next" };

constexpr std::array<std::string_view, 10> kGateActionNames = { "hold", "pass", "cut", "mend", "lose", "deliver", "drop",
    "duplicate", "wait", "delay" };

constexpr std::array<std::string_view, 6> kCompareOps = { "==", "!=", "<", "<=", ">", ">=" };

constexpr std::array<std::string_view, 15> kStepKindNames = { "socket", "set", "bind", "listen", "connect", "accept",
    "send", "recv", "shutdown", "close", "wait", "wait-state", "expect", "gate", "sysctl" };

constexpr std::array<std::string_view, 3> kNeedsNames = { "any", "lab", "wire" };

template <std::size_t N> std::string_view lookup(const std::array<std::string_view, N>& table, std::size_t i)
{
    return i < N ? table[i] : std::string_view {};
}

template <class E, std::size_t N>
std::optional<E> reverseLookup(const std::array<std::string_view, N>& table, std::string_view name)
{
    for (std::size_t i = 0; i < N; ++i) {
        if (table[i] == name)
            return static_cast<E>(i);
    }
    return std::nullopt;
}
}

std::string_view optionName(SockOption option)
{
    return lookup(kOptionNames, static_cast<std::size_t>(option));
}

std::optional<SockOption> optionFromName(std::string_view name)
{
    return reverseLookup<SockOption>(kOptionNames, name);
}

std::string_view quantityName(Quantity q)
{
    return lookup(kQuantityNames, static_cast<std::size_t>(q));
}

std::optional<Quantity> quantityFromName(std::string_view name)
{
    return reverseLookup<Quantity>(kQuantityNames, name);
}

std::string_view compareOpText(CompareOp op)
{
    return lookup(kCompareOps, static_cast<std::size_t>(op));
}

std::string_view stepKindName(StepKind kind)
{
    return lookup(kStepKindNames, static_cast<std::size_t>(kind));
}

std::string_view gateActionName(GateAction a)
{
    return lookup(kGateActionNames, static_cast<std::size_t>(a));
}

std::string_view needsName(Needs n)
{
    return lookup(kNeedsNames, static_cast<std::size_t>(n));
}

std::string Diagnostic::toString() const
{
    // Problems with the whole file (it cannot be read) have no position; "file:0:0:" would send an
    // editor to a line that does not exist.
    std::string out = file;
    if (pos.line > 0) {
        out += ':' + std::to_string(pos.line);
        if (pos.column > 0)
            out += ':' + std::to_string(pos.column);
    }
    out += ": ";
    out += message;
    return out;
}

std::string Scenario::text(const std::map<std::string, std::string>& field, std::string_view lang) const
{
    if (auto it = field.find(std::string(lang)); it != field.end() && !it->second.empty())
        return it->second;
    if (auto it = field.find("en"); it != field.end())
        return it->second;
    return {};
}

} // namespace synack
