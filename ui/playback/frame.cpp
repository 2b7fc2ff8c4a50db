// SPDX-License-Identifier: GPL-3.0-or-later
#include "playback/frame.h"

#include <algorithm>
#include <atomic>
#include <unordered_set>

namespace synack {

std::uint64_t Frame::newRevision()
{
    // Far above what tests pass to Frame::at by hand, so the two never meet.
    static std::atomic<std::uint64_t> next { std::uint64_t(1) << 32 };
    return next++;
}

Frame Frame::at(const Trace& trace, std::size_t visible, double progress, std::uint64_t revision)
{
    Frame f;
    f.trace = &trace;
    f.revision = revision;
    f.visible = std::min(visible, trace.events.size());
    f.progress = progress;
    f.picture = Picture::after(trace, f.visible);
    f.step = f.picture.step;
    f.nowNs = f.picture.tNs;
    return f;
}

std::vector<std::string> endpointsOf(const Trace& trace)
{
    std::vector<std::string> names;
    std::unordered_set<std::string> seen; // a trace may name tens of thousands
    auto add = [&](const std::string& n) {
        if (!n.empty() && seen.insert(n).second)
            names.push_back(n);
    };
    for (const Event& e : trace.events) {
        if (const auto* s = e.as<StateEvent>())
            add(s->endpoint);
        else if (const auto* st = e.as<StepEvent>(); st && st->call != "wait")
            add(st->endpoint);
        else if (const auto* b = e.as<BuffersEvent>())
            add(b->endpoint);
    }
    return names;
}

} // namespace synack
