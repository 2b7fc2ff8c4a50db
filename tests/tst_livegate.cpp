// SPDX-License-Identifier: GPL-3.0-or-later
// The window's gate controls against the real kernel, in the gated lab: "Run on the Wire" starts a
// built-in there, "Hold Every Segment" holds the handshake's SYN at the gate, and D (deliver),
// the ladder's menu and → in hold mode act on it, each recorded as a GateEvent by the user.
#include <QAction>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

#include <algorithm>

#include "lab/gate.h"
#include "ladder/ladderview.h"
#include "playback/livesession.h"
#include "scenario/library.h"
#include "testsupport.h"
#include "window/mainwindow.h"

using namespace synack;

namespace {


/// The user's gate events in the player's trace, as "action #frame".
QStringList userGateEvents(MainWindow& w)
{
    QStringList out;
    for (const Event& e : w.player().trace().events)
        if (const auto* g = e.as<GateEvent>(); g && g->by == "user")
            out << QStringLiteral("%1 #%2").arg(QString::fromStdString(g->action)).arg(g->frame);
    return out;
}

/// The held segments' frames the ladder shows as waiting at the gate.
QList<qint64> heldOnLadder(MainWindow& w)
{
    QList<qint64> out;
    for (const auto& it : w.ladder()->items())
        if (it.kind == LadderItem::Segment && it.end == LadderItem::Held)
            out << it.frame;
    return out;
}

/// How many segments the ladder shows ending in a cross on the wire.
int crossedOnLadder(MainWindow& w)
{
    const auto items = w.ladder()->items();
    return static_cast<int>(std::count_if(items.begin(), items.end(),
        [](const LadderItem& it) { return it.kind == LadderItem::Segment && it.end == LadderItem::Crossed; }));
}

} // namespace

class TestLiveGate : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.path());
        QCoreApplication::setOrganizationName(QStringLiteral("SynAckTest"));
    }

    void holdToggleRecordsTheUsersGateEvents()
    {
        SYNACK_REQUIRE_GATED_LAB();
        MainWindow w;
        w.show();
        QVERIFY(w.openScenario(QStringLiteral("handshake")));
        QVERIFY(!w.holdAction()->isEnabled()); // not on the wire: no gate
        w.setRunOnWire(true);
        QVERIFY(w.holdAction()->isEnabled());
        QVERIFY(w.runStepsNow(0)); // listen: the gated lab is made with the first step
        QTRY_COMPARE(w.player().trace().tier, Tier::Gated);

        w.holdAction()->trigger(); // Hold Every Segment
        QTRY_COMPARE(userGateEvents(w), QStringList { QStringLiteral("hold #0") });
        QTRY_VERIFY(w.holdAction()->isChecked());

        QVERIFY(w.runStepsNow(1)); // connect: the SYN waits at the gate
        QTRY_COMPARE(heldOnLadder(w).size(), 1);
        QTRY_VERIFY(w.deliverAction()->isEnabled());
        const qint64 syn = heldOnLadder(w).front();

        // D: the oldest held segment (the SYN) goes on; the SYN+ACK it answers waits in turn.
        w.deliverAction()->trigger();
        QTRY_COMPARE(userGateEvents(w).size(), 2);
        QCOMPARE(userGateEvents(w).last(), QStringLiteral("deliver #%1").arg(syn));
        QTRY_COMPARE(heldOnLadder(w).size(), 2);
        const qint64 synAck = heldOnLadder(w).last();
        QVERIFY(synAck > syn);

        // → in hold mode delivers the next held segment instead of running the next step.
        const int step = w.player().currentStep();
        QTRY_VERIFY(!w.player().isAnimating());
        w.stepForward();
        QTRY_COMPARE(userGateEvents(w).size(), 3);
        QCOMPARE(userGateEvents(w).last(), QStringLiteral("deliver #%1").arg(synAck));
        QCOMPARE(w.player().currentStep(), step);

        // X drops the ACK that answered; the pass lets everything after it through.
        QTRY_VERIFY(w.dropAction()->isEnabled());
        w.dropAction()->trigger();
        QTRY_COMPARE(userGateEvents(w).size(), 4);
        QVERIFY(userGateEvents(w).last().startsWith(QStringLiteral("drop #")));
        QTRY_VERIFY(crossedOnLadder(w) == 1); // the drop: a cross at the gate
        w.holdAction()->trigger();
        QTRY_COMPARE(userGateEvents(w).last(), QStringLiteral("pass #0"));
        QTRY_VERIFY(!w.holdAction()->isChecked());
    }

    void runOnTheWireAsksTheMachineFirst()
    {
        // The menu's action turns on only when the machine can make the gated lab, and says why
        // not otherwise; either way the window goes on.
        const auto [ok, why] = TwoHosts::probe();
        MainWindow w;
        QVERIFY(w.openScenario(QStringLiteral("handshake")));
        w.wireAction()->trigger();
        QTRY_VERIFY(w.wireAction()->isEnabled());
        QCOMPARE(w.runOnWire(), ok);
        QCOMPARE(w.wireAction()->isChecked(), ok);
        if (!ok)
            QVERIFY2(
                w.wireAction()->toolTip().contains(QString::fromStdString(why)), qPrintable(w.wireAction()->toolTip()));
        else
            QVERIFY(w.holdAction()->isEnabled());
    }

    void gateActionsWithoutAGateAreRefused()
    {
        // A run off the wire has no gate: the session says why, nothing is recorded, nothing breaks.
        auto parsed = Library::load("handshake");
        QVERIFY(parsed.scenario);
        LiveSession live;
        QSignalSpy refused(&live, &LiveSession::gateRefused);
        QSignalSpy events(&live, &LiveSession::eventRecorded);
        QSignalSpy steps(&live, &LiveSession::stepRecorded);
        live.start(*parsed.scenario);
        live.requestStep();
        QVERIFY(steps.wait(20000));
        const auto before = events.size();
        live.actAtGate(GateAction::Deliver);
        QVERIFY(refused.wait(20000));
        QVERIFY(!refused.first().first().toString().isEmpty());
        QCOMPARE(events.size(), before);
        QVERIFY(!live.hasGate());
    }
};

QTEST_MAIN(TestLiveGate)
#include "tst_livegate.moc"
