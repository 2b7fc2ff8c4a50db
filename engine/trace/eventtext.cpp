// SPDX-License-Identifier: GPL-3.0-or-later
#include "trace/eventtext.h"

#include <cstdio>

namespace synack::eventtext {

std::string call(const StepEvent& s)
{
    if (s.call == "gate")
        return "gate " + s.args;
    if (s.call == "accept")
        return "accept()";
    return s.call + "(" + s.args + ")";
}

std::string result(const StepEvent& s)
{
    std::string out = std::to_string(s.result);
    if (s.err != 0)
        out += " " + errnoName(s.err);
    return out;
}

std::string callAndResult(const StepEvent& s)
{
    if (s.call == "gate") // not a system call: what it did is in its gate events
        return call(s) + (s.err ? " = " + result(s) : std::string());
    return call(s) + " = " + result(s);
}

std::string transition(const StateEvent& s, const char* arrow)
{
    std::string out = s.from ? std::string(stateName(*s.from)) : std::string();
    out += s.from ? arrow : std::string(arrow).substr(1);
    out += stateName(s.to);
    return out;
}

std::string segment(const SegmentEvent& s)
{
    std::string out = s.flagsText();
    if (s.source == Source::Capture) {
        out += " seq " + std::to_string(s.relSeq ? *s.relSeq : s.seq.value_or(0));
        if (s.ack)
            out += " ack " + std::to_string(s.relAck ? *s.relAck : *s.ack);
        if (s.window)
            out += " win " + std::to_string(*s.window);
    }
    if (s.length > 0)
        out += " " + std::to_string(s.length) + (s.length == 1 ? " byte" : " bytes");
    if (s.fate == "held")
        out += ", held at the gate";
    else if (s.fate == "cut")
        out += ", lost: the wire is cut";
    else if (s.fate == "lost")
        out += ", lost at the gate";
    else if (s.fate == "delayed")
        out += ", delayed at the gate";
    else if (s.fate == "copy")
        out += ", a copy of #" + std::to_string(s.copyOf) + " sent by the gate";
    return out;
}

std::string gate(const GateEvent& g)
{
    std::string out = "gate " + g.action;
    if (!g.pattern.empty())
        out += " " + g.pattern;
    if (g.frame > 0)
        out += " (segment #" + std::to_string(g.frame) + ")";
    if (g.by == "user")
        out += ", by the user";
    return out;
}

std::string timer(const TimerEvent& t, std::int64_t leftMs)
{
    if (t.kind == TimerKind::None)
        return {};
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, leftMs < 10000 ? "%.1f" : "%.0f", static_cast<double>(leftMs) / 1000.0);
    return t.label() + " " + seconds + " s";
}

} // namespace synack::eventtext
