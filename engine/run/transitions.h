// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <vector>

#include "run/endpoints.h"
#include "tcp/segment.h"

namespace synack {

/// A state change of one endpoint, about to be emitted.
struct Transition {
    Endpoint* ep = nullptr;
    StateEvent event;
    bool finQueued = false; ///< entered FIN_WAIT1/LAST_ACK with data still unsent: the FIN waits behind it
    bool heldOnce = false; ///< held back by one batch already (see Ordering)
};

/// The segment a state change receives (is caused by) and the one it sends.
struct SegmentRole {
    SegmentKind receives = SegmentKind::None;
    SegmentKind sends = SegmentKind::None;
};

/// The state changes `ep` went through since it was last reported, given its newest reading:
/// the one read, and before it the ones the sampler could not see, filled in from the RFC 9293
/// diagram and marked inferred. Updates what `ep` last reported. `step` and `line` say where the
/// run is, for an endpoint that is gone.
void appendTransitions(Endpoint& ep, const Sample& s, int step, int line, std::vector<Transition>& out);

/// What a change sends and receives, by the diagram's edge, and for a change to CLOSE by who
/// aborted: its own close() (RST sent), its peer's (RST received), or an orphan answering data
/// (the side that still has its application is reset). `peer` is the endpoint's peer or target.
SegmentRole segmentRole(const Transition& t, const Endpoint* peer);

} // namespace synack
