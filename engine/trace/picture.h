// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "trace/trace.h"

namespace synack {

/// One endpoint as the trace describes it at some point in time.
struct EndpointView {
    std::string name;
    std::optional<TcpState> state; ///< none before the first state event
    Source stateSource = Source::Kernel;
    Role role = Role::Socket;
    std::string local;
    std::string peer;
    BuffersEvent buffers;
    TimerEvent timer;
    std::int64_t timerAtNs = 0; ///< when `timer` was read, to count down from
    std::string blockedIn; ///< the statement of a call still blocked, "" if none
    std::string adoptedFrom; ///< the name this kernel socket had before accept()
    bool gone = false; ///< the kernel no longer has the socket
    std::int64_t lastResult = 0;
    int lastErr = 0;
    /// The state's name ("ESTABLISHED"), "" before the first state event.
    std::string stateText() const { return state ? std::string(stateName(*state)) : std::string(); }
    bool in(TcpState s) const { return state == s; }

    /// Milliseconds left on the timer at trace time `tNs` (counting down from the kernel's reading).
    std::int64_t timerLeftMs(std::int64_t tNs) const;
};

/// The state of every endpoint after some prefix of a trace: a fold of events, so that any point
/// of a recorded run (step back, replay) can be rebuilt from the trace alone.
struct Picture {
    std::vector<EndpointView> endpoints;
    std::int64_t tNs = 0;
    int step = -1;

    void apply(const Event& e);
    EndpointView* find(const std::string& name);
    const EndpointView* find(const std::string& name) const;

    /// The picture after the first `count` events.
    static Picture after(const Trace& trace, std::size_t count);

private:
    EndpointView& obtain(const std::string& name);
    /// Name -> position in `endpoints`: a trace may name tens of thousands of sockets.
    std::unordered_map<std::string, std::size_t> m_index;
};

} // namespace synack
