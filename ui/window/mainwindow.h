// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMainWindow>
#include <QPointer>

#include <optional>

#include "playback/livesession.h"
#include "playback/player.h"
#include "playback/traceloader.h"
#include "scenario/scenario.h"

class QAction;
class QBoxLayout;
class QDockWidget;
class QLabel;
class QListWidget;
class QPlainTextEdit;
class QProgressDialog;
class QSlider;
class QTableView;
class QToolBar;
class QTreeWidget;
class QTreeWidgetItem;
class QScrollArea;

namespace synack {

class BuffersView;
class EventLogFilter;
class EventLogModel;
class LadderView;
class NarrationView;
class SocketTableModel;
class StateDiagramView;
class StepScrubber;

/// The main window: pick or write a scenario, run it live against the kernel one step at a time
/// (or replay a saved trace), and watch the ladder, the state diagram, the buffers and the socket
/// table move together. Every view is told by the Player; none reads the engine.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Loads a built-in (by name) or a .synack file into the editor and prepares a live run.
    /// A scenario with errors shows them at their lines and returns false; nothing else changes.
    bool openScenario(const QString& nameOrPath);
    /// Parses the editor's text and, when it is valid, starts a new live run of it.
    bool runEditor();
    /// Replays a trace saved as JSON; nothing is run. The file is read on a worker thread (a
    /// progress dialog with Cancel appears when it takes a while); traceOpened() or traceRefused()
    /// tells how it ended. Until then, and after a refusal, the window keeps what it showed.
    void openTrace(const QString& path);
    /// openTrace() and wait (turning the event loop) until it ends: for `synack screenshot` and
    /// tests. False when the file was refused, or not read within `timeoutMs`.
    bool openTraceNow(const QString& path, int timeoutMs = 120000);
    /// Shows a trace that is already in memory, as openTrace() does once the file is read.
    void showTrace(Trace trace, const QString& path);
    bool saveTrace(const QString& path);
    bool exportLadder(const QString& path);
    bool exportDiagram(const QString& path);

    /// Runs every step now (no animation), for `synack screenshot` and tests: returns when step
    /// `lastStep` (0-based) is recorded and shown, or false on a run that stops earlier.
    bool runStepsNow(int lastStep, int timeoutMs = 120000);

    void setPresentation(bool on);
    bool isPresentation() const { return m_presentation; }
    void setNarrationLanguage(const QString& lang);

