// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenario/sockoption.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "scenario/literals.h"
#include "scenario/text.h"

namespace synack {

namespace {

/// How set reads each option's value.
enum class OptionValue {
    Switch, ///< on or off; left out means on
    Linger, ///< off, or seconds
    Seconds,
    Milliseconds, ///< a duration (3s, 500ms); a bare number is milliseconds, as the kernel takes it
    Count,
    Bytes,
};

struct OptionSpec {
    SockOption option;
    OptionValue value;
    std::int64_t low = 0;
    std::int64_t high = 0;
};

// Indexed by SockOption, so its order must follow the enum's (checked below).
constexpr std::array<OptionSpec, 13> kOptionSpecs = { {
    { SockOption::ReuseAddr, OptionValue::Switch },
    { SockOption::Linger, OptionValue::Linger, 0, ScenarioLimits::kMaxSeconds },
    { SockOption::KeepAlive, OptionValue::Switch },
    { SockOption::KeepIdle, OptionValue::Seconds, 1, ScenarioLimits::kMaxSeconds },
    { SockOption::KeepIntvl, OptionValue::Seconds, 1, ScenarioLimits::kMaxSeconds },
    { SockOption::KeepCnt, OptionValue::Count, 1, ScenarioLimits::kMaxKeepCnt },
    { SockOption::SndBuf, OptionValue::Bytes, 0, ScenarioLimits::kMaxBuf },
    { SockOption::RcvBuf, OptionValue::Bytes, 0, ScenarioLimits::kMaxBuf },
    { SockOption::DeferAccept, OptionValue::Seconds, 0, ScenarioLimits::kMaxSeconds },
    { SockOption::NoDelay, OptionValue::Switch },
    { SockOption::NonBlock, OptionValue::Switch },
    // The kernel takes any non-negative int; an hour bounds it like the other times, since a run
    // lasts minutes at most.
    { SockOption::UserTimeout, OptionValue::Milliseconds, 0, ScenarioLimits::kMaxSeconds * 1000 },
    { SockOption::SynCnt, OptionValue::Count, 1, ScenarioLimits::kMaxSynCnt },
} };
static_assert(
    [] {
        for (std::size_t i = 0; i < kOptionSpecs.size(); ++i) {
            if (kOptionSpecs[i].option != static_cast<SockOption>(i))
                return false;
        }
        return kOptionSpecs.back().option == SockOption::SynCnt;
    }(),
    "kOptionSpecs must list every SockOption in the enum's order");

/// The upper end of an option's range as messages say it.
std::string highText(const OptionSpec& o)
{
    switch (o.value) {
    case OptionValue::Count:
        return std::to_string(o.high) + " (the kernel's limit)";
    case OptionValue::Bytes:
        return sizeText(o.high) + " (" + std::to_string(o.high) + " bytes)";
    case OptionValue::Milliseconds:
        return durationText(o.high) + " (" + std::to_string(o.high) + " ms)";
    default:
        return std::to_string(o.high) + " seconds";
    }
}

/// The hint for `set NAME OPTION` without its value.
std::string valueHint(const OptionSpec& o, const std::string& name, const std::string& what)
{
    switch (o.value) {
    case OptionValue::Linger:
        return "off or a number of seconds, e.g. set " + name + " linger 0";
    case OptionValue::Seconds:
        return "a number of seconds, e.g. " + what + " 30";
    case OptionValue::Milliseconds:
        return "a duration (a bare number is milliseconds; 0 = off), e.g. " + what + " 3s";
    case OptionValue::Bytes:
        return "a number of bytes, e.g. " + what + " 4k";
    default:
        return "a count, e.g. " + what + " 3";
    }
}

} // namespace

std::vector<std::string> sockOptionNames()
{
    // The names as the user may write them, from the one table in scenario.cpp.
    std::vector<std::string> out;
    for (const OptionSpec& o : kOptionSpecs)
        out.emplace_back(optionName(o.option));
    return out;
}

bool readSockOption(
    Step& step, const Token& optionToken, const std::optional<Token>& valueToken, Diagnostics& diagnostics)
{
    const std::string optionWord = lower(optionToken.text);
    const auto option = optionFromName(optionWord);
    if (!option) {
        diagnostics.error(optionToken,
            "unknown option '" + optionToken.text + "'" + suggestion(optionWord, sockOptionNames())
                + "; expected one of: " + joinList(sockOptionNames()));
        return false;
    }
    step.option = *option;
    const OptionSpec& spec = kOptionSpecs[static_cast<std::size_t>(*option)];
    const std::string what = "set " + step.endpoint + " " + optionWord;

    if (spec.value == OptionValue::Switch) {
        if (!valueToken) {
            step.value = 1; // `set c nodelay` says what it means
            return true;
        }
        const std::string v = lower(valueToken->text);
        if (v != "on" && v != "off") {
            diagnostics.error(*valueToken, what + " takes on or off, not '" + valueToken->text + "'");
            return false;
        }
        step.value = v == "on" ? 1 : 0;
        return true;
    }
    if (!valueToken) {
        diagnostics.error(optionToken, what + " needs a value: " + valueHint(spec, step.endpoint, what));
        return false;
    }

    const Token& value = *valueToken;
    const std::string word = lower(value.text);
    if (spec.value == OptionValue::Linger && word == "off") {
        step.value = -1;
        return true;
    }
    if (spec.value == OptionValue::Linger && word == "on") {
        diagnostics.error(
            value, what + " takes off or a number of seconds (0 = reset the connection on close), not on");
        return false;
    }
    const Number n = spec.value == OptionValue::Count ? parseCount(value.text)
        : spec.value == OptionValue::Bytes            ? parseSize(value.text)
        : spec.value == OptionValue::Milliseconds     ? parseMilliseconds(value.text)
                                                      : parseSeconds(value.text);
    if (!n.ok()) {
        diagnostics.error(value, n.error);
        return false;
    }
    if (n.value < spec.low || n.value > spec.high) {
        diagnostics.error(value,
            what + " must be between " + std::to_string(spec.low) + " and " + highText(spec) + "; '" + value.text
                + "' is out of range");
        return false;
    }
    step.value = n.value;
    return true;
}

} // namespace synack
