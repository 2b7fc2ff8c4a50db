// SPDX-License-Identifier: GPL-3.0-or-later
// One libFuzzer harness; SYNACK_FUZZ_TARGET names the function of targets.h it feeds.
#include <cstdio>
#include <cstdlib>

#include "fuzz/targets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const synack::fuzz::Outcome out = synack::fuzz::SYNACK_FUZZ_TARGET({ data, size });
    if (!out.broken.empty()) {
        // A broken invariant is a finding like a crash: abort so libFuzzer keeps the input.
        std::fprintf(stderr, "invariant broken: %s\n", out.broken.c_str());
        std::abort();
    }
    return 0;
}
