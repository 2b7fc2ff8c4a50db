// SPDX-License-Identifier: GPL-3.0-or-later
#include "ladder/ladderlayout.h"

#include "common/geometry.h"
#include "ladder/ladderevents.h"
#include "ladder/ladderstyle.h"
#include "ladder/ladderview.h"

#include <QFontMetricsF>
#include <QStringList>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace synack {

namespace {

using Item = LadderItem;

} // namespace

/// Lays out a prefix of a trace, row by row: one function per kind of row, then what runs to the
/// bottom (open state bands and blocked calls), the lanes, the lifelines and the headers. The rows
/// are kept; what runs to the bottom is made again each time the prefix grows.
class LadderLayouter::Rows {
public:
    Rows(const Trace& t, const LadderPrepared& prepared, const LadderFonts& fonts, LadderLayout& out)
        : m_trace(t)
        , m_prepared(prepared)
        , m_lanes(prepared.lanes)
        , m_fonts(fonts)
        , m_out(out)
        , m_small(fonts.small)
        , m_smallBold(fonts.smallBold)
        , m_titleWidths(fonts.title)
        , m_smallWidths(fonts.small)
        , m_unit(fonts.u)
        , m_bandHalf(0.2 * fonts.u)
        , m_pillH(m_small.lineSpacing() + 0.35 * fonts.u)
        , m_tracks(prepared.lanes.columns.size())
    {
        for (std::size_t c = 0; c < m_tracks.size(); ++c)
            m_tracks[c].name = m_lanes.columns[c].names.front();
        m_y = m_lanes.headerHeight + 0.5 * m_unit;
        m_rowTop = m_rowBottom = m_y;
    }

    std::size_t done() const { return m_done; }

    /// Lays out events up to `count` (at least done()), then what runs to the bottom.
    void run(std::size_t count)
    {
        // What ran to the bottom last time is made again below.
        for (std::size_t k = 0; k < LadderLayout::kKinds; ++k)
            m_out.kinds[k].resize(m_rowItems[k]);
        m_out.newest = QRectF();
        for (std::size_t i = m_done; i < count; ++i) {
            const bool last = i + 1 == count;
            std::array<std::size_t, LadderLayout::kKinds> before {};
            if (last)
                for (std::size_t k = 0; k < LadderLayout::kKinds; ++k)
                    before[k] = m_out.kinds[k].size();
            layOutEvent(i);
            if (last)
                findNewest(i, before);
        }
        m_done = std::max(m_done, count);
        for (std::size_t k = 0; k < LadderLayout::kKinds; ++k)
            m_rowItems[k] = m_out.kinds[k].size();
        const double bottom = m_y + 1.6 * m_unit;
        m_out.height = bottom + 0.6 * m_unit;
        toTheBottom(bottom);
        lanes();
        lifelines(bottom);
        m_out.liveTimers.clear();
        for (const auto& [name, k] : m_lastTimer)
            m_out.liveTimers.emplace_back(k, name);
        if (m_out.newest.isNull())
            m_out.newest
                = QRectF(m_lanes.wireLeft, m_rowTop, m_lanes.wireRight - m_lanes.wireLeft, m_rowBottom - m_rowTop);
    }

private:
    void layOutEvent(std::size_t i)
    {
        const Event& e = m_trace.events[i];
        if (e.step >= 0 && e.step != m_step)
            stepHeader(i, e.step);
        LadderEvent scratch;
        const LadderEvent& p = m_prepared.fitted(m_prepared.events[i], m_fonts, scratch);
        const int index = static_cast<int>(i);
        switch (p.draw) {
        case LadderEvent::None:
            break;
        case LadderEvent::WaitGap:
            waitGap(index, p);
            break;
        case LadderEvent::Call:
            call(index, p);
            break;
        case LadderEvent::State:
            state(index, p);
            break;
        case LadderEvent::Segment:
            segment(index, p);
            break;
        case LadderEvent::Timer:
            timer(index, p);
            break;
        case LadderEvent::Gate:
            gateMark(index, p);
            break;
        case LadderEvent::Deliver:
            segment(index, p, true);
            break;
        case LadderEvent::Drop:
            dropped(index, p);
            break;
        }
    }

