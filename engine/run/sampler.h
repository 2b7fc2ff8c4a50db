// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "kernel/probe.h"
#include "kernel/sockdiag.h"
#include "run/endpoints.h"

namespace synack {

/// One endpoint as a sample read it. A sample that is not `present` means the kernel no longer
/// has the socket.
struct Reading {
    Endpoint* ep = nullptr;
    Sample sample;
};

/// What one pass over the kernel read.
struct Snapshot {
    /// Every endpoint that got a reading, in the table's order. An endpoint missing here got none
    /// this time: its family's dump failed, or the dump caught its socket mid-teardown.
    std::vector<Reading> readings;
    /// When each endpoint's state was read, on the run's clock: taken just before the read, so
    /// whatever crossed the wire before that time is reflected in what was read.
    std::map<const Endpoint*, std::int64_t> readAt;
    std::vector<std::string> problems; ///< dumps that failed, to be noted
};

/// Reads every endpoint from the kernel: its own descriptor (TCP_INFO and the queue ioctls) and
/// sock_diag for what has none (not accepted yet, orphaned, TIME_WAIT). Emits nothing. It names
/// the not-yet-accepted half of a client's connection "<client>/peer", and keeps each
/// endpoint's cookie and addresses up to date.
class Sampler {
public:
    /// `diag` may be null (sock_diag unavailable): endpoints without a descriptor are then not seen.
    explicit Sampler(DiagSource* diag)
        : m_diag(diag)
    {
    }

    /// `now` is the run's clock (nanoseconds since it started).
    Snapshot read(EndpointTable& table, const std::function<std::int64_t()>& now);

private:
    void match(const DiagSocket& d, EndpointTable& table, std::map<Endpoint*, Sample>& samples,
        std::set<Endpoint*>& unsure);

    DiagSource* m_diag;
};

} // namespace synack
