// SPDX-License-Identifier: GPL-3.0-or-later
// The per-network-namespace settings a `sysctl` step may change, and the range each must be in.
#pragma once

#include <vector>

#include "scenario/diagnostics.h"
#include "scenario/lexer.h"
#include "scenario/scenario.h"

namespace synack {

/// The names `sysctl` takes (net.ipv4.NAME without the prefix), in the order messages list them.
std::vector<std::string> sysctlNames();

/// Reads the NAME and VALUE... of `sysctl NAME VALUE...` (`words`, after the keyword) into
/// step.sysctl (the short name: "tcp_fin_timeout") and step.sysctlValues; reports what it cannot read.
bool readSysctl(Step& step, const std::vector<Token>& words, std::string_view usage, Diagnostics& diagnostics);

/// "net.ipv4.tcp_fin_timeout": the name as sysctl(8) writes it.
std::string sysctlKey(const std::string& name);

} // namespace synack
