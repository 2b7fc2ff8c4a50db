// SPDX-License-Identifier: GPL-3.0-or-later
#include "diagram/diagrampainter.h"

#include "common/colour.h"
#include "common/geometry.h"
#include "common/text.h"
#include "diagram/statediagramview.h"

#include <QFontMetricsF>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace synack {

namespace {

using Colours = DiagramPainter::Colours;

Colours coloursFor(const QPalette& pal, bool presentation)
{
    Colours c;
    c.dark = pal.color(QPalette::Window).lightness() < 128;
    c.background = pal.color(QPalette::Window);
    c.text = pal.color(QPalette::WindowText);
    if (presentation) {
        c.background = c.dark ? QColor(0x10, 0x10, 0x10) : QColor(Qt::white);
        c.text = c.dark ? QColor(Qt::white) : QColor(Qt::black);
    }
    c.edge = presentation ? c.text : mix(c.text, c.background, c.dark ? 0.35 : 0.4);
    c.nodeFill = presentation ? c.background : mix(pal.color(QPalette::Base), c.background, 0.3);
    c.nodeBorder = presentation ? c.text : mix(c.text, c.background, 0.25);
    c.labelBackground = withAlpha(c.background, 0.88);
    if (c.dark) {
        c.highlight = presentation ? QColor(0x5e, 0xf5, 0xc8) : QColor(0x3d, 0xd6, 0xa7);
        c.linuxMove = presentation ? QColor(0xff, 0x8a, 0xc0) : QColor(0xf0, 0x6e, 0xa8);
    } else {
        c.highlight = presentation ? QColor(0x00, 0x6e, 0x52) : QColor(0x00, 0x8f, 0x6b);
        c.linuxMove = presentation ? QColor(0xa8, 0x00, 0x5a) : QColor(0xc2, 0x18, 0x6b);
    }
    return c;
}

/// The arrowhead at the end of `path`, `length` long, drawn in the current brush.
void drawArrowHead(QPainter& p, const QPainterPath& path, qreal length, qreal halfWidth)
{
    const qreal total = path.length();
    if (total <= 0)
        return;
    const QPointF tip = path.pointAtPercent(1);
    const QPointF back = path.pointAtPercent(path.percentAtLength(std::max<qreal>(0, total - length)));
    const QPolygonF head = arrowHead(tip, tip - back, length, halfWidth);
    if (!head.isEmpty())
        p.drawPolygon(head);
}

/// `path` without its last `cut` units, so a thick line does not poke out of its arrowhead.
/// Every edge ends in a line or a cubic: the end point (and a cubic's last control point) moves
/// back along the final direction.
QPainterPath trimmed(const QPainterPath& path, qreal cut)
{
    const int n = path.elementCount();
    if (n < 2 || path.length() <= cut * 2)
        return path;
    const QPointF end = path.elementAt(n - 1);
    const QPointF before = path.elementAt(n - 2);
    QPointF d = end - before;
    const qreal l = std::hypot(d.x(), d.y());
    if (l < 1e-6)
        return path;
    d = d / l * cut;
    QPainterPath out = path;
    out.setElementPositionAt(n - 1, end.x() - d.x(), end.y() - d.y());
    if (path.elementAt(n - 1).type == QPainterPath::CurveToDataElement)
        out.setElementPositionAt(n - 2, before.x() - d.x(), before.y() - d.y());
    return out;
}

} // namespace

QColor DiagramPainter::Colours::token(Side side, int shade) const
{
    // Two hue families: blues for the connecting side, oranges for the listening side;
    // sockets of one side differ in hue a little and in lightness more.
    static constexpr int kClientHues[] = { 212, 194, 228, 182, 204 };
    static constexpr int kServerHues[] = { 26, 40, 18, 33, 46 };
    static constexpr int kLightness[] = { 0, 22, -20, 10, -10 };
    const int i = shade % 5;
    const int hue = side == Side::Client ? kClientHues[i] : kServerHues[i];
    return QColor::fromHsl(hue, dark ? 190 : 210, (dark ? 160 : 112) + kLightness[i]);
}

QTransform diagramTransform(const QRectF& target)
{
    const qreal w = DiagramFigure::kWidth, h = DiagramFigure::kHeight;
    const qreal s = std::min(target.width() / w, target.height() / h);
    QTransform t;
    t.translate(target.center().x() - w * s / 2, target.center().y() - h * s / 2);
    t.scale(s, s);
    return t;
}

DiagramPainter::DiagramPainter(
    QPainter& p, const DiagramFigure& figure, const DiagramScene& scene, const QPalette& palette)
    : m_p(p)
    , m_f(figure)
    , m_scene(scene)
    , m_c(coloursFor(palette, figure.presentation))
{
}

void DiagramPainter::paint(const QRectF& target)
{
    paint(target, diagramTransform(target));
}

