// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractScrollArea>
#include <QColor>
#include <QLineF>
#include <QRectF>
#include <QString>

#include <memory>
#include <vector>

#include "playback/frame.h"

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
///  - per trace (its address, its event storage and size, the font and presentation mode):
///    the columns (which endpoint goes where, with accept() renames merged) and every event's
///    texts, tooltips and text widths;
///  - per revealed count (`Frame::visible`): the geometry of every item.
/// While only `Frame::progress` or `Frame::nowNs` change, nothing is laid out again: the newest
/// segment is cut to `progress` and the TIME_WAIT countdown re-read at paint time.
/// The trace must outlive the frames that point to it (the Player owns it); a live trace that
/// grows is noticed by its size.
class LadderView : public QAbstractScrollArea {
    Q_OBJECT
public:
    /// One drawn thing. Both the painter and the hit test (tooltips, clicks) work from these,
    /// and items() hands the same list to tests. Coordinates are content coordinates: (0, 0) is
    /// the top left of the whole ladder, as paintTo() draws it at scale 1.
    struct Item {
        /// In paint order: later kinds are drawn over earlier ones and win hit tests.
        enum Kind {
            Lane, ///< a lane and its title; the wire lane (detail "loopback") is tinted
            StepHeader, ///< separator for a scenario step; label: the statement
            Lifeline, ///< an endpoint's vertical line; endpoint: its (latest) name
            Blocked, ///< a blocked call waiting, from its call box to its completion (or the bottom)
            StateBand, ///< an endpoint in one state, from the change to the next one
            Wait, ///< `wait DURATION`: a labelled gap across the lanes
            Segment, ///< an arrow; line: from the sender's line to the receiver's (cut by progress)
            Timer, ///< a time-wait timer read from the kernel, with its countdown
            StateLabel, ///< the state's name where it changes
            Rename, ///< accept() gave the "<client>/peer" socket its name
            Call, ///< a call box
            Header, ///< an endpoint's name and address at the top
        };
        Kind kind = Lane;
        int eventIndex = -1; ///< index into trace->events, -1 for lanes, lifelines and headers
        QRectF rect; ///< bounds (for a segment: the arrow and its labels)
        QLineF line; ///< segments: tail to head as drawn now; lifelines: top to bottom
        QRectF labelRect; ///< segments: the flags above the arrow; lanes: the title
        QRectF detailRect; ///< segments: seq/ack/len below the arrow (null when there are none)
        bool dashed = false; ///< inferred (a segment or a state), or a blocked bar still open
        bool warning = false; ///< a call that failed (errno not "0"), or an RST segment
        QString label; ///< the main text (call, flags, state name, endpoint name)
        QString detail; ///< the second line (result and errno, seq/ack/len, address)
        QString endpoint; ///< the endpoint the item belongs to (a segment's sender)
        QString state; ///< StateBand / StateLabel: the state ("gone" when the kernel dropped it)
        QString toolTip;
    };

    explicit LadderView(QWidget* parent = nullptr);
    ~LadderView() override;

    /// Shows a prefix of a trace. Cheap when only progress/nowNs changed (see the class comment).
    void setFrame(const Frame& frame);
    /// Large type, thick lines and a black-on-white palette, for a projector.
    void setPresentation(bool on);
    bool presentation() const { return m_presentation; }

    /// Renders the whole ladder (every revealed event, not only the scrolled-to part) scaled
    /// uniformly into `target`, centred, on the view's background. For SVG/PNG export.
    void paintTo(QPainter& p, const QRectF& target) const;
    /// The size of the whole ladder at the current font.
    QSize contentSize() const;

    /// Everything drawn, in paint order, with the newest event's animation applied.
    std::vector<Item> items() const;
    /// The wire lane in content coordinates.
    QRectF wireRect() const;
    /// The font the diagram's body text uses (1.6 times larger in presentation mode).
    QFont diagramFont() const;
    /// The event under a content point (the topmost clickable item), or -1.
    int eventAt(const QPointF& contentPos) const;
    /// The fixed colour-blind-friendly colour of a TCP state (kernel names) or "gone".
    static QColor stateColor(const QString& state);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
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

private:
    struct Data;
    void relayout(bool traceChanged);
    void updateScrollBars();
    void scrollToNewest();
    QPointF toContent(const QPointF& viewportPos) const;
    const Item* itemAt(const QPointF& contentPos) const;

    std::unique_ptr<Data> d;
    bool m_presentation = false;
    int m_pressedEvent = -1;
};

} // namespace synack
