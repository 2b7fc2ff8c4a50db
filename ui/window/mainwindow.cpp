// SPDX-License-Identifier: GPL-3.0-or-later
#include "window/mainwindow.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCheckBox>
#include <QCloseEvent>
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
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
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

namespace {
constexpr int kMaxRecent = 8;

/// Speed slider positions: quarter speed to eight times, in powers of two.
double speedForPosition(int pos)
{
    return std::pow(2.0, pos);
}
}

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
{
    setWindowTitle(tr("SynAck"));
    setObjectName(QStringLiteral("MainWindow"));
    setDockOptions(AnimatedDocks | AllowNestedDocks | AllowTabbedDocks);

    m_ladder = new LadderView(this);
    m_ladder->setObjectName(QStringLiteral("ladder"));
    setCentralWidget(m_ladder);
    buildDocks();
    buildActions();
    buildPicker();

    connect(&m_player, &Player::frameChanged, this, &MainWindow::onFrame);
    connect(&m_player, &Player::stepChanged, this, &MainWindow::onStepChanged);
    connect(&m_player, &Player::playingChanged, this, &MainWindow::updateControls);
    connect(&m_player, &Player::stepRequested, &m_live, &LiveSession::requestStep);
    connect(&m_live, &LiveSession::started, &m_player, &Player::updateHeader);
    connect(&m_live, &LiveSession::eventRecorded, &m_player, &Player::appendEvent);
    connect(&m_live, &LiveSession::stepRecorded, this, [this](int step, bool last) {
        m_player.markStepRecorded(step, last);
        updateControls();
    });
    connect(&m_live, &LiveSession::runFinished, this, [this](const RunSummary& s) {
        if (s.error)
            setStatus(tr("The run stopped: %1").arg(qs(s.error->toString())));
        else if (s.failed)
            setStatus(tr("%n expectation(s) did not hold.", nullptr, s.failed));
        else
            setStatus(tr("Done: all %n expectation(s) held.", nullptr, s.expectations));
    });
    connect(m_ladder, &LadderView::eventClicked, &m_player, &Player::seekToEvent);
    connect(&m_live, &LiveSession::pcapSaved, this, [this](const QString& path, const QString& error) {
        if (error.isEmpty())
            setStatus(tr("Captured segments saved to %1 (open it with Wireshark or tcpdump -r)").arg(path));
        else
            warn(tr("Save pcap"), error);
    });
    // What actually ran: the worker's header says whether the lab could be had.
    connect(&m_live, &LiveSession::started, this, [this](const Trace& header) {
        m_tierLabel->setText(header.tier == Tier::Lab ? tr("Lab: private network namespace · segments captured")
                                                      : tr("Host loopback · segments inferred"));
    });

    // What this machine offers, asked off the GUI thread (the probe may take seconds).
    m_tierLabel = new QLabel(this);
    statusBar()->addPermanentWidget(m_tierLabel);
    connect(&m_live, &LiveSession::tierProbed, this, &MainWindow::showTier);
    m_live.probeTier();

    QSettings settings;
    applyTheme(settings.value(QStringLiteral("theme"), QStringLiteral("system")).toString());
    resize(1400, 900);
    restoreState(settings.value(QStringLiteral("windowState")).toByteArray());
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
    if (m_tierLabel->text().isEmpty())
        m_tierLabel->setText(tier.tier == 1 ? tr("Lab: private network namespace · segments captured")
                                            : tr("Host loopback · segments inferred"));
    m_tierLabel->setToolTip(tier.tier == 1
            ? tr("Each run gets a private network namespace with its own loopback: only its own sockets, "
                 "nothing left behind on this machine, and every segment captured from the wire.")
            : tr("Sockets live on this machine's loopback interface. States, queues and timers are read from "
                 "the kernel; segments are inferred from the state changes. The lab tier is not available: %1")
                  .arg(qs(tier.why)));
    Q_EMIT tierShown();
}

