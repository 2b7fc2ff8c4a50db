// SPDX-License-Identifier: GPL-3.0-or-later
// The socket options `set` takes: how each one's value is written and the range it must be in.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "scenario/diagnostics.h"
#include "scenario/lexer.h"
#include "scenario/scenario.h"

namespace synack {

/// The option names as `set` takes them, in SockOption order.
std::vector<std::string> sockOptionNames();

/// Reads the OPTION and VALUE of `set NAME OPTION [VALUE]` into step.option and step.value (on 1,
/// off 0, linger off -1); reports what it cannot read. step.endpoint is NAME, for the messages.
bool readSockOption(
    Step& step, const Token& optionToken, const std::optional<Token>& valueToken, Diagnostics& diagnostics);

} // namespace synack
