// SPDX-License-Identifier: GPL-3.0-or-later
#include "diagram/statediagramview.h"

#include "common/text.h"
#include "diagram/diagramfigure.h"
#include "diagram/diagrampainter.h"
#include "diagram/diagramscene.h"

#include <QEvent>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPathStroker>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>

namespace synack {

struct StateDiagramView::Data {
    DiagramFigure figure;
    DiagramSceneBuilder builder;
    DiagramScene scene;
    /// What the scene was made from: a frame that changes none of these shows the same scene
    /// (the Player also sends frames when only the clock moved).
    std::uint64_t revision = 0;
    std::size_t size = 0, visible = 0;
    double progress = -1;
    bool hasTrace = false;
};

StateDiagramView::StateDiagramView(QWidget* parent)
    : QWidget(parent)
    , d(std::make_unique<Data>())
{
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    rebuildFigure();
}

StateDiagramView::~StateDiagramView() = default;

void StateDiagramView::setFrame(const Frame& frame)
{
    const std::size_t size = frame.trace ? frame.trace->events.size() : 0;
    if (d->hasTrace == (frame.trace != nullptr) && d->revision == frame.revision && d->size == size
        && d->visible == frame.visible && d->progress == frame.progress)
        return;
    // The picture is the fold of the visible events: while only the animation moves, it is the
    // one already here (a copy of 20,000 sockets per frame is not free).
    if (m_frame.trace == frame.trace && m_frame.revision == frame.revision && m_frame.visible == frame.visible
        && d->size == size) {
        m_frame.progress = frame.progress;
        m_frame.step = frame.step;
        m_frame.nowNs = frame.nowNs;
    } else {
        m_frame = frame;
    }
    rebuildScene();
    update();
}

void StateDiagramView::setPresentation(bool on)
{
    if (m_presentation == on)
        return;
    m_presentation = on;
    rebuildFigure();
    rebuildScene();
    update();
}

bool StateDiagramView::presentation() const
{
    return m_presentation;
}

void StateDiagramView::rebuildFigure()
{
    d->figure = DiagramFigure::make(font(), m_presentation);
}

void StateDiagramView::rebuildScene()
{
    d->scene = d->builder.build(m_frame, d->figure);
    d->hasTrace = m_frame.trace != nullptr;
    d->revision = m_frame.revision;
    d->size = m_frame.trace ? m_frame.trace->events.size() : 0;
    d->visible = m_frame.visible;
    d->progress = m_frame.progress;
}

void StateDiagramView::setMinimumTextPixels(qreal px)
{
    if (qFuzzyCompare(m_minTextPx + 1, px + 1))
        return;
    m_minTextPx = std::max<qreal>(0, px);
    update();
}

void StateDiagramView::setZoom(qreal zoom)
{
    m_zoom = std::isfinite(zoom) ? std::clamp<qreal>(zoom, 0.5, 3.0) : 1.0; // a saved setting may be anything
    update();
}

void StateDiagramView::wheelEvent(QWheelEvent* event)
{
    if (!(event->modifiers() & Qt::ControlModifier)) {
        QWidget::wheelEvent(event);
        return;
    }
    if (event->angleDelta().y() > 0)
        zoomIn();
    else if (event->angleDelta().y() < 0)
        zoomOut();
    event->accept();
}

void StateDiagramView::setShowWhole(bool on)
{
    m_showWhole = on;
    update();
}

void StateDiagramView::mouseDoubleClickEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton) {
        QWidget::mouseDoubleClickEvent(event);
        return;
    }
    setShowWhole(!m_showWhole);
    event->accept();
}

namespace {
qreal smallestFontPixels(const DiagramFigure& f)
{
    qreal px = 1e9;
    for (const QFont* font : { &f.nodeFont, &f.rfcFont, &f.labelFont, &f.tokenFont, &f.legendFont })
        px = std::min<qreal>(px, font->pixelSize() > 0 ? font->pixelSize() : font->pointSizeF() * 96 / 72);
    return px;
}
}

qreal StateDiagramView::smallestTextPixels() const
{
    return smallestFontPixels(d->figure) * widgetTransform().m11();
}

QRectF StateDiagramView::focusRect() const
{
    const DiagramScene& scene = d->scene;
    QRectF all;
    for (const DiagramScene::Token& t : scene.tokens) {
        if (t.opacity <= 0.01)
            continue;
        const qreal r = d->figure.tokenRadius;
        all |= QRectF(t.pos - QPointF(r, r), QSizeF(2 * r, 2 * r)).united(t.label);
    }
    QRectF move;
    if (scene.current) {
        move = scene.current->path.boundingRect() | scene.current->labelRect;
        if (isDiagramState(scene.current->move.first))
            move |= d->figure.node(scene.current->move.first);
        if (isDiagramState(scene.current->move.second))
            move |= d->figure.node(scene.current->move.second);
    }
    return move.isNull() ? all : move;
}