    struct Track {
        double top = -1; ///< where the line starts (-1: not revealed yet)
        double end = -1; ///< where it ends (the kernel dropped the socket), -1: runs to the bottom
        double bandTop = 0;
        int bandEvent = -1;
        QString name; ///< the name as of the revealed events
    };
    /// A blocked call still waiting for its completion.
    struct OpenBar {
        int column;
        int line;
        double top;
        int event;
    };

    double colX(int c) const { return m_lanes.columns[static_cast<std::size_t>(c)].x; }
    Track& track(int c) { return m_tracks[static_cast<std::size_t>(c)]; }
    void start(int c, double y)
    {
        Track& t = track(c);
        if (t.top < 0 || y < t.top)
            t.top = y;
    }
    void push(Item it)
    {
        auto& kind = m_out.kinds[static_cast<std::size_t>(it.kind)];
        if (it.kind == Item::Timer)
            m_lastTimer[it.endpoint] = kind.size();
        kind.push_back(std::move(it));
    }
    /// A row from the current y, `height` high.
    void row(double height)
    {
        m_rowTop = m_y;
        m_y += height;
        m_rowBottom = m_y;
    }

    void band(int c, double from, double to)
    {
        const Track& t = track(c);
        const LadderEvent& p = m_prepared.events[static_cast<std::size_t>(t.bandEvent)];
        if (to <= from)
            return;
        Item it;
        it.kind = Item::StateBand;
        it.eventIndex = t.bandEvent;
        it.rect = QRectF(colX(c) - m_bandHalf, from, 2 * m_bandHalf, to - from);
        it.dashed = p.inferred;
        it.label = p.label;
        it.state = p.state;
        it.endpoint = t.name;
        push(it);
    }

    void stepHeader(std::size_t i, int step)
    {
        m_step = step;
        m_lastWasState = false;
        const QFontMetricsF mono(m_fonts.mono);
        Item it;
        it.kind = Item::StepHeader;
        it.eventIndex = static_cast<int>(i);
        for (std::size_t j = i; j < m_trace.events.size() && m_trace.events[j].step == step; ++j)
            if (const auto* s = m_trace.events[j].as<StepEvent>(); s && s->phase != Phase::Completed) {
                it.eventIndex = static_cast<int>(j);
                break;
            }
        const auto text = m_prepared.stepText.find(step);
        const QString statement = text == m_prepared.stepText.end() ? QString() : text->second;
        it.detail = LadderView::tr("Step %1").arg(step + 1);
        it.rect = QRectF(0, m_y, m_lanes.width, 2.0 * m_unit);
        it.toolTip = statement.isEmpty() ? it.detail : it.detail + QLatin1String(": ") + statement;
        // The badge and the statement, centred in the wire, elided to fit it.
        const double badge = m_smallBold.horizontalAdvance(it.detail) + 0.9 * m_unit;
        const double room
            = m_lanes.wireRight - m_lanes.wireLeft - 1.4 * m_unit - badge - 1.0 * m_unit + 1.0; // + rounding
        it.label = mono.elidedText(statement, Qt::ElideRight, room);
        const double w
            = badge + (it.label.isEmpty() ? 0 : 0.3 * m_unit + mono.horizontalAdvance(it.label) + 0.7 * m_unit);
        const double h = std::max(mono.lineSpacing(), m_smallBold.lineSpacing()) + 0.35 * m_unit;
        it.labelRect = QRectF((m_lanes.wireLeft + m_lanes.wireRight - w) / 2, m_y + 0.95 * m_unit - h / 2, w, h);
        push(it);
        row(2.0 * m_unit);
    }