void DiagramPainter::paint(const QRectF& target, const QTransform& transform)
{
    m_p.save();
    m_p.fillRect(target, m_c.background);
    m_p.setClipRect(target, Qt::IntersectClip);
    m_p.setTransform(transform, true);
    m_p.setRenderHint(QPainter::Antialiasing);
    m_p.setRenderHint(QPainter::TextAntialiasing);
    edges();
    nodes();
    labels(); // above everything but the tokens
    tokens();
    legend();
    m_p.restore();
}

bool DiagramPainter::isCurrent(DiagramMove m) const
{
    return m_scene.current && m_scene.current->move == m;
}

bool DiagramPainter::isRecent(DiagramMove m) const
{
    return std::any_of(
        m_scene.recent.begin(), m_scene.recent.end(), [m](const DiagramScene::Lit& x) { return x.move == m; });
}

void DiagramPainter::stroke(const QPainterPath& path, const QColor& colour, qreal width, bool dashed, bool arrow)
{
    const qreal head = 7 + width * 2.2;
    QPen pen(colour, width, dashed ? Qt::DashLine : Qt::SolidLine, Qt::FlatCap, Qt::RoundJoin);
    if (dashed)
        pen.setDashPattern({ 4, 2.5 });
    m_p.setPen(pen);
    m_p.setBrush(Qt::NoBrush);
    m_p.drawPath(arrow ? trimmed(path, head * 0.6) : path);
    if (arrow) {
        m_p.setPen(Qt::NoPen);
        m_p.setBrush(colour);
        drawArrowHead(m_p, path, head, head * 0.45);
    }
}

void DiagramPainter::label(const QRectF& rect, const QString& text, const QColor* lit)
{
    m_p.setPen(Qt::NoPen);
    m_p.setBrush(lit ? *lit : m_c.labelBackground);
    m_p.drawRoundedRect(rect, 4, 4);
    m_p.setFont(m_f.labelFont);
    m_p.setPen(lit ? m_c.background : m_c.text);
    m_p.drawText(rect, Qt::AlignCenter, text);
}

