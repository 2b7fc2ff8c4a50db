// SPDX-License-Identifier: GPL-3.0-or-later
// Reading a trace back. A trace file may come from anywhere: nothing in it is trusted. It is read
// as a stream (nlohmann's SAX interface), one event at a time, straight into the typed trace, so
// memory stays near the file's size; every field is checked for its type and range and named
// with its event's number when it is wrong; and nothing the reader meets (a huge number, a wrong
// type, memory running out) escapes as an exception.
#include "trace/trace.h"

#include <cerrno>
#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <fcntl.h>
#include <limits>
#include <map>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "base/file.h"

namespace synack {

namespace {

    using json = nlohmann::json;

    /// What is wrong with the event being read (caught in traceFromJson; never leaves this file).
    struct Refused {
        std::string what;
    };

    [[noreturn]] void refuse(std::string what) { throw Refused { std::move(what) }; }

    /// One JSON object's fields, read with their types and ranges checked.
    class Fields {
    public:
        explicit Fields(const json& j)
            : m_j(j)
        {
            if (!j.is_object())
                refuse("expected an object");
        }
        bool has(const char* key) const { return m_j.contains(key); }
        const json& at(const char* key) const
        {
            auto it = m_j.find(key);
            if (it == m_j.end())
                refuse(std::string(key) + ": missing");
            return *it;
        }
        std::string string(const char* key, std::optional<std::string> fallback = std::nullopt) const
        {
            if (!has(key)) {
                if (fallback)
                    return *fallback;
                refuse(std::string(key) + ": missing");
            }
            const json& v = at(key);
            if (!v.is_string())
                refuse(std::string(key) + ": expected a string");
            return v.get<std::string>();
        }
        std::int64_t integer(const char* key, std::int64_t min, std::int64_t max,
            std::optional<std::int64_t> fallback = std::nullopt) const
        {
            if (!has(key)) {
                if (fallback)
                    return *fallback;
                refuse(std::string(key) + ": missing");
            }
            const json& v = at(key);
            std::int64_t n = 0;
            if (v.is_number_unsigned()) {
                const auto u = v.get<std::uint64_t>();
                if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
                    outOfRange(key, v.dump(), min, max);
                n = static_cast<std::int64_t>(u);
            } else if (v.is_number_integer()) {
                n = v.get<std::int64_t>();
            } else {
                refuse(std::string(key) + ": expected a whole number, not " + describe(v));
            }
            if (n < min || n > max)
                outOfRange(key, std::to_string(n), min, max);
            return n;
        }
        template <class T> std::optional<T> optionalInteger(const char* key, std::int64_t min, std::int64_t max) const
        {
            if (!has(key))
                return std::nullopt;
            return static_cast<T>(integer(key, min, max));
        }
        bool boolean(const char* key, bool fallback) const
        {
            if (!has(key))
                return fallback;
            if (!at(key).is_boolean())
                refuse(std::string(key) + ": expected true or false");
            return at(key).get<bool>();
        }
        template <class E>
        E name(const char* key, std::optional<E> (*parse)(std::string_view), std::optional<std::string> fallback) const
        {
            const std::string text = string(key, std::move(fallback));
            if (auto v = parse(text))
                return *v;
            refuse(std::string(key) + ": unknown value '" + text + "'");
        }
        TcpState state(const char* key) const
        {
            const std::string text = string(key);
            if (auto s = stateFromName(text))
                return *s;
            refuse(std::string(key) + ": unknown state '" + text + "'");
        }
        /// "0", a name, or "E<number>" for an errno without a name on the machine that wrote it.
        int errnoValue(const char* key) const
        {
            const std::string name = string(key);
            if (auto e = errnoFromName(name))
                return *e;
            if (name.size() > 1 && name.size() <= 5 && name[0] == 'E'
                && name.find_first_not_of("0123456789", 1) == std::string::npos) {
                const int n = std::stoi(name.substr(1));
                if (n > 0 && n < 4096)
                    return n;
            }
            refuse(std::string(key) + ": unknown errno '" + name + "'");
        }

