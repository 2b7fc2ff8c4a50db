// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <map>
#include <vector>

#include "ladder/laddercolumns.h"
#include "trace/trace.h"

namespace synack {

struct LadderFonts;

/// Timers the ladder shows as a chip with a countdown: TIME_WAIT's and an orphan's FIN_WAIT2.
bool isCountdown(TimerKind timer);
/// "time-wait 60 s" as read, or "time-wait 59.9 s left" while counting down (`left`).
QString countdownText(TimerKind timer, double seconds, bool left);

/// What an event draws, worked out once per trace: its texts, tooltip and their widths.
struct LadderEvent {
    enum Draw { None, Call, WaitGap, Segment, State, Timer };
    Draw draw = None;
    int column = -1; ///< the endpoint's column (a segment's sender)
    int toColumn = -1; ///< a segment's receiver
    int renameColumn = -1; ///< accept: the adopted "<client>/peer" column
    QString renameTo;
    QString label, detail, toolTip, state;
    double labelWidth = 0, detailWidth = 0;
    bool inferred = false, warning = false, gone = false, blocked = false, completed = false;
    int line = 0; ///< the statement's line: a completed call matches its blocked call by it
};

/// Everything the ladder works out once per trace (and font): the columns, every event's texts,
/// and each step's statement for its header. Laying out a prefix of the trace then only places
/// these.
struct LadderPrepared {
    LadderColumns lanes;
    std::vector<LadderEvent> events; ///< one per trace event
    std::map<int, QString> stepText; ///< step index -> its statement

    static LadderPrepared make(const Trace& t, const LadderFonts& fonts);
};

} // namespace synack
