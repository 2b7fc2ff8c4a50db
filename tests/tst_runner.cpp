// SPDX-License-Identifier: GPL-3.0-or-later
#include <QElapsedTimer>
#include <QTest>

#include <fcntl.h>
#include <sys/resource.h>

#include <atomic>
#include <dirent.h>
#include <thread>

#include "scenario/library.h"
#include "scenario/parser.h"
#include "run/runner.h"
#include "testsupport.h"

using namespace synack;
using synack::test::openDescriptors;

namespace {

Scenario parse(const char* text)
{
    auto out = parseScenario(text, "test", "test.synack");
    if (!out.ok()) {
        for (const auto& e : out.errors)
            qWarning("%s", e.toString().c_str());
        qFatal("test scenario does not parse");
    }
    return *out.scenario;
}
}

class TestRunner : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void noDescriptorLeftOpen_data()
    {
        QTest::addColumn<QString>("name");
        for (const char* n : { "handshake", "buffer-fill", "linger-abort", "backlog-full", "timewait-reuseaddr" })
            QTest::addRow("%s", n) << QString::fromLatin1(n);
    }
    void noDescriptorLeftOpen()
    {
        QFETCH(QString, name);
        const int before = openDescriptors();
        {
            auto parsed = Library::load(name.toStdString());
            QVERIFY(parsed.ok());
            Runner runner(*parsed.scenario);
            runner.runAll();
            QVERIFY(openDescriptors() > before); // the run's sockets and netlink socket are open
        }
        QCOMPARE(openDescriptors(), before);
    }

    void stoppingMidRunClosesEverything()
    {
        const int before = openDescriptors();
        {
            auto parsed = Library::load("passive-close");
            QVERIFY(parsed.ok());
            Runner runner(*parsed.scenario);
            QVERIFY(runner.step());
            QVERIFY(runner.step());
            QVERIFY(runner.step());
        }
        QCOMPARE(openDescriptors(), before);
    }

    void blockedCallDoesNotFreezeTheRun()
    {
        // recv on an empty connection blocks; the runner shows it as blocked and moves on, and the
        // call completes when data arrives from a later step.
        Runner runner(parse("title: t\nlisten l\nconnect c l\naccept l s\nrecv s 10\nexpect s blocked yes\n"
                            "send c 10\nexpect s blocked no\nexpect s result == 10\n"));
        QElapsedTimer timer;
        timer.start();
        while (runner.step()) { }
        QVERIFY2(timer.elapsed() < 8000, "a blocked call must not hold the run");
        QVERIFY2(runner.summary().passed(), runner.summary().failures.empty() ? "" : runner.summary().failures[0].observed.c_str());
        int blocked = 0, completed = 0;
        for (const Event& e : runner.trace().events)
            if (const auto* s = e.as<StepEvent>(); s && s->call == "recv") {
                blocked += s->phase == Phase::Blocked;
                completed += s->phase == Phase::Completed;
            }
        QCOMPARE(blocked, 1);
        QCOMPARE(completed, 1);
    }

    void connectUnblocksABlockedAccept()
    {
        // The classic blocking server: accept() waits, then a client connects. The connect must
        // not wait for the accept it is about to complete.
        Runner runner(parse("title: t\nlisten l\naccept l s\nexpect l blocked yes\nconnect c l\n"
                            "expect l blocked no\nexpect s ESTABLISHED\nexpect c ESTABLISHED\n"));
        QElapsedTimer timer;
        timer.start();
        const RunSummary& s = runner.runAll();
        QVERIFY2(s.passed(), s.error ? s.error->toString().c_str() : "an expectation failed");
        QVERIFY2(timer.elapsed() < 5000, "connect waited for the listener's accept");
    }

    void errnoIsAResultNotAFailure()
    {
        // Binding a port that is in use is a result to show.
        Runner runner(parse("title: t\nlisten a\nbind b port=@a\nexpect b errno EADDRINUSE\nexpect b result == -1\n"));
        const RunSummary& s = runner.runAll();
        QVERIFY(s.passed());
        QCOMPARE(s.expectations, 2);
    }

    void failingExpectationIsReported()
    {
        Runner runner(parse("title: t\nlisten a\nexpect a ESTABLISHED\nexpect a acceptq == 3\n"));
        const RunSummary& s = runner.runAll();
        QCOMPARE(s.failed, 2);
        QCOMPARE(s.failures[0].observed, std::string("LISTEN"));
        QCOMPARE(s.failures[0].expected, std::string("ESTABLISHED"));
        QCOMPARE(s.failures[0].line, 3);
        QCOMPARE(s.failures[1].observed, std::string("0"));
    }

    void waitForStateTimesOutAsAFailure()
    {
        Runner runner(parse("title: t\nlisten l\nconnect c l\nwait c TIME_WAIT within 300ms\n"));
        const RunSummary& s = runner.runAll();
        QCOMPARE(s.failed, 1);
        QCOMPARE(s.failures[0].observed, std::string("ESTABLISHED"));
    }

    void eventsAreOrderedAndStamped()
    {
        auto parsed = Library::load("half-close");
        QVERIFY(parsed.ok());
        std::vector<Event> streamed;
        RunOptions o;
        o.onEvent = [&](const Event& e) { streamed.push_back(e); };
        Runner runner(*parsed.scenario, o);
        runner.runAll();
        QCOMPARE(streamed.size(), runner.trace().events.size());
        std::int64_t last = -1;
        int lastStep = -1;
        for (const Event& e : runner.trace().events) {
            QVERIFY(e.tNs > last);
            QVERIFY(e.step >= lastStep);
            last = e.tNs;
            lastStep = e.step;
        }
        QCOMPARE(lastStep, runner.stepCount() - 1);
    }

    void cancelStopsALongWait()
    {
        std::atomic<bool> cancel { false };
        RunOptions o;
        o.cancel = &cancel;
        Runner runner(parse("title: t\nlisten l\nwait 60s\nexpect l LISTEN\n"), o);
        QVERIFY(runner.step());
        std::thread t([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            cancel = true;
        });
        QElapsedTimer timer;
        timer.start();
        QVERIFY(!runner.step());
        t.join();
        QVERIFY(timer.elapsed() < 5000);
        QVERIFY(runner.summary().cancelled);
    }

    void fillRecordsEveryCallAndTheRefusal_data()
    {
        QTest::addColumn<bool>("nonblocking");
        QTest::addRow("blocking application") << false;
        QTest::addRow("non-blocking application") << true;
    }
    void fillRecordsEveryCallAndTheRefusal()
    {
        QFETCH(bool, nonblocking);
        const std::string text = std::string("title: fill\nlisten s\nconnect c s\naccept s a\n")
            + (nonblocking ? "set c nonblock on\n" : "") + "send c fill\nexpect c errno EAGAIN\nexpect c result > 64k\n";
        Runner runner(parse(text.c_str()));
        const RunSummary& sum = runner.runAll();
        QVERIFY2(sum.passed(), qPrintable(synack::test::failuresText(sum)));
        const StepEvent* fill = nullptr;
        for (const Event& e : runner.trace().events)
            if (const auto* st = e.as<StepEvent>(); st && st->text == "send c fill")
                fill = st;
        QVERIFY(fill);
        QCOMPARE(fill->err, EAGAIN);
        // Every send() the kernel saw: full chunks (counted), then the refusal that ended it.
        QVERIFY(fill->calls.size() >= 2);
        QCOMPARE(fill->calls.back().call, std::string("send"));
        QCOMPARE(fill->calls.back().result, std::int64_t(-1));
        QCOMPARE(fill->calls.back().err, EAGAIN);
        std::int64_t sent = 0;
        for (const CallRecord& c : fill->calls)
            if (c.result > 0)
                sent += c.result * c.count;
        QCOMPARE(sent, fill->result);
        QVERIFY(fill->calls.front().count > 1);
    }

    void waitingForAGoneEndpointFailsAtOnce()
    {
        // close() with unread data resets the connection: `a` is gone, it will never be in TIME_WAIT.
        Runner runner(parse("title: gone\nlisten s\nconnect c s\naccept s a\nsend c 10\nwait 50ms\n"
                            "close a\nwait a TIME_WAIT within 60s\n"));
        const RunSummary& sum = runner.runAll();
        QCOMPARE(sum.failed, 1);
        const ExpectEvent& f = sum.failures.front();
        // Not the end of the 60 s bound: the wait saw the socket go and said how.
        QVERIFY2(f.observed.find("gone: the kernel removed it at step 6 (line 7)") == 0, f.observed.c_str());
        QVERIFY2(f.observed.find("from ESTABLISHED") != std::string::npos, f.observed.c_str());
    }

    void peerHalfIsNameable()
    {
        Runner runner(parse("title: peer\nlisten s\nconnect c s\nexpect c/peer ESTABLISHED\nsend c 100\n"
                            "expect c/peer recvq 100\naccept s a\nexpect c/peer recvq 100\nclose c\n"
                            "wait c/peer CLOSE_WAIT within 2s\nexpect a CLOSE_WAIT\n"));
        const RunSummary& sum = runner.runAll();
        QVERIFY2(sum.passed(), qPrintable(synack::test::failuresText(sum)));
        QCOMPARE(sum.expectations, 5);
    }

    void connectAnsweredAtOnceIsNotBlocked()
    {
        Runner runner(parse("title: refused\nbind b\nconnect c b\nexpect c errno ECONNREFUSED\n"
                            "listen s\nconnect d s\nexpect d ESTABLISHED\n"));
        const RunSummary& sum = runner.runAll();
        QVERIFY2(sum.passed(), qPrintable(synack::test::failuresText(sum)));
        for (const Event& e : runner.trace().events) {
            const auto* st = e.as<StepEvent>();
            if (!st || st->call != "connect")
                continue;
            // On loopback the answer is there before connect() returns: a blocking application
            // would not have waited, so the step is not drawn as blocked.
            QCOMPARE(st->phase, Phase::Done);
            QVERIFY(std::any_of(st->calls.begin(), st->calls.end(), [](const CallRecord& c) { return c.call == "connect"; }));
        }
    }

    /// A descriptor limit met mid-run is the machine's, not the scenario's: the run stops at the
    /// call that met it, names the limit and its value, and no expectation is blamed (it used to
    /// go on and exit 1, or at `ulimit -n 4` blame the scenario: "'srv' has no address").
    void aDescriptorLimitStopsTheRunAndIsNamed()
    {
        auto parsed = Library::load("handshake");
        QVERIFY(parsed.ok());
        rlimit saved {};
        QCOMPARE(::getrlimit(RLIMIT_NOFILE, &saved), 0);
        RunOptions options;
        options.tier = Tier::HostLoopback;
        Runner runner(*parsed.scenario, options);
        // Room for the run's sock_diag socket, the listener and the client: accept() is one too many.
        // The limit bounds descriptor numbers, and a new descriptor takes the lowest free one.
        int fd = 0;
        for (int free = 0; free < 3; ++fd)
            free += ::fcntl(fd, F_GETFD) < 0;
        rlimit low = saved;
        low.rlim_cur = static_cast<rlim_t>(fd);
        QCOMPARE(::setrlimit(RLIMIT_NOFILE, &low), 0);
        runner.runAll();
        QCOMPARE(::setrlimit(RLIMIT_NOFILE, &saved), 0);

        const RunSummary& sum = runner.summary();
        QVERIFY(sum.error);
        const QString message = QString::fromStdString(sum.error->message);
        QVERIFY2(message.startsWith(QStringLiteral("accept() on 'listener' failed with EMFILE")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("RLIMIT_NOFILE soft %1").arg(low.rlim_cur)), qPrintable(message));
        QCOMPARE(sum.failed, 0);
        // The call's result is the kernel's, and it is the last step reported.
        const StepEvent* last = nullptr;
        for (const Event& e : runner.trace().events)
            if (const auto* st = e.as<StepEvent>())
                last = st;
        QVERIFY(last);
        QCOMPARE(last->call, std::string("accept"));
        QCOMPARE(last->err, EMFILE);
        QCOMPARE(sum.error->pos.line, last->line);
    }
};

QTEST_GUILESS_MAIN(TestRunner)
#include "tst_runner.moc"
