// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace synack {

/// `synack bench`: start to first frame, frame time while animating, memory, and big made-up traces
/// (`synack bench --traces`: only those). Prints plain text.
int runBench(int argc, char** argv);

} // namespace synack
