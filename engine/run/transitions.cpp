// SPDX-License-Identifier: GPL-3.0-or-later
#include "run/transitions.h"

namespace synack {

void appendTransitions(Endpoint& ep, const Sample& s, int step, int line, std::vector<Transition>& out)
{
    const TcpState now = s.present ? s.state : TcpState::Close;
    if (ep.lastState == now)
        return;
    const std::string local = ep.local.valid() ? ep.local.toString() : std::string();
    const std::string peer = ep.peer.valid() ? ep.peer.toString() : std::string();
    std::optional<TcpState> from = ep.lastState;
    const TcpState fromState = from.value_or(TcpState::Close);

    std::vector<TcpState> gap;
    if (fromState != TcpState::Unknown && fromState != now) {
        const bool direct = isDirectTransition(fromState, now) && !(!from && ep.passive());
        // CLOSE_WAIT straight to CLOSE is an abort (RST); after a graceful close() it went
        // through LAST_ACK too fast to be sampled.
        const bool gracefulGap
            = now == TcpState::Close && ep.appClosed && ep.gracefulClose && fromState == TcpState::CloseWait;
        if (!direct || gracefulGap)
            gap = rfcPath(fromState, now, ep.passive());
    }
    // An adopted socket's opening was already shown under its "/peer" name.
    if (!from && ep.adopted)
        gap.clear();
    for (TcpState mid : gap) {
        out.push_back({ &ep,
            StateEvent { ep.name, from, mid, Source::Inferred, ep.role, false, local, peer,
                "not sampled: passed through faster than the sampler reads the kernel; taken from the RFC 9293 "
                "diagram" } });
        from = mid;
    }
    const bool gone = !s.present;
    out.push_back({ &ep,
        StateEvent { ep.name, from, now, Source::Kernel, ep.role, gone, local, peer,
            gone ? std::string("the kernel no longer has this socket") : std::string() },
        s.notsent > 0 });
    for (const Transition& t : out)
        if (t.ep == &ep && t.event.to == TcpState::SynSent)
            ep.synSentShown = true;
    if (gone && !ep.fd) {
        ep.goneStep = step;
        ep.goneLine = line;
        ep.goneFrom = ep.lastState;
    } else if (!gone) {
        ep.goneStep = -1;
    }
    ep.lastState = now;
}

SegmentRole segmentRole(const Transition& t, const Endpoint* peer)
{
    using S = TcpState;
    using K = SegmentKind;
    if (!t.event.from && t.ep->adopted)
        return {}; // its handshake was already shown under its "/peer" name
    // A socket's first state is its opening: a passive one from LISTEN, any other from CLOSE.
    const S from = t.event.from.value_or(t.event.to == S::SynRecv ? S::Listen : S::Close);
    const S to = t.event.to;
    if (to == S::Close && from != S::LastAck && from != S::TimeWait && from != S::Listen && from != S::Close) {
        if (from == S::SynSent)
            return { K::Rst, K::None }; // refused
        if (t.ep->abortedAtClose())
            return { K::None, K::Rst };
        if (peer && peer->abortedAtClose())
            return { K::Rst, K::None };
        // An orphan answers data with RST (it has no application to read it): the side that still
        // has its application is reset. The orphan's own end is only seen as its socket
        // disappearing, which is no evidence of a segment; it may as well have timed out.
        if (!t.ep->orphan() && peer && peer->orphan())
            return { K::Rst, K::None };
        return {}; // a timeout, or an orphan's end: do not invent a segment
    }
    const RfcEdge* edge = rfcEdge(from, to);
    if (!edge)
        return {};
    // The state changes when close()/shutdown() is called, but a FIN queued behind unsent data
    // leaves only after it; the receiver's own change will show it arriving.
    if (t.finQueued && edge->sends == K::Fin && edge->receives == K::None)
        return {};
    return { edge->receives, edge->sends };
}

} // namespace synack