QTransform StateDiagramView::widgetTransform() const
{
    const QRectF target(rect());
    const qreal w = DiagramFigure::kWidth, h = DiagramFigure::kHeight;
    const qreal fit = std::min(target.width() / w, target.height() / h);
    const qreal needed = m_minTextPx > 0 && !m_showWhole ? m_minTextPx / smallestFontPixels(d->figure) : 0;
    const qreal s = std::max(needed, fit) * m_zoom; // the user's zoom, from there
    if (fit <= 0 || s <= fit)
        return diagramTransform(target);
    // Zoomed in: a window of the canvas, centred on the move being animated (or the tokens, or
    // CLOSED before there are any), kept inside the canvas so no space is wasted off its edges.
    const qreal vw = target.width() / s, vh = target.height() / s;
    QRectF focus = focusRect();
    const QPointF centre = focus.isNull() ? d->figure.node(TcpState::Close).center() : focus.center();
    auto clampTo = [](qreal c, qreal view, qreal total) {
        return view >= total ? total / 2 : std::clamp(c, view / 2, total - view / 2);
    };
    const qreal cx = clampTo(centre.x(), vw, w), cy = clampTo(centre.y(), vh, h);
    QTransform t;
    t.translate(target.center().x() - cx * s, target.center().y() - cy * s);
    t.scale(s, s);
    return t;
}

QRectF StateDiagramView::visibleDiagramRect() const
{
    return widgetTransform().inverted().mapRect(QRectF(rect()))
        & QRectF(0, 0, DiagramFigure::kWidth, DiagramFigure::kHeight);
}

QSize StateDiagramView::contentSize() const
{
    return { static_cast<int>(DiagramFigure::kWidth), static_cast<int>(DiagramFigure::kHeight) };
}

QSize StateDiagramView::sizeHint() const
{
    return contentSize() * 0.75;
}

QSize StateDiagramView::minimumSizeHint() const
{
    return contentSize() / 4;
}

std::vector<StateDiagramView::Move> StateDiagramView::rfcEdges()
{
    std::vector<Move> moves;
    for (const RfcEdge& e : kRfcEdges)
        moves.emplace_back(e.from, e.to);
    return moves;
}

QRectF StateDiagramView::nodeRect(TcpState state) const
{
    return d->figure.node(state);
}

QPointF StateDiagramView::nodeCenter(TcpState state) const
{
    return d->figure.node(state).center();
}

QPainterPath StateDiagramView::edgePath(TcpState from, TcpState to) const
{
    const DiagramFigure::Edge* e = d->figure.edge(from, to);
    return e ? e->path : QPainterPath();
}

QRectF StateDiagramView::edgeLabelRect(TcpState from, TcpState to) const
{
    const DiagramFigure::Edge* e = d->figure.edge(from, to);
    return e ? e->labelRect : QRectF();
}

QPainterPath StateDiagramView::movePath(TcpState from, TcpState to) const
{
    return d->figure.route({ from, to }).path;
}

QRectF StateDiagramView::moveLabelRect(TcpState from, TcpState to) const
{
    return d->figure.route({ from, to }).labelRect;
}

QRectF StateDiagramView::legendRect() const
{
    return d->figure.legend;
}

std::optional<QPointF> StateDiagramView::tokenPosition(const QString& endpoint) const
{
    const DiagramScene::Token* t = d->scene.token(endpoint);
    return t ? std::optional<QPointF>(t->pos) : std::nullopt;
}

QRectF StateDiagramView::tokenBounds(const QString& endpoint) const
{
    const DiagramScene::Token* t = d->scene.token(endpoint);
    if (!t)
        return {};
    const qreal r = d->figure.tokenRadius;
    return QRectF(t->pos - QPointF(r, r), QSizeF(2 * r, 2 * r)).united(t->label);
}

qreal StateDiagramView::tokenOpacity(const QString& endpoint) const
{
    const DiagramScene::Token* t = d->scene.token(endpoint);
    return t ? t->opacity : 0;
}

bool StateDiagramView::tokenHollow(const QString& endpoint) const
{
    const DiagramScene::Token* t = d->scene.token(endpoint);
    return t && t->hollow;
}

std::size_t StateDiagramView::tokenCount() const
{
    return d->scene.tokens.size();
}

int StateDiagramView::moreAt(TcpState state) const
{
    for (const DiagramScene::Crowd& c : d->scene.crowds)
        if (c.node == state)
            return c.more;
    return 0;
}

