// SPDX-License-Identifier: GPL-3.0-or-later
// The parser's table of endpoints: which names exist and what the scenario made them do so far,
// so that a step on a name that cannot take it is reported at the line that says it.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "scenario/diagnostics.h"
#include "scenario/lexer.h"

namespace synack {

// The runner has an Endpoint of its own (run/endpoint.h). In a program with both, one name for two
// types breaks the one-definition rule: the linker keeps one of the two implicit constructors, and a
// debug build (where they are not inlined) then builds the runner's Endpoint in the parser's smaller
// node, writing past it. The inline namespace keeps the short name here and the symbols apart.
inline namespace parsing {

/// What the lines read so far did with one endpoint name. Lines are 0 where it never happened.
struct Endpoint {
    int createdLine = 0;
    bool uncertain = false; ///< named by a line we could not read: it may have bound or listened, so do not
                            ///< report that it did not (what valid lines did, e.g. close, still counts)
    int boundLine = 0; ///< bind or listen
    int listenLine = 0;
    int connectLine = 0; ///< connect, or the accept that made it
    bool accepted = false;
    int closedLine = 0;
    int family = 0; ///< what the scenario said so far: 0 (nothing), AF_INET or AF_INET6
    int familyLine = 0;
};

} // namespace parsing

/// How a step uses the endpoint it names.
enum class Access {
    Create, ///< creates it on first use (set, bind, listen, connect): the socket is made implicitly
    Act, ///< calls on it: it must exist and not be closed
    Observe, ///< only looks at it (expect, wait NAME STATE): a closed endpoint can still be watched
};

/// "IPv4" or "IPv6", for messages.
std::string familyName(int family);

/// Whether `s` is spelled as an endpoint name: a-z first, then a-z, 0-9, _ or -, at most 32 characters.
bool isValidName(std::string_view s);
/// Whether `s` is a word of the language (a keyword, a header key, or a fixed word such as `all`) and
/// so cannot name an endpoint: an endpoint called `all` would make `recv all all` unreadable.
bool isReservedWord(std::string_view s);

/// The endpoints of one scenario as its lines are read. Problems go to `diagnostics`, at the current line.
class Symbols {
public:
    explicit Symbols(Diagnostics& diagnostics);

    /// The endpoint called `name`, or nullptr.
    Endpoint* find(std::string_view name);

    /// Reports a name that is misspelt or reserved.
    bool checkName(const Token& name);
    /// A new endpoint called `name` (the caller knows there is none), counted against the limit.
    Endpoint* create(const Token& name);
    /// The endpoint a step names, created if `access` allows; nullptr (reported) when it cannot be used.
    Endpoint* use(const Token& name, Access access);
    /// The endpoint an expect or wait observes: NAME, or NAME/peer, the kernel's socket at the
    /// other end of NAME's connection (NAME must have connected).
    bool observe(const Token& name);
    /// An endpoint whose address another step uses (connect TARGET, port=@NAME): it must have bound or
    /// listened. `purpose` ends the message: "... bind or listen it before connecting to it".
    Endpoint* referToBound(const Token& name, const std::string& purpose);
    /// Records that `ep` is of `family` from this line on, or reports that it already is of the other
    /// one; `what` names what asked for `family` ("the IPv6 address ::1").
    void noteFamily(Endpoint* ep, const std::string& name, int family, const Token& where, const std::string& what);
    /// Remembers the endpoint a line that could not be read was about (its second word), so that its
    /// later uses do not pile on errors.
    void rememberUnread(const Token& name);

private:
    void notYet(const Token& name);

    Diagnostics& m_diagnostics;
    std::map<std::string, Endpoint, std::less<>> m_endpoints;
    int m_created = 0;
    bool m_reportedTooMany = false;
};

} // namespace synack
