// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QRectF>
#include <QString>

#include <cstddef>
#include <utility>
#include <vector>

#include "ladder/ladderitem.h"
#include "trace/trace.h"

namespace synack {

struct LadderFonts;
struct LadderPrepared;

/// Where everything of a trace's first `visible` events goes: rows top to bottom in trace order,
/// and every item's geometry. Made once per revealed count; animation (a segment cut to its
/// progress, a countdown) is applied to these items at paint time.
struct LadderLayout {
    std::vector<LadderItem> items; ///< in paint order (by kind)
    /// The last countdown timer item of each endpoint (item index, endpoint): re-read at paint time.
    std::vector<std::pair<std::size_t, QString>> liveTimers;
    double height = 0;
    QRectF newest; ///< what to keep scrolled into view

    static LadderLayout make(
        const Trace& t, const LadderPrepared& prepared, const LadderFonts& fonts, std::size_t visible);
};

} // namespace synack