        static std::string describe(const json& v)
        {
            if (v.is_number_float())
                return "the number " + v.dump();
            return std::string(v.type_name());
        }

    private:
        [[noreturn]] static void outOfRange(const char* key, const std::string& value, std::int64_t min, std::int64_t max)
        {
            refuse(std::string(key) + ": " + value + " is out of range (" + std::to_string(min) + " to "
                + std::to_string(max) + ")");
        }
        const json& m_j;
    };

    constexpr std::int64_t kU32 = std::numeric_limits<std::uint32_t>::max();
    constexpr std::int64_t kI64 = std::numeric_limits<std::int64_t>::max();
    constexpr std::int64_t kInt = std::numeric_limits<int>::max();

    StepEvent readStep(const Fields& f)
    {
        StepEvent e;
        e.line = static_cast<int>(f.integer("line", 0, kInt, 0));
        e.text = f.string("text", "");
        e.endpoint = f.string("endpoint", "");
        e.call = f.string("call");
        e.args = f.string("args", "");
        e.result = f.integer("result", std::numeric_limits<std::int64_t>::min(), kI64);
        e.err = f.errnoValue("errno");
        e.phase = f.name<Phase>("phase", phaseFromName, "done");
        if (f.has("calls")) {
            const json& calls = f.at("calls");
            if (!calls.is_array())
                refuse("calls: expected an array");
            std::size_t i = 0;
            for (const json& c : calls) {
                try {
                    const Fields cf(c);
                    e.calls.push_back({ cf.string("call"), cf.string("args", ""),
                        cf.integer("result", std::numeric_limits<std::int64_t>::min(), kI64), cf.errnoValue("errno"),
                        static_cast<int>(cf.integer("count", 1, kInt, 1)) });
                } catch (const Refused& r) {
                    refuse("calls[" + std::to_string(i) + "]: " + r.what);
                }
                ++i;
            }
        }
        e.local = f.string("local", "");
        e.peer = f.string("peer", "");
        e.creates = f.string("creates", "");
        e.adopts = f.string("adopts", "");
        if (f.has("narration")) {
            const json& n = f.at("narration");
            if (!n.is_object())
                refuse("narration: expected an object of texts by language");
            for (const auto& [lang, text] : n.items()) {
                if (!text.is_string())
                    refuse("narration." + lang + ": expected a string");
                e.narration[lang] = text.get<std::string>();
            }
        }
        return e;
    }

    StateEvent readState(const Fields& f)
    {
        StateEvent e;
        e.endpoint = f.string("endpoint");
        if (!f.string("from").empty())
            e.from = f.state("from");
        e.to = f.state("to");
        e.source = f.name<Source>("source", sourceFromName, "kernel");
        e.role = f.name<Role>("role", roleFromName, "socket");
        e.local = f.string("local", "");
        e.peer = f.string("peer", "");
        e.why = f.string("why", "");
        // Format 1 had no "gone": a kernel CLOSE with a reason meant the socket was gone.
        e.gone = f.has("gone") ? f.boolean("gone", false)
                               : e.source == Source::Kernel && e.to == TcpState::Close && !e.why.empty();
        return e;
    }

    BuffersEvent readBuffers(const Fields& f)
    {
        BuffersEvent e;
        e.endpoint = f.string("endpoint");
        // A field the kernel did not report is left out: -1 in memory, never a number below 0.
        auto known = [&](const char* key) { return f.integer(key, 0, kI64, -1); };
        e.recvq = known("recvq");
        e.sendq = known("sendq");
        e.notsent = known("notsent");
        e.sndbuf = known("sndbuf");
        e.rcvbuf = known("rcvbuf");
        e.sndwnd = known("sndwnd");
        e.rcvwnd = known("rcvwnd");
        e.acceptq = known("acceptq");
        e.backlog = known("backlog");
        e.segsOut = known("segs_out");
        e.segsIn = known("segs_in");
        e.retrans = known("retrans");
        if (f.has("shutdown"))
            e.shutdown = f.name<Shutdown>("shutdown", shutdownFromName, std::nullopt);
        e.source = f.name<Source>("source", sourceFromName, "kernel");
        return e;
    }