std::optional<StateDiagramView::Move> StateDiagramView::highlightedEdge() const
{
    return d->scene.current ? std::optional<Move>(d->scene.current->move) : std::nullopt;
}

bool StateDiagramView::highlightIsDashed() const
{
    return d->scene.current && d->scene.current->dashed;
}

std::vector<StateDiagramView::Move> StateDiagramView::recentEdges() const
{
    std::vector<Move> moves;
    for (const DiagramScene::Lit& x : d->scene.recent)
        moves.push_back(x.move);
    return moves;
}

std::vector<StateDiagramView::Move> StateDiagramView::linuxMoves() const
{
    std::vector<Move> moves;
    for (const DiagramScene::Lit& x : d->scene.linuxArrows)
        moves.push_back(x.move);
    return moves;
}

QFont StateDiagramView::nodeFont() const
{
    return d->figure.nodeFont;
}

QFont StateDiagramView::labelFont() const
{
    return d->figure.labelFont;
}

QPointF StateDiagramView::mapToWidget(const QPointF& diagramPos) const
{
    return widgetTransform().map(diagramPos);
}

void StateDiagramView::paintTo(QPainter& p, const QRectF& target) const
{
    DiagramPainter(p, d->figure, d->scene, palette()).paint(target);
}

void StateDiagramView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    DiagramPainter(p, d->figure, d->scene, palette()).paint(QRectF(rect()), widgetTransform());
}

QString StateDiagramView::endpointAt(const QPointF& widgetPos) const
{
    const QPointF at = widgetTransform().inverted().map(widgetPos);
    const qreal r = d->figure.tokenRadius + 2;
    // Topmost first: tokens are drawn in order, so the last one drawn wins.
    for (auto it = d->scene.tokens.rbegin(); it != d->scene.tokens.rend(); ++it) {
        if (it->opacity <= 0.01)
            continue;
        const QPointF v = at - it->pos;
        if (QPointF::dotProduct(v, v) <= r * r || it->label.contains(at))
            return it->name;
    }
    return {};
}

QString StateDiagramView::toolTipAt(const QPointF& widgetPos) const
{
    const QString name = endpointAt(widgetPos);
    if (!name.isEmpty())
        return d->scene.token(name)->tip;
    const DiagramScene& scene = d->scene;
    const QPointF at = widgetTransform().inverted().map(widgetPos);
    QPainterPathStroker stroker;
    stroker.setWidth(10);
    for (const DiagramScene::Lit& x : scene.linuxArrows) {
        if (x.labelRect.contains(at) || stroker.createStroke(x.path).contains(at))
            return x.tip;
    }
    if (scene.current && scene.current->labelRect.contains(at))
        return scene.current->tip;
    for (TcpState s : kRfcStates) {
        if (d->figure.node(s).contains(at)) {
            const QString rfc = rfcSpelling(s);
            const QString title = rfc.isEmpty() ? qs(stateName(s)) : tr("%1 (RFC 9293: %2)").arg(qs(stateName(s)), rfc);
            return title + QLatin1Char('\n') + meaningOf(s);
        }
    }
    for (const DiagramFigure::Edge& e : d->figure.edges) {
        if (e.labelRect.contains(at) || stroker.createStroke(e.path).contains(at)) {
            if (scene.current && scene.current->move == e.move)
                return scene.current->tip;
            return moveText(e.move) + QStringLiteral(": ") + e.label;
        }
    }
    return {};
}

void StateDiagramView::mousePressEvent(QMouseEvent* event)
{
    const QString name = event->button() == Qt::LeftButton ? endpointAt(event->position()) : QString();
    if (name.isEmpty()) {
        QWidget::mousePressEvent(event);
        return;
    }
    Q_EMIT endpointClicked(name);
    event->accept();
}

void StateDiagramView::mouseMoveEvent(QMouseEvent* event)
{
    if (endpointAt(event->position()).isEmpty())
        unsetCursor();
    else
        setCursor(Qt::PointingHandCursor);
    QWidget::mouseMoveEvent(event);
}

bool StateDiagramView::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QString tip = toolTipAt(help->pos());
        if (tip.isEmpty()) {
            QToolTip::hideText();
            event->ignore();
        } else {
            QToolTip::showText(help->globalPos(), plainToolTip(tip), this);
        }
        return true;
    }
    return QWidget::event(event);
}

void StateDiagramView::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::FontChange) {
        rebuildFigure();
        rebuildScene();
    }
    if (event->type() == QEvent::FontChange || event->type() == QEvent::PaletteChange)
        update();
    QWidget::changeEvent(event);
}

} // namespace synack
