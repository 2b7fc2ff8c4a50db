// SPDX-License-Identifier: GPL-3.0-or-later
// The Player: what it reveals, when, and that stepping back rebuilds the same picture.
#include <QSignalSpy>
#include <QTest>

#include "panels/narrationview.h"
#include "playback/player.h"
#include "support/recordedtraces.h"

using namespace synack;

namespace {
QStringList statesOf(const Picture& p)
{
    QStringList out;
    for (const EndpointView& v : p.endpoints)
        out << QString::fromStdString(v.name + "=" + v.stateText());
    return out;
}

/// Three steps; each: a call, a state change, a segment.
Trace threeSteps()
{
    Trace t;
    t.scenario = "t";
    t.stepCount = 3;
    std::int64_t ns = 0;
    t.events.push_back({ ++ns, -1, NoteEvent { NoteLevel::Info, "start", 0 } });
    const TcpState states[] = { TcpState::Listen, TcpState::SynSent, TcpState::Established };
    std::optional<TcpState> from;
    for (int s = 0; s < 3; ++s) {
        StepEvent st;
        st.endpoint = "c";
        st.call = "call" + std::to_string(s);
        t.events.push_back({ ++ns, s, st });
        t.events.push_back(
            { ++ns, s, StateEvent { "c", from, states[s], Source::Kernel, Role::Client, false, "", "", "" } });
        from = states[s];
        SegmentEvent seg;
        seg.from = "c";
        seg.to = "d";
        seg.flags = kAck;
        t.events.push_back({ ++ns, s, seg });
    }
    return t;
}

/// Events before step `step` ends, counted from the trace itself (not with the Player's help).
std::size_t eventsThrough(const Trace& t, int step)
{
    std::size_t n = 0;
    while (n < t.events.size() && t.events[n].step <= step)
        ++n;
    return n;
}

/// A step's events' durations at speed 1, before any scaling.
int naturalMs(const Trace& t, int step)
{
    int total = 0;
    for (const Event& e : t.events)
        if (e.step == step)
            total += Player::durationMs(e.kind());
    return total;
}

/// The live trace's events of step `step` (the first step brings the run's opening note too),
/// handed to the Player as the LiveSession would.
void record(Player& p, const Trace& full, int step, bool last)
{
    for (const Event& e : full.events)
        if (e.step == step || (step == 0 && e.step < 0))
            p.appendEvent(e);
    p.markStepRecorded(step, last);
}
}

