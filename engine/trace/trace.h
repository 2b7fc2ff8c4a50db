// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include "base/result.h"
#include "tcp/segment.h"
#include "tcp/tcpstate.h"

namespace synack {

/// Where a fact came from. The kernel-truth rule: anything not read from the kernel says so.
enum class Source {
    Kernel, ///< read from TCP_INFO, an ioctl, a socket option or sock_diag
    Inferred, ///< filled in from the RFC 9293 model because it was never sampled
    Capture, ///< decoded from a captured segment
};
std::string_view sourceName(Source s);
std::optional<Source> sourceFromName(std::string_view name);

/// Where a run's sockets live. A run asks for one (Auto: the lab when it works); its trace says
/// which one it got.
enum class Tier {
    HostLoopback, ///< tier 0: the host's lo; segments inferred from the state changes
    Lab, ///< tier 1: a private network namespace whose lo is captured
    Gated, ///< the gated lab: two private hosts joined through SynAck's gate, where every segment is captured
    Auto, ///< a request only: the lab when it works and SYNACK_TIER is not 0
};
std::string_view tierName(Tier t); ///< "host-loopback", "lab", "gated-lab", "auto"
std::optional<Tier> tierFromName(std::string_view name);

/// What an endpoint is to the scenario. It decides the side of the ladder it is drawn on.
enum class Role {
    Socket, ///< made, not (yet) bound, listening or connected
    Bound, ///< bound to an address, not listening or connected
    Listener,
    Client, ///< called connect()
    Accepted, ///< returned by accept()
    Peer, ///< the server half of a client's connection that nobody accepted yet ("<client>/peer")
};
std::string_view roleName(Role r); ///< "socket", "bound", "listener", "client", "accepted", "peer"
std::optional<Role> roleFromName(std::string_view name);

/// One system call a step made.
struct CallRecord {
    std::string call; ///< "bind"
    std::string args; ///< "127.0.0.1:0"
    std::int64_t result = 0;
    int err = 0; ///< errno, 0 on success
    int count = 1; ///< the same call made this many times in a row, with the same result
    friend bool operator==(const CallRecord&, const CallRecord&) = default;
};

/// Appends a call to a step's record; a repeat of the last one (same call, arguments and
/// result, as `send fill` makes) counts up instead of adding a line.
void appendCall(std::vector<CallRecord>& calls, CallRecord call);

/// A step's call as the run saw it: made and finished at once, or blocked and finished later.
enum class Phase {
    Done, ///< returned at once (or was answered before it returned)
    Blocked, ///< the application waits in it; the run goes on
    Completed, ///< a blocked call returned
};
std::string_view phaseName(Phase p); ///< "done", "blocked", "completed"
std::optional<Phase> phaseFromName(std::string_view name);

/// A scenario step's call: when it was made, and again when a blocked call finished.
struct StepEvent {
    int line = 0; ///< the statement's line in the scenario file
    std::string text; ///< the statement as written
    std::string endpoint;
    std::string call; ///< the step's main call ("connect", "send", ...; "wait", "wait-state")
    std::string args;
    std::int64_t result = 0; ///< the main call's return value (bytes for send/recv)
    int err = 0; ///< errno of the main call, 0 on success (send fill: EAGAIN, with the bytes as result)
    Phase phase = Phase::Done;
    std::vector<CallRecord> calls; ///< every system call the step made, in order
    std::string local; ///< the endpoint's address after the call ("" when it has none)
    std::string peer; ///< its peer's address after the call
    std::string creates; ///< accept: the endpoint the call created ("server")
    std::string adopts; ///< accept: the name the kernel socket had before it was accepted ("client/peer")
    std::map<std::string, std::string> narration; ///< by language
    bool isWait() const { return call == "wait" || call == "wait-state"; }
    friend bool operator==(const StepEvent&, const StepEvent&) = default;
};

/// An endpoint's TCP state changed.
struct StateEvent {
    std::string endpoint;
    std::optional<TcpState> from; ///< none when the endpoint first appears
    TcpState to = TcpState::Unknown;
    Source source = Source::Kernel;
    Role role = Role::Socket; ///< the endpoint's role at this point
    /// The kernel no longer has the socket (no descriptor, no sock_diag entry): `to` is CLOSE.
    bool gone = false;
    std::string local; ///< "127.0.0.1:41234", or "" when not bound
    std::string peer;
    std::string why; ///< for inferred states and gone sockets: why
    friend bool operator==(const StateEvent&, const StateEvent&) = default;
};

/// Directions shut down, as sock_diag reports them (INET_DIAG_SHUTDOWN).
enum class Shutdown { None, Rd, Wr, RdWr };
std::string_view shutdownName(Shutdown s); ///< "none", "rd", "wr", "rdwr"
std::optional<Shutdown> shutdownFromName(std::string_view name);

/// An endpoint's queues and buffers. -1 means "not known" (e.g. no descriptor and no sock_diag entry).
struct BuffersEvent {
    std::string endpoint;
    std::int64_t recvq = -1; ///< unread bytes (SIOCINQ)
    std::int64_t sendq = -1; ///< unacknowledged sequence space (SIOCOUTQ; a SYN or FIN counts 1)
    std::int64_t notsent = -1; ///< bytes not yet sent (SIOCOUTQNSD)
    std::int64_t sndbuf = -1; ///< SO_SNDBUF
    std::int64_t rcvbuf = -1; ///< SO_RCVBUF
    std::int64_t sndwnd = -1; ///< peer's advertised window (tcpi_snd_wnd)
    std::int64_t rcvwnd = -1; ///< our advertised window (tcpi_rcv_wnd)
    std::int64_t acceptq = -1; ///< listener: connections waiting for accept()
    std::int64_t backlog = -1; ///< listener: accept queue capacity
    std::int64_t segsOut = -1;
    std::int64_t segsIn = -1;
    std::int64_t retrans = -1;
    std::optional<Shutdown> shutdown; ///< none when not reported
    Source source = Source::Kernel;
    friend bool operator==(const BuffersEvent&, const BuffersEvent&) = default;
};

/// A kernel timer on an endpoint was armed or changed kind (TimerKind::None: no timer).
struct TimerEvent {
    std::string endpoint;
    TimerKind kind = TimerKind::None;
    unsigned raw = 0; ///< the kernel's idiag_timer value, for an Unknown kind
    std::int64_t remainingMs = 0; ///< as the kernel reported it at t_ns
    std::int64_t retrans = 0; ///< idiag_retrans: retransmissions or keepalive probes so far
    Source source = Source::Kernel;
    /// "time-wait", "fin-wait2", "retransmit", "keepalive", "probe", "unknown(N)"; "" for none.
    std::string label() const;
    friend bool operator==(const TimerEvent&, const TimerEvent&) = default;
};

/// A TCP segment on the wire.
struct SegmentEvent {
    std::string from; ///< sending endpoint
    std::string to; ///< receiving endpoint
    std::uint8_t flags = 0; ///< TcpFlag bits
    std::optional<std::uint32_t> seq;
    std::optional<std::uint32_t> ack; ///< present when the ACK flag is set
    /// The window in bytes: the header's field shifted by the sender's window scale (never for a
    /// SYN, RFC 7323 2.2). Absent when the scale is not known (the SYNs were not seen).
    std::optional<std::uint32_t> window;
    std::int64_t length = 0; ///< payload bytes
    Source source = Source::Inferred;
    std::string why;
    // What only a captured segment has (source == Capture):
    std::optional<std::uint32_t> relSeq; ///< seq minus the sender's initial sequence number (its SYN's seq)
    std::optional<std::uint32_t> relAck; ///< ack minus the receiver's initial sequence number
    std::optional<std::uint32_t> rawWindow; ///< the 16-bit window field as sent
    int wscale = -1; ///< the shift applied to rawWindow to give window; -1 when not known
    TcpOptions options;
    /// Why it was sent: the step's call ("connect"), a reply ("answers FIN,ACK") or a kernel timer
    /// ("retransmission", "keepalive probe", "window probe", "delayed ACK"). See the wire classifier.
    std::string cause;
    /// When the packet passed lo, on the trace's clock. t_ns is when the run recorded it, which
    /// can be later: segments are read after the call that sent them returned.
    std::optional<std::int64_t> wireNs;
    std::int64_t frame = 0; ///< its number (from 1) in the run's pcap; 0 for none
    /// In the gated lab, what the gate did with it when it arrived: "passed", "held" (it waits;
    /// a later GateEvent delivers or drops it), "cut" (lost: the wire was cut), "lost" (a
    /// `gate lose` rule threw it away), "copy" (a duplicate the gate sent: copyOf is the original's
    /// frame), "delayed" (relayed after the gate's delay). Empty for a segment that crossed no gate.
    std::string fate;
    std::int64_t copyOf = 0;
    bool has(TcpFlag f) const { return (flags & f) != 0; }
    std::string flagsText() const { return tcpFlagsText(flags); }
    friend bool operator==(const SegmentEvent&, const SegmentEvent&) = default;
};

/// A scenario's expectation, checked against the kernel.
struct ExpectEvent {
    int line = 0;
    std::string text; ///< the expect statement
    std::string endpoint;
    std::string quantity; ///< "state", "errno", "recvq", ... (the language's name for it)
    std::string expected; ///< "TIME_WAIT", ">= 1000"
    std::string observed; ///< what the kernel reported
    bool ok = false;
    friend bool operator==(const ExpectEvent&, const ExpectEvent&) = default;
};

/// What was done at the gated lab's gate: by a scenario's `gate` step or by the user in the window.
struct GateEvent {
    std::string action; ///< "hold", "pass", "cut", "mend", "lose", "deliver", "drop", "duplicate", "delay"
    std::int64_t frame = 0; ///< deliver, drop, duplicate: the held segment's frame
    std::string pattern; ///< what the action picked or, for lose, what is lost from now on ("client>server FIN")
    std::string by; ///< "scenario" or "user"
    int line = 0; ///< the gate step's line, for a scenario's action
    friend bool operator==(const GateEvent&, const GateEvent&) = default;
};

enum class NoteLevel { Info, Warning, Error };
std::string_view noteLevelName(NoteLevel l); ///< "info", "warning", "error"
std::optional<NoteLevel> noteLevelFromName(std::string_view name);

/// Free text: run start, errors, explanations.
struct NoteEvent {
    NoteLevel level = NoteLevel::Info;
    std::string text;
    int line = 0; ///< scenario line when the note is about one
    friend bool operator==(const NoteEvent&, const NoteEvent&) = default;
};

enum class EventKind { Step, State, Buffers, Timer, Segment, Expect, Note, Gate };
std::string_view eventKindName(EventKind k);

using EventData
    = std::variant<StepEvent, StateEvent, BuffersEvent, TimerEvent, SegmentEvent, ExpectEvent, NoteEvent, GateEvent>;

/// A value kept on the heap, copied and compared as the value. A trace keeps its events boxed so
/// an event costs what its own kind needs, not what the biggest kind does: a million small
/// events from a file of 50 MB then take about twice that, not eight times.
template <class T>
class Box {
public:
    Box()
        : m_p(std::make_unique<T>())
    {
    }
    Box(T value)
        : m_p(std::make_unique<T>(std::move(value)))
    {
    }
    Box(const Box& other)
        : m_p(std::make_unique<T>(*other.m_p))
    {
    }
    Box(Box&&) noexcept = default;
    Box& operator=(const Box& other)
    {
        if (this != &other)
            m_p = std::make_unique<T>(*other.m_p);
        return *this;
    }
    Box& operator=(Box&&) noexcept = default;
    ~Box() = default;
    T* get() { return m_p.get(); }
    const T* get() const { return m_p.get(); }
    const T& operator*() const { return *m_p; }
    friend bool operator==(const Box& a, const Box& b) { return *a.m_p == *b.m_p; }

private:
    std::unique_ptr<T> m_p;
};

/// One timestamped event. `step` is the index of the scenario step that was running (-1 before the first).
struct Event {
    std::int64_t tNs = 0; ///< monotonic, from the run's start
    int step = -1;

