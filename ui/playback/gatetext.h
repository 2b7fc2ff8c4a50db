// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include "trace/trace.h"

namespace synack {

/// The gated lab in the UI's words, translated (the engine's eventtext is English only): the
/// ladder, the event log and the narration all say it the same way.
namespace gatetext {

/// What was done at the gate: "hold every segment", "deliver segment #3", "cut the wire",
/// with ", by you" when the user did it in the window.
QString action(const GateEvent& g);
/// The short form for the ladder's pill on the wire: "gate: hold", "gate: wire cut".
QString mark(const GateEvent& g);
/// A segment's fate at the gate: "held" ("held at the gate" unless `brief`), "lost: the wire is
/// cut", "lost at the gate", "copy of #3"; "" for one that crossed.
QString fate(const SegmentEvent& s, bool brief = true);
/// What a kernel timer sent it for ("retransmission 2, +3 s", "keepalive probe"), translated
/// where the words are known; "" for a segment a call or a reply sent.
QString cause(const SegmentEvent& s);

} // namespace gatetext
} // namespace synack