    void waitGap(int index, const LadderEvent& p)
    {
        m_lastWasState = false;
        const double h = 2.2 * m_unit;
        const double mid = m_y + h / 2;
        Item it;
        it.kind = Item::Wait;
        it.eventIndex = index;
        it.label = p.label;
        const double w = p.labelWidth + 1.4 * m_unit;
        const double cx = (m_lanes.wireLeft + m_lanes.wireRight) / 2;
        it.rect = QRectF(cx - w / 2, mid - 0.7 * m_unit, w, 1.4 * m_unit);
        push(it);
        // A break on every line alive then.
        for (std::size_t c = 0; c < m_tracks.size(); ++c) {
            if (m_tracks[c].top < 0 || m_tracks[c].end >= 0)
                continue;
            Item gap;
            gap.kind = Item::Wait;
            gap.eventIndex = index;
            gap.endpoint = m_tracks[c].name;
            gap.rect = QRectF(m_lanes.columns[c].x - 0.7 * m_unit, mid - 0.3 * m_unit, 1.4 * m_unit, 0.6 * m_unit);
            push(gap);
        }
        row(h);
    }

    void call(int index, const LadderEvent& p)
    {
        m_lastWasState = false;
        const QFontMetricsF body(m_fonts.body);
        const double boxH = body.lineSpacing() + m_small.lineSpacing() + 0.55 * m_unit;
        const double x = colX(p.column);
        const double w = std::max(p.labelWidth, p.detailWidth) + 1.2 * m_unit;
        const QRectF box(x - w / 2, m_y + 0.35 * m_unit, w, boxH);
        start(p.column, box.top());
        Item it;
        it.kind = Item::Call;
        it.eventIndex = index;
        it.rect = box;
        it.label = p.label;
        it.detail = p.detail;
        it.warning = p.warning;
        it.dashed = p.blocked;
        it.endpoint = track(p.column).name;
        push(it);
        if (p.blocked)
            m_open.push_back({ p.column, p.line, box.bottom(), index });
        if (p.completed)
            closeBar(p, box, it.endpoint);
        if (p.renameColumn >= 0)
            rename(index, p, box);
        row(boxH + 0.7 * m_unit);
    }

    /// A completed call ends the bar of the blocked call it completes (the same line's).
    void closeBar(const LadderEvent& p, const QRectF& box, const QString& endpoint)
    {
        for (auto o = m_open.rbegin(); o != m_open.rend(); ++o) {
            if (o->column != p.column || o->line != p.line)
                continue;
            Item bar;
            bar.kind = Item::Blocked;
            bar.eventIndex = o->event;
            bar.rect = QRectF(colX(p.column) - 0.55 * m_unit, o->top, 1.1 * m_unit, std::max(0.0, box.top() - o->top));
            bar.label = LadderView::tr("blocked");
            bar.endpoint = endpoint;
            bar.toolTip = LadderView::tr("%1 waited in %2 until the call returned.")
                              .arg(endpoint, m_prepared.events[static_cast<std::size_t>(o->event)].label);
            push(bar);
            m_open.erase(std::next(o).base());
            return;
        }
    }

    void rename(int index, const LadderEvent& p, const QRectF& box)
    {
        Track& tr = track(p.renameColumn);
        Item rn;
        rn.kind = Item::Rename;
        rn.eventIndex = index;
        rn.label = LadderView::tr("accepted as %1").arg(p.renameTo);
        // A column narrowed to its pane: the short form, elided to the column.
        const double room = m_lanes.columns[static_cast<std::size_t>(p.renameColumn)].width - 1.6 * m_unit;
        if (m_small.horizontalAdvance(rn.label) > room)
            rn.label = m_small.elidedText(LadderView::tr("as %1").arg(p.renameTo), Qt::ElideRight, room);
        const double rw = m_small.horizontalAdvance(rn.label) + 1.2 * m_unit;
        rn.rect = QRectF(colX(p.renameColumn) - rw / 2, box.center().y() - m_pillH / 2, rw, m_pillH);
        rn.endpoint = p.renameTo;
        rn.toolTip = LadderView::tr("accept() took the connection shown as %1 off the queue: "
                                    "the same kernel socket, now called %2.")
                         .arg(tr.name, p.renameTo);
        tr.name = p.renameTo;
        start(p.renameColumn, rn.rect.top());
        push(rn);
    }

