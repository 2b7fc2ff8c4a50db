// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "base/result.h"

namespace synack {

/// Where a fact came from. The kernel-truth rule: anything not read from the kernel says so.
enum class Source {
    Kernel, ///< read from TCP_INFO, an ioctl, a socket option or sock_diag
    Inferred, ///< filled in from the RFC 9293 model because it was never sampled
    Capture, ///< decoded from a captured segment
};
std::string_view sourceName(Source s);
std::optional<Source> sourceFromName(std::string_view name);

/// One system call a step made.
struct CallRecord {
    std::string call; ///< "bind"
    std::string args; ///< "127.0.0.1:0"
    std::int64_t result = 0;
    std::string errnoName = "0";
    int count = 1; ///< the same call made this many times in a row, with the same result
    friend bool operator==(const CallRecord&, const CallRecord&) = default;
};

/// Appends a call to a step's record; a repeat of the last one (same call, arguments and
/// result, as `send fill` makes) counts up instead of adding a line.
void appendCall(std::vector<CallRecord>& calls, CallRecord call);

/// A scenario step's call: when it was made, and again when a blocked call finished.
struct StepEvent {
    int line = 0; ///< the statement's line in the scenario file
    std::string text; ///< the statement as written
    std::string endpoint;
    std::string call; ///< the step's main call ("connect", "send", ...)
    std::string args;
    std::int64_t result = 0; ///< the main call's return value (bytes for send/recv)
    std::string errnoName = "0"; ///< "0" on success, else "ECONNREFUSED" etc.
    std::string phase = "done"; ///< "done", "blocked" (still waiting), "completed" (a blocked call returned)
    std::vector<CallRecord> calls; ///< every system call the step made, in order
    std::string local; ///< the endpoint's address after the call ("" when it has none)
    std::string peer; ///< its peer's address after the call
    std::string creates; ///< accept: the endpoint the call created ("server")
    std::string adopts; ///< accept: the name the kernel socket had before it was accepted ("client/peer")
    std::map<std::string, std::string> narration; ///< by language
    friend bool operator==(const StepEvent&, const StepEvent&) = default;
};

/// An endpoint's TCP state changed.
struct StateEvent {
    std::string endpoint;
    std::string from; ///< kernel state name without TCP_, "" when the endpoint first appears
    std::string to;
    Source source = Source::Kernel;
    std::string local; ///< "127.0.0.1:41234", or "" when not bound
    std::string peer;
    std::string why; ///< for inferred states: why it was inferred
    friend bool operator==(const StateEvent&, const StateEvent&) = default;
};

/// An endpoint's queues and buffers. -1 means "not known" (e.g. no descriptor and no sock_diag entry).
struct BuffersEvent {
    std::string endpoint;
    std::int64_t recvq = -1; ///< unread bytes (SIOCINQ)
    std::int64_t sendq = -1; ///< unacknowledged bytes (SIOCOUTQ)
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
    std::string shutdown; ///< directions shut down (sock_diag): "none", "rd", "wr", "rdwr"; "" = not reported
    Source source = Source::Kernel;
    friend bool operator==(const BuffersEvent&, const BuffersEvent&) = default;
};

/// A kernel timer on an endpoint was armed or changed kind ("" = no timer).
struct TimerEvent {
    std::string endpoint;
    std::string timer; ///< "time-wait", "retransmit", "keepalive", "probe", "" (none)
    std::int64_t remainingMs = 0; ///< as the kernel reported it at t_ns
    std::int64_t retrans = 0; ///< idiag_retrans: retransmissions or keepalive probes so far
    Source source = Source::Kernel;
    friend bool operator==(const TimerEvent&, const TimerEvent&) = default;
};

/// The TCP options of a captured segment (RFC 9293 3.1, RFC 7323, RFC 2018).
struct TcpOptions {
    std::optional<std::uint16_t> mss;
    std::optional<std::uint8_t> wscale; ///< the shift a SYN offers (RFC 7323 2.2)
    bool sackPermitted = false;
    std::optional<std::uint32_t> tsVal;
    std::optional<std::uint32_t> tsEcr;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> sack; ///< SACK blocks, [left, right)
    /// Every option in wire order as tcpdump prints them: "mss 65495,sackOK,TS val 1 ecr 0,nop,wscale 7".
    std::string text;
    bool empty() const { return text.empty() && !mss && !wscale && !sackPermitted && !tsVal && !tsEcr && sack.empty(); }
    friend bool operator==(const TcpOptions&, const TcpOptions&) = default;
};

/// A TCP segment on the wire.
struct SegmentEvent {
    std::string from; ///< sending endpoint
    std::string to; ///< receiving endpoint
    std::string flags; ///< "SYN", "SYN,ACK", "ACK", "FIN,ACK", "RST", "PSH,ACK"
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
    /// ("retransmission", "keepalive probe", "window probe", "delayed ACK"). See Runner.
    std::string cause;
    /// When the packet passed lo, on the trace's clock. t_ns is when the run recorded it, which
    /// can be later: segments are read after the call that sent them returned.
    std::optional<std::int64_t> wireNs;
    std::int64_t frame = 0; ///< its number (from 1) in the run's pcap; 0 for none
    friend bool operator==(const SegmentEvent&, const SegmentEvent&) = default;
};

/// A scenario's expectation, checked against the kernel.
struct ExpectEvent {
    int line = 0;
    std::string text; ///< the expect statement
    std::string endpoint;
    std::string quantity; ///< "state", "errno", "recvq", ...
    std::string expected; ///< "TIME_WAIT", ">= 1000"
    std::string observed; ///< what the kernel reported
    bool ok = false;
    friend bool operator==(const ExpectEvent&, const ExpectEvent&) = default;
};

/// Free text: run start, errors, explanations.
struct NoteEvent {
    std::string level = "info"; ///< "info", "warning", "error"
    std::string text;
    int line = 0; ///< scenario line when the note is about one
    friend bool operator==(const NoteEvent&, const NoteEvent&) = default;
};

enum class EventKind { Step, State, Buffers, Timer, Segment, Expect, Note };
std::string_view eventKindName(EventKind k);

using EventData = std::variant<StepEvent, StateEvent, BuffersEvent, TimerEvent, SegmentEvent, ExpectEvent, NoteEvent>;

/// One timestamped event. `step` is the index of the scenario step that was running (-1 before the first).
struct Event {
    std::int64_t tNs = 0; ///< monotonic, from the run's start
    int step = -1;
    EventData data;

    EventKind kind() const { return static_cast<EventKind>(data.index()); }
    template <class T>
    const T* as() const { return std::get_if<T>(&data); }
    friend bool operator==(const Event&, const Event&) = default;
};

/// A run's whole record: what ran, on what, and every event in order.
struct Trace {
    std::string scenario; ///< the scenario's name
    std::string title;
    std::string file;
    std::string kernel; ///< uname -r of the machine that ran it
    std::string tier = "host-loopback";
    std::string startedAt; ///< wall clock, ISO 8601 UTC
    std::string synackVersion;
    int stepCount = 0; ///< action steps in the scenario
    std::vector<Event> events;

    friend bool operator==(const Trace&, const Trace&) = default;
};

/// Lossless JSON (pretty or compact).
std::string traceToJson(const Trace& trace, bool pretty = true);
/// Reads JSON written by traceToJson; errors say what is wrong and where.
Result<Trace> traceFromJson(std::string_view json);

} // namespace synack
