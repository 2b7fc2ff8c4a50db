// SPDX-License-Identifier: GPL-3.0-or-later
// The moves the RFC 9293 diagram has no edge for: where their dashed "Linux" arrows run, and the
// words the figure has for states and moves.
#include "diagram/diagramfigure.h"

#include "common/geometry.h"
#include "diagram/statediagramview.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace synack {

namespace {

using S = TcpState;
constexpr qreal kLinuxLane = 30; // x of the lane Linux aborts from the left column take up to CLOSE

/// SYN_RECV, FIN_WAIT1, FIN_WAIT2: out to the lane on the left and up into CLOSE's left side.
void leftLaneAbort(const DiagramFigure& f, TcpState from, QSizeF size, DiagramFigure::Route& r)
{
    const QRectF close = f.node(S::Close), node = f.node(from);
    const QPointF a(node.left(), node.center().y()), b(close.left(), close.center().y() - 12);
    r.path = roundedPolyline({ a, { kLinuxLane, a.y() }, { kLinuxLane, b.y() }, b }, 40);
    r.labelRect = placed({ (kLinuxLane + b.x()) / 2, b.y() - 4 }, Qt::AlignHCenter | Qt::AlignBottom, size);
}

/// ESTABLISHED, CLOSING: up the left of ESTABLISHED and LISTEN, through the gaps the RFC labels
/// leave, into CLOSE's left side.
void middleAbort(const DiagramFigure& f, TcpState from, QSizeF size, DiagramFigure::Route& r)
{
    const QRectF close = f.node(S::Close), node = f.node(from);
    const QRectF est = f.node(S::Established), listen = f.node(S::Listen);
    const QRectF simOpen = f.edge(S::SynSent, S::SynRecv)->labelRect;
    const QRectF rcvSyn = f.edge(S::Listen, S::SynRecv)->labelRect;
    const QRectF listenCall = f.edge(S::Close, S::Listen)->labelRect;
    std::vector<QPointF> points;
    if (from == S::Closing) {
        points.push_back({ node.left() + 12, node.top() });
        points.push_back({ est.left() - 24, est.center().y() + 8 });
    } else {
        points.push_back({ est.left() + 20, est.top() });
    }
    points.push_back({ est.left() - 26, est.top() - 30 });
    points.push_back({ simOpen.left() - 18, simOpen.center().y() });
    const qreal gapX = (rcvSyn.right() + listen.left()) / 2;
    points.push_back({ gapX, rcvSyn.center().y() });
    points.push_back({ std::min(gapX, listenCall.left() - 14), listenCall.center().y() });
    const QPointF b(close.left(), close.center().y() + 12);
    points.push_back(b);
    r.path = smoothThrough(points, points[0] + QPointF(-20, -40), b + QPointF(-30, 30));
    // Between LISTEN→SYN_RECV and SYN_SENT→SYN_RECV, left of the curve.
    const qreal y = (rcvSyn.bottom() + simOpen.top()) / 2 + 4;
    qreal x = b.x();
    for (int i = 0; i <= 100; ++i) {
        const QPointF p = r.path.pointAtPercent(i / 100.0);
        if (std::abs(p.y() - y) < size.height())
            x = std::min(x, p.x());
    }
    r.labelRect = placed({ x - 12, y }, Qt::AlignRight | Qt::AlignVCenter, size);
}

/// CLOSE_WAIT: up between ESTABLISHED and SYN_SENT into the SYN_SENT loop, and into CLOSE's right
/// side below the loop's two edges.
void closeWaitAbort(const DiagramFigure& f, QSizeF size, DiagramFigure::Route& r)
{
    const QRectF close = f.node(S::Close), node = f.node(S::CloseWait);
    const QPointF a(node.center().x() - 70, node.top()), b(close.right(), close.center().y() + 17);
    r.path = QPainterPath(a);
    r.path.cubicTo(a + QPointF(-90, -185), b + QPointF(35, 0), b);
    r.labelRect = placed({ a.x() - 10, a.y() - 55 }, Qt::AlignLeft | Qt::AlignVCenter, size);
}

/// Anything else bows round the middle of the figure.
void bowedRoute(const DiagramFigure& f, DiagramMove m, QSizeF size, DiagramFigure::Route& r)
{
    const QRectF from = f.node(m.first), to = f.node(m.second);
    const QPointF p0 = from.center(), p3 = to.center();
    const QPointF d = p3 - p0;
    const qreal len = std::max<qreal>(1, std::hypot(d.x(), d.y()));
    QPointF n(-d.y() / len, d.x() / len);
    const qreal side
        = QPointF::dotProduct(n, (p0 + p3) / 2 - QPointF(DiagramFigure::kWidth / 2, DiagramFigure::kHeight / 2));
    if (std::abs(side) < 1 ? n.x() > 0 : side < 0)
        n = -n;
    const qreal bow = std::clamp(len * 0.5, 170.0, 300.0);
    const QPointF c1 = p0 + d * 0.2 + n * bow, c2 = p0 + d * 0.8 + n * bow;
    r.path = QPainterPath(boundaryPoint(from, c1));
    r.path.cubicTo(c1, c2, boundaryPoint(to, c2));
    const QPointF at = r.path.pointAtPercent(0.5);
    const bool leftward = n.x() < 0;
    r.labelRect = placed(
        at + QPointF(leftward ? -8 : 8, 0), (leftward ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter, size);
}

} // namespace

DiagramFigure::Route DiagramFigure::route(DiagramMove m) const
{
    if (const Edge* e = edge(m.first, m.second))
        return { e->path, e->labelRect, e->label, false };
    Route r;
    r.notRfc = true;
    r.label = m.second == S::Close ? StateDiagramView::tr("Linux: abort (RST)")
                                   : StateDiagramView::tr("Linux-specific move");
    const QSizeF size = labelSize(r.label, labelFont);
    // The aborts to CLOSE that Linux really makes get routes of their own, clear of the RFC's labels.
    if (m.second == S::Close) {
        switch (m.first) {
        case S::SynRecv:
        case S::FinWait1:
        case S::FinWait2:
            leftLaneAbort(*this, m.first, size, r);
            return r;
        case S::Established:
        case S::Closing:
            middleAbort(*this, m.first, size, r);
            return r;
        case S::CloseWait:
            closeWaitAbort(*this, size, r);
            return r;
        default:
            break;
        }
    }
    bowedRoute(*this, m, size, r);
    return r;
}

QString meaningOf(TcpState s)
{
    switch (s) {
    case S::Close:
        return StateDiagramView::tr("No connection: a socket not yet listening or connecting, or one whose "
                                    "connection is over.");
    case S::Listen:
        return StateDiagramView::tr("Waits for connection requests (SYNs); finished handshakes queue up for accept().");
    case S::SynSent:
        return StateDiagramView::tr("Has sent a SYN for connect() and waits for the peer's SYN,ACK.");
    case S::SynRecv:
        return StateDiagramView::tr("Has received a SYN and answered SYN,ACK; waits for the ACK that completes "
                                    "the handshake.");
    case S::Established:
        return StateDiagramView::tr("The connection is open: data can flow both ways.");
    case S::FinWait1:
        return StateDiagramView::tr("This side has closed and sent its FIN; waits for the FIN to be acknowledged.");
    case S::FinWait2:
        return StateDiagramView::tr("Our FIN is acknowledged; waits for the peer's FIN (Linux gives up on an orphan "
                                    "after tcp_fin_timeout, 60 s).");
    case S::Closing:
        return StateDiagramView::tr("Both sides sent a FIN at once: the peer's FIN arrived before ours was "
                                    "acknowledged.");
    case S::TimeWait:
        return StateDiagramView::tr("Waits 2×MSL (60 s on Linux) so late segments die out and the last ACK can "
                                    "be resent.");
    case S::CloseWait:
        return StateDiagramView::tr("The peer has closed (its FIN arrived); waits for this application to call "
                                    "close().");
    case S::LastAck:
        return StateDiagramView::tr("Closed after the peer did and sent a FIN; waits for the ACK of that FIN.");
    default:
        return {};
    }
}

QString linuxExplanation()
{
    return StateDiagramView::tr(
        "Not an edge of RFC 9293's diagram. Linux moves a socket straight to CLOSE from any state when the "
        "connection is aborted: a RST arrived, or this side sent one because close() found unread data or "
        "SO_LINGER was 0, or a timer gave up.");
}

} // namespace synack
