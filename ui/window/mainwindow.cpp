// SPDX-License-Identifier: GPL-3.0-or-later
#include "window/mainwindow.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCheckBox>
#include <QCloseEvent>
#include <QCursor>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressDialog>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollArea>
#include <QSettings>
#include <QSlider>
#include <QSplitter>
#include <QStatusBar>
#include <QStyleFactory>
#include <QTableView>
#include <QTextBlock>
#include <QTimer>
#include <QToolBar>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <map>

#include "common/text.h"
#include "diagram/statediagramview.h"
#include "ladder/ladderview.h"
#include "models/eventlogmodel.h"
#include "models/sockettablemodel.h"
#include "panels/buffersview.h"
#include "panels/narrationview.h"
#include "scenario/library.h"
#include "scenario/parser.h"
#include "window/export.h"

namespace synack {


MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
{
    setWindowTitle(tr("SynAck"));
    setObjectName(QStringLiteral("MainWindow"));
    setDockOptions(AnimatedDocks | AllowNestedDocks | AllowTabbedDocks);

    // The ladder, and over it the bar that says when a run stopped on an error.
    auto* centre = new QWidget(this);
    auto* centreLayout = new QVBoxLayout(centre);
    centreLayout->setContentsMargins(0, 0, 0, 0);
    centreLayout->setSpacing(0);
    m_banner = new QFrame(centre);
    m_banner->setObjectName(QStringLiteral("runBanner"));
    m_banner->setAutoFillBackground(true);
    QPalette bannerPalette = m_banner->palette();
    bannerPalette.setColor(QPalette::Window, QColor(0xfd, 0xe8, 0xea));
    bannerPalette.setColor(QPalette::WindowText, QColor(0x6b, 0x10, 0x1c));
    m_banner->setPalette(bannerPalette);
    auto* bannerLayout = new QHBoxLayout(m_banner);
    m_bannerText = new QLabel(m_banner);
    m_bannerText->setTextFormat(Qt::PlainText); // it quotes the run's error, which may quote the scenario
    m_bannerText->setWordWrap(true);
    m_bannerText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* again = new QPushButton(tr("Run Again"), m_banner);
    again->setObjectName(QStringLiteral("runAgain"));
    connect(again, &QPushButton::clicked, this, &MainWindow::runAgain);
    auto* dismiss = new QPushButton(tr("Dismiss"), m_banner);
    connect(dismiss, &QPushButton::clicked, m_banner, &QWidget::hide);
    bannerLayout->addWidget(m_bannerText, 1);
    bannerLayout->addWidget(again);
    bannerLayout->addWidget(dismiss);
    m_banner->hide();
    m_ladder = new LadderView(centre);
    m_ladder->setObjectName(QStringLiteral("ladder"));
    centreLayout->addWidget(m_banner);
    centreLayout->addWidget(m_ladder, 1);
    setCentralWidget(centre);
    buildDocks();
    buildActions();
    buildPicker();
    buildStepJumps(centreLayout);

    connect(&m_player, &Player::frameChanged, this, &MainWindow::onFrame);
    // On a projector the narration's dock is as tall as its text: a new step may need another height.
    connect(m_narration, &NarrationView::textChanged, this, [this] {
        if (m_presentation)
            scheduleFit();
    });
    connect(&m_player, &Player::stepChanged, this, &MainWindow::onStepChanged);
    connect(&m_player, &Player::playingChanged, this, &MainWindow::updateControls);
    connect(&m_player, &Player::stepRequested, &m_live, &LiveSession::requestStep);
    connect(&m_live, &LiveSession::started, &m_player, &Player::updateHeader);
    connect(&m_live, &LiveSession::eventRecorded, &m_player, &Player::appendEvent);
    connect(&m_live, &LiveSession::stepRecorded, this, [this](int step, bool last) {
        m_player.markStepRecorded(step, last);
        updateControls();
    });
    connect(&m_live, &LiveSession::runFinished, this, &MainWindow::onRunFinished);
    // A click shows that event; on a segment held at the gate it offers what the gate can do
    // with it instead (going back to it would hide what came after).
    connect(m_ladder, &LadderView::eventClicked, this, [this](int index) {
        if (!offerGateMenu(index))
            m_player.seekToEvent(index);
    });
    connect(&m_live, &LiveSession::wireProbed, this, &MainWindow::onWireProbed);
    connect(&m_live, &LiveSession::gateChanged, this, &MainWindow::onGateChanged);
    connect(&m_live, &LiveSession::gateRefused, this,
        [this](const QString& error) { setStatus(tr("The gate did nothing: %1").arg(error)); });
    connect(&m_loader, &TraceLoader::loaded, this, &MainWindow::onTraceLoaded);
    connect(&m_loader, &TraceLoader::failed, this, &MainWindow::onTraceRefused);
    connect(&m_loader, &TraceLoader::progressed, this, [this](double fraction) {
        if (m_loadProgress)
            m_loadProgress->setValue(static_cast<int>(fraction * 100));
    });
    connect(&m_live, &LiveSession::pcapSaved, this, [this](const QString& path, const QString& error) {
        if (error.isEmpty())
            setStatus(tr("Captured segments saved to %1 (open it with Wireshark or tcpdump -r)").arg(path));
        else
            warn(tr("Save pcap"), error);
    });
    // What actually ran: the worker's header says whether the lab could be had.
    // Before the first step the worker's header has no tier yet (the Runner decides it as the run
    // begins): until then the bar says the tier the run will get, as the Runner will choose it.
    connect(&m_live, &LiveSession::started, this, [this](const Trace& header) {
        m_runBegun = !header.events.empty();
        m_tierLabel->setText(tierWords(m_runBegun ? header.tier : expectedTier()));
    });

    // What this machine offers, asked off the GUI thread (the probe may take seconds).
    m_tierLabel = new QLabel(this);
    statusBar()->addPermanentWidget(m_tierLabel);
    connect(&m_live, &LiveSession::tierProbed, this, &MainWindow::showTier);
    m_live.probeTier();

    QSettings settings;
    applyTheme(settings.value(QStringLiteral("theme"), QStringLiteral("system")).toString());
    placeInitially();
    const QString lang
        = QLocale().name().startsWith(QStringLiteral("zh")) ? QStringLiteral("zh") : QStringLiteral("en");
    setNarrationLanguage(settings.value(QStringLiteral("narrationLanguage"), lang).toString());
    openScenario(QStringLiteral("handshake"));
    updateControls();
}

MainWindow::~MainWindow() = default;
void MainWindow::showTier(const TierReport& tier)
{
    // A run that has begun already said which tier it got: that stands.
    m_probedTier = tier.tier == 1 ? Tier::Lab : Tier::HostLoopback;
    if (!m_runBegun)
        m_tierLabel->setText(tierWords(expectedTier()));
    m_tierLabel->setToolTip(plainToolTip(tier.tier == 1
            ? tr("Each run gets a private network namespace with its own loopback: only its own sockets, "
                 "nothing left behind on this machine, and every segment captured from the wire.")
            : tr("Sockets live on this machine's loopback interface. States, queues and timers are read from "
                 "the kernel; segments are inferred from the state changes. The lab tier is not available: %1")
                  .arg(qs(tier.why))));
    Q_EMIT tierShown();
}

Tier MainWindow::expectedTier() const
{
    // As Runner::begin() chooses: the gated lab when asked for or needed, the lab when needed or
    // when the probe found it can be made (Lab::probe() heeds SYNACK_TIER=0 as the Runner does),
    // else host loopback.
    if (m_liveOnWire || (m_scenario && m_scenario->needs == Needs::Wire))
        return Tier::Gated;
    if (m_scenario && m_scenario->needs == Needs::Lab)
        return Tier::Lab;
    return m_probedTier.value_or(Tier::HostLoopback);
}

QString MainWindow::tierText() const
{
    return m_tierLabel ? m_tierLabel->text() : tr("Host loopback · segments inferred");
}

QString MainWindow::tierToolTip() const
{
    return m_tierLabel->toolTip();
}

QString MainWindow::tierWords(Tier tier) const
{
    switch (tier) {
    case Tier::Lab:
        return tr("Lab: private network namespace · segments captured");
    case Tier::Gated:
        return tr("Gated lab: two private hosts · segments captured at the gate");
    case Tier::HostLoopback:
    case Tier::Auto:
        break;
    }
    return tr("Host loopback · segments inferred");
}

// --- building ------------------------------------------------------------------------------------

bool MainWindow::confirmDiscardEdits()
{
    if (m_editor->toPlainText() == m_loadedText)
        return true;
    const auto answer = QMessageBox::question(this, tr("Unsaved scenario"),
        tr("The scenario in the editor has changes that are not saved. Save them first?"),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Cancel)
        return false;
    if (answer == QMessageBox::Save) {
        saveScenarioDialog();
        return m_editor->toPlainText() == m_loadedText;
    }
    return true;
}

bool MainWindow::openScenario(const QString& nameOrPath)
{
    if (!confirmDiscardEdits())
        return false;
    const std::string key = nameOrPath.toStdString();
    QString text;
    QString path;
    if (auto builtin = Library::text(key); builtin && !nameOrPath.contains(u'/')) {
        text = QString::fromUtf8(builtin->data(), static_cast<qsizetype>(builtin->size()));
    } else {
        // A regular file, bounded, and valid UTF-8 (the editor would change invalid bytes): the
        // same policy as `synack run`. The editor keeps what it had.
        ScenarioText read = readScenarioText(nameOrPath.toStdString());
        if (read.error) {
            m_errorTexts = { qs(read.error->toString()) };
            warn(tr("Open scenario"), tr("%1 was not opened:\n%2").arg(nameOrPath, qs(read.error->toString())));
            return false;
        }
        text = QString::fromStdString(read.text);
        path = QFileInfo(nameOrPath).absoluteFilePath();
        addRecent(path);
    }
    m_editor->setPlainText(text);
    m_loadedText = text;
    m_scenarioPath = path;
    return runEditor();
}

bool MainWindow::runEditor()
{
    const QString name = m_scenarioPath.isEmpty() ? (m_scenario ? qs(m_scenario->name) : QStringLiteral("scenario"))
                                                  : QFileInfo(m_scenarioPath).completeBaseName();
    // Edited text is the editor's, whatever it was loaded from: its errors' lines are the editor's.
    const bool edited = m_editor->toPlainText() != m_loadedText;
    const std::string file = edited ? tr("(editor)").toStdString()
        : m_scenarioPath.isEmpty()  ? "<builtin>/" + name.toStdString() + ".synack"
                                    : m_scenarioPath.toStdString();
    auto parsed = parseScenario(m_editor->toPlainText().toStdString(), name.toStdString(), file);
    if (!parsed.ok()) {
        showErrors(parsed.errors);
        setStatus(
            tr("The scenario has %n error(s); nothing was run.", nullptr, static_cast<int>(parsed.errors.size())));
        return false;
    }
    clearErrors();
    m_scenario = *parsed.scenario;
    startLive(*m_scenario);
    return true;
}

void MainWindow::startLive(const Scenario& scenario)
{
    m_banner->hide();
    const std::string lang = m_lang.toStdString();
    setWindowTitle(tr("%1 — SynAck").arg(qs(scenario.text(scenario.title, lang))));
    m_narration->setIntro(qs(scenario.text(scenario.title, lang)), qs(scenario.text(scenario.about, lang)));
    m_tableModel->clear();
    // The header is known here already, so the first step can be asked for at once; the worker
    // adds what only it knows (kernel, start time) when it begins.
    Trace header;
    header.scenario = scenario.name;
    header.title = scenario.text(scenario.title);
    header.file = scenario.file;
    header.stepCount = static_cast<int>(std::count_if(
        scenario.steps.begin(), scenario.steps.end(), [](const Step& s) { return s.kind != StepKind::Expect; }));
    m_player.setTrace(header, false);
    m_liveOnWire = m_onWire || scenario.needs == Needs::Wire;
    m_runBegun = false;
    if (m_tierLabel)
        m_tierLabel->setText(tierWords(expectedTier()));
    m_holdPending = m_holdAction->isChecked() && m_liveOnWire;
    m_live.start(scenario, allowHostPorts(scenario), m_liveOnWire);
    setStatus(tr("Ready: press → or Space to run the first step against the kernel."));
}

bool MainWindow::allowHostPorts(const Scenario& scenario)
{
    // `connect NAME port=N` with no endpoint of the run behind the port: on host loopback that
    // port may be another program's (a database, a development server). The user decides, per
    // run; without a window to ask in (a screenshot), the answer is no.
    QStringList ports;
    for (const Step& st : scenario.steps)
        if (st.kind == StepKind::Connect && st.other.empty() && st.port)
            ports << QString::number(*st.port);
    ports.removeDuplicates();
    if (ports.isEmpty() || !isVisible())
        return false;
    QMessageBox box(QMessageBox::Question, tr("Connect to this computer's ports?"),
        tr("This scenario connects to port %1 on loopback.").arg(ports.join(QStringLiteral(", "))), QMessageBox::NoButton,
        this);
    box.setInformativeText(tr("In the lab (tier 1) the scenario has a private network of its own and this does not "
                              "matter. On host loopback (tier 0) the port may belong to another program on this "
                              "computer, which would then receive the scenario's connection and data. Allow it only "
                              "for a scenario you trust."));
    QPushButton* allow = box.addButton(tr("Allow for this run"), QMessageBox::AcceptRole);
    QPushButton* deny = box.addButton(tr("Do not allow"), QMessageBox::RejectRole);
    box.setDefaultButton(deny);
    box.exec();
    return box.clickedButton() == allow;
}

void MainWindow::onRunFinished(const RunSummary& s)
{
    if (s.error) {
        // The run could not go on: the lab's helper was lost, a limit of this machine was met, a
        // step could not be carried out. Say so where the eye is, and offer to start over.
        const QString why = qs(s.error->message);
        setStatus(tr("The run stopped: %1").arg(qs(s.error->toString())));
        showRunBanner(s.error->pos.line > 0
                ? tr("The run stopped at line %1 of the scenario: %2").arg(s.error->pos.line).arg(why)
                : tr("The run stopped: %1").arg(why));
    } else if (s.failed) {
        setStatus(tr("%n expectation(s) did not hold.", nullptr, s.failed));
    } else if (!s.cancelled) {
        setStatus(tr("Done: all %n expectation(s) held.", nullptr, s.expectations));
    }
}

void MainWindow::showRunBanner(const QString& text)
{
    m_bannerText->setText(text);
    m_banner->show();
}

QString MainWindow::runBannerText() const
{
    return m_banner->isHidden() ? QString() : m_bannerText->text();
}

void MainWindow::runAgain()
{
    if (!m_scenario)
        return;
    startLive(*m_scenario);
}

void MainWindow::showErrors(const std::vector<Diagnostic>& errors)
{
    m_errors->clear();
    m_errorTexts.clear();
    QList<QTextEdit::ExtraSelection> marks;
    for (const Diagnostic& d : errors) {
        const QString text = qs(d.toString());
        m_errorTexts << text;
        auto* item = new QListWidgetItem(text, m_errors);
        item->setData(Qt::UserRole, d.pos.line);
        item->setData(Qt::UserRole + 1, d.pos.column);
        item->setForeground(QColor(0xd1, 0x49, 0x5b));
        if (d.pos.line <= 0)
            continue;
        QTextEdit::ExtraSelection mark;
        mark.cursor = QTextCursor(m_editor->document()->findBlockByNumber(d.pos.line - 1));
        mark.format.setBackground(QColor(0xd1, 0x49, 0x5b, 60));
        mark.format.setProperty(QTextFormat::FullWidthSelection, true);
        mark.format.setToolTip(plainToolTip(qs(d.message)));
        marks << mark;
    }
    m_editor->setExtraSelections(marks);
    m_errors->show();
    m_editorDock->show();
    m_editorDock->raise();
}

void MainWindow::clearErrors()
{
    m_errors->clear();
    m_errors->hide();
    m_errorTexts.clear();
    m_editor->setExtraSelections({});
}

bool MainWindow::runStepsNow(int lastStep, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        const bool shown = m_player.currentStep() >= lastStep && m_player.recordedSteps() > lastStep;
        if (shown && !m_player.isAnimating())
            return true;
        if (m_player.atEnd() && m_player.currentStep() < lastStep)
            return false; // the run ended (or stopped on an error) before that step
        // Forward finishes a running animation at once, or asks for the next step.
        if (m_player.currentStep() < lastStep || m_player.isAnimating())
            m_player.stepForward();
        QEventLoop loop;
        QTimer::singleShot(5, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return false;
}

// --- the frame -----------------------------------------------------------------------------------

void MainWindow::onFrame()
{
    QElapsedTimer work;
    work.start();
    const Frame& f = m_player.frame();
    m_ladder->setFrame(f);
    m_diagram->setFrame(f);
    m_buffers->setFrame(f);
    // A short pane shows the fullest queue (the server's full receive queue in buffer-fill sits below
    // the fold otherwise): scrolled to when another queue becomes the fullest, not on every frame.
    if (const auto busiest = m_buffers->busiestGauge(); busiest != m_busiestGauge) {
        m_busiestGauge = busiest;
        if (busiest) {
            const QRectF r = m_buffers->gaugeRect(*busiest);
            if (auto* scroll = qobject_cast<QScrollArea*>(m_buffersDock->widget()); scroll && !r.isNull())
                scroll->ensureVisible(0, static_cast<int>(r.center().y()), 0, static_cast<int>(r.height() / 2) + 4);
        }
    }
    m_tableModel->setSnapshot(f.picture, f.nowNs);
    if (static_cast<std::size_t>(m_tableModel->rowCount()) != m_lastRows) {
        // A new socket may have widened a column (a longer name, an address); the header follows
        // changes within rows by itself (ResizeToContents).
        m_lastRows = static_cast<std::size_t>(m_tableModel->rowCount());
        m_table->resizeColumnsToContents();
    }
    m_narration->setFrame(f);
    const int before = m_logModel->rowCount();
    m_logModel->setFrame(f);
    if (m_logModel->rowCount() > before)
        m_log->scrollToBottom();
    updateControls();
    m_lastFrameWorkNs = work.nsecsElapsed();
}

void MainWindow::onStepChanged(int step)
{
    Q_UNUSED(step);
    statusBar()->clearMessage(); // "Ready…" and the like are about the previous picture
    updateControls();
}

void MainWindow::askRunOnWire(bool on)
{
    if (!on) {
        setRunOnWire(false);
        return;
    }
    // Whether this machine can make the gated lab (TwoHosts::probe(), off the GUI thread); the
    // answer turns it on, or says why not and leaves the runs where they were.
    m_wireAction->setChecked(false);
    m_wireAction->setEnabled(false);
    setStatus(tr("Checking whether this machine can make the gated lab…"));
    m_live.probeWire();
}

void MainWindow::onWireProbed(bool ok, const QString& why)
{
    m_wireAction->setEnabled(true);
    if (ok) {
        m_wireAction->setToolTip(tr("Run the scenario again between two private hosts joined through SynAck's gate, "
                                    "which can hold, deliver, drop and copy every segment."));
        setStatus(QString());
        setRunOnWire(true);
        return;
    }
    m_wireAction->setChecked(false);
    m_wireAction->setToolTip(tr("The gated lab is not available on this machine: %1").arg(why));
    warn(tr("Run on the Wire"),
        tr("The gated lab is not available on this machine: %1\n\nThe scenario runs as before; synack doctor "
           "says more.")
            .arg(why));
}

void MainWindow::setRunOnWire(bool on)
{
    m_wireAction->setChecked(on);
    if (on == m_onWire)
        return;
    m_onWire = on;
    // Takes effect at once: the scenario starts again, on the wire or off it.
    if (m_scenario && !(m_scenario->needs == Needs::Wire))
        startLive(*m_scenario);
    updateControls();
}

void MainWindow::stepForward()
{
    // Hold mode, one segment at a time: while something waits at the gate, → lets the oldest go
    // on; only when nothing is held does it run the next step. Not while replaying earlier steps.
    const bool atNewest = m_player.currentStep() + 1 >= m_player.recordedSteps();
    if (m_live.gateHolding() && !m_live.heldFrames().isEmpty() && atNewest) {
        m_live.actAtGate(GateAction::Deliver);
        return;
    }
    m_player.stepForward();
}

void MainWindow::onGateChanged(bool hasGate, bool holding, const QList<qint64>& held)
{
    if (hasGate && m_holdPending) { // asked for before the first step made the gate
        m_holdPending = false;
        if (!holding)
            m_live.actAtGate(GateAction::Hold);
    }
    if (hasGate && !m_holdPending) {
        const QSignalBlocker block(m_holdAction);
        m_holdAction->setChecked(holding);
    }
    if (!held.isEmpty())
        setStatus(tr("%n segment(s) held at the gate: D delivers the oldest, X drops it, or click one.", nullptr,
            static_cast<int>(held.size())));
    updateControls();
}

bool MainWindow::offerGateMenu(int eventIndex)
{
    const auto& events = m_player.trace().events;
    if (eventIndex < 0 || static_cast<std::size_t>(eventIndex) >= events.size())
        return false;
    const auto* seg = events[static_cast<std::size_t>(eventIndex)].as<SegmentEvent>();
    if (!seg || seg->fate != "held" || !m_live.isRunning() || !m_live.heldFrames().contains(seg->frame))
        return false;
    const qint64 frame = seg->frame;
    QMenu menu(this);
    menu.setTitle(tr("Segment #%1 at the gate").arg(frame));
    menu.addSection(tr("%1, held at the gate").arg(qs(seg->flagsText())));
    menu.addAction(tr("&Deliver"), this, [this, frame] { m_live.actAtGate(GateAction::Deliver, frame); });
    menu.addAction(tr("D&rop"), this, [this, frame] { m_live.actAtGate(GateAction::Drop, frame); });
    menu.addAction(tr("D&uplicate"), this, [this, frame] { m_live.actAtGate(GateAction::Duplicate, frame); });
    menu.exec(QCursor::pos());
    return true;
}

void MainWindow::updateLegend()
{
    // In the gated lab the gate's keys come first: → does something else in hold mode.
    const bool gated = m_liveOnWire || m_player.trace().tier == Tier::Gated;
    const QString text = gated
        ? tr("→  step (holding: deliver)   D  deliver   X  drop   ←  back   P  play/pause   R  restart   F11  leave")
        : tr("→ / Space  step   ←  back   P  play/pause   R  restart   + / −  speed   F11  leave     "
             "— read from the kernel    - - - inferred");
    if (m_legend->text() != text)
        m_legend->setText(text);
    m_legend->setToolTip(gated ? tr("In the gated lab: D delivers and X drops the oldest held segment; with "
                                    "Hold Every Segment on, → delivers the next held segment one at a time, and "
                                    "runs the next step only when nothing is held.")
                               : QString());
}

void MainWindow::updateControls()
{
    updateLegend();
    const int step = m_player.currentStep();
    const int count = m_player.stepCount();
    m_stepLabel->setText(
        step < 0 ? tr(" Ready · %n step(s) ", nullptr, count) : tr(" Step %1 of %2 ").arg(step + 1).arg(count));
    m_backAction->setEnabled(step >= 0);
    const bool held = m_live.isRunning() && !m_live.heldFrames().isEmpty();
    m_forwardAction->setEnabled(!m_player.atEnd() || (held && m_live.gateHolding()));
    // The gate's controls: only for a live run in the gated lab.
    m_holdAction->setEnabled(m_live.isRunning() && m_liveOnWire);
    m_deliverAction->setEnabled(held);
    m_dropAction->setEnabled(held);
    if (m_scenario && m_scenario->needs == Needs::Wire) {
        m_wireAction->setChecked(true);
        m_wireAction->setEnabled(false);
    } else {
        m_wireAction->setChecked(m_onWire);
        m_wireAction->setEnabled(true);
    }
    m_playAction->setText(m_player.isPlaying() ? tr("&Pause") : tr("&Play"));
    m_playAction->setIcon(style()->standardIcon(m_player.isPlaying() ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
}

// --- presentation, theme, language ---------------------------------------------------------------

void MainWindow::applyPresentationPalette(bool on)
{
    if (!on) {
        applyTheme(QSettings().value(QStringLiteral("theme"), QStringLiteral("system")).toString());
        return;
    }
    // High contrast for a projector: black on white washes out less than grey on grey.
    QPalette p;
    p.setColor(QPalette::Window, Qt::white);
    p.setColor(QPalette::WindowText, Qt::black);
    p.setColor(QPalette::Base, Qt::white);
    p.setColor(QPalette::Text, Qt::black);
    p.setColor(QPalette::Button, QColor(0xee, 0xee, 0xee));
    p.setColor(QPalette::ButtonText, Qt::black);
    p.setColor(QPalette::Highlight, QColor(0x00, 0x5f, 0xcc));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::PlaceholderText, QColor(0x44, 0x44, 0x44));
    setPalette(p);
}

void MainWindow::applyTheme(const QString& theme)
{
    QSettings().setValue(QStringLiteral("theme"), theme);
    QPalette p;
    if (theme == QStringLiteral("dark")) {
        p.setColor(QPalette::Window, QColor(0x2b, 0x2d, 0x31));
        p.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
        p.setColor(QPalette::Base, QColor(0x1e, 0x1f, 0x22));
        p.setColor(QPalette::AlternateBase, QColor(0x2b, 0x2d, 0x31));
        p.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
        p.setColor(QPalette::Button, QColor(0x3a, 0x3d, 0x42));
        p.setColor(QPalette::ButtonText, QColor(0xe6, 0xe6, 0xe6));
        p.setColor(QPalette::Highlight, QColor(0x3d, 0x8b, 0xfd));
        p.setColor(QPalette::HighlightedText, Qt::white);
        p.setColor(QPalette::ToolTipBase, QColor(0x3a, 0x3d, 0x42));
        p.setColor(QPalette::ToolTipText, QColor(0xe6, 0xe6, 0xe6));
        p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
    } else if (theme == QStringLiteral("light")) {
        p = QApplication::style()->standardPalette();
    } else {
        p = QApplication::palette(); // the platform's: follows the desktop's light or dark scheme
    }
    setPalette(p);
}

void MainWindow::setNarrationLanguage(const QString& lang)
{
    m_lang = lang == QStringLiteral("zh") ? QStringLiteral("zh") : QStringLiteral("en");
    QSettings().setValue(QStringLiteral("narrationLanguage"), m_lang);
    m_narration->setLanguage(m_lang);
    if (m_picker)
        fillPicker();
    if (m_scenario) {
        const std::string l = m_lang.toStdString();
        m_narration->setIntro(qs(m_scenario->text(m_scenario->title, l)), qs(m_scenario->text(m_scenario->about, l)));
    }
}

void MainWindow::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange) {
        m_ladder->update();
        m_diagram->update();
        m_buffers->update();
    }
    QMainWindow::changeEvent(event);
}

// --- files ---------------------------------------------------------------------------------------

void MainWindow::setStatus(const QString& text)
{
    statusBar()->showMessage(text);
}

void MainWindow::warn(const QString& title, const QString& text)
{
    setStatus(text);
    if (!isVisible())
        return;
    // Not modal: the window (and a run in progress) goes on while the message is shown.
    auto* box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, this);
    // The text may quote a file or a trace: shown as it is, never read as HTML.
    box->setTextFormat(Qt::PlainText);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::NonModal);
    box->show();
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (!confirmDiscardEdits()) {
        event->ignore();
        return;
    }
    saveLayout();
    m_live.stop();
    event->accept();
}

} // namespace synack
