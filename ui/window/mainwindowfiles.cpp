// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow, its files: opening and saving traces and scenarios, exports, recent files.
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
constexpr int kMaxRecent = 8;
}

void MainWindow::openTrace(const QString& path)
{
    m_loader.load(path);
    setStatus(tr("Reading %1…").arg(QFileInfo(path).fileName()));
    // Shown only when the file takes a while; not modal, so the window goes on meanwhile.
    if (!m_loadProgress) {
        m_loadProgress = new QProgressDialog(this);
        m_loadProgress->setWindowTitle(tr("Open Trace"));
        m_loadProgress->setRange(0, 100);
        m_loadProgress->setMinimumDuration(400);
        m_loadProgress->setAutoClose(false);
        m_loadProgress->setAutoReset(false);
        connect(m_loadProgress, &QProgressDialog::canceled, this, [this] {
            m_loader.cancel();
            closeLoadProgress();
            setStatus(tr("Loading was cancelled; nothing changed."));
        });
    }
    m_loadProgress->setLabelText(tr("Reading %1…").arg(QFileInfo(path).fileName()));
    m_loadProgress->setValue(0);
}

void MainWindow::closeLoadProgress()
{
    if (!m_loadProgress)
        return;
    m_loadProgress->hide();
    m_loadProgress->deleteLater();
    m_loadProgress = nullptr;
}

void MainWindow::onTraceLoaded(const QString& path, const std::shared_ptr<Trace>& trace)
{
    closeLoadProgress();
    showTrace(std::move(*trace), path);
    Q_EMIT traceOpened(path);
}

void MainWindow::onTraceRefused(const QString& path, const QString& message)
{
    closeLoadProgress();
    warn(tr("Open trace"), tr("%1 is not a trace SynAck can read.\n\n%2").arg(QFileInfo(path).fileName(), message));
    Q_EMIT traceRefused(path, message);
}

bool MainWindow::openTraceNow(const QString& path, int timeoutMs)
{
    QEventLoop loop;
    bool opened = false;
    QObject context;
    connect(this, &MainWindow::traceOpened, &context, [&] {
        opened = true;
        loop.quit();
    });
    connect(this, &MainWindow::traceRefused, &context, [&] { loop.quit(); });
    QTimer::singleShot(timeoutMs, &context, [&] { loop.quit(); });
    openTrace(path);
    loop.exec();
    if (m_loader.isLoading())
        m_loader.cancel();
    return opened;
}

void MainWindow::showTrace(Trace trace, const QString& path)
{
    m_banner->hide();
    m_live.stop();
    m_tableModel->clear();
    setWindowTitle(tr("%1 (recorded) — SynAck").arg(qs(trace.title)));
    m_narration->setIntro(qs(trace.title),
        tr("Recorded on Linux %1 at %2. Nothing is run: this replays what the kernel reported then.")
            .arg(qs(trace.kernel), qs(trace.startedAt)));
    // The tier the trace was recorded in, not this machine's.
    m_tierLabel->setText(tr("Recorded: %1").arg(tierWords(trace.tier)));
    m_player.setTrace(std::move(trace), true);
    if (!path.isEmpty()) {
        addRecent(QFileInfo(path).absoluteFilePath());
        setStatus(tr("Replaying %1").arg(QFileInfo(path).fileName()));
    }
    updateControls();
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
            ->setToolTip(plainToolTip(path));
    }
    m_recentMenu->setEnabled(!recent.isEmpty());
}

} // namespace synack
