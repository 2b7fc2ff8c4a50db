// SPDX-License-Identifier: GPL-3.0-or-later
// The trace's JSON form, written (jsonread.cpp reads it). Field names are part of the file format
// users keep: change them only with a format version bump (kTraceFormatVersion).
#include "trace/trace.h"

#include <map>

#include <nlohmann/json.hpp>

namespace synack {

using json = nlohmann::ordered_json;

namespace {


    void putKnown(json& j, const char* key, std::int64_t v)
    {
        // -1 is "not known": leave the field out rather than write a fake number.
        if (v >= 0)
            j[key] = v;
    }
    void toJson(json& j, const StepEvent& e)
    {
        j["line"] = e.line;
        j["text"] = e.text;
        j["endpoint"] = e.endpoint;
        j["call"] = e.call;
        j["args"] = e.args;
        j["result"] = e.result;
        j["errno"] = errnoName(e.err);
        j["phase"] = phaseName(e.phase);
        json calls = json::array();
        for (const auto& c : e.calls) {
            json one { { "call", c.call }, { "args", c.args }, { "result", c.result }, { "errno", errnoName(c.err) } };
            if (c.count != 1)
                one["count"] = c.count;
            calls.push_back(std::move(one));
        }
        j["calls"] = std::move(calls);
        if (!e.local.empty())
            j["local"] = e.local;
        if (!e.peer.empty())
            j["peer"] = e.peer;
        if (!e.creates.empty())
            j["creates"] = e.creates;
        if (!e.adopts.empty())
            j["adopts"] = e.adopts;
        if (!e.narration.empty())
            j["narration"] = e.narration;
    }

    void toJson(json& j, const StateEvent& e)
    {
        j["endpoint"] = e.endpoint;
        j["from"] = e.from ? std::string(stateName(*e.from)) : std::string();
        j["to"] = stateName(e.to);
        j["source"] = sourceName(e.source);
        j["role"] = roleName(e.role);
        if (e.gone)
            j["gone"] = true;
        j["local"] = e.local;
        j["peer"] = e.peer;
        if (!e.why.empty())
            j["why"] = e.why;
    }

    void toJson(json& j, const BuffersEvent& e)
    {
        j["endpoint"] = e.endpoint;
        putKnown(j, "recvq", e.recvq);
        putKnown(j, "sendq", e.sendq);
        putKnown(j, "notsent", e.notsent);
        putKnown(j, "sndbuf", e.sndbuf);
        putKnown(j, "rcvbuf", e.rcvbuf);
        putKnown(j, "sndwnd", e.sndwnd);
        putKnown(j, "rcvwnd", e.rcvwnd);
        putKnown(j, "acceptq", e.acceptq);
        putKnown(j, "backlog", e.backlog);
        putKnown(j, "segs_out", e.segsOut);
        putKnown(j, "segs_in", e.segsIn);
        putKnown(j, "retrans", e.retrans);
        if (e.shutdown)
            j["shutdown"] = shutdownName(*e.shutdown);
        j["source"] = sourceName(e.source);
    }

    void toJson(json& j, const TimerEvent& e)
    {
        j["endpoint"] = e.endpoint;
        j["timer"] = e.label();
        j["remaining_ms"] = e.remainingMs;
        j["retrans"] = e.retrans;
        j["source"] = sourceName(e.source);
    }

    void toJson(json& j, const SegmentEvent& e)
    {
        j["from"] = e.from;
        j["to"] = e.to;
        j["flags"] = e.flagsText();
        if (e.seq)
            j["seq"] = *e.seq;
        if (e.ack)
            j["ack"] = *e.ack;
        if (e.window)
            j["window"] = *e.window;
        j["length"] = e.length;
        j["source"] = sourceName(e.source);
        if (!e.why.empty())
            j["why"] = e.why;
        // Captured segments only; inferred ones keep the short form above.
        if (e.relSeq)
            j["rel_seq"] = *e.relSeq;
        if (e.relAck)
            j["rel_ack"] = *e.relAck;
        if (e.rawWindow)
            j["raw_window"] = *e.rawWindow;
        if (e.wscale >= 0)
            j["wscale"] = e.wscale;
        if (!e.options.empty()) {
            json o;
            if (e.options.mss)
                o["mss"] = *e.options.mss;
            if (e.options.wscale)
                o["wscale"] = *e.options.wscale;
            if (e.options.sackPermitted)
                o["sack_permitted"] = true;
            if (e.options.tsVal)
                o["ts_val"] = *e.options.tsVal;
            if (e.options.tsEcr)
                o["ts_ecr"] = *e.options.tsEcr;
            if (!e.options.sack.empty()) {
                json blocks = json::array();
                for (const auto& [left, right] : e.options.sack)
                    blocks.push_back(json::array({ left, right }));
                o["sack"] = std::move(blocks);
            }
            if (!e.options.text.empty())
                o["text"] = e.options.text;
            j["options"] = std::move(o);
        }
        if (!e.cause.empty())
            j["cause"] = e.cause;
        if (e.wireNs)
            j["wire_ns"] = *e.wireNs;
        if (e.frame > 0)
            j["frame"] = e.frame;
        if (!e.fate.empty())
            j["fate"] = e.fate;
        if (e.copyOf > 0)
            j["copy_of"] = e.copyOf;
    }

    void toJson(json& j, const GateEvent& e)
    {
        j["action"] = e.action;
        if (e.frame > 0)
            j["frame"] = e.frame;
        if (!e.pattern.empty())
            j["pattern"] = e.pattern;
        j["by"] = e.by;
        if (e.line)
            j["line"] = e.line;
    }

    void toJson(json& j, const ExpectEvent& e)
    {
        j["line"] = e.line;
        j["text"] = e.text;
        j["endpoint"] = e.endpoint;
        j["quantity"] = e.quantity;
        j["expected"] = e.expected;
        j["observed"] = e.observed;
        j["ok"] = e.ok;
    }

    void toJson(json& j, const NoteEvent& e)
    {
        j["level"] = noteLevelName(e.level);
        j["text"] = e.text;
        if (e.line)
            j["line"] = e.line;
    }

} // namespace

std::string traceToJson(const Trace& trace, bool pretty)
{
    json root;
    root["format"] = "synack-trace";
    root["version"] = kTraceFormatVersion;
    root["scenario"] = trace.scenario;
    root["title"] = trace.title;
    root["file"] = trace.file;
    root["kernel"] = trace.kernel;
    root["tier"] = tierName(trace.tier);
    root["started_at"] = trace.startedAt;
    root["synack_version"] = trace.synackVersion;
    root["steps"] = trace.stepCount;
    json events = json::array();
    for (const Event& e : trace.events) {
        json j;
        j["t_ns"] = e.tNs;
        j["kind"] = eventKindName(e.kind());
        j["step"] = e.step;
        e.visit([&j](const auto& data) { toJson(j, data); });
        events.push_back(std::move(j));
    }
    root["events"] = std::move(events);
    return root.dump(pretty ? 2 : -1) + (pretty ? "\n" : "");
}

} // namespace synack
