// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <cstdint>

#include "trace/trace.h"

namespace synack {

/// The engine's event words (engine/trace/eventtext.h) in the UI's language: the program's own
/// words (call, option, state, flag and errno names, numbers, addresses) stay as they are, the prose
/// and units the engine puts around them ("102400 bytes", "until end of stream", "time-wait 58.9 s")
/// are translated. The engine keeps English for the CLI; these are the window's.
namespace calltext {

/// A call's arguments as the engine recorded them, with its known phrases translated:
/// "102400 bytes", "until end of stream", "SO_LINGER, {on, 5 s}", "ESTABLISHED within 5000 ms".
QString args(const std::string& args);
/// "connect(127.0.0.1:5000)", "send(102400 字节)", "accept()".
QString call(const StepEvent& s);
/// call(s) + " = " + the result and its errno name.
QString callAndResult(const StepEvent& s);
/// "SYN,ACK seq 0 ack 1 win 65483 100 bytes" with the length's unit translated (no gate fate).
QString segment(const SegmentEvent& s);
/// A timer's name: "time-wait timer", "retransmission timer"; "" for none. `brief`: the kernel's
/// short name where a column already says "Timer" ("time-wait"; in Chinese still the full name).
QString timerName(TimerKind kind, unsigned raw = 0, bool brief = false);
/// "TIME_WAIT timer 58.9 s" for a timer `leftMs` ms from its end.
QString timer(TimerKind kind, std::int64_t leftMs, unsigned raw = 0);
/// An expectation as a sentence: "expect server to be in FIN_WAIT1"; the statement itself is the
/// ExpectEvent's text (for a tooltip).
QString expectation(const ExpectEvent& x);
/// A failed expectation's "expected X, the kernel says Y" with the values' words translated.
QString expectedValue(const std::string& value);

/// Why an event was inferred or is gone (StateEvent::why, SegmentEvent::why), translated where the
/// engine's sentence is known; otherwise as the engine wrote it.
QString why(const std::string& engineWhy);

/// A note of the run (NoteEvent::text: the tier it ran on, a capture's losses), translated where
/// the engine's sentence is known; otherwise as the engine wrote it (an error's own words).
QString note(const std::string& engineNote);

} // namespace calltext
} // namespace synack
