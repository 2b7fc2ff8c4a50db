// SPDX-License-Identifier: GPL-3.0-or-later
#include <QImage>
#include <QPainter>
#include <QPainterPath>
#include <QPainterPathStroker>
#include <QSignalSpy>
#include <QTest>

#include "shots.h"

#include <map>
#include <set>

#include "diagram/statediagramview.h"
#include "playback/frame.h"
#include "support/recordedtraces.h"

using namespace synack;

namespace {

using synack::test::frameOf;

const Trace& traceOf(const std::string& name)
{
    return synack::test::recordedTrace(name);
}

/// Index of the first state event of `endpoint` going from `from` to `to`, or -1.
int indexOf(const Trace& t, const std::string& endpoint, const std::string& from, const std::string& to)
{
    for (std::size_t i = 0; i < t.events.size(); ++i) {
        const auto* s = t.events[i].as<StateEvent>();
        if (s && s->endpoint == endpoint && (s->from ? std::string(stateName(*s->from)) : std::string()) == from
            && stateName(s->to) == to)
            return static_cast<int>(i);
    }
    return -1;
}

QString nameOf(TcpState s)
{
    const auto n = stateName(s);
    return QString::fromLatin1(n.data(), static_cast<qsizetype>(n.size()));
}

/// A rectangle grown by `m` on every side.
QRectF grown(const QRectF& r, qreal m)
{
    return r.adjusted(-m, -m, m, m);
}

/// Whether an endpoint's token rests at a node: tokens sit in a row just below their node.
bool onNode(const StateDiagramView& view, const QString& endpoint, TcpState state)
{
    const auto pos = view.tokenPosition(endpoint);
    return pos && grown(view.nodeRect(state), 24).contains(*pos);
}

QImage render(const StateDiagramView& view, QSize size)
{
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter p(&image);
    view.paintTo(p, QRectF(QPointF(), QSizeF(size)));
    p.end();
    return image;
}

} // namespace

