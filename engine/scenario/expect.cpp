// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenario/expect.h"

#include <algorithm>
#include <array>
#include <string>
#include <utility>
#include <vector>

#include "scenario/gatewords.h"
#include "scenario/literals.h"
#include "scenario/text.h"

namespace synack {

namespace {

/// How a quantity's value is written.
enum class ValueKind {
    State, ///< a TCP state
    Errno, ///< an errno name, or 0 / none
    SignedSize, ///< a size that may be negative (a call's return value)
    Size, ///< bytes, with k/M suffixes
    Count, ///< a plain whole number
    Milliseconds, ///< a duration; a bare number means milliseconds
    Timer, ///< a TimerKind name
    ShutdownMask, ///< none, rd, wr, rdwr
    YesNo,
    Flags, ///< a segment's flags as a gate pattern writes them (SYN, FIN+ACK, data), or none
};

struct QuantitySpec {
    Quantity quantity;
    ValueKind value;
    bool equalityOnly; ///< names, not amounts: only == and != compare them
};

// Indexed by Quantity, so its order must follow the enum's (checked below).
constexpr std::array<QuantitySpec, 19> kQuantities = { {
    { Quantity::State, ValueKind::State, true },
    { Quantity::Errno, ValueKind::Errno, true },
    { Quantity::Result, ValueKind::SignedSize, false },
    { Quantity::RecvQ, ValueKind::Size, false },
    { Quantity::SendQ, ValueKind::Size, false },
    { Quantity::NotSent, ValueKind::Size, false },
    { Quantity::AcceptQ, ValueKind::Count, false },
    { Quantity::SndBuf, ValueKind::Size, false },
    { Quantity::RcvBuf, ValueKind::Size, false },
    { Quantity::Timer, ValueKind::Timer, true },
    { Quantity::TimerMs, ValueKind::Milliseconds, false },
    { Quantity::SegsOut, ValueKind::Count, false },
    { Quantity::SegsIn, ValueKind::Count, false },
    { Quantity::Retrans, ValueKind::Count, false },
    { Quantity::Shutdown, ValueKind::ShutdownMask, true },
    { Quantity::Blocked, ValueKind::YesNo, true },
    { Quantity::PeerState, ValueKind::State, true },
    { Quantity::GateHeld, ValueKind::Count, false },
    { Quantity::GateNext, ValueKind::Flags, true },
} };

static_assert(
    [] {
        for (std::size_t i = 0; i < kQuantities.size(); ++i) {
            if (kQuantities[i].quantity != static_cast<Quantity>(i))
                return false;
        }
        return kQuantities.back().quantity == Quantity::GateNext;
    }(),
    "kQuantities must list every Quantity in the enum's order");

const QuantitySpec& spec(Quantity q)
{
    return kQuantities[static_cast<std::size_t>(q)];
}

constexpr std::array<std::pair<std::string_view, CompareOp>, 7> kOps = { {
    { "==", CompareOp::Eq },
    { "=", CompareOp::Eq },
    { "!=", CompareOp::Ne },
    { "<", CompareOp::Lt },
    { "<=", CompareOp::Le },
    { ">", CompareOp::Gt },
    { ">=", CompareOp::Ge },
} };

// Offered as spelling suggestions; any name glibc knows is accepted.
constexpr std::array<std::string_view, 12> kCommonErrnos = { "ECONNREFUSED", "ECONNRESET", "ECONNABORTED", "EPIPE",
    "ETIMEDOUT", "EAGAIN", "EWOULDBLOCK", "EINPROGRESS", "EALREADY", "EISCONN", "ENOTCONN", "EADDRINUSE" };

std::vector<std::string> quantityNames()
{
    std::vector<std::string> out;
    for (const QuantitySpec& q : kQuantities)
        out.emplace_back(quantityName(q.quantity));
    return out;
}

std::vector<std::string> stateNames()
{
    std::vector<std::string> out;
    for (const TcpState state : kRfcStates)
        out.emplace_back(stateName(state));
    return out;
}

std::optional<CompareOp> compareOpFromText(std::string_view text)
{
    for (const auto& [written, op] : kOps) {
        if (text == written)
            return op;
    }
    return std::nullopt;
}

bool isOpToken(const Token& t)
{
    return t.text.find_first_of("=!<>") == 0;
}

/// The words with comparison operators split from what they touch: "recvq>=4k" reads as "recvq >= 4k".
std::vector<Token> splitComparisons(std::span<const Token> words)
{
    auto isOp = [](char c) { return c == '=' || c == '!' || c == '<' || c == '>'; };
    std::vector<Token> pieces;
    for (const Token& word : words) {
        const std::string& text = word.text;
        std::size_t start = 0;
        while (start < text.size()) {
            std::size_t end = start;
            const bool op = isOp(text[start]);
            while (end < text.size() && isOp(text[end]) == op)
                ++end;
            pieces.push_back(Token {
                text.substr(start, end - start), word.col + codePoints(std::string_view(text).substr(0, start)) });
            start = end;
        }
    }
    return pieces;
}

/// The quantity the first piece names, or State for the shorthands `expect c ESTABLISHED` and
/// `expect c != LISTEN`; `next` is left at the piece after it.
std::optional<Quantity> readQuantity(const std::vector<Token>& pieces, std::size_t& next, Diagnostics& diagnostics)
{
    const Token& first = pieces[0];
    const std::string firstWord = lower(first.text);
    if (isOpToken(first))
        return Quantity::State;
    if (const auto q = quantityFromName(firstWord)) {
        next = 1;
        return q;
    }
    if (stateFromName(first.text))
        return Quantity::State;
    const std::vector<std::string> names = stateNames();
    std::string hint = suggestion(upper(first.text), names);
    if (hint.empty())
        hint = suggestion(firstWord, quantityNames());
    diagnostics.error(first,
        "unknown quantity or state '" + first.text + "'" + hint + "; expected a state (" + joinList(names)
            + ") or one of: " + joinList(quantityNames()));
    return std::nullopt;
}

/// The value of an expectation, as the quantity's ValueKind reads it, into step.state or step.number.
bool readValue(Step& step, const Token& value, Diagnostics& diagnostics)
{
    const std::string word = lower(value.text);
    auto numeric = [&](const Number& n) {
        if (!n.ok()) {
            diagnostics.error(value, n.error);
            return false;
        }
        step.number = n.value;
        return true;
    };
    switch (spec(step.quantity).value) {
    case ValueKind::State: {
        const auto state = readState(value, diagnostics);
        if (!state)
            return false;
        step.state = *state;
        return true;
    }
    case ValueKind::Errno: {
        if (word == "0" || word == "none") {
            step.number = 0;
            return true;
        }
        const auto err = errnoFromName(upper(value.text));
        if (!err) {
            const bool isNumber = std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
            diagnostics.error(value,
                "unknown errno '" + value.text + "'" + (isNumber ? "" : suggestion(upper(value.text), kCommonErrnos))
                    + "; write its name, e.g. ECONNRESET, ECONNREFUSED, EPIPE, or 0 (or none) for success");
            return false;
        }
        step.number = *err;
        return true;
    }
    case ValueKind::SignedSize:
        return numeric(parseSignedSize(value.text));
    case ValueKind::Size:
        return numeric(parseSize(value.text));
    case ValueKind::Count:
        return numeric(parseCount(value.text));
    case ValueKind::Milliseconds:
        return numeric(parseMilliseconds(value.text));
    case ValueKind::Timer: {
        const std::optional<TimerKind> timer = timerKindFromName(word);
        if (!timer) {
            diagnostics.error(value,
                "unknown timer '" + value.text
                    + "'; expected one of: none, retransmit, keepalive, time-wait, probe, fin-wait2");
            return false;
        }
        step.number = static_cast<std::int64_t>(*timer);
        return true;
    }
    case ValueKind::ShutdownMask: {
        // The index is the mask: 1 rd, 2 wr.
        static constexpr std::array<std::string_view, 4> kMasks = { "none", "rd", "wr", "rdwr" };
        const auto* it = std::find(kMasks.begin(), kMasks.end(), word);
        if (it == kMasks.end()) {
            diagnostics.error(
                value, "unknown shutdown value '" + value.text + "'; expected one of: none, rd, wr, rdwr");
            return false;
        }
        step.number = it - kMasks.begin();
        return true;
    }
    case ValueKind::Flags:
        step.pattern = {};
        step.number = word == "none" ? 0 : 1; // 0: nothing is held
        if (word == "none")
            return true;
        if (word.find('>') != std::string::npos) {
            diagnostics.error(value, "expect gate next checks the flags only, e.g. expect gate next FIN+ACK");
            return false;
        }
        if (!readPatternWord(value, step.pattern, diagnostics))
            return false;
        step.pattern.text = value.text;
        return true;
    case ValueKind::YesNo:
        if (word != "yes" && word != "no") {
            diagnostics.error(value, "blocked is yes or no, not '" + value.text + "'");
            return false;
        }
        step.number = word == "yes" ? 1 : 0;
        return true;
    }
    return false;
}

} // namespace

std::optional<TcpState> readState(const Token& word, Diagnostics& diagnostics)
{
    const auto state = stateFromName(word.text);
    if (!state) {
        const std::vector<std::string> names = stateNames();
        diagnostics.error(word,
            "unknown state '" + word.text + "'" + suggestion(upper(word.text), names)
                + "; expected one of: " + joinList(names));
    }
    return state;
}

bool readExpectation(
    Step& step, const Token& name, std::span<const Token> words, std::string_view usage, Diagnostics& diagnostics)
{
    const std::vector<Token> pieces = splitComparisons(words);
    if (pieces.empty()) {
        diagnostics.error(step.pos.column,
            "expect needs something to check, e.g. expect " + name.text + " ESTABLISHED or expect " + name.text
                + " recvq 100; usage: " + std::string(usage));
        return false;
    }

    std::size_t next = 0;
    const auto quantity = readQuantity(pieces, next, diagnostics);
    if (!quantity)
        return false;
    step.quantity = *quantity;
    const bool gate = lower(name.text) == "gate";
    const bool gateQuantity = step.quantity == Quantity::GateHeld || step.quantity == Quantity::GateNext;
    if (gate && !gateQuantity) {
        diagnostics.error(pieces[0],
            "the gate has two things to check: expect gate held N (segments waiting) and expect gate next FLAGS "
            "(the oldest waiting one, or none)");
        return false;
    }
    if (!gate && gateQuantity) {
        diagnostics.error(pieces[0],
            "'" + pieces[0].text + "' is the gate's, not an endpoint's: expect gate " + pieces[0].text + " ...");
        return false;
    }

    const std::string unknownOp = "'; expected one of: ==, !=, <, <=, >, >=";
    if (next < pieces.size() && isOpToken(pieces[next])) {
        const Token& opToken = pieces[next];
        const auto op = compareOpFromText(opToken.text);
        if (!op) {
            diagnostics.error(opToken, "unknown comparison '" + opToken.text + unknownOp);
            return false;
        }
        step.op = *op;
        if (spec(step.quantity).equalityOnly && *op != CompareOp::Eq && *op != CompareOp::Ne) {
            diagnostics.error(opToken,
                "'" + opToken.text + "' cannot compare " + std::string(quantityName(step.quantity)) + "; use == or !=");
            return false;
        }
        ++next;
    } else if (next == 1 && pieces.size() == 3) {
        // `expect c recvq ~ 5`: the middle word can only have been meant as a comparison.
        diagnostics.error(pieces[1], "unknown comparison '" + pieces[1].text + unknownOp);
        return false;
    }
    if (next >= pieces.size()) {
        diagnostics.error(pieces.back(),
            "expect " + std::string(quantityName(step.quantity)) + " needs a value; usage: " + std::string(usage));
        return false;
    }
    const Token& value = pieces[next];
    if (next + 1 < pieces.size()) {
        diagnostics.error(pieces[next + 1], "unexpected '" + pieces[next + 1].text + "'; usage: " + std::string(usage));
        return false;
    }
    if (!readValue(step, value, diagnostics))
        return false;
    step.valueText = step.op == CompareOp::Eq ? value.text : std::string(compareOpText(step.op)) + " " + value.text;
    return true;
}

} // namespace synack
