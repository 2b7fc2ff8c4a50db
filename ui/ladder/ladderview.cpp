// SPDX-License-Identifier: GPL-3.0-or-later
#include "ladder/ladderview.h"

#include "common/geometry.h"
#include "common/text.h"
#include "ladder/ladderevents.h"
#include "ladder/ladderlayout.h"
#include "ladder/ladderpainter.h"
#include "ladder/ladderstyle.h"

#include <QAction>
#include <QFontMetricsF>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <utility>

namespace synack {

struct LadderView::Data {
    // What the cache was built from.
    const Trace* trace = nullptr; ///< the last frame's (the Player owns it); null before any
    std::uint64_t revision = 0;
    std::size_t eventsSize = 0;
    std::size_t visible = 0;
    double progress = 1.0;
    /// Endpoint -> (timer kind, ms left) of a countdown timer (time-wait, fin-wait2) at paint time,
    /// from the frame's picture (changes every tick).
    std::map<QString, std::pair<TimerKind, std::int64_t>> countdownLeftMs;

    LadderFonts fonts;
    bool absoluteSeq = false; ///< seq/ack as sent, not counted from each side's ISN
    std::set<std::size_t> expanded; ///< groups of repeated segments drawn one arrow each (LadderPrepared::Group)
    QAction* absoluteSeqAction = nullptr;
    LadderPrepared prepared; ///< per trace
    /// Per trace: lays out the revealed events, going on from the last frame's as more are revealed.
    std::unique_ptr<LadderLayouter> layouter;
    LadderLayout empty; ///< before any trace
    std::size_t layouts = 0; ///< how many times the layout changed
    std::size_t restarts = 0; ///< layouts started from the top by layouters no longer alive

