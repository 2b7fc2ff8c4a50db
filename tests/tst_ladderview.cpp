// SPDX-License-Identifier: GPL-3.0-or-later
#include <QApplication>
#include <QHelpEvent>
#include <QImage>
#include <QPainter>
#include <QRegularExpression>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>
#include <QToolTip>

#include "shots.h"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>

#include "ladder/ladderstyle.h"
#include "ladder/ladderview.h"
#include "playback/frame.h"
#include "run/runner.h"
#include "scenario/library.h"
#include "support/recordedtraces.h"
#include "support/tracebuilder.h"
#include "trace/picture.h"

#include "testsupport.h"

#include <QAction>

using namespace synack;
using Item = LadderView::Item;

namespace {

using synack::test::frameOf;
using synack::test::recordedTrace;

Frame fullFrame(const Trace& t)
{
    return frameOf(t, t.events.size());
}

using synack::test::TraceBuilder;

/// listen, connect with an inferred three-way handshake, accept. Indices of the three segments.
struct Handshake {
    Trace trace;
    int syn = -1, synAck = -1, ack = -1;
};

Handshake syntheticHandshake()
{
    TraceBuilder b;
    Handshake h;
    b.step = 0;
    b.state("listener", "", "CLOSE");
    b.call("listener", "listen", "127.0.0.1:40000, backlog 8", "listen listener");
    b.state("listener", "CLOSE", "LISTEN");
    b.step = 1;
    b.state("client", "", "CLOSE");
    b.call("client", "connect", "127.0.0.1:40000", "connect client listener", "blocked");
    b.state("client", "CLOSE", "SYN_SENT", Source::Inferred, "not sampled");
    h.syn = b.segment("client", "client/peer", "SYN", Source::Inferred, 0u);
    b.state("client/peer", "", "SYN_RECV", Source::Inferred, "not sampled");
    h.synAck = b.segment("client/peer", "client", "SYN,ACK", Source::Inferred, 0u, 1u);
    b.state("client", "SYN_SENT", "ESTABLISHED");
    h.ack = b.segment("client", "client/peer", "ACK", Source::Inferred, 1u, 1u);
    b.state("client/peer", "SYN_RECV", "ESTABLISHED");
    b.call("client", "connect", "127.0.0.1:40000", "connect client listener", "completed");
    b.step = 2;
    StepEvent accept;
    accept.line = 12;
    accept.text = "accept listener server";
    accept.endpoint = "listener";
    accept.call = "accept";
    accept.args = "server";
    accept.creates = "server";
    accept.adopts = "client/peer";
    b.add(accept);
    b.state("server", "", "ESTABLISHED");
    h.trace = b.t;
    return h;
}

/// Data, then the server closes with the data unread: RST. Captured, not inferred.
Trace syntheticRst(int* dataIndex, int* rstIndex)
{
    Handshake h = syntheticHandshake();
    TraceBuilder b;
    b.t = h.trace;
    b.now = b.t.events.back().tNs;
    b.step = 3;
    b.call("client", "send", "500 bytes", "send client 500");
    *dataIndex = b.segment("client", "server", "PSH,ACK", Source::Capture, 1u, 1u, 500);
    b.step = 4;
    b.call("server", "close", "", "close server");
    *rstIndex = b.segment("server", "client", "RST", Source::Capture, 1u, 501u);
    b.state("client", "ESTABLISHED", "CLOSE");
    b.gone("server", "ESTABLISHED");
    return b.t;
}

std::vector<Item> itemsOf(const LadderView& view, Item::Kind kind)
{
    std::vector<Item> out;
    for (const Item& it : view.items())
        if (it.kind == kind)
            out.push_back(it);
    return out;
}

// Copies, so that a temporary list of items may be searched.
std::optional<Item> lifeline(const std::vector<Item>& items, const QString& endpoint)
{
    for (const Item& it : items)
        if (it.kind == Item::Lifeline && it.endpoint == endpoint)
            return it;
    return std::nullopt;
}

std::optional<Item> find(const std::vector<Item>& items, Item::Kind kind, int eventIndex)
{
    for (const Item& it : items)
        if (it.kind == kind && it.eventIndex == eventIndex)
            return it;
    return std::nullopt;
}

int findStep(const Trace& t, const std::string& text, Phase phase)
{
    for (std::size_t i = 0; i < t.events.size(); ++i)
        if (const auto* s = t.events[i].as<StepEvent>(); s && s->text == text && s->phase == phase)
            return static_cast<int>(i);
    return -1;
}

QImage render(const LadderView& view)
{
    const QSize size = view.contentSize();
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter p(&image);
    view.paintTo(p, QRectF(QPointF(0, 0), QSizeF(size)));
    p.end();
    return image;
}

/// How many pixels in `r` differ from the background.
int inkIn(const QImage& image, const QRectF& r, QRgb background)
{
    int ink = 0;
    const QRect area = r.toAlignedRect().intersected(image.rect());
    for (int y = area.top(); y <= area.bottom(); ++y)
        for (int x = area.left(); x <= area.right(); ++x)
            if (image.pixel(x, y) != background)
                ++ink;
    return ink;
}

/// A built-in scenario run now, in the lab (where every segment is captured and classified), once
/// per test run. Null when it could not be loaded.
const Trace* kernelTrace(const char* name)
{
    static std::map<std::string, Trace> cache;
    if (auto it = cache.find(name); it != cache.end())
        return &it->second;
    auto parsed = Library::load(name);
    if (!parsed.ok())
        return nullptr;
    RunOptions options;
    options.tier = Tier::Lab;
    Runner runner(*parsed.scenario, options);
    const RunSummary& summary = runner.runAll();
    if (!summary.passed())
        qWarning("%s", qPrintable(QString::fromLatin1(name) + synack::test::failuresText(summary)));
    return &(cache[name] = runner.trace());
}

/// The trace of built-in `name`: run on this kernel ("kernel") or the checked-in one ("recorded").
/// A kernel run needs the lab: the test is skipped (or failed, where the lab is expected) without it.
#define ARROWS_TRACE(source, name)                                                                                     \
    const Trace* tracePtr = nullptr;                                                                                   \
    if (source == QLatin1String("kernel")) {                                                                           \
        SYNACK_REQUIRE_LAB();                                                                                          \
        tracePtr = kernelTrace(name);                                                                                  \
    } else {                                                                                                           \
        tracePtr = &recordedTrace(name);                                                                               \
    }                                                                                                                  \
    QVERIFY(tracePtr);                                                                                                 \
    const Trace& t = *tracePtr

std::vector<int> segmentsWhere(const Trace& t, const std::function<bool(const SegmentEvent&)>& pick)
{
    std::vector<int> out;
    for (std::size_t i = 0; i < t.events.size(); ++i)
        if (const auto* seg = t.events[i].as<SegmentEvent>(); seg && pick(*seg))
            out.push_back(static_cast<int>(i));
    return out;
}

/// Event `i` has no arrow of its own because it is folded into a group's first arrow ("×4 keepalive
/// probes") of the same step.
bool folded(const std::vector<Item>& items, const Trace& t, int i)
{
    const int step = t.events[static_cast<std::size_t>(i)].step;
    return std::any_of(items.begin(), items.end(), [&](const Item& it) {
        return it.kind == Item::Segment && it.note.startsWith(QChar(0xD7))
            && t.events[static_cast<std::size_t>(it.eventIndex)].step == step && it.eventIndex < i;
    });
}

bool causeIs(const SegmentEvent& s, const char* word)
{
    return s.cause.rfind(word, 0) == 0;
}

/// Pixels in `r` close to `c`.
int pixelsLike(const QImage& image, const QRectF& r, const QColor& c)
{
    int n = 0;
    const QRect area = r.toAlignedRect().intersected(image.rect());
    for (int y = area.top(); y <= area.bottom(); ++y)
        for (int x = area.left(); x <= area.right(); ++x) {
            const QColor p = image.pixelColor(x, y);
            if (qAbs(p.red() - c.red()) + qAbs(p.green() - c.green()) + qAbs(p.blue() - c.blue()) < 60)
                ++n;
        }
    return n;
}

void saveScreenshot(const Trace& t, const QString& path, bool presentation = false)
{
    LadderView view;
    view.setFitToWidth(false); // natural size; tst_ladderfit checks the fit
    view.setPresentation(presentation);
    view.setFrame(fullFrame(t));
    QVERIFY(render(view).save(path));
}

} // namespace

