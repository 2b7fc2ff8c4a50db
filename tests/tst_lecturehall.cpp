// SPDX-License-Identifier: GPL-3.0-or-later
// Where teaching happens: every built-in, run on the kernel once, shown at its last step in the
// window at a small laptop's, a laptop's, a projector's and a desk's size, in the normal and the
// presentation layout. Checked from the layout, not from pixels: every lane and every call box
// of the step shown lies inside the ladder's viewport, and no text is below its least size.
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

#include <map>

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
        w.player().showAll();
        const Trace& t = w.player().trace();
        const int step = w.player().currentStep();
        QCOMPARE(step, t.stepCount - 1);
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
            const QRectF view(QPointF(ladder->horizontalScrollBar()->value(), ladder->verticalScrollBar()->value()),
                QSizeF(ladder->viewport()->size()));
            QVERIFY2(ladder->smallestTextPixels() >= LadderFonts::leastPixels(screen.presentation),
                qPrintable(QStringLiteral("%1: %2 px text").arg(where).arg(ladder->smallestTextPixels())));
            int calls = 0;
            for (const Item& it : ladder->items()) {
                const bool lane = it.kind == Item::Header || it.kind == Item::Lifeline;
                const bool call = it.kind == Item::Call && it.eventIndex >= 0
                    && t.events[static_cast<std::size_t>(it.eventIndex)].step == step;
                if (!lane && !call)
                    continue;
                calls += call;
                const bool across = it.rect.left() >= view.left() - 0.5 && it.rect.right() <= view.right() + 0.5;
                const bool down = lane || (it.rect.top() >= view.top() - 0.5 && it.rect.bottom() <= view.bottom() + 0.5);
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
            // A step without a call box (a wait, a gate action) has nothing to check here.
            if (calls == 0)
                qInfo("%s: the last step has no call box", qPrintable(where));
        }
    }
};

QTEST_MAIN(TestLectureHall)
#include "tst_lecturehall.moc"
