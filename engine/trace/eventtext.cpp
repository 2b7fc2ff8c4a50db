// SPDX-License-Identifier: GPL-3.0-or-later
#include "trace/eventtext.h"

#include <cstdio>

namespace synack::eventtext {

std::string call(const StepEvent& s)
{
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

std::string callAndResult(const StepEvent& s) { return call(s) + " = " + result(s); }

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
