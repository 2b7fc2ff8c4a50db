// SPDX-License-Identifier: GPL-3.0-or-later
// The window as a user drives it: stepping, shortcuts, files. The tests named live* run scenarios
// against the real kernel (that is what the window is for); the others replay checked-in traces.
#include <QAbstractButton>
#include <QApplication>
#include <QComboBox>
#include <QSlider>
#include <QStatusBar>
#include <QElapsedTimer>
#include <QHelpEvent>
#include <QLabel>
#include <QMessageBox>
#include <QProgressDialog>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QListWidget>
#include <QDockWidget>
#include <QStatusBar>
#include <QToolBar>
#include <QTemporaryDir>
#include <QElapsedTimer>
#include <QPlainTextEdit>
#include <QScopeGuard>
#include <QAbstractButton>
#include <QMessageBox>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <QTest>
#include <QTextDocument>
#include <QTimer>

#include "diagram/statediagramview.h"
#include "ladder/ladderview.h"
#include "models/eventlogmodel.h"
#include "models/sockettablemodel.h"
#include "panels/narrationview.h"
#include "playback/livesession.h"
#include "playback/stepscrubber.h"
#include "scenario/library.h"
#include "scenario/parser.h"
#include "support/recordedtraces.h"
#include "testsupport.h"
#include "trace/synthetic.h"
#include "window/mainwindow.h"

#include <csignal>
#include <sys/wait.h>

using namespace synack;

namespace {
QStringList statesOf(const Picture& p)
{
    QStringList out;
    for (const EndpointView& v : p.endpoints)
        out << QString::fromStdString(v.name + "=" + v.stateText());
    return out;
}

/// Text as a user sees it: rich text (a tooltip or label that looks like HTML) rendered.
QString rendered(const QString& text)
{
    if (!Qt::mightBeRichText(text))
        return text;
    QTextDocument doc;
    doc.setHtml(text);
    return doc.toPlainText();
}

/// The tooltip on screen now, as rendered ("" when none is shown).
QString shownToolTip()
{
    for (QWidget* w : QApplication::topLevelWidgets())
        if (w->inherits("QTipLabel") && w->isVisible())
            return rendered(static_cast<QLabel*>(w)->text());
    return {};
}

/// Asks `widget` for its tooltip at `pos` as the mouse would, and returns what is shown.
QString toolTipAt(QWidget* widget, QPoint pos)
{
    QHelpEvent help(QEvent::ToolTip, pos, widget->mapToGlobal(pos));
    QApplication::sendEvent(widget, &help);
    return shownToolTip();
}

const QString kBold = QStringLiteral("<b>x</b>");
const QString kImage = QStringLiteral("<img src=\"file:///etc/passwd\">");

QStringList segmentsOf(const LadderView& ladder)
{
    QStringList out;
    for (const auto& item : ladder.items())
        if (item.kind == LadderView::Item::Segment)
            out << item.label;
    return out;
}
}

