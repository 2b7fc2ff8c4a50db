// SPDX-License-Identifier: GPL-3.0-or-later
// Jumping to a step: the number keys, Go to Step…, and the step list and timeline under the ladder.
#include "window/mainwindow.h"

#include <QAction>
#include <QBoxLayout>
#include <QInputDialog>
#include <QMenu>

#include "common/text.h"
#include "playback/stepscrubber.h"

namespace synack {

void MainWindow::buildStepJumps(QBoxLayout* underLadder)
{
    m_scrubber = new StepScrubber(&m_player, this);
    m_scrubber->setObjectName(QStringLiteral("stepScrubber"));
    underLadder->addWidget(m_scrubber);
    // A live run's steps are named by the scenario's statements before the kernel has run them.
    m_scrubber->setStatements([this](const Trace& trace) {
        QStringList statements;
        if (!m_scenario || m_scenario->name != trace.scenario)
            return statements;
        for (const Step& st : m_scenario->steps)
            if (st.kind != StepKind::Expect) // as Trace::stepCount counts them
                statements << qs(st.text);
        return statements;
    });
    connect(m_scrubber, &StepScrubber::stepChosen, this, &MainWindow::reportJump);
    // A jump through a live run takes a request per step: say so until it arrives. Queued, so it
    // comes after onStepChanged() has cleared the previous picture's message.
    connect(
        &m_player, &Player::stepChanged, this,
        [this] {
            if (m_player.seekGoal() >= 0)
                reportJump(m_player.seekGoal(), true);
        },
        Qt::QueuedConnection);

    // 1–9 jump to the first nine steps: in a lecture the teacher goes back to "step 3" by number.
    for (int n = 1; n <= 9; ++n) {
        auto* key = new QAction(this);
        key->setShortcut(QKeySequence(Qt::Key_0 + n));
        connect(key, &QAction::triggered, this, [this, n] { jumpToStep(n - 1); });
        addAction(key);
    }
    auto* goTo = new QAction(tr("&Go to Step…"), this);
    goTo->setShortcut(QKeySequence(tr("Ctrl+G")));
    connect(goTo, &QAction::triggered, this, [this] {
        const int count = m_player.stepCount();
        if (count <= 0)
            return;
        bool ok = false;
        const int current = std::clamp(m_player.currentStep() + 1, 1, count);
        const int n
            = QInputDialog::getInt(this, tr("Go to Step"), tr("Step (1 to %1):").arg(count), current, 1, count, 1, &ok);
        if (ok)
            jumpToStep(n - 1);
    });
    // In the Run menu, after Step Back; on the window itself when the menus are laid out otherwise.
    QMenu* runMenu = nullptr;
    for (QObject* o : m_backAction->associatedObjects())
        if (auto* m = qobject_cast<QMenu*>(o))
            runMenu = m;
    if (runMenu)
        runMenu->insertAction(m_playAction, goTo);
    addAction(goTo);
}

bool MainWindow::jumpToStep(int step)
{
    const bool accepted = m_player.seekToStep(step);
    reportJump(step, accepted);
    return accepted;
}

void MainWindow::reportJump(int step, bool accepted)
{
    if (!accepted)
        setStatus(tr("There is no step %1: this run has %n step(s).", nullptr, m_player.stepCount()).arg(step + 1));
    else if (m_player.seekGoal() >= 0)
        setStatus(tr("Running the steps up to step %1 against the kernel…").arg(step + 1));
}

} // namespace synack
