// SPDX-License-Identifier: GPL-3.0-or-later
// Fitting a prepared ladder into its pane's width: shares for the columns and the wire, and
// the texts that do not fit their share elided (whole in their tooltip).
#include "ladder/ladderevents.h"
#include "ladder/ladderstyle.h"

#include <QFontMetricsF>

#include <algorithm>
#include <numeric>

namespace synack {

namespace {

/// The level L at which sum(clamp(L, least_i, natural_i)) == room: narrow items keep their
/// width, wide ones are all cut to L ("water filling"), and none goes below what it must show
/// whole (a state's name, a segment's flags). Found by halving: the sum only grows with L.
double shareLevel(const std::vector<double>& natural, const std::vector<double>& least, double room)
{
    auto used = [&](double level) {
        double sum = 0;
        for (std::size_t i = 0; i < natural.size(); ++i)
            sum += std::max(least[i], std::min(natural[i], level));
        return sum;
    };
    double lo = 0, hi = *std::max_element(natural.begin(), natural.end());
    for (int i = 0; i < 40; ++i) {
        const double mid = (lo + hi) / 2;
        (used(mid) > room ? hi : lo) = mid;
    }
    return lo;
}

/// Shortens `text` to `room` pixels; remembers the whole of it once.
void elide(QString& text, double& width, double room, const QFontMetricsF& metrics, QString& whole)
{
    if (width <= room || text.isEmpty())
        return;
    const QString before = text;
    text = metrics.elidedText(text, Qt::ElideRight, std::max(0.0, room));
    width = metrics.horizontalAdvance(text);
    if (!whole.contains(before))
        whole = whole.isEmpty() ? before : whole + QLatin1Char('\n') + before;
}

} // namespace

bool LadderPrepared::fit(const Trace& t, const LadderFonts& fonts, double width, bool lastResort)
{
    const std::size_t n = lanes.columns.size();
    if (lanes.width <= width || !fittable())
        return false;
    const double u = fonts.u;
    const double wireNatural = lanes.wireRight - lanes.wireLeft;
    std::vector<double> natural;
    natural.reserve(n + 1);
    for (const LadderColumn& c : lanes.columns)
        natural.push_back(c.width);
    natural.push_back(wireNatural);
    // place() keeps an empty side 9 units wide; the margins are one unit each.
    const bool clients = std::any_of(lanes.columns.begin(), lanes.columns.end(),
        [](const LadderColumn& c) { return c.side == Side::Client; });
    const bool servers = std::any_of(lanes.columns.begin(), lanes.columns.end(),
        [](const LadderColumn& c) { return c.side == Side::Server; });
    const double room = width - 2 * u - (clients ? 0 : 9 * u) - (servers ? 0 : 9 * u);
    // What stays whole, by how much the pane can hold: (0) a state's name in its pill, a
    // timer's countdown, a segment's flags, and its numbers and cause (the lesson: up to 40% of
    // the pane); (1) without the numbers and cause; (2, only when asked) nothing: all elides.
    std::vector<double> least;
    for (int tier = 0; tier <= (lastResort ? 2 : 1); ++tier) {
        least.assign(n + 1, (tier == 2 ? 3 : 5) * u);
        if (tier < 2)
            for (const LadderEvent& p : events) {
                const std::size_t at = p.column >= 0 ? static_cast<std::size_t>(p.column) : n;
                if (p.draw == LadderEvent::State && at < n)
                    least[at] = std::max(least[at], p.labelWidth + 1.4 * u); // the pill, and air
                else if (p.draw == LadderEvent::Timer && at < n && tier == 0)
                    least[at] = std::max(least[at], lanes.givenNeed[at]);
                else if (p.draw == LadderEvent::Segment || p.draw == LadderEvent::Deliver
                    || p.draw == LadderEvent::Drop)
                    least[n] = std::max({ least[n], p.labelWidth + 2.5 * u,
                        tier == 0 ? std::min(std::max(p.detailWidth, p.noteWidth) + 2.5 * u, 0.4 * room) : 0.0 });
            }
        for (std::size_t i = 0; i <= n; ++i)
            least[i] = std::min(least[i], natural[i]);
        if (std::accumulate(least.begin(), least.end(), 0.0) <= room)
            break;
    }
    const double level = shareLevel(natural, least, room);

    lanes.cap.assign(n, 0);
    for (std::size_t c = 0; c < n; ++c)
        lanes.cap[c] = std::max(least[c], std::min(natural[c], level));
    lanes.wireCap = std::max(least[n], std::min(wireNatural, level));

    const QFontMetricsF bold(fonts.bold), small(fonts.small), smallBold(fonts.smallBold), body(fonts.body);
    QFont italic = fonts.small;
    italic.setItalic(true);
    const QFontMetricsF smallItalic(italic);
    std::vector<double> need = lanes.givenNeed;
    double wireNeed = std::min(lanes.givenWireNeed, lanes.wireCap);
    for (std::size_t c = 0; c < n && c < need.size(); ++c)
        need[c] = std::min(need[c], lanes.cap[c] - u);
    // What each kind of event draws where, with the padding the layout puts around it.
    const double inWire = lanes.wireCap - 2.5 * u;
    for (LadderEvent& p : events) {
        const double inColumn
            = p.column >= 0 && static_cast<std::size_t>(p.column) < n ? lanes.cap[static_cast<std::size_t>(p.column)] - 2.6 * u : 0;
        switch (p.draw) {
        case LadderEvent::Call:
            elide(p.label, p.labelWidth, inColumn, bold, p.whole);
            elide(p.detail, p.detailWidth, inColumn - (p.blocked ? u : 0), p.warning ? smallBold : small, p.whole);
            break;
        case LadderEvent::State:
            elide(p.label, p.labelWidth, inColumn + 1.2 * u, smallBold, p.whole);
            break;
        case LadderEvent::Segment:
        case LadderEvent::Deliver:
        case LadderEvent::Drop:
            elide(p.label, p.labelWidth, inWire, bold, p.whole);
            elide(p.detail, p.detailWidth, inWire, small, p.whole);
            elide(p.note, p.noteWidth, inWire, smallItalic, p.whole);
            break;
        case LadderEvent::Gate:
            elide(p.label, p.labelWidth, inWire, small, p.whole);
            break;
        case LadderEvent::WaitGap:
            elide(p.label, p.labelWidth, inWire, body, p.whole);
            break;
        case LadderEvent::Timer:
        case LadderEvent::None:
            break;
        }
    }
    lanes.place(t, need, wireNeed, fonts);
    return true;
}

} // namespace synack