    Event() = default;
    Event(std::int64_t t, int s, EventData d)
        : tNs(t)
        , step(s)
        , m_data(box(std::move(d)))
    {
    }
    /// From one kind's data directly (no EventData on the way).
    template <class T, class = std::enable_if_t<std::is_constructible_v<EventData, T>
                           && !std::is_same_v<std::decay_t<T>, EventData>>>
    Event(std::int64_t t, int s, T&& d)
        : tNs(t)
        , step(s)
        , m_data(Box<std::decay_t<T>>(std::forward<T>(d)))
    {
    }

    EventKind kind() const { return static_cast<EventKind>(m_data.index()); }
    template <class T>
    const T* as() const
    {
        const auto* b = std::get_if<Box<T>>(&m_data);
        return b ? b->get() : nullptr;
    }
    template <class T>
    T* edit()
    {
        auto* b = std::get_if<Box<T>>(&m_data);
        return b ? b->get() : nullptr;
    }
    /// Calls `f` with the event's data (a StepEvent, a StateEvent, ...).
    template <class F>
    decltype(auto) visit(F&& f) const
    {
        return std::visit([&](const auto& b) -> decltype(auto) { return f(*b); }, m_data);
    }
    friend bool operator==(const Event&, const Event&) = default;

private:
    using Boxed = std::variant<Box<StepEvent>, Box<StateEvent>, Box<BuffersEvent>, Box<TimerEvent>, Box<SegmentEvent>,
        Box<ExpectEvent>, Box<NoteEvent>, Box<GateEvent>>;
    static Boxed box(EventData&& d)
    {
        return std::visit(
            [](auto&& v) -> Boxed {
                using T = std::decay_t<decltype(v)>;
                return Box<T>(std::forward<decltype(v)>(v));
            },
            std::move(d));
    }
    Boxed m_data;
};

/// A run's whole record: what ran, on what, and every event in order.
struct Trace {
    std::string scenario; ///< the scenario's name
    std::string title;
    std::string file;
    std::string kernel; ///< uname -r of the machine that ran it
    Tier tier = Tier::HostLoopback;
    std::string startedAt; ///< wall clock, ISO 8601 UTC
    std::string synackVersion;
    int stepCount = 0; ///< action steps in the scenario
    std::vector<Event> events;