QString MainWindow::tierText() const
{
    return m_tierLabel ? m_tierLabel->text() : tr("Host loopback · segments inferred");
}

QString MainWindow::tierToolTip() const
{
    return m_tierLabel->toolTip();
}

// --- building ------------------------------------------------------------------------------------

void MainWindow::buildDocks()
{
    auto dock = [this](const QString& title, const QString& name, QWidget* w, Qt::DockWidgetArea area) {
        auto* d = new QDockWidget(title, this);
        d->setObjectName(name);
        d->setWidget(w);
        addDockWidget(area, d);
        return d;
    };

    m_diagram = new StateDiagramView(this);
    m_diagramDock = dock(tr("State diagram"), QStringLiteral("diagramDock"), m_diagram, Qt::RightDockWidgetArea);

    m_narration = new NarrationView(this);
    m_narrationDock = dock(tr("Narration"), QStringLiteral("narrationDock"), m_narration, Qt::RightDockWidgetArea);

    m_buffers = new BuffersView(this);
    auto* buffersScroll = new QScrollArea(this);
    buffersScroll->setWidget(m_buffers);
    buffersScroll->setWidgetResizable(true);
    buffersScroll->setFrameShape(QFrame::NoFrame);
    m_buffersDock = dock(tr("Buffers"), QStringLiteral("buffersDock"), buffersScroll, Qt::BottomDockWidgetArea);

    m_tableModel = new SocketTableModel(this);
    m_table = new QTableView(this);
    m_table->setModel(m_tableModel);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_tableDock = dock(tr("Sockets"), QStringLiteral("tableDock"), m_table, Qt::BottomDockWidgetArea);

    auto* logBox = new QWidget(this);
    auto* logLayout = new QVBoxLayout(logBox);
    logLayout->setContentsMargins(0, 0, 0, 0);
    auto* filterRow = new QHBoxLayout;
    auto* filter = new QLineEdit(logBox);
    filter->setPlaceholderText(tr("Filter events"));
    filter->setClearButtonEnabled(true);
    filterRow->addWidget(filter, 1);
    m_logModel = new EventLogModel(this);
    m_logFilter = new EventLogFilter(this);
    m_logFilter->setSourceModel(m_logModel);
    for (EventKind k : { EventKind::Step, EventKind::State, EventKind::Segment, EventKind::Buffers, EventKind::Timer,
             EventKind::Expect, EventKind::Note }) {
        auto* box = new QCheckBox(EventLogModel::tr(eventKindName(k).data()), logBox);
        box->setChecked(k != EventKind::Buffers);
        m_logFilter->setKindShown(k, box->isChecked());
        connect(box, &QCheckBox::toggled, this, [this, k](bool on) { m_logFilter->setKindShown(k, on); });
        filterRow->addWidget(box);
    }
    connect(filter, &QLineEdit::textChanged, m_logFilter, &EventLogFilter::setText);
    m_log = new QTableView(logBox);
    m_log->setModel(m_logFilter);
    m_log->verticalHeader()->hide();
    m_log->horizontalHeader()->setStretchLastSection(true);
    m_log->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_log->setSelectionMode(QAbstractItemView::SingleSelection);
    connect(m_log, &QTableView::clicked, this,
        [this](const QModelIndex& index) { m_player.seekToEvent(index.data(EventLogModel::EventIndexRole).toInt()); });
    logLayout->addLayout(filterRow);
    logLayout->addWidget(m_log, 1);
    m_logDock = dock(tr("Event log"), QStringLiteral("logDock"), logBox, Qt::BottomDockWidgetArea);
    tabifyDockWidget(m_tableDock, m_logDock);
    m_tableDock->raise();

    // The scenario: a picker of built-ins, and the editor with its errors.
    m_picker = new QTreeWidget(this);
    m_picker->setHeaderHidden(true);
    m_pickerAbout = new QLabel(this);
    m_pickerAbout->setWordWrap(true);
    m_pickerAbout->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    auto* pickerBox = new QSplitter(Qt::Vertical, this);
    pickerBox->addWidget(m_picker);
    pickerBox->addWidget(m_pickerAbout);
    pickerBox->setStretchFactor(0, 3);
    m_pickerDock = dock(tr("Scenarios"), QStringLiteral("pickerDock"), pickerBox, Qt::LeftDockWidgetArea);

    auto* editorBox = new QWidget(this);
    auto* editorLayout = new QVBoxLayout(editorBox);
    editorLayout->setContentsMargins(0, 0, 0, 0);
    m_editor = new QPlainTextEdit(editorBox);
    m_editor->setObjectName(QStringLiteral("editor"));
    m_editor->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_editor->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_errors = new QListWidget(editorBox);
    m_errors->setObjectName(QStringLiteral("errors"));
    m_errors->setMaximumHeight(110);
    m_errors->hide();
    connect(m_errors, &QListWidget::itemActivated, this, [this](QListWidgetItem* item) {
        const int line = item->data(Qt::UserRole).toInt();
        const int column = item->data(Qt::UserRole + 1).toInt();
        QTextCursor c(m_editor->document()->findBlockByNumber(std::max(0, line - 1)));
        c.movePosition(QTextCursor::Right, QTextCursor::MoveAnchor, std::max(0, column - 1));
        m_editor->setTextCursor(c);
        m_editor->setFocus();
    });
    auto* runButton = new QPushButton(tr("Run this scenario"), editorBox);
    connect(runButton, &QPushButton::clicked, this, &MainWindow::runEditor);
    editorLayout->addWidget(m_editor, 1);
    editorLayout->addWidget(m_errors);
    editorLayout->addWidget(runButton);
    m_editorDock = dock(tr("Scenario"), QStringLiteral("editorDock"), editorBox, Qt::LeftDockWidgetArea);
    // The scenario's picker and its text share one column: the ladder needs the width.
    tabifyDockWidget(m_pickerDock, m_editorDock);
    m_pickerDock->raise();
    resizeDocks({ m_pickerDock, m_diagramDock }, { 270, 600 }, Qt::Horizontal);
    resizeDocks({ m_diagramDock, m_narrationDock }, { 480, 300 }, Qt::Vertical);
    resizeDocks({ m_buffersDock }, { 240 }, Qt::Vertical);

    // The keys, always in view in presentation mode.
    m_legend = new QLabel(this);
    m_legend->setObjectName(QStringLiteral("legend"));
    m_legend->setText(tr("→ / Space  step   ←  back   P  play/pause   R  restart   + / −  speed   F11  leave     "
                         "— read from the kernel    - - - inferred"));
    m_legend->hide();
}