    TimerEvent readTimer(const Fields& f)
    {
        TimerEvent e;
        e.endpoint = f.string("endpoint");
        const std::string label = f.string("timer");
        if (label.rfind("unknown(", 0) == 0 && label.size() > 9 && label.size() < 16 && label.back() == ')'
            && label.find_first_not_of("0123456789", 8) == label.size() - 1) {
            e.kind = TimerKind::Unknown;
            e.raw = static_cast<unsigned>(std::stoul(label.substr(8, label.size() - 9)));
        } else if (label.empty()) {
            e.kind = TimerKind::None;
        } else if (auto k = timerKindFromName(label)) {
            e.kind = *k;
        } else {
            refuse("timer: unknown kind '" + label + "'");
        }
        e.remainingMs = f.integer("remaining_ms", 0, kI64);
        e.retrans = f.integer("retrans", 0, kI64, 0);
        e.source = f.name<Source>("source", sourceFromName, "kernel");
        return e;
    }

    TcpOptions readOptions(const json& j)
    {
        TcpOptions o;
        const Fields f(j);
        o.mss = f.optionalInteger<std::uint16_t>("mss", 0, 65535);
        o.wscale = f.optionalInteger<std::uint8_t>("wscale", 0, 255);
        o.sackPermitted = f.boolean("sack_permitted", false);
        o.tsVal = f.optionalInteger<std::uint32_t>("ts_val", 0, kU32);
        o.tsEcr = f.optionalInteger<std::uint32_t>("ts_ecr", 0, kU32);
        if (f.has("sack")) {
            const json& blocks = f.at("sack");
            if (!blocks.is_array())
                refuse("sack: expected an array of [left, right] blocks");
            for (const json& b : blocks) {
                if (!b.is_array() || b.size() != 2 || !b[0].is_number_unsigned() || !b[1].is_number_unsigned()
                    || b[0].get<std::uint64_t>() > kU32 || b[1].get<std::uint64_t>() > kU32)
                    refuse("sack: a block must be [left, right], each 0 to 4294967295");
                o.sack.emplace_back(b[0].get<std::uint32_t>(), b[1].get<std::uint32_t>());
            }
        }
        o.text = f.string("text", "");
        return o;
    }

    SegmentEvent readSegment(const Fields& f)
    {
        SegmentEvent e;
        e.from = f.string("from");
        e.to = f.string("to");
        const std::string flags = f.string("flags");
        if (auto bits = tcpFlagsFromText(flags))
            e.flags = *bits;
        else
            refuse("flags: unknown flag in '" + flags + "'");
        e.seq = f.optionalInteger<std::uint32_t>("seq", 0, kU32);
        e.ack = f.optionalInteger<std::uint32_t>("ack", 0, kU32);
        e.window = f.optionalInteger<std::uint32_t>("window", 0, kU32);
        e.length = f.integer("length", 0, kU32, 0);
        e.source = f.name<Source>("source", sourceFromName, "inferred");
        e.why = f.string("why", "");
        e.relSeq = f.optionalInteger<std::uint32_t>("rel_seq", 0, kU32);
        e.relAck = f.optionalInteger<std::uint32_t>("rel_ack", 0, kU32);
        e.rawWindow = f.optionalInteger<std::uint32_t>("raw_window", 0, 65535);
        e.wscale = static_cast<int>(f.integer("wscale", -1, 14, -1));
        if (f.has("options")) {
            try {
                e.options = readOptions(f.at("options"));
            } catch (const Refused& r) {
                refuse("options: " + r.what);
            }
        }
        e.cause = f.string("cause", "");
        e.wireNs = f.optionalInteger<std::int64_t>("wire_ns", 0, kI64);
        e.frame = f.integer("frame", 0, kI64, 0);
        e.fate = f.string("fate", "");
        static constexpr std::array<std::string_view, 7> kFates = { "", "passed", "held", "cut", "lost", "copy", "delayed" };
        if (std::find(kFates.begin(), kFates.end(), e.fate) == kFates.end())
            refuse("fate: unknown fate '" + e.fate + "'");
        e.copyOf = f.integer("copy_of", 0, kI64, 0);
        return e;
    }

