// SPDX-License-Identifier: GPL-3.0-or-later
#include "run/runner.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <deque>
#include <fcntl.h>
#include <linux/netlink.h>
#include <limits>
#include <map>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <set>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <thread>
#include <utility>

#include "lab/capture.h"
#include "base/fd.h"
#include "lab/lab.h"
#include "kernel/probe.h"
#include "kernel/sockdiag.h"

namespace synack {

namespace {

    using Clock = std::chrono::steady_clock;

    enum class Role { Socket, Listener, Client, Accepted, Peer };

    /// A close() that blocks for SO_LINGER seconds runs on its own thread; this is what the
    /// runner and that thread share (the thread may outlive the runner, so it is shared).
    struct LingerClose {
        std::atomic<bool> done { false };
        int err = 0;
    };

    /// A call the application is blocked in.
    struct Pending {
        StepKind kind = StepKind::Send;
        int line = 0;
        std::string text;
        std::string call;
        std::string args;
        std::map<std::string, std::string> narration;
        std::int64_t want = 0; ///< send/recv: bytes the call wants in all
        std::int64_t done = 0; ///< ...and has moved so far
        bool untilEof = false; ///< recv all
        std::string acceptName; ///< accept: the new endpoint's name
        std::shared_ptr<LingerClose> closer;
        std::vector<CallRecord> calls;
    };

    struct Endpoint {
        std::string name;
        Role role = Role::Socket;
        Fd fd;
        int family = AF_INET;
        bool appClosed = false; ///< the application called close()
        int closedLine = 0;
        bool nonblock = false; ///< how the application behaves, not the OS flag (always non-blocking)
        int lingerSec = -1; ///< -1 = SO_LINGER off
        bool gracefulClose = true; ///< close() sent FIN, not RST (no unread data, no linger 0)
        SockAddr local;
        SockAddr peer;
        std::uint64_t cookie = 0;
        std::string peerOf; ///< Peer: the client endpoint whose connection this is
        std::int64_t lastBytesSent = -1;
        bool adopted = false; ///< accept() gave a name to a socket shown before as "<client>/peer"
        bool synSentShown = false; ///< a change to SYN_SENT was reported (read or inferred)
        /// When the kernel stopped reporting a socket that has no descriptor: the step (index, -1
        /// while it is there), that step's line, and the state it was last seen in.
        int goneStep = -1;
        int goneLine = 0;
        std::string goneFrom;

        Sample last;
        std::string lastState; ///< last reported state name, "" before the first
        BuffersEvent lastBuffers;
        TimerEvent lastTimer;
        std::int64_t lastTimerAtNs = 0;

        bool hasLastCall = false;
        std::int64_t lastResult = 0;
        int lastErr = 0;
        std::unique_ptr<Pending> pending;
    };

    std::string familyName(int family) { return family == AF_INET6 ? "AF_INET6" : "AF_INET"; }

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

    bool compare(std::int64_t observed, CompareOp op, std::int64_t expected)
    {
        switch (op) {
        case CompareOp::Eq:
            return observed == expected;
        case CompareOp::Ne:
            return observed != expected;
        case CompareOp::Lt:
            return observed < expected;
        case CompareOp::Le:
            return observed <= expected;
        case CompareOp::Gt:
            return observed > expected;
        case CompareOp::Ge:
            return observed >= expected;
        }
        return false;
    }

    std::string shutdownText(int mask)
    {
        switch (mask) {
        case 0:
            return "none";
        case 1:
            return "rd";
        case 2:
            return "wr";
        case 3:
            return "rdwr";
        default:
            return "unknown";
        }
    }

    /// The path RFC 9293 takes from `from` to `to` when the sampler saw only the ends. The graph
    /// is the diagram's ordinary edges, without the abort-to-CLOSE shortcuts, so the path is the
    /// one a graceful exchange would take. Returns the states strictly between the two.
    std::vector<TcpState> inferredPath(TcpState from, TcpState to, bool passiveOpen)
    {
        using S = TcpState;
        struct Edge {
            S a, b;
        };
        static constexpr Edge kEdges[] = {
            { S::Close, S::SynSent },
            { S::Close, S::Listen },
            { S::Listen, S::SynRecv },
            { S::SynSent, S::Established },
            { S::SynRecv, S::Established },
            { S::SynSent, S::SynRecv },
            { S::SynRecv, S::FinWait1 },
            { S::Established, S::FinWait1 },
            { S::Established, S::CloseWait },
            { S::FinWait1, S::FinWait2 },
            { S::FinWait1, S::Closing },
            { S::FinWait1, S::TimeWait },
            { S::FinWait2, S::TimeWait },
            { S::Closing, S::TimeWait },
            { S::CloseWait, S::LastAck },
            { S::LastAck, S::Close },
            { S::TimeWait, S::Close },
        };
        if (from == S::Close && passiveOpen)
            from = S::Listen; // an accepted connection's server half was born of a listener
        std::map<S, S> prev;
        std::deque<S> queue { from };
        prev[from] = from;
        while (!queue.empty()) {
            S s = queue.front();
            queue.pop_front();
            if (s == to)
                break;
            for (const Edge& e : kEdges) {
                // A passive connection does not go through SYN_SENT.
                if (passiveOpen && e.b == S::SynSent)
                    continue;
                if (e.a == s && !prev.count(e.b)) {
                    prev[e.b] = s;
                    queue.push_back(e.b);
                }
            }
        }
        if (!prev.count(to))
            return {};
        std::vector<S> path;
        for (S s = prev[to]; s != from; s = prev[s])
            path.push_back(s);
        std::reverse(path.begin(), path.end());
        if (passiveOpen && from == S::Listen && !path.empty() && path.front() == S::Listen)
            path.erase(path.begin());
        return path;
    }

    constexpr std::size_t kChunk = 64 * 1024;

    Pending pending(StepKind kind, std::int64_t want = 0)
    {
        Pending p;
        p.kind = kind;
        p.want = want;
        return p;
    }

} // namespace

struct Runner::Impl {
    Scenario scenario;
    RunOptions options;
    Trace trace;
    RunSummary summary;
    Clock::time_point t0 = Clock::now();
    std::optional<SockDiag> diag;
    struct FileCloser {
        void operator()(std::FILE* f) const { std::fclose(f); }
    };
    std::unique_ptr<std::FILE, FileCloser> diagRecording; ///< SYNACK_DIAG_RECORD
    std::vector<std::unique_ptr<Endpoint>> endpoints;
    std::vector<std::size_t> actionIndex; ///< scenario step index of each action step
    int next = 0; ///< next action step
    int current = -1; ///< action step being run
    bool stopped = false;
    bool begun = false;
    /// Inferred segments sent and not yet matched to the state change they cause, by (from, to).
    std::map<std::pair<std::string, std::string>, std::vector<std::string>> m_inFlight;
    /// The step's call returned what the wire answered (a connect() completed or refused before
    /// it returned): its consequences are emitted before the step event that reports the result.
    bool m_resultFromWire = false;
    std::vector<char> sendBuffer = std::vector<char>(kChunk, 'x');
    std::vector<char> recvBuffer = std::vector<char>(kChunk);
    // The lab (tier 1): where sockets are made, and the capture on its lo. Both empty on host loopback.
    std::optional<Lab> lab;
    std::optional<Capture> capture;
    std::vector<CapturedPacket> packets; ///< everything captured, in order: the run's pcap
    std::uint64_t dropsReported = 0;

    // --- time and events ---------------------------------------------------------------------

    std::int64_t nowNs() const
    {
        return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - t0).count();
    }

    void emit(EventData data) { emitAt(nowNs(), std::move(data)); }

    /// Emits an event that happened at `t` (a captured segment: before it was read).
    void emitAt(std::int64_t t, EventData data)
    {
        // Timestamps are monotonic and strictly ordered even when two events share a sample.
        if (!trace.events.empty() && t <= trace.events.back().tNs)
            t = trace.events.back().tNs + 1;
        trace.events.push_back(Event { t, current, std::move(data) });
        if (options.onEvent)
            options.onEvent(trace.events.back());
    }

    void note(std::string text, std::string level = "info", int line = 0)
    {
        emit(NoteEvent { std::move(level), std::move(text), line });
    }

    bool cancelled() const { return options.cancel && options.cancel->load(); }

    // --- endpoints -----------------------------------------------------------------------------

    Endpoint* find(const std::string& name)
    {
        for (auto& ep : endpoints)
            if (ep->name == name)
                return ep.get();
        return nullptr;
    }

    Endpoint& obtain(const std::string& name)
    {
        if (Endpoint* ep = find(name))
            return *ep;
        auto ep = std::make_unique<Endpoint>();
        ep->name = name;
        endpoints.push_back(std::move(ep));
        return *endpoints.back();
    }

    // --- sampling ------------------------------------------------------------------------------

    /// A state change of one endpoint, about to be emitted.
    struct Transition {
        Endpoint* ep = nullptr;
        StateEvent event;
        bool finQueued = false; ///< entered FIN_WAIT1/LAST_ACK with data still unsent: the FIN waits behind it
        bool heldOnce = false; ///< held back by one batch already (see holdUnseen, holdUnpaired)
    };

    struct SegmentRole {
        std::string sends; ///< flags of a segment this transition sends ("" none)
        std::string receives; ///< flags of the segment that caused it ("" none)
    };


    /// Reads every endpoint from the kernel, emits what changed, and returns whether anything did.
    bool sampleAll()
    {
        std::map<Endpoint*, Sample> samples;
        // When each endpoint's state was read: taken just before the read, so that whatever
        // crossed the wire before that time is surely reflected in what was read.
        std::map<const Endpoint*, std::int64_t> readAt;
        for (auto& ep : endpoints) {
            if (!ep->fd)
                continue;
            const std::int64_t before = nowNs();
            auto s = probeDescriptor(ep->fd.get());
            if (s) {
                readAt[ep.get()] = before;
                samples[ep.get()] = *s;
                if (s->cookie)
                    ep->cookie = s->cookie;
                if (s->local.valid() && (s->local.port != 0 || ep->local.port == 0))
                    ep->local = s->local; // a known port is never replaced by 0 (see isTeardownRecord)
                if (s->peer.valid())
                    ep->peer = s->peer;
            }
        }

        std::set<Endpoint*> seenInDiag;
        std::set<Endpoint*> unsure; // a dump caught them mid-teardown: no reading this time
        std::set<int> failedFamilies;
        if (diag) {
            for (int family : { AF_INET, AF_INET6 }) {
                std::vector<std::uint16_t> ports;
                for (auto& ep : endpoints)
                    if (ep->family == family && ep->local.port != 0
                        && std::find(ports.begin(), ports.end(), ep->local.port) == ports.end())
                        ports.push_back(ep->local.port);
                if (ports.empty())
                    continue;
                if (ports.size() > SockDiag::kMaxPorts)
                    ports.resize(SockDiag::kMaxPorts);
                const std::int64_t dumpedAt = nowNs();
                auto dump = diag->dump(family, ports);
                if (!dump) {
                    failedFamilies.insert(family);
                    note("sock_diag dump failed, sockets without a descriptor are not visible now: "
                            + dump.error().message(),
                        "warning");
                    continue;
                }
                for (const DiagSocket& d : *dump)
                    matchDiag(d, samples, seenInDiag, unsure);
                for (auto& ep : endpoints)
                    if (!ep->fd && ep->family == family && !unsure.count(ep.get()))
                        readAt[ep.get()] = dumpedAt; // read, or read as gone
            }
        }

        std::vector<std::pair<Endpoint*, Sample>> batch;
        for (auto& ep : endpoints) {
            Sample s;
            if (auto it = samples.find(ep.get()); it != samples.end())
                s = it->second;
            else if (failedFamilies.count(ep->family))
                continue; // not seen because the dump failed, not because the socket is gone
            else if (unsure.count(ep.get()))
                continue; // being replaced or destroyed: the next dump says which
            // Without a descriptor and without a sock_diag entry the kernel no longer has the
            // socket (or sock_diag is unavailable, which the run has already said).
            batch.emplace_back(ep.get(), s);
        }
        // Read the wire after the kernel's state (and after sock_diag named the not-yet-accepted
        // sockets), so every segment that changed a state read above is in hand.
        return report(batch, readCapture(), &readAt);
    }