/// Edges, then what is lit on them: the recent moves softly, the current one strongly.
void DiagramPainter::edges()
{
    const qreal lw = m_f.lineWidth;
    const bool presentation = m_f.presentation;
    for (const DiagramFigure::Edge& e : m_f.edges) {
        if (!isCurrent(e.move) && !isRecent(e.move))
            stroke(e.path, m_c.edge, lw, false, true);
    }
    for (const DiagramScene::Lit& x : m_scene.recent) {
        if (isCurrent(x.move))
            continue;
        const QColor colour = mix(x.notRfc ? m_c.linuxMove : m_c.highlight, m_c.background, presentation ? 0.25 : 0.45);
        stroke(x.path, colour, lw * (presentation ? 1.6 : 2), x.dashed || x.notRfc, true);
    }
    if (m_scene.current) {
        const DiagramScene::Lit& x = *m_scene.current;
        const QColor colour = x.notRfc ? m_c.linuxMove : m_c.highlight;
        m_p.setPen(QPen(withAlpha(colour, 0.22), lw * 7, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        m_p.setBrush(Qt::NoBrush);
        m_p.drawPath(x.path);
        stroke(x.path, colour, lw * 2.6, x.dashed || x.notRfc, true);
    }
}

void DiagramPainter::nodes()
{
    const qreal lw = m_f.lineWidth;
    const bool presentation = m_f.presentation;
    const QFontMetricsF nm(m_f.nodeFont), rm(m_f.rfcFont);
    for (TcpState s : kRfcStates) {
        const QRectF r = m_f.node(s);
        const bool entered = m_scene.current && m_scene.current->move.second == s;
        m_p.setPen(QPen(entered ? (m_scene.current->notRfc ? m_c.linuxMove : m_c.highlight) : m_c.nodeBorder,
            entered ? lw * 2.2 : lw * (presentation ? 1.2 : 1.1)));
        m_p.setBrush(m_c.nodeFill);
        m_p.drawRoundedRect(r, 9, 9);
        const QString rfc = rfcSpelling(s);
        m_p.setPen(m_c.text);
        m_p.setFont(m_f.nodeFont);
        if (rfc.isEmpty()) {
            m_p.drawText(r, Qt::AlignCenter, qs(stateName(s)));
            continue;
        }
        const qreal total = nm.height() + rm.height();
        const qreal y0 = r.center().y() - total / 2;
        m_p.drawText(QRectF(r.left(), y0, r.width(), nm.height()), Qt::AlignCenter, qs(stateName(s)));
        m_p.setFont(m_f.rfcFont);
        m_p.setPen(mix(m_c.text, m_c.nodeFill, presentation ? 0.1 : 0.3));
        m_p.drawText(QRectF(r.left(), y0 + nm.height(), r.width(), rm.height()), Qt::AlignCenter,
            StateDiagramView::tr("RFC: %1").arg(rfc));
    }
}

/// Edge labels on pills, so a crossing curve cannot hide them.
void DiagramPainter::labels()
{
    for (const DiagramFigure::Edge& e : m_f.edges)
        label(e.labelRect, e.label, isCurrent(e.move) ? &m_c.highlight : nullptr);
    for (const DiagramScene::Lit& x : m_scene.linuxArrows)
        label(x.labelRect, x.label, &m_c.linuxMove);
}

void DiagramPainter::tokens()
{
    const qreal r = m_f.tokenRadius;
    const bool presentation = m_f.presentation;
    for (const DiagramScene::Token& t : m_scene.tokens) {
        if (t.opacity <= 0.01)
            continue;
        m_p.save();
        m_p.setOpacity(t.opacity);
        const QColor colour = m_c.token(t.side, t.shade);
        if (t.hollow) {
            m_p.setPen(QPen(colour, r * 0.45));
            m_p.setBrush(m_c.background);
            m_p.drawEllipse(t.pos, r * 0.8, r * 0.8);
        } else {
            m_p.setPen(QPen(presentation ? m_c.text : colour.darker(m_c.dark ? 60 : 140), presentation ? 2 : 1.2));
            m_p.setBrush(colour);
            m_p.drawEllipse(t.pos, r, r);
        }
        if (t.gone) {
            m_p.setPen(QPen(m_c.text, 1.5));
            m_p.drawLine(t.pos + QPointF(-r * 0.5, -r * 0.5), t.pos + QPointF(r * 0.5, r * 0.5));
            m_p.drawLine(t.pos + QPointF(-r * 0.5, r * 0.5), t.pos + QPointF(r * 0.5, -r * 0.5));
        }
        m_p.setPen(Qt::NoPen);
        m_p.setBrush(m_c.labelBackground);
        m_p.drawRoundedRect(t.label, 4, 4);
        m_p.setFont(m_f.tokenFont);
        m_p.setPen(presentation ? m_c.text : mix(colour, m_c.text, 0.35));
        m_p.drawText(t.label, Qt::AlignCenter, t.text);
        m_p.restore();
    }
    for (const DiagramScene::Crowd& c : m_scene.crowds) {
        m_p.setPen(QPen(mix(m_c.nodeBorder, m_c.background, 0.4), 1, Qt::DashLine));
        m_p.setBrush(m_c.labelBackground);
        m_p.drawRoundedRect(c.rect, 4, 4);
        m_p.setFont(m_f.tokenFont);
        m_p.setPen(m_c.text);
        m_p.drawText(c.rect, Qt::AlignCenter, c.text);
    }
}

void DiagramPainter::legend()
{
    const QRectF box = m_f.legend;
    const qreal lw = m_f.lineWidth;
    m_p.setPen(QPen(mix(m_c.nodeBorder, m_c.background, 0.4), 1));
    m_p.setBrush(withAlpha(m_c.nodeFill, 0.92));
    m_p.drawRoundedRect(box, 6, 6);
    const QFontMetricsF lm(m_f.legendFont);
    const qreal rowHeight = lm.height() + 3;
    const qreal k = m_f.presentation ? 1.3 : 1.0; // as DiagramFigure::make
    const qreal x0 = box.left() + 10, x1 = box.left() + 44 * k;
    auto rowY = [&](int i) { return box.top() + 6 + rowHeight * (i + 0.5); };
    const auto texts = legendTexts();
    auto text = [&](int i) {
        m_p.setFont(m_f.legendFont);
        m_p.setPen(m_c.text);
        m_p.drawText(QRectF(x1, rowY(i) - rowHeight / 2, box.right() - x1, rowHeight), Qt::AlignLeft | Qt::AlignVCenter,
            texts[static_cast<std::size_t>(i)]);
    };
    const qreal lr = std::min(m_f.tokenRadius, rowHeight / 2 - 1.5);
    auto disc = [&](int i, const QColor& colour, bool hollow) {
        const QPointF at(x0 + lr + 2, rowY(i));
        m_p.setPen(hollow ? QPen(colour, lr * 0.45) : QPen(colour.darker(m_c.dark ? 60 : 140), 1.2));
        m_p.setBrush(hollow ? m_c.background : colour);
        m_p.drawEllipse(at, hollow ? lr * 0.8 : lr, hollow ? lr * 0.8 : lr);
    };
    auto line = [&](int i, const QColor& colour, qreal width, bool dashed, qreal from) {
        QPainterPath path(QPointF(from, rowY(i)));
        path.lineTo(x1 - 8, rowY(i));
        stroke(path, colour, width, dashed, true);
    };
    disc(0, m_c.token(Side::Client, 0), false);
    text(0);
    disc(1, m_c.token(Side::Server, 0), false);
    text(1);
    disc(2, m_c.token(Side::Client, 0), true);
    line(2, m_c.highlight, lw * 1.6, true, x0 + 2 * lr + 5);
    text(2);
    line(3, m_c.linuxMove, lw * 1.6, true, x0);
    text(3);
}

} // namespace synack
