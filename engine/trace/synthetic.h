// SPDX-License-Identifier: GPL-3.0-or-later
// Made-up traces of a chosen size, for measuring (`synack bench`) and testing the views at scale.
#pragma once

#include <cstddef>

#include "trace/trace.h"

namespace synack {

/// `endpoints` sockets (rounded up to an even number): client/server pairs, each through a
/// handshake (the connect call, both sockets' states, SYN, SYN-ACK, ACK, a reading of each one's
/// queues), spread over `steps` steps. About five events per endpoint. The events are well formed
/// (the JSON form loads back), but no kernel made them: the trace's title says so.
Trace manyEndpointsTrace(int endpoints, int steps);

/// One connection that moves data: a listener, a client and the accepted server, then rounds of
/// a data segment, its ACK and both sides' queues, until the trace has `events` events, spread
/// over `steps` steps.
Trace manyEventsTrace(std::size_t events, int steps);

} // namespace synack
