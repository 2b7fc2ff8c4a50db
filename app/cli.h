// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <vector>

namespace synack::cli {

/// True when argv[1] names a headless subcommand (or --help / --version).
bool isCommand(const std::string& arg);
/// True when the subcommand may run a scenario, and so may need the lab's helper.
bool needsLab(const std::string& arg);
/// Runs a headless subcommand; returns the process exit code.
int main(const std::vector<std::string>& argv);

} // namespace synack::cli