class TestLadderView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void clientLeftServerRight()
    {
        const Trace& t = recordedTrace("handshake");
        LadderView view;
        view.setFitToWidth(false); // natural size; tst_ladderfit checks the fit
        view.setFrame(fullFrame(t));
        const auto items = view.items();
        const QRectF wire = view.wireRect();
        QVERIFY(wire.width() > 0);
        const auto client = lifeline(items, QStringLiteral("client"));
        const auto listener = lifeline(items, QStringLiteral("listener"));
        const auto server = lifeline(items, QStringLiteral("server"));
        QVERIFY(client && listener && server);
        QVERIFY(client->line.x1() < wire.left());
        QVERIFY(listener->line.x1() > wire.right());
        QVERIFY(server->line.x1() > wire.right());
        // The accepted connection sits next to the wire, the listener outside it.
        QVERIFY(server->line.x1() < listener->line.x1());
        QVERIFY(view.contentSize().width() >= wire.right());
    }

    void acceptContinuesThePeerLine()
    {
        const Trace& t = recordedTrace("handshake");
        LadderView view;
        view.setFitToWidth(false); // natural size; tst_ladderfit checks the fit
        view.setFrame(fullFrame(t));
        const auto items = view.items();
        QVERIFY(!lifeline(items, QStringLiteral("client/peer"))); // one line, relabelled
        const auto server = lifeline(items, QStringLiteral("server"));
        QVERIFY(server);
        QCOMPARE(server->label, QStringLiteral("client/peer")); // its earlier name
        const auto renames = itemsOf(view, Item::Rename);
        QCOMPARE(renames.size(), std::size_t(1));
        QVERIFY(renames[0].label.contains(QStringLiteral("server")));
        QVERIFY(qAbs(renames[0].rect.center().x() - server->line.x1()) < 1);
        QVERIFY(server->line.y1() < renames[0].rect.top()); // the line began before accept()

        // Before accept() the same line is called client/peer.
        const int acceptIndex = findStep(t, "accept listener server", Phase::Done);
        QVERIFY(acceptIndex > 0);
        view.setFrame(frameOf(t, static_cast<std::size_t>(acceptIndex)));
        QVERIFY(lifeline(view.items(), QStringLiteral("client/peer")));
        QVERIFY(!lifeline(view.items(), QStringLiteral("server")));
    }

    void handshakeArrowsInOrder()
    {
        const Handshake h = syntheticHandshake();
        LadderView view;
        view.setFitToWidth(false); // natural size; tst_ladderfit checks the fit
        view.setFrame(fullFrame(h.trace));
        const auto items = view.items();
        const auto syn = find(items, Item::Segment, h.syn);
        const auto synAck = find(items, Item::Segment, h.synAck);
        const auto ack = find(items, Item::Segment, h.ack);
        QVERIFY(syn && synAck && ack);
        QCOMPARE(syn->label, QStringLiteral("SYN"));
        QCOMPARE(synAck->label, QStringLiteral("SYN,ACK"));
        QCOMPARE(ack->label, QStringLiteral("ACK"));
        QCOMPARE(synAck->detail, QStringLiteral("seq 0  ack 1"));
        // Top to bottom, each slanted downward.
        QVERIFY(syn->line.y2() <= synAck->line.y1());
        QVERIFY(synAck->line.y2() <= ack->line.y1());
        for (const auto& s : { syn, synAck, ack })
            QVERIFY(s->line.y2() > s->line.y1());
        // client -> server, server -> client, client -> server; each crosses the wire.
        const QRectF wire = view.wireRect();
        QVERIFY(syn->line.x1() < wire.left() && syn->line.x2() > wire.right());
        QVERIFY(synAck->line.x1() > wire.right() && synAck->line.x2() < wire.left());
        QVERIFY(ack->line.x1() < wire.left() && ack->line.x2() > wire.right());
        // The SYN goes to client/peer before any event of it: its line is on the server side.
        const auto peer = lifeline(items, QStringLiteral("server"));
        QVERIFY(peer);
        QCOMPARE(syn->line.x2() > peer->line.x1() - 20, true);
        QVERIFY(peer->line.y1() <= syn->line.y2() + 1);
    }

    void realSegmentsJoinTheirEndpoints_data()
    {
        QTest::addColumn<QString>("name");
        for (const char* n : { "handshake", "active-close", "close-unread-rst" })
            QTest::addRow("%s", n) << QString::fromLatin1(n);
    }
    void realSegmentsJoinTheirEndpoints()
    {
        // Whatever segments the engine reports run from the sender's line to the receiver's,
        // top to bottom in trace order.
        QFETCH(QString, name);
        const Trace& t = recordedTrace(name.toStdString());
        LadderView view;
        view.setFitToWidth(false); // natural size; tst_ladderfit checks the fit
        view.setFrame(fullFrame(t));
        const auto items = view.items();
        std::map<QString, double> lineX;
        for (const Item& it : items)
            if (it.kind == Item::Lifeline)
                lineX[it.endpoint] = it.line.x1();
        auto xOf = [&](const std::string& endpoint) {
            // "client/peer" is drawn under the name accept() gave it, once accepted
            for (const Event& e : t.events)
                if (const auto* s = e.as<StepEvent>(); s && s->adopts == endpoint && !s->creates.empty())
                    return lineX[QString::fromStdString(s->creates)];
            return lineX[QString::fromStdString(endpoint)];
        };
        double lastY = 0;
        for (std::size_t i = 0; i < t.events.size(); ++i) {
            const auto* s = t.events[i].as<SegmentEvent>();
            if (!s)
                continue;
            const auto arrow = find(items, Item::Segment, static_cast<int>(i));
            QVERIFY(arrow);
            QVERIFY(arrow->line.y1() >= lastY);
            lastY = arrow->line.y2();
            QVERIFY(qAbs(arrow->line.x1() - xOf(s->from)) < view.diagramFont().pixelSize());
            QVERIFY(qAbs(arrow->line.x2() - xOf(s->to)) < view.diagramFont().pixelSize());
            QCOMPARE(arrow->dashed, s->source == Source::Inferred);
            QCOMPARE(arrow->warning, s->has(kRst));
        }
    }

    void segmentToUnknownEndpoint()
    {
        TraceBuilder b;
        b.step = 0;
        b.state("c", "", "CLOSE");
        b.call("c", "connect", "127.0.0.1:40000", "connect c port=40000", "blocked");
        const int syn = b.segment("c", "c/peer", "SYN", Source::Inferred);
        LadderView view;
        view.setFitToWidth(false); // natural size; tst_ladderfit checks the fit
        view.setFrame(fullFrame(b.t));
        const auto items = view.items();
        const auto peer = lifeline(items, QStringLiteral("c/peer"));
        QVERIFY(peer);
        QVERIFY(peer->line.x1() > view.wireRect().right());
        const auto arrow = find(items, Item::Segment, syn);
        QVERIFY(arrow);
        QVERIFY(arrow->line.x2() > view.wireRect().right());
    }

    void inferredIsDashed()
    {
        int data = -1, rst = -1;
        const Trace t = syntheticRst(&data, &rst);
        const Handshake h = syntheticHandshake();
        LadderView view;
        view.setFitToWidth(false); // natural size; tst_ladderfit checks the fit
        view.setFrame(fullFrame(t));
        const auto items = view.items();
        const auto syn = find(items, Item::Segment, h.syn);
        const auto psh = find(items, Item::Segment, data);
        const auto reset = find(items, Item::Segment, rst);
        QVERIFY(syn && psh && reset);
        QVERIFY(syn->dashed);
        QVERIFY(syn->toolTip.contains(QStringLiteral("implied by SYN_SENT -> ESTABLISHED")));
        QVERIFY(!psh->dashed);
        QVERIFY(!psh->warning);
        QCOMPARE(psh->detail, QStringLiteral("seq 1  ack 1  len 500"));
        QVERIFY(!reset->dashed);
        QVERIFY(reset->warning); // drawn red
        // An inferred state too.
        bool inferredState = false;
        for (const Item& it : items)
            if (it.kind == Item::StateLabel && it.label == QStringLiteral("SYN_SENT")) {
                QVERIFY(it.dashed);
                QVERIFY(it.toolTip.contains(QStringLiteral("not sampled")));
                inferredState = true;
            }
        QVERIFY(inferredState);
        // The server's socket is gone at the end: its line stops there.
        const auto server = lifeline(items, QStringLiteral("server"));
        QVERIFY(server && server->dashed);
        QVERIFY(server->line.y2() < view.contentSize().height() - 20);
    }

    void waitIsAGap()
    {
        TraceBuilder b;
        b.t = syntheticHandshake().trace;
        b.now = b.t.events.back().tNs;
        b.step = 3;
        StepEvent wait;
        wait.line = 20;
        wait.text = "wait 3500ms";
        wait.call = "wait";
        wait.args = "3500 ms";
        const int index = b.add(wait);
        LadderView view;
        view.setFitToWidth(false); // natural size; tst_ladderfit checks the fit
        view.setFrame(fullFrame(b.t));
        const auto items = view.items();
        std::vector<Item> gaps;
        for (const Item& it : items)
            if (it.kind == Item::Wait && it.eventIndex == index)
                gaps.push_back(it);
        // The label in the wire, and a break on each of the three lines alive then.
        QCOMPARE(gaps.size(), std::size_t(4));
        QCOMPARE(gaps[0].label, QStringLiteral("wait 3500 ms"));
        QVERIFY(view.wireRect().contains(gaps[0].rect.center()));
        QVERIFY(!find(items, Item::Call, index)); // not a call box
        QCOMPARE(view.eventAt(gaps[0].rect.center()), index);
        QVERIFY(render(view).save(shotPath(QStringLiteral("ladder-wait.png"))));
    }

    void callBoxes()
    {
        const Trace& t = recordedTrace("refused");
        LadderView view;
        view.setFitToWidth(false); // natural size; tst_ladderfit checks the fit
        view.setFrame(fullFrame(t));
        const int done = findStep(t, "connect client closed", Phase::Done);
        QVERIFY(done > 0);
        const auto box = find(view.items(), Item::Call, done);
        QVERIFY(box);
        QVERIFY(box->warning);
        QVERIFY(box->detail.contains(QStringLiteral("ECONNREFUSED")));
        QVERIFY(box->label.startsWith(QStringLiteral("connect(")));
        const int bind = findStep(t, "bind closed", Phase::Done);
        const auto bindBox = find(view.items(), Item::Call, bind);
        QVERIFY(bindBox && !bindBox->warning);
        QCOMPARE(bindBox->detail, QStringLiteral("= 0"));
        // Step headers carry the statement.
        const auto headers = itemsOf(view, Item::StepHeader);
        QVERIFY(headers.size() >= 2);
        QCOMPARE(headers[1].label, QStringLiteral("connect client closed"));
    }

    void blockedBarSpansToCompletion()
    {
        const Trace& t = recordedTrace("buffer-fill");
        const int blocked = findStep(t, "send client 100k", Phase::Blocked);
        const int completed = findStep(t, "send client 100k", Phase::Completed);
        QVERIFY(blocked > 0 && completed > blocked);
        LadderView view;
        view.setFitToWidth(false); // natural size; tst_ladderfit checks the fit
        view.setFrame(fullFrame(t));
        auto items = view.items();
        const auto from = find(items, Item::Call, blocked);
        const auto to = find(items, Item::Call, completed);
        auto bar = find(items, Item::Blocked, blocked);
        QVERIFY(from && to && bar);
        QVERIFY(from->dashed); // the box says "blocked"
        QVERIFY(!bar->dashed); // closed
        QCOMPARE(bar->rect.top(), from->rect.bottom());
        QCOMPARE(bar->rect.bottom(), to->rect.top());
        QVERIFY(qAbs(bar->rect.center().x() - from->rect.center().x()) < 1);
        QVERIFY(to->detail.contains(QStringLiteral("102400")));

        // Before the completion is revealed the bar runs to the bottom, open.
        view.setFrame(frameOf(t, static_cast<std::size_t>(completed)));
        items = view.items();
        bar = find(items, Item::Blocked, blocked);
        QVERIFY(bar);
        QVERIFY(bar->dashed);
        double lowest = 0;
        for (const Item& it : items)
            if (it.kind == Item::Call || it.kind == Item::StateLabel)
                lowest = std::max(lowest, it.rect.bottom());
        QVERIFY(bar->rect.bottom() > lowest);
    }

    void paintToDrawsItems()
    {
        const Handshake h = syntheticHandshake();
        LadderView view;
        view.setFitToWidth(false); // natural size; tst_ladderfit checks the fit
        view.setFrame(fullFrame(h.trace));
        const QImage image = render(view);
        QCOMPARE(image.size(), view.contentSize());
        const QRgb background = image.pixel(1, image.height() - 2);
        int checked = 0;
        for (const Item& it : view.items()) {
            if (it.kind == Item::Call || it.kind == Item::StateLabel) {
                QVERIFY2(
                    inkIn(image, it.rect, background) > it.rect.width() * it.rect.height() / 2, qPrintable(it.label));
                ++checked;
            } else if (it.kind == Item::Segment) {
                QVERIFY2(inkIn(image, QRectF(it.line.center() - QPointF(3, 3), QSizeF(6, 6)), background) > 0,
                    qPrintable(it.label));
                QVERIFY(inkIn(image, it.labelRect, background) > 10);
                ++checked;
            }
        }
        QVERIFY(checked >= 10);
        // Somewhere with nothing on it stays blank.
        QCOMPARE(inkIn(image, QRectF(image.width() - 8, image.height() - 8, 6, 6), background), 0);
    }

    void paintToScales()
    {
        const Handshake h = syntheticHandshake();
        LadderView view;
        view.setFitToWidth(false); // natural size; tst_ladderfit checks the fit
        view.setFrame(fullFrame(h.trace));
        QImage half(view.contentSize() / 2, QImage::Format_ARGB32_Premultiplied);
        half.fill(Qt::transparent);
        QPainter p(&half);
        view.paintTo(p, QRectF(QPointF(0, 0), QSizeF(half.size())));
        p.end();
        QCOMPARE(half.pixelColor(0, 0).alpha(), 255); // the background is painted
        const auto syn = find(view.items(), Item::Segment, h.syn);
        QVERIFY(syn);
        const QRgb bg = half.pixel(1, half.height() - 2);
        QVERIFY(inkIn(half, QRectF(syn->line.center() / 2 - QPointF(2, 2), QSizeF(4, 4)), bg) > 0);
    }

    void clickEmitsEventIndex()
    {
        const Handshake h = syntheticHandshake();
        LadderView view;
        view.setFitToWidth(false); // natural size; tst_ladderfit checks the fit
        view.resize(1400, 900);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setFrame(fullFrame(h.trace));
        QSignalSpy spy(&view, &LadderView::eventClicked);
        const auto synAck = find(view.items(), Item::Segment, h.synAck);
        QVERIFY(synAck);
        const QPoint offset(view.horizontalScrollBar()->value(), view.verticalScrollBar()->value());
        // A point on the arrow but away from its label.
        const QPointF onArrow = synAck->line.pointAt(0.15);
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, onArrow.toPoint() - offset);
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).toInt(), h.synAck);
        // A call box.
        const int completed = findStep(h.trace, "connect client listener", Phase::Completed);
        const auto box = find(view.items(), Item::Call, completed);
        QVERIFY(box);
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, box->rect.center().toPoint() - offset);
        QCOMPARE(spy.count(), 2);
        QCOMPARE(spy.at(1).at(0).toInt(), completed);
        // Empty space: nothing (and the event goes on to the scroll area).
        QTest::ignoreMessage(QtWarningMsg, "Mouse event \"MousePress\" not accepted by receiving widget");
        QTest::ignoreMessage(QtWarningMsg, "Mouse event \"MouseRelease\" not accepted by receiving widget");
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, QPoint(view.viewport()->width() - 3, 200));
        QCOMPARE(spy.count(), 2);
    }

    void presentationEnlargesFont()
    {
        const Trace& t = recordedTrace("handshake");
        LadderView view;
        view.setFitToWidth(false); // natural size; tst_ladderfit checks the fit
        view.setFrame(fullFrame(t));
        const int normal = view.diagramFont().pixelSize();
        const QSize normalSize = view.contentSize();
        view.setPresentation(true);
        QVERIFY(view.presentation());
        const int big = view.diagramFont().pixelSize();
        QVERIFY2(big >= normal * 1.5, qPrintable(QStringLiteral("%1 -> %2").arg(normal).arg(big)));
        QVERIFY(view.contentSize().width() > normalSize.width());
        QVERIFY(view.contentSize().height() > normalSize.height());
        view.setPresentation(false);
        QCOMPARE(view.diagramFont().pixelSize(), normal);
        QCOMPARE(view.contentSize(), normalSize);
    }

    void progressGrowsNewestArrow_data()
    {
        QTest::addColumn<double>("progress");
        QTest::addRow("start") << 0.0;
        QTest::addRow("half") << 0.5;
        QTest::addRow("most") << 0.8;
        QTest::addRow("done") << 1.0;
    }
    void progressGrowsNewestArrow()
    {
        QFETCH(double, progress);
        const Handshake h = syntheticHandshake();
        LadderView view;
        view.setFitToWidth(false); // natural size; tst_ladderfit checks the fit
        view.setFrame(frameOf(h.trace, static_cast<std::size_t>(h.synAck) + 1, 1.0));
        const Item full = *find(view.items(), Item::Segment, h.synAck);
        const Item synBefore = *find(view.items(), Item::Segment, h.syn);
        view.setFrame(frameOf(h.trace, static_cast<std::size_t>(h.synAck) + 1, progress));
        const Item now = *find(view.items(), Item::Segment, h.synAck);
        QCOMPARE(now.line.p1(), full.line.p1()); // it leaves the sender
        QVERIFY(qAbs(now.line.length() - progress * full.line.length()) < 0.5);
        if (progress > 0)
            QVERIFY(qAbs(now.line.angle() - full.line.angle()) < 0.01);
        // Only the newest one moves; the layout is the same.
        const Item synNow = *find(view.items(), Item::Segment, h.syn);
        QCOMPARE(synNow.line, synBefore.line);
        QCOMPARE(now.rect, full.rect);
    }

    void layoutIsCachedWhileAnimating()
    {
        const Trace& t = recordedTrace("active-close");
        LadderView view;
        view.setFitToWidth(false); // natural size; tst_ladderfit checks the fit
        view.resize(900, 500);
        view.setFrame(frameOf(t, t.events.size() / 2, 0.0));
        const auto before = view.items();
        for (int i = 1; i <= 60; ++i)
            view.setFrame(frameOf(t, t.events.size() / 2, i / 60.0));
        const auto after = view.items();
        QCOMPARE(after.size(), before.size());
        for (std::size_t i = 0; i < before.size(); ++i)
            QCOMPARE(after[i].rect, before[i].rect);
    }

    void largeTraceIsCheap()
    {
        // A few thousand events: a data exchange repeated.
        TraceBuilder b;
        b.t = syntheticHandshake().trace;
        b.now = b.t.events.back().tNs;
        for (int i = 0; i < 700; ++i) {
            b.step = 3 + i;
            b.call("client", "send", "100 bytes", "send client 100");
            b.segment("client", "server", "PSH,ACK", Source::Capture, 1u + 100u * static_cast<unsigned>(i), 1u, 100);
            b.segment("server", "client", "ACK", Source::Capture, 1u, 101u + 100u * static_cast<unsigned>(i));
            b.call("server", "recv", "available", "recv server available");
        }
        const Trace& t = b.t;
        QVERIFY(t.events.size() > 2800);
        std::vector<Frame> frames;
        for (int i = 0; i <= 60; ++i)
            frames.push_back(frameOf(t, t.events.size(), i / 60.0));
        LadderView view;
        view.setFitToWidth(false); // natural size; tst_ladderfit checks the fit
        view.resize(1200, 800);
        view.setFrame(frameOf(t, t.events.size() - 1)); // a new trace: prepared and laid out
        view.setFrame(frames.front()); // one more event: laid out again
        const std::size_t layouts = view.layoutCount();
        QCOMPARE(layouts, std::size_t(2));
        for (const Frame& f : frames) // a second of animation: no layout
            view.setFrame(f);
        QCOMPARE(view.layoutCount(), layouts);
        // The viewport paints a ladder many screens long.
        QVERIFY(view.contentSize().height() > 20 * view.viewport()->height());
        QImage image(view.viewport()->size(), QImage::Format_ARGB32_Premultiplied);
        view.viewport()->render(&image);
    }

    void newestIsScrolledIntoView()
    {
        const Trace& t = recordedTrace("buffer-fill");
        LadderView view;
        view.setFitToWidth(false); // natural size; tst_ladderfit checks the fit
        view.resize(700, 300);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        for (std::size_t n = 1; n <= t.events.size(); ++n)
            view.setFrame(frameOf(t, n));
        QScrollBar* bar = view.verticalScrollBar();
        QVERIFY(bar->maximum() > 0);
        QVERIFY(bar->value() > bar->maximum() / 2);
        // The last call box is in the viewport, below the pinned names.
        const auto last = find(view.items(), Item::Call, findStep(t, "shutdown client wr", Phase::Done));
        QVERIFY(last);
        QVERIFY(last->rect.top() >= bar->value());
        QVERIFY(last->rect.bottom() <= bar->value() + view.viewport()->height());
        // Stepping back to the start scrolls up again.
        view.setFrame(frameOf(t, 3));
        QCOMPARE(view.verticalScrollBar()->value(), 0);
    }

    void timeWaitCountsDown()
    {
        const Trace& t = recordedTrace("active-close");
        LadderView view;
        view.setFitToWidth(false); // natural size; tst_ladderfit checks the fit
        Frame f = fullFrame(t);
        view.setFrame(f);
        auto timers = itemsOf(view, Item::Timer);
        QVERIFY(!timers.empty());
        const QString first = timers.back().label;
        QVERIFY(first.contains(QStringLiteral("time-wait")));
        f.nowNs += 30'000'000'000; // 30 s later
        view.setFrame(f);
        timers = itemsOf(view, Item::Timer);
        QVERIFY(timers.back().label != first);
        QVERIFY(timers.back().label.contains(QStringLiteral(" s left")));
    }

    void everyScenarioLaysOut_data()
    {
        QTest::addColumn<QString>("name");
        for (const char* n : { "handshake", "active-close", "buffer-fill", "refused", "backlog-full",
                 "timewait-reuseaddr", "close-unread-rst", "half-close" })
            QTest::addRow("%s", n) << QString::fromLatin1(n);
    }
    void everyScenarioLaysOut()
    {
        QFETCH(QString, name);
        const Trace& t = recordedTrace(name.toStdString());
        LadderView view;
        view.setFitToWidth(false); // natural size; tst_ladderfit checks the fit
        view.setFrame(fullFrame(t));
        const QSize size = view.contentSize();
        const auto items = view.items();
        std::vector<const Item*> boxes;
        for (const Item& it : items) {
            QVERIFY2(
                QRectF(QPointF(0, 0), QSizeF(size)).adjusted(-1, -1, 1, 1).contains(it.rect), qPrintable(it.label));
            if (it.kind == Item::Call || it.kind == Item::StateLabel || it.kind == Item::Rename)
                boxes.push_back(&it);
        }
        // Nothing written over anything else.
        for (std::size_t i = 0; i < boxes.size(); ++i)
            for (std::size_t j = i + 1; j < boxes.size(); ++j)
                QVERIFY2(!boxes[i]->rect.intersects(boxes[j]->rect),
                    qPrintable(boxes[i]->label + QStringLiteral(" / ") + boxes[j]->label));
        // Every call, segment and state change of the trace is drawn.
        for (std::size_t i = 0; i < t.events.size(); ++i) {
            const Event& e = t.events[i];
            Item::Kind kind;
            if (const auto* s = e.as<StepEvent>())
                kind = s->call == "wait" ? Item::Wait : Item::Call;
            else if (e.as<SegmentEvent>())
                kind = Item::Segment;
            else if (e.as<StateEvent>())
                kind = Item::StateLabel;
            else
                continue;
            QVERIFY2(find(items, kind, static_cast<int>(i)), qPrintable(QString::number(i)));
        }
    }

    void arrowsCountFromEachSidesIsn_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addRow("recorded") << QStringLiteral("recorded");
        QTest::addRow("kernel") << QStringLiteral("kernel");
    }
    void arrowsCountFromEachSidesIsn()
    {
        QFETCH(QString, source);
        ARROWS_TRACE(source, "handshake");
        const auto segs = segmentsWhere(t, [](const SegmentEvent&) { return true; });
        QVERIFY(segs.size() >= 3);
        LadderView view;
        view.setFitToWidth(false); // natural size; tst_ladderfit checks the fit
        view.setFrame(fullFrame(t));
        QVERIFY(!view.absoluteSequence());
        const auto items = view.items();
        const auto syn = find(items, Item::Segment, segs[0]);
        const auto synAck = find(items, Item::Segment, segs[1]);
        const auto ack = find(items, Item::Segment, segs[2]);
        QVERIFY(syn && synAck && ack);
        QCOMPARE(syn->label, QStringLiteral("SYN"));
        QCOMPARE(synAck->label, QStringLiteral("SYN,ACK"));
        // Counted from each side's ISN, with the window each one advertised.
        const auto win = [&t](int i) { return *t.events[static_cast<std::size_t>(i)].as<SegmentEvent>()->window; };
        QCOMPARE(syn->detail, QStringLiteral("seq 0  win %1").arg(win(segs[0])));
        QCOMPARE(synAck->detail, QStringLiteral("seq 0  ack 1  win %1").arg(win(segs[1])));
        QCOMPARE(ack->detail, QStringLiteral("seq 1  ack 1  win %1").arg(win(segs[2])));
        const SegmentEvent& synAckSeg = *t.events[static_cast<std::size_t>(segs[1])].as<SegmentEvent>();

        // The toggle: the numbers as sent, ten digits, and back.
        QAction* absolute = view.absoluteSequenceAction();
        QVERIFY(absolute && absolute->isCheckable() && !absolute->isChecked());
        absolute->trigger();
        QVERIFY(view.absoluteSequence());
        auto abs = find(view.items(), Item::Segment, segs[1]);
        QVERIFY(abs);
        QCOMPARE(abs->detail,
            QStringLiteral("seq %1  ack %2  win %3").arg(*synAckSeg.seq).arg(*synAckSeg.ack).arg(*synAckSeg.window));
        view.setAbsoluteSequence(false);
        QVERIFY(!absolute->isChecked());
        QCOMPARE(find(view.items(), Item::Segment, segs[1])->detail, synAck->detail);
    }

    void absoluteNumbersInTheToolTip()
    {
        const Trace& t = recordedTrace("handshake");
        const auto segs = segmentsWhere(t, [](const SegmentEvent& s) { return s.has(kSyn) && s.has(kAck); });
        QCOMPARE(segs.size(), std::size_t(1));
        const SegmentEvent& seg = *t.events[static_cast<std::size_t>(segs[0])].as<SegmentEvent>();
        LadderView view;
        view.setFitToWidth(false); // natural size; tst_ladderfit checks the fit
        view.resize(1200, 900);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setFrame(frameOf(t, static_cast<std::size_t>(segs[0]) + 1));
        const auto item = find(view.items(), Item::Segment, segs[0]);
        QVERIFY(item);
        QHelpEvent help(QEvent::ToolTip,
            (item->labelRect.center() - QPointF(view.horizontalScrollBar()->value(), view.verticalScrollBar()->value()))
                .toPoint(),
            QPoint());
        QApplication::sendEvent(view.viewport(), &help);
        QTRY_VERIFY(QToolTip::isVisible());
        const QString tip = QToolTip::text();
        QVERIFY2(tip.contains(QStringLiteral("seq %1 (relative 0)").arg(*seg.seq)), qPrintable(tip));
        QVERIFY2(tip.contains(QStringLiteral("ack %1 (relative 1)").arg(*seg.ack)), qPrintable(tip));
        QToolTip::hideText();
    }

    void zeroWindowIsRed_data() { arrowsCountFromEachSidesIsn_data(); }
    void zeroWindowIsRed()
    {
        QFETCH(QString, source);
        ARROWS_TRACE(source, "buffer-fill");
        const auto zero = segmentsWhere(t, [](const SegmentEvent& s) { return s.window == 0u && !s.has(kRst); });
        const auto open = segmentsWhere(t, [](const SegmentEvent& s) { return s.window > 0u && !s.has(kRst); });
        QVERIFY2(!zero.empty(), "buffer-fill's receiver advertises a zero window");
        QVERIFY(!open.empty());
        LadderView view;
        view.setFitToWidth(false); // natural size; tst_ladderfit checks the fit
        view.setFrame(fullFrame(t));
        const auto items = view.items();
        const QImage image = render(view);
        const QColor red = LadderStyle::make(view.palette(), false).rst;
        for (int i : zero) {
            const auto it = find(items, Item::Segment, i);
            if (!it && folded(items, t, i))
                continue;
            QVERIFY(it);
            QVERIFY2(it->detail.contains(QStringLiteral("win 0")) && !it->detail.contains(QStringLiteral("win 0 ")),
                qPrintable(it->detail));
            QCOMPARE(it->detail.mid(it->alertFrom, it->alertLength), QStringLiteral("win 0"));
            QVERIFY2(pixelsLike(image, it->detailRect, red) > 5, qPrintable(it->detail));
        }
        for (int i : open) {
            const auto it = find(items, Item::Segment, i);
            if (!it && folded(items, t, i))
                continue;
            QVERIFY(it);
            QVERIFY(it->detail.contains(QStringLiteral("win ")) && !it->detail.contains(QStringLiteral("win 0")));
            QCOMPARE(it->alertFrom, -1);
            if (!it->warning)
                QCOMPARE(pixelsLike(image, it->detailRect, red), 0);
        }
        // Data carries its length.
        const auto data = segmentsWhere(t, [](const SegmentEvent& s) { return s.length > 0; });
        QVERIFY(!data.empty());
        for (int i : data) {
            const SegmentEvent& seg = *t.events[static_cast<std::size_t>(i)].as<SegmentEvent>();
            if (!find(items, Item::Segment, i) && folded(items, t, i))
                continue;
            QVERIFY(find(items, Item::Segment, i)->detail.endsWith(QStringLiteral("len %1").arg(seg.length)));
        }
    }

    void causeTags_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("name");
        for (const char* source : { "recorded", "kernel" })
            for (const char* n : { "buffer-fill", "backlog-full" })
                QTest::addRow("%s %s", source, n) << QString::fromLatin1(source) << QString::fromLatin1(n);
        QTest::addRow("kernel keepalive") << QStringLiteral("kernel") << QStringLiteral("keepalive");
    }
    void causeTags()
    {
        QFETCH(QString, source);
        QFETCH(QString, name);
        const std::string scenario = name.toStdString();
        ARROWS_TRACE(source, scenario.c_str());
        // The wire classifier's causes and the tag the arrow must carry for each.
        const std::vector<std::pair<const char*, QString>> tags { { "retransmission",
                                                                      QStringLiteral("retransmission") },
            { "delayed ACK", QStringLiteral("delayed ACK") }, { "keepalive probe", QStringLiteral("keepalive probe") },
            { "window probe", QStringLiteral("zero-window probe") },
            { "window update after recv", QStringLiteral("window update") },
            { "duplicate ACK", QStringLiteral("duplicate ACK") } };
        LadderView view;
        view.setFitToWidth(false); // natural size; tst_ladderfit checks the fit
        view.setFrame(fullFrame(t));
        const auto items = view.items();
        int tagged = 0;
        for (std::size_t i = 0; i < t.events.size(); ++i) {
            const auto* seg = t.events[i].as<SegmentEvent>();
            if (!seg)
                continue;
            const auto it = find(items, Item::Segment, static_cast<int>(i));
            const auto tag
                = std::find_if(tags.begin(), tags.end(), [&](const auto& c) { return causeIs(*seg, c.first); });
            if (!it && folded(items, t, static_cast<int>(i))) {
                tagged += tag != tags.end();
                continue;
            }
            QVERIFY(it);
            if (tag == tags.end()) { // the call that sent it, or an answer: no tag
                if (it->end == Item::Arrives)
                    QVERIFY2(it->note.isEmpty(),
                        qPrintable(it->note + QStringLiteral(" for ") + QString::fromStdString(seg->cause)));
                continue;
            }
            ++tagged;
            if (it->note.startsWith(QChar(0xD7))) // the first of a group: "×4 keepalive probes"
                continue;
            QVERIFY2(it->note.startsWith(tag->second),
                qPrintable(it->note + QStringLiteral(" for ") + QString::fromStdString(seg->cause)));
            // A retransmission says which one and how long after the first it left.
            if (seg->cause.find(", +") != std::string::npos)
                QVERIFY2(it->note.contains(QRegularExpression(QStringLiteral("^retransmission \\d+, \\+[0-9.]+ s"))),
                    qPrintable(it->note));
        }
        const std::map<QString, int> least { { QStringLiteral("buffer-fill"), 2 },
            { QStringLiteral("backlog-full"), 1 }, { QStringLiteral("keepalive"), 2 } };
        QVERIFY2(tagged >= least.at(name), qPrintable(QString::number(tagged)));
        if (name == QLatin1String("keepalive")) {
            QVERIFY(!segmentsWhere(t, [](const SegmentEvent& s) { return causeIs(s, "keepalive probe"); }).empty());
        }
    }

    void fullAcceptQueueDropsTheSyn_data() { arrowsCountFromEachSidesIsn_data(); }
    void fullAcceptQueueDropsTheSyn()
    {
        QFETCH(QString, source);
        ARROWS_TRACE(source, "backlog-full");
        // c3's first SYN reaches the listener while its queue is over the backlog: never answered.
        const auto firstSyn = segmentsWhere(t, [](const SegmentEvent& s) { return s.from == "c3" && s.flags == kSyn; });
        QVERIFY(firstSyn.size() >= 2); // sent, and sent again when the timer fired
        LadderView view;
        view.setFitToWidth(false); // natural size; tst_ladderfit checks the fit
        view.setFrame(fullFrame(t));
        const auto items = view.items();
        const auto dropped = find(items, Item::Segment, firstSyn.front());
        QVERIFY(dropped);
        QCOMPARE(dropped->end, Item::Refused);
        QVERIFY2(
            dropped->note.contains(QStringLiteral("dropped: accept queue full (inferred)")), qPrintable(dropped->note));
        // The one sent again was answered: it arrives.
        const auto again = find(items, Item::Segment, firstSyn.back());
        QVERIFY(again);
        QCOMPARE(again->end, Item::Arrives);
        QVERIFY(!again->note.contains(QStringLiteral("dropped")));
        // No other arrow of the run was dropped, and none of a run with room in its queue.
        for (const Item& it : items)
            if (it.kind == Item::Segment && it.eventIndex != firstSyn.front())
                QVERIFY(it.end != Item::Refused);
        LadderView other;
        other.setFrame(fullFrame(recordedTrace("handshake")));
        for (const Item& it : other.items())
            QVERIFY(it.end != Item::Refused);
    }

    void repeatsFoldIntoOneArrow_data() { arrowsCountFromEachSidesIsn_data(); }
    void repeatsFoldIntoOneArrow()
    {
        QFETCH(QString, source);
        Trace synthetic;
        const Trace* tracePtr = &synthetic;
        if (source == QLatin1String("kernel")) {
            SYNACK_REQUIRE_LAB();
            tracePtr = kernelTrace("keepalive");
            QVERIFY(tracePtr);
        } else { // four keepalive probes in one step, each answered, as the wire classifier names them
            Handshake h = syntheticHandshake();
            TraceBuilder b;
            b.t = h.trace;
            b.now = b.t.events.back().tNs;
            b.step = 3;
            for (int n = 0; n < 4; ++n) {
                const int probe = b.segment("client", "server", "ACK", Source::Capture, 0u, 1u);
                b.t.events[static_cast<std::size_t>(probe)].edit<SegmentEvent>()->cause = "keepalive probe";
                const int answer = b.segment("server", "client", "ACK", Source::Capture, 1u, 1u);
                b.t.events[static_cast<std::size_t>(answer)].edit<SegmentEvent>()->cause = "answers keepalive probe";
            }
            synthetic = b.t;
        }
        const Trace& t = *tracePtr;
        const auto probes = segmentsWhere(t, [](const SegmentEvent& s) { return s.cause == "keepalive probe"; });
        const auto answers
            = segmentsWhere(t, [](const SegmentEvent& s) { return s.cause == "answers keepalive probe"; });
        QVERIFY2(probes.size() >= 3, qPrintable(QString::number(probes.size())));
        LadderView view;
        view.setFitToWidth(false); // natural size; tst_ladderfit checks the fit
        view.resize(1400, 900);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setFrame(fullFrame(t));
        // Folded: the first probe stands for all, with their number; the rest and the answers are not drawn.
        const auto head = find(view.items(), Item::Segment, probes.front());
        QVERIFY(head);
        QCOMPARE(head->note, QStringLiteral("×%1 keepalive probes").arg(probes.size()));
        for (std::size_t k = 1; k < probes.size(); ++k)
            QVERIFY(!find(view.items(), Item::Segment, probes[k]));
        for (int a : answers)
            QVERIFY(!find(view.items(), Item::Segment, a));
        // A click on it draws each, with its own tag; another folds them again.
        QSignalSpy clicked(&view, &LadderView::eventClicked);
        const auto click = [&view](const QRectF& r) {
            const QPoint at
                = (r.center() - QPointF(view.horizontalScrollBar()->value(), view.verticalScrollBar()->value()))
                      .toPoint();
            QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, at);
        };
        click(head->labelRect);
        QCOMPARE(clicked.size(), 1);
        for (int p : probes) {
            const auto it = find(view.items(), Item::Segment, p);
            QVERIFY(it);
            QCOMPARE(it->note, QStringLiteral("keepalive probe"));
        }
        for (int a : answers)
            QVERIFY(find(view.items(), Item::Segment, a));
        click(find(view.items(), Item::Segment, probes.front())->labelRect);
        QCOMPARE(clicked.size(), 2);
        QVERIFY(!find(view.items(), Item::Segment, probes.back()));
        QCOMPARE(find(view.items(), Item::Segment, probes.front())->note,
            QStringLiteral("×%1 keepalive probes").arg(probes.size()));
    }

    void screenshots()
    {
        saveScreenshot(recordedTrace("handshake"), shotPath(QStringLiteral("ladder-handshake.png")));
        saveScreenshot(recordedTrace("active-close"), shotPath(QStringLiteral("ladder-active-close.png")));
        saveScreenshot(
            recordedTrace("active-close"), shotPath(QStringLiteral("ladder-active-close-presentation.png")), true);
        int data = -1, rst = -1;
        saveScreenshot(syntheticRst(&data, &rst), shotPath(QStringLiteral("ladder-rst.png")));
        saveScreenshot(recordedTrace("buffer-fill"), shotPath(QStringLiteral("ladder-buffer-fill.png")));
        saveScreenshot(recordedTrace("backlog-full"), shotPath(QStringLiteral("ladder-backlog-full.png")));

        // The widget itself in a dark palette, scrolled: the names stay pinned at the top.
        const Trace& t = recordedTrace("active-close");
        LadderView view;
        view.setFitToWidth(false); // natural size; tst_ladderfit checks the fit
        QPalette dark;
        dark.setColor(QPalette::Base, QColor(0x1E, 0x1F, 0x22));
        dark.setColor(QPalette::Window, QColor(0x2B, 0x2D, 0x30));
        dark.setColor(QPalette::Text, QColor(0xE8, 0xE8, 0xE8));
        dark.setColor(QPalette::WindowText, QColor(0xE8, 0xE8, 0xE8));
        dark.setColor(QPalette::Highlight, QColor(0x3D, 0x7E, 0xD6));
        view.setPalette(dark);
        view.resize(1000, 640);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setFrame(frameOf(t, t.events.size() * 2 / 3, 0.5));
        QVERIFY(view.verticalScrollBar()->value() > 0);
        QTRY_VERIFY(view.verticalScrollBar()->isVisible()); // shown by a queued call
        QVERIFY(view.grab().save(shotPath(QStringLiteral("ladder-widget-dark.png"))));
    }
};

QTEST_MAIN(TestLadderView)
#include "tst_ladderview.moc"
