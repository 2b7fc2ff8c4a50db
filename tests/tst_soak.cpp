// SPDX-License-Identifier: GPL-3.0-or-later
// Soak: every built-in, round after round in one process, on each tier. After each round the
// process must hold what it held before the first: its descriptors, its child processes (the
// lab's helper and sessions), the network namespaces those children made, and, after a warm-up
// round has filled the allocator's pools and the lazy statics, its memory within kRssSlackKiB.
// A leak of one descriptor or one lab session per run shows here within a round.
//
// Tiers: host loopback, the lab and the gated lab, each where the machine has it.
// Budget: SYNACK_SOAK_SECONDS per tier (default 60, so the normal build spends about three
// minutes here), at most kMaxRounds rounds: a large value (3600) runs all 50. The sanitizer build
// (SYNACK_SANITIZE_BUILD) runs one round: LeakSanitizer checks memory there, and its RSS (the
// shadow memory, the quarantine) says nothing about ours.
#include <QCoreApplication>
#include <QTest>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <dirent.h>
#include <fstream>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <unistd.h>

#include "lab/gate.h"
#include "lab/lab.h"
#include "run/runner.h"
#include "scenario/library.h"
#include "testsupport.h"

using namespace synack;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kMaxRounds = 50;
/// RSS may grow this much over the warm-up round's: glibc keeps freed memory in its arenas (one
/// per thread that allocated, and a run starts threads), so a round may end a little above
/// another without anything being lost. Here rounds after the warm-up end within a few pages of
/// it; a leak of 40 KiB a run (one small trace) passes the slack four rounds after the warm-up.
constexpr long kRssSlackKiB = 2 * 1024;
/// How long a lab session may take to exit after its Lab is dropped: the session sees its channel
/// close and exits, and the helper reaps it, asynchronously.
constexpr auto kSettle = std::chrono::seconds(5);

double budgetSeconds()
{
#ifdef SYNACK_SANITIZE_BUILD
    return 0;
#else
    const char* env = std::getenv("SYNACK_SOAK_SECONDS");
    return env ? std::atof(env) : 60.0;
#endif
}

/// What the process holds that a run must give back.
struct Usage {
    int descriptors = 0; ///< entries in /proc/self/fd
    int children = 0; ///< every descendant process (the lab's helper, its sessions)
    int namespaces = 0; ///< network namespaces of those descendants other than our own
    long rssKiB = 0; ///< resident set, /proc/self/statm
    bool operator==(const Usage& o) const
    {
        return descriptors == o.descriptors && children == o.children && namespaces == o.namespaces;
    }
};

std::string netNamespaceOf(const std::string& pid)
{
    char buf[64];
    const ssize_t n = ::readlink(("/proc/" + pid + "/ns/net").c_str(), buf, sizeof buf - 1);
    return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string("unreadable");
}

/// The direct children of `pid`, from every thread's /proc/PID/task/TID/children (a child belongs
/// to the thread that forked it).
std::vector<std::string> childrenOf(const std::string& pid)
{
    std::vector<std::string> out;
    const std::string tasks = "/proc/" + pid + "/task";
    if (DIR* d = ::opendir(tasks.c_str())) {
        while (const dirent* e = ::readdir(d)) {
            if (e->d_name[0] == '.')
                continue;
            std::ifstream f(tasks + "/" + e->d_name + "/children");
            for (std::string child; f >> child;)
                out.push_back(child);
        }
        ::closedir(d);
    }
    return out;
}

Usage usage()
{
    Usage u;
    const std::string self = std::to_string(::getpid());
    const std::string ourNet = netNamespaceOf(self);
    std::set<std::string> nets;
    std::vector<std::string> todo = childrenOf(self);
    while (!todo.empty()) {
        const std::string pid = todo.back();
        todo.pop_back();
        ++u.children;
        if (const std::string net = netNamespaceOf(pid); net != ourNet)
            nets.insert(net);
        for (auto& c : childrenOf(pid))
            todo.push_back(std::move(c));
    }
    u.namespaces = static_cast<int>(nets.size());
    std::ifstream statm("/proc/self/statm");
    long size = 0, resident = 0;
    statm >> size >> resident;
    u.rssKiB = resident * (::sysconf(_SC_PAGESIZE) / 1024);
    // Counted last: the ifstreams above have closed their descriptors by now.
    u.descriptors = synack::test::openDescriptors();
    return u;
}

/// The usage once what the last round started has wound down (or kSettle has passed).
Usage settledUsage(const Usage& baseline)
{
    const auto until = Clock::now() + kSettle;
    Usage u = usage();
    while (!(u == baseline) && Clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        u = usage();
    }
    return u;
}

/// The usage once nothing has changed for half a second: a lab dropped just before may still have
/// its session process, which exits when it sees its channel close.
Usage quietUsage()
{
    const auto until = Clock::now() + kSettle;
    Usage last = usage();
    auto since = Clock::now();
    while (Clock::now() - since < std::chrono::milliseconds(500) && Clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        const Usage u = usage();
        if (!(u == last))
            since = Clock::now();
        last = u;
    }
    return last;
}

