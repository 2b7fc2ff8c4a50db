// SPDX-License-Identifier: GPL-3.0-or-later
// Reading a scenario: from its text, or from a .synack file.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/scenario.h"

namespace synack {

/// Parses and validates a scenario's text. On failure returns every problem found (at least one),
/// each with file, line and column. `name` is the scenario name; `file` appears in messages.
struct ParseOutcome {
    std::optional<Scenario> scenario;
    std::vector<Diagnostic> errors;
    bool ok() const { return scenario.has_value() && errors.empty(); }
};
ParseOutcome parseScenario(std::string_view text, std::string name, std::string file);

/// Reads a .synack file and parses it (name = base name without extension).
ParseOutcome loadScenarioFile(const std::string& path);

} // namespace synack
