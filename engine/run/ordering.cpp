// SPDX-License-Identifier: GPL-3.0-or-later
#include "run/ordering.h"

#include <algorithm>
#include <deque>
#include <limits>
#include <set>

#include "trace/eventtext.h"

namespace synack {

namespace {
    std::string kindText(SegmentKind k) { return tcpFlagsText(flagsOf(k)); }
    /// "c went ESTABLISHED -> FIN_WAIT1".
    std::string went(const Transition& t) { return t.ep->name + " went " + eventtext::transition(t.event); }
}

bool Ordering::report(std::vector<Transition> transitions, std::vector<WireSegment> wire, const ReadTimes* readAt)
{
    // What the last batch held comes first (m_heldCount says how many: they are owed now).
    if (!m_heldWire.empty())
        wire.insert(wire.begin(), std::make_move_iterator(m_heldWire.begin()), std::make_move_iterator(m_heldWire.end()));
    m_heldWire.clear();
    const bool any = !wire.empty() || !transitions.empty();
    if (!m_heldTransitions.empty()) {
        for (Transition& t : m_heldTransitions)
            t.heldOnce = true;
        transitions.insert(transitions.begin(), std::make_move_iterator(m_heldTransitions.begin()),
            std::make_move_iterator(m_heldTransitions.end()));
        m_heldTransitions.clear();
    }
    if (m_captured) {
        name(wire);
        holdUnseen(wire, transitions, readAt);
        emitAlongWire(transitions, wire);
    } else {
        holdUnpaired(transitions, readAt);
        emitCausally(transitions);
    }
    return any;
}

bool Ordering::flush(std::vector<WireSegment> wire)
{
    if (!m_heldWire.empty())
        wire.insert(wire.begin(), std::make_move_iterator(m_heldWire.begin()), std::make_move_iterator(m_heldWire.end()));
    m_heldWire.clear();
    m_heldCount = 0;
    name(wire);
    const bool any = !wire.empty() || !m_heldTransitions.empty();
    std::vector<Transition> transitions = std::exchange(m_heldTransitions, {});
    emitAlongWire(transitions, wire);
    return any;
}

void Ordering::name(std::vector<WireSegment>& wire) const
{
    for (WireSegment& w : wire) {
        w.event.from = m_table.wireName(w.src, w.dst);
        w.event.to = m_table.wireName(w.dst, w.src);
    }
}

bool Ordering::dataSent(Endpoint& ep, const Sample& s)
{
    if (s.bytesSent < 0)
        return false;
    const std::int64_t before = ep.lastBytesSent;
    ep.lastBytesSent = s.bytesSent;
    if (before < 0 || s.bytesSent <= before)
        return false;
    Endpoint* peer = m_table.peerOrTarget(ep);
    if (!peer)
        return false;
    SegmentEvent seg;
    seg.from = ep.name;
    seg.to = peer->name;
    seg.flags = kPsh | kAck;
    seg.length = s.bytesSent - before;
    seg.source = Source::Inferred;
    seg.why = "the kernel counted " + std::to_string(seg.length)
        + " bytes sent (tcpi_bytes_sent); their division into segments is not seen without a capture";
    if (!m_captured)
        m_rec.emit(std::move(seg));
    return true;
}

void Ordering::infer(const std::string& from, const std::string& to, SegmentKind kind, std::string why, std::int64_t length)
{
    // In the lab the segments themselves are captured: none is inferred. (The causal order of
    // state changes, which the bookkeeping around this also serves, stays.)
    if (m_captured)
        return;
    SegmentEvent seg;
    seg.from = from;
    seg.to = to;
    seg.flags = flagsOf(kind);
    seg.length = length;
    seg.source = Source::Inferred;
    seg.why = std::move(why);
    m_rec.emit(std::move(seg));
}

bool Ordering::arrives(const SegmentEvent& e)
{
    // Held at the gate, or lost there, it reaches nobody (yet): it causes nothing.
    return e.fate.empty() || e.fate == "passed" || e.fate == "copy" || e.fate == "delayed";
}

void Ordering::emitWire(WireSegment& w)
{
    const std::int64_t t = *w.event.wireNs;
    m_rec.emitAt(t, std::move(w.event));
}

// Host loopback: holds back (once) a change that receives a segment nobody was seen to send when
// its sender was read before it in this batch: the sender may have moved on, and sent it,
// between the two reads (a client read in SYN_SENT just before its peer, read through sock_diag,
// is found ESTABLISHED). The next batch reads the sender after, and pairs them. A change that
// receives what a held change sends waits with it.
void Ordering::holdUnpaired(std::vector<Transition>& transitions, const ReadTimes* readAt)
{
    if (!readAt)
        return;
    auto readTime = [&](const Endpoint* ep) {
        auto it = readAt->find(ep);
        return it == readAt->end() ? std::int64_t(-1) : it->second;
    };
    std::set<const Endpoint*> holding;
    std::vector<bool> held(transitions.size(), false);
    for (std::size_t i = 0; i < transitions.size(); ++i) {
        const Transition& t = transitions[i];
        bool hold = holding.count(t.ep) > 0;
        if (!hold && !t.heldOnce) {
            Endpoint* peer = m_table.peerOrTarget(*t.ep);
            const SegmentRole role = segmentRole(t, peer);
            // (A sender with no reading in this batch, -1, was caught mid-teardown: see isTeardownRecord.)
            if (role.receives != SegmentKind::None && peer && readTime(peer) < readTime(t.ep)) {
                const auto& inFlight = m_inFlight[{ peer->name, t.ep->name }];
                const bool sent = std::find(inFlight.begin(), inFlight.end(), role.receives) != inFlight.end();
                const bool willBeSent = std::any_of(transitions.begin(), transitions.end(),
                    [&](const Transition& o) { return o.ep == peer && roleOf(o).sends == role.receives; });
                hold = !sent && !willBeSent;
            }
        }
        if (hold)
            holding.insert(t.ep);
        held[i] = hold;
    }
    for (bool grew = !holding.empty(); grew;) {
        grew = false;
        for (std::size_t i = 0; i < transitions.size(); ++i) {
            const Transition& t = transitions[i];
            if (held[i])
                continue;
            Endpoint* peer = m_table.peerOrTarget(*t.ep);
            const SegmentRole role = segmentRole(t, peer);
            bool hold = false;
            for (std::size_t j = 0; !hold && j < transitions.size(); ++j)
                hold = held[j] && transitions[j].ep == peer && role.receives != SegmentKind::None
                    && roleOf(transitions[j]).sends == role.receives;
            if (hold) {
                held[i] = true;
                grew = true;
                for (std::size_t k = i + 1; k < transitions.size(); ++k)
                    if (transitions[k].ep == t.ep)
                        held[k] = true; // the endpoint's later changes wait too
                holding.insert(t.ep);
            }
        }
    }
    std::vector<Transition> keep;
    for (std::size_t i = 0; i < transitions.size(); ++i)
        (held[i] ? m_heldTransitions : keep).push_back(std::move(transitions[i]));
    transitions = std::move(keep);
}

// The lab: moves to the held segments the first segment of `wire` (and all after it, keeping
// wire order) whose effect this batch may not have read: one that crossed after its receiver,
// or its sender, was read, unless a change read in this batch is what sent it, or what it causes
// with its sender read after it too.
// Such a segment is emitted with the next batch, which reads both ends after it crossed, so the
// change it caused is not drawn after the reply that change sent. A segment is held once at
// most. A change this batch read that a held segment caused is held with it (and the endpoint's
// changes after it), so that it still follows its cause.
void Ordering::holdUnseen(std::vector<WireSegment>& wire, std::vector<Transition>& transitions, const ReadTimes* readAt)
{
    const std::size_t wasHeld = std::exchange(m_heldCount, 0);
    if (!readAt)
        return;
    auto readTime = [&](const Endpoint* ep) {
        if (!ep)
            return std::numeric_limits<std::int64_t>::max(); // not ours: no state to wait for
        auto it = readAt->find(ep);
        return it == readAt->end() ? std::int64_t(-1) : it->second;
    };
    auto changes = [&](const Endpoint* ep, SegmentKind kind, bool sends) {
        for (const Transition& t : transitions) {
            if (t.ep != ep)
                continue;
            const SegmentRole role = roleOf(t);
            if (sends ? role.receives == SegmentKind::None && role.sends == kind : role.receives == kind)
                return true;
        }
        return false;
    };
    std::size_t i = std::min(wasHeld, wire.size());
    for (; i < wire.size(); ++i) {
        const SegmentEvent& e = wire[i].event;
        const std::int64_t w = *e.wireNs;
        const Endpoint* from = m_table.find(e.from);
        const Endpoint* to = m_table.find(e.to);
        const SegmentKind kind = segmentKindOf(e.flags);
        const bool bothReadAfter = w <= readTime(from) && w <= readTime(to);
        // What the segment caused at its receiver is only enough when its sender was read after
        // it too: a sender with no reading in this batch (a closed socket the dump caught mid-
        // teardown) or read before it left may not yet show the change that sent it (FIN_WAIT1
        // for a FIN), and that change must come first.
        const bool causesReadChange
            = to && arrives(e) && w <= readTime(to) && w <= readTime(from) && changes(to, kind, false);
        const bool sentByReadChange = from && changes(from, kind, true);
        if (!bothReadAfter && !causesReadChange && !sentByReadChange)
            break;
    }
    m_heldWire.assign(std::make_move_iterator(wire.begin() + static_cast<std::ptrdiff_t>(i)),
        std::make_move_iterator(wire.end()));
    m_heldCount = m_heldWire.size();
    wire.erase(wire.begin() + static_cast<std::ptrdiff_t>(i), wire.end());
    if (m_heldWire.empty())
        return;
    auto receivedIn = [](const std::vector<WireSegment>& ws, const Transition& t, SegmentKind kind) {
        return std::any_of(ws.begin(), ws.end(),
            [&](const WireSegment& w) {
                return w.event.to == t.ep->name && arrives(w.event) && segmentKindOf(w.event.flags) == kind;
            });
    };
    std::set<const Endpoint*> holding;
    std::vector<Transition> keep;
    for (Transition& t : transitions) {
        const SegmentRole role = roleOf(t);
        const bool causedByHeld = role.receives != SegmentKind::None && receivedIn(m_heldWire, t, role.receives)
            && !receivedIn(wire, t, role.receives);
        if (causedByHeld || holding.count(t.ep)) {
            holding.insert(t.ep);
            m_heldTransitions.push_back(std::move(t));
        } else {
            keep.push_back(std::move(t));
        }
    }
    transitions = std::move(keep);
}

// Per endpoint, its own changes stay in order; across endpoints, a change that receives a
// segment waits until the peer's change that sends it has been emitted.
void Ordering::emitCausally(std::vector<Transition>& transitions)
{
    if (transitions.empty())
        return;
    std::vector<Endpoint*> order;
    std::map<Endpoint*, std::deque<Transition>> pending;
    for (Transition& t : transitions) {
        if (!pending.count(t.ep))
            order.push_back(t.ep);
        pending[t.ep].push_back(std::move(t));
    }
    auto willSend = [&](Endpoint* who, SegmentKind kind) {
        if (!who || !pending.count(who))
            return false;
        for (const Transition& t : pending[who])
            if (roleOf(t).sends == kind)
                return true;
        return false;
    };
    for (;;) {
        bool progress = false, any = false;
        for (Endpoint* ep : order) {
            auto& queue = pending[ep];
            if (queue.empty())
                continue;
            any = true;
            Endpoint* peer = m_table.peerOrTarget(*ep);
            const SegmentRole role = segmentRole(queue.front(), peer);
            const std::string peerName = peer ? peer->name : std::string();
            if (role.receives != SegmentKind::None && peer) {
                auto& inFlight = m_inFlight[{ peerName, ep->name }];
                auto hit = std::find(inFlight.begin(), inFlight.end(), role.receives);
                if (hit != inFlight.end()) {
                    inFlight.erase(hit);
                } else if (willSend(peer, role.receives)) {
                    continue; // the peer sends it first
                } else {
                    // Sent without a state change we saw (a retransmission, or the kernel
                    // answering for a socket with no state of its own, as for a refused SYN).
                    infer(peerName, ep->name, role.receives,
                        "inferred: " + went(queue.front()) + ", which takes a " + kindText(role.receives) + " from "
                            + peerName);
                }
            }
            const std::string because = went(queue.front());
            m_rec.emit(std::move(queue.front().event));
            if (role.sends != SegmentKind::None && !peerName.empty()) {
                infer(ep->name, peerName, role.sends,
                    "inferred: " + because + ", which sends " + kindText(role.sends) + " (RFC 9293)");
                m_inFlight[{ ep->name, peerName }].push_back(role.sends);
            }
            queue.pop_front();
            progress = true;
        }
        if (!any)
            break;
        if (!progress) {
            // A cycle (should not happen); emit the first waiting change as it is.
            for (Endpoint* ep : order)
                if (!pending[ep].empty()) {
                    m_rec.emit(std::move(pending[ep].front().event));
                    pending[ep].pop_front();
                    break;
                }
        }
    }
}

void Ordering::emitAlongWire(std::vector<Transition>& transitions, std::vector<WireSegment>& wire)
{
    std::map<Endpoint*, std::deque<Transition>> pending;
    std::vector<Endpoint*> order;
    for (Transition& t : transitions) {
        if (!pending.count(t.ep))
            order.push_back(t.ep);
        pending[t.ep].push_back(std::move(t));
    }
    auto byName = [&](const std::string& name) -> Endpoint* {
        for (Endpoint* ep : order)
            if (ep->name == name)
                return ep;
        return nullptr;
    };
    // The segment a change is placed at: what it receives, else what it sends; None for none.
    auto anchor = [&](const Transition& t, bool& sends) {
        const SegmentRole role = roleOf(t);
        sends = role.receives == SegmentKind::None;
        return sends ? role.sends : role.receives;
    };
    auto inWire = [&](const Transition& t) {
        bool sends = false;
        const SegmentKind kind = anchor(t, sends);
        if (kind == SegmentKind::None)
            return false;
        return std::any_of(wire.begin(), wire.end(), [&](const WireSegment& w) {
            return (sends ? w.event.from : w.event.to) == t.ep->name && (sends || arrives(w.event))
                && segmentKindOf(w.event.flags) == kind;
        });
    };
    // A change whose segment is not in this batch (its cause was shown before, or a timer made
    // it) comes first.
    for (Endpoint* ep : order) {
        auto& queue = pending[ep];
        while (!queue.empty() && !inWire(queue.front())) {
            m_rec.emit(std::move(queue.front().event));
            queue.pop_front();
        }
    }
    // Emits `ep`'s changes up to and including the first one placed at a `kind` segment.
    auto emitUpTo = [&](Endpoint* ep, SegmentKind kind, bool sent, std::int64_t at) {
        if (!ep)
            return;
        auto& queue = pending[ep];
        auto hit = std::find_if(queue.begin(), queue.end(), [&](const Transition& t) {
            bool sends = false;
            return anchor(t, sends) == kind && sends == sent;
        });
        if (hit == queue.end())
            return;
        const auto n = std::distance(queue.begin(), hit) + 1;
        for (std::ptrdiff_t i = 0; i < n; ++i) {
            m_rec.emitAt(at, std::move(queue.front().event));
            queue.pop_front();
        }
    };
    for (WireSegment& w : wire) {
        const SegmentKind kind = segmentKindOf(w.event.flags);
        const std::int64_t at = *w.event.wireNs;
        emitUpTo(byName(w.event.from), kind, true, at);
        Endpoint* receiver = arrives(w.event) ? byName(w.event.to) : nullptr;
        emitWire(w);
        emitUpTo(receiver, kind, false, at);
    }
    std::vector<Transition> rest;
    for (Endpoint* ep : order)
        for (Transition& t : pending[ep])
            rest.push_back(std::move(t));
    emitCausally(rest);
}

} // namespace synack
