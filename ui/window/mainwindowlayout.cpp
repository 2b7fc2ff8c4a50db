// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow, how its docks are arranged: the normal layout (a laptop's width tabs the panels so the
// ladder keeps its share), the projector layout, and remembering both across sessions.
#include "window/mainwindow.h"

#include <QAction>
#include <QDockWidget>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QResizeEvent>
#include <QScreen>
#include <QScrollBar>
#include <QSettings>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>

#include <algorithm>

#include "diagram/statediagramview.h"
#include "ladder/ladderview.h"
#include "panels/buffersview.h"
#include "panels/narrationview.h"

namespace synack {

namespace {
/// Below this width the panels under the ladder share one tab group and the scenario's docks move
/// in with the diagram: a laptop's 1366 pixels are not enough for three columns.
constexpr int kWideLayout = 1600;
/// The ladder's share of a narrow window, and the diagram's least share on a projector.
constexpr double kLadderShare = 0.58;
constexpr double kProjectorDiagramShare = 0.41; // at least 40%, and the ladder the rest
/// The state diagram's smallest text: 9 pt at the desk, 20 px from the back of a lecture hall.
constexpr double kDeskTextPoints = 9;
constexpr double kProjectorTextPixels = 20;

QString key(bool presentation, const char* what)
{
    return (presentation ? QStringLiteral("layout/presentation/") : QStringLiteral("layout/normal/"))
        + QLatin1StringView(what);
}
}

void MainWindow::placeInitially()
{
    // Never larger than the screen: a 1366×768 laptop gets a window that fits it.
    const QRect avail = screen() ? screen()->availableGeometry() : QRect(0, 0, 1400, 900);
    const QSize size = QSize(1400, 900).boundedTo(avail.size());
    resize(size);
    move(avail.topLeft() + QPoint((avail.width() - size.width()) / 2, (avail.height() - size.height()) / 2));
    QSettings settings;
    const QByteArray geometry = settings.value(key(false, "geometry")).toByteArray();
    if (!geometry.isEmpty())
        restoreGeometry(geometry);
    arrangeNormal(width());
    if (restoreState(settings.value(key(false, "state")).toByteArray()))
        m_needsSizing = false; // the user's own sizes
}

void MainWindow::arrangeNormal(int width)
{
    m_wideLayout = width >= kWideLayout;
    for (QDockWidget* d :
        { m_diagramDock, m_narrationDock, m_buffersDock, m_tableDock, m_logDock, m_pickerDock, m_editorDock }) {
        d->setTitleBarWidget(nullptr);
        d->setFloating(false);
    }
    m_legendDock->hide();
    if (m_wideLayout) {
        // Three columns: the scenario on the left, the ladder, the diagram and narration on the right;
        // the buffers beside the socket table and the log below.
        addDockWidget(Qt::LeftDockWidgetArea, m_pickerDock);
        tabifyDockWidget(m_pickerDock, m_editorDock);
        addDockWidget(Qt::RightDockWidgetArea, m_diagramDock);
        splitDockWidget(m_diagramDock, m_narrationDock, Qt::Vertical);
        addDockWidget(Qt::BottomDockWidgetArea, m_buffersDock);
        addDockWidget(Qt::BottomDockWidgetArea, m_tableDock);
        tabifyDockWidget(m_tableDock, m_logDock);
        m_pickerDock->raise();
        m_tableDock->raise();
    } else {
        // Two columns: the ladder keeps most of the width; the scenario's docks are tabs beside the
        // diagram, and the three panels under the ladder are one tab group.
        addDockWidget(Qt::RightDockWidgetArea, m_diagramDock);
        splitDockWidget(m_diagramDock, m_narrationDock, Qt::Vertical);
        tabifyDockWidget(m_diagramDock, m_pickerDock);
        tabifyDockWidget(m_diagramDock, m_editorDock);
        addDockWidget(Qt::BottomDockWidgetArea, m_buffersDock);
        tabifyDockWidget(m_buffersDock, m_tableDock);
        tabifyDockWidget(m_buffersDock, m_logDock);
        m_diagramDock->raise();
        m_buffersDock->raise();
    }
    for (QDockWidget* d :
        { m_diagramDock, m_narrationDock, m_buffersDock, m_tableDock, m_logDock, m_pickerDock, m_editorDock })
        d->show();
    sizeNormal();
}

void MainWindow::sizeNormal()
{
    // Sizes only mean something once the window has its own: until it is shown, fitLayout() asks again.
    m_needsSizing = !isVisible();
    if (m_wideLayout) {
        resizeDocks({ m_pickerDock, m_diagramDock }, { 270, 600 }, Qt::Horizontal);
        resizeDocks({ m_diagramDock, m_narrationDock }, { 480, 300 }, Qt::Vertical);
        resizeDocks({ m_buffersDock }, { 240 }, Qt::Vertical);
    } else {
        resizeDocks({ m_diagramDock }, { static_cast<int>(width() * (1 - kLadderShare)) }, Qt::Horizontal);
        resizeDocks({ m_diagramDock, m_narrationDock }, { height() / 2, height() / 5 }, Qt::Vertical);
        resizeDocks({ m_buffersDock }, { std::max(150, height() / 4) }, Qt::Vertical);
    }
}

void MainWindow::arrangePresentation()
{
    // The ladder and the diagram side by side, the narration under both, the keys in a strip of
    // their own at the bottom: nothing else, no title bars.
    m_normalCorners[0] = corner(Qt::BottomLeftCorner);
    m_normalCorners[1] = corner(Qt::BottomRightCorner);
    setCorner(Qt::BottomLeftCorner, Qt::BottomDockWidgetArea);
    setCorner(Qt::BottomRightCorner, Qt::BottomDockWidgetArea);
    for (QDockWidget* d : { m_buffersDock, m_tableDock, m_logDock, m_pickerDock, m_editorDock })
        d->hide();
    for (QDockWidget* d : { m_diagramDock, m_narrationDock, m_legendDock }) {
        d->setFloating(false);
        d->setTitleBarWidget(new QWidget(d));
    }
    addDockWidget(Qt::RightDockWidgetArea, m_diagramDock);
    addDockWidget(Qt::BottomDockWidgetArea, m_narrationDock);
    splitDockWidget(m_narrationDock, m_legendDock, Qt::Vertical);
    m_diagramDock->show();
    m_narrationDock->show();
    m_legendDock->show();
    const QByteArray saved = QSettings().value(key(true, "state")).toByteArray();
    if (!saved.isEmpty())
        restoreState(saved);
    m_diagramShare = QSettings().value(key(true, "diagramShare"), kProjectorDiagramShare).toDouble();
    m_lastFitWidth = -1;
    m_enteredPresentation = true;
    for (QDockWidget* d : { m_buffersDock, m_tableDock, m_logDock, m_pickerDock, m_editorDock })
        d->hide();
    m_stepsBar->hide();
}

void MainWindow::scheduleFit()
{
    if (m_fitPending)
        return;
    m_fitPending = true;
    QTimer::singleShot(0, this, [this] {
        m_fitPending = false;
        fitLayout();
    });
}

void MainWindow::fitLayout()
{
    const int w = width();
    if (!m_presentation) {
        m_diagram->setMinimumTextPixels(kDeskTextPoints * logicalDpiY() / 72.0);
        // Crossing the line between a laptop's and a desktop's width re-arranges the docks once;
        // within either, the user's own sizes stand.
        if ((w >= kWideLayout) != m_wideLayout)
            arrangeNormal(w);
        else if (m_needsSizing && isVisible())
            sizeNormal();
        return;
    }
    m_diagram->setMinimumTextPixels(kProjectorTextPixels);

    // The keys: wrapped to the window's width, never cut off.
    const int legendWidth = std::max(200, w - 24);
    const int legendHeight = m_legend->heightForWidth(legendWidth) + 12;
    // The narration as large as it can be without scrolling, within 30 % of the height: the
    // ladder and the diagram are what the class looks at.
    const int narrationHeight = m_narration->fitHeight(std::max(200, w - 8), std::max(110, height() * 3 / 10));
    resizeDocks({ m_narrationDock, m_legendDock }, { narrationHeight, legendHeight }, Qt::Vertical);
    // The diagram keeps its share of the width (the projector's default, or what the user made it,
    // remembered), never less than 40 %: a window that grows would give all the room to the ladder.
    if (w != m_lastFitWidth) {
        if (m_lastFitWidth > 0)
            m_diagramShare = double(m_diagramDock->width()) / m_lastFitWidth;
        m_lastFitWidth = w;
        resizeDocks({ m_diagramDock }, { static_cast<int>(w * std::clamp(m_diagramShare, 0.4, 0.7)) }, Qt::Horizontal);
    }
    if (m_enteredPresentation) {
        m_enteredPresentation = false;
        // After the ladder has taken its new size and type.
        QTimer::singleShot(0, this, &MainWindow::followCurrentStep);
    }
}

void MainWindow::followCurrentStep()
{
    // A ladder opened mid-run (or laid out again in larger type) shows where the class is.
    m_ladder->showCurrentStep();
}

void MainWindow::resizeEvent(QResizeEvent* event)
{
    QMainWindow::resizeEvent(event);
    scheduleFit();
}

void MainWindow::saveLayout() const
{
    QSettings settings;
    settings.setValue(key(m_presentation, "state"), saveState());
    if (m_presentation && width() > 0)
        settings.setValue(key(true, "diagramShare"), double(m_diagramDock->width()) / width());
    if (!m_presentation)
        settings.setValue(key(false, "geometry"), saveGeometry());
}

void MainWindow::setPresentation(bool on)
{
    if (on == m_presentation)
        return;
    saveLayout();
    m_presentation = on;
    m_presentAction->setChecked(on);
    if (on) {
        m_normalState = saveState();
        m_normalGeometry = saveGeometry();
        // The menus' shortcuts (F11, the steps, the speed) must go on working with the menu bar and
        // the toolbar hidden: the window itself carries their actions too.
        for (QAction* menu : menuBar()->actions())
            if (menu->menu())
                addActions(menu->menu()->actions());
        menuBar()->hide();
        statusBar()->hide(); // its messages would be drawn over the keys; the narration says the step
        arrangePresentation();
        showFullScreen();
    } else {
        menuBar()->show();
        statusBar()->show();
        m_legendDock->hide();
        setCorner(Qt::BottomLeftCorner, m_normalCorners[0]);
        setCorner(Qt::BottomRightCorner, m_normalCorners[1]);
        for (QDockWidget* d : { m_diagramDock, m_narrationDock, m_legendDock })
            d->setTitleBarWidget(nullptr);
        showNormal();
        restoreGeometry(m_normalGeometry);
        restoreState(m_normalState);
        m_wideLayout = width() >= kWideLayout;
    }
    applyPresentationPalette(on);
    m_ladder->setPresentation(on);
    m_diagram->setPresentation(on);
    m_buffers->setPresentation(on);
    m_narration->setPresentation(on);
    QFont f = m_legend->font();
    f.setPointSizeF(on ? 14 : QFont().pointSizeF());
    m_legend->setFont(f);
    scheduleFit();
    // Keys go to the window, not to whatever had focus (the editor would take Space and arrows).
    if (on)
        m_ladder->setFocus();
}

} // namespace synack