    /// State changes of different endpoints that follow each other share a row.
    void state(int index, const LadderEvent& p)
    {
        const double rowH = m_pillH + 0.45 * m_unit;
        if (!m_lastWasState
            || std::find(m_stateRowColumns.begin(), m_stateRowColumns.end(), p.column) != m_stateRowColumns.end()) {
            m_stateRowTop = m_y;
            m_stateRowColumns.clear();
            row(rowH);
        }
        m_lastWasState = true;
        m_stateRowColumns.push_back(p.column);
        const double mid = m_stateRowTop + rowH / 2;
        Track& tr = track(p.column);
        if (tr.bandEvent >= 0)
            band(p.column, tr.bandTop, mid);
        const double w = p.labelWidth + 1.0 * m_unit;
        Item it;
        it.kind = Item::StateLabel;
        it.eventIndex = index;
        it.rect = QRectF(colX(p.column) - w / 2, mid - m_pillH / 2, w, m_pillH);
        it.dashed = p.inferred;
        it.label = p.label;
        it.state = p.state;
        it.endpoint = tr.name;
        start(p.column, it.rect.top());
        push(it);
        tr.bandEvent = index;
        tr.bandTop = mid;
        if (p.gone) {
            tr.end = it.rect.bottom() + 0.3 * m_unit;
            tr.bandEvent = -1;
        } else {
            tr.end = -1;
        }
    }

