// SPDX-License-Identifier: GPL-3.0-or-later
#include "diagram/statediagramview.h"

#include <QEvent>
#include <QFontMetricsF>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QPainterPathStroker>
#include <QStringList>
#include <QToolTip>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <string>
#include <tuple>

namespace synack {

namespace {
// The canvas that diagram coordinates refer to. The layout below is RFC 9293's figure 5 with
// the return edges to CLOSED routed round the right-hand side, so CLOSE stays one node.
constexpr qreal kWidth = 1260;
constexpr qreal kHeight = 900;
constexpr qreal kLinuxLane = 30; // x of the lane Linux aborts from the left column take up to CLOSE

QString fromView(std::string_view s)
{
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

std::size_t stateIndex(TcpState s)
{
    return static_cast<std::size_t>(s);
}

bool isDiagramState(TcpState s)
{
    return s != TcpState::Unknown && s != TcpState::NewSynRecv;
}


QPointF centreOf(TcpState s)
{
    // Three columns (x 260, 660, 1060), leaving a lane on the left for Linux's aborts and two
    // on the right for the returns to CLOSED.
    switch (s) {
    case TcpState::Close:
        return { 660, 100 };
    case TcpState::Listen:
        return { 660, 220 };
    case TcpState::SynRecv:
        return { 260, 350 };
    case TcpState::SynSent:
        return { 1060, 350 };
    case TcpState::Established:
        return { 660, 480 };
    case TcpState::FinWait1:
        return { 260, 610 };
    case TcpState::Closing:
        return { 660, 610 };
    case TcpState::CloseWait:
        return { 1060, 610 };
    case TcpState::FinWait2:
        return { 260, 730 };
    case TcpState::LastAck:
        return { 1060, 730 };
    case TcpState::TimeWait:
        return { 660, 845 };
    default:
        return {};
    }
}

/// RFC 9293's spelling, shown as a second line only where it says more than a hyphen.
QString rfcSpelling(TcpState s)
{
    switch (s) {
    case TcpState::Close:
        return QStringLiteral("CLOSED");
    case TcpState::SynRecv:
        return QStringLiteral("SYN-RECEIVED");
    case TcpState::FinWait1:
        return QStringLiteral("FIN-WAIT-1");
    case TcpState::FinWait2:
        return QStringLiteral("FIN-WAIT-2");
    default:
        return {};
    }
}

QString meaningOf(TcpState s)
{
    switch (s) {
    case TcpState::Close:
        return StateDiagramView::tr("No connection: a socket not yet listening or connecting, or one whose "
                                    "connection is over.");
    case TcpState::Listen:
        return StateDiagramView::tr("Waits for connection requests (SYNs); finished handshakes queue up for accept().");
    case TcpState::SynSent:
        return StateDiagramView::tr("Has sent a SYN for connect() and waits for the peer's SYN,ACK.");
    case TcpState::SynRecv:
        return StateDiagramView::tr("Has received a SYN and answered SYN,ACK; waits for the ACK that completes "
                                    "the handshake.");
    case TcpState::Established:
        return StateDiagramView::tr("The connection is open: data can flow both ways.");
    case TcpState::FinWait1:
        return StateDiagramView::tr("This side has closed and sent its FIN; waits for the FIN to be acknowledged.");
    case TcpState::FinWait2:
        return StateDiagramView::tr("Our FIN is acknowledged; waits for the peer's FIN (Linux gives up on an orphan "
                                    "after tcp_fin_timeout, 60 s).");
    case TcpState::Closing:
        return StateDiagramView::tr("Both sides sent a FIN at once: the peer's FIN arrived before ours was "
                                    "acknowledged.");
    case TcpState::TimeWait:
        return StateDiagramView::tr("Waits 2×MSL (60 s on Linux) so late segments die out and the last ACK can "
                                    "be resent.");
    case TcpState::CloseWait:
        return StateDiagramView::tr("The peer has closed (its FIN arrived); waits for this application to call "
                                    "close().");
    case TcpState::LastAck:
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

QRectF placed(const QPointF& anchor, Qt::Alignment align, const QSizeF& size)
{
    QRectF r(QPointF(), size);
    if (align & Qt::AlignLeft)
        r.moveLeft(anchor.x());
    else if (align & Qt::AlignRight)
        r.moveRight(anchor.x());
    else
        r.moveLeft(anchor.x() - size.width() / 2);
    if (align & Qt::AlignTop)
        r.moveTop(anchor.y());
    else if (align & Qt::AlignBottom)
        r.moveBottom(anchor.y());
    else
        r.moveTop(anchor.y() - size.height() / 2);
    return r;
}

/// A polyline with rounded corners, as the RFC's figure draws its edges with boxes and lines.
QPainterPath polyline(std::initializer_list<QPointF> points, qreal radius = 16)
{
    const std::vector<QPointF> p(points);
    QPainterPath path(p.front());
    for (std::size_t i = 1; i + 1 < p.size(); ++i) {
        const QPointF in = p[i] - p[i - 1];
        const QPointF out = p[i + 1] - p[i];
        const qreal lin = std::hypot(in.x(), in.y());
        const qreal lout = std::hypot(out.x(), out.y());
        const qreal r = std::min({ radius, lin / 2, lout / 2 });
        path.lineTo(p[i] - in / lin * r);
        path.quadTo(p[i], p[i] + out / lout * r);
    }
    path.lineTo(p.back());
    return path;
}

/// A smooth curve through `points` (Catmull-Rom, as cubic Béziers), leaving the first point
/// towards `first` and arriving at the last one from the direction of `beforeLast`.
QPainterPath smoothThrough(const std::vector<QPointF>& points, QPointF first, QPointF beforeLast)
{
    QPainterPath path(points.front());
    const std::size_t n = points.size();
    auto at = [&](std::ptrdiff_t i) {
        if (i < 0)
            return points.front() - (first - points.front());
        if (static_cast<std::size_t>(i) >= n)
            return points.back() + (points.back() - beforeLast);
        return points[static_cast<std::size_t>(i)];
    };
    for (std::size_t i = 0; i + 1 < n; ++i) {
        const auto k = static_cast<std::ptrdiff_t>(i);
        path.cubicTo(at(k) + (at(k + 1) - at(k - 1)) / 6, at(k + 1) - (at(k + 2) - at(k)) / 6, at(k + 1));
    }
    return path;
}

/// Where the ray from the rectangle's centre towards `toward` leaves the rectangle.
QPointF boundaryPoint(const QRectF& r, const QPointF& toward)
{
    const QPointF c = r.center();
    const QPointF d = toward - c;
    const qreal tx = std::abs(d.x()) > 1e-9 ? r.width() / 2 / std::abs(d.x()) : 1e9;
    const qreal ty = std::abs(d.y()) > 1e-9 ? r.height() / 2 / std::abs(d.y()) : 1e9;
    return c + d * std::min(tx, ty);
}

qreal easeInOut(qreal t)
{
    t = std::clamp(t, 0.0, 1.0);
    return t < 0.5 ? 4 * t * t * t : 1 - std::pow(-2 * t + 2, 3) / 2;
}

qreal smoothstep(qreal a, qreal b, qreal x)
{
    const qreal t = std::clamp((x - a) / (b - a), 0.0, 1.0);
    return t * t * (3 - 2 * t);
}

QColor mix(const QColor& a, const QColor& b, qreal t)
{
    return QColor::fromRgbF(static_cast<float>(a.redF() + (b.redF() - a.redF()) * t),
        static_cast<float>(a.greenF() + (b.greenF() - a.greenF()) * t),
        static_cast<float>(a.blueF() + (b.blueF() - a.blueF()) * t));
}

QColor withAlpha(QColor c, qreal alpha)
{
    c.setAlphaF(static_cast<float>(alpha));
    return c;
}

/// The colours of one paint, from the widget's palette so light and dark themes both work.
struct Colours {
    bool dark = false;
    QColor background, text, edge, nodeFill, nodeBorder, labelBackground, highlight, linuxMove;

    QColor token(Side side, int shade) const
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
};

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
    QPointF d = tip - back;
    const qreal l = std::hypot(d.x(), d.y());
    if (l < 1e-6)
        return;
    d /= l;
    const QPointF base = tip - d * length;
    const QPointF n(-d.y(), d.x());
    const QPointF head[] = { tip, base + n * halfWidth, base - n * halfWidth };
    p.drawPolygon(head, 3);
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

QPointF pointOn(const QPainterPath& path, qreal t)
{
    return path.isEmpty() ? QPointF() : path.pointAtPercent(std::clamp(t, 0.0, 1.0));
}
}

struct StateDiagramView::Layout {
    struct Edge {
        Move move;
        QString label;
        QPainterPath path;
        QRectF labelRect;
    };

    qreal lineWidth = 1.5;
    qreal tokenRadius = 8;
    QFont nodeFont, rfcFont, labelFont, tokenFont, legendFont;
    std::array<QRectF, 13> nodes {};
    std::vector<Edge> edges;
    QRectF legend;

    QRectF node(TcpState s) const { return nodes[stateIndex(s)]; }
    const Edge* edge(TcpState from, TcpState to) const
    {
        for (const Edge& e : edges) {
            if (e.move.first == from && e.move.second == to)
                return &e;
        }
        return nullptr;
    }
    QSizeF labelSize(const QString& text, const QFont& font) const
    {
        const QFontMetricsF fm(font);
        return { fm.horizontalAdvance(text) + 8, fm.height() + 2 };
    }

    /// How a move is drawn: its RFC edge, or else a dashed "Linux" arrow.
    struct Route {
        QPainterPath path;
        QRectF labelRect;
        QString label;
        bool notRfc = false;
    };
    Route route(Move m) const;
};

StateDiagramView::Layout::Route StateDiagramView::Layout::route(Move m) const
{
    if (const Edge* e = edge(m.first, m.second))
        return { e->path, e->labelRect, e->label, false };
    Route r;
    r.notRfc = true;
    r.label = m.second == TcpState::Close ? StateDiagramView::tr("Linux: abort (RST)")
                                          : StateDiagramView::tr("Linux-specific move");
    const QSizeF size = labelSize(r.label, labelFont);
    const QRectF close = node(TcpState::Close);
    const QRectF from = node(m.first);
    // The aborts to CLOSE that Linux really makes get routes of their own, clear of the RFC's
    // labels; anything else bows round the middle of the figure.
    if (m.second == TcpState::Close) {
        switch (m.first) {
        case TcpState::SynRecv:
        case TcpState::FinWait1:
        case TcpState::FinWait2: {
            const QPointF a(from.left(), from.center().y()), b(close.left(), close.center().y() - 12);
            r.path = polyline({ a, { kLinuxLane, a.y() }, { kLinuxLane, b.y() }, b }, 40);
            r.labelRect = placed({ (kLinuxLane + b.x()) / 2, b.y() - 4 }, Qt::AlignHCenter | Qt::AlignBottom, size);
            return r;
        }
        case TcpState::Established:
        case TcpState::Closing: {
            // Up the left of ESTABLISHED and LISTEN, through the gaps the RFC labels leave, into
            // CLOSE's left side.
            const QRectF est = node(TcpState::Established), listen = node(TcpState::Listen);
            const QRectF simOpen = edge(TcpState::SynSent, TcpState::SynRecv)->labelRect;
            const QRectF rcvSyn = edge(TcpState::Listen, TcpState::SynRecv)->labelRect;
            const QRectF listenCall = edge(TcpState::Close, TcpState::Listen)->labelRect;
            std::vector<QPointF> points;
            if (m.first == TcpState::Closing) {
                points.push_back({ from.left() + 12, from.top() });
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
            return r;
        }
        case TcpState::CloseWait: {
            // Up between ESTABLISHED and SYN_SENT into the SYN_SENT loop, and into CLOSE's right
            // side below the loop's two edges.
            const QPointF a(from.center().x() - 70, from.top()), b(close.right(), close.center().y() + 17);
            r.path = QPainterPath(a);
            r.path.cubicTo(a + QPointF(-90, -185), b + QPointF(35, 0), b);
            r.labelRect = placed({ a.x() - 10, a.y() - 55 }, Qt::AlignLeft | Qt::AlignVCenter, size);
            return r;
        }
        default:
            break;
        }
    }
    const QPointF p0 = from.center(), p3 = node(m.second).center();
    const QPointF d = p3 - p0;
    const qreal len = std::max<qreal>(1, std::hypot(d.x(), d.y()));
    QPointF n(-d.y() / len, d.x() / len);
    const qreal side = QPointF::dotProduct(n, (p0 + p3) / 2 - QPointF(kWidth / 2, kHeight / 2));
    if (std::abs(side) < 1 ? n.x() > 0 : side < 0)
        n = -n;
    const qreal bow = std::clamp(len * 0.5, 170.0, 300.0);
    const QPointF c1 = p0 + d * 0.2 + n * bow, c2 = p0 + d * 0.8 + n * bow;
    r.path = QPainterPath(boundaryPoint(from, c1));
    r.path.cubicTo(c1, c2, boundaryPoint(node(m.second), c2));
    const QPointF at = r.path.pointAtPercent(0.5);
    const bool leftward = n.x() < 0;
    r.labelRect = placed(
        at + QPointF(leftward ? -8 : 8, 0), (leftward ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter, size);
    return r;
}

struct StateDiagramView::Scene {
    struct Token {
        QString name;
        QString text; ///< the name as drawn ("server (gone)")
        Side side = Side::Client;
        int shade = 0;
        QPointF pos;
        QRectF label;
        qreal opacity = 1;
        bool hollow = false;
        bool gone = false;
        QString tip;
    };
    /// A move drawn highlighted: an RFC edge, or a Linux arrow.
    struct Lit {
        Move move;
        bool dashed = false; ///< inferred
        bool notRfc = false; ///< a Linux-only move, not an RFC edge
        QPainterPath path;
        QRectF labelRect;
        QString label;
        QString tip;
    };

    std::vector<Token> tokens;
    std::optional<Lit> current;
    std::vector<Lit> recent;
    std::vector<Lit> linuxArrows;

    const Token* token(const QString& name) const
    {
        for (const Token& t : tokens) {
            if (t.name == name)
                return &t;
        }
        return nullptr;
    }
};

StateDiagramView::StateDiagramView(QWidget* parent)
    : QWidget(parent)
    , m_scene(std::make_unique<Scene>())
{
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    rebuildLayout();
}

StateDiagramView::~StateDiagramView() = default;

void StateDiagramView::setFrame(const Frame& frame)
{
    m_frame = frame;
    rebuildScene();
    update();
}

void StateDiagramView::setPresentation(bool on)
{
    if (m_presentation == on)
        return;
    m_presentation = on;
    rebuildLayout();
    rebuildScene();
    update();
}

bool StateDiagramView::presentation() const
{
    return m_presentation;
}

QSize StateDiagramView::contentSize() const
{
    return { static_cast<int>(kWidth), static_cast<int>(kHeight) };
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
    using S = TcpState;
    // RFC 9293 figure 5, top to bottom; rebuildLayout() draws exactly these.
    return {
        { S::Close, S::Listen },
        { S::Listen, S::Close },
        { S::Close, S::SynSent },
        { S::SynSent, S::Close },
        { S::Listen, S::SynRecv },
        { S::SynSent, S::SynRecv },
        { S::SynRecv, S::Established },
        { S::SynSent, S::Established },
        { S::SynRecv, S::FinWait1 },
        { S::Established, S::FinWait1 },
        { S::FinWait1, S::FinWait2 },
        { S::FinWait1, S::Closing },
        { S::FinWait1, S::TimeWait },
        { S::FinWait2, S::TimeWait },
        { S::Closing, S::TimeWait },
        { S::Established, S::CloseWait },
        { S::CloseWait, S::LastAck },
        { S::LastAck, S::Close },
        { S::TimeWait, S::Close },
    };
}

void StateDiagramView::rebuildLayout()
{
    auto layout = std::make_unique<Layout>();
    Layout& l = *layout;
    const qreal k = m_presentation ? 1.3 : 1.0;
    l.lineWidth = m_presentation ? 2.8 : 1.5;
    l.tokenRadius = m_presentation ? 10 : 8;
    auto sized = [this, k](qreal px, bool bold) {
        QFont f = font();
        f.setPixelSize(qRound(px * k));
        f.setBold(bold);
        return f;
    };
    l.nodeFont = sized(17, true);
    l.rfcFont = sized(11, false);
    l.labelFont = sized(13, false);
    l.tokenFont = sized(13, true);
    l.legendFont = sized(12, false);
    if (m_presentation)
        l.labelFont.setWeight(QFont::DemiBold);

    // Every node as wide as the widest kernel name, so the figure reads as a grid.
    const QFontMetricsF nameMetrics(l.nodeFont);
    qreal w = 0;
    for (TcpState s : kRfcStates)
        w = std::max(w, nameMetrics.horizontalAdvance(fromView(stateName(s))));
    w = std::max<qreal>(150, w + 30 * k);
    const qreal h = std::max<qreal>(50, nameMetrics.height() + QFontMetricsF(l.rfcFont).height() + 12);
    for (TcpState s : kRfcStates) {
        const QPointF c = centreOf(s);
        l.nodes[stateIndex(s)] = QRectF(c.x() - w / 2, c.y() - h / 2, w, h);
    }

    using S = TcpState;
    auto top = [&l](S s, qreal dx) { return QPointF(l.node(s).center().x() + dx, l.node(s).top()); };
    auto bottom = [&l](S s, qreal dx) { return QPointF(l.node(s).center().x() + dx, l.node(s).bottom()); };
    auto left = [&l](S s, qreal dy) { return QPointF(l.node(s).left(), l.node(s).center().y() + dy); };
    auto right = [&l](S s, qreal dy) { return QPointF(l.node(s).right(), l.node(s).center().y() + dy); };
    auto mid = [](QPointF a, QPointF b) { return (a + b) / 2; };
    auto add = [&l](S from, S to, const QString& label, const QPainterPath& path, QPointF anchor, Qt::Alignment align) {
        const QRectF rect = placed(anchor, align, l.labelSize(label, l.labelFont));
        l.edges.push_back({ { from, to }, label, path, rect });
    };
    constexpr qreal gap = 6; // between a line and its label
    const auto leftOf = Qt::AlignRight | Qt::AlignVCenter; // label ends left of the anchor
    const auto rightOf = Qt::AlignLeft | Qt::AlignVCenter;
    const auto above = Qt::AlignHCenter | Qt::AlignBottom;
    const auto below = Qt::AlignHCenter | Qt::AlignTop;

    // Opening. Labels on the short verticals sit low, below the row of tokens of the node above.
    {
        const QPointF a = bottom(S::Close, -30), b = top(S::Listen, -30);
        add(S::Close, S::Listen, tr("listen()"), polyline({ a, b }), mid(a, b) - QPointF(gap, -8), leftOf);
    }
    {
        const QPointF a = top(S::Listen, 30), b = bottom(S::Close, 30);
        add(S::Listen, S::Close, tr("close()"), polyline({ a, b }), mid(a, b) + QPointF(gap, 8), rightOf);
    }
    {
        const QPointF a = right(S::Close, -14), b = top(S::SynSent, 20);
        const QPointF corner(b.x(), a.y());
        add(S::Close, S::SynSent, tr("connect() / SYN"), polyline({ a, corner, b }),
            mid(a, corner) - QPointF(0, gap - 2), above);
    }
    {
        const QPointF a = top(S::SynSent, -20), b = right(S::Close, 4);
        const QPointF corner(a.x(), b.y());
        add(S::SynSent, S::Close, tr("close() / timeout / RST"), polyline({ a, corner, b }),
            mid(corner, b) + QPointF(0, gap - 2), below);
    }
    {
        const QPointF a = left(S::Listen, 0), b = top(S::SynRecv, 20);
        const QPointF corner(b.x(), a.y());
        add(S::Listen, S::SynRecv, tr("rcv SYN / SYN,ACK"), polyline({ a, corner, b }),
            mid(a, corner) - QPointF(0, gap - 2), above);
    }
    {
        const QPointF a = left(S::SynSent, -10), b = right(S::SynRecv, -10);
        add(S::SynSent, S::SynRecv, tr("rcv SYN / ACK (simultaneous open)"), polyline({ a, b }),
            mid(a, b) - QPointF(0, gap - 2), above);
    }
    {
        const QPointF a = bottom(S::SynRecv, 60), b = left(S::Established, -10);
        // Below its line: the aborts from ESTABLISHED and CLOSING pass above it, next to ESTABLISHED.
        add(S::SynRecv, S::Established, tr("rcv ACK"), polyline({ a, b }), mid(a, b) + QPointF(-10, 10),
            Qt::AlignRight | Qt::AlignTop);
    }
    {
        const QPointF a = bottom(S::SynSent, -60), b = right(S::Established, -10);
        add(S::SynSent, S::Established, tr("rcv SYN,ACK / ACK"), polyline({ a, b }), mid(a, b) + QPointF(-10, -10),
            Qt::AlignRight | Qt::AlignBottom);
    }
    // Closing, the active side down the left.
    {
        const QPointF a = bottom(S::SynRecv, -30), b = top(S::FinWait1, -30);
        add(S::SynRecv, S::FinWait1, tr("close() / FIN"), polyline({ a, b }), mid(a, b) - QPointF(gap, 0), leftOf);
    }
    {
        const QPointF a = left(S::Established, 14), b = top(S::FinWait1, 50);
        add(S::Established, S::FinWait1, tr("close() / FIN"), polyline({ a, b }), mid(a, b) + QPointF(-10, -10),
            Qt::AlignRight | Qt::AlignBottom);
    }
    {
        const QPointF a = bottom(S::FinWait1, -30), b = top(S::FinWait2, -30);
        add(S::FinWait1, S::FinWait2, tr("rcv ACK of FIN"), polyline({ a, b }), mid(a, b) - QPointF(gap, -8), leftOf);
    }
    {
        const QPointF a = right(S::FinWait1, 0), b = left(S::Closing, 0);
        add(S::FinWait1, S::Closing, tr("rcv FIN / ACK"), polyline({ a, b }), mid(a, b) - QPointF(0, gap - 2), above);
    }
    {
        const QPointF a = bottom(S::FinWait1, 50), b = top(S::TimeWait, -60);
        add(S::FinWait1, S::TimeWait, tr("rcv FIN,ACK / ACK"), polyline({ a, b }), mid(a, b) + QPointF(14, -4),
            Qt::AlignLeft | Qt::AlignBottom);
    }
    {
        const QPointF a = right(S::FinWait2, 0), b = left(S::TimeWait, 0);
        QPainterPath path(a);
        path.cubicTo(a + QPointF((b.x() - a.x()) * 0.45, 0), b - QPointF((b.x() - a.x()) * 0.45, 0), b);
        add(S::FinWait2, S::TimeWait, tr("rcv FIN / ACK"), path, b + QPointF(-10, gap + 4),
            Qt::AlignRight | Qt::AlignTop);
    }
    {
        const QPointF a = bottom(S::Closing, 0), b = top(S::TimeWait, 0);
        add(S::Closing, S::TimeWait, tr("rcv ACK of FIN"), polyline({ a, b }), mid(a, b) + QPointF(gap, 0), rightOf);
    }
    // Closing, the passive side down the right.
    {
        const QPointF a = right(S::Established, 14), b = top(S::CloseWait, -50);
        // Below its line: the passive side's abort to CLOSE leaves CLOSE_WAIT upwards.
        add(S::Established, S::CloseWait, tr("rcv FIN / ACK"), polyline({ a, b }), mid(a, b) + QPointF(-10, 10),
            Qt::AlignRight | Qt::AlignTop);
    }
    {
        const QPointF a = bottom(S::CloseWait, 0), b = top(S::LastAck, 0);
        add(S::CloseWait, S::LastAck, tr("close() / FIN"), polyline({ a, b }), mid(a, b) - QPointF(gap, -8), leftOf);
    }
    // Back to CLOSED: two lanes round the right-hand side into the top of the CLOSE node.
    const qreal innerLane = kWidth - 70, outerLane = kWidth - 32;
    {
        const QPointF a = right(S::LastAck, 0), b = top(S::Close, 60);
        const qreal y = 46;
        add(S::LastAck, S::Close, tr("rcv ACK of FIN"),
            polyline({ a, { innerLane, a.y() }, { innerLane, y }, { b.x(), y }, b }),
            QPointF(innerLane - gap - 2, centreOf(S::Established).y()), leftOf);
    }
    {
        const QPointF a = right(S::TimeWait, 0), b = top(S::Close, 30);
        const qreal y = 22;
        add(S::TimeWait, S::Close, tr("2MSL timeout (60 s)"),
            polyline({ a, { outerLane, a.y() }, { outerLane, y }, { b.x(), y }, b }),
            QPointF((a.x() + innerLane) / 2, a.y() - gap + 2), above);
    }

    // The legend, bottom left, clear of FIN_WAIT2 and the edges into TIME_WAIT.
    const QFontMetricsF lm(l.legendFont);
    const QString legendTexts[] = { tr("client side (connect)"), tr("server side (listen, accept)"),
        tr("inferred: not read from the kernel"), tr("Linux-specific move") };
    qreal lw = 0;
    for (const QString& t : legendTexts)
        lw = std::max(lw, lm.horizontalAdvance(t));
    const qreal rowHeight = lm.height() + 3;
    const QSizeF legendSize(lw + 56 * k, rowHeight * static_cast<qreal>(std::size(legendTexts)) + 12);
    l.legend = QRectF(QPointF(12, kHeight - 8 - legendSize.height()), legendSize);

    Q_ASSERT(l.edges.size() == rfcEdges().size());
    m_layout = std::move(layout);
}

namespace {
struct Entry {
    const EndpointView* view = nullptr;
    TcpState state = TcpState::Unknown;
    int order = 0;
    const StateEvent* lastState = nullptr; ///< newest state event of this socket
    const StateEvent* lastMove = nullptr; ///< newest one with a `from`
    bool hidden = false; ///< no token
};
}

void StateDiagramView::rebuildScene()
{
    Scene scene;
    const Layout& l = *m_layout;
    const Trace* trace = m_frame.trace;
    if (!trace) {
        *m_scene = std::move(scene);
        return;
    }
    const std::size_t visible = std::min(m_frame.visible, trace->events.size());

    // One pass over the revealed events: each socket's newest state event and newest move.
    std::map<std::string, std::size_t> lastState, lastMove;
    for (std::size_t i = 0; i < visible; ++i) {
        if (const auto* s = trace->events[i].as<StateEvent>()) {
            lastState[s->endpoint] = i;
            if (s->from)
                lastMove[s->endpoint] = i;
        }
    }
    const StateEvent* newest = visible > 0 ? trace->events[visible - 1].as<StateEvent>() : nullptr;
    const std::vector<std::string> order = endpointsOf(*trace);
    auto orderOf = [&order](const std::string& name) {
        const auto it = std::find(order.begin(), order.end(), name);
        return static_cast<int>(it - order.begin());
    };
    // accept() renames "client/peer" to the scenario's name: it is one socket, so its history
    // (and its colour) carries over.
    auto newestOf = [trace](const std::map<std::string, std::size_t>& m, const EndpointView& v) -> const StateEvent* {
        std::optional<std::size_t> index;
        for (const std::string* name : { &v.name, &v.adoptedFrom }) {
            if (const auto it = m.find(*name); it != m.end())
                index = std::max(index.value_or(0), it->second);
        }
        return index ? trace->events[*index].as<StateEvent>() : nullptr;
    };

    std::vector<Entry> entries;
    for (const EndpointView& v : m_frame.picture.endpoints) {
        const std::optional<TcpState> state = v.state;
        if (!state || !isDiagramState(*state))
            continue;
        Entry e;
        e.view = &v;
        e.state = *state;
        e.order = orderOf(v.name);
        e.lastState = newestOf(lastState, v);
        e.lastMove = newestOf(lastMove, v);
        // A socket the kernel no longer has fades out at CLOSE during its last move, then has
        // no token (its last edge stays lit).
        e.hidden = v.gone && !(newest && newest->endpoint == v.name);
        entries.push_back(e);
    }
    std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.order < b.order; });

    // Colours: a shade per socket within its side, in order of first appearance.
    std::map<std::string, std::pair<Side, int>> shades;
    {
        int clients = 0, servers = 0;
        for (const std::string& name : order) {
            const Side side = sideOf(*trace, name);
            shades[name] = { side, side == Side::Client ? clients++ : servers++ };
        }
    }
    auto shadeOf = [&shades](const EndpointView& v) {
        const std::string& key = v.adoptedFrom.empty() ? v.name : v.adoptedFrom;
        const auto it = shades.find(key);
        return it == shades.end() ? std::pair<Side, int> { Side::Client, 0 } : it->second;
    };

    // Where the tokens of one node sit: side by side just below the node (clear of its name),
    // wrapping into further rows when there are many, so no token hides another.
    const QFontMetricsF tm(l.tokenFont);
    const qreal r = l.tokenRadius;
    auto textOf = [this](const EndpointView& v) {
        const QString name = QString::fromStdString(v.name);
        return v.gone ? tr("%1 (gone)").arg(name) : name;
    };
    auto arrange = [&](TcpState node, const std::vector<const EndpointView*>& views) {
        struct Place {
            QPointF pos;
            QRectF label;
        };
        std::vector<Place> places;
        const QRectF rect = l.node(node);
        const qreal spacing = 10;
        // CLOSE has free room on both sides (sockets pile up there: new ones, refused ones).
        const qreal maxRow = node == TcpState::Close ? 900 : std::max<qreal>(rect.width() * 1.8, 300);
        const qreal rowHeight = 2 * r + 8;
        std::vector<std::vector<std::pair<const EndpointView*, qreal>>> rows(1);
        qreal rowWidth = 0;
        for (const EndpointView* v : views) {
            const qreal width = 2 * r + 4 + tm.horizontalAdvance(textOf(*v)) + 6;
            if (!rows.back().empty() && rowWidth + spacing + width > maxRow) {
                rows.emplace_back();
                rowWidth = 0;
            }
            rowWidth += (rows.back().empty() ? 0 : spacing) + width;
            rows.back().push_back({ v, width });
        }
        for (std::size_t ri = 0; ri < rows.size(); ++ri) {
            qreal total = 0;
            for (const auto& item : rows[ri])
                total += item.second;
            total += spacing * static_cast<qreal>(rows[ri].size() - 1);
            qreal x = rect.center().x() - total / 2;
            const qreal y = rect.bottom() + r + 5 + static_cast<qreal>(ri) * rowHeight;
            for (const auto& item : rows[ri]) {
                const QPointF pos(x + r, y);
                const QRectF label(x + 2 * r + 2, y - tm.height() / 2 - 1, item.second - 2 * r - 2, tm.height() + 2);
                places.push_back({ pos, label });
                x += item.second + spacing;
            }
        }
        return places;
    };
    auto placeOf = [&](TcpState node, const EndpointView* who, bool addWho) {
        std::vector<const EndpointView*> views;
        for (const Entry& e : entries) {
            if (e.hidden)
                continue;
            if ((e.state == node && e.view != who) || (e.view == who && (addWho || e.state == node)))
                views.push_back(e.view);
        }
        const auto places = arrange(node, views);
        const auto it = std::find(views.begin(), views.end(), who);
        return places[static_cast<std::size_t>(it - views.begin())];
    };

    auto lit = [&](Move m, bool inferred) {
        const Layout::Route route = l.route(m);
        Scene::Lit x;
        x.move = m;
        x.dashed = inferred;
        x.notRfc = route.notRfc;
        x.path = route.path;
        x.label = route.label;
        x.labelRect = route.labelRect;
        x.tip = fromView(stateName(m.first)) + QStringLiteral(" → ") + fromView(stateName(m.second));
        x.tip += x.notRfc ? QLatin1Char('\n') + linuxExplanation() : QStringLiteral(": ") + route.label;
        return x;
    };
    auto moveOf = [](const StateEvent* s) -> std::optional<Move> {
        if (!s)
            return std::nullopt;
        if (!s->from || *s->from == s->to || !isDiagramState(*s->from) || !isDiagramState(s->to))
            return std::nullopt;
        return Move { *s->from, s->to };
    };

    // The move being animated.
    const EndpointView* mover = nullptr;
    if (newest) {
        mover = m_frame.picture.find(newest->endpoint);
        if (const auto m = moveOf(newest)) {
            scene.current = lit(*m, newest->source == Source::Inferred);
            if (newest->source == Source::Inferred)
                scene.current->tip += QLatin1Char('\n') + tr("Inferred: %1").arg(QString::fromStdString(newest->why));
        }
    }

    // Every socket's last move stays softly lit; Linux-only moves get their arrow while they are recent.
    for (const Entry& e : entries) {
        const auto m = moveOf(e.lastMove);
        if (!m)
            continue;
        const bool inferred = e.lastMove->source == Source::Inferred;
        auto same = [&m](const Scene::Lit& x) { return x.move == *m; };
        if (auto it = std::find_if(scene.recent.begin(), scene.recent.end(), same); it != scene.recent.end()) {
            it->dashed = it->dashed && inferred; // one kernel reading of the move is enough to draw it solid
            continue;
        }
        scene.recent.push_back(lit(*m, inferred));
        if (scene.recent.back().notRfc)
            scene.linuxArrows.push_back(scene.recent.back());
    }

    const qreal t = easeInOut(m_frame.progress);
    for (const Entry& e : entries) {
        if (e.hidden)
            continue;
        const EndpointView& v = *e.view;
        Scene::Token tok;
        tok.name = QString::fromStdString(v.name);
        tok.text = textOf(v);
        std::tie(tok.side, tok.shade) = shadeOf(v);
        tok.gone = v.gone;
        tok.hollow = v.stateSource == Source::Inferred;
        tok.opacity = v.gone ? 0.0 : 1.0;
        const auto rest = placeOf(e.state, &v, false);
        tok.pos = rest.pos;
        tok.label = rest.label;

        if (&v == mover && newest) {
            tok.hollow = newest->source == Source::Inferred;
            const auto m = moveOf(newest);
            if (!newest->from && v.adoptedFrom.empty()) {
                tok.opacity *= m_frame.progress; // it just appeared
            } else if (m && m->second == e.state) {
                // Ride the edge; blend in from the token's place at `from` and out to its place
                // at `to` near the ends, so it leaves and lands where tokens sit.
                const QPainterPath path = l.route(*m).path;
                const auto start = placeOf(m->first, &v, true);
                const QPointF onEdge = pointOn(path, t);
                const qreal w0 = 1 - smoothstep(0, 0.25, t), w1 = smoothstep(0.75, 1, t);
                tok.pos = onEdge + (start.pos - pointOn(path, 0)) * w0 + (rest.pos - pointOn(path, 1)) * w1;
                tok.label = rest.label.translated(tok.pos - rest.pos);
                if (v.gone)
                    tok.opacity = 1 - smoothstep(0.55, 1, t);
            }
        }

        // The tooltip: name, state, where that came from.
        QStringList lines;
        lines << tr("%1: %2").arg(tok.name, fromView(stateName(e.state)));
        const StateEvent* why = e.lastState;
        if (v.gone)
            lines << tr("The kernel no longer has this socket.");
        else if (v.stateSource == Source::Inferred)
            lines
                << tr("Inferred, not read from the kernel: %1").arg(why ? QString::fromStdString(why->why) : QString());
        else
            lines << tr("Read from the kernel.");
        if (!v.local.empty())
            lines << tr("local %1").arg(QString::fromStdString(v.local));
        if (!v.peer.empty())
            lines << tr("peer %1").arg(QString::fromStdString(v.peer));
        if (!v.adoptedFrom.empty())
            lines << tr("was %1 until accept()").arg(QString::fromStdString(v.adoptedFrom));
        tok.tip = lines.join(QLatin1Char('\n'));
        scene.tokens.push_back(std::move(tok));
    }

    *m_scene = std::move(scene);
}

QRectF StateDiagramView::nodeRect(TcpState state) const
{
    return m_layout->node(state);
}

QPointF StateDiagramView::nodeCenter(TcpState state) const
{
    return m_layout->node(state).center();
}

QPainterPath StateDiagramView::edgePath(TcpState from, TcpState to) const
{
    const Layout::Edge* e = m_layout->edge(from, to);
    return e ? e->path : QPainterPath();
}

QRectF StateDiagramView::edgeLabelRect(TcpState from, TcpState to) const
{
    const Layout::Edge* e = m_layout->edge(from, to);
    return e ? e->labelRect : QRectF();
}

QPainterPath StateDiagramView::movePath(TcpState from, TcpState to) const
{
    return m_layout->route({ from, to }).path;
}

QRectF StateDiagramView::moveLabelRect(TcpState from, TcpState to) const
{
    return m_layout->route({ from, to }).labelRect;
}

QRectF StateDiagramView::legendRect() const
{
    return m_layout->legend;
}

std::optional<QPointF> StateDiagramView::tokenPosition(const QString& endpoint) const
{
    const Scene::Token* t = m_scene->token(endpoint);
    return t ? std::optional<QPointF>(t->pos) : std::nullopt;
}

QRectF StateDiagramView::tokenBounds(const QString& endpoint) const
{
    const Scene::Token* t = m_scene->token(endpoint);
    if (!t)
        return {};
    const qreal r = m_layout->tokenRadius;
    return QRectF(t->pos - QPointF(r, r), QSizeF(2 * r, 2 * r)).united(t->label);
}

qreal StateDiagramView::tokenOpacity(const QString& endpoint) const
{
    const Scene::Token* t = m_scene->token(endpoint);
    return t ? t->opacity : 0;
}

bool StateDiagramView::tokenHollow(const QString& endpoint) const
{
    const Scene::Token* t = m_scene->token(endpoint);
    return t && t->hollow;
}

std::optional<StateDiagramView::Move> StateDiagramView::highlightedEdge() const
{
    return m_scene->current ? std::optional<Move>(m_scene->current->move) : std::nullopt;
}

bool StateDiagramView::highlightIsDashed() const
{
    return m_scene->current && m_scene->current->dashed;
}

std::vector<StateDiagramView::Move> StateDiagramView::recentEdges() const
{
    std::vector<Move> moves;
    for (const Scene::Lit& x : m_scene->recent)
        moves.push_back(x.move);
    return moves;
}

std::vector<StateDiagramView::Move> StateDiagramView::linuxMoves() const
{
    std::vector<Move> moves;
    for (const Scene::Lit& x : m_scene->linuxArrows)
        moves.push_back(x.move);
    return moves;
}

QFont StateDiagramView::nodeFont() const
{
    return m_layout->nodeFont;
}

QFont StateDiagramView::labelFont() const
{
    return m_layout->labelFont;
}

namespace {
QTransform fitTransform(const QRectF& target)
{
    const qreal s = std::min(target.width() / kWidth, target.height() / kHeight);
    QTransform t;
    t.translate(target.center().x() - kWidth * s / 2, target.center().y() - kHeight * s / 2);
    t.scale(s, s);
    return t;
}
}

QPointF StateDiagramView::mapToWidget(const QPointF& diagramPos) const
{
    return fitTransform(QRectF(rect())).map(diagramPos);
}

void StateDiagramView::paintTo(QPainter& p, const QRectF& target) const
{
    const Layout& l = *m_layout;
    const Scene& scene = *m_scene;
    const Colours c = coloursFor(palette(), m_presentation);
    const qreal lw = l.lineWidth;

    p.save();
    p.fillRect(target, c.background);
    p.setTransform(fitTransform(target), true);
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);

    // A label on a pill, so a crossing line cannot hide it; `lit` inverts it in that colour.
    auto drawLabel = [&p, &c, &l](const QRectF& rect, const QString& text, const QColor* lit) {
        p.setPen(Qt::NoPen);
        p.setBrush(lit ? *lit : c.labelBackground);
        p.drawRoundedRect(rect, 4, 4);
        p.setFont(l.labelFont);
        p.setPen(lit ? c.background : c.text);
        p.drawText(rect, Qt::AlignCenter, text);
    };
    auto stroke = [&p](const QPainterPath& path, const QColor& colour, qreal width, bool dashed, bool arrow) {
        const qreal head = 7 + width * 2.2;
        QPen pen(colour, width, dashed ? Qt::DashLine : Qt::SolidLine, Qt::FlatCap, Qt::RoundJoin);
        if (dashed)
            pen.setDashPattern({ 4, 2.5 });
        p.setPen(pen);
        p.setBrush(Qt::NoBrush);
        p.drawPath(arrow ? trimmed(path, head * 0.6) : path);
        if (arrow) {
            p.setPen(Qt::NoPen);
            p.setBrush(colour);
            drawArrowHead(p, path, head, head * 0.45);
        }
    };

    // Edges, then what is lit on them: the recent moves softly, the current one strongly.
    auto isCurrent = [&scene](Move m) { return scene.current && scene.current->move == m; };
    auto isRecent = [&scene](Move m) {
        return std::any_of(scene.recent.begin(), scene.recent.end(), [m](const Scene::Lit& x) { return x.move == m; });
    };
    for (const Layout::Edge& e : l.edges) {
        if (!isCurrent(e.move) && !isRecent(e.move))
            stroke(e.path, c.edge, lw, false, true);
    }
    for (const Scene::Lit& x : scene.recent) {
        if (isCurrent(x.move))
            continue;
        const QColor colour = mix(x.notRfc ? c.linuxMove : c.highlight, c.background, m_presentation ? 0.25 : 0.45);
        stroke(x.path, colour, lw * (m_presentation ? 1.6 : 2), x.dashed || x.notRfc, true);
    }
    if (scene.current) {
        const Scene::Lit& x = *scene.current;
        const QColor colour = x.notRfc ? c.linuxMove : c.highlight;
        p.setPen(QPen(withAlpha(colour, 0.22), lw * 7, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        p.setBrush(Qt::NoBrush);
        p.drawPath(x.path);
        stroke(x.path, colour, lw * 2.6, x.dashed || x.notRfc, true);
    }

    // Nodes.
    const QFontMetricsF nm(l.nodeFont), rm(l.rfcFont);
    for (TcpState s : kRfcStates) {
        const QRectF r = l.node(s);
        const bool entered = scene.current && scene.current->move.second == s;
        p.setPen(QPen(entered ? (scene.current->notRfc ? c.linuxMove : c.highlight) : c.nodeBorder,
            entered ? lw * 2.2 : lw * (m_presentation ? 1.2 : 1.1)));
        p.setBrush(c.nodeFill);
        p.drawRoundedRect(r, 9, 9);
        const QString rfc = rfcSpelling(s);
        p.setPen(c.text);
        p.setFont(l.nodeFont);
        if (rfc.isEmpty()) {
            p.drawText(r, Qt::AlignCenter, fromView(stateName(s)));
        } else {
            const qreal total = nm.height() + rm.height();
            const qreal y0 = r.center().y() - total / 2;
            p.drawText(QRectF(r.left(), y0, r.width(), nm.height()), Qt::AlignCenter, fromView(stateName(s)));
            p.setFont(l.rfcFont);
            p.setPen(mix(c.text, c.nodeFill, m_presentation ? 0.1 : 0.3));
            p.drawText(
                QRectF(r.left(), y0 + nm.height(), r.width(), rm.height()), Qt::AlignCenter, tr("RFC: %1").arg(rfc));
        }
    }

    // Edge labels above everything but the tokens, on a pill so a crossing curve cannot hide them.
    for (const Layout::Edge& e : l.edges)
        drawLabel(e.labelRect, e.label, isCurrent(e.move) ? &c.highlight : nullptr);
    for (const Scene::Lit& x : scene.linuxArrows)
        drawLabel(x.labelRect, x.label, &c.linuxMove);

    // Tokens.
    const qreal r = l.tokenRadius;
    for (const Scene::Token& t : scene.tokens) {
        if (t.opacity <= 0.01)
            continue;
        p.save();
        p.setOpacity(t.opacity);
        const QColor colour = c.token(t.side, t.shade);
        if (t.hollow) {
            p.setPen(QPen(colour, r * 0.45));
            p.setBrush(c.background);
            p.drawEllipse(t.pos, r * 0.8, r * 0.8);
        } else {
            p.setPen(QPen(m_presentation ? c.text : colour.darker(c.dark ? 60 : 140), m_presentation ? 2 : 1.2));
            p.setBrush(colour);
            p.drawEllipse(t.pos, r, r);
        }
        if (t.gone) {
            p.setPen(QPen(c.text, 1.5));
            p.drawLine(t.pos + QPointF(-r * 0.5, -r * 0.5), t.pos + QPointF(r * 0.5, r * 0.5));
            p.drawLine(t.pos + QPointF(-r * 0.5, r * 0.5), t.pos + QPointF(r * 0.5, -r * 0.5));
        }
        p.setPen(Qt::NoPen);
        p.setBrush(c.labelBackground);
        p.drawRoundedRect(t.label, 4, 4);
        p.setFont(l.tokenFont);
        p.setPen(m_presentation ? c.text : mix(colour, c.text, 0.35));
        p.drawText(t.label, Qt::AlignCenter, t.text);
        p.restore();
    }

    // Legend.
    {
        const QRectF box = l.legend;
        p.setPen(QPen(mix(c.nodeBorder, c.background, 0.4), 1));
        p.setBrush(withAlpha(c.nodeFill, 0.92));
        p.drawRoundedRect(box, 6, 6);
        const QFontMetricsF lm(l.legendFont);
        const qreal rowHeight = lm.height() + 3;
        const qreal k = m_presentation ? 1.3 : 1.0;
        const qreal x0 = box.left() + 10, x1 = box.left() + 44 * k;
        auto rowY = [&](int i) { return box.top() + 6 + rowHeight * (i + 0.5); };
        auto text = [&](int i, const QString& s) {
            p.setFont(l.legendFont);
            p.setPen(c.text);
            p.drawText(
                QRectF(x1, rowY(i) - rowHeight / 2, box.right() - x1, rowHeight), Qt::AlignLeft | Qt::AlignVCenter, s);
        };
        const qreal lr = std::min(r, rowHeight / 2 - 1.5);
        auto disc = [&](int i, const QColor& colour, bool hollow) {
            const QPointF at(x0 + lr + 2, rowY(i));
            p.setPen(hollow ? QPen(colour, lr * 0.45) : QPen(colour.darker(c.dark ? 60 : 140), 1.2));
            p.setBrush(hollow ? c.background : colour);
            p.drawEllipse(at, hollow ? lr * 0.8 : lr, hollow ? lr * 0.8 : lr);
        };
        auto line = [&](int i, const QColor& colour, qreal width, bool dashed, qreal from) {
            QPainterPath path(QPointF(from, rowY(i)));
            path.lineTo(x1 - 8, rowY(i));
            stroke(path, colour, width, dashed, true);
        };
        disc(0, c.token(Side::Client, 0), false);
        text(0, tr("client side (connect)"));
        disc(1, c.token(Side::Server, 0), false);
        text(1, tr("server side (listen, accept)"));
        disc(2, c.token(Side::Client, 0), true);
        line(2, c.highlight, lw * 1.6, true, x0 + 2 * lr + 5);
        text(2, tr("inferred: not read from the kernel"));
        line(3, c.linuxMove, lw * 1.6, true, x0);
        text(3, tr("Linux-specific move"));
    }

    p.restore();
}

void StateDiagramView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    paintTo(p, QRectF(rect()));
}

QString StateDiagramView::endpointAt(const QPointF& widgetPos) const
{
    const QPointF at = fitTransform(QRectF(rect())).inverted().map(widgetPos);
    const qreal r = m_layout->tokenRadius + 2;
    // Topmost first: tokens are drawn in order, so the last one drawn wins.
    for (auto it = m_scene->tokens.rbegin(); it != m_scene->tokens.rend(); ++it) {
        if (it->opacity <= 0.01)
            continue;
        const QPointF d = at - it->pos;
        if (QPointF::dotProduct(d, d) <= r * r || it->label.contains(at))
            return it->name;
    }
    return {};
}

QString StateDiagramView::toolTipAt(const QPointF& widgetPos) const
{
    const QString name = endpointAt(widgetPos);
    if (!name.isEmpty())
        return m_scene->token(name)->tip;
    const QPointF at = fitTransform(QRectF(rect())).inverted().map(widgetPos);
    QPainterPathStroker stroker;
    stroker.setWidth(10);
    for (const Scene::Lit& x : m_scene->linuxArrows) {
        if (x.labelRect.contains(at) || stroker.createStroke(x.path).contains(at))
            return x.tip;
    }
    if (m_scene->current && m_scene->current->labelRect.contains(at))
        return m_scene->current->tip;
    for (TcpState s : kRfcStates) {
        if (m_layout->node(s).contains(at)) {
            const QString rfc = rfcSpelling(s);
            const QString title
                = rfc.isEmpty() ? fromView(stateName(s)) : tr("%1 (RFC 9293: %2)").arg(fromView(stateName(s)), rfc);
            return title + QLatin1Char('\n') + meaningOf(s);
        }
    }
    for (const Layout::Edge& e : m_layout->edges) {
        if (e.labelRect.contains(at) || stroker.createStroke(e.path).contains(at)) {
            if (m_scene->current && m_scene->current->move == e.move)
                return m_scene->current->tip;
            return fromView(stateName(e.move.first)) + QStringLiteral(" → ") + fromView(stateName(e.move.second))
                + QStringLiteral(": ") + e.label;
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
            QToolTip::showText(help->globalPos(), tip, this);
        }
        return true;
    }
    return QWidget::event(event);
}

void StateDiagramView::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::FontChange) {
        rebuildLayout();
        rebuildScene();
    }
    if (event->type() == QEvent::FontChange || event->type() == QEvent::PaletteChange)
        update();
    QWidget::changeEvent(event);
}

} // namespace synack
