// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>

#include "run/endpoints.h"
#include "scenario/scenario.h"
#include "trace/trace.h"

namespace synack {

/// Checks an `expect` line against what the kernel last reported about the endpoint it names.
/// Reads nothing itself: what was sampled last is what counts.
ExpectEvent checkExpectation(const Step& st, const EndpointTable& table);

/// The result of `wait NAME STATE`: `ep` as it was when the wait ended (null: no such endpoint).
ExpectEvent waitOutcome(const Step& st, const Endpoint* ep);

/// Whether `ep` is gone for good: no descriptor, and the kernel no longer reports its socket.
bool goneForGood(const Endpoint& ep);
/// "gone: the kernel removed it at step 5 (line 31), from LAST_ACK".
std::string goneText(const Endpoint& ep);

} // namespace synack
