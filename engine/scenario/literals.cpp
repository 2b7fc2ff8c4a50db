// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenario/literals.h"

#include <algorithm>
#include <utility>

#include "scenario/text.h"
#include "tcp/sockaddr.h"

namespace synack {

namespace {

Number fail(std::string message)
{
    return Number { 0, std::move(message) };
}

/// "DIGITS" or "DIGITS.DIGITS" times `factor`; `whole` names the unit the result must be whole in.
/// Integer arithmetic throughout, so 1.5k is exactly 1536 and 0.1s exactly 100ms.
Number scaledDecimal(std::string_view digits, std::int64_t factor, std::string_view original, std::string_view whole,
    const std::string& syntaxError)
{
    const auto dot = digits.find('.');
    const std::string_view intPart = digits.substr(0, dot);
    const std::string_view fracPart = dot == std::string_view::npos ? std::string_view {} : digits.substr(dot + 1);
    auto allDigits = [](std::string_view s) {
        return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    if (!allDigits(intPart) || (dot != std::string_view::npos && !allDigits(fracPart)))
        return fail(syntaxError);
    // 18 digits always fit in an int64_t; the multiplication below is checked on its own.
    if (intPart.size() + fracPart.size() > 18)
        return fail("'" + std::string(original) + "' is too large");
    std::int64_t mantissa = 0;
    std::int64_t scale = 1;
    for (const char c : intPart)
        mantissa = mantissa * 10 + (c - '0');
    for (const char c : fracPart) {
        mantissa = mantissa * 10 + (c - '0');
        scale *= 10;
    }
    std::int64_t scaled = 0;
    if (__builtin_mul_overflow(mantissa, factor, &scaled))
        return fail("'" + std::string(original) + "' is too large");
    if (scaled % scale != 0)
        return fail("'" + std::string(original) + "' is not a whole number of " + std::string(whole));
    return Number { scaled / scale, {} };
}

Number readSize(std::string_view text, bool allowNegative)
{
    const std::string syntax = "bad size '" + std::string(text)
        + "': write a number of bytes, optionally with k (x1024) or M (x1048576), e.g. 1000 or 4k";
    std::string s = lower(text);
    bool negative = false;
    if (allowNegative && !s.empty() && s[0] == '-') {
        negative = true;
        s.erase(0, 1);
    }
    std::int64_t factor = 1;
    if (!s.empty() && s.back() == 'k') {
        factor = 1024;
        s.pop_back();
    } else if (!s.empty() && s.back() == 'm') {
        factor = 1 << 20;
        s.pop_back();
    }
    if (factor == 1 && s.find('.') != std::string::npos)
        return fail("'" + std::string(text) + "' is not a whole number of bytes");
    Number n = scaledDecimal(s, factor, text, "bytes", syntax);
    if (n.ok() && negative)
        n.value = -n.value;
    return n;
}

Number readDuration(std::string_view text, bool bareIsMs)
{
    const std::string syntax
        = "bad duration '" + std::string(text) + "': write a number with ms or s, e.g. 500ms, 2s or 1.5s";
    const std::string s = lower(text);
    std::string_view digits = s;
    std::int64_t factor = 1;
    if (s.size() > 2 && s.ends_with("ms")) {
        digits.remove_suffix(2);
    } else if (s.size() > 1 && s.back() == 's') {
        digits.remove_suffix(1);
        factor = 1000;
    } else if (!bareIsMs) {
        const bool numeric
            = !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
        if (numeric)
            return fail("'" + std::string(text) + "' needs a unit: write " + std::string(text) + "ms or "
                + std::string(text) + "s");
        return fail(syntax);
    }
    return scaledDecimal(digits, factor, text, "milliseconds", syntax);
}

} // namespace

Number parseSize(std::string_view text)
{
    return readSize(text, false);
}

Number parseSignedSize(std::string_view text)
{
    return readSize(text, true);
}

Number parseDuration(std::string_view text)
{
    return readDuration(text, false);
}

Number parseMilliseconds(std::string_view text)
{
    return readDuration(text, true);
}

Number parseSeconds(std::string_view text)
{
    std::string s = lower(text);
    if (s.size() > 1 && s.back() == 's')
        s.pop_back();
    return scaledDecimal(s, 1, text, "seconds",
        "bad number of seconds '" + std::string(text) + "': write whole seconds, e.g. 30 or 30s");
}

Number parseCount(std::string_view text)
{
    const std::string syntax = "bad number '" + std::string(text) + "': expected a whole number such as 3";
    if (text.find('.') != std::string_view::npos)
        return fail(syntax);
    return scaledDecimal(text, 1, text, "", syntax);
}

Number parsePort(std::string_view text, PortUse use)
{
    const Number n = parseCount(text);
    const std::int64_t low = use == PortUse::Connect ? 1024 : 0;
    if (!n.ok() || n.value > 65535 || (n.value != 0 && n.value < 1024) || n.value < low) {
        return fail("port '" + std::string(text) + "' is not allowed: use "
            + (use == PortUse::Connect ? std::string("1024-65535") : "0 (any free port) or 1024-65535")
            + " (lower ports need privileges)");
    }
    return n;
}

Parsed<Loopback> parseLoopback(std::string_view text)
{
    const auto addr = SockAddr::parse(text);
    // The gated lab's two hosts are the only others: addresses of the run's own namespaces,
    // refused by any other tier when the step runs.
    const bool gatedHost = text == "192.0.2.1" || text == "192.0.2.2";
    if (!addr || (!addr->isLoopback() && !gatedHost)) {
        return { {},
            "'" + std::string(text)
                + "': scenarios may only use loopback addresses (127.x.y.z or ::1) and, on the wire, the gated lab's "
                  "hosts (192.0.2.1, 192.0.2.2)"
                + (addr ? "" : ", written as numbers") };
    }
    std::string host(text);
    if (host.front() == '[')
        host = host.substr(1, host.size() - 2);
    return { Loopback { addr->family, std::move(host) }, {} };
}

std::string sizeText(std::int64_t bytes)
{
    if (bytes > 0 && bytes % (1 << 20) == 0)
        return std::to_string(bytes >> 20) + "M";
    if (bytes > 0 && bytes % 1024 == 0)
        return std::to_string(bytes >> 10) + "k";
    return std::to_string(bytes) + " bytes";
}

std::string durationText(std::int64_t ms)
{
    if (ms % 1000 == 0)
        return std::to_string(ms / 1000) + "s";
    return std::to_string(ms) + "ms";
}

} // namespace synack
