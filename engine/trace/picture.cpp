// SPDX-License-Identifier: GPL-3.0-or-later
#include "trace/picture.h"

#include <algorithm>

namespace synack {

std::int64_t EndpointView::timerLeftMs(std::int64_t tNs) const
{
    if (timer.kind == TimerKind::None)
        return 0;
    return std::max<std::int64_t>(0, timer.remainingMs - (tNs - timerAtNs) / 1'000'000);
}

EndpointView* Picture::find(const std::string& name)
{
    const auto it = m_index.find(name);
    return it == m_index.end() ? nullptr : &endpoints[it->second];
}

const EndpointView* Picture::find(const std::string& name) const
{
    return const_cast<Picture*>(this)->find(name);
}

EndpointView& Picture::obtain(const std::string& name)
{
    if (EndpointView* v = find(name))
        return *v;
    EndpointView v;
    v.name = name;
    m_index.emplace(name, endpoints.size());
    endpoints.push_back(std::move(v));
    return endpoints.back();
}

void Picture::apply(const Event& e)
{
    tNs = e.tNs;
    step = e.step;
    if (const auto* s = e.as<StateEvent>()) {
        EndpointView& v = obtain(s->endpoint);
        v.state = s->to;
        v.stateSource = s->source;
        v.role = s->role;
        if (!s->local.empty())
            v.local = s->local;
        if (!s->peer.empty())
            v.peer = s->peer;
        v.gone = s->gone;
    } else if (const auto* b = e.as<BuffersEvent>()) {
        obtain(b->endpoint).buffers = *b;
    } else if (const auto* t = e.as<TimerEvent>()) {
        EndpointView& v = obtain(t->endpoint);
        v.timer = *t;
        v.timerAtNs = e.tNs;
    } else if (const auto* st = e.as<StepEvent>()) {
        // Waits are the scenario's, not a call of the endpoint they name.
        if (st->endpoint.empty() || st->isWait())
            return;
        if (!st->adopts.empty() && !st->creates.empty()) {
            // accept(): the kernel socket shown under "<client>/peer" now has a descriptor and
            // the scenario's name; it is one socket, so the row is renamed, not duplicated.
            if (EndpointView* old = find(st->adopts); old && !find(st->creates)) {
                old->name = st->creates;
                old->adoptedFrom = st->adopts;
                auto node = m_index.extract(st->adopts);
                node.key() = st->creates;
                m_index.insert(std::move(node));
            }
        }
        // accept's addresses are the new endpoint's; every other call's are its own endpoint's.
        EndpointView& owner = obtain(st->creates.empty() ? st->endpoint : st->creates);
        if (!st->local.empty())
            owner.local = st->local;
        if (!st->peer.empty())
            owner.peer = st->peer;
        EndpointView& v = obtain(st->endpoint);
        if (st->phase == Phase::Blocked) {
            v.blockedIn = st->text;
        } else {
            v.blockedIn.clear();
            v.lastResult = st->result;
            v.lastErr = st->err;
        }
    }
}

Picture Picture::after(const Trace& trace, std::size_t count)
{
    Picture p;
    count = std::min(count, trace.events.size());
    for (std::size_t i = 0; i < count; ++i)
        p.apply(trace.events[i]);
    return p;
}

} // namespace synack