    /// An arrow slanting down from the sender's line to the receiver's, its flags above it and its
    /// numbers below, both centred in the wire and lowered until they clear the arrow. In the gated
    /// lab an arrow may stop at the gate in the middle of the wire (held there, or lost on the way)
    /// and a held one goes on from the gate when it is delivered (`fromGate`), with the same slope.
    void segment(int index, const LadderEvent& p, bool fromGate = false)
    {
        m_lastWasState = false;
        const QFontMetricsF bold(m_fonts.bold);
        const double x0 = colX(p.column), x1 = colX(p.toColumn);
        const bool self = p.column == p.toColumn;
        const double dir = x1 >= x0 ? 1.0 : -1.0;
        const double gx = gateX();
        const double fullTail = x0 + dir * (m_bandHalf + 0.15 * m_unit);
        const double fullHead = self ? fullTail : x1 - dir * (m_bandHalf + 0.15 * m_unit);
        const bool toGate = !self && (p.end == Item::Held || p.end == Item::Crossed);
        const bool half = !self && (toGate || fromGate);
        const double tail = fromGate && !self ? gx : fullTail;
        const double head = toGate ? gx : fullHead;
        const double drop = half && fullHead != fullTail
            ? 1.5 * m_unit * std::abs(head - tail) / std::abs(fullHead - fullTail)
            : 1.5 * m_unit;
        const Side fromSide = m_lanes.columns[static_cast<std::size_t>(p.column)].side;
        const Side toSide = m_lanes.columns[static_cast<std::size_t>(p.toColumn)].side;
        // A half arrow's texts go in its half of the wire, clear of the gate.
        const double nearEdge = dir > 0 ? m_lanes.wireLeft : m_lanes.wireRight;
        const double farEdge = dir > 0 ? m_lanes.wireRight : m_lanes.wireLeft;
        const double cx = self               ? x0 + 2.5 * m_unit + std::max(p.labelWidth, p.detailWidth) / 2
            : toGate && fromSide != toSide   ? (nearEdge + gx) / 2
            : fromGate && fromSide != toSide ? (gx + farEdge) / 2
            : half                           ? (tail + head) / 2
            : fromSide != toSide             ? gx
                                             : (x0 + x1) / 2;
        auto along = [&](double xx) { return self ? 0.5 : clamp01((xx - tail) / (head - tail)); };
        const double fw = p.labelWidth + 0.4 * m_unit, fh = bold.lineSpacing();
        const double dw = p.detailWidth + 0.4 * m_unit, dh = p.detail.isEmpty() ? 0 : m_small.lineSpacing();
        const double fMin = drop * std::min(along(cx - fw / 2), along(cx + fw / 2));
        const double dMax = drop * std::max(along(cx - dw / 2), along(cx + dw / 2));
        const double y0 = std::max(m_y + 0.5 * m_unit, m_y + 0.25 * m_unit + fh + 0.1 * m_unit - fMin);
        const double y1 = y0 + drop;
        Item it;
        it.kind = Item::Segment;
        it.eventIndex = index;
        it.line = QLineF(tail, y0, head, y1);
        it.dashed = p.inferred;
        it.warning = p.warning;
        it.label = p.label;
        it.detail = p.detail;
        it.alertFrom = p.alertFrom;
        it.alertLength = p.alertLength;
        it.endpoint = track(p.column).name;
        it.end = self ? Item::Arrives : p.end;
        it.fromGate = fromGate && !self;
        it.frame = p.frame;
        it.note = p.note;
        it.labelRect = QRectF(cx - fw / 2, y0 + fMin - 0.1 * m_unit - fh, fw, fh);
        // A half arrow's numbers are too wide for its half of the wire: they go under the gate's
        // bar, centred on the wire, and the note under them.
        const double gateBarBelow = 0.75 * m_unit;
        const double underGate = toGate ? y1 + gateBarBelow : std::max(y1 + 0.15 * m_unit, y0 + gateBarBelow);
        if (!p.detail.isEmpty())
            it.detailRect = half ? QRectF(gx - dw / 2, underGate, dw, dh)
                                 : QRectF(cx - dw / 2, y0 + dMax + 0.12 * m_unit, dw, dh);
        double below
            = it.detailRect.isNull() ? (half ? underGate - 0.1 * m_unit : y1) : std::max(y1, it.detailRect.bottom());
        if (!it.note.isEmpty()) {
            // A note fitted to a narrow wire may take two lines (LadderPrepared::fitted()).
            const double nw = p.noteWidth + 0.4 * m_unit, nh = m_small.lineSpacing() * (1 + p.note.count(u'\n'));
            it.noteRect = QRectF((half ? gx : cx) - nw / 2, below + 0.02 * m_unit, nw, nh);
            below = it.noteRect.bottom();
        }
        if (it.end == Item::Held && !p.held.isEmpty()) { // beside the gate, on the side it waits to go on to
            const double hw = p.heldWidth + 0.4 * m_unit, hh = m_small.lineSpacing();
            it.heldLabel = p.held;
            it.heldRect = QRectF(dir > 0 ? gx + 0.35 * m_unit : gx - 0.35 * m_unit - hw, y1 - hh / 2, hw, hh);
        }
        QRectF lineBox = QRectF(it.line.p1(), it.line.p2()).normalized();
        if (self)
            lineBox = QRectF(tail, y0, 2.5 * m_unit, drop);
        const double pad = 0.4 * m_unit;
        it.rect = lineBox.adjusted(-pad, -pad - (half ? 0.4 * m_unit : 0), pad, pad + (half ? 0.4 * m_unit : 0))
                      .united(it.labelRect);
        if (!it.detailRect.isNull())
            it.rect = it.rect.united(it.detailRect);
        if (!it.noteRect.isNull())
            it.rect = it.rect.united(it.noteRect);
        if (!it.heldRect.isNull())
            it.rect = it.rect.united(it.heldRect);
        if (!it.fromGate)
            start(p.column, y0);
        if (!toGate)
            start(p.toColumn, y1);
        m_rowTop = m_y;
        m_y = below + 0.55 * m_unit;
        m_rowBottom = m_y;
        push(it);
    }