class TestPlayer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void revealsOneStepAtHumanSpeed()
    {
        Player p;
        p.setTrace(threeSteps(), true);
        QCOMPARE(p.frame().visible, std::size_t(1)); // the start note, before any step
        QCOMPARE(p.currentStep(), -1);
        p.setSpeed(8);
        p.stepForward();
        QCOMPARE(p.currentStep(), 0);
        QVERIFY(p.isAnimating());
        QVERIFY(p.frame().visible < 4); // not all at once
        QTRY_VERIFY(!p.isAnimating());
        QCOMPARE(p.frame().visible, std::size_t(4));
        QCOMPARE(p.frame().picture.find("c")->state, TcpState::Listen);
    }

    void animationProgressMoves()
    {
        Player p;
        p.setTrace(threeSteps(), true);
        p.setSpeed(0.25);
        p.stepForward();
        QSignalSpy frames(&p, &Player::frameChanged);
        QTRY_VERIFY(frames.count() > 5);
        QVERIFY(p.frame().progress > 0.0);
        QVERIFY(p.frame().progress < 1.0 || p.frame().visible < 4);
    }

    void secondPressFinishesTheStep()
    {
        Player p;
        p.setTrace(threeSteps(), true);
        p.stepForward();
        p.stepForward();
        QVERIFY(!p.isAnimating());
        QCOMPARE(p.frame().visible, std::size_t(4));
        QCOMPARE(p.currentStep(), 0);
    }

    void aBusyStepAnimatesWithinTheBudget()
    {
        // simultaneous-close step 12 (recv server all): seven segments, two state changes, gauges:
        // almost 8 s at its events' own pace.
        const Trace& t = test::recordedTrace("simultaneous-close");
        const int busy = 11;
        QVERIFY2(naturalMs(t, busy) > 3 * Player::stepBudgetMs(), "the test wants a busy step");
        Player p;
        p.setTrace(t, true);
        QVERIFY(p.seekToStep(busy - 1));
        QCOMPARE(p.speed(), 1.0);
        p.stepForward();
        QCOMPARE(p.currentStep(), busy);
        QCOMPARE(p.stepDurationMs(busy), double(Player::stepBudgetMs()));
        // The clock driven by hand: still moving just before the budget, done just after.
        p.advance(Player::stepBudgetMs() - 50);
        QVERIFY(p.isAnimating());
        QVERIFY(p.frame().visible > eventsThrough(t, busy - 1));
        p.advance(100);
        QVERIFY(!p.isAnimating());
        QCOMPARE(p.frame().visible, eventsThrough(t, busy));
    }

    void aSmallStepKeepsItsPace()
    {
        // simultaneous-close step 5 (listen listener): a call, a state, a gauge: 1.2 s, unscaled.
        const Trace& t = test::recordedTrace("simultaneous-close");
        const int small = 4;
        const int natural = naturalMs(t, small);
        QVERIFY(natural > 800 && natural < Player::stepBudgetMs());
        Player p;
        p.setTrace(t, true);
        QVERIFY(p.seekToStep(small - 1));
        p.stepForward();
        QCOMPARE(p.stepDurationMs(small), double(natural));
        p.advance(natural - 50);
        QVERIFY(p.isAnimating());
        p.advance(100);
        QVERIFY(!p.isAnimating());
        QCOMPARE(p.frame().visible, eventsThrough(t, small));
    }

    void pressDuringAnimationFinishesThenTheNextStepsOn()
    {
        const Trace& t = test::recordedTrace("simultaneous-close");
        Player p;
        p.setTrace(t, true);
        QVERIFY(p.seekToStep(4));
        p.stepForward();
        p.advance(100);
        QCOMPARE(p.currentStep(), 5);
        QVERIFY(p.isAnimating());
        p.stepForward(); // finishes step 6 at once, and does nothing more
        QCOMPARE(p.currentStep(), 5);
        QVERIFY(!p.isAnimating());
        QCOMPARE(p.frame().visible, eventsThrough(t, 5));
        QCOMPARE(p.frame().progress, 1.0);
        p.stepForward(); // the next press steps on
        QCOMPARE(p.currentStep(), 6);
        QVERIFY(p.isAnimating());
        QCOMPARE(p.frame().visible, eventsThrough(t, 5));
    }

    void elevenPressesReachElevenSteps()
    {
        // The report: eleven presses 3.5 s apart reached step 9 of simultaneous-close. Every step
        // now ends within the budget, so each press starts a step.
        const Trace& t = test::recordedTrace("simultaneous-close");
        Player p;
        p.setTrace(t, true);
        for (int i = 0; i < 11; ++i) {
            p.stepForward();
            p.advance(3500);
        }
        QCOMPARE(p.currentStep(), 10);
        QVERIFY(!p.isAnimating());
    }

    void seekToStepShowsExactlyThatStep_data()
    {
        QTest::addColumn<int>("step");
        QTest::addRow("before the first") << -1;
        QTest::addRow("first") << 0;
        QTest::addRow("the handshake") << 5;
        QTest::addRow("last") << 12;
    }

    void seekToStepShowsExactlyThatStep()
    {
        QFETCH(int, step);
        const Trace& t = test::recordedTrace("simultaneous-close");
        Player p;
        p.setTrace(t, true);
        p.setSpeed(0.25);
        p.stepForward(); // from the middle of an animation
        QSignalSpy steps(&p, &Player::stepChanged);
        QVERIFY(p.seekToStep(step));
        QCOMPARE(steps.count(), 1);
        QCOMPARE(steps.first().first().toInt(), step);
        QCOMPARE(p.currentStep(), step);
        QCOMPARE(p.frame().step, step);
        QCOMPARE(p.frame().visible, eventsThrough(t, step));
        QCOMPARE(p.frame().progress, 1.0);
        QVERIFY(!p.isAnimating());
        QCOMPARE(statesOf(p.frame().picture), statesOf(Picture::after(t, eventsThrough(t, step))));
    }

    void seekToAStepTheRunDoesNotHaveIsRefused()
    {
        const Trace& t = test::recordedTrace("simultaneous-close");
        Player p;
        p.setTrace(t, true);
        QVERIFY(p.seekToStep(3));
        QSignalSpy steps(&p, &Player::stepChanged);
        QVERIFY(!p.seekToStep(t.stepCount));
        QVERIFY(!p.seekToStep(-2));
        QCOMPARE(steps.count(), 0);
        QCOMPARE(p.currentStep(), 3);
        QCOMPARE(p.frame().visible, eventsThrough(t, 3));
    }

    void theNewStepIsToldBeforeItsEvents()
    {
        // simultaneous-close step 6 (connect client listener) records its call last, after the
        // handshake it caused: the narration must not wait for it.
        const Trace& t = test::recordedTrace("simultaneous-close");
        Player p;
        p.setTrace(t, true);
        QVERIFY(p.seekToStep(4));
        NarrationView narration;
        QObject::connect(&p, &Player::frameChanged, &narration, [&] { narration.setFrame(p.frame()); });
        QSignalSpy frames(&p, &Player::frameChanged);
        p.stepForward();
        QCOMPARE(frames.count(), 1); // at once, not at the next tick
        QCOMPARE(p.frame().step, 5);
        QCOMPARE(p.frame().visible, eventsThrough(t, 4)); // nothing of the step revealed yet
        const QString atStart = narration.toPlainText();
        QVERIFY2(atStart.contains(QStringLiteral("Step 6 of 13")), qPrintable(atStart));
        QVERIFY2(atStart.contains(QStringLiteral("connect client listener")), qPrintable(atStart));
        // What the call returned is the step's outcome: it waits for its event.
        QVERIFY2(!atStart.contains(QStringLiteral(" = 0")), qPrintable(atStart));
        p.stepForward();
        QVERIFY2(narration.toPlainText().contains(QStringLiteral(" = 0")), qPrintable(narration.toPlainText()));
    }

    void liveJumpRunsEveryStepUpToIt()
    {
        Trace full = threeSteps();
        Trace header = full;
        header.events.clear();
        Player p;
        p.setTrace(header, false);
        QSignalSpy requested(&p, &Player::stepRequested);
        QVERIFY(p.seekToStep(2));
        QCOMPARE(requested.count(), 1);
        QCOMPARE(p.currentStep(), 0);
        QCOMPARE(p.seekGoal(), 2);
        record(p, full, 0, false);
        QCOMPARE(p.currentStep(), 1); // on to the next as soon as one is recorded, at rest
        QCOMPARE(requested.count(), 2);
        QCOMPARE(p.frame().visible, std::size_t(4));
        QVERIFY(!p.isAnimating());
        record(p, full, 1, false);
        QCOMPARE(p.currentStep(), 2);
        QCOMPARE(requested.count(), 3);
        record(p, full, 2, true);
        p.advance(0); // one frame: the last step's events, whole
        QCOMPARE(p.currentStep(), 2);
        QCOMPARE(p.seekGoal(), -1);
        QCOMPARE(requested.count(), 3);
        QCOMPARE(p.frame().visible, full.events.size());
        QVERIFY(!p.isAnimating());
        QVERIFY(p.atEnd());
    }

    void livePressWhileTheKernelRunsTheStepFinishesItOnArrival()
    {
        Trace full = threeSteps();
        Trace header = full;
        header.events.clear();
        Player p;
        p.setTrace(header, false);
        QSignalSpy requested(&p, &Player::stepRequested);
        p.stepForward();
        QCOMPARE(requested.count(), 1);
        p.stepForward(); // impatient: twice while the kernel runs the step
        p.stepForward();
        QCOMPARE(p.currentStep(), 0);
        QCOMPARE(requested.count(), 1);
        record(p, full, 0, false);
        p.advance(1); // one frame of 1 ms: the step is shown whole, not animated
        QVERIFY(!p.isAnimating());
        QCOMPARE(p.frame().visible, std::size_t(4));
        QCOMPARE(p.currentStep(), 0); // the presses were not kept to skip step 1
        // A segment delivered at the gate by hand after the step ended animates again.
        SegmentEvent delivered;
        delivered.from = "d";
        delivered.to = "c";
        delivered.flags = kAck;
        p.appendEvent({ full.events.back().tNs + 1, 0, delivered });
        p.advance(1);
        QVERIFY(p.isAnimating());
        p.stepForward(); // finishes it
        QVERIFY(!p.isAnimating());
        QCOMPARE(p.currentStep(), 0);
        p.stepForward();
        QCOMPARE(p.currentStep(), 1);
        QCOMPARE(requested.count(), 2);
    }

    void backAndRestart()
    {
        Player p;
        p.setTrace(threeSteps(), true);
        p.showAll();
        QCOMPARE(p.currentStep(), 2);
        QCOMPARE(p.frame().picture.find("c")->state, TcpState::Established);
        p.stepBack();
        QCOMPARE(p.currentStep(), 1);
        QCOMPARE(p.frame().visible, std::size_t(7));
        QCOMPARE(p.frame().picture.find("c")->state, TcpState::SynSent);
        p.restart();
        QCOMPARE(p.currentStep(), -1);
        QCOMPARE(p.frame().visible, std::size_t(1));
        QVERIFY(!p.frame().picture.find("c"));
    }

    void seek()
    {
        Player p;
        p.setTrace(threeSteps(), true);
        p.seekToEvent(5);
        QCOMPARE(p.currentStep(), 1);
        QCOMPARE(p.frame().visible, std::size_t(6));
        QCOMPARE(p.frame().progress, 1.0);
        p.seekToEvent(99); // out of range: ignored
        QCOMPARE(p.frame().visible, std::size_t(6));
    }

    void playGoesThroughEveryStep()
    {
        Player p;
        p.setTrace(threeSteps(), true);
        p.setSpeed(8);
        QSignalSpy steps(&p, &Player::stepChanged);
        p.play();
        QVERIFY(p.isPlaying());
        QTRY_COMPARE_WITH_TIMEOUT(p.currentStep(), 2, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!p.isPlaying(), 10000); // stops at the end
        QVERIFY(p.atEnd());
        QCOMPARE(steps.count(), 3);
    }

    void liveStepsAreRequested()
    {
        Trace full = threeSteps();
        Trace header = full;
        header.events.clear();
        Player p;
        p.setTrace(header, false);
        QSignalSpy requested(&p, &Player::stepRequested);
        p.stepForward();
        QCOMPARE(requested.count(), 1);
        QCOMPARE(p.currentStep(), 0);
        p.stepForward(); // still waiting for that step: no second request, no skipping ahead
        QCOMPARE(requested.count(), 1);
        QCOMPARE(p.currentStep(), 0);
        p.stepBack(); // back while the kernel runs it: allowed, and it is not asked for twice
        QCOMPARE(p.currentStep(), -1);
        p.stepForward();
        QCOMPARE(p.currentStep(), 0);
        QCOMPARE(requested.count(), 1);
        for (const Event& e : full.events)
            if (e.step <= 0)
                p.appendEvent(e);
        p.markStepRecorded(0, false);
        QTRY_COMPARE(p.frame().visible, std::size_t(4));
        QTRY_VERIFY(!p.isAnimating());
        QCOMPARE(p.recordedSteps(), 1);
        QVERIFY(!p.atEnd());
        p.stepForward();
        QCOMPARE(requested.count(), 2);
    }

    void aNewTraceHasANewRevision()
    {
        // One Trace object serves every run: the revision is what tells views it is another.
        Player p;
        p.setTrace(threeSteps(), true);
        const std::uint64_t first = p.revision();
        const Trace* object = p.frame().trace;
        p.showAll();
        p.restart();
        QCOMPARE(p.frame().revision, first); // the same trace, rewound
        p.setTrace(threeSteps(), true);
        QVERIFY(p.frame().revision != first);
        QCOMPARE(p.frame().trace, object);
        Player other;
        QVERIFY(other.revision() != p.revision());
    }

    void speedIsBounded()
    {
        Player p;
        p.setSpeed(100);
        QCOMPARE(p.speed(), 8.0);
        p.setSpeed(0.01);
        QCOMPARE(p.speed(), 0.25);
        p.faster();
        QCOMPARE(p.speed(), 0.5);
    }
};

QTEST_MAIN(TestPlayer)
#include "tst_player.moc"
