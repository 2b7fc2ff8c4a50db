// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "run/endpoints.h"
#include "scenario/scenario.h"
#include "trace/trace.h"

namespace synack {

/// Checks an `expect` line against what the kernel last reported about the endpoint it names.
/// Reads nothing itself: what was sampled last is what counts.
ExpectEvent checkExpectation(const Step& st, const EndpointTable& table);

/// The result of `wait NAME STATE`: `ep` as it was when the wait ended (null: no such endpoint).
/// A segment waiting at the gate, as `expect gate` sees it.
struct HeldSegment {
    std::uint8_t flags = 0;
    std::int64_t payload = 0;
};
/// expect gate held|next, against the segments held now (oldest first); none without a gate.
ExpectEvent checkGateExpectation(const Step& st, const std::vector<HeldSegment>* held);

ExpectEvent waitOutcome(const Step& st, const Endpoint* ep);

/// Whether `ep` is gone for good: no descriptor, and the kernel no longer reports its socket.
bool goneForGood(const Endpoint& ep);
/// "gone: the kernel removed it at step 5 (line 31), from LAST_ACK".
std::string goneText(const Endpoint& ep);

} // namespace synack