    /// A held segment thrown away at the gate: a cross where it waited, its flags over it and
    /// who dropped it under it.
    void dropped(int index, const LadderEvent& p)
    {
        m_lastWasState = false;
        const QFontMetricsF bold(m_fonts.bold);
        const double gx = gateX();
        const double fw = p.labelWidth + 0.4 * m_unit, fh = bold.lineSpacing();
        const double y = m_y + 0.35 * m_unit + fh + 0.45 * m_unit;
        Item it;
        it.kind = Item::Segment;
        it.eventIndex = index;
        it.line = QLineF(gx, y, gx, y);
        it.warning = p.warning;
        it.label = p.label;
        it.endpoint = track(p.column).name;
        it.end = Item::Crossed;
        it.frame = p.frame;
        it.note = p.note;
        it.labelRect = QRectF(gx - fw / 2, m_y + 0.35 * m_unit, fw, fh);
        const double nw = p.noteWidth + 0.4 * m_unit, nh = m_small.lineSpacing() * (1 + p.note.count(u'\n'));
        it.noteRect = QRectF(gx - nw / 2, y + 0.5 * m_unit, nw, nh);
        it.rect = it.labelRect.united(it.noteRect).united(QRectF(gx - 0.5 * m_unit, y - 0.5 * m_unit, m_unit, m_unit));
        row(it.noteRect.bottom() + 0.45 * m_unit - m_y);
        push(it);
    }

    /// hold, pass, cut, mend, lose, duplicate: a pill across the middle of the wire. A cut wire
    /// is a dashed band down the middle until it is mended.
    void gateMark(int index, const LadderEvent& p)
    {
        m_lastWasState = false;
        const double h = m_pillH + 0.5 * m_unit;
        const double mid = m_y + h / 2;
        Item it;
        it.kind = Item::GateMark;
        it.eventIndex = index;
        it.label = p.label;
        it.state = p.gateAction;
        it.frame = p.frame;
        const double w = p.labelWidth + 1.8 * m_unit;
        it.rect = QRectF(gateX() - w / 2, mid - m_pillH / 2, w, m_pillH);
        push(it);
        if (p.gateAction == QLatin1String("cut") && m_cutTop < 0) {
            m_cutTop = mid;
            m_cutEvent = index;
        } else if (p.gateAction == QLatin1String("mend") && m_cutTop >= 0) {
            cutBand(mid);
            m_cutTop = -1;
        }
        row(h);
    }

    void cutBand(double bottom)
    {
        Item band;
        band.kind = Item::GateBand;
        band.eventIndex = m_cutEvent;
        band.dashed = true;
        band.rect = QRectF(gateX() - 0.45 * m_unit, m_cutTop, 0.9 * m_unit, std::max(0.0, bottom - m_cutTop));
        band.label = LadderView::tr("wire cut");
        band.toolTip = LadderView::tr("The wire is cut here: every segment sent meanwhile is lost.");
        push(band);
    }

    double gateX() const { return (m_lanes.wireLeft + m_lanes.wireRight) / 2; }

    void timer(int index, const LadderEvent& p)
    {
        m_lastWasState = false;
        const double h = 1.4 * m_unit;
        Item it;
        it.kind = Item::Timer;
        it.eventIndex = index;
        it.label = p.label;
        it.endpoint = track(p.column).name;
        // Wide enough for the countdown ("time-wait 59.9 s left"), centred on the line; in a
        // column narrowed to its pane, the short form ("59.9 s left", beside the state's pill).
        double w = m_small.horizontalAdvance(LadderView::tr("time-wait %1 s left").arg(59.9)) + 2.0 * m_unit;
        if (!m_lanes.cap.empty() && w > m_lanes.columns[static_cast<std::size_t>(p.column)].width - 0.2 * m_unit) {
            it.compact = true;
            w = m_small.horizontalAdvance(countdownShort(59.9)) + 2.0 * m_unit;
            if (const auto* tm = m_trace.events[static_cast<std::size_t>(index)].as<TimerEvent>())
                it.label = countdownShort(static_cast<double>(tm->remainingMs) / 1000.0);
        }
        it.rect = QRectF(colX(p.column) - w / 2, m_y + 0.2 * m_unit, w, h - 0.4 * m_unit);
        start(p.column, it.rect.top());
        push(it);
        row(h);
    }

