// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "run/endpoints.h"
#include "run/recorder.h"
#include "run/transitions.h"

namespace synack {

/// A captured segment, classified, with the addresses it crossed between: it is named (after its
/// endpoints) only when it is emitted, by which time a new "<client>/peer" may have been read.
struct WireSegment {
    SegmentEvent event;
    SockAddr src;
    SockAddr dst;
};

/// When each endpoint's state was read, on the run's clock (see Snapshot::readAt).
using ReadTimes = std::map<const Endpoint*, std::int64_t>;

/// Puts what a sample found in the order it happened and emits it: state changes, and the
/// segments between them, captured (the lab) or inferred from the changes (host loopback).
///
/// - Host loopback: every RFC 9293 move sends and receives known segments, so they are inferred
///   and emitted in causal order across endpoints (a receive after the matching send), all
///   marked inferred; bytes the kernel counted as sent become one inferred data segment.
/// - The lab: captured segments in wire order, and each change placed just after the segment it
///   receives or, when it receives none, just before the one it sends, timed by that segment.
/// - Both: a change or a segment whose other half this sample could not yet have read waits for
///   the next sample, once (holdUnseen, holdUnpaired).
class Ordering {
public:
    Ordering(EndpointTable& table, Recorder& recorder, bool captured)
        : m_table(table)
        , m_rec(recorder)
        , m_captured(captured)
    {
    }

    /// Emits a batch read together: data segments, then state changes with their segments.
    /// Returns whether there was anything (held things count: a later sample emits them).
    bool report(std::vector<Transition> transitions, std::vector<WireSegment> wire, const ReadTimes* readAt);
    /// Data the kernel counted as sent since `ep`'s last reading (tcpi_bytes_sent), as one inferred
    /// segment. Returns whether there was any.
    bool dataSent(Endpoint& ep, const Sample& s);
    /// Emits everything held and `wire`, in order (between steps, and for a refused connect).
    bool flush(std::vector<WireSegment> wire);
    /// Whether a sample held anything back that the next one will emit.
    bool holding() const { return !m_heldTransitions.empty() || !m_heldWire.empty(); }
    /// An inferred segment, explained by `why` (host loopback only: in the lab none is inferred).
    void infer(const std::string& from, const std::string& to, SegmentKind kind, std::string why,
        std::int64_t length = 0);

private:
    using Emission = std::pair<std::int64_t, EventData>;

    void name(std::vector<WireSegment>& wire) const;
    /// Whether a captured segment reached its receiver when it was captured (not held or lost at the gate).
    static bool arrives(const SegmentEvent& e);
    void holdUnseen(std::vector<WireSegment>& wire, std::vector<Transition>& transitions, const ReadTimes* readAt);
    void holdUnpaired(std::vector<Transition>& transitions, const ReadTimes* readAt);
    void emitCausally(std::vector<Transition>& transitions);
    void emitAlongWire(std::vector<Transition>& transitions, std::vector<WireSegment>& wire);
    void emitWire(WireSegment& w);
    SegmentRole roleOf(const Transition& t) const { return segmentRole(t, m_table.peerOrTarget(*t.ep)); }

    EndpointTable& m_table;
    Recorder& m_rec;
    bool m_captured;
    /// Inferred segments sent and not yet matched to the state change they cause, by (from, to).
    std::map<std::pair<std::string, std::string>, std::vector<SegmentKind>> m_inFlight;
    std::vector<WireSegment> m_heldWire;
    std::size_t m_heldCount = 0; ///< how many segments of the next batch were held before
    std::vector<Transition> m_heldTransitions;
};

} // namespace synack
