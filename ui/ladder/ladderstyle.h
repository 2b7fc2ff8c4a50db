// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>
#include <QFont>
#include <QPalette>

namespace synack {

/// The ladder's fonts, in pixel sizes so that what is measured when laying out matches any paint
/// device (a QImage, an SVG generator at 72 dpi, the screen).
struct LadderFonts {
    QFont body, bold, small, smallBold, title, mono, lane;
    double u = 16; ///< the body's line spacing: the unit of every distance
    double scale = 1; ///< what the natural sizes were multiplied by (fit to the pane, zoom)

    /// Fitting a pane draws text no smaller than this many pixels (10 on a desk, 20 on a
    /// projector) while eliding can make room; only a pane too narrow for even the elided ladder
    /// goes smaller, down to leastPixels().
    static int minimumPixels(bool presentation) { return presentation ? 20 : 10; }
    static int leastPixels(bool presentation) { return presentation ? 14 : 9; }
    /// From the widget's font at its dpi; 1.6 times larger in presentation mode; then times
    /// `scale`, but no font below `floorPixels` (0: minimumPixels()).
    static LadderFonts make(const QFont& base, double dpi, bool presentation, double scale = 1, int floorPixels = 0);
};

/// Colours and pen widths, resolved from the palette at paint time (so a palette change only
/// repaints), or the fixed high-contrast set in presentation mode.
struct LadderStyle {
    QColor bg, text, muted, faint, line, wire, boxFill, boxBorder, warn, rst, blocked, blockedText;
    double pen = 1.0;

    static LadderStyle make(const QPalette& pal, bool presentation);
};

/// The fixed colour-blind-friendly colour of a TCP state (kernel names) or "gone".
QColor ladderStateColor(const QString& state);

} // namespace synack