    GateEvent readGate(const Fields& f)
    {
        GateEvent e;
        e.action = f.string("action");
        static constexpr std::array<std::string_view, 10> kActions = { "hold", "pass", "cut", "mend", "lose", "deliver",
            "drop", "duplicate", "wait", "delay" };
        if (std::find(kActions.begin(), kActions.end(), e.action) == kActions.end())
            refuse("action: unknown gate action '" + e.action + "'");
        e.frame = f.integer("frame", 0, kI64, 0);
        e.pattern = f.string("pattern", "");
        e.by = f.string("by", "");
        e.line = static_cast<int>(f.integer("line", 0, kInt, 0));
        return e;
    }

    ExpectEvent readExpect(const Fields& f)
    {
        ExpectEvent e;
        e.line = static_cast<int>(f.integer("line", 0, kInt, 0));
        e.text = f.string("text", "");
        e.endpoint = f.string("endpoint", "");
        e.quantity = f.string("quantity", "");
        e.expected = f.string("expected");
        e.observed = f.string("observed");
        e.ok = f.boolean("ok", false);
        if (!f.has("ok"))
            refuse("ok: missing");
        return e;
    }

    NoteEvent readNote(const Fields& f)
    {
        NoteEvent e;
        e.level = f.name<NoteLevel>("level", noteLevelFromName, "info");
        e.text = f.string("text");
        e.line = static_cast<int>(f.integer("line", 0, kInt, 0));
        return e;
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
            if (auto* s = e.edit<StateEvent>()) {
                if (s->endpoint.find('/') != std::string::npos)
                    s->role = Role::Peer;
                else if (auto it = roles.find(s->endpoint); it != roles.end())
                    s->role = it->second;
            }
    }

    /// Reads the stream: the top level's fields directly, and each event as a small document of
    /// its own, turned into a typed event and dropped before the next one is read.
    class Reader : public nlohmann::json_sax<json> {
    public:
        Reader(Trace& trace, const TraceLoadOptions& options, const std::size_t& position, std::size_t size)
            : m_trace(trace)
            , m_options(options)
            , m_position(position)
            , m_size(size)
        {
        }

        std::optional<std::string> problem; ///< why reading stopped early
        bool sawEvents = false;
        int version = 1;

        bool null() override { return value(json(nullptr)); }
        bool boolean(bool v) override { return value(json(v)); }
        bool number_integer(number_integer_t v) override { return value(json(v)); }
        bool number_unsigned(number_unsigned_t v) override { return value(json(v)); }
        bool number_float(number_float_t v, const string_t&) override
        {
            if (!std::isfinite(v))
                return stop(where() + "a number too large to read");
            return value(json(v));
        }
        bool string(string_t& v) override { return value(json(std::move(v))); }
        bool binary(binary_t&) override { return stop(where() + "binary data"); }

        bool start_object(std::size_t) override { return open(json::object()); }
        bool start_array(std::size_t) override { return open(json::array()); }
        bool end_object() override { return close(); }
        bool end_array() override { return close(); }
        bool key(string_t& k) override
        {
            m_key = std::move(k);
            return true;
        }
        bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) override
        {
            // The parser's own message starts with its exception's name and the place; keep only
            // the explanation.
            std::string what = e.what();
            if (auto bracket = what.find("] "); bracket != std::string::npos)
                what = what.substr(bracket + 2);
            if (auto colon = what.find("error: "); colon != std::string::npos)
                what = what.substr(colon + 7);
            return stop(where() + "not valid JSON at byte " + std::to_string(position) + ": " + what);
        }

