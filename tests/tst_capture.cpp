// SPDX-License-Identifier: GPL-3.0-or-later
// Segments captured in the lab (tier 1): what the wire carried, checked for consistency with
// itself (seq/ack across a handshake and a teardown) and with the kernel's own counters, and the
// whole built-in library run under the lab with every expectation holding.
#include <QDir>
#include <QFile>
#include <QTest>

#include <cstring>
#include <map>
#include <set>

#include "lab/capture.h"
#include "lab/lab.h"
#include "scenario/library.h"
#include "run/runner.h"
#include "golden.h"
#include "ordering.h"
#include "testsupport.h"

using namespace synack;
using synack::test::failuresText;

namespace {

std::vector<SegmentEvent> segments(const Trace& t)
{
    std::vector<SegmentEvent> out;
    for (const Event& e : t.events)
        if (const auto* s = e.as<SegmentEvent>())
            out.push_back(*s);
    return out;
}

QString describe(const SegmentEvent& s)
{
    return QString::fromStdString(s.from + " " + s.flagsText() + " " + s.to);
}

QStringList describeAll(const std::vector<SegmentEvent>& segs)
{
    QStringList out;
    for (const SegmentEvent& s : segs)
        out << describe(s);
    return out;
}

/// The last value the kernel reported for an endpoint's counter (BuffersEvent).
std::int64_t lastCounter(const Trace& t, const std::string& endpoint, std::int64_t BuffersEvent::*field)
{
    std::int64_t v = -1;
    for (const Event& e : t.events)
        if (const auto* b = e.as<BuffersEvent>(); b && b->endpoint == endpoint && b->*field >= 0)
            v = b->*field;
    return v;
}
}

class TestCapture : public QObject {
    Q_OBJECT
private:
    std::map<std::string, Trace> m_traces;
    std::map<std::string, std::size_t> m_packets;

    const Trace* traceOf(const char* name)
    {
        auto it = m_traces.find(name);
        if (it != m_traces.end())
            return &it->second;
        auto parsed = Library::load(name);
        if (!parsed.ok())
            return nullptr;
        RunOptions options;
        options.tier = Tier::Lab;
        Runner runner(*parsed.scenario, options);
        const RunSummary& s = runner.runAll();
        if (!s.passed())
            qWarning("%s", qPrintable(QString::fromLatin1(name) + failuresText(s)));
        m_packets[name] = runner.capturedPackets().size();
        return &(m_traces[name] = runner.trace());
    }

private Q_SLOTS:
    void initTestCase()
    {
        SYNACK_REQUIRE_LAB();
    }

    void handshakeIsSynSynAckAck()
    {
        const Trace* t = traceOf("handshake");
        QVERIFY(t);
        QCOMPARE(t->tier, Tier::Lab);
        const auto segs = segments(*t);
        QCOMPARE(describeAll(segs),
            QStringList({ QStringLiteral("client SYN client/peer"), QStringLiteral("client/peer SYN,ACK client"),
                QStringLiteral("client ACK client/peer") }));
        for (const SegmentEvent& s : segs) {
            QCOMPARE(s.source, Source::Capture);
            QVERIFY(s.seq && s.wireNs && s.frame > 0 && s.rawWindow);
        }
        const SegmentEvent &syn = segs[0], &synAck = segs[1], &ack = segs[2];
        // RFC 9293 3.5: each SYN takes one sequence number; each side acknowledges the other's.
        QVERIFY(!syn.ack);
        QCOMPARE(*synAck.ack, *syn.seq + 1);
        QCOMPARE(*ack.seq, *syn.seq + 1);
        QCOMPARE(*ack.ack, *synAck.seq + 1);
        QCOMPARE(*syn.relSeq, 0u);
        QCOMPARE(*synAck.relSeq, 0u);
        QCOMPARE(*synAck.relAck, 1u);
        QCOMPARE(*ack.relSeq, 1u);
        QCOMPARE(*ack.relAck, 1u);
        // Linux offers every option on a SYN; a SYN's window is never scaled (RFC 7323 2.2),
        // later ones are, by the scale the sender offered.
        for (const SegmentEvent* s : { &syn, &synAck }) {
            QVERIFY(s->options.mss && s->options.wscale && s->options.sackPermitted && s->options.tsVal);
            QCOMPARE(s->wscale, 0);
            QCOMPARE(*s->window, *s->rawWindow);
        }
        QCOMPARE(ack.wscale, int(*syn.options.wscale));
        QCOMPARE(*ack.window, *ack.rawWindow << *syn.options.wscale);
        QVERIFY(ack.options.tsVal && !ack.options.mss);
        // Why each was sent, and the step it belongs to: the connect (step 1).
        QCOMPARE(syn.cause, std::string("connect"));
        QCOMPARE(synAck.cause, std::string("answers SYN"));
        QCOMPARE(ack.cause, std::string("answers SYN,ACK"));
        for (const Event& e : t->events)
            if (e.as<SegmentEvent>())
                QCOMPARE(e.step, 1);
        // In wire order, and no earlier than the wire.
        QVERIFY(*syn.wireNs <= *synAck.wireNs && *synAck.wireNs <= *ack.wireNs);
        for (const Event& e : t->events)
            if (const auto* s = e.as<SegmentEvent>())
                QVERIFY(e.tNs >= *s->wireNs);
        // The capture agrees with the kernel's counters: two segments out of the client, one into
        // it. (The server's side cannot say: its request socket sent the SYN,ACK, and the full
        // socket that replaced it counts from zero.)
        QCOMPARE(lastCounter(*t, "client", &BuffersEvent::segsOut), 2);
        QCOMPARE(lastCounter(*t, "client", &BuffersEvent::segsIn), 1);
    }