    /// Whatever is still open runs to the bottom: state bands and blocked calls.
    void toTheBottom(double bottom)
    {
        if (m_cutTop >= 0)
            cutBand(bottom);
        for (std::size_t c = 0; c < m_tracks.size(); ++c)
            if (m_tracks[c].bandEvent >= 0)
                band(static_cast<int>(c), m_tracks[c].bandTop, bottom);
        for (const OpenBar& o : m_open) {
            Item bar;
            bar.kind = Item::Blocked;
            bar.eventIndex = o.event;
            bar.rect = QRectF(colX(o.column) - 0.55 * m_unit, o.top, 1.1 * m_unit, bottom - o.top);
            bar.dashed = true;
            bar.label = LadderView::tr("blocked");
            bar.endpoint = track(o.column).name;
            bar.toolTip = LadderView::tr("%1 is still waiting in %2.")
                              .arg(bar.endpoint, m_prepared.events[static_cast<std::size_t>(o.event)].label);
            push(bar);
        }
    }

    void lanes()
    {
        const QFontMetricsF lane(m_fonts.lane);
        auto laneItem = [&](double l, double r, const QString& name, const QString& tip, const QString& detail) {
            Item it;
            it.kind = Item::Lane;
            it.rect = QRectF(l, 0, r - l, m_out.height);
            it.label = name;
            it.detail = detail;
            it.toolTip = tip;
            it.labelRect = QRectF(l, laneTitleY(), r - l, lane.lineSpacing());
            push(it);
        };
        laneItem(0, m_lanes.wireLeft, LadderView::tr("Client"), LadderView::tr("The side that connects."), QString());
        if (m_trace.tier == Tier::Gated)
            laneItem(m_lanes.wireLeft, m_lanes.wireRight, LadderView::tr("Wire"),
                LadderView::tr("The gated lab's wire: every segment crosses SynAck's gate in the middle, which can "
                               "hold it, deliver it, drop it, copy it or cut the wire."),
                LadderView::tr("through the gate"));
        else
            laneItem(m_lanes.wireLeft, m_lanes.wireRight, LadderView::tr("Wire"),
                LadderView::tr("Loopback: segments cross here. Dashed arrows were inferred, not captured."),
                LadderView::tr("loopback"));
        laneItem(m_lanes.wireRight, m_lanes.width, LadderView::tr("Server"),
            LadderView::tr("The side that listens and accepts."), QString());
    }

    double laneTitleY() const { return 0.5 * m_unit; }

    /// Every revealed endpoint's line, and its name and address at the top.
    void lifelines(double bottom)
    {
        const QFontMetricsF title(m_fonts.title), lane(m_fonts.lane);
        for (std::size_t c = 0; c < m_tracks.size(); ++c) {
            const Track& tr = m_tracks[c];
            if (tr.top < 0)
                continue;
            const LadderColumn& col = m_lanes.columns[c];
            const double end = tr.end >= 0 ? tr.end : bottom;
            Item line;
            line.kind = Item::Lifeline;
            line.line = QLineF(col.x, tr.top, col.x, end);
            line.rect = QRectF(col.x - 0.3 * m_unit, tr.top, 0.6 * m_unit, end - tr.top);
            line.endpoint = tr.name;
            line.dashed = tr.end >= 0; // ends with a cross: the kernel dropped it
            line.label = tr.name == col.names.front() ? QString() : col.names.front();
            if (!line.label.isEmpty())
                line.labelRect = QRectF(col.x + 0.5 * m_unit, tr.top - 0.5 * m_small.lineSpacing() - 0.1 * m_unit,
                    m_small.horizontalAdvance(line.label) + 0.5 * m_unit, m_small.lineSpacing());
            push(line); // its tooltip is made when asked for (LadderView), as are the header's

            Item head;
            head.kind = Item::Header;
            head.endpoint = tr.name;
            head.label = tr.name;
            head.detail = col.address;
            // A column narrowed to its pane (LadderPrepared::fit) elides its name and address;
            // the header's tooltip has them whole.
            const double room = col.width - m_unit;
            if (m_titleWidths(head.label) > room)
                head.label = title.elidedText(head.label, Qt::ElideRight, room);
            if (m_smallWidths(head.detail) > room)
                head.detail = m_small.elidedText(head.detail, Qt::ElideRight, room);
            const double hw = std::max(m_titleWidths(head.label), m_smallWidths(head.detail)) + m_unit;
            head.rect = QRectF(col.x - hw / 2, laneTitleY() + lane.lineSpacing() + 0.45 * m_unit, hw,
                title.lineSpacing() + m_small.lineSpacing());
            push(head);
        }
    }

