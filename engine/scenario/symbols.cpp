// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenario/symbols.h"

#include <algorithm>
#include <array>
#include <vector>

#include <sys/socket.h>

#include "scenario/text.h"

namespace synack {

namespace {

// Words with a fixed meaning where a name could also stand, besides the step keywords.
constexpr std::array<std::string_view, 14> kReservedWords = { "title", "about", "topic", "en", "zh", "within", "fill",
    "all", "available", "ipv4", "ipv6", "port", "addr", "backlog" };

} // namespace

std::string familyName(int family)
{
    return family == AF_INET6 ? "IPv6" : "IPv4";
}

bool isValidName(std::string_view s)
{
    if (s.empty() || s.size() > 32 || s[0] < 'a' || s[0] > 'z')
        return false;
    return std::all_of(s.begin(), s.end(),
        [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'; });
}

bool isReservedWord(std::string_view s)
{
    return isOneOf(s, kStepKeywords) || isOneOf(s, kReservedWords);
}

Symbols::Symbols(Diagnostics& diagnostics)
    : m_diagnostics(diagnostics)
{
}

Endpoint* Symbols::find(std::string_view name)
{
    auto it = m_endpoints.find(name);
    return it == m_endpoints.end() ? nullptr : &it->second;
}

bool Symbols::checkName(const Token& name)
{
    if (isValidName(name.text) && !isReservedWord(name.text))
        return true;
    if (isReservedWord(name.text))
        m_diagnostics.error(name,
            "'" + name.text + "' is a word of the language and cannot name an endpoint; try e.g. 'srv' or 'client'");
    else if (name.text.empty())
        m_diagnostics.error(name, "an endpoint name is missing here");
    else
        m_diagnostics.error(name,
            "bad endpoint name '" + name.text
                + "': names start with a lowercase letter and continue with a-z, 0-9, _ or - (at most 32 "
                  "characters)");
    return false;
}

void Symbols::notYet(const Token& name)
{
    std::vector<std::string> known;
    for (const auto& [n, ep] : m_endpoints)
        known.push_back(n);
    std::string hint = suggestion(name.text, known);
    if (!hint.empty()) // " (did you mean 'srv'?)" reads badly after the parenthesis
        hint = "; " + hint.substr(2, hint.size() - 3);
    m_diagnostics.error(
        name, "'" + name.text + "' is not an endpoint yet (create it with listen, connect, socket or accept)" + hint);
}

Endpoint* Symbols::create(const Token& name)
{
    ++m_created;
    if (m_created > ScenarioLimits::kMaxEndpoints && !m_reportedTooMany) {
        m_reportedTooMany = true;
        m_diagnostics.error(
            name, "too many endpoints: a scenario may have at most " + std::to_string(ScenarioLimits::kMaxEndpoints));
    }
    Endpoint& ep = m_endpoints[name.text];
    ep = Endpoint {};
    ep.createdLine = m_diagnostics.line();
    return &ep;
}

Endpoint* Symbols::use(const Token& name, Access access)
{
    Endpoint* ep = find(name.text);
    if (ep == nullptr) {
        if (access == Access::Create)
            return create(name);
        notYet(name);
        return nullptr;
    }
    if (ep->closedLine != 0 && access != Access::Observe) {
        m_diagnostics.error(name,
            "'" + name.text + "' was closed at line " + std::to_string(ep->closedLine)
                + "; after close only expect and wait may name it");
        return nullptr;
    }
    return ep;
}

bool Symbols::observe(const Token& name)
{
    constexpr std::string_view kPeer = "/peer";
    if (!name.text.ends_with(kPeer) || name.text.size() == kPeer.size()) {
        if (!checkName(name))
            return false;
        return use(name, Access::Observe) != nullptr;
    }
    const Token base { name.text.substr(0, name.text.size() - kPeer.size()), name.col };
    if (!checkName(base))
        return false;
    const Endpoint* ep = use(base, Access::Observe);
    if (ep == nullptr)
        return false;
    if (ep->connectLine == 0 || ep->accepted) {
        m_diagnostics.error(name,
            "'" + name.text + "' is the server half of " + base.text + "'s connection, but " + base.text
                + (ep->accepted ? " was accepted, not connected: name the client instead"
                                : " has not connected yet (connect it first)"));
        return false;
    }
    return true;
}

Endpoint* Symbols::referToBound(const Token& name, const std::string& purpose)
{
    Endpoint* ep = find(name.text);
    if (ep == nullptr) {
        notYet(name);
        return nullptr;
    }
    if (ep->boundLine == 0 && !ep->uncertain) {
        m_diagnostics.error(name, "'" + name.text + "' has no address yet; bind or listen it before " + purpose);
        return nullptr;
    }
    return ep;
}

void Symbols::noteFamily(Endpoint* ep, const std::string& name, int family, const Token& where, const std::string& what)
{
    if (ep == nullptr || ep->uncertain || family == 0)
        return;
    if (ep->family == 0) {
        ep->family = family;
        ep->familyLine = m_diagnostics.line();
    } else if (ep->family != family) {
        m_diagnostics.error(where,
            "'" + name + "' is " + familyName(ep->family) + " (since line " + std::to_string(ep->familyLine)
                + ") and cannot use " + what);
    }
}

void Symbols::rememberUnread(const Token& name)
{
    if (!isValidName(name.text) || isReservedWord(name.text) || m_endpoints.contains(name.text))
        return;
    Endpoint ep;
    ep.createdLine = m_diagnostics.line();
    ep.uncertain = true;
    m_endpoints.emplace(name.text, ep);
}

} // namespace synack