    /// Samples, and again if that sample held anything back (see holdUnseen, holdUnpaired), so
    /// that everything that happened before now has been emitted: for a call's result, which
    /// must follow what caused it.
    void sampleSettled()
    {
        sampleAll();
        if (!heldTransitions.empty() || !heldWire.empty())
            sampleAll();
    }

    /// Emits what changed for a batch of samples taken together: data segments first (the
    /// bytes left before any FIN behind them), then state changes with their segments in causal
    /// order (the captured ones, `wire`, or else inferred ones), then queues and timers.
    /// `readAt` says when each endpoint was read, so that captured segments whose effect the
    /// batch could not have seen yet wait for the next one.
    bool report(const std::vector<std::pair<Endpoint*, Sample>>& batch, std::vector<SegmentEvent> wire = {},
        const std::map<const Endpoint*, std::int64_t>* readAt = nullptr)
    {
        bool changed = !wire.empty();
        for (const auto& [ep, s] : batch)
            changed |= reportData(*ep, s);
        std::vector<Transition> transitions;
        for (const auto& [ep, s] : batch)
            appendTransitions(*ep, s, transitions);
        changed |= !transitions.empty();
        if (!heldTransitions.empty()) {
            for (Transition& t : heldTransitions)
                t.heldOnce = true;
            transitions.insert(transitions.begin(), std::make_move_iterator(heldTransitions.begin()),
                std::make_move_iterator(heldTransitions.end()));
            heldTransitions.clear();
        }
        if (capture) {
            renameWire(wire);
            holdUnseen(wire, transitions, readAt);
            emitAlongWire(transitions, wire);
        } else {
            holdUnpaired(transitions, readAt);
            emitCausally(transitions);
        }
        for (const auto& [ep, s] : batch)
            changed |= reportQueues(*ep, s);
        return changed;
    }

    /// Captured segments read but not emitted yet, and the state changes they caused (see holdUnseen).
    std::vector<SegmentEvent> heldWire;
    std::size_t heldCount = 0; ///< how many of the segments readCapture() returns were held before
    std::vector<Transition> heldTransitions;

    /// Host loopback: holds back (once) a change that receives a segment nobody was seen to send
    /// when its sender was read before it in this batch: the sender may have moved on, and sent
    /// it, between the two reads (a client read in SYN_SENT just before its peer, read through
    /// sock_diag, is found ESTABLISHED). The next batch reads the sender after, and pairs them.
    void holdUnpaired(std::vector<Transition>& transitions, const std::map<const Endpoint*, std::int64_t>* readAt)
    {
        if (!readAt)
            return;
        auto readTime = [&](const Endpoint* ep) {
            auto it = readAt->find(ep);
            return it == readAt->end() ? std::int64_t(-1) : it->second;
        };
        std::set<const Endpoint*> holding;
        std::vector<bool> held(transitions.size(), false);
        for (std::size_t i = 0; i < transitions.size(); ++i) {
            const Transition& t = transitions[i];
            bool hold = holding.count(t.ep) > 0;
            if (!hold && !t.heldOnce) {
                Endpoint* peer = peerEndpoint(*t.ep);
                const SegmentRole role = segmentRole(t, peer);
                // (A sender with no reading in this batch, -1, was caught mid-teardown: see isTeardownRecord.)
                if (!role.receives.empty() && peer && readTime(peer) < readTime(t.ep)) {
                    const auto& inFlight = m_inFlight[{ peer->name, t.ep->name }];
                    const bool sent = std::find(inFlight.begin(), inFlight.end(), role.receives) != inFlight.end();
                    const bool willBeSent = std::any_of(transitions.begin(), transitions.end(), [&](const Transition& o) {
                        return o.ep == peer && segmentRole(o, peerEndpoint(*peer)).sends == role.receives;
                    });
                    hold = !sent && !willBeSent;
                }
            }
            if (hold)
                holding.insert(t.ep);
            held[i] = hold;
        }
        // A change that receives what a held change sends waits with it (and so on).
        for (bool grew = !holding.empty(); grew;) {
            grew = false;
            for (std::size_t i = 0; i < transitions.size(); ++i) {
                const Transition& t = transitions[i];
                if (held[i])
                    continue;
                Endpoint* peer = peerEndpoint(*t.ep);
                const SegmentRole role = segmentRole(t, peer);
                bool hold = false;
                for (std::size_t j = 0; !hold && j < transitions.size(); ++j)
                    hold = held[j] && transitions[j].ep == peer && !role.receives.empty()
                        && segmentRole(transitions[j], peerEndpoint(*peer)).sends == role.receives;
                if (hold) {
                    held[i] = true;
                    grew = true;
                    // The endpoint's later changes wait too.
                    for (std::size_t k = i + 1; k < transitions.size(); ++k)
                        if (transitions[k].ep == t.ep)
                            held[k] = true;
                    holding.insert(t.ep);
                }
            }
        }
        std::vector<Transition> keep;
        for (std::size_t i = 0; i < transitions.size(); ++i)
            (held[i] ? heldTransitions : keep).push_back(std::move(transitions[i]));
        transitions = std::move(keep);
    }

    /// Moves to heldWire the first segment of `wire` (and all after it, keeping wire order)
    /// whose effect this batch may not have read: one that crossed after its receiver, or its
    /// sender, was read, unless a change read in this batch is what it causes or what sent it.
    /// Such a segment is emitted with the next batch, which reads both ends after it crossed,
    /// so the change it caused is not drawn after the reply that change sent. A segment is held
    /// once at most. A change this batch read that a held segment caused is held with it (and
    /// the endpoint's changes after it), so that it still follows its cause.
    void holdUnseen(std::vector<SegmentEvent>& wire, std::vector<Transition>& transitions,
        const std::map<const Endpoint*, std::int64_t>* readAt)
    {
        const std::size_t wasHeld = std::exchange(heldCount, 0);
        if (!readAt)
            return;
        auto readTime = [&](const Endpoint* ep) {
            if (!ep)
                return std::numeric_limits<std::int64_t>::max(); // not ours: no state to wait for
            auto it = readAt->find(ep);
            return it == readAt->end() ? std::int64_t(-1) : it->second;
        };
        auto changes = [&](const Endpoint* ep, const std::string& kind, bool sends) {
            for (const Transition& t : transitions) {
                if (t.ep != ep)
                    continue;
                const SegmentRole role = segmentRole(t, peerEndpoint(*t.ep));
                if (sends ? role.receives.empty() && role.sends == kind : role.receives == kind)
                    return true;
            }
            return false;
        };
        std::size_t i = std::min(wasHeld, wire.size());
        for (; i < wire.size(); ++i) {
            const SegmentEvent& e = wire[i];
            const std::int64_t w = *e.wireNs;
            const Endpoint* from = find(e.from);
            const Endpoint* to = find(e.to);
            const std::string kind = roleFlags(e.flags);
            const bool bothReadAfter = w <= readTime(from) && w <= readTime(to);
            const bool causesReadChange = to && w <= readTime(to) && changes(to, kind, false);
            const bool sentByReadChange = from && changes(from, kind, true);
            if (!bothReadAfter && !causesReadChange && !sentByReadChange)
                break;
        }
        heldWire.assign(std::make_move_iterator(wire.begin() + static_cast<std::ptrdiff_t>(i)),
            std::make_move_iterator(wire.end()));
        heldCount = heldWire.size();
        wire.erase(wire.begin() + static_cast<std::ptrdiff_t>(i), wire.end());
        if (heldWire.empty())
            return;
        std::set<const Endpoint*> holding;
        std::vector<Transition> keep;
        for (Transition& t : transitions) {
            const SegmentRole role = segmentRole(t, peerEndpoint(*t.ep));
            const bool causedByHeld = !role.receives.empty()
                && std::any_of(heldWire.begin(), heldWire.end(), [&](const SegmentEvent& e) {
                       return e.to == t.ep->name && roleFlags(e.flags) == role.receives;
                   })
                && std::none_of(wire.begin(), wire.end(), [&](const SegmentEvent& e) {
                       return e.to == t.ep->name && roleFlags(e.flags) == role.receives;
                   });
            if (causedByHeld || holding.count(t.ep)) {
                holding.insert(t.ep);
                heldTransitions.push_back(std::move(t));
            } else {
                keep.push_back(std::move(t));
            }
        }
        transitions = std::move(keep);
    }

    void matchDiag(const DiagSocket& d, std::map<Endpoint*, Sample>& samples, std::set<Endpoint*>& seen,
        std::set<Endpoint*>& unsure)
    {
        if (isTeardownRecord(d)) {
            // A descriptor still reads the socket itself; an endpoint known only through
            // sock_diag gets no reading from this dump (and keeps its port and cookie).
            for (auto& ep : endpoints)
                if (d.cookie && ep->cookie == d.cookie && !samples.count(ep.get()))
                    unsure.insert(ep.get());
            return;
        }
        Endpoint* owner = nullptr;
        if (d.cookie) {
            for (auto& ep : endpoints)
                if (ep->cookie == d.cookie)
                    owner = ep.get();
        }
        if (!owner && d.state != TcpState::Listen) {
            // No cookie match: an endpoint that never had a descriptor for this socket, matched by
            // 4-tuple (the cookie is learnt now, so the next dumps match by cookie).
            for (auto& ep : endpoints)
                if (!ep->fd && ep->cookie == 0 && ep->local == d.local && ep->peer == d.remote)
                    owner = ep.get();
        }
        if (!owner && d.state != TcpState::Listen && d.state != TcpState::TimeWait) {
            // The server half of one of our clients' connections, not accepted yet: it has no
            // descriptor, so it gets a name of its own until accept() adopts it.
            Endpoint* client = nullptr;
            for (auto& ep : endpoints)
                if (ep->role == Role::Client && ep->local == d.remote && ep->peer == d.local)
                    client = ep.get();
            if (client) {
                const std::string name = client->name + "/peer";
                Endpoint& peer = obtain(name); // may grow `endpoints`: no iterator is held here
                if (peer.cookie == 0 || peer.cookie == d.cookie) {
                    peer.role = Role::Peer;
                    peer.family = d.local.family;
                    peer.peerOf = client->name;
                    peer.local = d.local;
                    peer.peer = d.remote;
                    owner = &peer;
                }
            }
        }
        if (!owner)
            return;
        owner->cookie = d.cookie;
        seen.insert(owner);
        auto it = samples.find(owner);
        if (it != samples.end() && it->second.fromDescriptor) {
            mergeDiag(it->second, d);
            // A descriptor whose connection went into TIME_WAIT: the kernel replaced the socket
            // with a timewait socket (tcp_time_wait) and left the descriptor's in CLOSE. The
            // connection's state is the timewait socket's.
            if (it->second.state == TcpState::Close && d.state != TcpState::Close)
                it->second.state = d.state;
        } else {
            samples[owner] = sampleFromDiag(d);
        }
    }

