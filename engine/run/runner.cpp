// SPDX-License-Identifier: GPL-3.0-or-later
// The runner's lifecycle: it opens the tier, runs one step at a time, samples until the kernel
// settles, and checks expectations. Each job it hands on has a file of its own in run/:
// calls (the system calls), sampler (reading the kernel), transitions and ordering (what the
// readings mean, in the order it happened), wire (captured segments), queues, expectations.
#include "run/runner.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <set>
#include <linux/netlink.h>
#include <sys/utsname.h>
#include <thread>

#include "base/limits.h"
#include "kernel/sockdiag.h"
#include "lab/gate.h"
#include "lab/lab.h"
#include "run/calls.h"
#include "run/endpoints.h"
#include "run/expectations.h"
#include "run/ordering.h"
#include "run/queues.h"
#include "run/recorder.h"
#include "run/sampler.h"
#include "run/transitions.h"
#include "run/wire.h"
#include "scenario/sysctls.h"

namespace synack {

namespace {
    using Clock = std::chrono::steady_clock;

    std::string nowIso8601()
    {
        std::time_t t = std::time(nullptr);
        std::tm tm {};
        gmtime_r(&t, &tm);
        char buf[32];
        std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
        return buf;
    }

    std::string kernelRelease()
    {
        utsname u {};
        return ::uname(&u) == 0 ? u.release : "";
    }

    struct FileCloser {
        void operator()(std::FILE* f) const { std::fclose(f); }
    };
}

struct Runner::Impl {
    Scenario scenario;
    RunOptions options;
    Recorder rec;
    RunSummary summary;
    EndpointTable table;
    std::vector<std::size_t> actionIndex; ///< scenario step index of each action step
    int next = 0; ///< next action step
    bool stopped = false;
    bool begun = false;

    // Where sockets are made and read: the lab and its capture (tier 1), sock_diag. Made in begin().
    std::optional<Lab> lab;
    std::optional<SockDiag> diag;
    std::optional<Capture> capture;
    // The gated lab: two hosts, a sock_diag socket in each, and the gate as the capture.
    std::optional<TwoHosts> hosts;
    std::optional<SockDiag> serverDiag;
    std::unique_ptr<CombinedDiag> bothDiags;
    std::unique_ptr<std::FILE, FileCloser> diagRecording; ///< SYNACK_DIAG_RECORD
    std::vector<CapturedPacket> packets; ///< everything captured, in order: the run's pcap
    std::uint64_t dropsReported = 0;

    std::unique_ptr<Sampler> sampler;
    std::unique_ptr<Ordering> ordering;
    std::unique_ptr<Calls> calls;
    std::unique_ptr<WireClassifier> wire;

    Impl(Scenario s, RunOptions o)
        : scenario(std::move(s))
        , options(std::move(o))
        , rec(options.onEvent)
    {
    }

    bool cancelled() const { return options.cancel && options.cancel->load(); }
    int current() const { return rec.step(); }
    int currentLine() const
    {
        return current() >= 0 ? scenario.steps[actionIndex[static_cast<std::size_t>(current())]].pos.line : 0;
    }

    // --- reading the kernel --------------------------------------------------------------------

    /// Reads every endpoint and the wire, and emits what changed. Returns whether anything did.
    bool sampleAll()
    {
        if (labLost())
            return false;
        Snapshot snap = sampler->read(table, [this] { return rec.nowNs(); });
        for (const std::string& problem : snap.problems)
            rec.note(problem, NoteLevel::Warning);
        // Read the wire after the kernel's state (and after sock_diag named the not-yet-accepted
        // sockets), so every segment that changed a state read above is in hand.
        return report(snap.readings, readCapture(), &snap.readAt);
    }

    /// Emits a batch of readings: data segments first (the bytes left before any FIN behind
    /// them), then state changes with their segments in order, then queues and timers.
    bool report(const std::vector<Reading>& readings, std::vector<WireSegment> segments = {},
        const ReadTimes* readAt = nullptr)
    {
        bool changed = false;
        for (const Reading& r : readings)
            changed |= ordering->dataSent(*r.ep, r.sample);
        std::vector<Transition> transitions;
        for (const Reading& r : readings)
            appendTransitions(*r.ep, r.sample, current(), currentLine(), transitions);
        changed |= ordering->report(std::move(transitions), std::move(segments), readAt);
        for (const Reading& r : readings)
            changed |= reportQueues(*r.ep, r.sample, rec);
        return changed;
    }

    /// Samples, and again if that sample held anything back, so that everything that happened
    /// before now has been emitted: a call's result must follow what caused it.
    void sampleSettled()
    {
        sampleAll();
        if (ordering->holding())
            sampleAll();
    }

