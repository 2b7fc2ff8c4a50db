// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "trace/trace.h"

namespace synack {

/// The run's clock and its trace: every event is stamped and appended here, and handed to the
/// caller's callback as it is.
class Recorder {
public:
    using Clock = std::chrono::steady_clock;

    explicit Recorder(std::function<void(const Event&)> onEvent = {});

    /// Nanoseconds since the run started.
    std::int64_t nowNs() const;
    /// The run's start on the monotonic clock (CLOCK_MONOTONIC, as captured packets are stamped).
    Clock::time_point start() const { return m_t0; }

    /// Appends an event that happens now.
    void emit(EventData data) { emitAt(nowNs(), std::move(data)); }
    /// Appends an event that happened at `t` (a captured segment: before it was read). Times stay
    /// strictly increasing: an event is never stamped before the one it follows.
    void emitAt(std::int64_t t, EventData data);
    void note(std::string text, NoteLevel level = NoteLevel::Info, int line = 0);

    /// The scenario step being run (the `step` of every event from now on).
    void setStep(int step) { m_step = step; }
    int step() const { return m_step; }

    Trace& trace() { return m_trace; }
    const Trace& trace() const { return m_trace; }

private:
    Clock::time_point m_t0 = Clock::now();
    Trace m_trace;
    int m_step = -1;
    std::function<void(const Event&)> m_onEvent;
};

} // namespace synack
