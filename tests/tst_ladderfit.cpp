// SPDX-License-Identifier: GPL-3.0-or-later
// The ladder fits its pane: recorded runs of the kernel drawn into the widths a laptop, a
// projector and a desk give the ladder, checked from the layout (never from pixels).
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <map>

#include "ladder/ladderstyle.h"
#include "ladder/ladderview.h"
#include "playback/frame.h"
#include "support/recordedtraces.h"

using namespace synack;
using Item = LadderView::Item;
using synack::test::frameOf;
using synack::test::recordedTrace;

namespace {

const char* const kTraces[]
    = { "handshake", "active-close", "buffer-fill", "refused", "backlog-full", "timewait-reuseaddr", "close-unread-rst",
          "half-close", "simultaneous-close", "gate-cut", "gate-dropfin", "gate-slow" };

/// Everything a reader must see lies inside the pane's width: lanes, names, calls, states, arrows.
void verifyInsideWidth(const LadderView& view, const QString& what)
{
    const double width = view.viewport()->width();
    QVERIFY2(view.contentSize().width() <= width,
        qPrintable(QStringLiteral("%1: %2 px wide in %3").arg(what).arg(view.contentSize().width()).arg(width)));
    for (const Item& it : view.items()) {
        if (it.kind == Item::Lane || it.kind == Item::StepHeader || it.kind == Item::Blocked
            || it.kind == Item::StateBand || it.kind == Item::GateBand)
            continue; // spans the ladder, or drawn inside another item
        QVERIFY2(it.rect.left() >= -0.5 && it.rect.right() <= width + 0.5,
            qPrintable(QStringLiteral("%1: %2 \"%3\" spans %4..%5 of %6")
                           .arg(what)
                           .arg(int(it.kind))
                           .arg(it.label)
                           .arg(it.rect.left())
                           .arg(it.rect.right())
                           .arg(width)));
    }
}

void showAndWait(LadderView& view)
{
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
}

} // namespace

