// SPDX-License-Identifier: GPL-3.0-or-later
// Fitting a prepared ladder into its pane's width: shares for the columns and the wire, and
// the texts that do not fit their share elided (whole in their tooltip).
#include "ladder/ladderevents.h"
#include "ladder/ladderstyle.h"
#include "ladder/ladderview.h"

#include <QFontMetricsF>
#include <QHash>

#include <algorithm>
#include <array>
#include <cmath>
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

} // namespace

/// Elides texts to a room, remembering by the text's shape (digits as 0, as TextWidths measures)
/// how many characters were kept: the thousands of segments of a big trace elide alike.
class LadderPrepared::Elider {
public:
    enum Role { Bold, Small, SmallBold, SmallItalic, Body, Roles };

    explicit Elider(const LadderFonts& fonts)
        : m_metrics { QFontMetricsF(fonts.bold), QFontMetricsF(fonts.small), QFontMetricsF(fonts.smallBold),
            QFontMetricsF(italicOf(fonts.small)), QFontMetricsF(fonts.body) }
    {
    }

    /// Shortens `text` to `room` pixels.
    void operator()(Role role, QString& text, double& width, double room)
    {
        if (width <= room || text.isEmpty())
            return;
        QString shape = text;
        for (QChar& c : shape)
            if (c >= u'0' && c <= u'9')
                c = u'0';
        const Key key { role, static_cast<int>(std::floor(room)), shape };
        auto it = m_kept.constFind(key);
        if (it == m_kept.constEnd()) {
            const QFontMetricsF& m = m_metrics[role];
            const QString elided = m.elidedText(text, Qt::ElideRight, std::max(0.0, std::floor(room)));
            // What Qt kept: the common start (it gives "" when not even the ellipsis fits, and
            // "..." in a font without one); what is drawn is that and "…".
            qsizetype kept = 0;
            while (kept < elided.size() && kept < text.size() && elided[kept] == text[kept])
                ++kept;
            if (elided == text)
                kept = text.size();
            else if (kept == elided.size())
                kept = std::max<qsizetype>(0, kept - 1);
            const QString drawn = kept < text.size() ? text.left(kept) + QChar(0x2026) : text;
            it = m_kept.insert(key, { static_cast<int>(kept), m.horizontalAdvance(drawn) });
        }
        if (it->first < text.size())
            text = text.left(it->first) + QChar(0x2026);
        width = it->second;
    }

    /// A note too long for `room`: on two lines, broken at the space nearest its middle, where
    /// both fit; else elided. Why a segment was sent is the lesson, worth a second line.
    void wrapOrElide(Role role, QString& text, double& width, double room)
    {
        if (width <= room || text.isEmpty())
            return;
        const QFontMetricsF& m = m_metrics[role];
        int best = -1;
        for (int i = 0; i < text.size(); ++i)
            if (text[i] == u' ' && (best < 0 || std::abs(i - text.size() / 2) < std::abs(best - text.size() / 2)))
                best = i;
        if (best > 0) {
            const QString first = text.left(best), second = text.mid(best + 1);
            const double w = std::max(m.horizontalAdvance(first), m.horizontalAdvance(second));
            if (w <= room) {
                text = first + QLatin1Char('\n') + second;
                width = w;
                return;
            }
        }
        (*this)(role, text, width, room);
    }

private:
    static QFont italicOf(QFont f)
    {
        f.setItalic(true);
        return f;
    }
    struct Key {
        int role, room;
        QString shape;
        bool operator==(const Key& o) const { return role == o.role && room == o.room && shape == o.shape; }
    };
    friend size_t qHash(const Key& k, size_t seed) { return qHashMulti(seed, k.role, k.room, k.shape); }

    std::array<QFontMetricsF, Roles> m_metrics;
    QHash<Key, std::pair<int, double>> m_kept; ///< characters kept (the rest becomes "…"), width
};

