// SPDX-License-Identifier: GPL-3.0-or-later
// Races between the sampler and the kernel, run again and again for a fixed time. The
// orphaned FIN_WAIT2 scenario once showed a CLOSE and an RST that never happened in about one
// run in ten: a sock_diag dump caught the closing socket while its timewait socket replaced it
// (see isTeardownRecord). Each run here must show what the kernel did, every time.
//
// Budget: SYNACK_STRESS_SECONDS per tier (default 30). The sanitizer build runs each once
// (SYNACK_SANITIZE_BUILD): it checks memory, not rates.
#include <QTest>

#include <chrono>
#include <cstdlib>

#include "lab/lab.h"
#include "scenario/library.h"
#include "scenario/parser.h"
#include "ordering.h"
#include "run/runner.h"
#include "trace/eventtext.h"
#include "testsupport.h"

using namespace synack;

namespace {

constexpr const char* kOrphan = R"(title: orphaned FIN_WAIT2
listen srv
connect c srv
wait c ESTABLISHED within 2s
accept srv conn
close c
wait 300ms
expect c FIN_WAIT2
expect c timer fin-wait2
close conn
wait c TIME_WAIT within 2s
)";

double budgetSeconds()
{
#ifdef SYNACK_SANITIZE_BUILD
    return 0;
#else
    const char* env = std::getenv("SYNACK_STRESS_SECONDS");
    return env ? std::atof(env) : 30.0;
#endif
}

/// What must never appear for the closing client: a CLOSE while the kernel still had it, a
/// state it cannot reach from where it was, or an RST nobody sent.
QString inventions(const Trace& t, const std::string& client)
{
    QStringList out;
    for (const Event& e : t.events) {
        if (const auto* st = e.as<StateEvent>(); st && st->endpoint == client) {
            if (st->to == TcpState::SynRecv || (st->to == TcpState::Close && st->from && *st->from != TcpState::TimeWait))
                out << QString::fromStdString(eventtext::transition(*st));
            if (st->local.ends_with(":0"))
                out << QString::fromStdString("local address " + st->local);
        }
        if (const auto* seg = e.as<SegmentEvent>(); seg && seg->has(kRst))
            out << QString::fromStdString("segment " + seg->flagsText() + " " + seg->from + " -> " + seg->to);
    }
    return out.join(QStringLiteral("; "));
}

} // namespace

class TestRaces : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void orphanIsNeverMisreadAsClosed_data()
    {
        QTest::addColumn<int>("tier");
        QTest::addRow("host loopback") << 0;
        QTest::addRow("lab") << 1;
    }
    void orphanIsNeverMisreadAsClosed()
    {
        QFETCH(int, tier);
        if (tier == 1)
            SYNACK_REQUIRE_LAB();
        auto active = Library::load("active-close");
        QVERIFY(active.ok());
        const auto orphan = parseScenario(kOrphan, "orphan", "orphan.synack");
        QVERIFY(orphan.ok());

        const auto start = std::chrono::steady_clock::now();
        const double budget = budgetSeconds();
        int runs = 0;
        do {
            // Alternate: the issue's scenario, then the built-in that showed it too.
            const bool builtin = runs % 2 == 1;
            RunOptions options;
            options.tier = tier == 1 ? Tier::Lab : Tier::HostLoopback;
            Runner runner(builtin ? *active.scenario : *orphan.scenario, options);
            const RunSummary& s = runner.runAll();
            const QString name = QStringLiteral("run %1 (%2)").arg(runs + 1).arg(QLatin1String(builtin ? "active-close" : "orphan"));
            QVERIFY2(s.passed(), qPrintable(name + synack::test::failuresText(s)));
            const QString made = inventions(runner.trace(), builtin ? "client" : "c");
            QVERIFY2(made.isEmpty(), qPrintable(name + QStringLiteral(": ") + made));
            const QStringList order = synack::test::orderingViolations(runner.trace());
            QVERIFY2(order.isEmpty(), qPrintable(name + QStringLiteral(": ") + order.join(QStringLiteral("; "))));
            ++runs;
        } while (std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() < budget);
        qInfo("%d runs in %.0f s", runs, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
};

QTEST_GUILESS_MAIN(TestRaces)
#include "tst_races.moc"
