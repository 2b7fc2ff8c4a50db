// SPDX-License-Identifier: GPL-3.0-or-later
// The grammar of what `expect` checks: a quantity or the state shorthand, an optional comparison
// (which may touch its neighbours, as in `recvq>=1k`), and a value read as the quantity needs.
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "scenario/diagnostics.h"
#include "scenario/lexer.h"
#include "scenario/scenario.h"

namespace synack {

/// Reads `expect NAME ...` from the words after NAME into step.quantity, op, state or number and
/// valueText; reports what it cannot read. `usage` ends the messages about missing or extra words.
bool readExpectation(
    Step& step, const Token& name, std::span<const Token> words, std::string_view usage, Diagnostics& diagnostics);

/// A TCP state as the kernel names it (with the spellings stateFromName accepts), or nullopt, reported
/// with the closest state name.
std::optional<TcpState> readState(const Token& word, Diagnostics& diagnostics);

} // namespace synack