    /// Every packet captured since the last call (on the lab's lo, or at the gate), classified;
    /// empty on host loopback.
    std::vector<WireSegment> readCapture()
    {
        std::vector<WireSegment> out;
        if (!capture && !hosts)
            return out;
        std::vector<CapturedPacket> got;
        struct Arrival {
            Fate fate;
            std::uint64_t copyOf;
            std::int64_t dueMonoNs;
        };
        std::vector<Arrival> fates; // the gate's, one per packet
        if (hosts) {
            for (GatePacket& p : hosts->gate->drain()) {
                if (p.id != packets.size() + got.size() + 1) // a frame is the gate's id: the pcap and the gate agree
                    rec.note("the gate numbered packet " + std::to_string(p.id) + " as frame "
                            + std::to_string(packets.size() + got.size() + 1),
                        NoteLevel::Warning);
                fates.push_back({ p.fate, p.copyOf, p.dueMonoNs });
                got.push_back(std::move(p.packet));
            }
        } else {
            got = capture->drain();
        }
        const std::uint64_t drops = capture ? capture->dropped() : 0;
        if (drops > dropsReported) {
            rec.note(std::to_string(drops - dropsReported)
                    + " packets passed lo while the capture ring was full: they are missing from the ladder and the "
                      "pcap",
                NoteLevel::Warning);
            dropsReported = drops;
        }
        const std::int64_t t0Mono
            = std::chrono::duration_cast<std::chrono::nanoseconds>(rec.start().time_since_epoch()).count();
        for (std::size_t i = 0; i < got.size(); ++i) {
            packets.push_back(std::move(got[i]));
            if (auto seg = decodeSegment(packets.back())) {
                const bool copy = i < fates.size() && fates[i].fate == Fate::Copy;
                out.push_back(wire->classify(
                    *seg, packets.back().monoNs - t0Mono, static_cast<std::int64_t>(packets.size()), copy));
                if (i < fates.size()) {
                    out.back().event.fate = fateWord(fates[i].fate);
                    out.back().event.copyOf = static_cast<std::int64_t>(fates[i].copyOf);
                    // It reaches its receiver when the gate relays it: answers are timed from then.
                    if (fates[i].fate == Fate::Delayed)
                        wire->delivered(*seg, fates[i].dueMonoNs - t0Mono);
                }
            }
        }
        return out;
    }

    /// Emits everything captured and everything held back.
    bool drainCapture() { return ordering->flush(readCapture()); }

    /// Moves every blocked call forward; reports those that returned, each after what made it
    /// return. Returns whether any did.
    bool progressPending()
    {
        return calls->progress([this](Calls::Finished f) {
            if (f.event.err == ECONNREFUSED && f.event.call == "connect")
                showRefusal(*f.ep); // what the errno tells, before the call returns with it
            else
                sampleSettled();
            rec.emit(std::move(f.event));
            shortStopped();
        }) > 0;
    }

    /// Samples until nothing changes for quietMs (bounded), finishing blocked calls as the kernel allows.
    void settle()
    {
        const auto start = Clock::now();
        auto lastChange = start;
        for (int i = 0;; ++i) {
            bool changed = sampleAll();
            changed |= progressPending();
            if (stopped)
                break;
            const auto now = Clock::now();
            // A segment still crossing the gated wire is a change on its way (see Gate::inTransit).
            if (changed || (hosts && hosts->gate->inTransit()))
                lastChange = now;
            if (now - lastChange >= std::chrono::milliseconds(options.quietMs))
                break;
            if (now - start >= std::chrono::milliseconds(options.settleBoundMs) || cancelled())
                break;
            // Fast at first (a step's consequences come within microseconds on loopback), then
            // gentler so a long settle costs little CPU.
            std::this_thread::sleep_for(std::chrono::microseconds(i < 20 ? 500 : 4000));
        }
    }

    /// Samples for a fixed time (a scenario's `wait`).
    void sampleFor(std::int64_t ms)
    {
        const auto end = Clock::now() + std::chrono::milliseconds(ms);
        while (Clock::now() < end && !cancelled() && !stopped) {
            sampleAll();
            progressPending();
            std::this_thread::sleep_for(std::chrono::milliseconds(4));
        }
    }