void MainWindow::buildActions()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open Scenario…"), QKeySequence::Open, this, &MainWindow::openScenarioDialog);
    file->addAction(tr("Open &Trace…"), QKeySequence(tr("Ctrl+Shift+O")), this, &MainWindow::openTraceDialog);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    rebuildRecentMenu();
    file->addSeparator();
    file->addAction(tr("&Save Scenario As…"), QKeySequence::SaveAs, this, &MainWindow::saveScenarioDialog);
    file->addAction(tr("Save Trace As…"), QKeySequence(tr("Ctrl+Shift+S")), this, &MainWindow::saveTraceDialog);
    file->addAction(tr("Save Captured Segments as pcap…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Save pcap"),
            qs(m_player.trace().scenario) + QStringLiteral(".pcap"), tr("Packet captures (*.pcap)"));
        if (!path.isEmpty())
            m_live.savePcap(path);
    });
    file->addSeparator();
    file->addAction(tr("Export &Ladder…"), this, [this] { exportDialog(true); });
    file->addAction(tr("Export State &Diagram…"), this, [this] { exportDialog(false); });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu* run = menuBar()->addMenu(tr("&Run"));
    m_runAction = run->addAction(tr("Run &Scenario Again"), QKeySequence(tr("Ctrl+R")), this, &MainWindow::runEditor);
    run->addSeparator();
    m_forwardAction = run->addAction(tr("Step &Forward"), &m_player, &Player::stepForward);
    m_forwardAction->setShortcuts({ QKeySequence(Qt::Key_Right), QKeySequence(Qt::Key_Space) });
    m_backAction = run->addAction(tr("Step &Back"), &m_player, &Player::stepBack);
    m_backAction->setShortcut(QKeySequence(Qt::Key_Left));
    m_playAction = run->addAction(tr("&Play"), &m_player, &Player::togglePlay);
    m_playAction->setShortcut(QKeySequence(Qt::Key_P));
    m_restartAction = run->addAction(tr("Res&tart"), &m_player, &Player::restart);
    m_restartAction->setShortcut(QKeySequence(Qt::Key_R));
    QAction* faster = run->addAction(tr("Faster"), &m_player, &Player::faster);
    faster->setShortcuts({ QKeySequence(Qt::Key_Plus), QKeySequence(Qt::Key_Equal) });
    QAction* slower = run->addAction(tr("Slower"), &m_player, &Player::slower);
    slower->setShortcuts({ QKeySequence(Qt::Key_Minus) });
    run->addAction(tr("Show Everything Recorded"), QKeySequence(tr("End")), &m_player, &Player::showAll);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    m_presentAction = view->addAction(tr("&Presentation Mode"), this, [this](bool on) { setPresentation(on); });
    m_presentAction->setCheckable(true);
    m_presentAction->setShortcut(QKeySequence(Qt::Key_F11));
    auto* leave = new QAction(this);
    leave->setShortcut(QKeySequence(Qt::Key_Escape));
    connect(leave, &QAction::triggered, this, [this] {
        if (m_presentation)
            setPresentation(false);
    });
    addAction(leave);
    view->addSeparator();
    for (QDockWidget* d :
        { m_diagramDock, m_narrationDock, m_buffersDock, m_tableDock, m_logDock, m_pickerDock, m_editorDock })
        view->addAction(d->toggleViewAction());
    view->addSeparator();
    QMenu* theme = view->addMenu(tr("&Theme"));
    auto* themes = new QActionGroup(this);
    const QString current = QSettings().value(QStringLiteral("theme"), QStringLiteral("system")).toString();
    for (const auto& [key, label] : std::map<QString, QString> { { QStringLiteral("system"), tr("Follow the System") },
             { QStringLiteral("light"), tr("Light") }, { QStringLiteral("dark"), tr("Dark") } }) {
        QAction* a = theme->addAction(label, this, [this, k = key] { applyTheme(k); });
        a->setCheckable(true);
        a->setChecked(key == current);
        themes->addAction(a);
    }
    QMenu* narration = view->addMenu(tr("&Narration Language"));
    auto* langs = new QActionGroup(this);
    for (const auto& [key, label] : std::map<QString, QString> { { QStringLiteral("en"), QStringLiteral("English") },
             { QStringLiteral("zh"), QStringLiteral("简体中文") } }) {
        QAction* a = narration->addAction(label, this, [this, k = key] { setNarrationLanguage(k); });
        a->setCheckable(true);
        a->setData(key);
        langs->addAction(a);
    }
    connect(narration, &QMenu::aboutToShow, this, [this, langs] {
        for (QAction* a : langs->actions())
            a->setChecked(a->data().toString() == m_lang);
    });

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About SynAck"), this, [this] {
        QMessageBox::about(this, tr("About SynAck"),
            tr("<h3>SynAck %1</h3><p>Watch the Linux kernel's TCP state machine work: real sockets on loopback, "
               "driven one call at a time, and everything the kernel reports about them.</p>"
               "<p>Solid lines and filled marks were read from the kernel; dashed ones were inferred from the "
               "RFC 9293 diagram because they passed faster than they could be sampled.</p>")
                .arg(QStringLiteral(SYNACK_VERSION)));
    });

    QToolBar* bar = addToolBar(tr("Steps"));
    bar->setObjectName(QStringLiteral("stepsToolBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_restartAction->setIcon(style()->standardIcon(QStyle::SP_MediaSkipBackward));
    m_backAction->setIcon(style()->standardIcon(QStyle::SP_MediaSeekBackward));
    m_playAction->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    m_forwardAction->setIcon(style()->standardIcon(QStyle::SP_MediaSeekForward));
    m_runAction->setIcon(style()->standardIcon(QStyle::SP_BrowserReload));
    bar->addAction(m_restartAction);
    bar->addAction(m_backAction);
    bar->addAction(m_playAction);
    bar->addAction(m_forwardAction);
    bar->addSeparator();
    bar->addWidget(new QLabel(tr(" Speed "), bar));
    m_speed = new QSlider(Qt::Horizontal, bar);
    m_speed->setRange(-2, 3);
    m_speed->setValue(0);
    m_speed->setMaximumWidth(120);
    m_speed->setToolTip(tr("Animation speed (+ and − keys)"));
    connect(m_speed, &QSlider::valueChanged, this, [this](int v) { m_player.setSpeed(speedForPosition(v)); });
    connect(&m_player, &Player::speedChanged, this, [this](double s) {
        const QSignalBlocker block(m_speed);
        m_speed->setValue(static_cast<int>(std::lround(std::log2(s))));
        setStatus(tr("Speed ×%1").arg(s));
    });
    bar->addWidget(m_speed);
    bar->addSeparator();
    m_stepLabel = new QLabel(bar);
    bar->addWidget(m_stepLabel);
    bar->addSeparator();
    bar->addAction(m_runAction);
    bar->addAction(m_presentAction);
}

void MainWindow::buildPicker()
{
    connect(m_picker, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
        if (!item || item->data(0, Qt::UserRole).toString().isEmpty())
            return;
        m_pickerAbout->setText(item->toolTip(0));
    });
    connect(m_picker, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem* item) {
        const QString name = item->data(0, Qt::UserRole).toString();
        if (!name.isEmpty())
            openScenario(name);
    });
    connect(m_picker, &QTreeWidget::itemClicked, this, [this](QTreeWidgetItem* item) {
        const QString name = item->data(0, Qt::UserRole).toString();
        if (!name.isEmpty() && name != qs(m_scenario ? m_scenario->name : std::string()))
            openScenario(name);
    });
    fillPicker();
}

