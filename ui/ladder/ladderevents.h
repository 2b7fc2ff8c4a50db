// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFontMetricsF>
#include <QHash>
#include <QString>

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <vector>

#include "ladder/laddercolumns.h"
#include "ladder/ladderitem.h"
#include "trace/trace.h"

namespace synack {

struct LadderFonts;

/// Timers the ladder shows as a chip with a countdown: TIME_WAIT's and an orphan's FIN_WAIT2.
bool isCountdown(TimerKind timer);
/// "time-wait 60 s" as read, or "time-wait 59.9 s left" while counting down (`left`).
QString countdownText(TimerKind timer, double seconds, bool left);
/// "59.9 s left": a countdown in a column too narrow for countdownText(), beside its state's pill.
QString countdownShort(double seconds);

/// Widths of texts in one font, remembered by their shape: every digit is measured as a '0' (the
/// fonts' digits are tabular), so "seq 1001  ack 5001" and "seq 2001  ack 6001" are shaped once.
/// Shaping text is what made a trace of a million events slow to show.
class TextWidths {
public:
    explicit TextWidths(const QFont& font)
        : m_metrics(font)
    {
    }
    double operator()(const QString& text);
    const QFontMetricsF& metrics() const { return m_metrics; }

private:
    QFontMetricsF m_metrics;
    QHash<QString, double> m_widths;
};

/// What an event draws, worked out once per trace: its texts and their widths. Its tooltip is
/// made only when it is asked for (LadderPrepared::toolTip).
struct LadderEvent {
    /// Gate: a GateEvent drawn as a pill on the wire (hold, pass, cut, mend, lose, duplicate).
    /// Deliver and Drop: a GateEvent that let a held segment go on (an arrow from the gate to the
    /// receiver) or threw it away (a cross at the gate); column and toColumn are the held
    /// segment's.
    enum Draw { None, Call, WaitGap, Segment, State, Timer, Gate, Deliver, Drop };
    Draw draw = None;
    int column = -1; ///< the endpoint's column (a segment's sender)
    int toColumn = -1; ///< a segment's receiver
    int renameColumn = -1; ///< accept: the adopted "<client>/peer" column
    QString renameTo;
    QString label, detail, state;
    int alertFrom = -1, alertLength = 0; ///< a segment's: "win 0" in its detail, drawn in the warning colour
    double labelWidth = 0, detailWidth = 0;
    bool inferred = false, warning = false, gone = false, blocked = false, completed = false;
    int line = 0; ///< the statement's line: a completed call matches its blocked call by it
    // The gated lab:
    LadderItem::End end = LadderItem::Arrives; ///< a segment's: where its arrow ends
    std::int64_t frame = 0; ///< a segment's frame; for Deliver and Drop the held segment's
    QString note; ///< a segment's note (cause, "held", "copy of #3"); a gate action's: who did it
    double noteWidth = 0;
    QString held; ///< a held segment's "held"
    double heldWidth = 0;
    QString gateAction; ///< Gate: the action ("hold", "cut", ...)
};

/// Everything the ladder works out once per trace (and font): the columns, every event's texts,
/// and each step's statement for its header. Laying out a prefix of the trace then only places
/// these.
struct LadderPrepared {
    LadderColumns lanes;
    std::vector<LadderEvent> events; ///< one per trace event
    std::map<int, QString> stepText; ///< step index -> its statement
    /// Segments the receiver's kernel threw away (event index -> why, for the tooltip).
    std::map<std::size_t, QString> refusedWhy;

    /// Many segments of one kind (keepalive or zero-window probes, retransmissions, duplicate ACKs)
    /// sent in one step, and the answers to the probes: drawn as their first arrow, tagged "×6
    /// zero-window probes", unless the group is expanded.
    struct Group {
        int count = 0; ///< segments of the kind, the first included
        std::vector<std::size_t> members; ///< what the first stands for: the others and the answers
        bool expanded = false;
    };
    std::map<std::size_t, Group> groups; ///< by its first segment's event index

    /// `absoluteSeq`: a segment's seq and ack as sent, not counted from each side's ISN.
    /// `expanded`: the groups (by their first segment) drawn one arrow per segment.
    static LadderPrepared make(
        const Trace& t, const LadderFonts& fonts, bool absoluteSeq = false, const std::set<std::size_t>& expanded = {});
    /// Narrows a ladder wider than `width` pixels to it: every column and the wire get a fair
    /// share (narrow ones keep what they need, wide ones are cut to the same level); texts wider
    /// than their share are elided when they are laid out (fitted()), whole in their tooltip.
    /// Returns false, changing nothing, when the ladder already fits or has too many columns to
    /// fit (it then scrolls). States' names and segments' flags keep their room, unless
    /// `lastResort`.
    bool fit(const Trace& t, const LadderFonts& fonts, double width, bool lastResort = false);
    /// More columns than this do not fit any screen at a readable size: the ladder scrolls.
    static constexpr std::size_t kMostColumnsToFit = 12;
    /// Event `p` with its texts elided to its share after fit(): `p` itself when they fit
    /// (nearly always), else a copy made in `scratch`. Done as events are laid out, so a trace of
    /// a million events elides only what is revealed.
    const LadderEvent& fitted(const LadderEvent& p, const LadderFonts& fonts, LadderEvent& scratch) const;
    bool fittable() const { return !lanes.columns.empty() && lanes.columns.size() <= kMostColumnsToFit; }
    /// The tooltip of event `index` (what it is, where it came from), made when the mouse asks.
    QString toolTip(const Trace& t, std::size_t index) const;

private:
    class Elider;
    std::shared_ptr<Elider> m_elider; ///< made by fit(); fitted() elides with it
};

} // namespace synack