class TestStateDiagramView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void allElevenNodesApart()
    {
        StateDiagramView view;
        const QRectF canvas(QPointF(), QSizeF(view.contentSize()));
        for (std::size_t i = 0; i < std::size(kRfcStates); ++i) {
            const QRectF a = view.nodeRect(kRfcStates[i]);
            QVERIFY2(!a.isEmpty(), qPrintable(nameOf(kRfcStates[i])));
            QVERIFY(canvas.contains(a));
            QCOMPARE(view.nodeCenter(kRfcStates[i]), a.center());
            for (std::size_t j = i + 1; j < std::size(kRfcStates); ++j) {
                const QRectF b = view.nodeRect(kRfcStates[j]);
                QVERIFY2(!grown(a, 20).intersects(b),
                    qPrintable(nameOf(kRfcStates[i]) + QStringLiteral(" / ") + nameOf(kRfcStates[j])));
            }
        }
        // The classic layout: CLOSED on top, LISTEN below it, SYN_RECV left and SYN_SENT right,
        // the active close down the left, the passive close down the right, TIME_WAIT at the bottom.
        auto c = [&view](TcpState s) { return view.nodeCenter(s); };
        QVERIFY(c(TcpState::Close).y() < c(TcpState::Listen).y());
        QVERIFY(c(TcpState::SynRecv).x() < c(TcpState::Established).x());
        QVERIFY(c(TcpState::SynSent).x() > c(TcpState::Established).x());
        QVERIFY(c(TcpState::FinWait1).x() < c(TcpState::Established).x());
        QVERIFY(c(TcpState::FinWait2).y() > c(TcpState::FinWait1).y());
        QVERIFY(c(TcpState::CloseWait).x() > c(TcpState::Established).x());
        QVERIFY(c(TcpState::LastAck).y() > c(TcpState::CloseWait).y());
        for (TcpState s : kRfcStates)
            QVERIFY(c(TcpState::TimeWait).y() >= c(s).y());
    }

    void edgesFollowRfc9293()
    {
        StateDiagramView view;
        const auto edges = StateDiagramView::rfcEdges();
        // Exactly tcp's table: the figure has no edge list of its own.
        QCOMPARE(edges.size(), std::size(kRfcEdges));
        for (std::size_t i = 0; i < edges.size(); ++i)
            QCOMPARE(edges[i], StateDiagramView::Move(kRfcEdges[i].from, kRfcEdges[i].to));
        for (TcpState from : kRfcStates)
            for (TcpState to : kRfcStates)
                QCOMPARE(!view.edgePath(from, to).isEmpty(), rfcEdge(from, to) != nullptr);
        for (const auto& [from, to] : edges) {
            const QString what = nameOf(from) + QStringLiteral("→") + nameOf(to);
            QVERIFY2(isDirectTransition(from, to), qPrintable(what));
            const QPainterPath path = view.edgePath(from, to);
            QVERIFY2(!path.isEmpty(), qPrintable(what));
            // From the border of one node to the border of the other.
            QVERIFY2(grown(view.nodeRect(from), 1).contains(path.pointAtPercent(0)), qPrintable(what));
            QVERIFY2(grown(view.nodeRect(to), 1).contains(path.pointAtPercent(1)), qPrintable(what));
            QVERIFY2(!view.edgeLabelRect(from, to).isEmpty(), qPrintable(what));
        }
        QVERIFY(view.edgePath(TcpState::Established, TcpState::Close).isEmpty()); // Linux only
    }

    void labelsCollideWithNothing_data()
    {
        QTest::addColumn<bool>("presentation");
        QTest::addRow("normal") << false;
        QTest::addRow("presentation") << true;
    }
    void labelsCollideWithNothing()
    {
        QFETCH(bool, presentation);
        StateDiagramView view;
        view.setPresentation(presentation);
        const auto edges = StateDiagramView::rfcEdges();
        const QRectF canvas(QPointF(), QSizeF(view.contentSize()));
        QPainterPathStroker stroker;
        stroker.setWidth(presentation ? 4 : 3);
        for (const auto& e : edges) {
            const QRectF label = view.edgeLabelRect(e.first, e.second);
            const QString what = nameOf(e.first) + QStringLiteral("→") + nameOf(e.second);
            QVERIFY2(canvas.contains(label), qPrintable(what));
            for (TcpState s : kRfcStates)
                QVERIFY2(!label.intersects(view.nodeRect(s)), qPrintable(what + QStringLiteral(" on ") + nameOf(s)));
            for (const auto& other : edges) {
                const QString against = what + QStringLiteral(" against ") + nameOf(other.first) + QStringLiteral("→")
                    + nameOf(other.second);
                QVERIFY2(!stroker.createStroke(view.edgePath(other.first, other.second)).intersects(label),
                    qPrintable(against));
                if (other != e)
                    QVERIFY2(!label.intersects(view.edgeLabelRect(other.first, other.second)), qPrintable(against));
            }
        }
    }

    void linuxAbortsKeepClear_data()
    {
        QTest::addColumn<int>("from");
        QTest::addColumn<bool>("presentation");
        for (TcpState s : { TcpState::SynRecv, TcpState::Established, TcpState::FinWait1, TcpState::FinWait2,
                 TcpState::Closing, TcpState::CloseWait }) {
            QTest::addRow("%s", qPrintable(nameOf(s))) << int(s) << false;
            QTest::addRow("%s presentation", qPrintable(nameOf(s))) << int(s) << true;
        }
    }
    void linuxAbortsKeepClear()
    {
        QFETCH(int, from);
        QFETCH(bool, presentation);
        const auto s = static_cast<TcpState>(from);
        StateDiagramView view;
        view.setPresentation(presentation);
        QVERIFY(view.edgePath(s, TcpState::Close).isEmpty());
        const QPainterPath path = view.movePath(s, TcpState::Close);
        QVERIFY(!path.isEmpty());
        QVERIFY(grown(view.nodeRect(s), 1).contains(path.pointAtPercent(0)));
        QVERIFY(grown(view.nodeRect(TcpState::Close), 1).contains(path.pointAtPercent(1)));
        // It runs round the other nodes, not through them.
        for (int i = 0; i <= 200; ++i) {
            const QPointF p = path.pointAtPercent(i / 200.0);
            for (TcpState other : kRfcStates) {
                if (other != s && other != TcpState::Close)
                    QVERIFY2(!view.nodeRect(other).contains(p), qPrintable(nameOf(other)));
            }
        }
        // Its label is clear of every node, every RFC label and line, and its own arrow.
        const QRectF label = view.moveLabelRect(s, TcpState::Close);
        QVERIFY(QRectF(QPointF(), QSizeF(view.contentSize())).contains(label));
        QPainterPathStroker stroker;
        stroker.setWidth(3);
        QVERIFY(!stroker.createStroke(path).intersects(label));
        for (TcpState n : kRfcStates)
            QVERIFY2(!label.intersects(view.nodeRect(n)), qPrintable(nameOf(n)));
        for (const auto& e : StateDiagramView::rfcEdges()) {
            const QString what = nameOf(e.first) + QStringLiteral("→") + nameOf(e.second);
            QVERIFY2(!label.intersects(view.edgeLabelRect(e.first, e.second)), qPrintable(what));
            // Nor does the arrow disappear under an RFC label.
            QVERIFY2(!stroker.createStroke(path).intersects(view.edgeLabelRect(e.first, e.second)), qPrintable(what));
            QVERIFY2(!stroker.createStroke(view.edgePath(e.first, e.second)).intersects(label), qPrintable(what));
        }
    }

    void legendKeepsClear_data() { labelsCollideWithNothing_data(); }
    void legendKeepsClear()
    {
        QFETCH(bool, presentation);
        StateDiagramView view;
        view.setPresentation(presentation);
        const QRectF legend = view.legendRect();
        QVERIFY(QRectF(QPointF(), QSizeF(view.contentSize())).contains(legend));
        for (TcpState s : kRfcStates)
            QVERIFY(!legend.intersects(view.nodeRect(s)));
        for (const auto& e : StateDiagramView::rfcEdges()) {
            QVERIFY(!legend.intersects(view.edgeLabelRect(e.first, e.second)));
            QVERIFY(!view.edgePath(e.first, e.second).intersects(legend));
        }
        // Nor does it cover a token waiting in FIN_WAIT2, the node just above it.
        const Trace& t = traceOf("active-close");
        const int i = indexOf(t, "client", "FIN_WAIT1", "FIN_WAIT2");
        QVERIFY(i >= 0);
        view.setFrame(frameOf(t, static_cast<std::size_t>(i) + 1));
        QVERIFY(onNode(view, QStringLiteral("client"), TcpState::FinWait2));
        QVERIFY(!view.tokenBounds(QStringLiteral("client")).intersects(legend));
    }

    void handshakeEndsEstablished()
    {
        const Trace& t = traceOf("handshake");
        StateDiagramView view;
        view.setFrame(frameOf(t, t.events.size()));
        QVERIFY(onNode(view, QStringLiteral("client"), TcpState::Established));
        QVERIFY(onNode(view, QStringLiteral("server"), TcpState::Established));
        QVERIFY(onNode(view, QStringLiteral("listener"), TcpState::Listen));
        // The accepted socket is the former "client/peer": one token, under its new name.
        QVERIFY(view.tokenPosition(QStringLiteral("server")));
        QVERIFY(!view.tokenPosition(QStringLiteral("client/peer")));
        QCOMPARE(view.tokenOpacity(QStringLiteral("client")), 1.0);
        QVERIFY(!view.tokenHollow(QStringLiteral("client")));
        // The last event is not a state change: nothing is being animated, recent moves stay lit.
        QVERIFY(!t.events.back().as<StateEvent>() || !view.highlightedEdge());
        const auto recent = view.recentEdges();
        QVERIFY(
            std::find(recent.begin(), recent.end(), StateDiagramView::Move(TcpState::SynSent, TcpState::Established))
            != recent.end());
    }

    void minimumTextZoomsInOnTheAction_data()
    {
        QTest::addColumn<bool>("presentation");
        QTest::addColumn<QSize>("size");
        QTest::addColumn<double>("minPx");
        QTest::addRow("laptop") << false << QSize(560, 320) << 12.0;
        QTest::addRow("projector") << true << QSize(560, 480) << 20.0;
    }

    void minimumTextZoomsInOnTheAction()
    {
        QFETCH(bool, presentation);
        QFETCH(QSize, size);
        QFETCH(double, minPx);
        const Trace& t = traceOf("handshake");
        const int i = indexOf(t, "client", "SYN_SENT", "ESTABLISHED");
        QVERIFY(i >= 0);
        StateDiagramView view;
        view.setPresentation(presentation);
        view.resize(size);
        Frame f = frameOf(t, std::size_t(i) + 1);
        f.progress = 0.5;
        view.setFrame(f);
        QVERIFY(view.smallestTextPixels() < minPx); // the whole diagram: too small to read
        view.setMinimumTextPixels(minPx);
        QVERIFY2(view.smallestTextPixels() >= minPx - 0.01, qPrintable(QString::number(view.smallestTextPixels())));
        // The move being animated stays in view, with the node it goes to.
        const QRectF shown = view.visibleDiagramRect();
        QVERIFY(shown.contains(view.nodeRect(TcpState::Established).center()));
        QVERIFY(shown.contains(*view.tokenPosition(QStringLiteral("client"))));
        QCOMPARE(view.mapToWidget(view.nodeCenter(TcpState::Established)),
            view.widgetTransform().map(view.nodeCenter(TcpState::Established)));
        // A double click shows the whole diagram again.
        QTest::mouseDClick(&view, Qt::LeftButton, {}, QPoint(2, 2));
        QVERIFY(view.showWhole());
        QVERIFY(view.smallestTextPixels() < minPx);
    }

    void tokenTravelsItsEdge()
    {
        const Trace& t = traceOf("handshake");
        const int i = indexOf(t, "client", "SYN_SENT", "ESTABLISHED");
        QVERIFY(i >= 0);
        StateDiagramView view;
        const QString client = QStringLiteral("client");

        view.setFrame(frameOf(t, static_cast<std::size_t>(i) + 1, 0.0));
        QVERIFY(onNode(view, client, TcpState::SynSent));

        view.setFrame(frameOf(t, static_cast<std::size_t>(i) + 1, 0.5));
        QCOMPARE(view.highlightedEdge(), StateDiagramView::Move(TcpState::SynSent, TcpState::Established));
        QVERIFY(!view.highlightIsDashed()); // the kernel reported ESTABLISHED
        const QPointF mid = *view.tokenPosition(client);
        const QPointF from = view.nodeCenter(TcpState::SynSent), to = view.nodeCenter(TcpState::Established);
        QVERIFY2(mid.y() > from.y() && mid.y() < to.y(), qPrintable(QStringLiteral("y %1").arg(mid.y())));
        QVERIFY2(mid.x() < from.x() && mid.x() > to.x(), qPrintable(QStringLiteral("x %1").arg(mid.x())));
        QVERIFY(!onNode(view, client, TcpState::SynSent));
        QVERIFY(!onNode(view, client, TcpState::Established));
        // On the edge itself, mid-way.
        QPainterPathStroker stroker;
        stroker.setWidth(4);
        QVERIFY(stroker.createStroke(view.edgePath(TcpState::SynSent, TcpState::Established)).contains(mid));

        view.setFrame(frameOf(t, static_cast<std::size_t>(i) + 1, 1.0));
        QVERIFY(onNode(view, client, TcpState::Established));
    }

    void inferredMoveIsDashed()
    {
        const Trace& t = traceOf("handshake");
        const int i = indexOf(t, "client", "CLOSE", "SYN_SENT");
        QVERIFY(i >= 0);
        QCOMPARE(t.events[static_cast<std::size_t>(i)].as<StateEvent>()->source, Source::Inferred);
        StateDiagramView view;
        view.resize(view.contentSize());
        view.setFrame(frameOf(t, static_cast<std::size_t>(i) + 1, 0.5));
        QCOMPARE(view.highlightedEdge(), StateDiagramView::Move(TcpState::Close, TcpState::SynSent));
        QVERIFY(view.highlightIsDashed());
        QVERIFY(view.tokenHollow(QStringLiteral("client")));
        const QString tip = view.toolTipAt(view.mapToWidget(*view.tokenPosition(QStringLiteral("client"))));
        QVERIFY2(
            tip.contains(QStringLiteral("Inferred")) && tip.contains(QStringLiteral("not sampled")), qPrintable(tip));
        // The client's next move was read from the kernel: solid again.
        const int next = indexOf(t, "client", "SYN_SENT", "ESTABLISHED");
        QVERIFY(next > i);
        view.setFrame(frameOf(t, static_cast<std::size_t>(next) + 1, 0.5));
        QVERIFY(!view.highlightIsDashed());
        QVERIFY(!view.tokenHollow(QStringLiteral("client")));
    }

    void appearingTokenFadesIn()
    {
        const Trace& t = traceOf("handshake");
        const int i = indexOf(t, "client", "", "CLOSE");
        QVERIFY(i >= 0);
        StateDiagramView view;
        view.setFrame(frameOf(t, static_cast<std::size_t>(i) + 1, 0.25));
        QCOMPARE(view.tokenOpacity(QStringLiteral("client")), 0.25);
        QVERIFY(!view.highlightedEdge());
        QVERIFY(onNode(view, QStringLiteral("client"), TcpState::Close));
        view.setFrame(frameOf(t, static_cast<std::size_t>(i) + 1, 1.0));
        QCOMPARE(view.tokenOpacity(QStringLiteral("client")), 1.0);
    }

    void tokensDoNotOverlap_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<int>("crowd"); // at least this many sockets share a state at some point
        QTest::addColumn<bool>("presentation");
        for (bool presentation : { false, true }) {
            const char* mode = presentation ? "presentation" : "normal";
            QTest::addRow("backlog-full %s", mode) << QStringLiteral("backlog-full") << 3 << presentation;
            QTest::addRow("timewait-reuseaddr %s", mode) << QStringLiteral("timewait-reuseaddr") << 3 << presentation;
            QTest::addRow("simultaneous-close %s", mode) << QStringLiteral("simultaneous-close") << 2 << presentation;
        }
    }
    void tokensDoNotOverlap()
    {
        QFETCH(QString, scenario);
        QFETCH(int, crowd);
        QFETCH(bool, presentation);
        const Trace& t = traceOf(scenario.toStdString());
        StateDiagramView view;
        view.setPresentation(presentation);
        const QRectF canvas(QPointF(), QSizeF(view.contentSize()));
        int most = 0;
        for (std::size_t n = 1; n <= t.events.size(); ++n) {
            const Frame f = frameOf(t, n);
            view.setFrame(f);
            std::vector<std::pair<QString, QRectF>> bounds;
            std::map<std::string, int> perState;
            for (const EndpointView& v : f.picture.endpoints) {
                const QString name = QString::fromStdString(v.name);
                if (!v.state || !view.tokenPosition(name) || view.tokenOpacity(name) == 0)
                    continue;
                bounds.emplace_back(name, view.tokenBounds(name));
                most = std::max(most, ++perState[v.stateText()]);
            }
            for (std::size_t a = 0; a < bounds.size(); ++a) {
                const QString at = QStringLiteral("event %1: %2").arg(n).arg(bounds[a].first);
                QVERIFY2(canvas.contains(bounds[a].second), qPrintable(at));
                for (TcpState s : kRfcStates)
                    QVERIFY2(!bounds[a].second.intersects(view.nodeRect(s)),
                        qPrintable(at + QStringLiteral(" on ") + nameOf(s)));
                for (const auto& e : StateDiagramView::rfcEdges()) {
                    QVERIFY2(!bounds[a].second.intersects(view.edgeLabelRect(e.first, e.second)),
                        qPrintable(at + QStringLiteral(" on the label of ") + nameOf(e.first) + QStringLiteral("→")
                            + nameOf(e.second)));
                }
                for (std::size_t b = a + 1; b < bounds.size(); ++b)
                    QVERIFY2(!bounds[a].second.intersects(bounds[b].second),
                        qPrintable(at + QStringLiteral(" / ") + bounds[b].first));
            }
        }
        QVERIFY2(most >= crowd, qPrintable(QString::number(most)));
    }

    void abortIsALinuxMove()
    {
        const Trace& t = traceOf("close-unread-rst");
        const int i = indexOf(t, "server", "ESTABLISHED", "CLOSE");
        QVERIFY(i >= 0);
        StateDiagramView view;
        view.resize(view.contentSize());
        view.setFrame(frameOf(t, static_cast<std::size_t>(i) + 1, 0.5));
        const StateDiagramView::Move abort(TcpState::Established, TcpState::Close);
        QCOMPARE(view.highlightedEdge(), abort);
        const auto moves = view.linuxMoves();
        QVERIFY(std::find(moves.begin(), moves.end(), abort) != moves.end());
        // The token rides the Linux arrow, not some RFC edge.
        QVERIFY(!onNode(view, QStringLiteral("server"), TcpState::Established));
        QVERIFY(!onNode(view, QStringLiteral("server"), TcpState::Close));

        // The kernel no longer has the server's socket: its token is gone, the arrow stays while
        // it is the sockets' last move. The client's socket is still there, in CLOSE.
        view.setFrame(frameOf(t, t.events.size()));
        QVERIFY(!view.highlightedEdge());
        QVERIFY(view.linuxMoves() == std::vector<StateDiagramView::Move> { abort });
        QVERIFY(!view.tokenPosition(QStringLiteral("server")));
        QCOMPARE(view.tokenOpacity(QStringLiteral("client")), 1.0);
        QVERIFY(onNode(view, QStringLiteral("client"), TcpState::Close));
    }

    void goneSocketFadesOutAtClose()
    {
        const Trace& t = traceOf("active-close");
        const int i = indexOf(t, "server", "LAST_ACK", "CLOSE");
        QVERIFY(i >= 0);
        StateDiagramView view;
        const QString server = QStringLiteral("server");
        view.setFrame(frameOf(t, static_cast<std::size_t>(i) + 1, 0.3));
        QCOMPARE(view.highlightedEdge(), StateDiagramView::Move(TcpState::LastAck, TcpState::Close));
        QVERIFY(view.linuxMoves().empty()); // an RFC edge
        QCOMPARE(view.tokenOpacity(server), 1.0); // travelling
        view.setFrame(frameOf(t, static_cast<std::size_t>(i) + 1, 0.6));
        QVERIFY(view.tokenOpacity(server) > 0 && view.tokenOpacity(server) < 1); // fading at CLOSE
        view.setFrame(frameOf(t, static_cast<std::size_t>(i) + 1, 1.0));
        QCOMPARE(view.tokenOpacity(server), 0.0);
        QVERIFY(view.endpointAt(view.mapToWidget(*view.tokenPosition(server))).isEmpty());

        view.setFrame(frameOf(t, t.events.size()));
        QVERIFY(!view.tokenPosition(server));
        QVERIFY(onNode(view, QStringLiteral("client"), TcpState::TimeWait));
        const auto recent = view.recentEdges();
        QVERIFY(std::find(recent.begin(), recent.end(), StateDiagramView::Move(TcpState::FinWait2, TcpState::TimeWait))
            != recent.end());
        QVERIFY(std::find(recent.begin(), recent.end(), StateDiagramView::Move(TcpState::LastAck, TcpState::Close))
            != recent.end());
    }

    void toolTips()
    {
        const Trace& t = traceOf("close-unread-rst");
        StateDiagramView view;
        view.resize(view.contentSize());
        view.setFrame(frameOf(t, t.events.size()));
        auto tipAt = [&view](QPointF diagram) { return view.toolTipAt(view.mapToWidget(diagram)); };
        QVERIFY(tipAt(view.nodeCenter(TcpState::TimeWait)).contains(QStringLiteral("2×MSL")));
        QVERIFY(tipAt(view.nodeCenter(TcpState::Close)).contains(QStringLiteral("CLOSED")));
        const QString token = tipAt(*view.tokenPosition(QStringLiteral("client")));
        QVERIFY2(token.contains(QStringLiteral("client")) && token.contains(QStringLiteral("CLOSE"))
                && token.contains(QStringLiteral("kernel")),
            qPrintable(token));
        const int i = indexOf(t, "server", "ESTABLISHED", "CLOSE");
        view.setFrame(frameOf(t, static_cast<std::size_t>(i) + 1, 0.5));
        QVERIFY(tipAt(*view.tokenPosition(QStringLiteral("server"))).contains(QStringLiteral("no longer")));
        const QString arrow = tipAt(view.moveLabelRect(TcpState::Established, TcpState::Close).center());
        QVERIFY2(
            arrow.contains(QStringLiteral("Linux")) && arrow.contains(QStringLiteral("SO_LINGER")), qPrintable(arrow));
        const QString edge = tipAt(view.edgeLabelRect(TcpState::TimeWait, TcpState::Close).center());
        QVERIFY2(edge.contains(QStringLiteral("2MSL")), qPrintable(edge));
        QVERIFY(tipAt({ 2, 2 }).isEmpty());
    }

    void clickingATokenNamesIt()
    {
        const Trace& t = traceOf("handshake");
        StateDiagramView view;
        view.resize(900, 675);
        view.setFrame(frameOf(t, t.events.size()));
        QSignalSpy spy(&view, &StateDiagramView::endpointClicked);
        const QPoint at = view.mapToWidget(*view.tokenPosition(QStringLiteral("listener"))).toPoint();
        QCOMPARE(view.endpointAt(at), QStringLiteral("listener"));
        QTest::mouseClick(&view, Qt::LeftButton, {}, at);
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).toString(), QStringLiteral("listener"));
        QTest::mouseClick(&view, Qt::LeftButton, {}, QPoint(3, 3));
        QCOMPARE(spy.count(), 1);
    }

    void paintsSomething()
    {
        const Trace& t = traceOf("handshake");
        StateDiagramView view;
        view.setFrame(frameOf(t, t.events.size()));
        const QImage image = render(view, QSize(600, 450));
        std::set<QRgb> colours;
        int opaque = 0;
        for (int y = 0; y < image.height(); y += 2) {
            for (int x = 0; x < image.width(); x += 2) {
                colours.insert(image.pixel(x, y));
                opaque += qAlpha(image.pixel(x, y)) == 255;
            }
        }
        QVERIFY2(colours.size() > 20, qPrintable(QString::number(colours.size())));
        QCOMPARE(opaque, (image.width() / 2) * (image.height() / 2)); // the background is painted
        // Keeps its aspect ratio in a wide target: the nodes land in the middle.
        QImage wide(1200, 300, QImage::Format_ARGB32_Premultiplied);
        wide.fill(Qt::transparent);
        QPainter p(&wide);
        view.paintTo(p, QRectF(0, 0, 1200, 300));
        p.end();
        QVERIFY(wide.pixel(5, 150) == wide.pixel(10, 10)); // plain background beside the figure
    }

    void presentationEnlargesType()
    {
        StateDiagramView view;
        const QFont node = view.nodeFont(), label = view.labelFont();
        const QImage normal = render(view, QSize(600, 450));
        view.setPresentation(true);
        QVERIFY(view.presentation());
        QVERIFY(view.nodeFont().pixelSize() > node.pixelSize());
        QVERIFY(view.labelFont().pixelSize() > label.pixelSize());
        QVERIFY(render(view, QSize(600, 450)) != normal);
        view.setPresentation(false);
        QCOMPARE(view.nodeFont().pixelSize(), node.pixelSize());
    }

    void screenshots()
    {
        StateDiagramView view;
        const QSize size(1200, 800);
        auto save = [&view, size](const QString& path) {
            QVERIFY(render(view, size).save(path));
            qInfo("wrote %s", qPrintable(path));
        };
        {
            const Trace& t = traceOf("active-close");
            view.setFrame(frameOf(t, t.events.size()));
            save(shotPath(QStringLiteral("diagram-active-close.png")));
        }
        {
            const Trace& t = traceOf("handshake");
            const int i = indexOf(t, "client", "SYN_SENT", "ESTABLISHED");
            view.setFrame(frameOf(t, static_cast<std::size_t>(i) + 1, 0.5));
            save(shotPath(QStringLiteral("diagram-handshake.png")));
            QVERIFY(render(view, QSize(520, 420)).save(shotPath(QStringLiteral("diagram-small.png"))));
        }
        // More states of the figure, to look at: an abort, a crowded node, presentation, a dark theme.
        {
            const Trace& t = traceOf("close-unread-rst");
            const int i = indexOf(t, "server", "ESTABLISHED", "CLOSE");
            view.setFrame(frameOf(t, static_cast<std::size_t>(i) + 1, 0.6));
            save(shotPath(QStringLiteral("diagram-abort.png")));
        }
        {
            const Trace& t = traceOf("backlog-full");
            view.setFrame(frameOf(t, t.events.size()));
            save(shotPath(QStringLiteral("diagram-backlog-full.png")));
            view.setPresentation(true);
            save(shotPath(QStringLiteral("diagram-presentation.png")));
            view.setPresentation(false);
        }
        {
            // Every abort Linux makes, at once (a made-up trace: one socket per state).
            Trace t;
            for (const char* from : { "SYN_RECV", "ESTABLISHED", "FIN_WAIT1", "FIN_WAIT2", "CLOSING", "CLOSE_WAIT" }) {
                StateEvent appear;
                appear.endpoint = std::string("x-") + from;
                appear.to = *stateFromName(from);
                StateEvent abort = appear;
                abort.from = appear.to;
                abort.to = TcpState::Close;
                t.events.push_back({ 0, 0, appear });
                t.events.push_back({ 0, 0, abort });
            }
            view.setFrame(Frame::at(t, t.events.size(), 1.0, Frame::newRevision()));
            QCOMPARE(view.linuxMoves().size(), std::size_t(6));
            save(shotPath(QStringLiteral("diagram-linux-aborts.png")));
            QVERIFY(view.tokenBounds(QStringLiteral("x-CLOSE_WAIT")).bottom() < view.nodeRect(TcpState::Listen).top());
            view.setPresentation(true);
            save(shotPath(QStringLiteral("diagram-linux-aborts-presentation.png")));
            view.setPresentation(false);
        }
        {
            const Trace& t = traceOf("timewait-reuseaddr");
            view.setFrame(frameOf(t, t.events.size()));
            save(shotPath(QStringLiteral("diagram-timewait-reuseaddr.png")));
        }
        {
            const Trace& t = traceOf("simultaneous-close");
            view.setFrame(frameOf(t, t.events.size()));
            QPalette dark(QColor(0x30, 0x30, 0x30), QColor(0x20, 0x20, 0x22));
            dark.setColor(QPalette::WindowText, QColor(0xe8, 0xe8, 0xe8));
            dark.setColor(QPalette::Base, QColor(0x2a, 0x2a, 0x2c));
            view.setPalette(dark);
            save(shotPath(QStringLiteral("diagram-dark.png")));
            view.setPresentation(true);
            save(shotPath(QStringLiteral("diagram-dark-presentation.png")));
        }
    }
};

QTEST_MAIN(TestStateDiagramView)
#include "tst_statediagramview.moc"
