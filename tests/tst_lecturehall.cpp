// SPDX-License-Identifier: GPL-3.0-or-later
// Where teaching happens: every built-in, run on the kernel once, shown at its last step that
// calls something, in the window at a small laptop's, a laptop's, a projector's and a desk's
// size, in the normal and the presentation layout. Checked from the layout, not from pixels: every lane and every call
// box of the step shown lies inside the ladder's viewport, and no text is below its least size.
#include <QScrollBar>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include "ladder/ladderstyle.h"
#include "ladder/ladderview.h"
#include "run/runner.h"
#include "scenario/library.h"
#include "testsupport.h"
#include "window/mainwindow.h"

#include <algorithm>

using namespace synack;
using Item = LadderView::Item;

namespace {

struct Screen {
    QSize size;
    bool presentation;
};
constexpr Screen kScreens[] = {
    { { 1024, 768 }, false },
    { { 1366, 768 }, false },
    { { 1920, 1080 }, false },
    { { 1024, 768 }, true },
    { { 1280, 720 }, true },
    { { 1366, 768 }, true },
    { { 1920, 1080 }, true },
};

} // namespace

class TestLectureHall : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    Tier m_tier = Tier::HostLoopback;

private Q_SLOTS:
    void initTestCase()
    {
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.path());
        if (!test::gatedLabMissing())
            m_tier = Tier::Gated;
        else if (!test::labMissing())
            m_tier = Tier::Lab;
        QVERIFY2(!test::labExpected() || m_tier != Tier::HostLoopback, "the lab was expected (SYNACK_EXPECT_LAB=1)");
    }

    void everyBuiltinFitsEveryScreen_data()
    {
        QTest::addColumn<QString>("name");
        for (const std::string& n : Library::names())
            QTest::addRow("%s", n.c_str()) << QString::fromStdString(n);
    }
    void everyBuiltinFitsEveryScreen()
    {
        QFETCH(QString, name);
        auto parsed = Library::load(name.toStdString());
        QVERIFY(parsed.ok());
        if (!test::runsOn(*parsed.scenario, m_tier))
            QSKIP("needs the gated lab, which this machine does not have (see synack doctor)");
        RunOptions options;
        options.tier = m_tier == Tier::HostLoopback ? Tier::HostLoopback : Tier::Auto;
        Runner runner(*parsed.scenario, options);
        runner.runAll();
        Trace trace = runner.trace();
        QVERIFY(trace.stepCount > 0);

        MainWindow w;
        w.resize(kScreens[0].size);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.showTrace(std::move(trace), QString());
        // The last step that calls something (later ones may only wait or expect).
        const Trace& t = w.player().trace();
        int step = -1;
        for (const Event& e : t.events)
            if (const auto* s = e.as<StepEvent>();
                s && s->call != "wait" && s->call != "wait-state" && s->call != "gate")
                step = std::max(step, e.step);
        QVERIFY(step >= 0);
        QVERIFY(w.player().seekToStep(step));
        QCOMPARE(w.player().currentStep(), step);
        for (const Screen& screen : kScreens) {
            w.setPresentation(screen.presentation);
            w.resize(screen.size);
            QCoreApplication::processEvents();
            const QString where = QStringLiteral("%1 at %2x%3%4")
                                      .arg(name)
                                      .arg(screen.size.width())
                                      .arg(screen.size.height())
                                      .arg(screen.presentation ? QStringLiteral(" presenting") : QString());
            const LadderView* ladder = w.ladder();
            QVERIFY2(ladder->isVisible(), qPrintable(where));
            // What the class sees: the viewport, less the names pinned over its top once it scrolled.
            const int v = ladder->verticalScrollBar()->value();
            const double pinned = v > 0 ? ladder->pinnedHeaderHeight() : 0.0;
            const QRectF view(QPointF(ladder->horizontalScrollBar()->value(), v + pinned),
                QSizeF(ladder->viewport()->width(), ladder->viewport()->height() - pinned));
            QVERIFY2(ladder->smallestTextPixels() >= LadderFonts::leastPixels(screen.presentation),
                qPrintable(QStringLiteral("%1: %2 px text").arg(where).arg(ladder->smallestTextPixels())));
            // More than six sockets side by side on a 1024 px projector (timewait-reuseaddr's ten,
            // backlog-full's seven) cannot keep their names and states readable in its ladder's
            // 540 px: that ladder scrolls sideways instead, following the step's calls, and its
            // lanes are not all in view.
            const auto items = ladder->items();
            const auto sockets
                = std::count_if(items.begin(), items.end(), [](const Item& it) { return it.kind == Item::Header; });
            const bool scrolls = screen.presentation && screen.size.width() <= 1024 && sockets > 6;
            // The step's call boxes; when they lie further apart than the view is tall (a call made
            // at the step's start, another that returned at its end), the latest of them.
            auto ofStep = [&](const Item& it) {
                return it.kind == Item::Call && it.eventIndex >= 0
                    && t.events[static_cast<std::size_t>(it.eventIndex)].step == step;
            };
            QRectF span;
            int latest = -1;
            for (const Item& it : items)
                if (ofStep(it)) {
                    span = span.isNull() ? it.rect : span.united(it.rect);
                    latest = std::max(latest, it.eventIndex);
                }
            const bool onlyLatest = span.height() > view.height();
            if (onlyLatest)
                qInfo("%s: the step's calls span %.0f px of a %.0f px view: the latest is checked", qPrintable(where),
                    span.height(), view.height());
            int calls = 0;
            for (const Item& it : items) {
                const bool lane = it.kind == Item::Header || it.kind == Item::Lifeline;
                const bool call = ofStep(it) && (!onlyLatest || it.eventIndex == latest);
                if (!lane && !call)
                    continue;
                calls += call;
                const bool across = (scrolls && lane)
                    || (it.rect.left() >= view.left() - 0.5 && it.rect.right() <= view.right() + 0.5);
                const bool down
                    = lane || (it.rect.top() >= view.top() - 0.5 && it.rect.bottom() <= view.bottom() + 0.5);
                QVERIFY2(across && down,
                    qPrintable(QStringLiteral("%1: \"%2\" at (%3,%4 %5x%6) is outside the view (%7,%8 %9x%10)")
                                   .arg(where, it.label.isEmpty() ? it.endpoint : it.label)
                                   .arg(it.rect.left())
                                   .arg(it.rect.top())
                                   .arg(it.rect.width())
                                   .arg(it.rect.height())
                                   .arg(view.left())
                                   .arg(view.top())
                                   .arg(view.width())
                                   .arg(view.height())));
            }
            QVERIFY2(calls > 0, qPrintable(where));
        }
    }
};

QTEST_MAIN(TestLectureHall)
#include "tst_lecturehall.moc"
