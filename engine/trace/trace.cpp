// SPDX-License-Identifier: GPL-3.0-or-later
#include "trace/trace.h"

#include <array>
#include <unordered_map>

namespace synack {

namespace {
    /// A name table indexed by an enum's values (so its order follows the declaration).
    template <class E, std::size_t N> struct Names {
        std::array<std::string_view, N> names;
        std::string_view name(E e) const
        {
            const auto i = static_cast<std::size_t>(e);
            return i < N ? names[i] : std::string_view {};
        }
        std::optional<E> parse(std::string_view text) const
        {
            for (std::size_t i = 0; i < N; ++i)
                if (names[i] == text)
                    return static_cast<E>(i);
            return std::nullopt;
        }
    };

    constexpr Names<Source, 3> kSources { { "kernel", "inferred", "capture" } };
    constexpr Names<Tier, 4> kTiers { { "host-loopback", "lab", "gated-lab", "auto" } };
    constexpr Names<Role, 6> kRoles { { "socket", "bound", "listener", "client", "accepted", "peer" } };
    constexpr Names<Phase, 3> kPhases { { "done", "blocked", "completed" } };
    constexpr Names<Shutdown, 4> kShutdowns { { "none", "rd", "wr", "rdwr" } };
    constexpr Names<NoteLevel, 3> kLevels { { "info", "warning", "error" } };
    constexpr Names<EventKind, 8> kKinds { { "step", "state", "buffers", "timer", "segment", "expect", "note", "gate" } };
}

std::string_view sourceName(Source s) { return kSources.name(s); }
std::optional<Source> sourceFromName(std::string_view name) { return kSources.parse(name); }
std::string_view tierName(Tier t) { return kTiers.name(t); }
std::optional<Tier> tierFromName(std::string_view name) { return kTiers.parse(name); }
std::string_view roleName(Role r) { return kRoles.name(r); }
std::optional<Role> roleFromName(std::string_view name) { return kRoles.parse(name); }
std::string_view phaseName(Phase p) { return kPhases.name(p); }
std::optional<Phase> phaseFromName(std::string_view name) { return kPhases.parse(name); }
std::string_view shutdownName(Shutdown s) { return kShutdowns.name(s); }
std::optional<Shutdown> shutdownFromName(std::string_view name) { return kShutdowns.parse(name); }
std::string_view noteLevelName(NoteLevel l) { return kLevels.name(l); }
std::optional<NoteLevel> noteLevelFromName(std::string_view name) { return kLevels.parse(name); }
std::string_view eventKindName(EventKind k) { return kKinds.name(k); }

std::string TimerEvent::label() const
{
    if (kind == TimerKind::None)
        return {};
    if (kind == TimerKind::Unknown)
        return "unknown(" + std::to_string(raw) + ")";
    return std::string(timerKindName(kind));
}

void appendCall(std::vector<CallRecord>& calls, CallRecord call)
{
    if (!calls.empty()) {
        CallRecord& last = calls.back();
        if (last.call == call.call && last.args == call.args && last.result == call.result && last.err == call.err) {
            last.count += call.count;
            return;
        }
    }
    calls.push_back(std::move(call));
}

namespace {
    /// What a role says about the side: decided (client or server), only "bound", or nothing.
    enum class Lean { None, Bound, Client, Server };
    Lean leanOf(Role role)
    {
        switch (role) {
        case Role::Client:
            return Lean::Client;
        case Role::Listener:
        case Role::Accepted:
        case Role::Peer:
            return Lean::Server;
        case Role::Bound:
            return Lean::Bound;
        case Role::Socket:
            break;
        }
        return Lean::None;
    }
    Side sideFrom(Lean lean, const std::string& endpoint)
    {
        if (lean == Lean::Client)
            return Side::Client;
        if (lean == Lean::Server || lean == Lean::Bound)
            return Side::Server;
        // A name the trace only mentions in a segment: "<client>/peer" is a server half by its name.
        return endpoint.ends_with("/peer") ? Side::Server : Side::Client;
    }
}

Side sideOf(const Trace& trace, const std::string& endpoint)
{
    // The first role that says which side: a socket that bound a port and then connected is a
    // client; one that only bound is a server's.
    Lean lean = Lean::None;
    for (const Event& e : trace.events) {
        const auto* s = e.as<StateEvent>();
        if (!s || s->endpoint != endpoint)
            continue;
        const Lean l = leanOf(s->role);
        if (l == Lean::Client || l == Lean::Server)
            return sideFrom(l, endpoint);
        if (l == Lean::Bound)
            lean = l;
    }
    return sideFrom(lean, endpoint);
}

std::unordered_map<std::string, Side> sidesOf(const Trace& trace, const std::vector<std::string>& endpoints)
{
    std::unordered_map<std::string, Lean> leans;
    leans.reserve(endpoints.size());
    for (const std::string& name : endpoints)
        leans.emplace(name, Lean::None);
    for (const Event& e : trace.events) {
        const auto* s = e.as<StateEvent>();
        if (!s)
            continue;
        const auto it = leans.find(s->endpoint);
        if (it == leans.end() || it->second == Lean::Client || it->second == Lean::Server)
            continue; // not asked for, or decided already
        if (const Lean l = leanOf(s->role); l != Lean::None)
            it->second = l;
    }
    std::unordered_map<std::string, Side> sides;
    sides.reserve(leans.size());
    for (const auto& [name, lean] : leans)
        sides.emplace(name, sideFrom(lean, name));
    return sides;
}

} // namespace synack
