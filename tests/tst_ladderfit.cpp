// SPDX-License-Identifier: GPL-3.0-or-later
// The ladder fits its pane: recorded runs of the kernel drawn into the widths a laptop, a
// projector and a desk give the ladder, checked from the layout (never from pixels).
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>

#include "ladder/ladderstyle.h"
#include "ladder/ladderview.h"
#include "playback/frame.h"
#include "support/recordedtraces.h"

using namespace synack;
using Item = LadderView::Item;
using synack::test::frameOf;
using synack::test::recordedTrace;

namespace {

const char* const kTraces[] = { "handshake", "active-close", "buffer-fill", "refused", "backlog-full",
    "timewait-reuseaddr", "close-unread-rst", "half-close", "simultaneous-close", "gate-cut", "gate-dropfin",
    "gate-slow" };

/// Everything a reader must see lies inside the pane's width: lanes, names, calls, states, arrows.
void verifyInsideWidth(const LadderView& view, const QString& what)
{
    const double width = view.viewport()->width();
    QVERIFY2(view.contentSize().width() <= width,
        qPrintable(QStringLiteral("%1: %2 px wide in %3").arg(what).arg(view.contentSize().width()).arg(width)));
    for (const Item& it : view.items()) {
        if (it.kind != Item::Header && it.kind != Item::Call && it.kind != Item::StateLabel && it.kind != Item::Segment
            && it.kind != Item::Lifeline)
            continue;
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
        verifyInsideWidth(view, name);
        QVERIFY(view.smallestTextPixels() >= LadderFonts::leastPixels(presentation));
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
            const auto columns = std::count_if(
                items.begin(), items.end(), [](const Item& it) { return it.kind == Item::Header; });
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
        LadderView view;
        view.resize(400, 600);
        showAndWait(view);
        view.setFrame(frameOf(t, t.events.size()));
        int elided = 0;
        for (const Item& it : view.items()) {
            if (it.kind != Item::Call || !it.label.endsWith(QChar(0x2026)))
                continue;
            ++elided;
            const QString start = it.label.chopped(1);
            QVERIFY2(it.toolTip.contains(start), qPrintable(it.toolTip));
            QVERIFY2(it.toolTip.length() > it.label.length(), qPrintable(it.toolTip));
        }
        QVERIFY(elided > 0);
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
        for (int i = 0; i < 20; ++i)
            view.zoomOut();
        QCOMPARE(view.zoom(), 0.5);
        QVERIFY(view.smallestTextPixels() >= LadderFonts::leastPixels(false));
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
