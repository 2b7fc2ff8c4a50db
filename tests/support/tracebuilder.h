// SPDX-License-Identifier: GPL-3.0-or-later
// Traces built from text for view and model tests, which need no kernel: the words are the
// trace's own ("SYN_SENT", "SYN,ACK", "blocked"), turned into its types here.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "trace/trace.h"

namespace synack::test {

/// "SYN_SENT" -> TcpState::SynSent; "" -> none (a socket's first state has no `from`).
inline std::optional<TcpState> state(const std::string& name)
{
    return name.empty() ? std::nullopt : stateFromName(name);
}

/// Builds a trace one event at a time, 1 µs apart, in the step set by `step` (-1: before the first).
struct TraceBuilder {
    Trace t;
    int step = -1;
    std::int64_t now = 0;
    /// Each endpoint's role, as a runner would record it from the calls made so far.
    std::map<std::string, Role> roles;

    template <class T>
    int add(T data)
    {
        if constexpr (std::is_same_v<T, StepEvent>)
            if (!data.creates.empty())
                roles[data.creates] = Role::Accepted;
        t.events.emplace_back(now += 1000, step, std::move(data));
        return static_cast<int>(t.events.size()) - 1;
    }
    int call(const std::string& endpoint, const std::string& call, const std::string& args, const std::string& text,
        const std::string& phase = "done")
    {
        Role& role = roles.try_emplace(endpoint, Role::Socket).first->second;
        if (call == "connect")
            role = Role::Client;
        else if (call == "listen")
            role = Role::Listener;
        else if (call == "bind" && role == Role::Socket)
            role = Role::Bound;
        StepEvent s;
        s.line = step + 10;
        s.text = text;
        s.endpoint = endpoint;
        s.call = call;
        s.args = args;
        s.phase = phaseFromName(phase).value_or(Phase::Done);
        return add(s);
    }
    int state(const std::string& endpoint, const std::string& from, const std::string& to,
        Source source = Source::Kernel, const std::string& why = {})
    {
        StateEvent s;
        s.endpoint = endpoint;
        s.from = test::state(from);
        s.to = test::state(to).value_or(TcpState::Unknown);
        s.source = source;
        if (endpoint.find('/') != std::string::npos)
            s.role = Role::Peer; // "<client>/peer"
        else if (auto it = roles.find(endpoint); it != roles.end())
            s.role = it->second;
        s.why = why;
        return add(s);
    }
    /// The kernel no longer has `endpoint`'s socket: it went from `from` to CLOSE and is gone.
    int gone(const std::string& endpoint, const std::string& from)
    {
        StateEvent s;
        s.endpoint = endpoint;
        s.from = test::state(from);
        s.to = TcpState::Close;
        s.gone = true;
        s.why = "the kernel no longer has this socket";
        if (auto it = roles.find(endpoint); it != roles.end())
            s.role = it->second;
        return add(s);
    }
    int segment(const std::string& from, const std::string& to, const std::string& flags, Source source,
        std::optional<std::uint32_t> seq = {}, std::optional<std::uint32_t> ack = {}, std::int64_t length = 0)
    {
        SegmentEvent s;
        s.from = from;
        s.to = to;
        s.flags = tcpFlagsFromText(flags).value_or(0);
        s.source = source;
        s.seq = seq;
        s.ack = ack;
        s.length = length;
        s.why = source == Source::Inferred ? "implied by SYN_SENT -> ESTABLISHED" : "";
        return add(s);
    }
};

} // namespace synack::test
