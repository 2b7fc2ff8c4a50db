// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow, how it is put together: docks, actions and menus, the scenario picker.
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

namespace {
/// Speed slider positions: quarter speed to eight times, in powers of two.
double speedForPosition(int pos)
{
    return std::pow(2.0, pos);
}
}

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
    // Sized from the rows in view and a few hundred more, not from all of 20,000 sockets.
    m_table->horizontalHeader()->setResizeContentsPrecision(256);
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
    m_pickerAbout->setTextFormat(Qt::PlainText);
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
    // An error is a sentence: wrapped to the dock's width, not cut at its edge.
    m_errors->setWordWrap(true);
    m_errors->setTextElideMode(Qt::ElideNone);
    m_errors->setResizeMode(QListView::Adjust);
    m_errors->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
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
    m_legend->setWordWrap(true);
    m_legend->setMargin(6);
    updateLegend();
    m_legendDock = dock(tr("Keys"), QStringLiteral("legendDock"), m_legend, Qt::BottomDockWidgetArea);
    m_legendDock->setFeatures(QDockWidget::NoDockWidgetFeatures);
    m_legendDock->hide();
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
    m_forwardAction = run->addAction(tr("Step &Forward"), this, &MainWindow::stepForward);
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
    // The gated lab: a teacher can freeze any scenario's segments at the gate.
    run->addSeparator();
    m_wireAction = run->addAction(tr("Run on the &Wire (Gated Lab)"), this, [this](bool on) { askRunOnWire(on); });
    m_wireAction->setCheckable(true);
    m_wireAction->setToolTip(tr("Run the scenario again between two private hosts joined through SynAck's gate, "
                                "which can hold, deliver, drop and copy every segment."));
    m_holdAction = run->addAction(tr("&Hold Every Segment"));
    m_holdAction->setCheckable(true);
    m_holdAction->setToolTip(tr("The gate holds every segment until you deliver (D) or drop (X) it; → then "
                                "delivers the next held segment instead of running the next step."));
    connect(m_holdAction, &QAction::triggered, this, [this](bool on) {
        if (!m_live.hasGate()) { // before the first step: the gate is made with it
            m_holdPending = on;
            setStatus(on ? tr("The gate will hold every segment from the first step on.") : QString());
            return;
        }
        m_live.actAtGate(on ? GateAction::Hold : GateAction::Pass);
    });
    m_deliverAction
        = run->addAction(tr("&Deliver Held Segment"), this, [this] { m_live.actAtGate(GateAction::Deliver); });
    m_deliverAction->setShortcut(QKeySequence(Qt::Key_D));
    m_dropAction = run->addAction(tr("Dr&op Held Segment"), this, [this] { m_live.actAtGate(GateAction::Drop); });
    m_dropAction->setShortcut(QKeySequence(Qt::Key_X));

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
    // Zoom: the ladder and the diagram together, remembered for the next session.
    auto zoomBy = [this](double factor) {
        const double ladder = factor > 0 ? m_ladder->zoom() * factor : 1.0;
        const double diagram = factor > 0 ? m_diagram->zoom() * factor : 1.0;
        m_ladder->setZoom(ladder);
        m_diagram->setZoom(diagram);
        QSettings().setValue(QStringLiteral("view/ladderZoom"), m_ladder->zoom());
        QSettings().setValue(QStringLiteral("view/diagramZoom"), m_diagram->zoom());
    };
    QAction* zoomIn = view->addAction(tr("Zoom &In"), this, [zoomBy] { zoomBy(1.25); });
    zoomIn->setShortcuts({ QKeySequence(Qt::CTRL | Qt::Key_Equal), QKeySequence(Qt::CTRL | Qt::Key_Plus) });
    QAction* zoomOut = view->addAction(tr("Zoom &Out"), this, [zoomBy] { zoomBy(0.8); });
    zoomOut->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Minus));
    QAction* zoomReset = view->addAction(tr("&Actual Size"), this, [zoomBy] { zoomBy(0); });
    zoomReset->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    for (QAction* a : { zoomIn, zoomOut, zoomReset })
        a->setToolTip(tr("Zoom the ladder and the state diagram (Ctrl+wheel zooms the one under the mouse)"));
    m_ladder->setZoom(QSettings().value(QStringLiteral("view/ladderZoom"), 1.0).toDouble());
    m_diagram->setZoom(QSettings().value(QStringLiteral("view/diagramZoom"), 1.0).toDouble());
    connect(m_ladder, &LadderView::zoomChanged, this,
        [](double z) { QSettings().setValue(QStringLiteral("view/ladderZoom"), z); });
    view->addSeparator();
    view->addAction(m_ladder->absoluteSequenceAction());
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
    m_stepsBar = bar;
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
    bar->addAction(m_holdAction);
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
        m_pickerAbout->setText(item->data(0, Qt::UserRole + 1).toString());
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
        item->setToolTip(0, plainToolTip(qs(sc.text(sc.about, m_lang.toStdString()))));
        item->setData(0, Qt::UserRole + 1, qs(sc.text(sc.about, m_lang.toStdString())));
    }
}

// --- scenarios and runs --------------------------------------------------------------------------

} // namespace synack