    void closeWithUnreadDataSendsRstAndNoFin()
    {
        const Trace* t = traceOf("close-unread-rst");
        QVERIFY(t);
        const auto segs = segments(*t);
        bool rst = false;
        for (const SegmentEvent& s : segs) {
            QVERIFY2(!s.has(kFin),
                qPrintable(QStringLiteral("a FIN was sent: ") + describeAll(segs).join(QStringLiteral("; "))));
            if (s.has(kRst)) {
                QVERIFY2(!rst, "more than one RST");
                rst = true;
                QCOMPARE(s.from, std::string("server"));
                QCOMPARE(s.to, std::string("client"));
                QCOMPARE(s.cause, std::string("close"));
            }
        }
        QVERIFY2(rst, qPrintable(QStringLiteral("no RST: ") + describeAll(segs).join(QStringLiteral("; "))));
        // The 500 unread bytes crossed first, as one segment.
        bool data = false;
        for (const SegmentEvent& s : segs)
            data |= s.from == "client" && s.length == 500;
        QVERIFY(data);
    }

    void activeCloseIsFinAckFinAck()
    {
        const Trace* t = traceOf("active-close");
        QVERIFY(t);
        auto segs = segments(*t);
        QVERIFY(segs.size() == 7);
        segs.erase(segs.begin(), segs.begin() + 3); // the handshake
        QCOMPARE(describeAll(segs),
            QStringList({ QStringLiteral("client FIN,ACK server"), QStringLiteral("server ACK client"),
                QStringLiteral("server FIN,ACK client"), QStringLiteral("client ACK server") }));
        const SegmentEvent &finC = segs[0], &ackS = segs[1], &finS = segs[2], &ackC = segs[3];
        // A FIN takes one sequence number (RFC 9293 3.5).
        QCOMPARE(*ackS.ack, *finC.seq + 1);
        QCOMPARE(*finS.seq, *ackS.seq);
        QCOMPARE(*finS.ack, *finC.seq + 1);
        QCOMPARE(*ackC.seq, *finC.seq + 1);
        QCOMPARE(*ackC.ack, *finS.seq + 1);
        QCOMPARE(*finC.relSeq, 1u);
        QCOMPARE(*ackC.relAck, 2u);
        QCOMPARE(finC.cause, std::string("close"));
        QCOMPARE(finS.cause, std::string("close"));
        QCOMPARE(ackS.cause, std::string("answers FIN"));
        QCOMPARE(ackC.cause, std::string("answers FIN"));
    }

