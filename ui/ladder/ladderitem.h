// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLineF>
#include <QRectF>
#include <QString>

namespace synack {

/// One drawn thing of the ladder. Both the painter and the hit test (tooltips, clicks) work from
/// these, and LadderView::items() hands the same list to tests. Coordinates are content
/// coordinates: (0, 0) is the top left of the whole ladder, as LadderView::paintTo() draws it at
/// scale 1.
struct LadderItem {
    /// In paint order: later kinds are drawn over earlier ones and win hit tests.
    enum Kind {
        Lane, ///< a lane and its title; the wire lane (detail "loopback") is tinted
        StepHeader, ///< separator for a scenario step; label: the statement
        Lifeline, ///< an endpoint's vertical line; endpoint: its (latest) name
        Blocked, ///< a blocked call waiting, from its call box to its completion (or the bottom)
        StateBand, ///< an endpoint in one state, from the change to the next one
        Wait, ///< `wait DURATION`: a labelled gap across the lanes
        Segment, ///< an arrow; line: from the sender's line to the receiver's (cut by progress)
        Timer, ///< a time-wait timer read from the kernel, with its countdown
        StateLabel, ///< the state's name where it changes
        Rename, ///< accept() gave the "<client>/peer" socket its name
        Call, ///< a call box
        Header, ///< an endpoint's name and address at the top
    };
    Kind kind = Lane;
    int eventIndex = -1; ///< index into trace->events, -1 for lanes, lifelines and headers
    QRectF rect; ///< bounds (for a segment: the arrow and its labels)
    QLineF line; ///< segments: tail to head as drawn now; lifelines: top to bottom
    QRectF labelRect; ///< segments: the flags above the arrow; lanes: the title
    QRectF detailRect; ///< segments: seq/ack/len below the arrow (null when there are none)
    bool dashed = false; ///< inferred (a segment or a state), or a blocked bar still open
    bool warning = false; ///< a call that failed (errno not "0"), or an RST segment
    QString label; ///< the main text (call, flags, state name, endpoint name)
    QString detail; ///< the second line (result and errno, seq/ack/len, address)
    QString endpoint; ///< the endpoint the item belongs to (a segment's sender)
    QString state; ///< StateBand / StateLabel: the state ("gone" when the kernel dropped it)
    QString toolTip;
};

} // namespace synack