    friend bool operator==(const Trace&, const Trace&) = default;
};

/// The side of the ladder an endpoint is drawn on, from the roles the trace gives it: Client for
/// sockets that connected (or made nothing else), Server for listeners, bound sockets, accepted
/// connections and "<client>/peer" halves.
enum class Side { Client, Server };
Side sideOf(const Trace& trace, const std::string& endpoint);
/// sideOf for each of `endpoints`, in one pass over the events (a trace may name thousands).
std::unordered_map<std::string, Side> sidesOf(const Trace& trace, const std::vector<std::string>& endpoints);

/// The trace file format's version. 3 added the gate: `gate` events and a segment's `fate`;
/// 2 added a state's `role` and `gone` and a call's `count`. 1 and 2 still load.
inline constexpr int kTraceFormatVersion = 3;
/// A trace file may be at most this big (256 MiB): far more than any run makes, and small enough
/// to load on a laptop.
inline constexpr std::int64_t kMaxTraceFileBytes = 256ll << 20;
/// The most steps a trace may say it has (a scenario has at most 500).
inline constexpr std::int64_t kMaxTraceSteps = 100'000;

/// Lossless JSON (pretty or compact).
std::string traceToJson(const Trace& trace, bool pretty = true);

struct TraceLoadOptions {
    /// Called now and then with how much of the text has been read (0 to 1); returning false
    /// cancels the load.
    std::function<bool(double)> progress;
};
/// Reads JSON written by traceToJson (this format and the one before it, which had no `role` or
/// `gone`). Nothing in the text is trusted: every field's type and range is checked, and what is
/// wrong is named with its event's number ("event 12: window: 4294967296 is out of range (0 to
/// 4294967295)"). Never throws.
Result<Trace> traceFromJson(std::string_view json, const TraceLoadOptions& options = {});
/// The text of a trace file: a regular file of at most kMaxTraceFileBytes, read with that bound
/// (a device or a FIFO is refused without reading from it).
Result<std::string> readTraceFile(const std::string& path);
/// readTraceFile, then traceFromJson; errors name the file.
Result<Trace> loadTraceFile(const std::string& path, const TraceLoadOptions& options = {});

} // namespace synack