    /// The timer kind of an endpoint's sample, as the trace names it ("" for none).
    static TimerKind timerKind(const Endpoint& ep, const Sample& s)
    {
        return s.present ? timerKindOf(static_cast<unsigned>(s.timer), s.state, orphan(ep)) : TimerKind::None;
    }
    static std::string timerLabel(const Endpoint& ep, const Sample& s)
    {
        const TimerKind kind = timerKind(ep, s);
        if (kind == TimerKind::None)
            return {};
        if (kind == TimerKind::Unknown)
            return timerName(s.timer); // "unknown(N)"
        return std::string(timerKindName(kind));
    }

    /// Emits buffer and timer events for what changed on one endpoint.
    bool reportQueues(Endpoint& ep, const Sample& s)
    {
        bool changed = false;

        BuffersEvent b;
        b.endpoint = ep.name;
        b.recvq = s.recvq;
        b.sendq = s.sendq;
        b.notsent = s.notsent;
        b.sndbuf = s.sndbuf;
        b.rcvbuf = s.rcvbuf;
        b.sndwnd = s.sndwnd;
        b.rcvwnd = s.rcvwnd;
        b.acceptq = s.acceptq;
        b.backlog = s.backlog;
        b.segsOut = s.segsOut;
        b.segsIn = s.segsIn;
        b.retrans = s.retrans;
        if (s.present && s.shutdown >= 0)
            b.shutdown = shutdownText(s.shutdown);
        if (!(b == ep.lastBuffers)) {
            ep.lastBuffers = b;
            emit(b);
            changed = true;
        }

        TimerEvent t;
        t.endpoint = ep.name;
        t.timer = s.present ? timerLabel(ep, s) : std::string();
        t.remainingMs = s.present ? s.timerMs : 0;
        t.retrans = s.timerRetrans;
        const std::int64_t now = nowNs();
        const std::int64_t expectedLeft = ep.lastTimer.remainingMs - (now - ep.lastTimerAtNs) / 1'000'000;
        // A new kind, or the same kind re-armed (more or less time left than the old countdown
        // says, as when TCP_KEEPIDLE shortens a keepalive timer), is news; the countdown is not.
        const bool rearmed = !t.timer.empty() && std::llabs(t.remainingMs - expectedLeft) > 200;
        if (t.timer != ep.lastTimer.timer || rearmed || t.retrans != ep.lastTimer.retrans) {
            ep.lastTimer = t;
            ep.lastTimerAtNs = now;
            emit(t);
            changed = true;
        }

        ep.last = s;
        if (s.present && s.local.valid() && (s.local.port != 0 || ep.local.port == 0))
            ep.local = s.local;
        return changed;
    }


    /// The state changes an endpoint went through since its last sample, with the states the
    /// sampler could not see filled in from the RFC diagram (and marked inferred).
    void appendTransitions(Endpoint& ep, const Sample& s, std::vector<Transition>& out)
    {
        const std::string stateNow = s.present ? std::string(stateName(s.state)) : std::string("CLOSE");
        if (stateNow == ep.lastState)
            return;
        const std::string local = ep.local.valid() ? ep.local.toString() : std::string();
        const std::string peer = ep.peer.valid() ? ep.peer.toString() : std::string();
        std::string from = ep.lastState;
        const TcpState to = s.present ? s.state : TcpState::Close;

        const bool passive = ep.role == Role::Peer || ep.role == Role::Accepted;
        TcpState fromState = from.empty() ? TcpState::Close : stateFromName(from).value_or(TcpState::Unknown);
        std::vector<TcpState> gap;
        if (fromState != TcpState::Unknown && fromState != to) {
            const bool direct = isDirectTransition(fromState, to) && !(from.empty() && passive);
            // CLOSE_WAIT straight to CLOSE is an abort (RST); after a graceful close() it went
            // through LAST_ACK too fast to be sampled.
            const bool gracefulGap = to == TcpState::Close && ep.appClosed && ep.gracefulClose
                && fromState == TcpState::CloseWait;
            if (!direct || gracefulGap)
                gap = inferredPath(fromState, to, passive);
        }
        // An adopted socket's opening was already shown under its "/peer" name.
        if (from.empty() && ep.adopted)
            gap.clear();
        for (TcpState mid : gap) {
            std::string m(stateName(mid));
            out.push_back({ &ep,
                StateEvent { ep.name, from, m, Source::Inferred, local, peer,
                    "not sampled: passed through faster than the sampler reads the kernel; taken from the RFC 9293 "
                    "diagram" } });
            from = m;
        }
        out.push_back({ &ep,
            StateEvent { ep.name, from, stateNow, Source::Kernel, local, peer,
                s.present ? std::string() : std::string("the kernel no longer has this socket") },
            s.notsent > 0 });
        for (const Transition& t : out)
            if (t.ep == &ep && t.event.to == "SYN_SENT")
                ep.synSentShown = true;
        if (!s.present && !ep.fd) {
            ep.goneStep = current;
            ep.goneLine = current >= 0 ? scenario.steps[actionIndex[static_cast<std::size_t>(current)]].pos.line : 0;
            ep.goneFrom = ep.lastState;
        } else if (s.present) {
            ep.goneStep = -1;
        }
        ep.lastState = stateNow;
    }

    // --- inferred segments ---------------------------------------------------------------------
    // Without a capture (host loopback) no segment is seen. Each RFC 9293 transition sends and
    // receives known segments, so they are inferred from the state changes, all marked inferred.
    // Emitting every endpoint's transitions in causal order (a receive after the matching send)
    // also puts the handshake's SYN, SYN-ACK and ACK in the order they happened.


    /// The other half of an endpoint's connection; failing that, the endpoint it connected to.
    Endpoint* peerEndpoint(const Endpoint& ep)
    {
        if (!ep.peer.valid())
            return nullptr;
        Endpoint* target = nullptr;
        for (auto& o : endpoints) {
            if (o.get() == &ep || o->local != ep.peer)
                continue;
            if (o->peer == ep.local)
                return o.get();
            if (o->role == Role::Listener || o->role == Role::Socket)
                target = o.get();
        }
        return target;
    }

    /// Whether `ep`'s own close() aborted the connection with RST (SO_LINGER 0 or unread data:
    /// tcp_close()'s rule).
    static bool abortedAtClose(const Endpoint& ep) { return ep.appClosed && !ep.gracefulClose; }

    /// Whether `ep` is an orphan: closed by its application, kept by the kernel alone.
    static bool orphan(const Endpoint& ep) { return ep.appClosed && !ep.fd; }

    SegmentRole segmentRole(const Transition& t, const Endpoint* peer) const
    {
        using S = TcpState;
        if (t.event.from.empty() && t.ep->adopted)
            return {}; // its handshake was already shown under its "/peer" name
        const S from = t.event.from.empty() ? S::Close : stateFromName(t.event.from).value_or(S::Unknown);
        const S to = stateFromName(t.event.to).value_or(S::Unknown);
        switch (to) {
        case S::SynSent:
            return { "SYN", "" };
        case S::SynRecv:
            return { "SYN,ACK", "SYN" };
        case S::Established:
            return from == S::SynSent ? SegmentRole { "ACK", "SYN,ACK" } : SegmentRole { "", "ACK" };
        case S::FinWait1:
        case S::LastAck:
            // The state changes when close()/shutdown() is called, but a FIN queued behind unsent
            // data leaves only after it; the receiver's own state change will show it arriving.
            if (t.finQueued)
                return {};
            return { "FIN,ACK", "" };
        case S::FinWait2:
            return { "", "ACK" };
        case S::CloseWait:
        case S::Closing:
            return { "ACK", "FIN,ACK" };
        case S::TimeWait:
            return from == S::Closing ? SegmentRole { "", "ACK" } : SegmentRole { "ACK", "FIN,ACK" };
        case S::Close:
            if (from == S::LastAck)
                return { "", "ACK" };
            if (from == S::TimeWait || from == S::Listen || from == S::Close || from == S::Unknown)
                return {}; // a timer, or a listener closing: nothing on the wire
            if (from == S::SynSent)
                return { "", "RST" }; // refused
            if (abortedAtClose(*t.ep))
                return { "RST", "" };
            if (peer && abortedAtClose(*peer))
                return { "", "RST" };
            // An orphan answers data with RST (it has no application to read it): the side that
            // still has its application is reset. The orphan's own end is only seen as its socket
            // disappearing, which is no evidence of a segment; it may as well have timed out.
            if (!orphan(*t.ep) && peer && orphan(*peer))
                return { "", "RST" };
            return {}; // a timeout, or an orphan's end: do not invent a segment
        default:
            return {};
        }
    }

    void emitSegment(const std::string& from, const std::string& to, const std::string& flags, std::string why,
        std::int64_t length = 0)
    {
        // In the lab the segments themselves are captured: none is inferred. (The causal order
        // of state changes, which this bookkeeping also serves, stays.)
        if (capture)
            return;
        SegmentEvent seg;
        seg.from = from;
        seg.to = to;
        seg.flags = flags;
        seg.length = length;
        seg.source = Source::Inferred;
        seg.why = std::move(why);
        emit(std::move(seg));
    }