class TestLadderFit : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void fitsEveryWidth_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("width");
        QTest::addColumn<bool>("presentation");
        // The ladder's share of a 1024, 1366 and 1920 px window, and a projector's.
        for (const char* n : kTraces) {
            for (int w : { 560, 750, 1100 })
                QTest::addRow("%s@%d", n, w) << QString::fromLatin1(n) << w << false;
            for (int w : { 600, 760, 1150 })
                QTest::addRow("%s@%d-presentation", n, w) << QString::fromLatin1(n) << w << true;
        }
    }
    void fitsEveryWidth()
    {
        QFETCH(QString, name);
        QFETCH(int, width);
        QFETCH(bool, presentation);
        const Trace& t = recordedTrace(name.toStdString());
        LadderView view;
        view.setPresentation(presentation);
        view.resize(width, 600);
        showAndWait(view);
        view.setFrame(frameOf(t, t.events.size()));
        QVERIFY(view.smallestTextPixels() >= LadderFonts::leastPixels(presentation));
        // More than six sockets with their countdowns (timewait-reuseaddr's ten) in a projector's
        // narrow pane cannot fit at 14 px: that ladder scrolls sideways (tst_lecturehall).
        const auto items = view.items();
        const auto sockets
            = std::count_if(items.begin(), items.end(), [](const Item& it) { return it.kind == Item::Header; });
        if (presentation && width < 1000 && sockets > 6)
            return;
        verifyInsideWidth(view, name);
        QCOMPARE(view.horizontalScrollBar()->maximum(), 0);
    }

    void aProjectorKeepsItsTextLarge()
    {
        // 60% of a 1280 px projector: a run of up to four sockets keeps its text at 20 px or more.
        // More sockets (backlog-full's seven, timewait-reuseaddr's ten) with their states' names
        // whole need smaller text, down to the least size.
        int large = 0;
        for (const char* n : kTraces) {
            const Trace& t = recordedTrace(n);
            LadderView view;
            view.setPresentation(true);
            view.resize(768, 600);
            showAndWait(view);
            view.setFrame(frameOf(t, t.events.size()));
            const auto items = view.items();
            const auto columns
                = std::count_if(items.begin(), items.end(), [](const Item& it) { return it.kind == Item::Header; });
            const int least = columns <= 4 ? LadderFonts::minimumPixels(true) : LadderFonts::leastPixels(true);
            large += columns <= 4;
            QVERIFY2(view.smallestTextPixels() >= least,
                qPrintable(QStringLiteral("%1: %2 px").arg(QLatin1String(n)).arg(view.smallestTextPixels())));
            verifyInsideWidth(view, QLatin1String(n));
        }
        QVERIFY(large >= 8);
    }

    void aWidePaneDrawsAtNaturalSize()
    {
        const Trace& t = recordedTrace("handshake");
        LadderView view;
        view.resize(1900, 800);
        showAndWait(view);
        view.setFrame(frameOf(t, t.events.size()));
        QCOMPARE(view.textScale(), 1.0);
        for (const Item& it : view.items())
            QVERIFY2(!it.label.contains(QChar(0x2026)), qPrintable(it.label)); // nothing elided
    }

    void whatIsElidedIsWholeInTheTooltip()
    {
        const Trace& t = recordedTrace("simultaneous-close");
        LadderView natural; // the same trace at its natural size: the whole texts
        natural.setFitToWidth(false);
        natural.setFrame(frameOf(t, t.events.size()));
        std::map<std::pair<int, int>, QStringList> whole;
        for (const Item& it : natural.items())
            whole[{ it.eventIndex, int(it.kind) }] = { it.label, it.detail, it.note };
        LadderView view;
        view.resize(400, 600);
        showAndWait(view);
        view.setFrame(frameOf(t, t.events.size()));
        int elided = 0;
        for (const Item& it : view.items()) {
            if (it.kind != Item::Call && it.kind != Item::Segment)
                continue;
            const QStringList full = whole[{ it.eventIndex, int(it.kind) }];
            const QStringList shown { it.label, it.detail, it.note };
            for (int k = 0; k < 3; ++k) {
                if (!shown[k].endsWith(QChar(0x2026)))
                    continue;
                ++elided;
                QVERIFY(full[k].startsWith(shown[k].chopped(1)) && full[k].length() >= shown[k].length());
                // The tooltip has the whole text.
                QVERIFY2(it.toolTip.contains(full[k]), qPrintable(full[k] + QStringLiteral(" / ") + it.toolTip));
            }
        }
        QVERIFY(elided > 0);
    }

    void showingTheStepAgainDoesNotMoveIt()
    {
        // Asked twice with nothing changed (a resize, the window's own request), the view stays.
        for (const char* n : kTraces)
            for (bool presentation : { false, true }) {
                const Trace& t = recordedTrace(n);
                LadderView view;
                view.setPresentation(presentation);
                view.resize(560, presentation ? 420 : 320);
                showAndWait(view);
                for (std::size_t i = 1; i <= t.events.size(); i += std::max<std::size_t>(1, t.events.size() / 25)) {
                    view.setFrame(frameOf(t, i));
                    const int v = view.verticalScrollBar()->value(), h = view.horizontalScrollBar()->value();
                    view.showCurrentStep();
                    QVERIFY2(view.verticalScrollBar()->value() == v && view.horizontalScrollBar()->value() == h,
                        qPrintable(QStringLiteral("%1 at event %2: %3 -> %4")
                                       .arg(QLatin1String(n))
                                       .arg(i)
                                       .arg(v)
                                       .arg(view.verticalScrollBar()->value())));
                }
            }
    }

    void aNarrowerPaneFitsAgain()
    {
        const Trace& t = recordedTrace("active-close");
        LadderView view;
        view.resize(1600, 600);
        showAndWait(view);
        view.setFrame(frameOf(t, t.events.size()));
        const double wide = view.textScale();
        view.resize(520, 600);
        verifyInsideWidth(view, QStringLiteral("narrowed"));
        QVERIFY(view.textScale() < wide);
        view.resize(1600, 600);
        QCOMPARE(view.textScale(), wide);
    }

    void zoomGoesPastThePaneAndBack()
    {
        const Trace& t = recordedTrace("handshake");
        LadderView view;
        view.resize(700, 600);
        showAndWait(view);
        view.setFrame(frameOf(t, t.events.size()));
        QSignalSpy zoomed(&view, &LadderView::zoomChanged);
        const int fitted = view.contentSize().width();
        view.zoomIn();
        view.zoomIn();
        QCOMPARE(zoomed.count(), 2);
        QVERIFY(view.zoom() > 1.5);
        QVERIFY(view.contentSize().width() > fitted);
        QVERIFY(view.horizontalScrollBar()->maximum() > 0); // the user asked for it: it scrolls
        view.resetZoom();
        QCOMPARE(view.zoom(), 1.0);
        verifyInsideWidth(view, QStringLiteral("zoom reset"));
        view.resize(1900, 600); // room for the natural size, so that zooming out draws smaller
        const int atOne = view.contentSize().width();
        for (int i = 0; i < 20; ++i)
            view.zoomOut();
        QCOMPARE(view.zoom(), 0.5);
        QVERIFY(view.contentSize().width() < atOne); // smaller, down to the floor
        QVERIFY(view.smallestTextPixels() >= LadderFonts::minimumPixels(false));
    }

    void fitCanBeTurnedOff()
    {
        const Trace& t = recordedTrace("simultaneous-close");
        LadderView view;
        view.resize(500, 600);
        showAndWait(view);
        view.setFrame(frameOf(t, t.events.size()));
        view.setFitToWidth(false);
        QCOMPARE(view.textScale(), 1.0);
        QVERIFY(view.contentSize().width() > 500);
        QVERIFY(view.horizontalScrollBar()->maximum() > 0);
    }
};

QTEST_MAIN(TestLadderFit)
#include "tst_ladderfit.moc"