    /// What to keep in view: the newest drawn event (its items just made, and its step's header).
    void findNewest(std::size_t i, const std::array<std::size_t, LadderLayout::kKinds>& before)
    {
        QRectF& newest = m_out.newest;
        const int index = static_cast<int>(i);
        for (Item::Kind kind :
            { Item::Call, Item::Segment, Item::GateMark, Item::StateLabel, Item::Timer, Item::StepHeader }) {
            const auto& items = m_out.kinds[static_cast<std::size_t>(kind)];
            for (std::size_t k = before[static_cast<std::size_t>(kind)]; k < items.size(); ++k)
                if (items[k].eventIndex == index)
                    newest = newest.isNull() ? items[k].rect : newest.united(items[k].rect);
        }
        // A step's header points at the step's call, which may come after the event that began it.
        const auto& headers = m_out.kinds[Item::StepHeader];
        if (!headers.empty() && headers.back().eventIndex == index && before[Item::StepHeader] == headers.size())
            newest = newest.isNull() ? headers.back().rect : newest.united(headers.back().rect);
    }

    const Trace& m_trace;
    const LadderPrepared& m_prepared;
    const LadderColumns& m_lanes;
    const LadderFonts& m_fonts;
    LadderLayout& m_out;
    const QFontMetricsF m_small, m_smallBold;
    /// Every revealed endpoint's header is measured whenever the layout grows: 20,000 of them.
    TextWidths m_titleWidths, m_smallWidths;
    const double m_unit, m_bandHalf, m_pillH;

    std::vector<Track> m_tracks; ///< per column
    std::vector<OpenBar> m_open;
    double m_y = 0;
    int m_step = std::numeric_limits<int>::min();
    bool m_lastWasState = false;
    double m_stateRowTop = 0;
    std::vector<int> m_stateRowColumns;
    double m_rowTop = 0, m_rowBottom = 0;
    double m_cutTop = -1; ///< where the wire was cut (-1: it is whole)
    int m_cutEvent = -1;
    std::size_t m_done = 0; ///< events laid out
    std::array<std::size_t, LadderLayout::kKinds> m_rowItems {}; ///< items of the rows, per kind
    std::map<QString, std::size_t> m_lastTimer; ///< endpoint -> its last timer (in kinds[Timer])
};

std::size_t LadderLayout::size() const
{
    std::size_t n = 0;
    for (const auto& kind : kinds)
        n += kind.size();
    return n;
}

LadderLayouter::LadderLayouter(const Trace& t, const LadderPrepared& prepared, const LadderFonts& fonts)
    : m_trace(t)
    , m_prepared(prepared)
    , m_fonts(fonts)
{
}

LadderLayouter::~LadderLayouter() = default;

void LadderLayouter::layOut(std::size_t visible)
{
    visible = std::min(visible, m_trace.events.size());
    if (m_rows && visible == m_rows->done())
        return;
    if (!m_rows || visible < m_rows->done()) {
        m_layout = LadderLayout {};
        m_rows = std::make_unique<Rows>(m_trace, m_prepared, m_fonts, m_layout);
        ++m_restarts;
    }
    m_rows->run(visible);
}

} // namespace synack
