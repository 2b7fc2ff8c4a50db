// SPDX-License-Identifier: GPL-3.0-or-later
#include <QElapsedTimer>
#include <QTest>

#include <atomic>
#include <dirent.h>
#include <thread>

#include "library.h"
#include "runner.h"
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
                blocked += s->phase == "blocked";
                completed += s->phase == "completed";
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
};

QTEST_GUILESS_MAIN(TestRunner)
#include "tst_runner.moc"
