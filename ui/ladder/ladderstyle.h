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

    /// From the widget's font at its dpi; 1.6 times larger in presentation mode.
    static LadderFonts make(const QFont& base, double dpi, bool presentation);
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