    private:
        /// Depth 0: outside; 1: the top-level object; 2: the events array; 3+: inside an event
        /// (or inside another top-level value, kept whole: they are small).
        bool open(json container)
        {
            ++m_depth;
            if (m_depth == 1) {
                if (!container.is_object())
                    return stop("not a SynAck trace: the file is not a JSON object");
                return true;
            }
            if (m_depth == 2) {
                m_topKey = m_key;
                if (m_topKey == "events") {
                    if (!container.is_array())
                        return stop("trace: events: expected an array");
                    sawEvents = true;
                    return true;
                }
            }
            return push(std::move(container));
        }

        bool close()
        {
            const int depth = m_depth--;
            if (depth == 1)
                return true;
            if (depth == 2 && m_topKey == "events")
                return true;
            json done = std::move(m_stack.back());
            m_stack.pop_back();
            const std::string k = std::move(m_keys.back());
            m_keys.pop_back();
            if (!m_stack.empty())
                return attach(std::move(done), k);
            if (depth == 3 && m_topKey == "events")
                return event(done);
            return topLevel(m_topKey, done);
        }

        bool value(json v)
        {
            if (m_depth == 1)
                return topLevel(m_key, v);
            if (m_depth == 2 && m_topKey == "events")
                return stop(where() + "expected an object");
            if (m_stack.empty())
                return stop("not a SynAck trace: the file is not a JSON object");
            return attach(std::move(v), m_key);
        }

        bool push(json container)
        {
            if (m_stack.size() >= 16)
                return stop(where() + "nested too deeply");
            m_keys.push_back(m_key); // what it will be stored under in its parent
            m_stack.push_back(std::move(container));
            return true;
        }

        bool attach(json v, const std::string& k)
        {
            json& parent = m_stack.back();
            if (parent.is_array())
                parent.push_back(std::move(v));
            else
                parent[k] = std::move(v);
            return true;
        }

        bool topLevel(const std::string& k, const json& v)
        {
            try {
                const json holder = json { { k, v } };
                const Fields f(holder);
                if (k == "format") {
                    if (f.string("format") != "synack-trace")
                        refuse("format: not 'synack-trace'");
                } else if (k == "version") {
                    version = static_cast<int>(f.integer("version", 1, kInt));
                    if (version > kTraceFormatVersion)
                        return stop("written by a newer SynAck (format version " + std::to_string(version) + ")");
                } else if (k == "scenario") {
                    m_trace.scenario = f.string("scenario");
                } else if (k == "title") {
                    m_trace.title = f.string("title");
                } else if (k == "file") {
                    m_trace.file = f.string("file");
                } else if (k == "kernel") {
                    m_trace.kernel = f.string("kernel");
                } else if (k == "tier") {
                    m_trace.tier = f.name<Tier>("tier", tierFromName, std::nullopt);
                } else if (k == "started_at") {
                    m_trace.startedAt = f.string("started_at");
                } else if (k == "synack_version") {
                    m_trace.synackVersion = f.string("synack_version");
                } else if (k == "steps") {
                    m_trace.stepCount = static_cast<int>(f.integer("steps", 0, kMaxTraceSteps));
                }
                // Unknown top-level keys are a newer writer's additions: ignored.
                return true;
            } catch (const Refused& r) {
                return stop("trace: " + r.what);
            }
        }