    Player& player() { return m_player; }
    LadderView* ladder() const { return m_ladder; }
    StateDiagramView* diagram() const { return m_diagram; }
    BuffersView* buffers() const { return m_buffers; }
    SocketTableModel* socketTable() const { return m_tableModel; }
    NarrationView* narration() const { return m_narration; }
    /// The bar over the ladder that says a run stopped on an error, with "Run Again"; hidden
    /// otherwise.
    QWidget* runBanner() const { return m_banner; }
    /// What that bar says ("" when it is hidden).
    QString runBannerText() const;
    /// Starts the scenario of the last run again from its beginning (the bar's "Run Again").
    void runAgain();
    /// Whether the window runs scenarios in the gated lab ("Run on the Wire"): the scenario starts
    /// again there; a scenario with gate steps always runs there. The menu's action probes first.
    void setRunOnWire(bool on);
    bool runOnWire() const { return m_onWire; }
    /// The toolbar's "Hold Every Segment" toggle, and D / X (deliver / drop the oldest held one).
    QAction* wireAction() const { return m_wireAction; }
    QAction* holdAction() const { return m_holdAction; }
    QAction* deliverAction() const { return m_deliverAction; }
    QAction* dropAction() const { return m_dropAction; }
    /// → and Space: the next step, or in hold mode, when a segment waits at the gate, its delivery.
    void stepForward();
    /// Number keys, "Go to Step…", the step list and the scrubber: step `step` (0-based; -1 before
    /// the first) whole and at rest. In a live run a step not run yet is run first, with every step
    /// before it; a step the scenario does not have is refused with a status message (false).
    bool jumpToStep(int step);
    /// The step list and timeline under the ladder.
    StepScrubber* stepScrubber() const { return m_scrubber; }
    /// The problems of the scenario in the editor, as "file:line:column: message".
    QStringList editorErrors() const { return m_errorTexts; }
    QString tierText() const;
    /// The tier's tooltip, once the probe has answered (tierShown()).
    QString tierToolTip() const;
    /// How long the views took to take in the last frame (painting comes after, in the event loop).
    qint64 lastFrameWorkNs() const { return m_lastFrameWorkNs; }

Q_SIGNALS:
    /// The probe of what this machine offers has answered: tierToolTip() says it.
    void tierShown();
    /// openTrace() read the file and shows it.
    void traceOpened(const QString& path);
    /// openTrace() could not read the file: `message` says why (file, event, field).
    void traceRefused(const QString& path, const QString& message);

protected:
    void closeEvent(QCloseEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    // The layouts (mainwindowlayout.cpp).
    /// The first size and place: the saved ones, or the screen's available size at most.
    void placeInitially();
    /// The normal layout for a window `width` wide: three columns from kWideLayout on, else two
    /// with the panels under the ladder in one tab group.
    void arrangeNormal(int width);
    /// The projector's: ladder and diagram side by side, narration and keys under both.
    void arrangePresentation();
    /// The normal layout's dock sizes for the window's size.
    void sizeNormal();
    /// Sizes what depends on the window's size, once the event loop has laid the window out.
    void scheduleFit();
    void fitLayout();
    /// Scrolls the ladder to the newest event shown.
    void followCurrentStep();
    /// Remembers this layout's geometry and dock state in QSettings (normal and presentation apart).
    void saveLayout() const;

    void buildActions();
    void buildDocks();
    void buildPicker();
    /// Jumping to a step: the scrubber (added to `underLadder`), the number keys and Go to Step.
    void buildStepJumps(QBoxLayout* underLadder);
    /// The status bar's word on a jump the user asked for.
    void reportJump(int step, bool accepted);
    void fillPicker();
    void onFrame();
    void onStepChanged(int step);
    void updateControls();
    /// The keys shown in presentation mode: the gate's too in the gated lab.
    void updateLegend();
    void showTier(const TierReport& tier);
    void showErrors(const std::vector<Diagnostic>& errors);
    void clearErrors();
    void startLive(const Scenario& scenario);
    void onGateChanged(bool hasGate, bool holding, const QList<qint64>& held);
    /// A click on the ladder: on a segment held at the gate, offers Deliver / Drop / Duplicate
    /// (and says true).
    bool offerGateMenu(int eventIndex);
    /// The menu's Run on the Wire: on only once the probe says this machine can make the gated lab.
    void askRunOnWire(bool on);
    void onWireProbed(bool ok, const QString& why);
    /// The status bar's words for a tier.
    QString tierWords(Tier tier) const;
    /// The tier the next run will get, chosen as the Runner chooses it.
    Tier expectedTier() const;
    /// Asks whether this run may connect to ports on host loopback that it does not hold.
    bool allowHostPorts(const Scenario& scenario);
    void onRunFinished(const RunSummary& summary);
    void showRunBanner(const QString& text);
    void onTraceLoaded(const QString& path, const std::shared_ptr<Trace>& trace);
    void onTraceRefused(const QString& path, const QString& message);
    void closeLoadProgress();
    void addRecent(const QString& path);
    void rebuildRecentMenu();
    bool confirmDiscardEdits();
    void openScenarioDialog();
    void openTraceDialog();
    void saveTraceDialog();
    void saveScenarioDialog();
    void exportDialog(bool ladder);
    void applyTheme(const QString& theme);
    void applyPresentationPalette(bool on);
    void setStatus(const QString& text);
    /// Says what went wrong without stopping anything: status bar and a non-modal message.
    void warn(const QString& title, const QString& text);

    Player m_player;
    LiveSession m_live;
    TraceLoader m_loader;
    QPointer<QProgressDialog> m_loadProgress;
    std::optional<Scenario> m_scenario;
    QString m_scenarioPath; ///< file the editor's text came from ("" for a built-in)
    QString m_loadedText; ///< to know whether the editor holds unsaved edits
    bool m_presentation = false;
    QString m_lang = QStringLiteral("en");
    QStringList m_errorTexts;
    qint64 m_lastFrameWorkNs = 0;
    std::size_t m_lastRows = 0; ///< the socket table's rows when its columns were last sized

    LadderView* m_ladder = nullptr;
    QWidget* m_banner = nullptr;
    QLabel* m_bannerText = nullptr;
    QScrollArea* m_ladderScroll = nullptr;
    StateDiagramView* m_diagram = nullptr;
    BuffersView* m_buffers = nullptr;
    SocketTableModel* m_tableModel = nullptr;
    QTableView* m_table = nullptr;
    NarrationView* m_narration = nullptr;
    EventLogModel* m_logModel = nullptr;
    EventLogFilter* m_logFilter = nullptr;
    QTableView* m_log = nullptr;
    QTreeWidget* m_picker = nullptr;
    QLabel* m_pickerAbout = nullptr;
    QPlainTextEdit* m_editor = nullptr;
    QListWidget* m_errors = nullptr;
    QLabel* m_stepLabel = nullptr;
    QLabel* m_tierLabel = nullptr;
    QLabel* m_legend = nullptr;
    QSlider* m_speed = nullptr;
    StepScrubber* m_scrubber = nullptr;

    QDockWidget* m_diagramDock = nullptr;
    QDockWidget* m_buffersDock = nullptr;
    QDockWidget* m_tableDock = nullptr;
    QDockWidget* m_narrationDock = nullptr;
    QDockWidget* m_logDock = nullptr;
    QDockWidget* m_pickerDock = nullptr;
    QDockWidget* m_editorDock = nullptr;
    QDockWidget* m_legendDock = nullptr; ///< the keys' strip, in presentation mode only
    QToolBar* m_stepsBar = nullptr;
    QByteArray m_normalState; ///< dock layout to restore after presentation mode
    QByteArray m_normalGeometry;
    Qt::DockWidgetArea m_normalCorners[2] = { Qt::LeftDockWidgetArea, Qt::RightDockWidgetArea };
    bool m_wideLayout = true; ///< the normal layout is the three-column one
    bool m_fitPending = false;
    std::optional<std::size_t> m_busiestGauge; ///< the buffers pane was scrolled to this gauge
    bool m_needsSizing = false; ///< the normal layout's sizes wait for the window to be shown
    bool m_enteredPresentation = false; ///< the next fit is the first in presentation mode
    double m_diagramShare = 0.45; ///< presentation: the diagram's share of the width
    int m_lastFitWidth = -1; ///< presentation: the width the diagram's share was last applied to

    QAction* m_backAction = nullptr;
    QAction* m_forwardAction = nullptr;
    QAction* m_playAction = nullptr;
    QAction* m_restartAction = nullptr;
    QAction* m_runAction = nullptr;
    QAction* m_presentAction = nullptr;
    QAction* m_wireAction = nullptr;
    QAction* m_holdAction = nullptr;
    QAction* m_deliverAction = nullptr;
    QAction* m_dropAction = nullptr;
    std::optional<Tier> m_probedTier; ///< what Lab::probe() found this machine can make
    bool m_runBegun = false; ///< the live run has taken its first step: its header names its tier
    bool m_onWire = false; ///< "Run on the Wire": runs start in the gated lab
    bool m_liveOnWire = false; ///< the current live run was started in the gated lab
    bool m_holdPending = false; ///< hold asked for before the run's first step made the gate
    QMenu* m_recentMenu = nullptr;
};

} // namespace synack