void MainWindow::fillPicker()
{
    m_picker->clear();
    // Built-ins grouped by their topic, in the library's teaching order, in the narration's language.
    std::map<QString, QTreeWidgetItem*> groups;
    for (const std::string& name : Library::names()) {
        auto parsed = Library::load(name);
        if (!parsed.scenario)
            continue;
        const Scenario& sc = *parsed.scenario;
        const QString topic = qs(sc.text(sc.topic, m_lang.toStdString()));
        QTreeWidgetItem*& group = groups[topic];
        if (!group) {
            group = new QTreeWidgetItem(m_picker, { topic.isEmpty() ? tr("Other") : topic });
            group->setFlags(Qt::ItemIsEnabled);
            group->setExpanded(true);
            QFont f = group->font(0);
            f.setBold(true);
            group->setFont(0, f);
        }
        auto* item = new QTreeWidgetItem(group, { qs(sc.text(sc.title, m_lang.toStdString())) });
        item->setData(0, Qt::UserRole, qs(name));
        item->setToolTip(0, qs(sc.text(sc.about, m_lang.toStdString())));
    }
}

// --- scenarios and runs --------------------------------------------------------------------------

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
    const std::string file
        = m_scenarioPath.isEmpty() ? "<builtin>/" + name.toStdString() + ".synack" : m_scenarioPath.toStdString();
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
    m_live.start(scenario, allowHostPorts(scenario));
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
        mark.format.setToolTip(qs(d.message));
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