    void emitCausally(std::vector<Transition>& transitions)
    {
        if (transitions.empty())
            return;
        // Per endpoint, its own transitions stay in order; across endpoints, a transition that
        // receives a segment waits until the peer's transition that sends it has been emitted.
        std::vector<Endpoint*> order;
        std::map<Endpoint*, std::deque<Transition>> pending;
        for (Transition& t : transitions) {
            if (!pending.count(t.ep))
                order.push_back(t.ep);
            pending[t.ep].push_back(std::move(t));
        }
        auto willSend = [&](Endpoint* who, const std::string& flags) {
            if (!who || !pending.count(who))
                return false;
            Endpoint* whoPeer = peerEndpoint(*who);
            for (const Transition& t : pending[who])
                if (segmentRole(t, whoPeer).sends == flags)
                    return true;
            return false;
        };
        for (;;) {
            bool progress = false, any = false;
            for (Endpoint* ep : order) {
                auto& queue = pending[ep];
                if (queue.empty())
                    continue;
                any = true;
                Endpoint* peer = peerEndpoint(*ep);
                const SegmentRole role = segmentRole(queue.front(), peer);
                const std::string peerName = peer ? peer->name : std::string();
                if (!role.receives.empty() && peer) {
                    auto& inFlight = m_inFlight[{ peerName, ep->name }];
                    auto hit = std::find(inFlight.begin(), inFlight.end(), role.receives);
                    if (hit != inFlight.end()) {
                        inFlight.erase(hit);
                    } else if (willSend(peer, role.receives)) {
                        continue; // the peer sends it first
                    } else {
                        // Sent without a state change we saw (a retransmission, or the kernel
                        // answering for a socket with no state of its own, as for a refused SYN).
                        emitSegment(peerName, ep->name, role.receives,
                            "inferred: " + ep->name + " went " + queue.front().event.from + " -> "
                                + queue.front().event.to + ", which takes a " + role.receives + " from " + peerName);
                    }
                }
                emit(queue.front().event);
                if (!role.sends.empty() && !peerName.empty()) {
                    emitSegment(ep->name, peerName, role.sends,
                        "inferred: " + ep->name + " went " + queue.front().event.from + " -> " + queue.front().event.to
                            + ", which sends " + role.sends + " (RFC 9293)");
                    m_inFlight[{ ep->name, peerName }].push_back(role.sends);
                }
                queue.pop_front();
                progress = true;
            }
            if (!any)
                break;
            if (!progress) {
                // A cycle (should not happen); emit the first waiting transition as it is.
                for (Endpoint* ep : order)
                    if (!pending[ep].empty()) {
                        emit(pending[ep].front().event);
                        pending[ep].pop_front();
                        break;
                    }
            }
        }
    }

    /// What a segment is to the state machine: "SYN", "SYN,ACK", "RST", "FIN,ACK" or "ACK" (any
    /// other segment that acknowledges), in the words segmentRole() uses.
    static std::string roleFlags(const std::string& flags)
    {
        auto has = [&](std::string_view f) {
            for (std::size_t at = 0; at < flags.size();) {
                const std::size_t comma = std::min(flags.find(',', at), flags.size());
                if (std::string_view(flags).substr(at, comma - at) == f)
                    return true;
                at = comma + 1;
            }
            return false;
        };
        if (has("SYN"))
            return has("ACK") ? "SYN,ACK" : "SYN";
        if (has("RST"))
            return "RST";
        if (has("FIN"))
            return "FIN,ACK";
        return has("ACK") ? "ACK" : "";
    }

    /// The lab's order: every captured segment in wire order, and each state change placed at the
    /// segment it receives (just after it) or, when it receives none, sends (just before it),
    /// timed by that segment's wire time. A change whose segment is not in this batch (its cause
    /// was shown before, or a timer made it) comes first; an endpoint's own changes keep their
    /// order. What is left follows in causal order.
    void emitAlongWire(std::vector<Transition>& transitions, std::vector<SegmentEvent>& wire)
    {
        std::map<Endpoint*, std::deque<Transition>> pending;
        std::vector<Endpoint*> order;
        for (Transition& t : transitions) {
            if (!pending.count(t.ep))
                order.push_back(t.ep);
            pending[t.ep].push_back(std::move(t));
        }
        auto byName = [&](const std::string& name) -> Endpoint* {
            for (Endpoint* ep : order)
                if (ep->name == name)
                    return ep;
            return nullptr;
        };
        // The segment a change is placed at: what it receives, else what it sends; "" for none.
        auto anchor = [&](const Transition& t, bool& sends) {
            const SegmentRole role = segmentRole(t, peerEndpoint(*t.ep));
            sends = role.receives.empty();
            return sends ? role.sends : role.receives;
        };
        auto inWire = [&](const Transition& t) {
            bool sends = false;
            const std::string kind = anchor(t, sends);
            if (kind.empty())
                return false;
            return std::any_of(wire.begin(), wire.end(), [&](const SegmentEvent& seg) {
                return (sends ? seg.from : seg.to) == t.ep->name && roleFlags(seg.flags) == kind;
            });
        };
        for (Endpoint* ep : order) {
            auto& queue = pending[ep];
            while (!queue.empty() && !inWire(queue.front())) {
                emit(std::move(queue.front().event));
                queue.pop_front();
            }
        }
        // Emits `ep`'s changes up to and including the first one placed at a `kind` segment.
        auto emitUpTo = [&](Endpoint* ep, const std::string& kind, bool sent, std::int64_t at) {
            if (!ep)
                return;
            auto& queue = pending[ep];
            auto hit = std::find_if(queue.begin(), queue.end(), [&](const Transition& t) {
                bool sends = false;
                return anchor(t, sends) == kind && sends == sent;
            });
            if (hit == queue.end())
                return;
            const auto n = std::distance(queue.begin(), hit) + 1;
            for (std::ptrdiff_t i = 0; i < n; ++i) {
                emitAt(at, std::move(queue.front().event));
                queue.pop_front();
            }
        };
        for (SegmentEvent& seg : wire) {
            const std::string kind = roleFlags(seg.flags);
            const std::int64_t at = *seg.wireNs;
            emitUpTo(byName(seg.from), kind, true, at);
            Endpoint* receiver = byName(seg.to);
            emitWire(std::move(seg));
            emitUpTo(receiver, kind, false, at);
        }
        std::vector<Transition> rest;
        for (Endpoint* ep : order)
            for (Transition& t : pending[ep])
                rest.push_back(std::move(t));
        emitCausally(rest);
    }

    /// Payload the kernel counted as sent (tcpi_bytes_sent) since the last sample, as one inferred
    /// data segment: how the bytes were cut into segments is not seen without a capture.
    bool reportData(Endpoint& ep, const Sample& s)
    {
        if (s.bytesSent < 0)
            return false;
        const std::int64_t before = ep.lastBytesSent;
        ep.lastBytesSent = s.bytesSent;
        if (before < 0 || s.bytesSent <= before)
            return false;
        Endpoint* peer = peerEndpoint(ep);
        if (!peer)
            return false;
        emitSegment(ep.name, peer->name, "PSH,ACK",
            "the kernel counted " + std::to_string(s.bytesSent - before)
                + " bytes sent (tcpi_bytes_sent); their division into segments is not seen without a capture",
            s.bytesSent - before);
        return true;
    }

