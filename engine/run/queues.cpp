// SPDX-License-Identifier: GPL-3.0-or-later
#include "run/queues.h"

#include <cstdlib>

namespace synack {

TimerKind timerKindOf(const Endpoint& ep, const Sample& s)
{
    return s.present ? timerKindOf(static_cast<unsigned>(s.timer), s.state, ep.orphan()) : TimerKind::None;
}

bool reportQueues(Endpoint& ep, const Sample& s, Recorder& rec)
{
    bool changed = false;

    BuffersEvent b;
    b.endpoint = ep.name;
    b.recvq = s.recvq;
    b.sendq = s.sendq;
    b.notsent = s.notsent;
    b.sndbuf = s.sndbuf;
    b.rcvbuf = s.rcvbuf;
    b.sndwnd = s.sndwnd;
    b.rcvwnd = s.rcvwnd;
    b.acceptq = s.acceptq;
    b.backlog = s.backlog;
    b.segsOut = s.segsOut;
    b.segsIn = s.segsIn;
    b.retrans = s.retrans;
    if (s.present && s.shutdown >= 0 && s.shutdown <= 3)
        b.shutdown = static_cast<Shutdown>(s.shutdown); // bit 0 RCV_SHUTDOWN, bit 1 SEND_SHUTDOWN
    if (!(b == ep.lastBuffers)) {
        ep.lastBuffers = b;
        rec.emit(b);
        changed = true;
    }

    TimerEvent t;
    t.endpoint = ep.name;
    t.kind = timerKindOf(ep, s);
    t.raw = t.kind == TimerKind::Unknown ? static_cast<unsigned>(s.timer) : 0; // the number only where no name is
    t.remainingMs = s.present ? s.timerMs : 0;
    t.retrans = s.timerRetrans;
    const std::int64_t now = rec.nowNs();
    const std::int64_t expectedLeft = ep.lastTimer.remainingMs - (now - ep.lastTimerAtNs) / 1'000'000;
    // A new kind, or the same kind re-armed (more or less time left than the old countdown says,
    // as when TCP_KEEPIDLE shortens a keepalive timer), is news; the countdown is not.
    const bool rearmed = t.kind != TimerKind::None && std::llabs(t.remainingMs - expectedLeft) > 200;
    if (t.label() != ep.lastTimer.label() || rearmed || t.retrans != ep.lastTimer.retrans) {
        ep.lastTimer = t;
        ep.lastTimerAtNs = now;
        rec.emit(t);
        changed = true;
    }

    ep.last = s;
    if (s.present && s.local.valid() && (s.local.port != 0 || ep.local.port == 0))
        ep.local = s.local;
    return changed;
}

} // namespace synack