QString describe(const Usage& u)
{
    return QStringLiteral("descriptors %1, children %2, namespaces %3, RSS %4 MiB")
        .arg(u.descriptors)
        .arg(u.children)
        .arg(u.namespaces)
        .arg(static_cast<double>(u.rssKiB) / 1024, 0, 'f', 1);
}

} // namespace

class TestSoak : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyBuiltinGivesBackWhatItTook_data()
    {
        QTest::addColumn<int>("tier");
        QTest::addRow("host loopback") << 0;
        QTest::addRow("lab") << 1;
        QTest::addRow("gated lab") << 2;
    }
    void everyBuiltinGivesBackWhatItTook()
    {
        QFETCH(int, tier);
        std::vector<Scenario> scenarios;
        RunOptions options;
        options.tier = tier == 2 ? Tier::Gated : tier == 1 ? Tier::Lab : Tier::HostLoopback;
        for (const auto& name : synack::test::builtinsOn(options.tier)) {
            auto parsed = Library::load(name);
            QVERIFY2(parsed.ok(), name.c_str());
            scenarios.push_back(std::move(*parsed.scenario));
        }
        // The lab's helper and its socket are made once per process: make them before counting.
        if (tier == 1) {
            SYNACK_REQUIRE_LAB();
            auto warm = Lab::start();
            QVERIFY(warm.ok());
        }
        if (tier == 2) {
            SYNACK_REQUIRE_GATED_LAB();
            auto warm = TwoHosts::start();
            QVERIFY(warm.ok());
        }

        const Usage start = quietUsage();
        qInfo("before: %s", qPrintable(describe(start)));
        const double budget = budgetSeconds();
        const auto began = Clock::now();
        Usage warmedUp;
        long peakGrowthKiB = 0;
        int rounds = 0;
        for (;;) {
            const auto roundStart = Clock::now();
            for (const Scenario& scenario : scenarios) {
                Runner runner(scenario, options);
                const RunSummary& s = runner.runAll();
                QVERIFY2(s.passed(),
                    qPrintable(QStringLiteral("round %1, %2").arg(rounds + 1).arg(QString::fromStdString(scenario.name))
                        + synack::test::failuresText(s)));
            }
            ++rounds;
            const Usage now = settledUsage(start);
            const double roundSeconds = std::chrono::duration<double>(Clock::now() - roundStart).count();
            if (rounds == 1)
                warmedUp = now;
            const long growth = now.rssKiB - warmedUp.rssKiB;
            peakGrowthKiB = std::max(peakGrowthKiB, growth);
            qInfo("round %d: %zu runs in %.1f s; %s (%+ld KiB over the warm-up round)", rounds, scenarios.size(), roundSeconds,
                qPrintable(describe(now)), growth);
            QCOMPARE(now.descriptors, start.descriptors);
            QCOMPARE(now.children, start.children);
            QCOMPARE(now.namespaces, start.namespaces);
            QVERIFY2(growth <= kRssSlackKiB,
                qPrintable(QStringLiteral("round %1: RSS grew %2 KiB over the warm-up round's, more than the %3 KiB allowed")
                        .arg(rounds)
                        .arg(growth)
                        .arg(kRssSlackKiB)));
            const double elapsed = std::chrono::duration<double>(Clock::now() - began).count();
            // Stop before a round would overrun the budget, but never before one round after the
            // warm-up (outside the sanitizer build): memory is judged against the warm-up round.
            const bool minimumDone = budget <= 0 || rounds >= 2;
            if (rounds >= kMaxRounds || (minimumDone && elapsed + elapsed / rounds > budget))
                break;
        }
        const double total = std::chrono::duration<double>(Clock::now() - began).count();
        if (rounds == 1)
            qInfo("1 round in %.0f s; RSS not compared (no round after the warm-up; LeakSanitizer judges memory here)", total);
        else
            qInfo("%d rounds in %.0f s; RSS at most %ld KiB over the warm-up round (allowed %ld KiB)", rounds, total,
                peakGrowthKiB, kRssSlackKiB);
    }
};

// QTEST_GUILESS_MAIN, but Qt Test's watchdog (QTEST_FUNCTION_TIMEOUT, 5 minutes by default) must
// let a test function run for the whole budget: the full 50 rounds take about 15 minutes a tier.
int main(int argc, char** argv)
{
    if (!qEnvironmentVariableIsSet("QTEST_FUNCTION_TIMEOUT")) {
        const double seconds = std::max(300.0, budgetSeconds() + 300.0);
        const double capped = std::min(seconds, 24 * 3600.0);
        qputenv("QTEST_FUNCTION_TIMEOUT", QByteArray::number(static_cast<qint64>(capped * 1000)));
    }
    QCoreApplication app(argc, argv);
    TestSoak test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}
#include "tst_soak.moc"
