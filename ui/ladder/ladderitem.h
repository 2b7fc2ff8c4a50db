// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLineF>
#include <QRectF>
#include <QString>

#include <cstdint>

namespace synack {

/// One drawn thing of the ladder. Both the painter and the hit test (tooltips, clicks) work from
/// these, and LadderView::items() hands the same list to tests. Coordinates are content
/// coordinates: (0, 0) is the top left of the whole ladder, as LadderView::paintTo() draws it at
/// scale 1.
struct LadderItem {
    /// In paint order: later kinds are drawn over earlier ones and win hit tests.
    enum Kind {
        Lane, ///< a lane and its title; the wire lane (detail "loopback") is tinted
        GateBand, ///< the gated lab's wire while it is cut: a dashed band down the middle of the wire
        StepHeader, ///< separator for a scenario step; label: the statement
        Lifeline, ///< an endpoint's vertical line; endpoint: its (latest) name
        Blocked, ///< a blocked call waiting, from its call box to its completion (or the bottom)
        StateBand, ///< an endpoint in one state, from the change to the next one
        Wait, ///< `wait DURATION`: a labelled gap across the lanes
        Segment, ///< an arrow; line: from the sender's line to the receiver's (cut by progress), or
                 ///< to the gate in the middle of the wire (`end`), or on from the gate (`fromGate`)
        GateMark, ///< what was done at the gate (hold, pass, cut, mend, lose, duplicate): a pill on the wire
        Timer, ///< a time-wait timer read from the kernel, with its countdown
        StateLabel, ///< the state's name where it changes
        Rename, ///< accept() gave the "<client>/peer" socket its name
        Call, ///< a call box
        Header, ///< an endpoint's name and address at the top
    };
    /// Where a segment's arrow ends (the gated lab's gate sits in the middle of the wire).
    enum End {
        Arrives, ///< at the receiver
        Held, ///< at the gate, where it waits: a gate bar at the head
        Crossed, ///< on the wire, lost (cut wire, `gate lose`) or dropped at the gate: a cross at the head
        Refused, ///< at the receiver, whose kernel threw it away (a SYN to a full accept queue): a cross there
    };
    Kind kind = Lane;
    int eventIndex = -1; ///< index into trace->events, -1 for lanes, lifelines and headers
    QRectF rect; ///< bounds (for a segment: the arrow and its labels)
    QLineF line; ///< segments: tail to head as drawn now; lifelines: top to bottom
    QRectF labelRect; ///< segments: the flags above the arrow; lanes: the title
    QRectF detailRect; ///< segments: seq/ack/win/len below the arrow (null when there are none)
    /// segments: the part of `detail` drawn in the warning colour ("win 0"), as [from, from + length)
    int alertFrom = -1, alertLength = 0;
    bool dashed = false; ///< inferred (a segment or a state), or a blocked bar still open
    bool compact = false; ///< a timer in a narrowed column: its countdown without its name
    bool warning = false; ///< a call that failed (errno not "0"), or an RST segment
    QString label; ///< the main text (call, flags, state name, endpoint name)
    QString detail; ///< the second line (result and errno, seq/ack/len, address)
    QString endpoint; ///< the endpoint the item belongs to (a segment's sender)
    QString state; ///< StateBand / StateLabel: the state ("gone" when the kernel dropped it)
    QString toolTip;
    // The gated lab's segments:
    End end = Arrives;
    bool fromGate = false; ///< a held segment delivered: the arrow starts at the gate
    std::int64_t frame = 0; ///< the segment's frame (the gate's id for it); 0 for none
    QString note; ///< segments: why a timer sent it, or what the gate did ("copy of #3", "dropped at the gate")
    QRectF noteRect; ///< segments: where the note goes, under the numbers (null when there is none)
    QString heldLabel; ///< a held segment's "held", beside the gate on the side it waits to go on to
    QRectF heldRect;
};

} // namespace synack