bool MainWindow::openTrace(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        warn(tr("Open trace"), tr("Cannot open %1: %2").arg(path, f.errorString()));
        return false;
    }
    auto trace = traceFromJson(f.readAll().toStdString());
    if (!trace) {
        warn(tr("Open trace"), tr("%1 is not a trace SynAck can read: %2").arg(path, qs(trace.error().message())));
        return false;
    }
    m_live.stop();
    m_tableModel->clear();
    setWindowTitle(tr("%1 (recorded) — SynAck").arg(qs(trace->title)));
    m_narration->setIntro(qs(trace->title),
        tr("Recorded on Linux %1 at %2. Nothing is run: this replays what the kernel reported then.")
            .arg(qs(trace->kernel), qs(trace->startedAt)));
    m_player.setTrace(std::move(*trace), true);
    addRecent(QFileInfo(path).absoluteFilePath());
    setStatus(tr("Replaying %1").arg(QFileInfo(path).fileName()));
    updateControls();
    return true;
}

bool MainWindow::saveTrace(const QString& path)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly)) {
        setStatus(tr("Cannot write %1: %2").arg(path, f.errorString()));
        return false;
    }
    f.write(QByteArray::fromStdString(traceToJson(m_player.trace())));
    if (!f.commit()) {
        setStatus(tr("Cannot write %1: %2").arg(path, f.errorString()));
        return false;
    }
    setStatus(tr("Trace saved to %1").arg(path));
    return true;
}

