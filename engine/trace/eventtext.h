// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>

#include "trace/trace.h"

namespace synack {

/// The words an event is shown with, the same in the CLI, the event log, the ladder and the
/// narration. These are the program's own words (calls, results, state and flag names, numbers),
/// written as a C programmer and tcpdump write them and never translated; the prose around them
/// is each front end's (and the window's is translated).
namespace eventtext {

    /// "connect(127.0.0.1:5000)", "close()", "accept()".
    std::string call(const StepEvent& s);
    /// "0", "-1 ECONNREFUSED", "3910656 EAGAIN" (send fill: the bytes taken, and the refusal).
    std::string result(const StepEvent& s);
    /// call(s) + " = " + result(s).
    std::string callAndResult(const StepEvent& s);
    /// "ESTABLISHED -> FIN_WAIT1"; an endpoint's first state is "-> CLOSE".
    std::string transition(const StateEvent& s, const char* arrow = " -> ");
    /// "SYN,ACK", then what a capture knows: "seq 0 ack 1 win 65483" (relative numbers, as tcpdump
    /// shows them), and "100 bytes" for data.
    std::string segment(const SegmentEvent& s);
    /// "time-wait 59.9 s" for a countdown `leftMs` ms from its end; "" for no timer.
    /// "gate deliver client>server SYN (segment #3)".
std::string gate(const GateEvent& g);
std::string timer(const TimerEvent& t, std::int64_t leftMs);

} // namespace eventtext

} // namespace synack
