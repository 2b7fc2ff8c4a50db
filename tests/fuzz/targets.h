// SPDX-License-Identifier: GPL-3.0-or-later
// What each fuzzer feeds its bytes to. The libFuzzer harnesses (fuzz_*.cpp, built with
// -DSYNACK_FUZZ=ON) and tst_fuzzcorpus (every build) call the same functions, so a corpus or
// crash file replayed in the normal test run goes through exactly the code the fuzzer ran.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace synack::fuzz {

/// What one input did.
struct Outcome {
    bool accepted = false; ///< the input was valid: it parsed, loaded or decoded
    std::string broken; ///< an invariant the code under test broke; empty when none (the fuzzers abort on it)
};

/// parseScenario(): accepted when it parsed; a failure must name at least one problem, each
/// with its file and a position.
Outcome scenario(std::span<const std::uint8_t> input);
/// traceFromJson(): accepted when it loaded; a loaded trace must write (traceToJson) and load
/// back to the same trace.
Outcome trace(std::span<const std::uint8_t> input);
/// decodeSegment() on one IP packet as the lab's capture hands it over (wire length = size);
/// a decoded segment goes through the WireClassifier twice (the second time as a retransmission).
Outcome segment(std::span<const std::uint8_t> input);
/// parseDiagReply() on the bytes as one netlink datagram; input that starts as a recording
/// (SYNACK_DIAG_RECORD's format) is also replayed through RecordedDiag. Accepted when either read
/// a complete reply.
Outcome sockdiag(std::span<const std::uint8_t> input);

/// The targets by name (the name of their corpus folder, tests/fuzz/corpus/<name>/).
struct Target {
    std::string_view name;
    Outcome (*run)(std::span<const std::uint8_t>);
};
inline constexpr Target kTargets[] = {
    { "scenario", scenario },
    { "trace", trace },
    { "segment", segment },
    { "sockdiag", sockdiag },
};

} // namespace synack::fuzz