    /// Samples until nothing changes for quietMs (bounded), finishing blocked calls as the kernel allows.
    void settle(std::int64_t boundMs = -1)
    {
        if (boundMs < 0)
            boundMs = options.settleBoundMs;
        const auto start = Clock::now();
        auto lastChange = start;
        for (int i = 0;; ++i) {
            bool changed = sampleAll();
            changed |= progressPending();
            const auto now = Clock::now();
            if (changed)
                lastChange = now;
            if (now - lastChange >= std::chrono::milliseconds(options.quietMs))
                break;
            if (now - start >= std::chrono::milliseconds(boundMs) || cancelled())
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
        while (Clock::now() < end && !cancelled()) {
            sampleAll();
            progressPending();
            std::this_thread::sleep_for(std::chrono::milliseconds(4));
        }
    }

    // --- the lab and its capture ---------------------------------------------------------------
    // In the lab every segment is read from lo. Each is named by matching its 4-tuple to the
    // run's endpoints, numbered relative to each side's ISN, its window scaled as the SYNs agreed,
    // and given a cause. The step it belongs to (Event::step) is the one running when it was read;
    // what the kernel sent between two steps is read before the next begins, so it stays with the
    // earlier one. Its t_ns is its wire time, moved later only where the trace's order needs it.

    /// Opens the lab: a fresh namespace, sock_diag in it, and the capture on its lo. Returns what
    /// went wrong (keeping nothing) when any part fails.
    std::optional<std::string> openLab()
    {
        auto made = Lab::start();
        if (!made)
            return made.error().message();
        auto netlink = made->socket(AF_NETLINK, SOCK_RAW, NETLINK_SOCK_DIAG);
        if (!netlink)
            return netlink.error().message();
        auto d = SockDiag::fromFd(std::move(*netlink));
        if (!d)
            return d.error().message();
        auto packet = made->packetSocketOnLo();
        if (!packet)
            return packet.error().message();
        auto c = Capture::open(std::move(*packet));
        if (!c)
            return c.error().message();
        lab.emplace(std::move(*made));
        diag.emplace(std::move(*d));
        capture.emplace(std::move(*c));
        trace.tier = "lab";
        return std::nullopt;
    }

    /// One direction of a connection, as the capture has seen it so far.
    struct WireSide {
        std::optional<std::uint32_t> isn; ///< its SYN's seq
        std::optional<std::uint8_t> wscaleOffered; ///< its SYN's window scale option
        bool synSeen = false;
        bool sent = false;
        std::uint32_t sentEnd = 0; ///< highest seq + length sent, SYN and FIN counting one
        std::optional<std::uint32_t> ackSent; ///< highest ack it sent
        std::optional<std::uint32_t> window; ///< the last window it advertised, in bytes
        std::int64_t lastNewNs = -1; ///< wire time of its last segment with new data or FIN
        std::string lastWhat; ///< what its last segment was, for "answers ...": see wireWhat()
        std::string probe; ///< "keepalive probe" or "window probe" it sent, not answered yet
    };
    struct WireConn {
        WireSide side[2]; ///< [0] is the address that sorts first
    };
    std::map<std::pair<std::string, std::string>, WireConn> wireConns;

    /// Linux delays an ACK by at least TCP_DELACK_MIN (40 ms); an ACK it sends at once leaves
    /// within microseconds on lo. Half the minimum separates the two with room to spare.
    static constexpr std::int64_t kDelayedAckNs = 20'000'000;

    static bool seqBefore(std::uint32_t a, std::uint32_t b) { return static_cast<std::int32_t>(a - b) < 0; }

    /// What a segment is, in the words of the cause of the segment that answers it: "SYN",
    /// "SYN,ACK", "RST", "FIN", "data" or "ACK".
    static std::string wireWhat(const DecodedSegment& seg)
    {
        if (seg.flags & kSyn)
            return tcpFlagsText(seg.flags & (kSyn | kAck));
        if (seg.flags & kRst)
            return "RST";
        if (seg.flags & kFin)
            return "FIN";
        return seg.payload > 0 ? "data" : "ACK";
    }

    /// The endpoint at `addr` talking to `other`: the socket with that 4-tuple (one the kernel
    /// still has first), else the listener or bound socket at `addr` (a SYN that made no socket:
    /// refused, or dropped by a full accept queue), else the address itself.
    std::string wireName(const SockAddr& addr, const SockAddr& other) const
    {
        const Endpoint* exact = nullptr;
        for (const auto& ep : endpoints)
            if (ep->local == addr && ep->peer == other && (!exact || ep->last.present || !exact->last.present))
                exact = ep.get();
        if (exact)
            return exact->name;
        const Endpoint* bound = nullptr;
        for (const auto& ep : endpoints)
            if (ep->local == addr && !ep->peer.valid() && (!bound || ep->role == Role::Listener))
                bound = ep.get();
        return bound ? bound->name : addr.toString();
    }

    /// The call that made `sender` send: its own blocked call now going on, or the running step's
    /// when the step is on `sender`. "" when neither.
    std::string callOf(const std::string& sender)
    {
        if (const Endpoint* ep = find(sender); ep && ep->pending)
            return ep->pending->call;
        if (current < 0)
            return {};
        const Step& st = scenario.steps[actionIndex[static_cast<std::size_t>(current)]];
        if (st.endpoint != sender || st.kind == StepKind::Wait || st.kind == StepKind::WaitState)
            return {};
        return std::string(stepKindName(st.kind));
    }

    /// Why a segment was sent, from what the connection sent before (documented heuristics):
    /// - retransmission: its sequence range was sent already;
    /// - keepalive / window probe: no data, seq one below what the peer has acknowledged (how
    ///   tcp_xmit_probe_skb() makes the peer answer); a window probe when the peer's last window
    ///   was 0, a keepalive probe otherwise; the peer's next bare ACK "answers" it;
    /// - SYN,ACK answers SYN;
    /// - new data, FIN or RST: the call that sent it (see callOf), else for RST "answers" the
    ///   peer's last segment, else data queued by an earlier call;
    /// - a bare ACK of new data: "delayed ACK" when it left kDelayedAckNs or more after the data,
    ///   else "answers" the segment it acknowledges; an ACK of nothing new is a window update
    ///   (after recv when the step is recv on that side) or a duplicate ACK.
    std::string causeOf(const DecodedSegment& seg, const WireSide& s, const WireSide& r, std::uint32_t segLen,
        std::int64_t wireNs, const std::string& sender, std::string& probe)
    {
        const bool syn = seg.flags & kSyn, rst = seg.flags & kRst, ack = seg.flags & kAck;
        if (s.sent && segLen > 0 && !seqBefore(s.sentEnd, seg.seq + segLen))
            return "retransmission";
        const std::uint32_t acked = r.ackSent ? *r.ackSent : s.sentEnd;
        if (s.sent && segLen == 0 && seg.flags == kAck && seg.seq == acked - 1) {
            probe = r.window && *r.window == 0 ? "window probe" : "keepalive probe";
            return probe;
        }
        if (segLen == 0 && !rst && ack && !r.probe.empty())
            return "answers " + r.probe;
        if (syn && ack)
            return "answers SYN";
        if (segLen > 0 || rst) {
            const std::string call = callOf(sender);
            if (!call.empty())
                return call;
            if (rst)
                return r.lastWhat.empty() ? std::string("reset") : "answers " + r.lastWhat;
            return "queued by an earlier call";
        }
        const bool acksNew = ack && (!s.ackSent || seqBefore(*s.ackSent, seg.ack));
        if (acksNew) {
            if (r.lastNewNs >= 0 && wireNs - r.lastNewNs >= kDelayedAckNs)
                return "delayed ACK";
            return r.lastWhat.empty() ? std::string("ACK") : "answers " + r.lastWhat;
        }
        const std::string call = callOf(sender);
        if (call == "recv")
            return "window update after recv";
        return s.window && s.synSeen && r.synSeen ? "window update or duplicate ACK" : "ACK";
    }

    /// The addresses of captured segments not emitted yet, by frame: they are named when emitted
    /// (see renameWire), after the sample that may have named a new endpoint (a "/peer").
    std::map<std::int64_t, std::pair<SockAddr, SockAddr>> wireAddrs;

    void renameWire(std::vector<SegmentEvent>& wire) const
    {
        for (SegmentEvent& e : wire)
            if (auto it = wireAddrs.find(e.frame); it != wireAddrs.end()) {
                e.from = wireName(it->second.first, it->second.second);
                e.to = wireName(it->second.second, it->second.first);
            }
    }

    SegmentEvent classifyCaptured(const DecodedSegment& seg, std::int64_t wireNs, std::int64_t frame)
    {
        wireAddrs[frame] = { seg.src, seg.dst };
        const std::string a = seg.src.toString(), b = seg.dst.toString();
        const bool srcFirst = a < b;
        WireConn& conn = wireConns[srcFirst ? std::make_pair(a, b) : std::make_pair(b, a)];
        const bool syn = seg.flags & kSyn, fin = seg.flags & kFin, rst = seg.flags & kRst, ack = seg.flags & kAck;
        WireSide& s = conn.side[srcFirst ? 0 : 1];
        WireSide& r = conn.side[srcFirst ? 1 : 0];
        // A SYN with a new ISN opens a new connection on this 4-tuple (an old one in TIME_WAIT
        // may be reused): forget the old one.
        if (syn && !ack && !(s.synSeen && s.isn == seg.seq))
            conn = WireConn {};

        SegmentEvent e;
        e.from = wireName(seg.src, seg.dst);
        e.to = wireName(seg.dst, seg.src);
        const std::uint32_t segLen = seg.payload + (syn ? 1 : 0) + (fin ? 1 : 0);
        std::string probe;
        e.cause = causeOf(seg, s, r, segLen, wireNs, e.from, probe);
        if (e.cause.rfind("answers ", 0) == 0 && e.cause.find("probe") != std::string::npos)
            r.probe.clear();
        if (!probe.empty())
            s.probe = probe;

        if (syn) {
            s.synSeen = true;
            s.isn = seg.seq;
            s.wscaleOffered = seg.options.wscale;
        }
        const std::uint32_t end = seg.seq + segLen;
        if (!s.sent || seqBefore(s.sentEnd, end)) {
            if (seg.payload > 0 || fin)
                s.lastNewNs = wireNs;
            s.sentEnd = end;
        }
        s.sent = true;
        if (ack && (!s.ackSent || seqBefore(*s.ackSent, seg.ack)))
            s.ackSent = seg.ack;

        // RFC 7323 2.2: a SYN's window is never scaled; after the handshake each side's window is
        // shifted by the scale it offered, if both offered one (at most 14, 2.3).
        if (syn) {
            e.window = seg.window;
            e.wscale = 0;
        } else if (s.synSeen && r.synSeen) {
            e.wscale = s.wscaleOffered && r.wscaleOffered ? std::min<int>(*s.wscaleOffered, 14) : 0;
            e.window = static_cast<std::uint32_t>(seg.window) << e.wscale;
        }
        if (e.window && !rst)
            s.window = e.window;
        s.lastWhat = wireWhat(seg);

        e.flags = tcpFlagsText(seg.flags);
        e.seq = seg.seq;
        if (ack)
            e.ack = seg.ack;
        if (s.isn)
            e.relSeq = seg.seq - *s.isn;
        if (ack && r.isn)
            e.relAck = seg.ack - *r.isn;
        e.rawWindow = seg.window;
        e.length = seg.payload;
        e.source = Source::Capture;
        e.options = seg.options;
        e.wireNs = wireNs;
        e.frame = frame;
        return e;
    }

    void emitWire(SegmentEvent e)
    {
        wireAddrs.erase(e.frame);
        const std::int64_t t = *e.wireNs;
        emitAt(t, std::move(e));
    }

    /// Emits every captured segment, held ones included. Returns whether there was any.
    bool drainCapture()
    {
        std::vector<SegmentEvent> wire = readCapture();
        renameWire(wire);
        heldCount = 0;
        const bool any = !wire.empty() || !heldTransitions.empty();
        std::vector<Transition> transitions = std::exchange(heldTransitions, {});
        emitAlongWire(transitions, wire);
        return any;
    }

    /// What the capture saw since the last call, after the segments held back before (see
    /// holdUnseen), named and classified but not emitted.
    std::vector<SegmentEvent> readCapture()
    {
        std::vector<SegmentEvent> out = std::exchange(heldWire, {});
        heldCount = out.size();
        if (!capture)
            return out;
        std::vector<CapturedPacket> got = capture->drain();
        const std::uint64_t drops = capture->dropped();
        if (drops > dropsReported) {
            note(std::to_string(drops - dropsReported)
                    + " packets passed lo while the capture ring was full: they are missing from the ladder and the "
                      "pcap",
                "warning");
            dropsReported = drops;
        }
        const std::int64_t t0Mono = std::chrono::duration_cast<std::chrono::nanoseconds>(t0.time_since_epoch()).count();
        for (CapturedPacket& p : got) {
            packets.push_back(std::move(p));
            if (auto seg = decodeSegment(packets.back()))
                out.push_back(
                    classifyCaptured(*seg, packets.back().monoNs - t0Mono, static_cast<std::int64_t>(packets.size())));
        }
        return out;
    }

    // --- calls ---------------------------------------------------------------------------------

    struct StepRecord {
        StepEvent ev;
        bool failed = false; ///< the step could not be carried out at all
    };

    static CallRecord callRecord(std::string call, std::string args, std::int64_t rc, int err)
    {
        return CallRecord { std::move(call), std::move(args), rc, errnoName(rc < 0 ? err : 0) };
    }

    void finishCall(Endpoint& ep, StepEvent& ev, std::int64_t result, int err)
    {
        ev.result = result;
        ev.errnoName = errnoName(result < 0 ? err : 0);
        ep.hasLastCall = true;
        ep.lastResult = result;
        ep.lastErr = result < 0 ? err : 0;
    }

    /// socket() for an endpoint that has none yet. Returns false (and records why) on failure.
    bool ensureSocket(Endpoint& ep, int family, StepEvent& ev)
    {
        if (ep.fd)
            return true;
        ep.family = family ? family : AF_INET;
        // Always non-blocking underneath: blocking applications are emulated (see Runner).
        int fd = -1;
        int err = 0;
        if (lab) {
            // Made by the lab's session process in its namespace and passed back: the call the
            // scenario sees is the same socket().
            auto made = lab->socket(ep.family, SOCK_STREAM | SOCK_NONBLOCK, IPPROTO_TCP);
            if (made)
                fd = made->release();
            else
                err = made.error().err ? made.error().err : EIO;
        } else {
            fd = ::socket(ep.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
            err = errno;
        }
        ev.calls.push_back(callRecord("socket", familyName(ep.family) + ", SOCK_STREAM", fd, err));
        if (fd < 0) {
            finishCall(ep, ev, -1, err);
            return false;
        }
        ep.fd.reset(fd);
        // Read the new socket at once: its CLOSE is the state diagram's starting point, and the
        // next call (connect) would move it on before the settle loop samples.
        if (auto sample = probeDescriptor(fd))
            report({ { &ep, *sample } });
        return true;
    }

    std::optional<SockAddr> resolveAddress(const Step& st, Endpoint& ep, std::string& problem)
    {
        int family = ep.family;
        SockAddr a = SockAddr::loopback(family);
        if (st.address) {
            auto parsed = SockAddr::parse(*st.address);
            if (!parsed || !parsed->isLoopback()) {
                problem = "address " + *st.address + " is not a loopback address";
                return std::nullopt;
            }
            a = *parsed;
        }
        if (st.port) {
            a.port = static_cast<std::uint16_t>(*st.port);
        } else if (!st.other.empty()) {
            Endpoint* o = find(st.other);
            if (!o || o->local.port == 0) {
                problem = "'" + st.other + "' has no port to reuse";
                return std::nullopt;
            }
            a.port = o->local.port;
        }
        return a;
    }

    bool doBind(Endpoint& ep, const Step& st, StepEvent& ev, std::string& problem)
    {
        auto addr = resolveAddress(st, ep, problem);
        if (!addr)
            return false;
        sockaddr_storage ss;
        socklen_t len = addr->toSockaddr(ss);
        int rc = ::bind(ep.fd.get(), reinterpret_cast<sockaddr*>(&ss), len);
        const int err = errno;
        ev.calls.push_back(callRecord("bind", addr->toString(), rc, err));
        finishCall(ep, ev, rc, err);
        if (rc == 0) {
            sockaddr_storage got {};
            socklen_t gl = sizeof got;
            if (::getsockname(ep.fd.get(), reinterpret_cast<sockaddr*>(&got), &gl) == 0)
                ep.local = SockAddr::fromSockaddr(reinterpret_cast<sockaddr*>(&got), gl);
        }
        return rc == 0;
    }

    bool setOption(Endpoint& ep, const Step& st, StepEvent& ev)
    {
        int level = SOL_SOCKET, name = 0;
        int value = static_cast<int>(st.value);
        const void* optval = &value;
        socklen_t optlen = sizeof value;
        linger lg {};
        std::string args = std::string(optionName(st.option)) + " " + std::to_string(st.value);
        switch (st.option) {
        case SockOption::ReuseAddr:
            name = SO_REUSEADDR;
            args = std::string("SO_REUSEADDR, ") + (value ? "1" : "0");
            break;
        case SockOption::Linger:
            name = SO_LINGER;
            lg.l_onoff = st.value >= 0;
            lg.l_linger = st.value >= 0 ? value : 0;
            optval = &lg;
            optlen = sizeof lg;
            args = st.value >= 0 ? "SO_LINGER, {on, " + std::to_string(value) + " s}" : "SO_LINGER, {off}";
            ep.lingerSec = st.value >= 0 ? value : -1;
            break;
        case SockOption::KeepAlive:
            name = SO_KEEPALIVE;
            args = std::string("SO_KEEPALIVE, ") + (value ? "1" : "0");
            break;
        case SockOption::KeepIdle:
            level = IPPROTO_TCP, name = TCP_KEEPIDLE;
            args = "TCP_KEEPIDLE, " + std::to_string(value);
            break;
        case SockOption::KeepIntvl:
            level = IPPROTO_TCP, name = TCP_KEEPINTVL;
            args = "TCP_KEEPINTVL, " + std::to_string(value);
            break;
        case SockOption::KeepCnt:
            level = IPPROTO_TCP, name = TCP_KEEPCNT;
            args = "TCP_KEEPCNT, " + std::to_string(value);
            break;
        case SockOption::SndBuf:
            name = SO_SNDBUF;
            args = "SO_SNDBUF, " + std::to_string(value);
            break;
        case SockOption::RcvBuf:
            name = SO_RCVBUF;
            args = "SO_RCVBUF, " + std::to_string(value);
            break;
        case SockOption::DeferAccept:
            level = IPPROTO_TCP, name = TCP_DEFER_ACCEPT;
            args = "TCP_DEFER_ACCEPT, " + std::to_string(value);
            break;
        case SockOption::NoDelay:
            level = IPPROTO_TCP, name = TCP_NODELAY;
            args = std::string("TCP_NODELAY, ") + (value ? "1" : "0");
            break;
        case SockOption::NonBlock:
            // The descriptor is non-blocking already; this changes how the application behaves:
            // EAGAIN / EINPROGRESS come back as results instead of a wait.
            ep.nonblock = st.value != 0;
            ev.call = "fcntl";
            ev.args = std::string("O_NONBLOCK ") + (ep.nonblock ? "on" : "off");
            finishCall(ep, ev, 0, 0);
            return true;
        }
        int rc = ::setsockopt(ep.fd.get(), level, name, optval, optlen);
        const int err = errno;
        ev.call = "setsockopt";
        ev.args = args;
        ev.calls.push_back(callRecord("setsockopt", args, rc, err));
        finishCall(ep, ev, rc, err);
        return true;
    }

    /// Tries to move a send forward; returns true when the call is over (done, or failed).
    bool pushSend(Endpoint& ep, Pending& p, bool fill, int& err)
    {
        err = 0;
        while (fill || p.done < p.want) {
            std::size_t n = fill ? kChunk : static_cast<std::size_t>(std::min<std::int64_t>(kChunk, p.want - p.done));
            if (fill && p.done + static_cast<std::int64_t>(n) > ScenarioLimits::kMaxBytes)
                return true;
            ssize_t rc = ::send(ep.fd.get(), sendBuffer.data(), n, MSG_NOSIGNAL);
            err = rc < 0 ? errno : 0;
            // An EAGAIN that only means "a blocking send() would still be waiting" is how the
            // runner waits, not a call the application made; one that ends the call is.
            if (err != EAGAIN || fill || ep.nonblock)
                appendCall(p.calls, callRecord("send", std::to_string(n) + " bytes", rc, err));
            if (rc < 0) {
                if (err == EINTR)
                    continue;
                if (err == EAGAIN)
                    return fill; // fill ends at the first refusal; a plain send waits
                return true;
            }
            p.done += rc;
        }
        return true;
    }

    /// Tries to move a recv forward; returns true when the call is over.
    bool pullRecv(Endpoint& ep, Pending& p, bool available, int& err, bool& eof)
    {
        err = 0;
        eof = false;
        while (p.untilEof || available || p.done < p.want) {
            std::size_t n = kChunk;
            if (!p.untilEof && !available)
                n = static_cast<std::size_t>(std::min<std::int64_t>(kChunk, p.want - p.done));
            ssize_t rc = ::recv(ep.fd.get(), recvBuffer.data(), n, 0);
            err = rc < 0 ? errno : 0;
            if (err != EAGAIN || available || ep.nonblock) // see pushSend
                appendCall(p.calls, callRecord("recv", std::to_string(n) + " bytes", rc, err));
            if (rc < 0) {
                if (err == EINTR)
                    continue;
                if (err == EAGAIN)
                    return available;
                return true;
            }
            if (rc == 0) {
                eof = true;
                return true;
            }
            p.done += rc;
            if (p.done >= ScenarioLimits::kMaxBytes)
                return true;
        }
        return true;
    }

    /// Moves every blocked call forward; emits "completed" steps. Returns whether any finished.
    bool progressPending()
    {
        bool any = false;
        for (std::size_t i = 0; i < endpoints.size(); ++i) {
            Endpoint& ep = *endpoints[i];
            if (!ep.pending)
                continue;
            Pending& p = *ep.pending;
            StepEvent ev;
            ev.line = p.line;
            ev.text = p.text;
            ev.endpoint = ep.name;
            ev.call = p.call;
            ev.args = p.args;
            ev.phase = "completed";
            ev.narration = p.narration;
            bool over = false;
            std::int64_t result = 0;
            int err = 0;
            switch (p.kind) {
            case StepKind::Connect: {
                pollfd pfd { ep.fd.get(), POLLOUT, 0 };
                if (::poll(&pfd, 1, 0) == 1) {
                    int soerr = 0;
                    socklen_t len = sizeof soerr;
                    ::getsockopt(ep.fd.get(), SOL_SOCKET, SO_ERROR, &soerr, &len);
                    ev.calls.push_back(callRecord("getsockopt", "SO_ERROR", soerr ? -1 : 0, soerr));
                    over = true;
                    result = soerr ? -1 : 0;
                    err = soerr;
                }
                break;
            }
            case StepKind::Accept: {
                int fd = ::accept4(ep.fd.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
                err = errno;
                if (fd >= 0 || err != EAGAIN) {
                    ev.calls.push_back(callRecord("accept", "", fd, err));
                    over = true;
                    result = fd >= 0 ? 0 : -1;
                    if (fd >= 0) {
                        ev.creates = p.acceptName;
                        ev.adopts = adoptAccepted(fd, p.acceptName);
                    }
                }
                break;
            }
            case StepKind::Send:
                over = pushSend(ep, p, false, err);
                if (over) {
                    result = (p.done > 0 || err == 0) ? p.done : -1;
                    ev.calls = std::exchange(p.calls, {});
                }
                break;
            case StepKind::Recv: {
                bool eof = false;
                over = pullRecv(ep, p, false, err, eof);
                if (over) {
                    result = (p.done > 0 || err == 0) ? p.done : -1;
                    ev.calls = std::exchange(p.calls, {});
                }
                break;
            }
            case StepKind::Close:
                if (p.closer && p.closer->done) {
                    over = true;
                    err = p.closer->err;
                    result = err ? -1 : 0;
                    ev.calls.push_back(callRecord("close", "", result, err));
                }
                break;
            default:
                over = true;
                break;
            }
            if (!over)
                continue;
            const bool refused = p.kind == StepKind::Connect && err == ECONNREFUSED;
            finishCall(ep, ev, result, err);
            ep.pending.reset(); // `p` is gone from here on
            stampAddresses(ev, ep);
            // What made the call return (the handshake, the data, the connection) comes first.
            if (refused)
                showRefusal(ep); // what the errno tells, before the call returns with it
            else
                sampleSettled();
            emit(std::move(ev));
            any = true;
        }
        return any;
    }

    /// A new descriptor from accept(): gives it the scenario's name, adopting the kernel socket we
    /// were already showing under "<client>/peer". Returns the adopted name ("" if none).
    std::string adoptAccepted(int fd, const std::string& name)
    {
        Fd owned(fd);
        std::string adopted;
        Endpoint* target = nullptr;
        auto s = probeDescriptor(fd);
        if (s) {
            for (auto& ep : endpoints)
                if (ep->role == Role::Peer && ((s->cookie && ep->cookie == s->cookie)
                        || (ep->local == s->local && ep->peer == s->peer)))
                    target = ep.get();
        }
        if (target) {
            adopted = target->name;
            target->adopted = true;
            // The lane continues under its new name; its history stays under the old one.
            target->lastState.clear();
            target->lastBuffers = BuffersEvent {};
            target->lastTimer = TimerEvent {};
        } else {
            target = &obtain(name);
        }
        target->name = name;
        target->role = Role::Accepted;
        target->fd = std::move(owned);
        if (s) {
            target->family = s->local.family;
            target->local = s->local;
            target->peer = s->peer;
            target->cookie = s->cookie;
        }
        return adopted;
    }

    /// Waits (sampling) for an endpoint's blocked call to finish before it is used again.
    bool waitForPending(Endpoint& ep)
    {
        const auto end = Clock::now() + std::chrono::milliseconds(options.blockedWaitMs);
        while (ep.pending && Clock::now() < end && !cancelled()) {
            sampleAll();
            progressPending();
            if (ep.pending)
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        return !ep.pending;
    }

    /// Finds the listener whose blocked accept will create `name`, if any.
    Endpoint* acceptCreating(const std::string& name)
    {
        for (auto& ep : endpoints)
            if (ep->pending && ep->pending->kind == StepKind::Accept && ep->pending->acceptName == name)
                return ep.get();
        return nullptr;
    }

    void fail(const Step& st, std::string message)
    {
        summary.error = Diagnostic { scenario.file, st.pos, std::move(message) };
        note(summary.error->toString(), "error", st.pos.line);
        stopped = true;
    }

    // --- one action ----------------------------------------------------------------------------

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
            emit(ev);
            sampleFor(st.durationMs);
            return;
        }

        // A step on an endpoint that is still blocked in a call waits for that call first. Only
        // the endpoint acting: a connect to a listener blocked in accept() is what unblocks it.
        for (const std::string& name : { st.endpoint }) {
            if (name.empty())
                continue;
            Endpoint* ep = find(name);
            if (!ep)
                ep = acceptCreating(name);
            if (ep && ep->pending && !waitForPending(*ep)) {
                if (cancelled()) {
                    summary.cancelled = true;
                    stopped = true;
                    note("run stopped by the user", "warning");
                    return;
                }
                fail(st,
                    "'" + ep->name + "' is still blocked in " + ep->pending->call + " (line "
                        + std::to_string(ep->pending->line) + ") after "
                        + std::to_string(options.blockedWaitMs / 1000)
                        + " s; a blocked call must return before the same endpoint does anything else");
                return;
            }
        }

        if (st.kind == StepKind::WaitState) {
            waitForState(st, ev);
            return;
        }

        Endpoint* found = find(st.endpoint);
        if (!found && st.kind != StepKind::Socket && st.kind != StepKind::Set && st.kind != StepKind::Bind
            && st.kind != StepKind::Listen && st.kind != StepKind::Connect) {
            fail(st, "'" + st.endpoint + "' does not exist at this point of the run");
            return;
        }
        Endpoint& ep = found ? *found : obtain(st.endpoint);
        if (ep.appClosed) {
            fail(st, "'" + ep.name + "' was closed at line " + std::to_string(ep.closedLine));
            return;
        }
        if (!ep.fd && ep.role == Role::Peer) {
            fail(st, "'" + ep.name + "' has no descriptor");
            return;
        }

        std::string problem;
        switch (st.kind) {
        case StepKind::Socket:
            ev.call = "socket";
            if (ep.fd) {
                fail(st, "'" + ep.name + "' already has a socket");
                return;
            }
            if (ensureSocket(ep, st.family, ev)) {
                ev.args = ev.calls.back().args;
                finishCall(ep, ev, ev.calls.back().result, 0);
            }
            break;
        case StepKind::Set:
            if (ensureSocket(ep, st.family, ev))
                setOption(ep, st, ev);
            break;
        case StepKind::Bind:
            if (!ensureSocket(ep, st.family, ev))
                break;
            if (!doBind(ep, st, ev, problem)) {
                if (!problem.empty()) {
                    fail(st, problem);
                    return;
                }
            }
            ev.args = ev.calls.back().args;
            break;
        case StepKind::Listen: {
            if (!ensureSocket(ep, st.family, ev))
                break;
            if (ep.local.port == 0 && !doBind(ep, st, ev, problem)) {
                if (!problem.empty()) {
                    fail(st, problem);
                    return;
                }
                break;
            }
            int rc = ::listen(ep.fd.get(), st.backlog);
            const int err = errno;
            ev.calls.push_back(callRecord("listen", "backlog " + std::to_string(st.backlog), rc, err));
            ev.args = ep.local.toString() + ", backlog " + std::to_string(st.backlog);
            finishCall(ep, ev, rc, err);
            if (rc == 0)
                ep.role = Role::Listener;
            break;
        }
        case StepKind::Connect:
            doConnect(ep, st, ev, problem);
            if (!problem.empty()) {
                fail(st, problem);
                return;
            }
            break;
        case StepKind::Accept:
            doAccept(ep, st, ev);
            break;
        case StepKind::Send:
            doSend(ep, st, ev);
            break;
        case StepKind::Recv:
            doRecv(ep, st, ev);
            break;
        case StepKind::Shutdown: {
            static constexpr std::array<const char*, 3> kHow = { "SHUT_RD", "SHUT_WR", "SHUT_RDWR" };
            const int how = st.how == ShutdownHow::Rd ? SHUT_RD : st.how == ShutdownHow::Wr ? SHUT_WR : SHUT_RDWR;
            int rc = ::shutdown(ep.fd.get(), how);
            const int err = errno;
            ev.args = kHow[static_cast<std::size_t>(how)];
            ev.calls.push_back(callRecord("shutdown", ev.args, rc, err));
            finishCall(ep, ev, rc, err);
            break;
        }
        case StepKind::Close:
            doClose(ep, st, ev);
            break;
        default:
            break;
        }
        if (Endpoint* made = find(st.kind == StepKind::Accept ? st.other : st.endpoint))
            stampAddresses(ev, *made);
        if (ev.phase != "blocked" && ev.calls.empty() && ev.call != "fcntl") {
            // Nothing was called (e.g. socket() failed is recorded above); keep the record honest.
            ev.errnoName = errnoName(ep.lastErr);
        }
        if (std::exchange(m_resultFromWire, false)) {
            // The segments and state changes that decided the result come before it.
            if (ev.errnoName == "ECONNREFUSED")
                showRefusal(ep);
            else
                sampleSettled();
        }
        emit(ev);
    }

    static void stampAddresses(StepEvent& ev, const Endpoint& ep)
    {
        if (ep.local.valid())
            ev.local = ep.local.toString();
        if (ep.peer.valid())
            ev.peer = ep.peer.toString();
    }

    void doConnect(Endpoint& ep, const Step& st, StepEvent& ev, std::string& problem)
    {
        SockAddr target;
        if (!st.other.empty()) {
            Endpoint* o = find(st.other);
            if (!o || !o->local.valid()) {
                problem = "'" + st.other + "' has no address to connect to (bind or listen it first)";
                return;
            }
            target = o->local;
            if (!ep.fd)
                ep.family = o->family;
        } else {
            auto parsed = st.address ? SockAddr::parse(*st.address) : SockAddr::loopback(st.family ? st.family : AF_INET);
            if (!parsed || !parsed->isLoopback()) {
                problem = "connect: only loopback addresses are allowed";
                return;
            }
            target = *parsed;
            target.port = static_cast<std::uint16_t>(st.port.value_or(0));
        }
        if (!ensureSocket(ep, ep.fd ? ep.family : target.family, ev))
            return;
        sockaddr_storage ss;
        socklen_t len = target.toSockaddr(ss);
        int rc = ::connect(ep.fd.get(), reinterpret_cast<sockaddr*>(&ss), len);
        const int err = errno;
        ev.args = target.toString();
        ev.calls.push_back(callRecord("connect", ev.args, rc, err));
        ep.role = Role::Client;
        ep.peer = target;
        sockaddr_storage got {};
        socklen_t gl = sizeof got;
        if (::getsockname(ep.fd.get(), reinterpret_cast<sockaddr*>(&got), &gl) == 0)
            ep.local = SockAddr::fromSockaddr(reinterpret_cast<sockaddr*>(&got), gl);
        if (rc < 0 && err == EINPROGRESS && !ep.nonblock) {
            // On loopback the kernel has usually finished (or been refused) before connect()
            // returns: the SYN's answer is processed as the call leaves. A blocking connect() would
            // then not have waited at all, so it is not shown as blocked.
            pollfd pfd { ep.fd.get(), POLLOUT, 0 };
            const int ready = ::poll(&pfd, 1, 0);
            ev.calls.push_back(callRecord("poll", "POLLOUT, 0 ms", ready, errno));
            if (ready != 1) {
                block(ep, st, ev, pending(StepKind::Connect));
                return;
            }
            int soerr = 0;
            socklen_t optlen = sizeof soerr;
            ::getsockopt(ep.fd.get(), SOL_SOCKET, SO_ERROR, &soerr, &optlen);
            ev.calls.push_back(callRecord("getsockopt", "SO_ERROR", soerr ? -1 : 0, soerr));
            finishCall(ep, ev, soerr ? -1 : 0, soerr);
            m_resultFromWire = true;
            return;
        }
        finishCall(ep, ev, rc, err);
        m_resultFromWire = rc == 0 || err == ECONNREFUSED;
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
        Endpoint* target = peerEndpoint(ep);
        const std::string targetName = target ? target->name : ep.peer.toString();
        const std::string why = "not sampled: connect() returned ECONNREFUSED, which the kernel reports when a RST "
                                "answers the SYN";
        emit(StateEvent { ep.name, "CLOSE", "SYN_SENT", Source::Inferred, local, peer, why });
        drainCapture(); // in the lab: the SYN and the RST themselves
        emitSegment(ep.name, targetName, "SYN", "inferred: connect() sends SYN");
        emitSegment(targetName, ep.name, "RST", "inferred from ECONNREFUSED: no listener on that port");
        emit(StateEvent { ep.name, "SYN_SENT", "CLOSE", Source::Kernel, local, peer, {} });
    }

    void doAccept(Endpoint& ep, const Step& st, StepEvent& ev)
    {
        int fd = ::accept4(ep.fd.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        const int err = errno;
        ev.args = st.other;
        if (fd < 0 && err == EAGAIN && !ep.nonblock) {
            Pending p = pending(StepKind::Accept);
            p.acceptName = st.other;
            block(ep, st, ev, std::move(p));
            return;
        }
        ev.calls.push_back(callRecord("accept", "", fd, err));
        finishCall(ep, ev, fd >= 0 ? 0 : -1, err);
        if (fd >= 0) {
            ev.creates = st.other;
            ev.adopts = adoptAccepted(fd, st.other);
        }
    }

    void doSend(Endpoint& ep, const Step& st, StepEvent& ev)
    {
        Pending p = pending(StepKind::Send, st.bytes);
        int err = 0;
        const bool over = pushSend(ep, p, st.fill, err);
        ev.args = st.fill ? "until the send buffer is full" : std::to_string(st.bytes) + " bytes";
        ev.calls = std::exchange(p.calls, {});
        if (!over && !ep.nonblock) {
            ev.result = p.done;
            block(ep, st, ev, std::move(p));
            return;
        }
        if (st.fill) {
            // The loop's result is what the kernel took; its errno, the refusal that ended it
            // (EAGAIN; 0 when it stopped at the 64M limit).
            finishCall(ep, ev, p.done, 0);
            if (err == EAGAIN) {
                ev.errnoName = errnoName(err);
                ep.lastErr = err;
            }
            return;
        }
        finishCall(ep, ev, p.done == 0 && err != 0 ? -1 : p.done, err);
    }

    void doRecv(Endpoint& ep, const Step& st, StepEvent& ev)
    {
        Pending p = pending(StepKind::Recv, st.bytes);
        p.untilEof = st.all;
        int err = 0;
        bool eof = false;
        const bool over = pullRecv(ep, p, st.available, err, eof);
        ev.args = st.all ? "until end of stream" : st.available ? "what is queued" : std::to_string(st.bytes) + " bytes";
        ev.calls = std::exchange(p.calls, {});
        if (!over && !ep.nonblock) {
            ev.result = p.done;
            block(ep, st, ev, std::move(p));
            return;
        }
        finishCall(ep, ev, p.done == 0 && err != 0 ? -1 : p.done, err);
    }

    void doClose(Endpoint& ep, const Step& st, StepEvent& ev)
    {
        // What close() will do, decided by the kernel's own rule (tcp_close): unread data or
        // SO_LINGER {on, 0} mean RST instead of FIN.
        ep.gracefulClose = !(ep.lingerSec == 0 || (ep.last.recvq > 0));
        ep.appClosed = true;
        ep.closedLine = st.pos.line;
        if (ep.lingerSec > 0 && ep.last.state != TcpState::Listen) {
            // close() with SO_LINGER > 0 blocks in the kernel until the data is acknowledged or
            // the time runs out, whatever O_NONBLOCK says: run it on its own thread.
            auto closer = std::make_shared<LingerClose>();
            const int fd = ep.fd.release();
            std::thread([closer, fd] {
                closer->err = ::close(fd) == 0 ? 0 : errno;
                closer->done = true;
            }).detach();
            Pending p = pending(StepKind::Close);
            p.closer = closer;
            block(ep, st, ev, std::move(p));
            return;
        }
        const int err = ep.fd.reset();
        ev.calls.push_back(callRecord("close", "", err ? -1 : 0, err));
        finishCall(ep, ev, err ? -1 : 0, err);
    }

    void block(Endpoint& ep, const Step& st, StepEvent& ev, Pending p)
    {
        p.line = st.pos.line;
        p.text = st.text;
        p.call = ev.call;
        p.args = ev.args;
        p.narration = st.narration;
        ev.phase = "blocked";
        ev.errnoName = "0";
        ep.pending = std::make_unique<Pending>(std::move(p));
    }

    void waitForState(const Step& st, StepEvent& ev)
    {
        ev.args = std::string(stateName(st.state)) + " within " + std::to_string(st.durationMs) + " ms";
        emit(ev);
        const auto end = Clock::now() + std::chrono::milliseconds(st.durationMs);
        const Endpoint* ep = nullptr;
        std::string observed;
        for (;;) {
            sampleAll();
            progressPending();
            ep = observedEndpoint(st.endpoint);
            if (ep && ep->lastState == stateName(st.state))
                break;
            if (ep && ep->goneStep >= 0 && !ep->fd) {
                // It will not come back: say so now rather than at the end of the bound.
                observed = gone(*ep);
                break;
            }
            if (Clock::now() >= end || cancelled())
                break;
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        if (observed.empty())
            observed = ep ? ep->lastState : std::string("no such endpoint");
        const bool ok = ep && ep->lastState == stateName(st.state);
        ExpectEvent e { st.pos.line, st.text, st.endpoint, "state", std::string(stateName(st.state)),
            observed.empty() ? std::string("unknown") : observed, ok };
        recordExpectation(e);
    }

    /// "gone: the kernel removed it at step 5 (line 31), from LAST_ACK".
    std::string gone(const Endpoint& ep) const
    {
        return "gone: the kernel removed it at step " + std::to_string(ep.goneStep + 1) + " (line "
            + std::to_string(ep.goneLine) + ")" + (ep.goneFrom.empty() ? std::string() : ", from " + ep.goneFrom);
    }

    /// The endpoint an expect or wait names: NAME, or NAME/peer (the kernel socket at the other
    /// end of NAME's connection, whatever it is called now: "NAME/peer" before accept, the
    /// accepted name after).
    const Endpoint* observedEndpoint(const std::string& name)
    {
        constexpr std::string_view kPeer = "/peer";
        if (name.size() > kPeer.size() && name.ends_with(kPeer)) {
            if (const Endpoint* client = find(name.substr(0, name.size() - kPeer.size())))
                return peerOf(*client);
            return nullptr;
        }
        return find(name);
    }

    void recordExpectation(const ExpectEvent& e)
    {
        ++summary.expectations;
        if (!e.ok) {
            ++summary.failed;
            summary.failures.push_back(e);
        }
        emit(e);
    }

    // --- expectations --------------------------------------------------------------------------

    void checkExpectation(const Step& st)
    {
        ExpectEvent e;
        e.line = st.pos.line;
        e.text = st.text;
        e.endpoint = st.endpoint;
        e.quantity = std::string(quantityName(st.quantity));
        e.expected = st.valueText;
        const Endpoint* ep = observedEndpoint(st.endpoint);
        if (!ep) {
            e.observed = "no such endpoint";
            e.ok = false;
            recordExpectation(e);
            return;
        }
        const Sample& s = ep->last;
        auto numeric = [&](std::int64_t v) {
            if (v < 0) {
                e.observed = "not reported";
                e.ok = false;
                return;
            }
            e.observed = std::to_string(v);
            e.ok = compare(v, st.op, st.number);
        };
        auto equality = [&](const std::string& observed, bool equal) {
            e.observed = observed;
            e.ok = st.op == CompareOp::Ne ? !equal : equal;
        };
        switch (st.quantity) {
        case Quantity::State:
            equality(ep->lastState.empty() ? std::string("unknown") : ep->lastState,
                ep->lastState == stateName(st.state));
            break;
        case Quantity::PeerState: {
            const Endpoint* other = peerOf(*ep);
            const std::string observed = other ? other->lastState : std::string("no peer socket");
            equality(observed, observed == stateName(st.state));
            break;
        }
        case Quantity::Errno:
            if (!ep->hasLastCall)
                equality("no call yet", false);
            else
                equality(errnoName(ep->lastErr), ep->lastErr == st.number);
            break;
        case Quantity::Result:
            if (!ep->hasLastCall)
                equality("no call yet", false);
            else {
                e.observed = std::to_string(ep->lastResult);
                e.ok = compare(ep->lastResult, st.op, st.number);
            }
            break;
        case Quantity::RecvQ:
            numeric(s.present ? s.recvq : -1);
            break;
        case Quantity::SendQ:
            numeric(s.present ? s.sendq : -1);
            break;
        case Quantity::NotSent:
            numeric(s.present ? s.notsent : -1);
            break;
        case Quantity::AcceptQ:
            numeric(s.present ? s.acceptq : -1);
            break;
        case Quantity::SndBuf:
            numeric(s.present ? s.sndbuf : -1);
            break;
        case Quantity::RcvBuf:
            numeric(s.present ? s.rcvbuf : -1);
            break;
        case Quantity::Timer: {
            const std::string label = timerLabel(*ep, s);
            equality(label.empty() ? std::string("none") : label,
                static_cast<std::int64_t>(timerKind(*ep, s)) == st.number);
            break;
        }
        case Quantity::TimerMs:
            numeric(s.present && s.timer != DiagTimer::None ? s.timerMs : -1);
            break;
        case Quantity::SegsOut:
            numeric(s.present ? s.segsOut : -1);
            break;
        case Quantity::SegsIn:
            numeric(s.present ? s.segsIn : -1);
            break;
        case Quantity::Retrans:
            numeric(s.present ? s.retrans : -1);
            break;
        case Quantity::Shutdown:
            equality(s.present ? shutdownText(s.shutdown) : std::string("not reported"),
                s.present && s.shutdown == st.number);
            break;
        case Quantity::Blocked:
            equality(ep->pending ? "yes" : "no", (ep->pending ? 1 : 0) == st.number);
            break;
        }
        recordExpectation(e);
    }

    /// The kernel socket at the other end of an endpoint's connection, if we show it.
    const Endpoint* peerOf(const Endpoint& ep) const
    {
        if (!ep.peer.valid())
            return nullptr;
        for (const auto& o : endpoints)
            if (o.get() != &ep && o->local == ep.peer && o->peer == ep.local)
                return o.get();
        return nullptr;
    }

    // --- the run -------------------------------------------------------------------------------

    /// Fills the trace's header. Emits nothing: events begin with the first step.
    void start()
    {
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

    /// The run's first events: what it runs on, and expectations written before the first action.
    void begin()
    {
        if (begun)
            return;
        begun = true;
        const bool forcedHost = options.tier == Tier::Auto && Lab::tierFromEnvironment() == Tier::HostLoopback;
        std::optional<std::string> labProblem;
        if (options.tier == Tier::Lab || (options.tier == Tier::Auto && !forcedHost))
            labProblem = openLab();
        if (options.tier == Tier::Lab && labProblem) {
            summary.error = Diagnostic { scenario.file, {}, "the lab (tier 1) is not available: " + *labProblem };
            note(summary.error->message, "error");
            stopped = true;
            return;
        }
        if (!diag) {
            auto d = SockDiag::open();
            if (d)
                diag.emplace(std::move(*d));
            else
                note("sock_diag is not available (" + d.error().message()
                        + "): TIME_WAIT, orphaned and not-yet-accepted sockets cannot be shown",
                    "warning");
        }
        if (const char* path = std::getenv("SYNACK_DIAG_RECORD"); path && *path && diag) {
            // For developers: every sock_diag reply of the run, appended to a file that
            // RecordedDiag replays (tests/data/sockdiag/ holds such recordings).
            diagRecording.reset(std::fopen(path, "ab"));
            if (!diagRecording)
                note(std::string("SYNACK_DIAG_RECORD: cannot open ") + path + ": " + std::strerror(errno), "warning");
            else
                diag->setRecording([file = diagRecording.get()](const std::vector<std::uint8_t>& record) {
                    std::fwrite(record.data(), 1, record.size(), file);
                    std::fflush(file);
                });
        }
        if (lab) {
            note("run of " + scenario.name + " on Linux " + trace.kernel + ", lab: a private network namespace ("
                + lab->namespaces() + ") with its own lo, where every segment is captured");
        } else {
            note("run of " + scenario.name + " on Linux " + trace.kernel + ", host loopback");
            if (forcedHost)
                note("host loopback because SYNACK_TIER=0: segments are inferred from the state changes");
            else if (labProblem)
                note("host loopback because the lab is not available (" + *labProblem
                    + "): segments are inferred from the state changes");
        }
        const std::size_t first = actionIndex.empty() ? scenario.steps.size() : actionIndex.front();
        for (std::size_t i = 0; i < first; ++i)
            checkExpectation(scenario.steps[i]);
    }

    bool runStep()
    {
        begin();
        if (stopped || next >= static_cast<int>(actionIndex.size()))
            return false;
        // What the kernel sent while the run waited between steps (a user stepping through, a
        // timer firing) belongs to the step before, not to the one about to run.
        drainCapture();
        current = next++;
        const std::size_t at = actionIndex[static_cast<std::size_t>(current)];
        execute(scenario.steps[at]);
        if (stopped)
            return false;
        settle();
        const std::size_t end = current + 1 < static_cast<int>(actionIndex.size())
            ? actionIndex[static_cast<std::size_t>(current + 1)]
            : scenario.steps.size();
        for (std::size_t i = at + 1; i < end; ++i)
            checkExpectation(scenario.steps[i]);
        if (cancelled()) {
            summary.cancelled = true;
            stopped = true;
            note("run stopped by the user", "warning");
            return false;
        }
        return true;
    }

    void shutdownEndpoints()
    {
        // Leave nothing behind on the host: connections still open are reset rather than closed
        // (no TIME_WAIT for a run that is over); linger threads are detached and finish alone.
        for (auto& ep : endpoints) {
            if (!ep->fd)
                continue;
            linger lg { 1, 0 };
            ::setsockopt(ep->fd.get(), SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
            ep->fd.reset();
        }
    }
};

Runner::Runner(Scenario scenario, RunOptions options)
    : d(std::make_unique<Impl>())
{
    d->scenario = std::move(scenario);
    d->options = std::move(options);
    d->start();
}

Runner::~Runner() { d->shutdownEndpoints(); }

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

const Trace& Runner::trace() const { return d->trace; }
const RunSummary& Runner::summary() const { return d->summary; }
const std::vector<CapturedPacket>& Runner::capturedPackets() const { return d->packets; }

} // namespace synack
