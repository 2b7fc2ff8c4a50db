// SPDX-License-Identifier: GPL-3.0-or-later
#include "run/expectations.h"

#include "scenario/gatewords.h"
#include "tcp/segment.h"

#include "run/queues.h"

namespace synack {

namespace {
    bool compare(std::int64_t observed, CompareOp op, std::int64_t expected)
    {
        switch (op) {
        case CompareOp::Eq:
            return observed == expected;
        case CompareOp::Ne:
            return observed != expected;
        case CompareOp::Lt:
            return observed < expected;
        case CompareOp::Le:
            return observed <= expected;
        case CompareOp::Gt:
            return observed > expected;
        case CompareOp::Ge:
            return observed >= expected;
        }
        return false;
    }

    std::string stateText(const std::optional<TcpState>& s, const char* none)
    {
        return s ? std::string(stateName(*s)) : std::string(none);
    }
}

bool goneForGood(const Endpoint& ep) { return ep.goneStep >= 0 && !ep.fd; }

std::string goneText(const Endpoint& ep)
{
    return "gone: the kernel removed it at step " + std::to_string(ep.goneStep + 1) + " (line "
        + std::to_string(ep.goneLine) + ")" + (ep.goneFrom ? ", from " + std::string(stateName(*ep.goneFrom)) : "");
}

ExpectEvent waitOutcome(const Step& st, const Endpoint* ep)
{
    std::string observed;
    if (!ep)
        observed = "no such endpoint";
    else if (ep->lastState != st.state && goneForGood(*ep))
        observed = goneText(*ep);
    else
        observed = stateText(ep->lastState, "unknown");
    return ExpectEvent { st.pos.line, st.text, st.endpoint, "state", std::string(stateName(st.state)), observed,
        ep && ep->lastState == st.state };
}

ExpectEvent checkExpectation(const Step& st, const EndpointTable& table)
{
    ExpectEvent e;
    e.line = st.pos.line;
    e.text = st.text;
    e.endpoint = st.endpoint;
    e.quantity = std::string(quantityName(st.quantity));
    e.expected = st.valueText;
    const Endpoint* ep = table.observed(st.endpoint);
    if (!ep) {
        e.observed = "no such endpoint";
        return e;
    }
    const Sample& s = ep->last;
    auto numeric = [&](std::int64_t v) {
        if (v < 0) {
            e.observed = "not reported";
            e.ok = false;
            return;
        }
        e.observed = std::to_string(v);
        e.ok = compare(v, st.op, st.number);
    };
    auto equality = [&](const std::string& observed, bool equal) {
        e.observed = observed;
        e.ok = st.op == CompareOp::Ne ? !equal : equal;
    };
    switch (st.quantity) {
    case Quantity::State:
        equality(stateText(ep->lastState, "unknown"), ep->lastState == st.state);
        break;
    case Quantity::PeerState: {
        const Endpoint* other = table.otherHalf(*ep);
        const std::string observed = other ? stateText(other->lastState, "") : std::string("no peer socket");
        equality(observed, other && other->lastState == st.state);
        break;
    }
    case Quantity::Errno:
        if (!ep->hasLastCall)
            equality("no call yet", false);
        else
            equality(errnoName(ep->lastErr), ep->lastErr == st.number);
        break;
    case Quantity::Result:
        if (!ep->hasLastCall) {
            equality("no call yet", false);
        } else {
            e.observed = std::to_string(ep->lastResult);
            e.ok = compare(ep->lastResult, st.op, st.number);
        }
        break;
    case Quantity::RecvQ:
        numeric(s.present ? s.recvq : -1);
        break;
    case Quantity::SendQ:
        numeric(s.present ? s.sendq : -1);
        break;
    case Quantity::NotSent:
        numeric(s.present ? s.notsent : -1);
        break;
    case Quantity::AcceptQ:
        numeric(s.present ? s.acceptq : -1);
        break;
    case Quantity::SndBuf:
        numeric(s.present ? s.sndbuf : -1);
        break;
    case Quantity::RcvBuf:
        numeric(s.present ? s.rcvbuf : -1);
        break;
    case Quantity::Timer: {
        TimerEvent t;
        t.kind = timerKindOf(*ep, s);
        t.raw = static_cast<unsigned>(s.timer);
        const std::string label = t.label();
        equality(label.empty() ? std::string("none") : label, static_cast<std::int64_t>(t.kind) == st.number);
        break;
    }
    case Quantity::TimerMs:
        numeric(s.present && s.timer != DiagTimer::None ? s.timerMs : -1);
        break;
    case Quantity::SegsOut:
        numeric(s.present ? s.segsOut : -1);
        break;
    case Quantity::SegsIn:
        numeric(s.present ? s.segsIn : -1);
        break;
    case Quantity::Retrans:
        numeric(s.present ? s.retrans : -1);
        break;
    case Quantity::Shutdown:
        equality(s.present && s.shutdown >= 0 && s.shutdown <= 3
                ? std::string(shutdownName(static_cast<Shutdown>(s.shutdown)))
                : std::string(s.present ? "unknown" : "not reported"),
            s.present && s.shutdown == st.number);
        break;
    case Quantity::Blocked:
        equality(ep->pending ? "yes" : "no", (ep->pending ? 1 : 0) == st.number);
        break;
    case Quantity::GateHeld:
    case Quantity::GateNext:
        equality("the gate's, not an endpoint's", false); // the parser allows them on `gate` only
        break;
    }
    return e;
}

ExpectEvent checkGateExpectation(const Step& st, const std::vector<HeldSegment>* held)
{
    ExpectEvent e;
    e.line = st.pos.line;
    e.text = st.text;
    e.endpoint = "gate";
    e.quantity = std::string(quantityName(st.quantity));
    e.expected = st.valueText;
    if (!held) {
        e.observed = "no gate: this run is not in the gated lab";
        return e;
    }
    if (st.quantity == Quantity::GateHeld) {
        const auto n = static_cast<std::int64_t>(held->size());
        e.observed = std::to_string(n);
        e.ok = compare(n, st.op, st.number);
        return e;
    }
    bool equal = false;
    if (held->empty()) {
        e.observed = "none";
        equal = st.number == 0;
    } else {
        const HeldSegment& next = held->front();
        SegmentPattern named;
        named.flagsSet = next.flags & (kSyn | kFin | kRst | kAck);
        named.data = next.payload > 0;
        e.observed = patternFlagsText(named);
        equal = st.number != 0 && flagsMatch(st.pattern, next.flags, next.payload);
    }
    e.ok = st.op == CompareOp::Ne ? !equal : equal;
    return e;
}

} // namespace synack
