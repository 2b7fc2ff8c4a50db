// SPDX-License-Identifier: GPL-3.0-or-later
// Every built-in scenario runs on the real kernel and every expectation it states holds.
#include <QFile>
#include <QRegularExpression>
#include <QTest>

#include <map>
#include <set>

#include "scenario/library.h"
#include "scenario/parser.h"
#include "lab/gate.h"
#include "run/runner.h"
#include "golden.h"
#include "ordering.h"
#include "testsupport.h"

using namespace synack;
using synack::test::failuresText;

namespace {

std::set<std::string> statesSeen(const Trace& t, Source source)
{
    std::set<std::string> seen;
    for (const Event& e : t.events)
        if (const auto* s = e.as<StateEvent>(); s && s->source == source)
            seen.insert(std::string(stateName(s->to)));
    return seen;
}
}

class TestScenarios : public QObject {
    Q_OBJECT
private:
    std::map<std::string, Trace> m_traces;

    /// A built-in's trace on host loopback: the run expectationsHold made, or a run of its own
    /// when that test did not run (no test depends on another having run first).
    const Trace* traceOf(const std::string& name)
    {
        if (auto it = m_traces.find(name); it != m_traces.end())
            return &it->second;
        auto parsed = Library::load(name);
        if (!parsed.ok())
            return nullptr;
        Runner runner(*parsed.scenario);
        if (!runner.runAll().passed())
            return nullptr;
        return &(m_traces[name] = runner.trace());
    }

private Q_SLOTS:
    void theLibraryIsComplete()
    {
        const std::vector<std::string> required = { "handshake", "data-transfer", "active-close", "passive-close",
            "simultaneous-close", "half-close", "close-unread-rst", "linger-abort", "buffer-fill", "timewait-reuseaddr",
            "refused", "backlog-full", "write-after-close", "keepalive" };
        const auto names = Library::names();
        for (const auto& r : required)
            QVERIFY2(std::find(names.begin(), names.end(), r) != names.end(), r.c_str());
        for (const auto& n : names) {
            auto parsed = Library::load(n);
            QVERIFY2(parsed.ok(), parsed.errors.empty() ? n.c_str() : parsed.errors.front().toString().c_str());
            QVERIFY2(!parsed.scenario->text(parsed.scenario->title).empty(), n.c_str());
            QVERIFY2(parsed.scenario->title.count("zh"), (n + ": no Chinese title").c_str());
            QVERIFY2(!parsed.scenario->text(parsed.scenario->about).empty(), n.c_str());
            int expects = 0;
            for (const Step& s : parsed.scenario->steps)
                expects += s.kind == StepKind::Expect || s.kind == StepKind::WaitState;
            QVERIFY2(expects > 0, (n + " states no expectation").c_str());
        }
    }

    void expectationsHold_data()
    {
        QTest::addColumn<QString>("name");
        for (const auto& n : synack::test::builtinsOn(Tier::HostLoopback)) // the lab's in tst_capture, tst_gate
            QTest::addRow("%s", n.c_str()) << QString::fromStdString(n);
    }
    void expectationsHold()
    {
        QFETCH(QString, name);
        auto parsed = Library::load(name.toStdString());
        QVERIFY(parsed.ok());
        Runner runner(*parsed.scenario);
        const RunSummary& s = runner.runAll();
        QVERIFY2(s.passed(), qPrintable(name + failuresText(s)));
        QVERIFY(s.expectations > 0);
        const QStringList order = synack::test::orderingViolations(runner.trace());
        QVERIFY2(order.isEmpty(), qPrintable(name + QStringLiteral(":\n  ") + order.join(QStringLiteral("\n  "))));
        const auto golden = synack::test::compareWithGolden(runner.trace(), name, QStringLiteral("host-loopback"));
        QVERIFY2(!golden, qPrintable(golden.value_or(QString())));
        m_traces[name.toStdString()] = runner.trace();
    }

