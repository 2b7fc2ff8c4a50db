// SPDX-License-Identifier: GPL-3.0-or-later
#include "ladder/laddercolumns.h"

#include "common/text.h"
#include "ladder/ladderstyle.h"

#include <QFontMetricsF>
#include <QSet>

#include <algorithm>
#include <tuple>

namespace synack {

void LadderColumns::collect(const Trace& t)
{
    columns.clear();
    columnOf.clear();
    // Columns, in order of first mention. Segments may name an endpoint the trace has not
    // described yet (a SYN to "client/peer"), so they count as a mention too.
    auto touch = [&](const std::string& name) -> int {
        if (name.empty())
            return -1;
        const QString q = qs(name);
        if (auto it = columnOf.find(q); it != columnOf.end())
            return it->second;
        LadderColumn c;
        c.names.push_back(q);
        c.appearance = static_cast<int>(columns.size());
        columns.push_back(c);
        columnOf[q] = c.appearance;
        return c.appearance;
    };
    for (const Event& e : t.events) {
        if (const auto* s = e.as<StepEvent>()) {
            if (s->call == "wait")
                continue;
            touch(s->endpoint);
            if (!s->creates.empty() && !columnOf.count(qs(s->creates))) {
                if (auto it = columnOf.find(qs(s->adopts)); it != columnOf.end()) {
                    columns[static_cast<std::size_t>(it->second)].names.push_back(qs(s->creates));
                    columnOf[qs(s->creates)] = it->second;
                } else {
                    touch(s->creates);
                }
            }
        } else if (const auto* st = e.as<StateEvent>()) {
            const int c = touch(st->endpoint);
            if (c >= 0 && columns[static_cast<std::size_t>(c)].address.isEmpty())
                columns[static_cast<std::size_t>(c)].address = qs(st->local);
        } else if (const auto* seg = e.as<SegmentEvent>()) {
            touch(seg->from);
            touch(seg->to);
        } else if (const auto* b = e.as<BuffersEvent>()) {
            touch(b->endpoint);
        } else if (const auto* tm = e.as<TimerEvent>()) {
            touch(tm->endpoint);
        }
    }
    // Sides in one pass over the events: a trace may name thousands of endpoints.
    std::vector<std::string> names;
    names.reserve(columns.size());
    for (const LadderColumn& c : columns)
        names.push_back(c.names.front().toStdString());
    const auto sides = sidesOf(t, names);
    for (std::size_t i = 0; i < columns.size(); ++i)
        columns[i].side = sides.at(names[i]);
}

int LadderColumns::indexOf(const std::string& name) const
{
    const auto it = columnOf.find(qs(name));
    return it == columnOf.end() ? -1 : it->second;
}

std::vector<int> LadderColumns::order(const Trace& t) const
{
    std::vector<int> order(columns.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = static_cast<int>(i);
    QSet<QString> created;
    for (const Event& e : t.events)
        if (const auto* s = e.as<StepEvent>(); s && !s->creates.empty())
            created.insert(qs(s->creates));
    auto key = [&](int ci) {
        const LadderColumn& c = columns[static_cast<std::size_t>(ci)];
        if (c.side == Side::Client)
            return std::tuple(0, c.appearance, 0);
        const QString& first = c.names.front();
        if (const auto slash = first.indexOf(QLatin1Char('/')); slash > 0) {
            const auto partner = columnOf.find(first.left(slash));
            return std::tuple(1, partner == columnOf.end() ? 1 << 20 : partner->second, c.appearance);
        }
        const bool accepted = created.contains(first);
        return accepted ? std::tuple(1, 1 << 20, c.appearance) : std::tuple(2, c.appearance, 0);
    };
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return key(a) < key(b); });
    return order;
}

void LadderColumns::place(const Trace& t, const std::vector<double>& need, double wireNeed, const LadderFonts& fonts)
{
    givenNeed = need;
    givenWireNeed = wireNeed;
    const double unit = fonts.u;
    const QFontMetricsF title(fonts.title), small(fonts.small);
    // Widths: every column fits its names and boxes; pills and boxes are centred on the line.
    for (std::size_t c = 0; c < columns.size(); ++c) {
        LadderColumn& col = columns[c];
        double w = std::max(9 * unit, need[c]);
        for (const QString& n : col.names)
            w = std::max(w, title.horizontalAdvance(n) + 1.5 * unit);
        w = std::max(w, small.horizontalAdvance(col.address) + 1.5 * unit);
        col.width = w + unit;
        if (c < cap.size() && cap[c] > 0)
            col.width = std::min(col.width, cap[c]); // the header's texts are elided to it
    }

    const std::vector<int> sorted = order(t);
    const double margin = unit;
    double clientWidth = 0;
    for (int ci : sorted)
        if (columns[static_cast<std::size_t>(ci)].side == Side::Client)
            clientWidth += columns[static_cast<std::size_t>(ci)].width;
    // An empty side keeps room for its title; a narrowed one (fit()) is as wide as its columns.
    const double leastSide = cap.empty() ? 9 * unit : 0.0;
    clientWidth = std::max(clientWidth, clientWidth > 0 ? leastSide : 9 * unit);
    // Clients hug the wire when the lane is wider than they need (an empty lane stays empty).
    double cx = margin + clientWidth;
    for (auto it = sorted.rbegin(); it != sorted.rend(); ++it) {
        LadderColumn& c = columns[static_cast<std::size_t>(*it)];
        if (c.side != Side::Client)
            continue;
        cx -= c.width;
        c.x = cx + c.width / 2;
    }
    wireLeft = margin + clientWidth;
    wireRight = wireLeft + (wireCap > 0 ? std::min(wireNeed, wireCap) : wireNeed);
    double x = wireRight;
    double serverWidth = 0;
    for (int ci : sorted) {
        LadderColumn& c = columns[static_cast<std::size_t>(ci)];
        if (c.side != Side::Server)
            continue;
        c.x = x + c.width / 2;
        x += c.width;
        serverWidth += c.width;
    }
    const double leastServers = serverWidth > 0 ? leastSide : 9 * unit;
    if (serverWidth < leastServers)
        x += leastServers - serverWidth;
    width = x + margin;
    headerHeight = 4.4 * unit;
}

} // namespace synack
