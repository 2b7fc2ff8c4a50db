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

/// A .synack file's text for an editor: a regular file of at most ScenarioLimits::kMaxFileBytes,
/// and valid UTF-8, else the Diagnostic that the parser would give ("file:line:column: this line
/// is not valid UTF-8"). An editor would replace invalid bytes and silently change the file;
/// refusing keeps the window and the CLI to one policy.
struct ScenarioText {
    std::string text;
    std::optional<Diagnostic> error;
};
ScenarioText readScenarioText(const std::string& path);

} // namespace synack
