// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "run/endpoint.h"
#include "run/recorder.h"

namespace synack {

/// The timer kind of an endpoint's reading (None when it has none, or no reading).
TimerKind timerKindOf(const Endpoint& ep, const Sample& s);

/// Emits what changed in an endpoint's queues and timer since it was last reported, and keeps
/// the reading as its newest. A timer counting down is not news; a new kind, or the same kind
/// re-armed, is. Returns whether anything was emitted.
bool reportQueues(Endpoint& ep, const Sample& s, Recorder& rec);

} // namespace synack
