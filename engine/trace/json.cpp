// SPDX-License-Identifier: GPL-3.0-or-later
// The trace's JSON form. Field names are part of the file format users keep: change them only
// with a format version bump.
#include "trace/trace.h"

#include <map>

#include <nlohmann/json.hpp>

namespace synack {

using json = nlohmann::ordered_json;

namespace {

    /// 2 added a state's "role" and "gone" and a call's "count"; 1 still loads.
    constexpr int kFormatVersion = 2;

    void putKnown(json& j, const char* key, std::int64_t v)
    {
        // -1 is "not known": leave the field out rather than write a fake number.
        if (v >= 0)
            j[key] = v;
    }
    std::int64_t getKnown(const json& j, const char* key)
    {
        auto it = j.find(key);
        return it == j.end() ? -1 : it->get<std::int64_t>();
    }
    std::string getString(const json& j, const char* key, const std::string& fallback = {})
    {
        auto it = j.find(key);
        return it == j.end() ? fallback : it->get<std::string>();
    }
    Source getSource(const json& j)
    {
        auto s = sourceFromName(getString(j, "source", "kernel"));
        if (!s)
            throw std::invalid_argument("unknown source '" + getString(j, "source") + "'");
        return *s;
    }
    /// An errno as the trace writes it: "0", a name, or "E<number>" for one without a name here.
    int getErrno(const json& j, const char* key)
    {
        const std::string name = j.at(key).get<std::string>();
        if (auto e = errnoFromName(name))
            return *e;
        if (name.size() > 1 && name[0] == 'E' && name.find_first_not_of("0123456789", 1) == std::string::npos
            && name.size() < 6)
            return std::stoi(name.substr(1));
        throw std::invalid_argument(std::string(key) + ": unknown errno '" + name + "'");
    }
    template <class E> E getName(const json& j, const char* key, std::optional<E> (*parse)(std::string_view),
        const std::string& fallback)
    {
        const std::string text = getString(j, key, fallback);
        if (auto v = parse(text))
            return *v;
        throw std::invalid_argument(std::string(key) + ": unknown value '" + text + "'");
    }
    TcpState getState(const json& j, const char* key)
    {
        const std::string text = j.at(key).get<std::string>();
        if (auto s = stateFromName(text))
            return *s;
        throw std::invalid_argument(std::string(key) + ": unknown state '" + text + "'");
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
    void fromJson(const json& j, StepEvent& e)
    {
        e.line = j.value("line", 0);
        e.text = getString(j, "text");
        e.endpoint = getString(j, "endpoint");
        e.call = j.at("call").get<std::string>();
        e.args = getString(j, "args");
        e.result = j.at("result").get<std::int64_t>();
        e.err = getErrno(j, "errno");
        e.phase = getName<Phase>(j, "phase", phaseFromName, "done");
        if (auto it = j.find("calls"); it != j.end())
            for (const auto& c : *it)
                e.calls.push_back({ c.at("call").get<std::string>(), getString(c, "args"),
                    c.at("result").get<std::int64_t>(), getErrno(c, "errno"), c.value("count", 1) });
        e.local = getString(j, "local");
        e.peer = getString(j, "peer");
        e.creates = getString(j, "creates");
        e.adopts = getString(j, "adopts");
        if (auto it = j.find("narration"); it != j.end())
            e.narration = it->get<std::map<std::string, std::string>>();
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
    void fromJson(const json& j, StateEvent& e)
    {
        e.endpoint = j.at("endpoint").get<std::string>();
        if (!j.at("from").get<std::string>().empty())
            e.from = getState(j, "from");
        e.to = getState(j, "to");
        e.source = getSource(j);
        e.role = getName<Role>(j, "role", roleFromName, "socket");
        e.local = getString(j, "local");
        e.peer = getString(j, "peer");
        e.why = getString(j, "why");
        // Format 1 had no "gone": a kernel CLOSE with a reason meant the socket was gone.
        e.gone = j.contains("gone") ? j["gone"].get<bool>()
                                    : e.source == Source::Kernel && e.to == TcpState::Close && !e.why.empty();
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
    void fromJson(const json& j, BuffersEvent& e)
    {
        e.endpoint = j.at("endpoint").get<std::string>();
        e.recvq = getKnown(j, "recvq");
        e.sendq = getKnown(j, "sendq");
        e.notsent = getKnown(j, "notsent");
        e.sndbuf = getKnown(j, "sndbuf");
        e.rcvbuf = getKnown(j, "rcvbuf");
        e.sndwnd = getKnown(j, "sndwnd");
        e.rcvwnd = getKnown(j, "rcvwnd");
        e.acceptq = getKnown(j, "acceptq");
        e.backlog = getKnown(j, "backlog");
        e.segsOut = getKnown(j, "segs_out");
        e.segsIn = getKnown(j, "segs_in");
        e.retrans = getKnown(j, "retrans");
        if (j.contains("shutdown"))
            e.shutdown = getName<Shutdown>(j, "shutdown", shutdownFromName, "");
        e.source = getSource(j);
    }

    void toJson(json& j, const TimerEvent& e)
    {
        j["endpoint"] = e.endpoint;
        j["timer"] = e.label();
        j["remaining_ms"] = e.remainingMs;
        j["retrans"] = e.retrans;
        j["source"] = sourceName(e.source);
    }
    void fromJson(const json& j, TimerEvent& e)
    {
        e.endpoint = j.at("endpoint").get<std::string>();
        const std::string label = j.at("timer").get<std::string>();
        if (label.rfind("unknown(", 0) == 0 && label.size() > 9 && label.back() == ')') {
            e.kind = TimerKind::Unknown;
            e.raw = static_cast<unsigned>(std::stoul(label.substr(8, label.size() - 9)));
        } else if (label.empty()) {
            e.kind = TimerKind::None;
        } else if (auto k = timerKindFromName(label)) {
            e.kind = *k;
        } else {
            throw std::invalid_argument("timer: unknown kind '" + label + "'");
        }
        e.remainingMs = j.at("remaining_ms").get<std::int64_t>();
        e.retrans = j.value("retrans", std::int64_t { 0 });
        e.source = getSource(j);
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
    }
    void fromJson(const json& j, SegmentEvent& e)
    {
        e.from = j.at("from").get<std::string>();
        e.to = j.at("to").get<std::string>();
        const std::string flags = j.at("flags").get<std::string>();
        if (auto f = tcpFlagsFromText(flags))
            e.flags = *f;
        else
            throw std::invalid_argument("flags: unknown flag in '" + flags + "'");
        if (j.contains("seq"))
            e.seq = j["seq"].get<std::uint32_t>();
        if (j.contains("ack"))
            e.ack = j["ack"].get<std::uint32_t>();
        if (j.contains("window"))
            e.window = j["window"].get<std::uint32_t>();
        e.length = j.value("length", std::int64_t { 0 });
        e.source = getSource(j);
        e.why = getString(j, "why");
        if (j.contains("rel_seq"))
            e.relSeq = j["rel_seq"].get<std::uint32_t>();
        if (j.contains("rel_ack"))
            e.relAck = j["rel_ack"].get<std::uint32_t>();
        if (j.contains("raw_window"))
            e.rawWindow = j["raw_window"].get<std::uint32_t>();
        e.wscale = j.value("wscale", -1);
        if (auto it = j.find("options"); it != j.end()) {
            const json& o = *it;
            if (o.contains("mss"))
                e.options.mss = o["mss"].get<std::uint16_t>();
            if (o.contains("wscale"))
                e.options.wscale = o["wscale"].get<std::uint8_t>();
            e.options.sackPermitted = o.value("sack_permitted", false);
            if (o.contains("ts_val"))
                e.options.tsVal = o["ts_val"].get<std::uint32_t>();
            if (o.contains("ts_ecr"))
                e.options.tsEcr = o["ts_ecr"].get<std::uint32_t>();
            if (auto s = o.find("sack"); s != o.end())
                for (const json& b : *s)
                    e.options.sack.emplace_back(b.at(0).get<std::uint32_t>(), b.at(1).get<std::uint32_t>());
            e.options.text = getString(o, "text");
        }
        e.cause = getString(j, "cause");
        if (j.contains("wire_ns"))
            e.wireNs = j["wire_ns"].get<std::int64_t>();
        e.frame = j.value("frame", std::int64_t { 0 });
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
    void fromJson(const json& j, ExpectEvent& e)
    {
        e.line = j.value("line", 0);
        e.text = getString(j, "text");
        e.endpoint = getString(j, "endpoint");
        e.quantity = getString(j, "quantity");
        e.expected = j.at("expected").get<std::string>();
        e.observed = j.at("observed").get<std::string>();
        e.ok = j.at("ok").get<bool>();
    }

    void toJson(json& j, const NoteEvent& e)
    {
        j["level"] = noteLevelName(e.level);
        j["text"] = e.text;
        if (e.line)
            j["line"] = e.line;
    }
    void fromJson(const json& j, NoteEvent& e)
    {
        e.level = getName<NoteLevel>(j, "level", noteLevelFromName, "info");
        e.text = j.at("text").get<std::string>();
        e.line = j.value("line", 0);
    }

    /// Format 1 did not record roles: they are given as its readers guessed them, from the calls
    /// (the first of connect, listen, bind or accept that made the endpoint decides).
    void inferRoles(Trace& t)
    {
        std::map<std::string, Role> roles;
        for (const Event& e : t.events) {
            const auto* s = e.as<StepEvent>();
            if (!s)
                continue;
            if (!s->creates.empty() && !roles.count(s->creates))
                roles[s->creates] = Role::Accepted;
            if (s->endpoint.empty() || roles.count(s->endpoint))
                continue;
            if (s->call == "connect")
                roles[s->endpoint] = Role::Client;
            else if (s->call == "listen")
                roles[s->endpoint] = Role::Listener;
            else if (s->call == "bind")
                roles[s->endpoint] = Role::Bound;
        }
        for (Event& e : t.events)
            if (auto* s = std::get_if<StateEvent>(&e.data)) {
                if (s->endpoint.find('/') != std::string::npos)
                    s->role = Role::Peer;
                else if (auto it = roles.find(s->endpoint); it != roles.end())
                    s->role = it->second;
            }
    }

    template <class T>
    Event readEvent(const json& j, std::int64_t t, int step)
    {
        T data;
        fromJson(j, data);
        return Event { t, step, std::move(data) };
    }

} // namespace

std::string traceToJson(const Trace& trace, bool pretty)
{
    json root;
    root["format"] = "synack-trace";
    root["version"] = kFormatVersion;
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
        std::visit([&j](const auto& data) { toJson(j, data); }, e.data);
        events.push_back(std::move(j));
    }
    root["events"] = std::move(events);
    return root.dump(pretty ? 2 : -1) + (pretty ? "\n" : "");
}

Result<Trace> traceFromJson(std::string_view text)
{
    json root;
    try {
        root = json::parse(text.begin(), text.end());
    } catch (const json::parse_error& e) {
        return Error { "trace", 0, std::string("not valid JSON: ") + e.what() };
    }
    std::size_t index = 0;
    try {
        if (!root.is_object() || !root.contains("events"))
            return Error { "trace", 0, "not a SynAck trace: no \"events\" array" };
        if (root.value("version", kFormatVersion) > kFormatVersion)
            return Error { "trace", 0,
                "written by a newer SynAck (format version " + std::to_string(root.value("version", 0)) + ")" };
        Trace t;
        t.scenario = root.at("scenario").get<std::string>();
        t.title = getString(root, "title");
        t.file = getString(root, "file");
        t.kernel = getString(root, "kernel");
        t.tier = getName<Tier>(root, "tier", tierFromName, "host-loopback");
        t.startedAt = getString(root, "started_at");
        t.synackVersion = getString(root, "synack_version");
        t.stepCount = root.value("steps", 0);
        std::int64_t previous = 0;
        for (const json& j : root.at("events")) {
            const auto t_ns = j.at("t_ns").get<std::int64_t>();
            if (t_ns < previous)
                return Error { "trace", 0, "event " + std::to_string(index) + ": t_ns goes backwards" };
            previous = t_ns;
            const int step = j.value("step", -1);
            const auto kind = j.at("kind").get<std::string>();
            if (kind == "step")
                t.events.push_back(readEvent<StepEvent>(j, t_ns, step));
            else if (kind == "state")
                t.events.push_back(readEvent<StateEvent>(j, t_ns, step));
            else if (kind == "buffers")
                t.events.push_back(readEvent<BuffersEvent>(j, t_ns, step));
            else if (kind == "timer")
                t.events.push_back(readEvent<TimerEvent>(j, t_ns, step));
            else if (kind == "segment")
                t.events.push_back(readEvent<SegmentEvent>(j, t_ns, step));
            else if (kind == "expect")
                t.events.push_back(readEvent<ExpectEvent>(j, t_ns, step));
            else if (kind == "note")
                t.events.push_back(readEvent<NoteEvent>(j, t_ns, step));
            else
                return Error { "trace", 0, "event " + std::to_string(index) + ": unknown kind '" + kind + "'" };
            ++index;
        }
        if (root.value("version", 1) < 2)
            inferRoles(t);
        return t;
    } catch (const std::exception& e) {
        return Error { "trace", 0, "event " + std::to_string(index) + ": " + e.what() };
    }
}

} // namespace synack