    void keepaliveProbesFollowTheSettings()
    {
        // The scenario: keepidle 1 s, keepintvl 1 s, then 3.5 idle seconds.
        const Trace* t = traceOf("keepalive");
        QVERIFY(t);
        const auto segs = segments(*t);
        std::vector<const SegmentEvent*> probes;
        const SegmentEvent* before = nullptr;
        for (std::size_t i = 0; i < segs.size(); ++i) {
            const SegmentEvent& s = segs[i];
            if (s.cause != "keepalive probe") {
                if (probes.empty())
                    before = &s;
                continue;
            }
            probes.push_back(&s);
            // Linux's probe (tcp_xmit_probe_skb): a bare ACK one below the next sequence number,
            // answered by the peer's kernel with an ACK of what it already has.
            QCOMPARE(s.from, std::string("client"));
            QCOMPARE(s.flags, std::uint8_t(kAck));
            QCOMPARE(s.length, 0);
            QCOMPARE(*s.relSeq, 0u);
            QVERIFY(i + 1 < segs.size());
            const SegmentEvent& answer = segs[i + 1];
            QCOMPARE(answer.from, std::string("server"));
            QCOMPARE(answer.cause, std::string("answers keepalive probe"));
            QCOMPARE(*answer.ack, *s.seq + 1);
        }
        QVERIFY2(probes.size() >= 2 && probes.size() <= 4,
            qPrintable(QStringLiteral("%1 probes in 3.5 s").arg(probes.size())));
        QVERIFY(before);
        // Timed from the settings: the first after 1 s of silence, then one every second.
        const std::int64_t idle = *probes[0]->wireNs - *before->wireNs;
        QVERIFY2(idle >= 900'000'000 && idle <= 1'600'000'000, qPrintable(QStringLiteral("idle %1 ns").arg(idle)));
        for (std::size_t i = 1; i < probes.size(); ++i) {
            const std::int64_t gap = *probes[i]->wireNs - *probes[i - 1]->wireNs;
            QVERIFY2(gap >= 900'000'000 && gap <= 1'600'000'000, qPrintable(QStringLiteral("interval %1 ns").arg(gap)));
        }
        // The kernel counted the same probes (idiag_retrans counts keepalive probes sent).
        QVERIFY(lastCounter(*t, "client", &BuffersEvent::segsOut) >= static_cast<std::int64_t>(2 + probes.size()));
    }

    void everyBuiltinHoldsInTheLab_data()
    {
        QTest::addColumn<QString>("name");
        for (const auto& n : synack::test::builtinsOn(Tier::Lab)) // the wire's run in tst_gate
            QTest::addRow("%s", n.c_str()) << QString::fromStdString(n);
    }
    void everyBuiltinHoldsInTheLab()
    {
        QFETCH(QString, name);
        auto parsed = Library::load(name.toStdString());
        QVERIFY(parsed.ok());
        RunOptions options;
        options.tier = Tier::Lab;
        Runner runner(*parsed.scenario, options);
        const RunSummary& s = runner.runAll();
        QVERIFY2(s.passed(), qPrintable(name + failuresText(s)));
        const Trace& t = runner.trace();
        QCOMPARE(t.tier, Tier::Lab);
        if (const QString failure = synack::test::orderingFailure(t, QStringLiteral("lab-") + name); !failure.isEmpty())
            QFAIL(qPrintable(failure));
        const auto golden = synack::test::compareWithGolden(t, name, QStringLiteral("lab"));
        QVERIFY2(!golden, qPrintable(golden.value_or(QString())));
        std::set<std::string> names;
        for (const Event& e : t.events) {
            if (const auto* st = e.as<StateEvent>())
                names.insert(st->endpoint);
            else if (const auto* n = e.as<NoteEvent>())
                QVERIFY2(n->level == NoteLevel::Info, n->text.c_str());
        }
        std::int64_t lastFrame = 0;
        int captured = 0;
        for (const Event& e : t.events) {
            const auto* seg = e.as<SegmentEvent>();
            if (!seg)
                continue;
            // Only captured segments in the lab, each sent and received by an endpoint of the run.
            QCOMPARE(seg->source, Source::Capture);
            QVERIFY2(names.count(seg->from) && names.count(seg->to), qPrintable(describe(*seg)));
            QVERIFY(!seg->cause.empty());
            QVERIFY(seg->frame > lastFrame);
            QVERIFY(seg->frame <= static_cast<std::int64_t>(runner.capturedPackets().size()));
            lastFrame = seg->frame;
            ++captured;
        }
        QVERIFY(captured >= 2);
        // Lossless through JSON like any trace.
        auto back = traceFromJson(traceToJson(t));
        QVERIFY(back.ok());
        QVERIFY(*back == t);
    }
};

QTEST_GUILESS_MAIN(TestCapture)
#include "tst_capture.moc"
