// SPDX-License-Identifier: GPL-3.0-or-later
#include "diagram/diagramfigure.h"

#include "common/geometry.h"
#include "common/text.h"
#include "diagram/statediagramview.h"

#include <QFontMetricsF>

#include <algorithm>
#include <cmath>

namespace synack {

namespace {

using S = TcpState;
constexpr qreal kWidth = DiagramFigure::kWidth;
constexpr qreal kHeight = DiagramFigure::kHeight;
constexpr qreal kGap = 6; // between a line and its label

QPointF centreOf(TcpState s)
{
    // RFC 9293's figure 5 in three columns (x 260, 660, 1060), leaving a lane on the left for
    // Linux's aborts and two on the right for the returns to CLOSED, so CLOSE stays one node.
    switch (s) {
    case S::Close:
        return { 660, 100 };
    case S::Listen:
        return { 660, 220 };
    case S::SynRecv:
        return { 260, 350 };
    case S::SynSent:
        return { 1060, 350 };
    case S::Established:
        return { 660, 480 };
    case S::FinWait1:
        return { 260, 610 };
    case S::Closing:
        return { 660, 610 };
    case S::CloseWait:
        return { 1060, 610 };
    case S::FinWait2:
        return { 260, 730 };
    case S::LastAck:
        return { 1060, 730 };
    case S::TimeWait:
        return { 660, 845 };
    default:
        return {};
    }
}

QPainterPath polyline(std::initializer_list<QPointF> points, qreal radius = 16)
{
    return roundedPolyline(std::vector<QPointF>(points), radius);
}

QPointF mid(QPointF a, QPointF b)
{
    return (a + b) / 2;
}

/// Points on the borders of the nodes: an edge leaves one and ends at another.
struct Ports {
    const DiagramFigure& f;
    QPointF top(S s, qreal dx) const { return QPointF(f.node(s).center().x() + dx, f.node(s).top()); }
    QPointF bottom(S s, qreal dx) const { return QPointF(f.node(s).center().x() + dx, f.node(s).bottom()); }
    QPointF left(S s, qreal dy) const { return QPointF(f.node(s).left(), f.node(s).center().y() + dy); }
    QPointF right(S s, qreal dy) const { return QPointF(f.node(s).right(), f.node(s).center().y() + dy); }
};

/// An edge's path and where its label goes: at `anchor`, placed as `align` says.
struct Shape {
    QPainterPath path;
    QPointF anchor;
    Qt::Alignment align;
};

const Qt::Alignment kLeftOf = Qt::AlignRight | Qt::AlignVCenter; // the label ends left of the anchor
const Qt::Alignment kRightOf = Qt::AlignLeft | Qt::AlignVCenter;
const Qt::Alignment kAbove = Qt::AlignHCenter | Qt::AlignBottom;
const Qt::Alignment kBelow = Qt::AlignHCenter | Qt::AlignTop;

/// How the figure draws one edge of tcp's table: its words and its shape. The table of moves
/// itself is kRfcEdges; this only says how each looks.
struct EdgeSpec {
    TcpState from, to;
    const char* label; ///< translated in StateDiagramView's context
    Shape (*shape)(const Ports&);
};

// The lanes round the right-hand side that take the returns to CLOSED into the top of its node.
constexpr qreal kInnerLane = kWidth - 70, kOuterLane = kWidth - 32;

// Labels on the short verticals sit low, below the row of tokens of the node above.
const EdgeSpec kEdgeSpecs[] = {
    // Opening.
    { S::Close, S::Listen, QT_TRANSLATE_NOOP("synack::StateDiagramView", "listen()"),
        [](const Ports& at) -> Shape {
            const QPointF a = at.bottom(S::Close, -30), b = at.top(S::Listen, -30);
            return { polyline({ a, b }), mid(a, b) - QPointF(kGap, -8), kLeftOf };
        } },
    { S::Listen, S::Close, QT_TRANSLATE_NOOP("synack::StateDiagramView", "close()"),
        [](const Ports& at) -> Shape {
            const QPointF a = at.top(S::Listen, 30), b = at.bottom(S::Close, 30);
            return { polyline({ a, b }), mid(a, b) + QPointF(kGap, 8), kRightOf };
        } },
    { S::Close, S::SynSent, QT_TRANSLATE_NOOP("synack::StateDiagramView", "connect() / SYN"),
        [](const Ports& at) -> Shape {
            const QPointF a = at.right(S::Close, -14), b = at.top(S::SynSent, 20), corner(b.x(), a.y());
            return { polyline({ a, corner, b }), mid(a, corner) - QPointF(0, kGap - 2), kAbove };
        } },
    { S::SynSent, S::Close, QT_TRANSLATE_NOOP("synack::StateDiagramView", "close() / timeout / RST"),
        [](const Ports& at) -> Shape {
            const QPointF a = at.top(S::SynSent, -20), b = at.right(S::Close, 4), corner(a.x(), b.y());
            return { polyline({ a, corner, b }), mid(corner, b) + QPointF(0, kGap - 2), kBelow };
        } },
    { S::Listen, S::SynRecv, QT_TRANSLATE_NOOP("synack::StateDiagramView", "rcv SYN / SYN,ACK"),
        [](const Ports& at) -> Shape {
            const QPointF a = at.left(S::Listen, 0), b = at.top(S::SynRecv, 20), corner(b.x(), a.y());
            return { polyline({ a, corner, b }), mid(a, corner) - QPointF(0, kGap - 2), kAbove };
        } },
    { S::SynSent, S::SynRecv, QT_TRANSLATE_NOOP("synack::StateDiagramView", "rcv SYN / ACK (simultaneous open)"),
        [](const Ports& at) -> Shape {
            const QPointF a = at.left(S::SynSent, -10), b = at.right(S::SynRecv, -10);
            return { polyline({ a, b }), mid(a, b) - QPointF(0, kGap - 2), kAbove };
        } },
    { S::SynRecv, S::Established, QT_TRANSLATE_NOOP("synack::StateDiagramView", "rcv ACK"),
        [](const Ports& at) -> Shape {
            // Below its line: the aborts from ESTABLISHED and CLOSING pass above it, next to ESTABLISHED.
            const QPointF a = at.bottom(S::SynRecv, 60), b = at.left(S::Established, -10);
            return { polyline({ a, b }), mid(a, b) + QPointF(-10, 10), Qt::AlignRight | Qt::AlignTop };
        } },
    { S::SynSent, S::Established, QT_TRANSLATE_NOOP("synack::StateDiagramView", "rcv SYN,ACK / ACK"),
        [](const Ports& at) -> Shape {
            const QPointF a = at.bottom(S::SynSent, -60), b = at.right(S::Established, -10);
            return { polyline({ a, b }), mid(a, b) + QPointF(-10, -10), Qt::AlignRight | Qt::AlignBottom };
        } },
    // Closing, the active side down the left.
    { S::SynRecv, S::FinWait1, QT_TRANSLATE_NOOP("synack::StateDiagramView", "close() / FIN"),
        [](const Ports& at) -> Shape {
            const QPointF a = at.bottom(S::SynRecv, -30), b = at.top(S::FinWait1, -30);
            return { polyline({ a, b }), mid(a, b) - QPointF(kGap, 0), kLeftOf };
        } },
    { S::Established, S::FinWait1, QT_TRANSLATE_NOOP("synack::StateDiagramView", "close() / FIN"),
        [](const Ports& at) -> Shape {
            const QPointF a = at.left(S::Established, 14), b = at.top(S::FinWait1, 50);
            return { polyline({ a, b }), mid(a, b) + QPointF(-10, -10), Qt::AlignRight | Qt::AlignBottom };
        } },
    { S::FinWait1, S::FinWait2, QT_TRANSLATE_NOOP("synack::StateDiagramView", "rcv ACK of FIN"),
        [](const Ports& at) -> Shape {
            const QPointF a = at.bottom(S::FinWait1, -30), b = at.top(S::FinWait2, -30);
            return { polyline({ a, b }), mid(a, b) - QPointF(kGap, -8), kLeftOf };
        } },
    { S::FinWait1, S::Closing, QT_TRANSLATE_NOOP("synack::StateDiagramView", "rcv FIN / ACK"),
        [](const Ports& at) -> Shape {
            const QPointF a = at.right(S::FinWait1, 0), b = at.left(S::Closing, 0);
            return { polyline({ a, b }), mid(a, b) - QPointF(0, kGap - 2), kAbove };
        } },
    { S::FinWait1, S::TimeWait, QT_TRANSLATE_NOOP("synack::StateDiagramView", "rcv FIN,ACK / ACK"),
        [](const Ports& at) -> Shape {
            const QPointF a = at.bottom(S::FinWait1, 50), b = at.top(S::TimeWait, -60);
            return { polyline({ a, b }), mid(a, b) + QPointF(14, -4), Qt::AlignLeft | Qt::AlignBottom };
        } },
    { S::FinWait2, S::TimeWait, QT_TRANSLATE_NOOP("synack::StateDiagramView", "rcv FIN / ACK"),
        [](const Ports& at) -> Shape {
            const QPointF a = at.right(S::FinWait2, 0), b = at.left(S::TimeWait, 0);
            QPainterPath path(a);
            path.cubicTo(a + QPointF((b.x() - a.x()) * 0.45, 0), b - QPointF((b.x() - a.x()) * 0.45, 0), b);
            return { path, b + QPointF(-10, kGap + 4), Qt::AlignRight | Qt::AlignTop };
        } },
    { S::Closing, S::TimeWait, QT_TRANSLATE_NOOP("synack::StateDiagramView", "rcv ACK of FIN"),
        [](const Ports& at) -> Shape {
            const QPointF a = at.bottom(S::Closing, 0), b = at.top(S::TimeWait, 0);
            return { polyline({ a, b }), mid(a, b) + QPointF(kGap, 0), kRightOf };
        } },
    // Closing, the passive side down the right.
    { S::Established, S::CloseWait, QT_TRANSLATE_NOOP("synack::StateDiagramView", "rcv FIN / ACK"),
        [](const Ports& at) -> Shape {
            // Below its line: the passive side's abort to CLOSE leaves CLOSE_WAIT upwards.
            const QPointF a = at.right(S::Established, 14), b = at.top(S::CloseWait, -50);
            return { polyline({ a, b }), mid(a, b) + QPointF(-10, 10), Qt::AlignRight | Qt::AlignTop };
        } },
    { S::CloseWait, S::LastAck, QT_TRANSLATE_NOOP("synack::StateDiagramView", "close() / FIN"),
        [](const Ports& at) -> Shape {
            const QPointF a = at.bottom(S::CloseWait, 0), b = at.top(S::LastAck, 0);
            return { polyline({ a, b }), mid(a, b) - QPointF(kGap, -8), kLeftOf };
        } },
    // Back to CLOSED: two lanes round the right-hand side into the top of the CLOSE node.
    { S::LastAck, S::Close, QT_TRANSLATE_NOOP("synack::StateDiagramView", "rcv ACK of FIN"),
        [](const Ports& at) -> Shape {
            const QPointF a = at.right(S::LastAck, 0), b = at.top(S::Close, 60);
            const qreal y = 46;
            return { polyline({ a, { kInnerLane, a.y() }, { kInnerLane, y }, { b.x(), y }, b }),
                QPointF(kInnerLane - kGap - 2, centreOf(S::Established).y()), kLeftOf };
        } },
    { S::TimeWait, S::Close, QT_TRANSLATE_NOOP("synack::StateDiagramView", "2MSL timeout (60 s)"),
        [](const Ports& at) -> Shape {
            const QPointF a = at.right(S::TimeWait, 0), b = at.top(S::Close, 30);
            const qreal y = 22;
            return { polyline({ a, { kOuterLane, a.y() }, { kOuterLane, y }, { b.x(), y }, b }),
                QPointF((a.x() + kInnerLane) / 2, a.y() - kGap + 2), kAbove };
        } },
};

const EdgeSpec* specOf(TcpState from, TcpState to)
{
    for (const EdgeSpec& s : kEdgeSpecs)
        if (s.from == from && s.to == to)
            return &s;
    return nullptr;
}

/// Fonts and the nodes: every node as wide as the widest kernel name, so the figure reads as a grid.
void placeNodes(DiagramFigure& f, const QFont& base, qreal k)
{
    auto sized = [&base, k](qreal px, bool bold) {
        QFont font = base;
        font.setPixelSize(qRound(px * k));
        font.setBold(bold);
        return font;
    };
    f.nodeFont = sized(17, true);
    // On a projector the small print is as large as the labels: the view zooms until its smallest
    // text is readable from the back row, so every font here sets how far it has to zoom.
    f.rfcFont = sized(f.presentation ? 13 : 12, false);
    f.labelFont = sized(13, false);
    f.tokenFont = sized(13, true);
    f.legendFont = sized(f.presentation ? 13 : 12, false);
    if (f.presentation)
        f.labelFont.setWeight(QFont::DemiBold);
    const QFontMetricsF nameMetrics(f.nodeFont);
    qreal w = 0;
    for (TcpState s : kRfcStates)
        w = std::max(w, nameMetrics.horizontalAdvance(qs(stateName(s))));
    w = std::max<qreal>(150, w + 30 * k);
    const qreal h = std::max<qreal>(50, nameMetrics.height() + QFontMetricsF(f.rfcFont).height() + 12);
    for (TcpState s : kRfcStates) {
        const QPointF c = centreOf(s);
        f.nodes[static_cast<std::size_t>(s)] = QRectF(c.x() - w / 2, c.y() - h / 2, w, h);
    }
}

/// The legend, bottom left, clear of FIN_WAIT2 and the edges into TIME_WAIT.
QRectF legendBox(const DiagramFigure& f, qreal k)
{
    const QFontMetricsF lm(f.legendFont);
    const auto texts = legendTexts();
    qreal lw = 0;
    for (const QString& t : texts)
        lw = std::max(lw, lm.horizontalAdvance(t));
    const qreal rowHeight = lm.height() + 3;
    const QSizeF size(lw + 56 * k, rowHeight * static_cast<qreal>(texts.size()) + 12);
    return QRectF(QPointF(12, kHeight - 8 - size.height()), size);
}

} // namespace

DiagramFigure DiagramFigure::make(const QFont& base, bool presentation)
{
    static std::uint64_t made = 0;
    DiagramFigure f;
    f.id = ++made;
    const qreal k = presentation ? 1.3 : 1.0;
    f.presentation = presentation;
    f.lineWidth = presentation ? 2.8 : 1.5;
    f.tokenRadius = presentation ? 10 : 8;
    placeNodes(f, base, k);
    // Exactly the edges of tcp's table, in its order. An edge this file has no shape for still
    // shows, as a bowed arrow named by its states.
    const Ports ports { f };
    for (const RfcEdge& e : kRfcEdges) {
        const DiagramMove move { e.from, e.to };
        if (const EdgeSpec* spec = specOf(e.from, e.to)) {
            const QString label = StateDiagramView::tr(spec->label);
            const Shape shape = spec->shape(ports);
            f.edges.push_back(
                { move, label, shape.path, placed(shape.anchor, shape.align, f.labelSize(label, f.labelFont)) });
        } else {
            Q_ASSERT_X(false, "DiagramFigure", "an RFC edge without a shape");
            Route r = f.route(move);
            f.edges.push_back({ move, moveText(move), r.path, r.labelRect });
        }
    }
    f.legend = legendBox(f, k);
    return f;
}

const DiagramFigure::Edge* DiagramFigure::edge(TcpState from, TcpState to) const
{
    for (const Edge& e : edges) {
        if (e.move.first == from && e.move.second == to)
            return &e;
    }
    return nullptr;
}

QSizeF DiagramFigure::labelSize(const QString& text, const QFont& font) const
{
    const QFontMetricsF fm(font);
    return { fm.horizontalAdvance(text) + 8, fm.height() + 2 };
}

bool isDiagramState(TcpState s)
{
    return s != TcpState::Unknown && s != TcpState::NewSynRecv;
}

QString rfcSpelling(TcpState s)
{
    switch (s) {
    case S::Close:
        return QStringLiteral("CLOSED");
    case S::SynRecv:
        return QStringLiteral("SYN-RECEIVED");
    case S::FinWait1:
        return QStringLiteral("FIN-WAIT-1");
    case S::FinWait2:
        return QStringLiteral("FIN-WAIT-2");
    default:
        return {};
    }
}

QString moveText(DiagramMove m)
{
    return qs(stateName(m.first)) + QStringLiteral(" → ") + qs(stateName(m.second));
}

std::array<QString, 4> legendTexts()
{
    return { StateDiagramView::tr("client side (connect)"), StateDiagramView::tr("server side (listen, accept)"),
        StateDiagramView::tr("inferred: not read from the kernel"), StateDiagramView::tr("Linux-specific move") };
}

} // namespace synack
