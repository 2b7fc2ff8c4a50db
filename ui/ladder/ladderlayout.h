// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QRectF>
#include <QString>

#include <array>
#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

#include "ladder/ladderitem.h"
#include "trace/trace.h"

namespace synack {

struct LadderFonts;
struct LadderPrepared;

/// Where everything of a trace's first `visible` events goes: rows top to bottom in trace order,
/// and every item's geometry. Animation (a segment cut to its progress, a countdown) is applied to
/// these items at paint time.
struct LadderLayout {
    static constexpr std::size_t kKinds = static_cast<std::size_t>(LadderItem::Header) + 1;
    /// The items by kind: paint order is kind order, and within a kind the order they were made.
    std::array<std::vector<LadderItem>, kKinds> kinds;
    /// The last countdown timer item of each endpoint (index into kinds[Timer], endpoint): re-read
    /// at paint time.
    std::vector<std::pair<std::size_t, QString>> liveTimers;
    double height = 0;
    QRectF newest; ///< what to keep scrolled into view

    std::size_t size() const;
    bool empty() const { return size() == 0; }
    /// Calls `f` with every item in paint order.
    template <class F> void forEach(F&& f) const
    {
        for (const auto& kind : kinds)
            for (const LadderItem& it : kind)
                f(it);
    }
};

/// Lays out a trace's events in order, and goes on from where it stopped when more of them are
/// revealed: a step of a trace with a million events lays out the step's events, not the million
/// before it. Only going back (fewer events) starts again from the top.
///
/// The trace, the prepared texts and the fonts must stay as they are while it lives (LadderView
/// makes a new one when any of them changes).
class LadderLayouter {
public:
    LadderLayouter(const Trace& t, const LadderPrepared& prepared, const LadderFonts& fonts);
    ~LadderLayouter();
    LadderLayouter(const LadderLayouter&) = delete;
    LadderLayouter& operator=(const LadderLayouter&) = delete;

    /// Lays out the first `visible` events.
    void layOut(std::size_t visible);
    const LadderLayout& layout() const { return m_layout; }
    /// How many times the layout was started from the top.
    std::size_t restarts() const { return m_restarts; }

private:
    class Rows;
    const Trace& m_trace;
    const LadderPrepared& m_prepared;
    const LadderFonts& m_fonts;
    LadderLayout m_layout;
    std::unique_ptr<Rows> m_rows;
    std::size_t m_restarts = 0;
};

} // namespace synack