bool MainWindow::exportLadder(const QString& path)
{
    const QString error = exportPicture(
        path, m_ladder->contentSize(), [this](QPainter& p, const QRectF& r) { m_ladder->paintTo(p, r); },
        windowTitle());
    setStatus(error.isEmpty() ? tr("Ladder exported to %1").arg(path) : error);
    return error.isEmpty();
}

bool MainWindow::exportDiagram(const QString& path)
{
    const QString error = exportPicture(
        path, m_diagram->contentSize(), [this](QPainter& p, const QRectF& r) { m_diagram->paintTo(p, r); },
        windowTitle());
    setStatus(error.isEmpty() ? tr("State diagram exported to %1").arg(path) : error);
    return error.isEmpty();
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
    m_tableModel->setSnapshot(f.picture, f.nowNs);
    if (f.visible != m_lastVisible) {
        // A new event may have widened a column (a longer state name, an address).
        m_lastVisible = f.visible;
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

void MainWindow::updateControls()
{
    const int step = m_player.currentStep();
    const int count = m_player.stepCount();
    m_stepLabel->setText(
        step < 0 ? tr(" Ready · %n step(s) ", nullptr, count) : tr(" Step %1 of %2 ").arg(step + 1).arg(count));
    m_backAction->setEnabled(step >= 0);
    m_forwardAction->setEnabled(!m_player.atEnd());
    m_playAction->setText(m_player.isPlaying() ? tr("&Pause") : tr("&Play"));
    m_playAction->setIcon(style()->standardIcon(m_player.isPlaying() ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
}

// --- presentation, theme, language ---------------------------------------------------------------

void MainWindow::setPresentation(bool on)
{
    if (on == m_presentation)
        return;
    m_presentation = on;
    m_presentAction->setChecked(on);
    if (on) {
        m_normalState = saveState();
        for (QDockWidget* d : { m_buffersDock, m_tableDock, m_logDock, m_pickerDock, m_editorDock })
            d->hide();
        m_diagramDock->show();
        m_narrationDock->show();
        menuBar()->hide();
        statusBar()->addWidget(m_legend, 1);
        m_legend->show();
        showFullScreen();
    } else {
        statusBar()->removeWidget(m_legend);
        m_legend->hide();
        menuBar()->show();
        showNormal();
        restoreState(m_normalState);
    }
    applyPresentationPalette(on);
    m_ladder->setPresentation(on);
    m_diagram->setPresentation(on);
    m_buffers->setPresentation(on);
    m_narration->setPresentation(on);
    QFont f = m_legend->font();
    f.setPointSizeF(on ? 16 : QFont().pointSizeF());
    m_legend->setFont(f);
    // Keys go to the window, not to whatever had focus (the editor would take Space and arrows).
    if (on)
        m_ladder->setFocus();
}

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

void MainWindow::openScenarioDialog()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open Scenario"), QString(), tr("SynAck scenarios (*.synack);;All files (*)"));
    if (!path.isEmpty())
        openScenario(path);
}

void MainWindow::openTraceDialog()
{
    const QString path
        = QFileDialog::getOpenFileName(this, tr("Open Trace"), QString(), tr("SynAck traces (*.json);;All files (*)"));
    if (!path.isEmpty())
        openTrace(path);
}

void MainWindow::saveTraceDialog()
{
    const QString suggested = qs(m_player.trace().scenario) + QStringLiteral(".json");
    const QString path = QFileDialog::getSaveFileName(this, tr("Save Trace"), suggested, tr("SynAck traces (*.json)"));
    if (!path.isEmpty())
        saveTrace(path);
}

void MainWindow::saveScenarioDialog()
{
    const QString suggested = m_scenarioPath.isEmpty()
        ? (m_scenario ? qs(m_scenario->name) : QStringLiteral("scenario")) + QStringLiteral(".synack")
        : m_scenarioPath;
    const QString path
        = QFileDialog::getSaveFileName(this, tr("Save Scenario"), suggested, tr("SynAck scenarios (*.synack)"));
    if (path.isEmpty())
        return;
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly)) {
        setStatus(tr("Cannot write %1: %2").arg(path, f.errorString()));
        return;
    }
    f.write(m_editor->toPlainText().toUtf8());
    if (!f.commit()) {
        setStatus(tr("Cannot write %1: %2").arg(path, f.errorString()));
        return;
    }
    m_loadedText = m_editor->toPlainText();
    m_scenarioPath = QFileInfo(path).absoluteFilePath();
    addRecent(m_scenarioPath);
    setStatus(tr("Scenario saved to %1").arg(path));
}

void MainWindow::exportDialog(bool ladder)
{
    const QString base
        = qs(m_player.trace().scenario) + (ladder ? QStringLiteral("-ladder") : QStringLiteral("-diagram"));
    const QString path = QFileDialog::getSaveFileName(this, ladder ? tr("Export Ladder") : tr("Export State Diagram"),
        base + QStringLiteral(".svg"), tr("SVG (*.svg);;PNG (*.png)"));
    if (path.isEmpty())
        return;
    if (ladder)
        exportLadder(path);
    else
        exportDiagram(path);
}

void MainWindow::addRecent(const QString& path)
{
    QSettings settings;
    QStringList recent = settings.value(QStringLiteral("recentFiles")).toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    settings.setValue(QStringLiteral("recentFiles"), recent);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = QSettings().value(QStringLiteral("recentFiles")).toStringList();
    for (const QString& path : recent) {
        m_recentMenu
            ->addAction(QFileInfo(path).fileName(), this,
                [this, path] {
                    if (path.endsWith(QStringLiteral(".json")))
                        openTrace(path);
                    else
                        openScenario(path);
                })
            ->setToolTip(path);
    }
    m_recentMenu->setEnabled(!recent.isEmpty());
}

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
    if (!m_presentation)
        QSettings().setValue(QStringLiteral("windowState"), saveState());
    m_live.stop();
    event->accept();
}

} // namespace synack
