// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenario/library.h"

#include <algorithm>

namespace synack {

namespace {
    // The order a course takes them in: open, talk, close (four ways), then the failures and
    // limits; then the same again on the wire, where segments can be held and lost.
    constexpr std::string_view kTeachingOrder[] = {
        "handshake",
        "data-transfer",
        "active-close",
        "passive-close",
        "simultaneous-close",
        "half-close",
        "close-unread-rst",
        "linger-abort",
        "write-after-close",
        "refused",
        "backlog-full",
        "buffer-fill",
        "timewait-reuseaddr",
        "keepalive",
        "slow-handshake",
        "lost-syn",
        "stale-syn",
        "lost-fin",
        "lost-last-ack",
        "dead-peer-keepalive",
        "dead-peer-write",
        "peer-restarted",
        "duplicate-and-reorder",
    };
}

std::vector<std::string> Library::names()
{
    std::vector<std::string> out;
    for (std::string_view n : kTeachingOrder)
        if (text(n))
            out.emplace_back(n);
    for (const auto& b : detail::builtinTexts())
        if (std::find(out.begin(), out.end(), b.name) == out.end())
            out.emplace_back(b.name);
    return out;
}

std::optional<std::string_view> Library::text(std::string_view name)
{
    for (const auto& b : detail::builtinTexts())
        if (name == b.name)
            return std::string_view(b.text);
    return std::nullopt;
}

ParseOutcome Library::load(std::string_view name)
{
    auto t = text(name);
    if (!t) {
        ParseOutcome out;
        out.errors.push_back(Diagnostic { std::string(name), {}, "no built-in scenario named '" + std::string(name) + "'" });
        return out;
    }
    return parseScenario(*t, std::string(name), "<builtin>/" + std::string(name) + ".synack");
}

ParseOutcome Library::resolve(const std::string& nameOrPath)
{
    const bool looksLikePath = nameOrPath.find('/') != std::string::npos
        || (nameOrPath.size() > 7 && nameOrPath.ends_with(".synack"));
    if (!looksLikePath && text(nameOrPath))
        return load(nameOrPath);
    if (!looksLikePath) {
        ParseOutcome out;
        out.errors.push_back(Diagnostic { nameOrPath, {},
            "no built-in scenario named '" + nameOrPath + "' (see `synack list`), and not a .synack file path" });
        return out;
    }
    return loadScenarioFile(nameOrPath);
}

} // namespace synack
