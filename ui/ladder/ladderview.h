// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractScrollArea>
#include <QColor>
#include <QRectF>
#include <QString>

#include <memory>
#include <vector>

#include "ladder/ladderitem.h"
#include "playback/frame.h"

class QAction;
class QPainter;

namespace synack {

/// The ladder (sequence) diagram: the app's main view.
///
/// Three lanes left to right: the client side, the wire, the server side. Every endpoint has
/// its own vertical line in its side's lane; time flows down, and each revealed step header,
/// call, segment and state change takes a row in trace order. A socket that accept() names is
/// the same kernel socket that was shown as "<client>/peer" before: its line continues under
/// the new name instead of starting a second one.
///
/// Scrolling: LadderView *is* the scroll area (a QAbstractScrollArea); do not wrap it in
/// another one. It scrolls both ways, keeps the endpoint names pinned at the top of the
/// viewport, and scrolls the newest revealed event into view whenever `visible` changes.
///
/// Caching, so that setFrame() at 60 Hz only repaints:
///  - per trace (the frame's revision and the trace's size, the font and presentation mode):
///    the columns (which endpoint goes where, with accept() renames merged) and every event's
///    texts and text widths (LadderPrepared); tooltips are made when the mouse asks;
///  - per revealed count (`Frame::visible`): the geometry of every item (LadderLayout), made by a
///    LadderLayouter that goes on from the last count when more events are revealed, so a step of
///    a trace with a million events lays out that step's events only.
/// While only `Frame::progress` or `Frame::nowNs` change, nothing is laid out again: the newest
/// segment is cut to `progress` and the TIME_WAIT countdown re-read at paint time (LadderPainter
/// draws). The trace must outlive the frames that point to it (the Player owns it); a new trace
/// comes with a new `Frame::revision`, and a live trace that grows is noticed by its size.
class LadderView : public QAbstractScrollArea {
    Q_OBJECT
public:
    using Item = LadderItem;

    explicit LadderView(QWidget* parent = nullptr);
    ~LadderView() override;

    /// Shows a prefix of a trace. Cheap when only progress/nowNs changed (see the class comment).
    void setFrame(const Frame& frame);
    /// Large type, thick lines and a black-on-white palette, for a projector.
    void setPresentation(bool on);
    bool presentation() const { return m_presentation; }
    /// Arrows give seq and ack as sent (ten digits) instead of counted from each side's initial
    /// sequence number (the default, as Wireshark does); the tooltip always has both.
    void setAbsoluteSequence(bool on);
    bool absoluteSequence() const;
    /// A checkable "Absolute Sequence Numbers" action bound to setAbsoluteSequence, for a menu.
    QAction* absoluteSequenceAction() const;

    /// Fit to the pane's width (the default): a ladder wider than its pane is drawn smaller, down
    /// to LadderFonts::minimumPixels(), and what is still too wide gets a fair share of the width
    /// with its texts elided (whole in the tooltip). It then never scrolls sideways; it follows
    /// the newest event down. Off: natural size, scrolling both ways.
    void setFitToWidth(bool on);
    bool fitsToWidth() const { return m_fit; }
    /// The user's zoom on top of the fit, 0.5 to 3 (Ctrl+wheel; the window's Ctrl+= Ctrl+- Ctrl+0).
    /// Above 1 the ladder may be wider than its pane, and scrolls sideways to follow the newest
    /// event.
    void setZoom(double zoom);
    double zoom() const { return m_zoom; }
    /// The scale the texts are drawn at against their natural size (fit times zoom).
    double textScale() const;
    /// The smallest pixel size of any font the ladder draws with now.
    int smallestTextPixels() const;

    /// Renders the whole ladder (every revealed event, not only the scrolled-to part) scaled
    /// uniformly into `target`, centred, on the view's background. For SVG/PNG export.
    void paintTo(QPainter& p, const QRectF& target) const;
    /// The size of the whole ladder at the current font.
    QSize contentSize() const;

    /// Everything drawn, in paint order, with the newest event's animation applied.
    std::vector<Item> items() const;
    /// The height of the names and lane titles pinned over the top of the viewport once it scrolls.
    double pinnedHeaderHeight() const;
    /// The wire lane in content coordinates.
    QRectF wireRect() const;
    /// The font the diagram's body text uses (1.6 times larger in presentation mode).
    QFont diagramFont() const;
    /// How many times the items have been laid out: once per trace or revealed count, never
    /// while only the animation moves (see the class comment).
    std::size_t layoutCount() const;
    /// How many times the layout started again from the first event (a new trace, new fonts, a
    /// step back); revealing more events goes on from the last layout instead.
    std::size_t layoutRestarts() const;
    /// The event under a content point (the topmost clickable item), or -1.
    int eventAt(const QPointF& contentPos) const;
    /// The fixed colour-blind-friendly colour of a TCP state (kernel names) or "gone".
    static QColor stateColor(const QString& state);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

public Q_SLOTS:
    /// Scrolls the step being shown into view: from its statement and call box down to its
    /// newest event where that fits, else followed down while it is revealed and from its top
    /// once it all is. Done by itself whenever more is revealed or the view is resized.
    void showCurrentStep();
    void zoomIn();
    void zoomOut();
    void resetZoom();

Q_SIGNALS:
    /// The zoom changed (Ctrl+wheel or a slot).
    void zoomChanged(double zoom);
    /// The user clicked a call box, an arrow, a state or a step header: an index into trace->events.
    void eventClicked(int eventIndex);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void changeEvent(QEvent* event) override;
    bool viewportEvent(QEvent* event) override;
    void scrollContentsBy(int dx, int dy) override;
    void wheelEvent(QWheelEvent* event) override;

private:
    struct Data;
    void relayout(bool fontsChanged);
    /// Makes the fonts and prepared texts for the pane's width (fit and zoom).
    void prepareForWidth();
    /// The viewport's width, also before the view is shown.
    int paneWidth() const;
    void updateScrollBars();
    QPointF toContent(const QPointF& viewportPos) const;
    const Item* itemAt(const QPointF& contentPos) const;

    std::unique_ptr<Data> d;
    bool m_presentation = false;
    bool m_fit = true;
    double m_zoom = 1.0;
    int m_preparedForWidth = -1; ///< the viewport width the texts were last fitted to
    bool m_narrowed = false; ///< they were made smaller or elided for it
    int m_pressedEvent = -1;
};

} // namespace synack