    double u() const { return fonts.u; }
    const LadderColumns& lanes() const { return prepared.lanes; }
    const LadderLayout& layout() const { return layouter ? layouter->layout() : empty; }
    /// Starts the layout of the trace again (a new trace, new fonts) and lays out `count` events.
    void dropLayouter()
    {
        restarts += layouter ? layouter->restarts() : 0;
        layouter.reset();
    }
    void layOutAnew(std::size_t count)
    {
        dropLayouter();
        layouter = trace ? std::make_unique<LadderLayouter>(*trace, prepared, fonts) : nullptr;
        if (layouter)
            layouter->layOut(count);
        ++layouts;
    }
    /// The tooltip of an item: its own, or its event's, made now.
    QString toolTipOf(const Item& it) const
    {
        if (it.kind == Item::Lifeline || it.kind == Item::Header) {
            const int c = lanes().indexOf(it.endpoint.toStdString());
            if (c < 0)
                return it.toolTip;
            const LadderColumn& col = lanes().columns[static_cast<std::size_t>(c)];
            QStringList tip;
            tip << it.endpoint;
            if (it.endpoint != col.names.front())
                tip << LadderView::tr("shown as %1 until accept()").arg(col.names.front());
            if (!col.address.isEmpty())
                tip << LadderView::tr("local %1").arg(col.address);
            return tip.join(QLatin1Char('\n'));
        }
        if (!it.toolTip.isEmpty() || it.eventIndex < 0 || !trace)
            return it.toolTip;
        switch (it.kind) {
        case Item::Call:
        case Item::StateBand:
        case Item::StateLabel:
        case Item::Wait:
        case Item::Segment:
        case Item::GateMark:
        case Item::Timer: {
            const QString tip = prepared.toolTip(*trace, static_cast<std::size_t>(it.eventIndex));
            // Texts elided to fit the pane (LadderPrepared::fitted()) come first, whole.
            const auto index = static_cast<std::size_t>(it.eventIndex);
            if (index >= prepared.events.size())
                return tip;
            const LadderEvent& p = prepared.events[index];
            QStringList whole;
            for (const auto& [shown, full] :
                { std::pair(it.label, p.label), std::pair(it.detail, p.detail), std::pair(it.note, p.note) })
                if (shown != full && !full.isEmpty() && !tip.contains(full))
                    whole << full;
            return whole.isEmpty() ? tip : whole.join(QLatin1Char('\n')) + QLatin1Char('\n') + tip;
        }
        default:
            return it.toolTip;
        }
    }
    /// An item as drawn now: the newest segment cut to `progress`, a countdown re-read.
    Item current(const Item& it) const;
    void paint(QPainter& p, const LadderStyle& s, const QRectF& clip) const;
    /// The pinned names at the top, of the columns between `left` and `right` (content x).
    void paintHeaderOnly(QPainter& p, const LadderStyle& s, double left, double right) const;
};

LadderView::Item LadderView::Data::current(const Item& it) const
{
    if (it.kind == Item::Segment && visible > 0 && it.eventIndex == static_cast<int>(visible) - 1 && progress < 1.0) {
        Item a = it;
        a.line.setP2(it.line.p1() + (it.line.p2() - it.line.p1()) * progress);
        return a;
    }
    if (it.kind == Item::Timer) {
        const auto& timers = layout().kinds[Item::Timer];
        for (const auto& [idx, name] : layout().liveTimers) {
            if (idx >= timers.size() || &timers[idx] != &it)
                continue;
            if (auto left = countdownLeftMs.find(name); left != countdownLeftMs.end()) {
                Item a = it;
                const double seconds = static_cast<double>(left->second.second) / 1000.0;
                a.label = it.compact ? countdownShort(seconds) : countdownText(left->second.first, seconds, true);
                return a;
            }
        }
    }
    return it;
}

void LadderView::Data::paint(QPainter& p, const LadderStyle& s, const QRectF& clip) const
{
    p.setRenderHint(QPainter::Antialiasing, true);
    p.setRenderHint(QPainter::TextAntialiasing, true);
    LadderPainter painter(p, s, fonts);
    const int newestIndex = visible > 0 ? static_cast<int>(visible) - 1 : -1;
    layout().forEach([&](const Item& it) {
        if (!clip.isNull() && !it.rect.intersects(clip) && it.kind != Item::Lifeline)
            return;
        if (it.kind == Item::Lifeline && !clip.isNull() && !it.rect.adjusted(-1, 0, 1, 0).intersects(clip))
            return;
        p.save();
        if (it.eventIndex == newestIndex && it.kind != Item::Segment && it.kind != Item::StepHeader
            && it.kind != Item::Blocked)
            p.setOpacity(0.25 + 0.75 * progress); // the newest call or state fades in
        else if (it.eventIndex == newestIndex && it.kind == Item::Segment)
            p.setOpacity(0.5 + 0.5 * progress);
        painter.paint(current(it));
        p.restore();
    });
}

void LadderView::Data::paintHeaderOnly(QPainter& p, const LadderStyle& s, double left, double right) const
{
    // The names stay at the top while the ladder scrolls under them.
    const double width = lanes().width, headerHeight = lanes().headerHeight;
    p.setRenderHint(QPainter::Antialiasing, true);
    p.fillRect(QRectF(0, 0, width, headerHeight), s.bg);
    LadderPainter painter(p, s, fonts);
    for (const Item& it : layout().kinds[Item::Lane]) {
        p.save();
        p.setClipRect(QRectF(0, 0, width, headerHeight));
        painter.paint(it);
        p.restore();
    }
    for (const Item& it : layout().kinds[Item::Header])
        if (it.rect.right() >= left && it.rect.left() <= right) // of 20,000 names, the few in view
            painter.paint(it);
    QColor shadow = s.text;
    shadow.setAlphaF(0.18f);
    p.setPen(QPen(shadow, 1));
    p.drawLine(QPointF(0, headerHeight - 0.5), QPointF(width, headerHeight - 0.5));
}

// ---- the widget ----

LadderView::LadderView(QWidget* parent)
    : QAbstractScrollArea(parent)
    , d(std::make_unique<Data>())
{
    setFrameShape(QFrame::NoFrame);
    // The vertical scroll bar's room is kept, so that a ladder growing past the pane's height
    // does not change the width it was fitted to.
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    viewport()->setMouseTracking(true);
    viewport()->setAutoFillBackground(false);
    setAttribute(Qt::WA_OpaquePaintEvent);
    d->fonts = LadderFonts::make(font(), logicalDpiY(), false);
    d->prepared.lanes.headerHeight = 4.4 * d->u();
    d->prepared.lanes.width = 40 * d->u();
    d->empty.height = 20 * d->u();
    d->absoluteSeqAction = new QAction(tr("Absolute Sequence Numbers"), this);
    d->absoluteSeqAction->setCheckable(true);
    d->absoluteSeqAction->setToolTip(
        tr("Show seq and ack as sent, not counted from each side's initial sequence number"));
    connect(d->absoluteSeqAction, &QAction::toggled, this, &LadderView::setAbsoluteSequence);
}

LadderView::~LadderView() = default;

void LadderView::setFrame(const Frame& frame)
{
    if (!frame.trace) {
        d->trace = nullptr;
        d->dropLayouter();
        d->prepared.lanes.columns.clear();
        d->visible = 0;
        updateScrollBars();
        viewport()->update();
        return;
    }
    const Trace& t = *frame.trace;
    const bool traceChanged = !d->trace || d->revision != frame.revision || d->eventsSize != t.events.size();
    const std::size_t visible = std::min(frame.visible, t.events.size());
    d->progress = std::clamp(frame.progress, 0.0, 1.0);
    d->countdownLeftMs.clear();
    for (const EndpointView& v : frame.picture.endpoints)
        if (isCountdown(v.timer.kind) && !v.gone)
            d->countdownLeftMs[qs(v.name)] = { v.timer.kind, v.timerLeftMs(frame.nowNs) };
    if (traceChanged) {
        if (d->revision != frame.revision) // another trace, not this one grown: its groups start folded
            d->expanded.clear();
        d->trace = &t;
        d->revision = frame.revision;
        d->eventsSize = t.events.size();
        d->dropLayouter(); // it refers to the prepared texts replaced here
        prepareForWidth();
    }
    if (traceChanged || visible != d->visible || !d->layouter) {
        d->visible = visible;
        if (!d->layouter)
            d->layOutAnew(visible);
        else {
            d->layouter->layOut(visible);
            ++d->layouts;
        }
        updateScrollBars();
        showCurrentStep();
    }
    viewport()->update();
}

void LadderView::setAbsoluteSequence(bool on)
{
    if (d->absoluteSeq == on)
        return;
    d->absoluteSeq = on;
    d->absoluteSeqAction->setChecked(on);
    relayout(false);
}

bool LadderView::absoluteSequence() const
{
    return d->absoluteSeq;
}

QAction* LadderView::absoluteSequenceAction() const
{
    return d->absoluteSeqAction;
}

void LadderView::setPresentation(bool on)
{
    if (m_presentation == on)
        return;
    m_presentation = on;
    relayout(true);
}

void LadderView::setFitToWidth(bool on)
{
    if (m_fit == on)
        return;
    m_fit = on;
    relayout(true);
}

void LadderView::setZoom(double zoom)
{
    zoom = std::isfinite(zoom) ? std::clamp(zoom, 0.5, 3.0) : 1.0; // a saved setting may be anything
    if (std::abs(zoom - m_zoom) < 1e-6)
        return;
    m_zoom = zoom;
    relayout(true);
    Q_EMIT zoomChanged(m_zoom);
}

void LadderView::zoomIn()
{
    setZoom(m_zoom * 1.25);
}

void LadderView::zoomOut()
{
    setZoom(m_zoom / 1.25);
}

void LadderView::resetZoom()
{
    setZoom(1.0);
}

double LadderView::textScale() const
{
    return d->fonts.scale;
}

int LadderView::smallestTextPixels() const
{
    const LadderFonts& f = d->fonts;
    int px = f.body.pixelSize();
    for (const QFont* font : { &f.bold, &f.small, &f.smallBold, &f.title, &f.mono, &f.lane })
        px = std::min(px, font->pixelSize());
    return px;
}

int LadderView::paneWidth() const
{
    if (isVisible())
        return viewport()->width();
    // Not shown yet: the viewport is sized when it is (the scroll bar's room, always kept, is
    // already taken off).
    return maximumViewportSize().width();
}

void LadderView::prepareForWidth()
{
    const double dpi = logicalDpiY();
    m_preparedForWidth = paneWidth();
    const double width = m_preparedForWidth - 1.0; // contentSize() rounds up

    auto makeAt = [&](double scale, int floor) {
        d->fonts = LadderFonts::make(font(), dpi, m_presentation, scale, floor);
        if (d->trace)
            d->prepared = LadderPrepared::make(*d->trace, d->fonts, d->absoluteSeq, d->expanded);
    };
    makeAt(m_zoom, 0);
    m_narrowed = false;
    if (!m_fit || !d->trace || d->prepared.lanes.width <= width || !d->prepared.fittable())
        return;
    m_narrowed = true;
    // Text widths grow with the font: the scale at which the natural ladder is as wide as the
    // pane, times the user's zoom. Fonts stop at their minimum, and whole pixels round; what is
    // then still too wide is shared out and elided.
    const double natural = d->prepared.lanes.width / m_zoom;
    const double fitted = std::min(1.0, width / natural) * m_zoom;
    makeAt(fitted, 0);
    if (m_zoom > 1.0)
        return;
    d->prepared.fit(*d->trace, d->fonts, width);
    if (d->prepared.lanes.width <= width)
        return;
    // Not even the elided ladder fits (names and states stay whole): smaller text, to the least.
    const int least = LadderFonts::leastPixels(m_presentation);
    const int floor = std::max(least,
        static_cast<int>(std::floor(LadderFonts::minimumPixels(m_presentation) * width / d->prepared.lanes.width)));
    makeAt(fitted * width / d->prepared.lanes.width, floor);
    d->prepared.fit(*d->trace, d->fonts, width, floor == least);
}

void LadderView::relayout(bool fontsChanged)
{
    if (fontsChanged || d->trace)
        prepareForWidth();
    if (d->trace) {
        d->eventsSize = d->trace->events.size();
        d->dropLayouter();
        d->visible = std::min(d->visible, d->trace->events.size());
        d->layOutAnew(d->visible);
    } else {
        d->prepared.lanes.headerHeight = 4.4 * d->u();
    }
    updateGeometry();
    updateScrollBars();
    viewport()->update();
}

void LadderView::paintTo(QPainter& p, const QRectF& target) const
{
    const QSizeF content(d->lanes().width, d->layout().height);
    const double scale = std::min(target.width() / content.width(), target.height() / content.height());
    p.save();
    const LadderStyle s = LadderStyle::make(palette(), m_presentation);
    p.fillRect(target, s.bg);
    p.translate(target.left() + (target.width() - content.width() * scale) / 2,
        target.top() + (target.height() - content.height() * scale) / 2);
    p.scale(scale, scale);
    d->paint(p, s, QRectF());
    p.restore();
}

QSize LadderView::contentSize() const
{
    return QSize(static_cast<int>(std::ceil(d->lanes().width)), static_cast<int>(std::ceil(d->layout().height)));
}

std::vector<LadderView::Item> LadderView::items() const
{
    std::vector<Item> out;
    out.reserve(d->layout().size());
    d->layout().forEach([&](const Item& it) {
        Item shown = d->current(it);
        shown.toolTip = d->toolTipOf(it);
        out.push_back(std::move(shown));
    });
    return out;
}

double LadderView::pinnedHeaderHeight() const
{
    return d->lanes().headerHeight;
}

QRectF LadderView::wireRect() const
{
    return QRectF(d->lanes().wireLeft, 0, d->lanes().wireRight - d->lanes().wireLeft, d->layout().height);
}

std::size_t LadderView::layoutCount() const
{
    return d->layouts;
}

std::size_t LadderView::layoutRestarts() const
{
    return d->restarts + (d->layouter ? d->layouter->restarts() : 0);
}

QFont LadderView::diagramFont() const
{
    return d->fonts.body;
}

QColor LadderView::stateColor(const QString& state)
{
    return ladderStateColor(state);
}

const LadderView::Item* LadderView::itemAt(const QPointF& pos) const
{
    const double unit = d->u();
    const auto& kinds = d->layout().kinds;
    for (auto kind = kinds.rbegin(); kind != kinds.rend(); ++kind)
        for (auto it = kind->rbegin(); it != kind->rend(); ++it) {
            const Item& item = *it;
            switch (item.kind) {
            case Item::Lane:
                break;
            case Item::StepHeader:
                if (item.labelRect.contains(pos))
                    return &item;
                break;
            case Item::Segment: {
                if (item.labelRect.contains(pos) || item.detailRect.contains(pos) || item.noteRect.contains(pos)
                    || item.heldRect.contains(pos))
                    return &item;
                // Hit the whole arrow, also the part still to fly.
                const QLineF l = item.line;
                const QPointF v = l.p2() - l.p1();
                const double len2 = QPointF::dotProduct(v, v);
                const double t = len2 > 0 ? clamp01(QPointF::dotProduct(pos - l.p1(), v) / len2) : 0;
                const QPointF nearest = l.p1() + v * t;
                if (QLineF(nearest, pos).length() <= 0.45 * unit)
                    return &item;
                break;
            }
            case Item::Lifeline:
                if (std::abs(pos.x() - item.line.x1()) <= 0.3 * unit && pos.y() >= item.line.y1()
                    && pos.y() <= item.line.y2())
                    return &item;
                break;
            default:
                if (item.rect.contains(pos))
                    return &item;
                break;
            }
        }
    return nullptr;
}

int LadderView::eventAt(const QPointF& contentPos) const
{
    const Item* item = itemAt(contentPos);
    // Clicking a lifeline or header says nothing about one event.
    return item && item->kind != Item::Lifeline && item->kind != Item::Header ? item->eventIndex : -1;
}

QPointF LadderView::toContent(const QPointF& viewportPos) const
{
    return viewportPos + QPointF(horizontalScrollBar()->value(), verticalScrollBar()->value());
}

QSize LadderView::sizeHint() const
{
    const QSize c = contentSize();
    return QSize(std::min(c.width(), 1100) + 2 * frameWidth(), std::min(c.height(), 700) + 2 * frameWidth());
}

QSize LadderView::minimumSizeHint() const
{
    // At the natural size: a zoomed or fitted ladder must not hold the window open.
    const double u = QFontMetricsF(font()).lineSpacing() * (m_presentation ? 1.6 : 1.0);
    return QSize(static_cast<int>(20 * u), static_cast<int>(10 * u));
}

void LadderView::paintEvent(QPaintEvent* event)
{
    QPainter p(viewport());
    const LadderStyle s = LadderStyle::make(palette(), m_presentation);
    p.fillRect(event->rect(), s.bg);
    const QPointF offset(horizontalScrollBar()->value(), verticalScrollBar()->value());
    p.translate(-offset);
    d->paint(p, s, QRectF(event->rect()).translated(offset));
    if (offset.y() > 0) {
        p.resetTransform();
        p.translate(-offset.x(), 0);
        d->paintHeaderOnly(p, s, offset.x() + event->rect().left(), offset.x() + event->rect().right());
    }
}

void LadderView::resizeEvent(QResizeEvent* event)
{
    QAbstractScrollArea::resizeEvent(event);
    // Fitted again only where the width matters: the ladder was narrowed, or no longer fits.
    const int width = paneWidth();
    if (m_fit && d->trace && width != m_preparedForWidth && d->prepared.fittable()
        && (m_narrowed || contentSize().width() > width)) {
        relayout(false);
        showCurrentStep();
        return;
    }
    updateScrollBars();
    showCurrentStep();
}

void LadderView::wheelEvent(QWheelEvent* event)
{
    if (event->modifiers() & Qt::ControlModifier) {
        const int dy = event->angleDelta().y();
        if (dy > 0)
            zoomIn();
        else if (dy < 0)
            zoomOut();
        event->accept();
        return;
    }
    QAbstractScrollArea::wheelEvent(event);
}

void LadderView::updateScrollBars()
{
    const QSize vp = viewport()->size();
    const QSize c = contentSize();
    const int step = static_cast<int>(2 * d->u());
    horizontalScrollBar()->setRange(0, std::max(0, c.width() - vp.width()));
    horizontalScrollBar()->setPageStep(vp.width());
    horizontalScrollBar()->setSingleStep(step);
    verticalScrollBar()->setRange(0, std::max(0, c.height() - vp.height()));
    verticalScrollBar()->setPageStep(vp.height());
    verticalScrollBar()->setSingleStep(step);
}

void LadderView::showCurrentStep()
{
    if (d->layout().newest.isNull())
        return;
    const QSize vp = viewport()->size();
    QRectF r = d->layout().newest;
    double pad = 1.5 * d->u();
    bool anchorTop = false; ///< when `r` fills the view: its top (the step's calls) or its bottom (the newest)
    const double headerHeight = d->lanes().headerHeight;
    // The step being shown: its statement, its call boxes and its newest event, when they fit
    // together; a step taller than the view is followed down while it is revealed, and once all
    // of it is, its call boxes (what was called and what it returned) are what stays in view.
    if (const auto& steps = d->layout().kinds[Item::StepHeader]; !steps.empty() && d->trace && d->visible > 0) {
        const auto& events = d->trace->events;
        const int step = events[d->visible - 1].step;
        QRectF calls, last;
        const auto& boxes = d->layout().kinds[Item::Call];
        for (auto it = boxes.rbegin(); it != boxes.rend(); ++it) {
            if (it->eventIndex < 0 || events[static_cast<std::size_t>(it->eventIndex)].step != step)
                break;
            if (last.isNull())
                last = it->rect;
            calls = calls.isNull() ? it->rect : calls.united(it->rect);
        }
        const double room = vp.height() - headerHeight;
        const QRectF whole = r.united(steps.back().rect).united(calls.isNull() ? r : calls);
        const bool stepWhole = d->visible >= events.size() || events[d->visible].step != step;
        if (whole.height() <= room)
            r = whole;
        else if (stepWhole && !calls.isNull()) {
            anchorTop = true;
            const QRectF withHeader = calls.united(steps.back().rect);
            // Calls further apart than the view is tall: the latest, with what led to it above.
            r = withHeader.height() <= room ? withHeader : calls.height() <= room ? calls : last;
        }
    }
    // Air above and below it, as much as the view has to spare.
    pad = std::clamp((vp.height() - headerHeight - r.height()) / 2, 0.0, pad);
    QScrollBar* v = verticalScrollBar();
    const double top = v->value() + headerHeight, bottom = v->value() + vp.height();
    if (r.height() + 2 * pad >= vp.height() - headerHeight - 1) {
        // As tall as the view: one edge, chosen, so that asking again changes nothing.
        v->setValue(static_cast<int>(
            anchorTop ? std::floor(r.top() - pad - headerHeight) : std::ceil(r.bottom() + pad - vp.height())));
    } else if (r.bottom() + pad > bottom + 1) {
        v->setValue(static_cast<int>(std::ceil(r.bottom() + pad - vp.height())));
    } else if (r.top() - pad < top - 1) {
        v->setValue(static_cast<int>(std::floor(r.top() - pad - headerHeight)));
    }
    // Sideways only when the ladder is wider than its pane (zoomed in, or too many sockets to
    // fit): a fitted ladder has nowhere to move.
    QScrollBar* h = horizontalScrollBar();
    if (h->maximum() > 0 && r.width() + 2 * pad <= vp.width()) {
        if (r.right() + pad > h->value() + vp.width())
            h->setValue(static_cast<int>(std::ceil(r.right() + pad - vp.width())));
        else if (r.left() - pad < h->value())
            h->setValue(static_cast<int>(std::floor(r.left() - pad)));
    }
}

void LadderView::scrollContentsBy(int, int)
{
    viewport()->update(); // the pinned header is redrawn, so no pixel scrolling
}

void LadderView::mousePressEvent(QMouseEvent* event)
{
    m_pressedEvent = event->button() == Qt::LeftButton ? eventAt(toContent(event->position())) : -1;
    if (m_pressedEvent >= 0)
        event->accept();
    else
        QAbstractScrollArea::mousePressEvent(event);
}

void LadderView::mouseReleaseEvent(QMouseEvent* event)
{
    const int pressed = std::exchange(m_pressedEvent, -1);
    if (event->button() == Qt::LeftButton && pressed >= 0 && eventAt(toContent(event->position())) == pressed) {
        event->accept();
        // A group of repeated segments opens (or folds) where it was clicked.
        if (const auto g = d->prepared.groups.find(static_cast<std::size_t>(pressed)); g != d->prepared.groups.end()) {
            if (!d->expanded.erase(g->first))
                d->expanded.insert(g->first);
            relayout(false);
        }
        Q_EMIT eventClicked(pressed);
        return;
    }
    QAbstractScrollArea::mouseReleaseEvent(event);
}

void LadderView::mouseMoveEvent(QMouseEvent* event)
{
    const bool clickable = eventAt(toContent(event->position())) >= 0;
    if (clickable)
        viewport()->setCursor(Qt::PointingHandCursor);
    else
        viewport()->unsetCursor();
    QAbstractScrollArea::mouseMoveEvent(event);
}

bool LadderView::viewportEvent(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        QPointF pos = toContent(help->pos());
        if (verticalScrollBar()->value() > 0 && help->pos().y() < d->lanes().headerHeight)
            pos.setY(help->pos().y()); // the pinned header
        const Item* item = itemAt(pos);
        const QString tip = item ? d->toolTipOf(*item) : QString();
        if (!tip.isEmpty())
            QToolTip::showText(help->globalPos(), plainToolTip(tip), viewport());
        else
            QToolTip::hideText();
        return true;
    }
    return QAbstractScrollArea::viewportEvent(event);
}

void LadderView::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::FontChange)
        relayout(true);
    else if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange)
        viewport()->update();
    QAbstractScrollArea::changeEvent(event);
}

} // namespace synack
