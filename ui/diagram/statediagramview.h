// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QPainterPath>
#include <QTransform>
#include <QWidget>

#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "playback/frame.h"
#include "tcp/tcpstate.h"

class QPainter;

namespace synack {

/// The whole RFC 9293 TCP state diagram (figure 5), with one token per endpoint of the Frame.
///
/// Nodes carry the kernel's state names; edges are the RFC's transitions, labelled "event / action".
/// When the newest revealed event is a state change, that endpoint's token travels its edge with
/// the Frame's progress and the edge is highlighted (dashed when the state was inferred rather than
/// read from the kernel). Moves that are not in the RFC diagram (Linux aborting to CLOSE on RST,
/// SO_LINGER 0 or close() with unread data) are drawn as dashed curved "Linux" arrows.
///
/// Geometry is in diagram coordinates: a fixed canvas of contentSize(), fitted into the widget
/// (or paintTo's target) keeping its aspect ratio. The inspection functions below are what the
/// painter itself draws, so tests check the picture, not a parallel model.
///
/// The figure (DiagramFigure: nodes, edges, routes) is made once per font and presentation mode;
/// the scene (DiagramScene: tokens, lit moves) once per frame that changes what is shown, by a
/// builder that keeps what a new frame does not change; DiagramPainter draws both.
class StateDiagramView : public QWidget {
    Q_OBJECT
public:
    using Move = std::pair<TcpState, TcpState>; ///< from, to

    explicit StateDiagramView(QWidget* parent = nullptr);
    ~StateDiagramView() override;

    /// Shows a frame. Called at animation rate: it folds the visible events once and repaints.
    void setFrame(const Frame& frame);
    /// Large type, thick lines, high contrast: for projecting in a classroom.
    void setPresentation(bool on);
    bool presentation() const;

    /// The smallest text the widget may show, in pixels (0, the default: always the whole diagram,
    /// however small). When the whole diagram fitted into the widget would make its smallest text
    /// smaller, the view zooms in until it is not, and follows the action: the move being animated
    /// and the tokens stay in view. For a laptop's narrow pane and for a projector.
    void setMinimumTextPixels(qreal px);
    qreal minimumTextPixels() const { return m_minTextPx; }
    /// Shows the whole diagram whatever the minimum text size (a double click toggles it): the
    /// overview, in small type.
    void setShowWhole(bool on);
    bool showWhole() const { return m_showWhole; }
    /// The user's zoom, 0.5 to 3, on top of the fit and the minimum text size: above 1 closer in
    /// on the action, below 1 back towards the whole figure (Ctrl+wheel; the window's Ctrl+=,
    /// Ctrl+- and Ctrl+0).
    void setZoom(qreal zoom);
    qreal zoom() const { return m_zoom; }
    /// The pixel size of the smallest text the widget shows now (fonts times the zoom).
    qreal smallestTextPixels() const;
    /// Diagram to widget coordinates as the widget paints now: fitted, or zoomed in (see
    /// setMinimumTextPixels()).
    QTransform widgetTransform() const;
    /// The part of the diagram the widget shows, in diagram coordinates.
    QRectF visibleDiagramRect() const;

    /// Draws the diagram fitted into `target` (keeping its aspect ratio): for the widget, for
    /// export to SVG or PNG, and for tests.
    void paintTo(QPainter& p, const QRectF& target) const;
    /// The diagram's natural size: the canvas that diagram coordinates refer to.
    QSize contentSize() const;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

    /// The RFC 9293 transitions drawn as edges: exactly tcp's kRfcEdges, in its order.
    static std::vector<Move> rfcEdges();

    // Inspection, in diagram coordinates.
    QRectF nodeRect(TcpState state) const;
    QPointF nodeCenter(TcpState state) const;
    /// The edge's centre line, from the border of `from` to the tip of its arrow at `to`; empty
    /// when the RFC has no such edge.
    QPainterPath edgePath(TcpState from, TcpState to) const;
    QRectF edgeLabelRect(TcpState from, TcpState to) const;
    /// The path a token takes for a move: its RFC edge, or else the dashed "Linux" arrow.
    QPainterPath movePath(TcpState from, TcpState to) const;
    QRectF moveLabelRect(TcpState from, TcpState to) const;
    QRectF legendRect() const;
    /// The centre of an endpoint's disc, or nullopt when it has no token: no state yet, or the
    /// kernel no longer has the socket (its token fades out at CLOSE during that last move).
    std::optional<QPointF> tokenPosition(const QString& endpoint) const;
    /// Disc and name together: what must not be hidden by another token.
    QRectF tokenBounds(const QString& endpoint) const;
    /// 1 when fully shown; less while fading in (it just appeared) or out (the socket is gone).
    qreal tokenOpacity(const QString& endpoint) const;
    /// Drawn hollow: the endpoint's state (or the move being animated) was inferred.
    bool tokenHollow(const QString& endpoint) const;
    /// How many tokens are drawn.
    std::size_t tokenCount() const;
    /// The sockets at a crowded node that have no token ("and K more" after its first few).
    int moreAt(TcpState state) const;
    /// The move being animated now (the newest revealed event is a state change), if any.
    std::optional<Move> highlightedEdge() const;
    /// True when that move was inferred, not read from the kernel.
    bool highlightIsDashed() const;
    /// The last move of each endpoint, softly highlighted (includes the current one).
    std::vector<Move> recentEdges() const;
    /// Recent moves that are not RFC edges, drawn as "Linux" arrows.
    std::vector<Move> linuxMoves() const;
    QFont nodeFont() const;
    QFont labelFont() const;

    /// The tooltip for a point in widget coordinates ("" for empty space).
    QString toolTipAt(const QPointF& widgetPos) const;
    /// The endpoint whose token is at a point in widget coordinates ("" for none).
    QString endpointAt(const QPointF& widgetPos) const;
    /// Where a diagram point lands in the widget.
    QPointF mapToWidget(const QPointF& diagramPos) const;

public Q_SLOTS:
    void zoomIn() { setZoom(m_zoom * 1.25); }
    void zoomOut() { setZoom(m_zoom / 1.25); }
    void resetZoom() { setZoom(1.0); }

Q_SIGNALS:
    void endpointClicked(const QString& name);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    bool event(QEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    struct Data;

    void rebuildFigure();
    void rebuildScene();

    /// Where a zoomed-in view looks (diagram coordinates): what must stay in view.
    QRectF focusRect() const;

    Frame m_frame;
    bool m_presentation = false;
    qreal m_minTextPx = 0;
    bool m_showWhole = false;
    qreal m_zoom = 1.0;
    std::unique_ptr<Data> d;
};

} // namespace synack