    /// Waits (sampling) for an endpoint's blocked call to finish before it is used again.
    bool waitForPending(Endpoint& ep)
    {
        const auto end = Clock::now() + std::chrono::milliseconds(options.blockedWaitMs);
        while (ep.pending && Clock::now() < end && !cancelled() && !stopped) {
            sampleAll();
            progressPending();
            if (ep.pending)
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        return !ep.pending;
    }

    /// connect() failed with ECONNREFUSED and the socket is back in CLOSE, as it was before: the
    /// SYN_SENT between and the SYN and RST were too fast to sample, but the errno says they
    /// happened. Shown as inferred.
    void showRefusal(Endpoint& ep)
    {
        if (ep.synSentShown)
            return; // the sampler saw SYN_SENT, so the ordinary path shows it
        const std::string local = ep.local.valid() ? ep.local.toString() : std::string();
        const std::string peer = ep.peer.valid() ? ep.peer.toString() : std::string();
        Endpoint* target = table.peerOrTarget(ep);
        const std::string targetName = target ? target->name : ep.peer.toString();
        rec.emit(StateEvent { ep.name, TcpState::Close, TcpState::SynSent, Source::Inferred, ep.role, false, local,
            peer,
            "not sampled: connect() returned ECONNREFUSED, which the kernel reports when a RST answers the SYN" });
        drainCapture(); // in the lab: the SYN and the RST themselves
        ordering->infer(ep.name, targetName, SegmentKind::Syn, "inferred: connect() sends SYN");
        ordering->infer(targetName, ep.name, SegmentKind::Rst, "inferred from ECONNREFUSED: no listener on that port");
        rec.emit(StateEvent { ep.name, TcpState::SynSent, TcpState::Close, Source::Kernel, ep.role, false, local, peer,
            {} });
    }

    // --- steps -----------------------------------------------------------------------------------

    void fail(const Step& st, std::string message) { failAt(st.pos, std::move(message)); }

    void failAt(SourcePos pos, std::string message)
    {
        summary.error = Diagnostic { scenario.file, pos, std::move(message) };
        rec.note(summary.error->toString(), NoteLevel::Error, pos.line);
        stopped = true;
    }

    SourcePos currentPos() const
    {
        return current() >= 0 ? scenario.steps[actionIndex[static_cast<std::size_t>(current())]].pos : SourcePos {};
    }

    // --- the environment -------------------------------------------------------------------------
    // Two things stop a run that are nobody's scenario: the lab's processes gone, and a limit of
    // this machine met by a call. Either is an error at the step where it was seen, and nothing
    // is read after it: what would follow is the machine's trouble, not TCP.

    /// Whether the lab has gone (the helper or its session ended). Asked before every reading.
    bool labLost()
    {
        if (stopped)
            return true;
        auto gone = lostReason();
        if (!gone)
            return false;
        failAt(currentPos(), gone->message() + "; the run stops here, and nothing after this point is read");
        return true;
    }

    /// Why the lab (or the gated lab) has gone, if it has.
    std::optional<Error> lostReason()
    {
        std::optional<Error> gone;
        if (lab)
            gone = lab->lost();
        if (hosts && !gone)
            gone = hosts->client.lost();
        if (hosts && !gone)
            gone = hosts->server.lost();
        if (hosts && !gone)
            gone = hosts->gate->failure();
        return gone;
    }

    /// Whether the call just reported ran into a limit of this machine (EMFILE, ENFILE, ENOBUFS,
    /// ENOMEM); its result stays in the trace as the kernel gave it.
    bool shortStopped()
    {
        auto shortage = calls->takeShortage();
        if (!shortage)
            return false;
        failAt(currentPos(),
            shortage->call + " failed with " + errnoName(shortage->err) + " (" + std::strerror(shortage->err)
                + "): " + shortage->detail
                + ". The run stops here: this is a limit of this machine, not something the scenario does");
        return true;
    }

    void stopByUser()
    {
        summary.cancelled = true;
        stopped = true;
        std::string why = options.cancelReason ? options.cancelReason() : std::string();
        rec.note(why.empty() ? std::string("run stopped by the user") : why, NoteLevel::Warning);
    }

    void recordExpectation(const ExpectEvent& e)
    {
        ++summary.expectations;
        if (!e.ok) {
            ++summary.failed;
            summary.failures.push_back(e);
        }
        rec.emit(e);
    }

    /// An expect line, against the endpoints or the gate.
    ExpectEvent check(const Step& st)
    {
        if (st.endpoint != "gate")
            return checkExpectation(st, table);
        if (!hosts)
            return checkGateExpectation(st, nullptr);
        std::vector<HeldSegment> held;
        for (const GatePacket& p : hosts->gate->held()) {
            if (p.id > packets.size())
                continue; // not in the trace yet: the expectation checks what the trace shows
            const auto seg = decodeSegment(p.packet);
            held.push_back(seg ? HeldSegment { seg->flags, seg->payload } : HeldSegment {});
        }
        return checkGateExpectation(st, &held);
    }

    /// What a pattern picks at the gate, now: from=NAME is the port NAME has at this moment.
    Result<GateMatch> gateMatch(const SegmentPattern& p)
    {
        GateMatch m;
        if (p.toServer)
            m.direction = *p.toServer ? Direction::ToServer : Direction::ToClient;
        m.flagsSet = p.flagsSet;
        m.flagsClear = p.flagsClear;
        m.data = p.data;
        constexpr std::uint8_t control = kSyn | kFin | kRst;
        m.noData = !p.data && (p.flagsClear & control) == control;
        m.text = p.text;
        if (!p.from.empty()) {
            const Endpoint* ep = table.observed(p.from);
            if (!ep || !ep->local.valid() || ep->local.port == 0)
                return Error { {}, 0, "from=" + p.from + ": '" + p.from + "' has no address yet, so none of its segments can be picked" };
            m.sourcePort = ep->local.port;
            // Its host is its address's: what it accepted lives on the server host too.
            const Direction d = ep->local.host() == TwoHosts::kServerAddress ? Direction::ToClient : Direction::ToServer;
            if (m.direction && *m.direction != d)
                return Error { {}, 0, "from=" + p.from + ": '" + p.from + "' is on the " + (d == Direction::ToServer ? "client" : "server")
                        + " host, so its segments go " + directionName(d) + ", not " + directionName(*m.direction) };
            m.direction = d;
        }
        return m;
    }

    /// A gate step: the gate's state changes, or held segments are delivered, dropped or copied.
    /// Only segments the run has already recorded are picked: an action never reaches one the
    /// trace does not show yet.
    void executeGate(const Step& st, StepEvent ev)
    {
        ev.endpoint.clear();
        ev.args = std::string(gateActionName(st.gateAction));
        if (st.all)
            ev.args += " all";
        if (st.newest)
            ev.args += " newest";
        if (!st.pattern.text.empty())
            ev.args += " " + st.pattern.text;
        if (!hosts)
            return fail(st, "gate steps need the gated lab (two private hosts joined by SynAck's gate); this run is "
                    + std::string(tierName(rec.trace().tier)) + ": run it with --wire");
        Gate& gate = *hosts->gate;
        GateEvent g;
        g.action = std::string(gateActionName(st.gateAction));
        g.pattern = st.pattern.text;
        g.by = "scenario";
        g.line = st.pos.line;
        switch (st.gateAction) {
        case GateAction::Hold:
        case GateAction::Pass:
        case GateAction::Cut:
        case GateAction::Mend:
        case GateAction::Lose: {
            if (st.gateAction == GateAction::Hold || st.gateAction == GateAction::Pass)
                gate.hold(st.gateAction == GateAction::Hold);
            if (st.gateAction == GateAction::Pass)
                gate.clearRules();
            if (st.gateAction == GateAction::Cut || st.gateAction == GateAction::Mend)
                gate.cut(st.gateAction == GateAction::Cut);
            std::vector<std::uint64_t> lost = gate.takeLostInFlight();
            if (st.gateAction == GateAction::Lose) {
                auto m = gateMatch(st.pattern);
                if (!m)
                    return fail(st, m.error().detail);
                gate.lose(*m);
            }
            rec.emit(std::move(ev));
            rec.emit(std::move(g));
            emitLostInFlight(lost, "scenario", st.pos.line);
            return;
        }
        case GateAction::Wait:
            return waitAtGate(st, std::move(ev));
        case GateAction::Delay:
            gate.setDelay(st.durationMs);
            ev.args = "delay " + std::to_string(st.durationMs) + " ms";
            g.pattern = std::to_string(st.durationMs) + " ms";
            rec.emit(std::move(ev));
            rec.emit(std::move(g));
            return;
        case GateAction::Deliver:
        case GateAction::Drop:
        case GateAction::Duplicate:
            break;
        }
        auto m = gateMatch(st.pattern);
        if (!m)
            return fail(st, m.error().detail);
        GatePick pick { *m, st.newest, packets.size() };
        std::vector<std::uint64_t> taken;
        for (;;) {
            if (st.pattern.seq) {
                // seq= is counted from the sender's SYN, which only the classifier knows: the
                // packet is found here and picked by its id.
                pick.id = 0;
                std::vector<GatePacket> held = gate.held();
                if (st.newest)
                    std::reverse(held.begin(), held.end());
                for (const GatePacket& p : held) {
                    const auto seg = decodeSegment(p.packet);
                    if (seg && p.id <= packets.size() && m->matches(p.direction, &*seg)
                        && wire->relativeSeq(*seg) == st.pattern.seq) {
                        pick.id = p.id;
                        break;
                    }
                }
                if (pick.id == 0) {
                    if (taken.empty())
                        return fail(st, "gate " + g.action + ": no held segment has seq=" + std::to_string(*st.pattern.seq)
                                + (gate.held().empty() ? " (nothing is held)" : ""));
                    break;
                }
            }
            auto r = st.gateAction == GateAction::Deliver ? gate.deliver(pick)
                : st.gateAction == GateAction::Drop       ? gate.drop(pick)
                                                          : gate.duplicate(pick);
            if (!r) {
                if (auto broken = gate.failure())
                    return void(labLost());
                if (taken.empty())
                    return fail(st, "gate " + g.action + ": " + r.error().detail);
                break;
            }
            taken.push_back(*r);
            if (!st.all)
                break;
        }
        ev.result = static_cast<std::int64_t>(taken.size());
        if (st.gateAction != GateAction::Drop)
            for (std::uint64_t id : taken)
                noteDelivered(id);
        rec.emit(std::move(ev));
        for (std::uint64_t id : taken) {
            GateEvent one = g;
            one.frame = static_cast<std::int64_t>(id);
            rec.emit(std::move(one));
        }
    }

    /// The delayed packets the cut wire took with it: each recorded as dropped, saying why.
    void emitLostInFlight(const std::vector<std::uint64_t>& ids, const char* by, int line)
    {
        for (std::uint64_t id : ids)
            rec.emit(GateEvent { "drop", static_cast<std::int64_t>(id), "lost in flight: the wire was cut", by, line });
    }

    /// Tells the classifier that the held packet `id` reached its receiver now.
    void noteDelivered(std::uint64_t id)
    {
        if (id == 0 || id > packets.size())
            return;
        if (auto seg = decodeSegment(packets[id - 1]))
            wire->delivered(*seg, rec.nowNs());
    }

    /// gate wait: samples until a segment the pattern picks is held at the gate (a kernel's timer
    /// sends it: a retransmission, a probe), or the bound passes. Checked like wait NAME STATE.
    void waitAtGate(const Step& st, StepEvent ev)
    {
        auto m = gateMatch(st.pattern);
        if (!m)
            return fail(st, m.error().detail);
        ev.args += " within " + std::to_string(st.durationMs) + " ms";
        rec.emit(std::move(ev));
        const auto end = Clock::now() + std::chrono::milliseconds(st.durationMs);
        auto heldNow = [&] {
            for (const GatePacket& p : hosts->gate->held()) {
                const auto seg = decodeSegment(p.packet);
                if (p.id <= packets.size() && m->matches(p.direction, seg ? &*seg : nullptr)
                    && (!st.pattern.seq || (seg && wire->relativeSeq(*seg) == st.pattern.seq)))
                    return true;
            }
            return false;
        };
        bool found = false;
        for (;;) {
            sampleAll();
            progressPending();
            if (stopped)
                return;
            found = heldNow();
            if (found || Clock::now() >= end || cancelled())
                break;
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        if (found)
            sampleSettled(); // the segment, and what sent it, before the outcome
        ExpectEvent e;
        e.line = st.pos.line;
        e.text = st.text;
        e.endpoint = "gate";
        e.quantity = "held";
        e.expected = (st.pattern.text.empty() ? std::string("a segment") : st.pattern.text) + " held within "
            + std::to_string(st.durationMs) + " ms";
        e.observed = found ? "held"
            : hosts->gate->isCut()     ? "none held: the wire is cut, every segment is lost"
            : !hosts->gate->holding()  ? "none held: the gate is not holding (gate hold), so segments pass"
                                       : "none arrived";
        e.ok = found;
        recordExpectation(e);
    }

    /// The user's action at the gate between steps (Runner::actAtGate).
    Result<void> userAction(GateAction action, std::int64_t frame)
    {
        begin(); // a hold before the first step holds its segments too
        if (!hosts)
            return Error { {}, 0, "this run has no gate: only the gated lab (--wire) has one" };
        if (stopped)
            return Error { {}, 0, "the run has stopped" };
        // What happened since the last step is recorded first, so the action follows it.
        if (!lostReason())
            sampleAll();
        drainCapture();
        Gate& gate = *hosts->gate;
        GateEvent g;
        g.action = std::string(gateActionName(action));
        g.by = "user";
        switch (action) {
        case GateAction::Hold:
        case GateAction::Pass:
            gate.hold(action == GateAction::Hold);
            if (action == GateAction::Pass)
                gate.clearRules();
            break;
        case GateAction::Cut:
        case GateAction::Mend:
            gate.cut(action == GateAction::Cut);
            rec.emit(std::move(g));
            emitLostInFlight(gate.takeLostInFlight(), "user", 0);
            settle();
            return {};
        case GateAction::Lose:
        case GateAction::Wait:
        case GateAction::Delay:
            return Error { {}, 0, "lose, wait and delay are written in the scenario" };
        case GateAction::Deliver:
        case GateAction::Drop:
        case GateAction::Duplicate: {
            GatePick pick;
            pick.upTo = packets.size();
            pick.id = static_cast<std::uint64_t>(std::max<std::int64_t>(frame, 0));
            auto r = action == GateAction::Deliver ? gate.deliver(pick)
                : action == GateAction::Drop       ? gate.drop(pick)
                                                   : gate.duplicate(pick);
            if (!r) {
                if (gate.failure())
                    labLost();
                return r.error();
            }
            g.frame = static_cast<std::int64_t>(*r);
            if (action != GateAction::Drop)
                noteDelivered(*r);
            break;
        }
        }
        rec.emit(std::move(g));
        settle();
        return {};
    }

    void waitForState(const Step& st, StepEvent ev)
    {
        ev.args = std::string(stateName(st.state)) + " within " + std::to_string(st.durationMs) + " ms";
        rec.emit(std::move(ev));
        const auto end = Clock::now() + std::chrono::milliseconds(st.durationMs);
        const Endpoint* ep = nullptr;
        for (;;) {
            sampleAll();
            progressPending();
            ep = table.observed(st.endpoint);
            if (ep && ep->lastState == st.state)
                break;
            if (ep && goneForGood(*ep))
                break; // it will not come back: say so now rather than at the end of the bound
            if (stopped)
                return;
            if (Clock::now() >= end || cancelled())
                break;
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        recordExpectation(waitOutcome(st, ep));
    }

    void execute(const Step& st)
    {
        StepEvent ev;
        ev.line = st.pos.line;
        ev.text = st.text;
        ev.endpoint = st.endpoint;
        ev.call = std::string(stepKindName(st.kind));
        ev.narration = st.narration;

        if (st.kind == StepKind::Wait) {
            ev.args = std::to_string(st.durationMs) + " ms";
            rec.emit(std::move(ev));
            sampleFor(st.durationMs);
            return;
        }
        if (st.kind == StepKind::Sysctl)
            return setSysctl(st, std::move(ev));

        // A step on an endpoint that is still blocked in a call waits for that call first. Only
        // the endpoint acting: a connect to a listener blocked in accept() is what unblocks it.
        if (!st.endpoint.empty()) {
            Endpoint* blocked = table.find(st.endpoint);
            if (!blocked)
                blocked = table.acceptCreating(st.endpoint);
            if (blocked && blocked->pending && !waitForPending(*blocked)) {
                if (cancelled())
                    return stopByUser();
                return fail(st,
                    "'" + blocked->name + "' is still blocked in " + blocked->pending->call + " (line "
                        + std::to_string(blocked->pending->line) + ") after "
                        + std::to_string(options.blockedWaitMs / 1000)
                        + " s; a blocked call must return before the same endpoint does anything else");
            }
        }

        if (st.kind == StepKind::WaitState)
            return waitForState(st, std::move(ev));
        if (st.kind == StepKind::Gate)
            return executeGate(st, std::move(ev));

        Endpoint* found = table.find(st.endpoint);
        const bool creates = st.kind == StepKind::Socket || st.kind == StepKind::Set || st.kind == StepKind::Bind
            || st.kind == StepKind::Listen || st.kind == StepKind::Connect;
        if (!found && !creates)
            return fail(st, "'" + st.endpoint + "' does not exist at this point of the run");
        Endpoint& ep = found ? *found : table.obtain(st.endpoint);
        if (ep.appClosed)
            return fail(st, "'" + ep.name + "' was closed at line " + std::to_string(ep.closedLine));
        if (!ep.fd && ep.role == Role::Peer)
            return fail(st, "'" + ep.name + "' has no descriptor");
        if (st.kind == StepKind::Socket && ep.fd)
            return fail(st, "'" + ep.name + "' already has a socket");

        auto done = calls->run(st, ep);
        if (!done && lab && lab->lost())
            return void(labLost());
        if (!done)
            return fail(st, done.error().detail.empty() ? done.error().message() : done.error().detail);
        Calls::Outcome& out = *done;
        if (out.resultFromWire) {
            // The segments and state changes that decided the result come before it.
            if (out.event.err == ECONNREFUSED)
                showRefusal(ep);
            else
                sampleSettled();
        }
        rec.emit(std::move(out.event));
        shortStopped();
    }

    /// A `sysctl` step: the setting written in the lab's namespace (in the gated lab, in both hosts',
    /// so the two ends of a connection agree), then read back, and shown as the kernel has it. Never
    /// on host loopback: that would change the host's own TCP for everything on it.
    void setSysctl(const Step& st, StepEvent ev)
    {
        std::vector<std::pair<Lab*, std::string>> labs;
        if (hosts) {
            labs = { { &hosts->client, "client host" }, { &hosts->server, "server host" } };
        } else if (lab) {
            labs = { { &*lab, {} } };
        } else {
            return fail(st,
                "sysctl changes only a private network namespace: this run is on host loopback; run it in the lab");
        }
        std::string value;
        for (std::int64_t v : st.sysctlValues)
            value += (value.empty() ? "" : " ") + std::to_string(v);
        const std::string path = "/proc/sys/net/ipv4/" + st.sysctl;
        const std::string key = sysctlKey(st.sysctl);
        ev.args = key + " = " + value;
        std::optional<Error> failed;
        std::string readBack;
        for (auto& [where, host] : labs) {
            const std::string on = host.empty() ? std::string() : " (" + host + ")";
            auto wrote = where->sysctl(st.sysctl, value);
            ev.calls.push_back(CallRecord { "write", path + ", \"" + value + "\"" + on, wrote ? 0 : -1,
                wrote ? 0 : wrote.error().err });
            auto read = wrote ? where->readSysctl(st.sysctl) : Result<std::string>(wrote.error());
            if (wrote)
                ev.calls.push_back(CallRecord { "read", path + on, read ? 0 : -1, read ? 0 : read.error().err });
            if (!read) {
                failed = read.error();
                break;
            }
            // ip_local_port_range reads back with a tab between its ports.
            std::replace(read->begin(), read->end(), '\t', ' ');
            readBack = *read;
        }
        if (failed && lostReason())
            return void(labLost());
        if (failed) {
            ev.result = -1;
            ev.err = failed->err;
            rec.emit(std::move(ev));
            return fail(st, "cannot set " + key + " in the lab: " + failed->message());
        }
        ev.args = key + " = " + readBack; // what the kernel holds now, as it says it
        rec.emit(std::move(ev));
    }

    // --- the run ---------------------------------------------------------------------------------

    /// Fills the trace's header. Emits nothing: events begin with the first step.
    void start()
    {
        Trace& trace = rec.trace();
        trace.scenario = scenario.name;
        trace.title = scenario.text(scenario.title);
        trace.file = scenario.file;
        trace.kernel = kernelRelease();
        trace.startedAt = nowIso8601();
        trace.synackVersion = SYNACK_VERSION;
        for (std::size_t i = 0; i < scenario.steps.size(); ++i)
            if (scenario.steps[i].kind != StepKind::Expect)
                actionIndex.push_back(i);
        trace.stepCount = static_cast<int>(actionIndex.size());
    }

    /// The lab: a fresh namespace, sock_diag in it, and the capture on its lo. Keeps nothing when
    /// a part fails.
    Result<void> openLab()
    {
        auto made = Lab::start();
        if (!made)
            return made.error();
        auto netlink = made->socket(AF_NETLINK, SOCK_RAW, NETLINK_SOCK_DIAG);
        if (!netlink)
            return netlink.error();
        auto opened = SockDiag::fromFd(std::move(*netlink));
        if (!opened)
            return opened.error();
        auto packet = made->packetSocketOnLo();
        if (!packet)
            return packet.error();
        auto c = Capture::open(std::move(*packet));
        if (!c)
            return c.error();
        lab.emplace(std::move(*made));
        diag.emplace(std::move(*opened));
        capture.emplace(std::move(*c));
        rec.trace().tier = Tier::Lab;
        return {};
    }

    /// The gated lab: two hosts, sock_diag in each, the gate between them. Keeps nothing when a
    /// part fails.
    Result<void> openGated()
    {
        auto made = TwoHosts::start();
        if (!made)
            return made.error();
        auto clientNetlink = made->client.socket(AF_NETLINK, SOCK_RAW, NETLINK_SOCK_DIAG);
        if (!clientNetlink)
            return clientNetlink.error();
        auto serverNetlink = made->server.socket(AF_NETLINK, SOCK_RAW, NETLINK_SOCK_DIAG);
        if (!serverNetlink)
            return serverNetlink.error();
        auto c = SockDiag::fromFd(std::move(*clientNetlink));
        if (!c)
            return c.error();
        auto s = SockDiag::fromFd(std::move(*serverNetlink));
        if (!s)
            return s.error();
        hosts.emplace(std::move(*made));
        diag.emplace(std::move(*c));
        serverDiag.emplace(std::move(*s));
        bothDiags = std::make_unique<CombinedDiag>(std::vector<DiagSource*> { &*diag, &*serverDiag });
        rec.trace().tier = Tier::Gated;
        return {};
    }

    /// The endpoints that live on the server host in the gated lab: those that listen or are
    /// connected to (what they accept is theirs already: accept() makes it in their namespace),
    /// and those that take
    /// their port from one of them (`bind NAME port=@LISTENER`: the port is only the same port
    /// on the same host).
    std::set<std::string> serverSide() const
    {
        std::set<std::string> out;
        for (const Step& st : scenario.steps) {
            if (st.kind == StepKind::Listen)
                out.insert(st.endpoint);
            // What a client connects to is a server, even one that never listens (a refused
            // connect): otherwise the SYN and its RST would never cross the wire.
            if (st.kind == StepKind::Connect && !st.other.empty())
                out.insert(st.other);
        }
        // `socket NAME host=...` says it outright.
        for (const Step& st : scenario.steps) {
            if (st.kind == StepKind::Socket && st.host == "server")
                out.insert(st.endpoint);
            if (st.kind == StepKind::Socket && st.host == "client")
                out.erase(st.endpoint);
        }
        for (bool grew = true; grew;) {
            grew = false;
            for (const Step& st : scenario.steps)
                if ((st.kind == StepKind::Bind || st.kind == StepKind::Listen) && !st.other.empty() && out.count(st.other))
                    grew |= out.insert(st.endpoint).second;
        }
        return out;
    }

    void recordDiagReplies()
    {
        const char* path = std::getenv("SYNACK_DIAG_RECORD");
        if (!path || !*path || !diag)
            return;
        // For developers: every sock_diag reply of the run, appended to a file that RecordedDiag
        // replays (tests/data/sockdiag/ holds such recordings).
        diagRecording.reset(std::fopen(path, "ab"));
        if (!diagRecording)
            return rec.note(std::string("SYNACK_DIAG_RECORD: cannot open ") + path + ": " + std::strerror(errno),
                NoteLevel::Warning);
        diag->setRecording([file = diagRecording.get()](const std::vector<std::uint8_t>& record) {
            std::fwrite(record.data(), 1, record.size(), file);
            std::fflush(file);
        });
    }

    /// Where the scenario first needs what its Needs say: its first gate or sysctl line.
    SourcePos firstNeedingPos() const
    {
        for (const Step& st : scenario.steps) {
            const bool gate = st.kind == StepKind::Gate || (st.kind == StepKind::Expect && st.endpoint == "gate");
            if (scenario.needs == Needs::Wire ? gate : st.kind == StepKind::Sysctl)
                return st.pos;
        }
        return {};
    }

    /// The run's first events: what it runs on, and expectations written before the first action.
    void begin()
    {
        if (begun)
            return;
        begun = true;
        // A scenario that needs a private namespace or the wire gets it, or the run says why not:
        // falling back to host loopback would run a different lesson.
        if (options.tier == Tier::Auto && scenario.needs == Needs::Wire)
            options.tier = Tier::Gated;
        else if (options.tier == Tier::Auto && scenario.needs == Needs::Lab)
            options.tier = Tier::Lab;
        if ((scenario.needs == Needs::Wire && options.tier != Tier::Gated)
            || (scenario.needs == Needs::Lab && options.tier == Tier::HostLoopback))
            return failAt(firstNeedingPos(), scenario.name + " needs " + (scenario.needs == Needs::Wire ? "the gated lab (--wire)" : "the lab")
                    + ", not " + std::string(tierName(options.tier)) + ": "
                    + (scenario.needs == Needs::Wire ? "its gate steps act on the wire between two private hosts"
                                                     : "it changes settings of a private network namespace"));
        const bool forcedHost = options.tier == Tier::Auto && Lab::tierFromEnvironment() == Tier::HostLoopback;
        std::optional<Error> labProblem;
        if (options.tier == Tier::Gated) {
            if (auto opened = openGated(); !opened)
                return failAt({}, "the gated lab is not available: " + opened.error().message()
                        + (resourceShortage(opened.error().err) ? ": " + *resourceShortage(opened.error().err) : std::string())
                        + " (synack doctor says more)");
        } else if (options.tier == Tier::Lab || (options.tier == Tier::Auto && !forcedHost)) {
            if (auto opened = openLab(); !opened)
                labProblem = opened.error();
        }
        if (labProblem && resourceShortage(labProblem->err))
            return failAt({}, "the lab could not be opened: " + labProblem->message() + ": "
                    + *resourceShortage(labProblem->err) + ". This is a limit of this machine, not the scenario's");
        if (options.tier == Tier::Lab && labProblem)
            return failAt({}, "the lab (tier 1) is not available: " + labProblem->message());
        if (!diag) {
            auto opened = SockDiag::open();
            if (opened)
                diag.emplace(std::move(*opened));
            else if (auto limit = resourceShortage(opened.error().err))
                return failAt({}, opened.error().message() + ": " + *limit + ". This is a limit of this machine, not the scenario's");
            else
                rec.note("sock_diag is not available (" + opened.error().message()
                        + "): TIME_WAIT, orphaned and not-yet-accepted sockets cannot be shown",
                    NoteLevel::Warning);
        }
        recordDiagReplies();
        sampler = std::make_unique<Sampler>(bothDiags ? bothDiags.get() : diag ? static_cast<DiagSource*>(&*diag) : nullptr);
        ordering = std::make_unique<Ordering>(table, rec, capture.has_value() || hosts.has_value());
        // A new socket is read at once: its CLOSE is the state diagram's starting point, and the
        // next call (connect) would move it on before the settle loop samples.
        calls = std::make_unique<Calls>(table, lab ? &*lab : nullptr, [this](Endpoint& ep) {
            if (auto s = probeDescriptor(ep.fd.get()))
                report({ Reading { &ep, *s } });
        });
        calls->allowHostPorts(options.allowHostPorts);
        if (hosts)
            calls->useHosts(&*hosts, serverSide());
        wire = std::make_unique<WireClassifier>(
            [this](const SockAddr& a, const SockAddr& b) { return table.wireName(a, b); },
            [this](const std::string& sender) { return callOf(sender); });
        const std::string& kernel = rec.trace().kernel;
        if (hosts) {
            rec.note("run of " + scenario.name + " on Linux " + kernel + ", gated lab: a client host ("
                + TwoHosts::kClientAddress + ") and a server host (" + TwoHosts::kServerAddress
                + "), private network namespaces joined only through SynAck's gate, where every segment is captured");
            if (scenario.needs != Needs::Wire)
                rec.note("this scenario was written for loopback: where its narration says 127.0.0.1 or loopback, "
                         "read the two hosts' addresses, and segments that take real time to cross",
                    NoteLevel::Warning);
        } else if (lab) {
            rec.note("run of " + scenario.name + " on Linux " + kernel + ", lab: a private network namespace ("
                + lab->namespaces() + ") with its own lo, where every segment is captured");
        } else {
            rec.note("run of " + scenario.name + " on Linux " + kernel + ", host loopback");
            if (forcedHost)
                rec.note("host loopback because SYNACK_TIER=0: segments are inferred from the state changes");
            else if (labProblem)
                rec.note("host loopback because the lab is not available (" + labProblem->message()
                    + "): segments are inferred from the state changes");
        }
        const std::size_t first = actionIndex.empty() ? scenario.steps.size() : actionIndex.front();
        for (std::size_t i = 0; i < first; ++i)
            recordExpectation(check(scenario.steps[i]));
    }

    /// The call that made `sender` send: its own blocked call now going on, or the running step's
    /// when the step is on `sender`. "" when neither.
    std::string callOf(const std::string& sender)
    {
        if (const Endpoint* ep = table.find(sender); ep && ep->pending)
            return ep->pending->call;
        if (current() < 0)
            return {};
        const Step& st = scenario.steps[actionIndex[static_cast<std::size_t>(current())]];
        if (st.endpoint != sender || st.kind == StepKind::Wait || st.kind == StepKind::WaitState)
            return {};
        return std::string(stepKindName(st.kind));
    }

    bool runStep()
    {
        begin();
        if (stopped || next >= static_cast<int>(actionIndex.size()))
            return false;
        if (cancelled()) { // between steps: nothing more is started
            stopByUser();
            return false;
        }
        // What the kernel did while the run waited between steps (a user stepping through, a
        // timer firing) belongs to the step before, not to the one about to run. States and the
        // wire are read together, as in a step: a segment flushed alone would come before the
        // state change that sent it (a retransmitted SYN answered between two steps).
        // A lab found gone here is reported at the step about to run (below), where it was seen.
        if (!lostReason())
            sampleAll();
        drainCapture();
        rec.setStep(next++);
        const std::size_t at = actionIndex[static_cast<std::size_t>(current())];
        if (labLost())
            return false;
        execute(scenario.steps[at]);
        if (stopped)
            return false;
        settle();
        if (stopped)
            return false;
        const std::size_t end = current() + 1 < static_cast<int>(actionIndex.size())
            ? actionIndex[static_cast<std::size_t>(current() + 1)]
            : scenario.steps.size();
        for (std::size_t i = at + 1; i < end; ++i)
            recordExpectation(check(scenario.steps[i]));
        if (cancelled()) {
            stopByUser();
            return false;
        }
        return true;
    }
};

Result<void> Runner::actAtGate(GateAction action, std::int64_t frame)
{
    return d->userAction(action, frame);
}

bool Runner::hasGate() const { return d->hosts.has_value(); }
bool Runner::gateHolding() const { return d->hosts && d->hosts->gate->holding(); }

std::vector<std::int64_t> Runner::heldFrames() const
{
    std::vector<std::int64_t> out;
    if (d->hosts)
        for (const GatePacket& p : d->hosts->gate->held())
            if (p.id <= d->packets.size()) // only what the trace shows
                out.push_back(static_cast<std::int64_t>(p.id));
    return out;
}

Runner::Runner(Scenario scenario, RunOptions options)
    : d(std::make_unique<Impl>(std::move(scenario), std::move(options)))
{
    d->start();
}

Runner::~Runner()
{
    if (d->calls)
        d->calls->closeAll();
}

const Scenario& Runner::scenario() const { return d->scenario; }
int Runner::stepCount() const { return static_cast<int>(d->actionIndex.size()); }
int Runner::nextStep() const { return d->next; }
bool Runner::atEnd() const { return d->stopped || d->next >= stepCount(); }
bool Runner::step() { return d->runStep(); }

const RunSummary& Runner::runAll()
{
    d->begin();
    while (d->runStep()) { }
    return d->summary;
}

const Trace& Runner::trace() const { return d->rec.trace(); }
const RunSummary& Runner::summary() const { return d->summary; }
const std::vector<CapturedPacket>& Runner::capturedPackets() const { return d->packets; }

} // namespace synack
