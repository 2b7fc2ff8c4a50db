// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "trace/picture.h"
#include "trace/trace.h"

namespace synack {

/// What every view draws: a prefix of a trace, and how far the newest revealed event's animation
/// has come. The Player makes Frames; views never read the engine directly.
///
/// Revealing is event by event: `visible` events are shown, the last of them (index visible - 1)
/// is being animated with `progress` going from 0 to 1 (a segment flies, a token moves along its
/// edge, a gauge fills); all earlier ones are shown at rest (progress 1).
///
/// `revision` tells views when to start again: it changes whenever `trace` is another trace (the
/// Player keeps one Trace object and replaces its contents, so its address says nothing). Within
/// one revision the trace only grows at its end (a live run), and earlier events never change.
struct Frame {
    const Trace* trace = nullptr; ///< never null in a Frame handed to a view; owned by the Player
    std::uint64_t revision = 0; ///< changes with every new trace (see above)
    std::size_t visible = 0; ///< how many events of trace->events are revealed
    double progress = 1.0; ///< animation of event visible - 1, in [0, 1]
    int step = -1; ///< the scenario step being shown (-1 before the first)
    std::int64_t nowNs = 0; ///< trace time being shown (for countdowns such as TIME_WAIT)
    Picture picture; ///< every endpoint's state after the visible events

    /// The first `visible` events of `trace`, at rest (or the newest at `progress`): what the
    /// Player shows after a jump, and what view tests draw. A view shown frames of another trace
    /// must be given another `revision`.
    static Frame at(const Trace& trace, std::size_t visible, double progress = 1.0, std::uint64_t revision = 0);
    /// A revision no Frame has had yet in this process.
    static std::uint64_t newRevision();

    /// The revealed events.
    std::size_t size() const { return trace ? visible : 0; }
    const Event& event(std::size_t i) const { return trace->events[i]; }
    /// Animation progress of event i (1 for all but the newest).
    double progressOf(std::size_t i) const { return i + 1 == visible ? progress : 1.0; }
};

} // namespace synack

namespace synack {

/// Endpoints in order of first appearance in the trace (every event kind that names one).
std::vector<std::string> endpointsOf(const Trace& trace);

} // namespace synack