class TestMainWindow : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        // Never read or change the user's saved settings.
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.path());
        QCoreApplication::setOrganizationName(QStringLiteral("SynAckTest"));
    }

    void liveHandshakeStepByStep()
    {
        MainWindow w;
        w.show();
        QVERIFY(w.openScenario(QStringLiteral("handshake")));
        QVERIFY(w.runStepsNow(0)); // listen
        QVERIFY(w.runStepsNow(1)); // connect
        // The client's token sits on ESTABLISHED after the connect step.
        auto pos = w.diagram()->tokenPosition(QStringLiteral("client"));
        QVERIFY(pos);
        // Tokens wait in a row just under their node: the nearest node is the state.
        TcpState nearest = TcpState::Unknown;
        double best = 1e9;
        for (TcpState s : kRfcStates) {
            const double d = QLineF(*pos, w.diagram()->nodeCenter(s)).length();
            if (d < best)
                best = d, nearest = s;
        }
        QCOMPARE(nearest, TcpState::Established);
        // The ladder holds SYN, SYN-ACK and ACK, in that order, top to bottom.
        QStringList handshake;
        std::vector<double> ys;
        for (const auto& item : w.ladder()->items())
            if (item.kind == LadderView::Item::Segment) {
                handshake << item.label;
                ys.push_back(item.line.p1().y());
            }
        QCOMPARE(handshake, (QStringList { QStringLiteral("SYN"), QStringLiteral("SYN,ACK"), QStringLiteral("ACK") }));
        QVERIFY(std::is_sorted(ys.begin(), ys.end()));
    }

    void liveStepBackRestoresThePicture()
    {
        MainWindow w;
        w.show();
        QVERIFY(w.openScenario(QStringLiteral("active-close")));
        QVERIFY(w.runStepsNow(2));
        const QStringList before = statesOf(w.player().frame().picture);
        const QStringList segmentsBefore = segmentsOf(*w.ladder());
        const auto clientBefore = w.diagram()->tokenPosition(QStringLiteral("client"));
        QVERIFY(w.runStepsNow(3)); // close client: FIN_WAIT2 / CLOSE_WAIT
        QVERIFY(statesOf(w.player().frame().picture) != before);
        w.player().stepBack();
        QCOMPARE(w.player().currentStep(), 2);
        QCOMPARE(statesOf(w.player().frame().picture), before);
        QCOMPARE(segmentsOf(*w.ladder()), segmentsBefore);
        QCOMPARE(w.diagram()->tokenPosition(QStringLiteral("client")), clientBefore);
        // And forward again replays the recording (nothing is run twice).
        const auto events = w.player().trace().events.size();
        w.player().stepForward();
        QTRY_COMPARE(w.player().currentStep(), 3);
        QCOMPARE(w.player().trace().events.size(), events);
    }

    void liveShortcuts()
    {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        QVERIFY(w.openScenario(QStringLiteral("handshake")));
        w.ladder()->setFocus();
        QTest::keyClick(&w, Qt::Key_Right);
        QTRY_COMPARE(w.player().currentStep(), 0);
        QTRY_VERIFY(w.player().recordedSteps() >= 1);
        QTest::keyClick(&w, Qt::Key_Space); // during the animation: finishes the step at once
        QCOMPARE(w.player().currentStep(), 0);
        QVERIFY(!w.player().isAnimating());
        QTest::keyClick(&w, Qt::Key_Space);
        QTRY_COMPARE(w.player().currentStep(), 1);
        QTest::keyClick(&w, Qt::Key_Left);
        QCOMPARE(w.player().currentStep(), 0);
        QTest::keyClick(&w, Qt::Key_R);
        QCOMPARE(w.player().currentStep(), -1);
        const double speed = w.player().speed();
        QTest::keyClick(&w, Qt::Key_Plus);
        QCOMPARE(w.player().speed(), speed * 2);
        QTest::keyClick(&w, Qt::Key_Minus);
        QCOMPARE(w.player().speed(), speed);
        QTest::keyClick(&w, Qt::Key_P);
        QVERIFY(w.player().isPlaying());
        QTest::keyClick(&w, Qt::Key_P);
        QVERIFY(!w.player().isPlaying());
        QTest::keyClick(&w, Qt::Key_F11);
        QVERIFY(w.isPresentation());
        QTest::keyClick(&w, Qt::Key_F11);
        QVERIFY(!w.isPresentation());
    }

    void jumpsByNumberListAndScrubber()
    {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        QVERIFY(w.openTraceNow(QStringLiteral(SYNACK_SOURCE_DIR "/tests/data/traces/simultaneous-close.json")));
        const Trace& t = w.player().trace();
        auto through = [&t](int step) {
            std::size_t n = 0;
            while (n < t.events.size() && t.events[n].step <= step)
                ++n;
            return n;
        };
        StepScrubber* scrubber = w.stepScrubber();
        QVERIFY(scrubber && scrubber->isVisible());
        QCOMPARE(scrubber->stepList()->count(), t.stepCount + 1); // "before the first step", then each
        QCOMPARE(scrubber->slider()->maximum(), t.stepCount);
        QCOMPARE(scrubber->stepList()->itemText(6), QStringLiteral("Step 6: connect client listener"));

        w.ladder()->setFocus();
        QTest::keyClick(&w, Qt::Key_5); // step 5, whole and at rest
        QCOMPARE(w.player().currentStep(), 4);
        QVERIFY(!w.player().isAnimating());
        QCOMPARE(w.player().frame().visible, through(4));
        QCOMPARE(scrubber->slider()->value(), 5);
        QCOMPARE(scrubber->stepList()->currentIndex(), 5);

        // → starts step 6, and the narration says what it does at once: its call is recorded last.
        QTest::keyClick(&w, Qt::Key_Right);
        QCOMPARE(w.player().currentStep(), 5);
        QCOMPARE(w.player().frame().visible, through(4));
        QVERIFY2(w.narration()->toPlainText().contains(QStringLiteral("connect client listener")),
            qPrintable(w.narration()->toPlainText()));

        scrubber->slider()->setValue(10); // the timeline: step 10
        QCOMPARE(w.player().currentStep(), 9);
        QCOMPARE(w.player().frame().visible, through(9));
        QVERIFY(!w.player().isAnimating());
        scrubber->stepList()->setCurrentIndex(3);
        Q_EMIT scrubber->stepList()->activated(3); // the list, as a click on its item: step 3
        QCOMPARE(w.player().currentStep(), 2);
        QCOMPARE(scrubber->slider()->value(), 3);

        QVERIFY(!w.jumpToStep(t.stepCount)); // no step 14: refused, said, nothing moves
        QCOMPARE(w.player().currentStep(), 2);
        QVERIFY2(w.statusBar()->currentMessage().contains(QStringLiteral("no step 14")),
            qPrintable(w.statusBar()->currentMessage()));
    }

    void liveJumpRunsTheStepsUpToIt()
    {
        MainWindow w;
        w.show();
        QVERIFY(w.openScenario(QStringLiteral("active-close")));
        const int last = w.player().stepCount() - 1;
        QVERIFY(last >= 3);
        QVERIFY(w.jumpToStep(last));
        QCOMPARE(w.player().seekGoal(), last);
        QTRY_COMPARE_WITH_TIMEOUT(w.player().currentStep(), last, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(w.player().recordedSteps() == last + 1 && !w.player().isAnimating(), 60000);
        QCOMPARE(w.player().seekGoal(), -1);
        QTRY_COMPARE(w.player().frame().visible, w.player().trace().events.size()); // every step shown whole
        QCOMPARE(w.stepScrubber()->slider()->value(), last + 1);
    }

    void liveBrokenScenarioKeepsTheAppRunning()
    {
        MainWindow w;
        w.show();
        const QString path = m_dir.filePath(QStringLiteral("broken.synack"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("title: broken\nlisten l\nconect c l\n");
        f.close();
        QVERIFY(!w.openScenario(path));
        QVERIFY(!w.editorErrors().isEmpty());
        QVERIFY2(w.editorErrors().first().contains(QStringLiteral("broken.synack:3:1:")),
            qPrintable(w.editorErrors().first()));
        QVERIFY(!w.openScenario(m_dir.filePath(QStringLiteral("missing.synack"))));
        // The window goes on working.
        QVERIFY(w.openScenario(QStringLiteral("refused")));
        QVERIFY(w.editorErrors().isEmpty());
        QVERIFY(w.runStepsNow(1));
    }

    void hostPortsNeedTheUsersYes_data()
    {
        QTest::addColumn<bool>("allow");
        QTest::newRow("not allowed") << false;
        QTest::newRow("allowed") << true;
    }
    void hostPortsNeedTheUsersYes()
    {
        QFETCH(bool, allow);
        // A service of "another program" on the host's loopback, and host loopback forced.
        std::uint16_t port = 0;
        const Fd service = synack::test::hostService(port);
        QVERIFY(service);
        qputenv("SYNACK_TIER", "0");
        const auto unsetTier = qScopeGuard([] { qunsetenv("SYNACK_TIER"); });
        const QString path = m_dir.filePath(QStringLiteral("poke.synack"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("title: poke\nconnect c port=" + QByteArray::number(port) + "\n");
        f.close();

        MainWindow w;
        w.show();
        // The question is modal: answer it from a timer, as the user would click.
        QString asked;
        QTimer::singleShot(100, [&] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            if (!box)
                return;
            asked = box->text();
            for (QAbstractButton* b : box->buttons())
                if (b->text() == (allow ? QStringLiteral("Allow for this run") : QStringLiteral("Do not allow")))
                    b->click();
        });
        QVERIFY(w.openScenario(path));
        QVERIFY2(asked.contains(QString::number(port)), qPrintable(asked));
        w.runStepsNow(1, 20000);
        QCOMPARE(synack::test::connectionWaiting(service.get()), allow);
    }

    void hostileScenarioFilesAreRefusedAndTheEditorKept()
    {
        MainWindow w;
        w.show();
        QVERIFY(w.openScenario(QStringLiteral("handshake")));
        const QString before = w.findChild<QPlainTextEdit*>()->toPlainText();
        // Latin-1: the editor would turn the byte into U+FFFD and change the file on save. The
        // window refuses it with the line and column `synack run` gives.
        const QString latin1 = m_dir.filePath(QStringLiteral("latin1.synack"));
        QFile f(latin1);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("title: ok\nlisten l\n  en: caf\xe9 au lait\n");
        f.close();
        QVERIFY(!w.openScenario(latin1));
        QVERIFY2(w.editorErrors().join(u'\n').contains(QStringLiteral("latin1.synack:3:10: this line is not valid UTF-8")),
            qPrintable(w.editorErrors().join(u'\n')));
        QCOMPARE(w.findChild<QPlainTextEdit*>()->toPlainText(), before);
        // A device that never ends and a FIFO nobody writes: refused at once, not read.
        QElapsedTimer t;
        t.start();
        QVERIFY(!w.openScenario(QStringLiteral("/dev/zero")));
        const QString fifo = m_dir.filePath(QStringLiteral("pipe.synack"));
        QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
        QVERIFY(!w.openScenario(fifo));
        QVERIFY2(w.editorErrors().join(u'\n').contains(QStringLiteral("not a regular file")),
            qPrintable(w.editorErrors().join(u'\n')));
        QVERIFY2(t.elapsed() < 5000, "refusing must not read the device or wait for the FIFO");
        QCOMPARE(w.findChild<QPlainTextEdit*>()->toPlainText(), before);
    }

    void liveSavedTraceReloadsIntoTheSamePicture()
    {
        const QString path = m_dir.filePath(QStringLiteral("active-close.json"));
        QStringList states, segments;
        {
            MainWindow w;
            w.show();
            QVERIFY(w.openScenario(QStringLiteral("active-close")));
            QVERIFY(w.runStepsNow(5));
            states = statesOf(w.player().frame().picture);
            segments = segmentsOf(*w.ladder());
            QVERIFY(w.saveTrace(path));
        }
        MainWindow w;
        w.show();
        QVERIFY(w.openTraceNow(path));
        w.player().showAll();
        QCOMPARE(statesOf(w.player().frame().picture), states);
        QCOMPARE(segmentsOf(*w.ladder()), segments);
        const QString notATrace = m_dir.filePath(QStringLiteral("not-a-trace.json"));
        QFile f(notATrace);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("title: not a trace\nlisten l\n");
        f.close();
        QVERIFY(!w.openTraceNow(notATrace)); // refused, no crash
    }

    void liveGuiThreadNeverBlocks()
    {
        // buffer-fill's `send client 100k` blocks in the kernel, and keepalive waits 3.5 s: the
        // event loop must keep turning meanwhile.
        for (const char* name : { "buffer-fill", "keepalive" }) {
            MainWindow w;
            w.show();
            QVERIFY(w.openScenario(QString::fromLatin1(name)));
            QElapsedTimer clock;
            clock.start();
            qint64 last = 0, worstGap = 0;
            QTimer ticker;
            QObject::connect(&ticker, &QTimer::timeout, &ticker, [&] {
                worstGap = std::max(worstGap, clock.elapsed() - last);
                last = clock.elapsed();
            });
            ticker.start(10);
            QVERIFY(w.runStepsNow(w.player().stepCount() - 1));
            ticker.stop();
            // A blocked GUI thread would stall for seconds (keepalive waits 3.5 s in one step);
            // 2.5 s leaves room for a slow sanitizer build on a loaded machine without hiding that.
            QVERIFY2(worstGap < 2500,
                qPrintable(QStringLiteral("%1: the event loop stalled for %2 ms")
                               .arg(QString::fromLatin1(name))
                               .arg(worstGap)));
        }
    }

    void laptopLayoutGivesTheLadderItsShare()
    {
        // 1366×768: Buffers, Sockets and the Event log are one tab group, the ladder keeps at
        // least 55 % of the width, and the diagram's text stays at 9 pt or more.
        MainWindow w;
        w.resize(1366, 768);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto* buffers = w.findChild<QDockWidget*>(QStringLiteral("buffersDock"));
        auto* table = w.findChild<QDockWidget*>(QStringLiteral("tableDock"));
        auto* log = w.findChild<QDockWidget*>(QStringLiteral("logDock"));
        QVERIFY(buffers && table && log);
        QTRY_VERIFY(w.tabifiedDockWidgets(buffers).contains(table));
        QVERIFY(w.tabifiedDockWidgets(buffers).contains(log));
        QTRY_VERIFY2(w.ladder()->width() >= 0.55 * w.width(),
            qPrintable(QStringLiteral("ladder %1 of %2").arg(w.ladder()->width()).arg(w.width())));
        QTRY_VERIFY(w.diagram()->smallestTextPixels() >= 9 * w.diagram()->logicalDpiY() / 72.0 - 0.01);
        QVERIFY(w.diagram()->isVisible());
    }

    void livePresentationLayoutForAProjector()
    {
        MainWindow w;
        w.resize(1366, 768);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(w.openScenario(QStringLiteral("handshake")));
        QVERIFY(w.runStepsNow(2));
        QCoreApplication::processEvents();
        auto visibleDocks = [&w] {
            QStringList names;
            for (QDockWidget* d : w.findChildren<QDockWidget*>())
                if (d->isVisible())
                    names << d->objectName();
            names.sort();
            return names;
        };
        const QStringList before = visibleDocks();
        auto* bar = w.findChild<QToolBar*>(QStringLiteral("stepsToolBar"));
        QVERIFY(bar && bar->isVisible());

        w.ladder()->verticalScrollBar()->setValue(0); // the user scrolled back to the top
        w.setPresentation(true);
        w.showNormal(); // offscreen has no real full screen: the projector's size instead
        w.resize(1280, 720);
        auto* diagramDock = w.findChild<QDockWidget*>(QStringLiteral("diagramDock"));
        // Opened at the current step: its latest call box is in the ladder's view (what
        // LadderView::showCurrentStep() keeps there however tall the step is).
        auto newestInView = [&w] {
            QRectF newest;
            int index = -1;
            const Trace& t = w.player().trace();
            for (const auto& item : w.ladder()->items())
                if (item.kind == LadderView::Item::Call && item.eventIndex > index
                    && t.events[static_cast<std::size_t>(item.eventIndex)].step == w.player().currentStep())
                    index = item.eventIndex, newest = item.rect;
            const int top = w.ladder()->verticalScrollBar()->value();
            return index >= 0 && newest.bottom() <= top + w.ladder()->viewport()->height() && newest.bottom() > top;
        };
        QTRY_VERIFY(newestInView());
        QTRY_VERIFY(!bar->isVisible());
        QTRY_VERIFY2(diagramDock->width() >= 0.4 * w.width(),
            qPrintable(QStringLiteral("diagram %1 of %2").arg(diagramDock->width()).arg(w.width())));
        QVERIFY(w.ladder()->isVisible());
        QVERIFY(diagramDock->geometry().left() >= w.ladder()->mapTo(&w, QPoint(w.ladder()->width(), 0)).x() - 1);
        QTRY_VERIFY(!w.narration()->verticalScrollBar()->isVisible());
        QVERIFY(w.narration()->height() > 0);
        QTRY_VERIFY2(w.diagram()->smallestTextPixels() >= 20,
            qPrintable(QString::number(w.diagram()->smallestTextPixels())));
        // The keys in a strip of their own, whole.
        auto* legend = w.findChild<QLabel*>(QStringLiteral("legend"));
        QVERIFY(legend && legend->isVisible());
        QTRY_VERIFY(legend->height() >= legend->heightForWidth(legend->width()));
        QVERIFY(!w.statusBar()->isVisible());

        w.setPresentation(false);
        QTRY_COMPARE(visibleDocks(), before);
        QVERIFY(bar->isVisible());
    }

    void zoomActsOnLadderAndDiagramAndIsRemembered()
    {
        auto guard = qScopeGuard([] { QSettings().remove(QStringLiteral("view")); });
        auto action = [](MainWindow& w, const QKeySequence& key) -> QAction* {
            for (QAction* a : w.findChildren<QAction*>())
                if (a->shortcuts().contains(key))
                    return a;
            return nullptr;
        };
        {
            MainWindow w;
            w.resize(1366, 768);
            w.show();
            QVERIFY(QTest::qWaitForWindowExposed(&w));
            QVERIFY(w.openTraceNow(QStringLiteral(SYNACK_SOURCE_DIR "/tests/data/traces/active-close.json")));
            w.player().showAll();
            const double diagramText = w.diagram()->smallestTextPixels();
            QAction* in = action(w, QKeySequence(Qt::CTRL | Qt::Key_Equal));
            QVERIFY(in);
            in->trigger();
            QCOMPARE(w.ladder()->zoom(), 1.25);
            QCOMPARE(w.diagram()->zoom(), 1.25);
            QVERIFY(w.diagram()->smallestTextPixels() > diagramText);
            in->trigger();
        }
        {
            MainWindow w; // the next session keeps the zoom
            QCOMPARE(w.ladder()->zoom(), 1.5625);
            QCOMPARE(w.diagram()->zoom(), 1.5625);
            QAction* reset = action(w, QKeySequence(Qt::CTRL | Qt::Key_0));
            QVERIFY(reset);
            reset->trigger();
            QCOMPARE(w.ladder()->zoom(), 1.0);
            QCOMPARE(w.diagram()->zoom(), 1.0);
        }
    }

    void layoutsAreRememberedPerMode()
    {
        auto guard = qScopeGuard([] { QSettings().remove(QStringLiteral("layout")); });
        auto dock = [](MainWindow& w, const char* name) {
            return w.findChild<QDockWidget*>(QString::fromLatin1(name));
        };
        {
            MainWindow w;
            w.resize(1366, 768);
            w.show();
            QVERIFY(QTest::qWaitForWindowExposed(&w));
            dock(w, "logDock")->close(); // the user closed the event log
            w.setPresentation(true);
            w.showNormal();
            w.resize(1280, 720);
            QTRY_VERIFY(dock(w, "diagramDock")->width() >= 0.4 * 1280);
            w.resizeDocks({ dock(w, "diagramDock") }, { 760 }, Qt::Horizontal);
            QTRY_VERIFY(qAbs(dock(w, "diagramDock")->width() - 760) < 20);
            w.setPresentation(false);
            QTRY_VERIFY(!dock(w, "logDock")->isVisible());
            QVERIFY(w.close());
        }
        MainWindow w;
        w.resize(1366, 768);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QTRY_VERIFY(dock(w, "tableDock")->isVisible());
        QVERIFY(!dock(w, "logDock")->isVisible());
        w.setPresentation(true);
        w.showNormal();
        w.resize(1280, 720);
        QTRY_VERIFY2(qAbs(dock(w, "diagramDock")->width() - 760) < 20,
            qPrintable(QString::number(dock(w, "diagramDock")->width())));
    }

    void editorErrorsNameTheEditorAndWrap()
    {
        MainWindow w;
        w.resize(1366, 768);
        w.show();
        auto* editor = w.findChild<QPlainTextEdit*>(QStringLiteral("editor"));
        auto* errors = w.findChild<QListWidget*>(QStringLiteral("errors"));
        QVERIFY(editor && errors);
        editor->setPlainText(QStringLiteral("title: broken\nlisten l\nconect c l\n"));
        QVERIFY(!w.runEditor());
        QVERIFY2(w.editorErrors().first().startsWith(QStringLiteral("(editor):3:")), qPrintable(w.editorErrors().first()));
        QVERIFY(errors->wordWrap());
        QCOMPARE(errors->horizontalScrollBarPolicy(), Qt::ScrollBarAlwaysOff);
        editor->setPlainText(QString()); // nothing to save on close
    }

    void liveTierBeforeARunIsTheTierItGets()
    {
        MainWindow w;
        QSignalSpy shown(&w, &MainWindow::tierShown);
        QVERIFY(shown.wait(30000));
        const QString before = w.tierText();
        QVERIFY(w.runStepsNow(0));
        QTRY_VERIFY(w.player().recordedSteps() >= 1);
        QCoreApplication::processEvents();
        QCOMPARE(w.tierText(), before);
    }

    void tierArrivesFromAWorker()
    {
        // Lab::probe() may take seconds: the window asks for it off the GUI thread and shows the
        // answer when it comes.
        MainWindow w;
        QSignalSpy shown(&w, &MainWindow::tierShown);
        QVERIFY(shown.wait(30000));
        QVERIFY(!w.tierToolTip().isEmpty());
        QVERIFY(!w.tierText().isEmpty());
    }

    void liveEndedRunSendsNothing()
    {
        // The first run's worker begins (and says so) after the second run has replaced it:
        // what it sends carries the first run's number and is dropped.
        auto first = Library::load("handshake");
        auto second = Library::load("refused");
        QVERIFY(first.ok() && second.ok());
        LiveSession live;
        QSignalSpy started(&live, &LiveSession::started);
        QSignalSpy recorded(&live, &LiveSession::stepRecorded);
        live.start(*first.scenario);
        live.requestStep();
        live.start(*second.scenario);
        live.requestStep();
        QTRY_VERIFY_WITH_TIMEOUT(!recorded.isEmpty(), 60000);
        QVERIFY(!started.isEmpty());
        for (const QList<QVariant>& args : started)
            QCOMPARE(args.at(0).value<Trace>().scenario, std::string("refused"));
    }

    void openTraceReadsOffTheGuiThread()
    {
        // Big enough that reading it takes a while: the event loop must turn meanwhile, a progress
        // dialog offers Cancel, and the trace shown before stays until the new one is read.
        const QString big = m_dir.filePath(QStringLiteral("big.json"));
        {
            QFile f(big);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray::fromStdString(traceToJson(manyEventsTrace(400'000, 200), false)));
        }
        MainWindow w;
        w.show();
        QVERIFY(w.openTraceNow(QStringLiteral(SYNACK_SOURCE_DIR "/tests/data/traces/handshake.json")));
        const std::string before = w.player().trace().title;
        QSignalSpy opened(&w, &MainWindow::traceOpened);
        QSignalSpy refused(&w, &MainWindow::traceRefused);

        // Cancelled: nothing changes, nothing arrives later.
        w.openTrace(big);
        QCOMPARE(w.player().trace().title, before); // openTrace returned before reading anything
        auto* progress = w.findChild<QProgressDialog*>();
        QVERIFY(progress);
        auto* cancel = progress->findChild<QPushButton*>();
        QVERIFY(cancel);
        cancel->click();
        QVERIFY(!opened.wait(3000));
        QVERIFY(refused.isEmpty());
        QCOMPARE(w.player().trace().title, before);

        // Read to the end, with the event loop turning all along.
        QElapsedTimer clock;
        clock.start();
        qint64 last = 0, worstGap = 0;
        QTimer ticker;
        QObject::connect(&ticker, &QTimer::timeout, &ticker, [&] {
            worstGap = std::max(worstGap, clock.elapsed() - last);
            last = clock.elapsed();
        });
        ticker.start(10);
        w.openTrace(big);
        QVERIFY(opened.wait(120000));
        ticker.stop();
        QVERIFY(w.player().trace().events.size() >= std::size_t(400'000));
        QVERIFY(!w.findChild<QProgressDialog*>() || !w.findChild<QProgressDialog*>()->isVisible());
        // Reading 400,000 events takes seconds; only showing them is the GUI thread's.
        QVERIFY2(worstGap < 2000, qPrintable(QStringLiteral("the event loop stalled for %1 ms").arg(worstGap)));
    }

    void brokenTraceSaysWhyAndKeepsThePicture()
    {
        MainWindow w;
        w.show();
        QVERIFY(w.openTraceNow(QStringLiteral(SYNACK_SOURCE_DIR "/tests/data/traces/active-close.json")));
        QVERIFY(w.runStepsNow(2));
        const QStringList states = statesOf(w.player().frame().picture);
        const std::string title = w.player().trace().title;

        QFile original(QStringLiteral(SYNACK_SOURCE_DIR "/tests/data/traces/handshake.json"));
        QVERIFY(original.open(QIODevice::ReadOnly));
        QByteArray text = original.readAll();
        // A call's errno that no machine has, written as HTML: the message quotes it as it is.
        const qsizetype at = text.indexOf("\"errno\":");
        QVERIFY(at > 0);
        text.replace(at, text.indexOf(',', at) - at, "\"errno\": \"<b>x</b>\"");
        const QString broken = m_dir.filePath(QStringLiteral("broken-errno.json"));
        QFile f(broken);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(text);
        f.close();

        QSignalSpy refused(&w, &MainWindow::traceRefused);
        w.openTrace(broken);
        QVERIFY(refused.wait(30000));
        const QString message = refused.first().at(1).toString();
        QVERIFY2(message.contains(broken), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("event ")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("errno: unknown errno '<b>x</b>'")), qPrintable(message));
        // In a dialog, quoted as it is.
        QMessageBox* box = nullptr;
        for (QMessageBox* b : w.findChildren<QMessageBox*>())
            if (b->isVisible())
                box = b;
        QVERIFY(box);
        QCOMPARE(box->textFormat(), Qt::PlainText);
        QVERIFY2(box->text().contains(message), qPrintable(box->text()));
        box->close();
        // What was shown stays.
        QCOMPARE(w.player().trace().title, title);
        QCOMPARE(w.player().currentStep(), 2);
        QCOMPARE(statesOf(w.player().frame().picture), states);
    }

    void textFromATraceIsNeverReadAsHtml()
    {
        // A trace file comes from anywhere: what it says is shown as text, wherever it is shown.
        Trace t = test::recordedTrace("handshake");
        t.title = kBold.toStdString() + " " + kImage.toStdString();
        int callStep = -1;
        for (Event& e : t.events) {
            if (auto* s = e.edit<StepEvent>(); s && s->call == "connect") {
                s->text = "connect c " + kBold.toStdString();
                s->args = kImage.toStdString();
                s->narration["en"] = "Narrated " + kBold.toStdString() + " " + kImage.toStdString();
                for (CallRecord& c : s->calls)
                    c.args = kImage.toStdString();
                callStep = e.step;
            }
            if (auto* st = e.edit<StateEvent>()) {
                st->source = Source::Inferred;
                st->why = kBold.toStdString() + " " + kImage.toStdString();
            }
        }
        QVERIFY(callStep >= 0);
        // A note in that step, as a run's error would be.
        auto at = std::find_if(t.events.begin(), t.events.end(), [&](const Event& e) { return e.step > callStep; });
        t.events.insert(at,
            Event(at == t.events.end() ? t.events.back().tNs : at->tNs, callStep,
                NoteEvent { NoteLevel::Error, "note " + kBold.toStdString() + " " + kImage.toStdString() }));

        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.showTrace(t, QString());
        const QString intro = w.narration()->toPlainText();
        QVERIFY2(intro.contains(kBold) && intro.contains(kImage), qPrintable(intro));
        QVERIFY(w.runStepsNow(callStep));
        const QString narration = w.narration()->toPlainText();
        for (const QString& part : { QStringLiteral("connect c ") + kBold, QStringLiteral("Narrated ") + kBold,
                 QStringLiteral("note ") + kBold, kImage })
            QVERIFY2(narration.contains(part), qPrintable(narration));

        // The ladder's call box and state labels, as their tooltips show them.
        bool sawCall = false, sawState = false;
        for (const LadderView::Item& item : w.ladder()->items()) {
            if ((item.kind != LadderView::Item::Call || sawCall)
                && (item.kind != LadderView::Item::StateLabel || sawState))
                continue;
            QScrollBar* v = w.ladder()->verticalScrollBar();
            v->setValue(std::max(0, static_cast<int>(item.rect.center().y()) - w.ladder()->viewport()->height() / 2));
            w.ladder()->horizontalScrollBar()->setValue(0);
            const QPoint pos(static_cast<int>(item.rect.center().x()) - w.ladder()->horizontalScrollBar()->value(),
                static_cast<int>(item.rect.center().y()) - v->value());
            const QString tip = toolTipAt(w.ladder()->viewport(), pos);
            if (item.kind == LadderView::Item::Call && item.toolTip.contains(kImage)) {
                QVERIFY2(tip.contains(QStringLiteral("connect c ") + kBold) && tip.contains(kImage), qPrintable(tip));
                sawCall = true;
            } else if (item.kind == LadderView::Item::StateLabel) {
                QVERIFY2(tip.contains(kBold + QStringLiteral(" ") + kImage), qPrintable(tip));
                sawState = true;
            }
        }
        QVERIFY(sawCall && sawState);

        // The state diagram's token.
        const auto token = w.diagram()->tokenPosition(QStringLiteral("client"));
        QVERIFY(token);
        const QString tokenTip = toolTipAt(w.diagram(), w.diagram()->mapToWidget(*token).toPoint());
        QVERIFY2(tokenTip.contains(kBold + QStringLiteral(" ") + kImage), qPrintable(tokenTip));

        // The event log's tooltips.
        bool sawLog = false;
        for (QTableView* table : w.findChildren<QTableView*>()) {
            QAbstractItemModel* m = table->model();
            for (int r = 0; r < m->rowCount(); ++r) {
                const QString tip = m->index(r, 0).data(Qt::ToolTipRole).toString();
                if (tip.contains(QStringLiteral("<img"))) {
                    QVERIFY2(rendered(tip).contains(kBold + QStringLiteral(" ") + kImage), qPrintable(rendered(tip)));
                    sawLog = true;
                }
            }
        }
        QVERIFY(sawLog);
    }

    void liveRunThatStopsSaysSoAndOffersToRunAgain()
    {
        // The lab's helper killed under a run: the window says so over the ladder, in the status
        // bar and the narration, and "Run Again" starts the same scenario from its beginning.
        SYNACK_REQUIRE_LAB();
        const QString path = m_dir.filePath(QStringLiteral("lost.synack"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("title: lost helper\nlisten srv\nwait 50ms\nconnect c srv\naccept srv s\n");
        f.close();
        MainWindow w;
        w.show();
        QVERIFY(w.openScenario(path));
        QVERIFY(w.runBannerText().isEmpty());
        QVERIFY(w.runStepsNow(0)); // listen: the lab is open
        if (w.player().trace().tier != Tier::Lab)
            QSKIP("this run did not get the lab (tier 1): nothing to lose");
        const pid_t helper = test::labHelperPid();
        QVERIFY2(helper > 0, "the lab helper was not found among this process's children");
        QCOMPARE(::kill(helper, SIGKILL), 0);
        siginfo_t info {};
        QCOMPARE(::waitid(P_PID, static_cast<id_t>(helper), &info, WEXITED | WNOWAIT), 0);
        QVERIFY(!w.runStepsNow(2)); // the run stops at the step after the kill
        QTRY_VERIFY(!w.runBannerText().isEmpty());
        const QString banner = w.runBannerText();
        QVERIFY2(banner.contains(QStringLiteral("the lab helper exited (signal 9")), qPrintable(banner));
        QVERIFY(w.runBanner()->isVisible());
        QVERIFY(w.narration()->toPlainText().contains(QStringLiteral("the lab helper exited")));
        if (qEnvironmentVariableIsSet("SYNACK_SHOTS")) // SYNACK_SHOTS=DIR keeps a picture, to look at
            w.grab().save(qEnvironmentVariable("SYNACK_SHOTS") + QStringLiteral("/run-stopped.png"));
        auto* again = w.runBanner()->findChild<QPushButton*>(QStringLiteral("runAgain"));
        QVERIFY(again);
        again->click();
        QVERIFY(w.runBannerText().isEmpty());
        QCOMPARE(w.player().currentStep(), -1);
        QVERIFY(w.runStepsNow(3)); // the next lab has a helper of its own
        QVERIFY(w.runBannerText().isEmpty());
    }

    void exportsLadderAndDiagram()
    {
        MainWindow w;
        w.show();
        QVERIFY(w.openTraceNow(QStringLiteral(SYNACK_SOURCE_DIR "/tests/data/traces/handshake.json")));
        w.player().showAll();
        for (const QString& ext : { QStringLiteral("svg"), QStringLiteral("png") }) {
            const QString ladder = m_dir.filePath(QStringLiteral("ladder.") + ext);
            const QString diagram = m_dir.filePath(QStringLiteral("diagram.") + ext);
            QVERIFY(w.exportLadder(ladder));
            QVERIFY(w.exportDiagram(diagram));
            QVERIFY(QFileInfo(ladder).size() > 1000);
            QVERIFY(QFileInfo(diagram).size() > 1000);
        }
        QFile svg(m_dir.filePath(QStringLiteral("ladder.svg")));
        QVERIFY(svg.open(QIODevice::ReadOnly));
        const QByteArray text = svg.readAll();
        QVERIFY(text.contains("<svg"));
        QVERIFY(text.contains("SYN"));
        QImage png(m_dir.filePath(QStringLiteral("diagram.png")));
        QVERIFY(!png.isNull());
        QVERIFY(png.width() >= w.diagram()->contentSize().width());
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
