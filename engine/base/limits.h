// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>
#include <string>

namespace synack {

/// Whether an errno says the environment ran short rather than that the kernel refused the call
/// for the reason a scenario teaches: EMFILE (this process's descriptor limit), ENFILE (the
/// system's file table), ENOBUFS and ENOMEM (kernel memory). For those, one sentence naming the
/// limit and its value now, read from getrlimit() and /proc ("this process may have at most 64
/// descriptors open (RLIMIT_NOFILE soft 64, hard 64) and has 64 open"); nullopt for any other
/// errno. A run that meets one stops: what follows would be the machine's state, not TCP's.
std::optional<std::string> resourceShortage(int err);

/// Raises this process's soft descriptor limit to its hard limit (`ulimit -n` is often 1024
/// while the hard limit is far higher). Returns the soft limit now in force.
long raiseDescriptorLimit();

} // namespace synack