        bool event(const json& j)
        {
            const std::size_t index = m_trace.events.size();
            try {
                const Fields f(j);
                const std::int64_t t = f.integer("t_ns", 0, kI64);
                if (t < m_lastT)
                    refuse("t_ns: " + std::to_string(t) + " goes backwards (the event before is at "
                        + std::to_string(m_lastT) + ")");
                m_lastT = t;
                const int step = static_cast<int>(f.integer("step", -1, kMaxTraceSteps, -1));
                const std::string kind = f.string("kind");
                if (kind == "step")
                    m_trace.events.emplace_back(t, step, readStep(f));
                else if (kind == "state")
                    m_trace.events.emplace_back(t, step, readState(f));
                else if (kind == "buffers")
                    m_trace.events.emplace_back(t, step, readBuffers(f));
                else if (kind == "timer")
                    m_trace.events.emplace_back(t, step, readTimer(f));
                else if (kind == "segment")
                    m_trace.events.emplace_back(t, step, readSegment(f));
                else if (kind == "expect")
                    m_trace.events.emplace_back(t, step, readExpect(f));
                else if (kind == "note")
                    m_trace.events.emplace_back(t, step, readNote(f));
                else if (kind == "gate")
                    m_trace.events.emplace_back(t, step, readGate(f));
                else
                    refuse("kind: unknown kind '" + kind + "'");
            } catch (const Refused& r) {
                return stop("event " + std::to_string(index) + ": " + r.what);
            }
            if (m_options.progress && index % 4096 == 0 && m_size > 0
                && !m_options.progress(static_cast<double>(m_position) / static_cast<double>(m_size)))
                return stop("loading was cancelled");
            return true;
        }

        std::string where() const
        {
            if (m_topKey == "events" && m_depth >= 2)
                return "event " + std::to_string(m_trace.events.size()) + ": ";
            return "trace: ";
        }

        bool stop(std::string why)
        {
            if (!problem)
                problem = std::move(why);
            return false;
        }

        Trace& m_trace;
        const TraceLoadOptions& m_options;
        const std::size_t& m_position;
        std::size_t m_size;
        int m_depth = 0;
        std::string m_key;
        std::string m_topKey;
        std::vector<json> m_stack;
        std::vector<std::string> m_keys;
        std::int64_t m_lastT = 0;
    };

    /// The text as a stream of bytes that counts how far the parser has read (for progress).
    struct CountingIterator {
        using iterator_category = std::input_iterator_tag;
        using value_type = char;
        using difference_type = std::ptrdiff_t;
        using pointer = const char*;
        using reference = const char&;
        const char* p = nullptr;
        std::size_t* read = nullptr;
        reference operator*() const { return *p; }
        CountingIterator& operator++()
        {
            ++p;
            ++*read;
            return *this;
        }
        CountingIterator operator++(int)
        {
            CountingIterator old = *this;
            ++*this;
            return old;
        }
        bool operator==(const CountingIterator& o) const { return p == o.p; }
        bool operator!=(const CountingIterator& o) const { return p != o.p; }
    };

} // namespace

Result<Trace> traceFromJson(std::string_view text, const TraceLoadOptions& options)
{
    try {
        Trace t;
        std::size_t position = 0;
        Reader reader(t, options, position, text.size());
        CountingIterator begin { text.data(), &position }, end { text.data() + text.size(), &position };
        const bool ok = json::sax_parse(begin, end, &reader, nlohmann::detail::input_format_t::json, true);
        if (!ok || reader.problem)
            return Error { "trace", 0, reader.problem.value_or("not valid JSON") };
        if (!reader.sawEvents)
            return Error { "trace", 0, "not a SynAck trace: no \"events\" array" };
        if (reader.version < 2)
            inferRoles(t);
        return t;
    } catch (const std::bad_alloc&) {
        return Error { "trace", ENOMEM, "not enough memory to load it" };
    } catch (const std::exception& e) {
        return Error { "trace", 0, std::string("cannot be read: ") + e.what() };
    } catch (...) {
        return Error { "trace", 0, "cannot be read" };
    }
}

Result<std::string> readTraceFile(const std::string& path)
{
    return readRegularFile(path, kMaxTraceFileBytes, "trace");
}

Result<Trace> loadTraceFile(const std::string& path, const TraceLoadOptions& options)
{
    auto text = readTraceFile(path);
    if (!text)
        return text.error();
    auto trace = traceFromJson(*text, options);
    if (!trace)
        return Error { path, trace.error().err, trace.error().detail };
    return trace;
}

} // namespace synack
