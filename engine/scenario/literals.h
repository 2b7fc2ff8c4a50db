// SPDX-License-Identifier: GPL-3.0-or-later
// The literals of the scenario language: counts, sizes with k/M suffixes, durations, seconds,
// ports and loopback addresses. Each reader returns its value or the complete message to show.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace synack {

/// A value read from the text, or why it could not be read (a complete message for the user).
template <class T> struct Parsed {
    T value {};
    std::string error;
    bool ok() const { return error.empty(); }
};

using Number = Parsed<std::int64_t>;

/// Bytes: 1500, 4k, 4K, 1M, 1.5M (k = 1024, M = 1048576). A decimal point needs a suffix and a whole
/// number of bytes as the result.
Number parseSize(std::string_view text);
/// A size that may be negative (`expect c result -1`).
Number parseSignedSize(std::string_view text);

/// Milliseconds from a number with a unit: 500ms, 2s, 1.5s. A bare number is refused: `wait 5` could
/// mean either unit.
Number parseDuration(std::string_view text);
/// Milliseconds where a bare number can only mean milliseconds (`expect c timer-ms 200`).
Number parseMilliseconds(std::string_view text);

/// Whole seconds for socket options: 30 or 30s.
Number parseSeconds(std::string_view text);

/// A plain count: digits only.
Number parseCount(std::string_view text);

enum class PortUse {
    Bind, ///< 0 (any free port) or 1024-65535
    Connect, ///< 1024-65535: there is nothing to connect to on port 0
};
/// A port number; ports below 1024 need privileges, which a scenario never has.
Number parsePort(std::string_view text, PortUse use);

/// A loopback address as the socket calls take it.
struct Loopback {
    int family = 0; ///< AF_INET or AF_INET6
    std::string host; ///< without the brackets of "[::1]"
};
/// 127.x.y.z, ::1 or [::1]; anything else is refused, host names included: scenarios only ever touch
/// the loopback interface.
Parsed<Loopback> parseLoopback(std::string_view text);

/// "4k", "16M" or "1000 bytes", for limits in messages.
std::string sizeText(std::int64_t bytes);
/// "2s" or "1500ms", for limits in messages.
std::string durationText(std::int64_t ms);

} // namespace synack
