// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>
#include <QPalette>
#include <QTransform>

#include "diagram/diagramfigure.h"
#include "diagram/diagramscene.h"

class QPainter;

namespace synack {

/// Maps diagram coordinates into `target`, keeping the canvas's aspect ratio, centred.
QTransform diagramTransform(const QRectF& target);

/// Draws the figure and a scene on it: edges (the lit ones over the rest), nodes, edge labels,
/// tokens, and the legend. Colours come from the palette, so light and dark themes both work.
class DiagramPainter {
public:
    DiagramPainter(QPainter& p, const DiagramFigure& figure, const DiagramScene& scene, const QPalette& palette);

    void paint(const QRectF& target);
    /// Paints through `transform` (diagram to target coordinates), clipped to `target`: a view
    /// zoomed in on part of the diagram.
    void paint(const QRectF& target, const QTransform& transform);

    /// The colours of one paint.
    struct Colours {
        bool dark = false;
        QColor background, text, edge, nodeFill, nodeBorder, labelBackground, highlight, linuxMove;
        QColor token(Side side, int shade) const;
    };

private:
    void edges();
    void nodes();
    void labels();
    void tokens();
    void legend();
    void stroke(const QPainterPath& path, const QColor& colour, qreal width, bool dashed, bool arrow);
    /// A label on a pill, so a crossing line cannot hide it; `lit` inverts it in that colour.
    void label(const QRectF& rect, const QString& text, const QColor* lit);
    bool isCurrent(DiagramMove m) const;
    bool isRecent(DiagramMove m) const;

    QPainter& m_p;
    const DiagramFigure& m_f;
    const DiagramScene& m_scene;
    const Colours m_c;
};

} // namespace synack
