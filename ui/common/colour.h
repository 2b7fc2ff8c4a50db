// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>

namespace synack {

/// The colour `t` of the way from `a` to `b` (0: a, 1: b), opaque: how the views derive their
/// muted and faint tones from the palette, so light and dark themes both work.
QColor mix(const QColor& a, const QColor& b, double t);
/// `c` with its alpha set to `alpha` (0 to 1).
QColor withAlpha(QColor c, double alpha);
/// Near-black or white, whichever reads better on `fill` (by its relative luminance).
QColor contrastText(const QColor& fill);

} // namespace synack
