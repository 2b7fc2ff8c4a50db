// SPDX-License-Identifier: GPL-3.0-or-later
// The Player: what it reveals, when, and that stepping back rebuilds the same picture.
#include <QSignalSpy>
#include <QTest>

#include "playback/player.h"

using namespace synack;

namespace {
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
