// SPDX-License-Identifier: GPL-3.0-or-later
// The ladder of the gated lab, from traces recorded there (tests/data/traces/gate-*.json, recorded
// with `synack run FILE --json` from tests/data/gate/*.synack): a held segment stops at the gate in
// the middle of the wire and goes on from there when it is delivered; a dropped one and one lost
// on a cut wire end in a cross on the wire; the gate's actions are marks on the wire.
#include <QTest>

#include <algorithm>
#include <optional>

#include "ladder/ladderview.h"
#include "playback/frame.h"
#include "support/recordedtraces.h"

using namespace synack;
using Item = LadderView::Item;

namespace {

using synack::test::frameOf;
using synack::test::recordedTrace;

/// The index of the first event of `t` that `pred` likes, or -1.
template <class T, class P> int firstEvent(const Trace& t, P pred)
{
    for (std::size_t i = 0; i < t.events.size(); ++i)
        if (const auto* e = t.events[i].as<T>(); e && pred(*e))
            return static_cast<int>(i);
    return -1;
}

std::optional<Item> itemOf(const std::vector<Item>& items, Item::Kind kind, int eventIndex)
{
    auto it = std::find_if(
        items.begin(), items.end(), [&](const Item& i) { return i.kind == kind && i.eventIndex == eventIndex; });
    return it == items.end() ? std::nullopt : std::optional<Item>(*it);
}

/// The x of an endpoint's line.
double lineX(const std::vector<Item>& items, const QString& endpoint)
{
    for (const Item& i : items)
        if (i.kind == Item::Lifeline && i.endpoint == endpoint)
            return i.line.x1();
    return -1;
}

} // namespace