const LadderEvent& LadderPrepared::fitted(const LadderEvent& p, const LadderFonts& fonts, LadderEvent& scratch) const
{
    if (lanes.cap.empty() || !m_elider || p.draw == LadderEvent::None || p.draw == LadderEvent::Timer)
        return p;
    const double u = fonts.u;
    const std::size_t n = lanes.columns.size();
    const double inColumn = p.column >= 0 && static_cast<std::size_t>(p.column) < n
        ? lanes.columns[static_cast<std::size_t>(p.column)].width - 2.6 * u
        : 0;
    const double inWire = lanes.wireRight - lanes.wireLeft - 2.5 * u;
    auto over = [](double width, double room) { return width > room; };
    // Most events fit their share as they are: nothing is copied for them.
    switch (p.draw) {
    case LadderEvent::Call:
        if (!over(p.labelWidth, inColumn) && !over(p.detailWidth, inColumn - (p.blocked ? u : 0)))
            return p;
        break;
    case LadderEvent::State:
        if (!over(p.labelWidth, inColumn + 1.5 * u))
            return p;
        break;
    case LadderEvent::Segment:
    case LadderEvent::Deliver:
    case LadderEvent::Drop:
        if (!over(p.labelWidth, inWire) && !over(p.detailWidth, inWire) && !over(p.noteWidth, inWire))
            return p;
        break;
    default:
        if (!over(p.labelWidth, inWire))
            return p;
        break;
    }
    scratch = p;
    LadderEvent& f = scratch;
    Elider& elide = *m_elider;
    switch (f.draw) {
    case LadderEvent::Call:
        elide(Elider::Bold, f.label, f.labelWidth, inColumn);
        elide(f.warning ? Elider::SmallBold : Elider::Small, f.detail, f.detailWidth, inColumn - (f.blocked ? u : 0));
        break;
    case LadderEvent::State:
        elide(Elider::SmallBold, f.label, f.labelWidth, inColumn + 1.5 * u);
        break;
    case LadderEvent::Segment:
    case LadderEvent::Deliver:
    case LadderEvent::Drop:
        elide(Elider::Bold, f.label, f.labelWidth, inWire);
        elide(Elider::Small, f.detail, f.detailWidth, inWire);
        elide.wrapOrElide(Elider::SmallItalic, f.note, f.noteWidth, inWire);
        break;
    case LadderEvent::Gate:
        elide(Elider::Small, f.label, f.labelWidth, inWire);
        break;
    case LadderEvent::WaitGap:
        elide(Elider::Body, f.label, f.labelWidth, inWire);
        break;
    default:
        break;
    }
    return f;
}

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
    const bool clients = std::any_of(
        lanes.columns.begin(), lanes.columns.end(), [](const LadderColumn& c) { return c.side == Side::Client; });
    const bool servers = std::any_of(
        lanes.columns.begin(), lanes.columns.end(), [](const LadderColumn& c) { return c.side == Side::Server; });
    const double room = width - 2 * u - (clients ? 0 : 9 * u) - (servers ? 0 : 9 * u);
    // What stays whole, by how much the pane can hold: (0) a state's name in its pill, a
    // timer's countdown, a segment's flags, and its numbers and cause (the lesson: up to 40% of
    // the pane); (1) the same with 30%; (2) without the numbers and cause; (3, only when asked)
    // nothing but the countdown: all else elides.
    // A countdown's box is as wide as its longest text (LadderLayouter::timer()), never elided;
    // its short form from tier 1 on.
    const QFontMetricsF small(fonts.small);
    const double timerBoxes[] = { small.horizontalAdvance(LadderView::tr("time-wait %1 s left").arg(59.9)) + 2.2 * u,
        small.horizontalAdvance(countdownShort(59.9)) + 2.2 * u };
    std::vector<double> least;
    const double lessonShare[] = { 0.4, 0.3, 0.0 }; // of the pane, for the numbers and the cause
    for (int tier = 0; tier <= (lastResort ? 3 : 2); ++tier) {
        least.assign(n + 1, (tier == 3 ? 3 : 5) * u);
        if (tier < 3)
            for (const LadderEvent& p : events) {
                const std::size_t at = p.column >= 0 ? static_cast<std::size_t>(p.column) : n;
                if (p.draw == LadderEvent::Timer && at < n)
                    least[at] = std::max(least[at], timerBoxes[tier == 0 ? 0 : 1]);
                else if (p.draw == LadderEvent::State && at < n)
                    least[at] = std::max(least[at], p.labelWidth + 1.1 * u); // the pill (label + 1 u)
                else if (p.draw == LadderEvent::Segment || p.draw == LadderEvent::Deliver
                    || p.draw == LadderEvent::Drop)
                    least[n] = std::max({ least[n], p.labelWidth + 2.5 * u,
                        std::min(std::max(p.detailWidth, p.noteWidth) + 2.5 * u, lessonShare[tier] * room) });
            }
        if (tier == 3)
            for (const LadderEvent& p : events)
                if (p.draw == LadderEvent::Timer && p.column >= 0 && static_cast<std::size_t>(p.column) < n)
                    least[static_cast<std::size_t>(p.column)]
                        = std::max(least[static_cast<std::size_t>(p.column)], timerBoxes[1]);
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

    std::vector<double> need = lanes.givenNeed;
    const double wireNeed = std::min(lanes.givenWireNeed, lanes.wireCap);
    for (std::size_t c = 0; c < n && c < need.size(); ++c)
        need[c] = std::min(need[c], lanes.cap[c] - u);
    lanes.place(t, need, wireNeed, fonts);
    m_elider = std::make_shared<Elider>(fonts);
    return true;
}

} // namespace synack
