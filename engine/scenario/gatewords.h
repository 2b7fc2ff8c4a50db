// SPDX-License-Identifier: GPL-3.0-or-later
// The words that pick segments at the gate: `client>server`, `from=NAME`, and TCP flags such as
// `SYN`, `SYN+ACK`, `FIN`, `ACK`, `RST`, `data`.
#pragma once

#include <cstdint>
#include <string>

#include "scenario/diagnostics.h"
#include "scenario/lexer.h"
#include "scenario/scenario.h"

namespace synack {

/// The usage of a segment pattern, for messages.
inline constexpr std::string_view kPatternUsage = "[client>server|server>client] [from=NAME] [seq=N] [FLAGS]";

/// Reads one word of a pattern (a direction or flags) into `pattern`. False, with a message, when
/// the word is neither or repeats what the pattern already says.
bool readPatternWord(const Token& word, SegmentPattern& pattern, Diagnostics& diagnostics);

/// Whether a segment with `flags` and `payload` bytes matches the flags of `pattern` (not its
/// direction or sender, which the run resolves).
bool flagsMatch(const SegmentPattern& pattern, std::uint8_t flags, std::int64_t payload);

/// "SYN", "FIN", "ACK", "data": how a segment with these flags is named in a pattern.
std::string patternFlagsText(const SegmentPattern& pattern);

} // namespace synack