    void kernelShowsAllElevenStates()
    {
        // Among them, the built-ins make the kernel itself report every state of the diagram.
        std::set<std::string> seen;
        for (const std::string& name : synack::test::builtinsOn(Tier::HostLoopback)) {
            const Trace* trace = traceOf(name);
            QVERIFY2(trace, name.c_str());
            for (const auto& s : statesSeen(*trace, Source::Kernel))
                seen.insert(s);
        }
        QStringList missing;
        for (TcpState s : kRfcStates)
            if (!seen.count(std::string(stateName(s))))
                missing << QString::fromLatin1(stateName(s).data(), static_cast<qsizetype>(stateName(s).size()));
        QVERIFY2(missing.isEmpty(), qPrintable(QStringLiteral("never read from the kernel: ") + missing.join(u' ')));
    }

    void abortsLeaveNoTimeWait_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("endpoint");
        QTest::addColumn<QString>("errnoName");
        QTest::addRow("close-unread-rst") << "close-unread-rst" << "client" << "ECONNRESET";
        QTest::addRow("linger-abort") << "linger-abort" << "server" << "ECONNRESET";
        QTest::addRow("write-after-close") << "write-after-close" << "client" << "EPIPE";
    }
    void abortsLeaveNoTimeWait()
    {
        QFETCH(QString, name);
        QFETCH(QString, endpoint);
        QFETCH(QString, errnoName);
        const Trace* trace = traceOf(name.toStdString());
        QVERIFY(trace);
        bool sawErrno = false;
        for (const Event& e : trace->events) {
            if (const auto* s = e.as<StateEvent>())
                QVERIFY2(s->to != TcpState::TimeWait, qPrintable(QString::fromStdString(s->endpoint) + QStringLiteral(" entered TIME_WAIT")));
            if (const auto* st = e.as<StepEvent>(); st && st->endpoint == endpoint.toStdString())
                sawErrno |= synack::errnoName(st->err) == errnoName.toStdString();
        }
        QVERIFY2(sawErrno, qPrintable(endpoint + QStringLiteral(" never got ") + errnoName));
    }

    void handshakeStatesBetweenAreInferred()
    {
        const Trace* trace = traceOf("handshake");
        QVERIFY(trace);
        std::vector<const StateEvent*> client;
        for (const Event& e : trace->events)
            if (const auto* s = e.as<StateEvent>(); s && s->endpoint == "client")
                client.push_back(s);
        // socket() -> CLOSE (kernel), SYN_SENT (never sampled on loopback: inferred), ESTABLISHED (kernel).
        QVERIFY(client.size() >= 3);
        QCOMPARE(client[0]->to, TcpState::Close);
        QCOMPARE(client[0]->source, Source::Kernel);
        bool inferredSynSent = false;
        for (const StateEvent* s : client)
            inferredSynSent |= s->to == TcpState::SynSent && s->source == Source::Inferred && !s->why.empty();
        QVERIFY(inferredSynSent);
        QCOMPARE(client.back()->to, TcpState::Established);
        QCOMPARE(client.back()->source, Source::Kernel);
    }

    void inferredSegmentsFollowTheStates_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QStringList>("expected"); // "from flags to", in order, among all segments but data
        QTest::addRow("handshake") << "handshake"
                                   << QStringList { QStringLiteral("client SYN client/peer"),
                                          QStringLiteral("client/peer SYN,ACK client"),
                                          QStringLiteral("client ACK client/peer") };
        QTest::addRow("active-close") << "active-close"
                                      << QStringList { QStringLiteral("client SYN client/peer"),
                                             QStringLiteral("client/peer SYN,ACK client"),
                                             QStringLiteral("client ACK client/peer"),
                                             QStringLiteral("client FIN,ACK server"),
                                             QStringLiteral("server ACK client"),
                                             QStringLiteral("server FIN,ACK client"),
                                             QStringLiteral("client ACK server") };
        QTest::addRow("close-unread-rst") << "close-unread-rst"
                                          << QStringList { QStringLiteral("client SYN client/peer"),
                                                 QStringLiteral("client/peer SYN,ACK client"),
                                                 QStringLiteral("client ACK client/peer"),
                                                 QStringLiteral("server RST client") };
        QTest::addRow("refused") << "refused"
                                 << QStringList { QStringLiteral("client SYN closed"), QStringLiteral("closed RST client") };
    }
    void inferredSegmentsFollowTheStates()
    {
        // Host loopback captures nothing: segments are inferred from the kernel's state changes,
        // in causal order, and say so.
        QFETCH(QString, name);
        QFETCH(QStringList, expected);
        const Trace* trace = traceOf(name.toStdString());
        QVERIFY(trace);
        QStringList seen;
        for (const Event& e : trace->events)
            if (const auto* seg = e.as<SegmentEvent>(); seg && seg->flags != (kPsh | kAck)) {
                QCOMPARE(seg->source, Source::Inferred);
                QVERIFY(!seg->why.empty());
                seen << QString::fromStdString(seg->from + " " + seg->flagsText() + " " + seg->to);
            }
        QCOMPARE(seen, expected);
    }

    void dataSegmentsCarryTheKernelsByteCount()
    {
        const Trace* trace = traceOf("data-transfer");
        QVERIFY(trace);
        std::int64_t clientBytes = 0, serverBytes = 0;
        for (const Event& e : trace->events)
            if (const auto* seg = e.as<SegmentEvent>(); seg && seg->flags == (kPsh | kAck))
                (seg->from == "client" ? clientBytes : serverBytes) += seg->length;
        QCOMPARE(clientBytes, 1000);
        QCOMPARE(serverBytes, 5000);
    }

    void readmeExamplesHold()
    {
        // The language reference's examples are run as written, so the README stays true.
        QFile f(QString::fromUtf8(SYNACK_SOURCE_DIR "/README.md"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString readme = QString::fromUtf8(f.readAll());
        static const QRegularExpression block(QStringLiteral("```synack\\n(.*?)```"),
            QRegularExpression::DotMatchesEverythingOption);
        int examples = 0;
        for (const auto& m : block.globalMatch(readme)) {
            ++examples;
            auto parsed = parseScenario(m.captured(1).toStdString(), "example", "README.md example");
            QVERIFY2(parsed.ok(), parsed.errors.empty() ? "" : parsed.errors.front().toString().c_str());
            RunOptions options;
            if (parsed.scenario->needs != Needs::Any) {
                // The wire's examples run in the gated lab, where this machine has it.
                const auto [available, why] = TwoHosts::probe();
                if (!available && !synack::test::labExpected()) {
                    qInfo("README example %d skipped: %s", examples, why.c_str());
                    continue;
                }
                options.tier = Tier::Auto;
            }
            Runner runner(*parsed.scenario, options);
            const RunSummary& s = runner.runAll();
            QVERIFY2(s.passed(), qPrintable(failuresText(s)));
        }
        QVERIFY(examples >= 3);
    }

    void shortenedTimerIsReadAgain()
    {
        // keepalive sets TCP_KEEPIDLE 1 s after SO_KEEPALIVE armed a 7200 s timer: the trace must
        // carry the kernel's new reading, not count down from the old one.
        const Trace* trace = traceOf("keepalive");
        QVERIFY(trace);
        const TimerEvent* last = nullptr;
        for (const Event& e : trace->events)
            if (const auto* t = e.as<TimerEvent>(); t && t->endpoint == "client" && t->kind == TimerKind::Keepalive)
                last = t;
        QVERIFY(last);
        QVERIFY2(last->remainingMs <= 1000, qPrintable(QString::number(last->remainingMs)));
    }

    void timeWaitCarriesTheKernelsTimer()
    {
        const Trace* trace = traceOf("active-close");
        QVERIFY(trace);
        bool found = false;
        for (const Event& e : trace->events)
            if (const auto* t = e.as<TimerEvent>(); t && t->endpoint == "client" && t->kind == TimerKind::TimeWait) {
                found = true;
                QVERIFY2(t->remainingMs > 50'000 && t->remainingMs <= 60'000, qPrintable(QString::number(t->remainingMs)));
                QCOMPARE(t->source, Source::Kernel);
            }
        QVERIFY(found);
    }
};

QTEST_GUILESS_MAIN(TestScenarios)
#include "tst_scenarios.moc"
