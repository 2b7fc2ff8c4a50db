// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lab/capture.h"
#include "scenario/scenario.h"
#include "trace/trace.h"

namespace synack {

struct RunOptions {
    /// The kernel has settled when nothing we sample changed for this long. Long enough to see a
    /// delayed ACK (40 ms minimum on Linux) and its effects, with room for a loaded machine.
    std::int64_t quietMs = 100;
    /// ...or when this much time has passed since the step, whichever comes first.
    std::int64_t settleBoundMs = 2000;
    /// A step on an endpoint whose previous call is still blocked waits at most this long for it.
    std::int64_t blockedWaitMs = 10000;
    /// Called on the runner's thread for every event as it is appended.
    std::function<void(const Event&)> onEvent;
    /// Set from another thread to stop a long wait; the runner then ends the run.
    const std::atomic<bool>* cancel = nullptr;
    /// Where the sockets live. HostLoopback (tier 0): the host's lo, segments inferred from the
    /// state changes. Lab (tier 1): a private network namespace whose lo is captured, so every
    /// segment is read from the wire and none inferred; the run stops with an error when the lab
    /// cannot be had. Auto: the lab when it works and SYNACK_TIER is not 0, else host loopback,
    /// with a note saying why. The trace's `tier` says which one ran.
    Tier tier = Tier::HostLoopback;
    /// On host loopback, `connect NAME port=N` may reach a port no endpoint of the run holds or
    /// held: another program's. Off by default, so a scenario file cannot poke local services.
    bool allowHostPorts = false;
    /// Why a cancelled run stopped, for the trace's note ("interrupted by SIGINT"); empty: "run
    /// stopped by the user". Read when the runner sees `cancel` set.
    std::function<std::string()> cancelReason;
};

/// How a run went.
struct RunSummary {
    int expectations = 0; ///< expect lines and wait-for-state bounds checked
    int failed = 0;
    std::vector<ExpectEvent> failures;
    std::optional<Diagnostic> error; ///< a step that could not be carried out (the run stopped there)
    bool cancelled = false;
    bool passed() const { return failed == 0 && !error && !cancelled; }
};

/// Executes a scenario one step at a time against the real kernel and records a Trace.
/// A step is one action line (listen, connect, send, ...) plus the expect lines right after it.
/// After each action the runner samples every endpoint until the kernel settles.
///
/// Sockets are always non-blocking at the OS level; an application that blocks is emulated: its
/// call is shown as "blocked" and finished later when the kernel allows, so the runner (and the
/// GUI) never freeze, and other endpoints can go on meanwhile.
class Runner {
public:
    /// Prepares a run; trace() has its header at once. Nothing is opened or emitted until the
    /// first step().
    explicit Runner(Scenario scenario, RunOptions options = {});
    ~Runner();
    Runner(const Runner&) = delete;
    Runner& operator=(const Runner&) = delete;

    const Scenario& scenario() const;
    /// Number of action steps.
    int stepCount() const;
    /// Index of the next action step (== stepCount() at the end).
    int nextStep() const;
    bool atEnd() const;

    /// Runs the next step. Returns false when there was none, or the run stopped (error, cancel).
    bool step();
    /// Runs every remaining step.
    const RunSummary& runAll();

    /// What the user does at the gate between steps (the window's hold toggle, Deliver, Drop,
    /// Duplicate): recorded in the trace as a GateEvent by "user", followed by what the kernel did
    /// in answer (the run samples until it settles). `frame` picks one held segment (0: the
    /// oldest). An error, and nothing recorded, when there is no gate or nothing to act on.
    Result<void> actAtGate(GateAction action, std::int64_t frame = 0);
    /// Whether the run has a gate, and whether it holds every segment now.
    bool hasGate() const;
    bool gateHolding() const;
    /// The frames of the segments held at the gate now, oldest first.
    std::vector<std::int64_t> heldFrames() const;

    const Trace& trace() const;
    const RunSummary& summary() const;
    /// Every packet captured on the lab's lo so far, in order (empty on host loopback). A segment
    /// event's `frame` is its index here plus one. Write them with writePcap() (pcap.h).
    const std::vector<CapturedPacket>& capturedPackets() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace synack