class TestLadderWire : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void heldSegmentWaitsAtTheGate()
    {
        const Trace& t = recordedTrace("gate-slow");
        QCOMPARE(t.tier, Tier::Gated);
        const int syn = firstEvent<SegmentEvent>(t, [](const SegmentEvent& s) { return s.fate == "held"; });
        QVERIFY(syn >= 0);
        const std::int64_t frame = t.events[static_cast<std::size_t>(syn)].as<SegmentEvent>()->frame;
        // Up to the step where the SYN waits: its arrow stops in the middle of the wire.
        LadderView view;
        view.resize(1024, 768);
        view.setFrame(frameOf(t, static_cast<std::size_t>(syn) + 1));
        auto items = view.items();
        const auto held = itemOf(items, Item::Segment, syn);
        QVERIFY(held);
        QCOMPARE(held->end, Item::Held);
        QCOMPARE(held->frame, frame);
        QCOMPARE(held->label, QStringLiteral("SYN"));
        QVERIFY(!held->heldLabel.isEmpty()); // "held", beside the gate
        const QRectF wire = view.wireRect();
        QVERIFY2(std::abs(held->line.p2().x() - wire.center().x()) < 1.0,
            qPrintable(QStringLiteral("%1 vs %2").arg(held->line.p2().x()).arg(wire.center().x())));
        QVERIFY(held->line.p1().x() < wire.left()); // from the client's line
        QVERIFY(held->line.p2().y() > held->line.p1().y()); // slanting down, as time goes on
        QVERIFY(wire.contains(held->heldRect.center()));
        QVERIFY(held->heldRect.left() > held->line.p2().x()); // on the server's side of the gate

        // Delivered: the same frame's arrow goes on from the gate to the receiver, lower down.
        const int deliver
            = firstEvent<GateEvent>(t, [&](const GateEvent& g) { return g.action == "deliver" && g.frame == frame; });
        QVERIFY(deliver > syn);
        view.setFrame(frameOf(t, t.events.size()));
        items = view.items();
        const auto on = itemOf(items, Item::Segment, deliver);
        QVERIFY(on);
        QVERIFY(on->fromGate);
        QCOMPARE(on->end, Item::Arrives);
        QCOMPARE(on->frame, frame);
        QVERIFY(std::abs(on->line.p1().x() - wire.center().x()) < 1.0);
        QVERIFY(on->line.p2().x() > wire.right()); // at the server's side
        QVERIFY(on->line.p1().y() > held->line.p2().y());
        // The hold and the pass are marks on the wire.
        const int hold = firstEvent<GateEvent>(t, [](const GateEvent& g) { return g.action == "hold"; });
        const auto mark = itemOf(items, Item::GateMark, hold);
        QVERIFY(mark);
        QVERIFY(wire.contains(mark->rect.center()));
    }

    void droppedSegmentEndsInACross()
    {
        const Trace& t = recordedTrace("gate-dropfin");
        const int drop = firstEvent<GateEvent>(t, [](const GateEvent& g) { return g.action == "drop"; });
        QVERIFY(drop >= 0);
        const std::int64_t frame = t.events[static_cast<std::size_t>(drop)].as<GateEvent>()->frame;
        const int fin = firstEvent<SegmentEvent>(t, [&](const SegmentEvent& s) { return s.frame == frame; });
        QVERIFY(fin >= 0 && fin < drop);
        LadderView view;
        view.resize(1280, 720);
        view.setPresentation(true);
        view.setFrame(frameOf(t, t.events.size()));
        const auto items = view.items();
        const QRectF wire = view.wireRect();
        const auto waited = itemOf(items, Item::Segment, fin);
        QVERIFY(waited);
        QCOMPARE(waited->end, Item::Held);
        const auto dropped = itemOf(items, Item::Segment, drop);
        QVERIFY(dropped);
        QCOMPARE(dropped->end, Item::Crossed);
        QCOMPARE(dropped->frame, frame);
        QVERIFY(dropped->label.startsWith(QStringLiteral("FIN")));
        QVERIFY(std::abs(dropped->line.p2().x() - wire.center().x()) < 1.0);
        QVERIFY(dropped->line.p2().y() > waited->line.p2().y());
        QVERIFY(!dropped->note.isEmpty()); // "dropped at the gate"
        // The retransmission that follows says so.
        const int again = firstEvent<SegmentEvent>(
            t, [](const SegmentEvent& s) { return s.cause.rfind("retransmission", 0) == 0; });
        QVERIFY(again > drop);
        const auto retrans = itemOf(items, Item::Segment, again);
        QVERIFY(retrans);
        QVERIFY2(retrans->note.contains(QStringLiteral("retransmission")), qPrintable(retrans->note));
    }

    void segmentsOnACutWireAreLost()
    {
        const Trace& t = recordedTrace("gate-cut");
        const int lost = firstEvent<SegmentEvent>(t, [](const SegmentEvent& s) { return s.fate == "cut"; });
        QVERIFY(lost >= 0);
        LadderView view;
        view.resize(1366, 768);
        view.setFrame(frameOf(t, t.events.size()));
        const auto items = view.items();
        const QRectF wire = view.wireRect();
        const auto seg = itemOf(items, Item::Segment, lost);
        QVERIFY(seg);
        QCOMPARE(seg->end, Item::Crossed);
        QVERIFY(std::abs(seg->line.p2().x() - wire.center().x()) < 1.0);
        QVERIFY(seg->line.p2().x() < lineX(items, QStringLiteral("server")));
        // The cut wire: a band down the middle from the cut to the mend, over the lost segment.
        const auto band
            = std::find_if(items.begin(), items.end(), [](const Item& i) { return i.kind == Item::GateBand; });
        QVERIFY(band != items.end());
        QVERIFY(band->rect.top() < seg->line.p2().y() && band->rect.bottom() > seg->line.p2().y());
        QVERIFY(std::abs(band->rect.center().x() - wire.center().x()) < 1.0);
        // A segment of the mended wire crosses all of it.
        const int after = firstEvent<SegmentEvent>(
            t, [](const SegmentEvent& s) { return s.fate == "passed" && s.from == "server"; });
        QVERIFY(after > lost);
        const auto crossed = itemOf(items, Item::Segment, after);
        QVERIFY(crossed);
        QCOMPARE(crossed->end, Item::Arrives);
        QVERIFY(crossed->line.p2().x() < wire.left());
    }

    void stepsBackLayOutTheSameAsAtOnce()
    {
        // Revealing a gated trace event by event gives the items laying it out at once gives.
        const Trace& t = recordedTrace("gate-dropfin");
        LadderView stepped, once;
        for (std::size_t i = 1; i <= t.events.size(); ++i)
            stepped.setFrame(frameOf(t, i));
        once.setFrame(frameOf(t, t.events.size()));
        const auto a = stepped.items(), b = once.items();
        QCOMPARE(a.size(), b.size());
        for (std::size_t i = 0; i < a.size(); ++i) {
            QCOMPARE(a[i].kind, b[i].kind);
            QCOMPARE(a[i].eventIndex, b[i].eventIndex);
            QCOMPARE(a[i].line, b[i].line);
            QCOMPARE(a[i].end, b[i].end);
        }
    }
};

QTEST_MAIN(TestLadderWire)
#include "tst_ladderwire.moc"
