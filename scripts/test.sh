#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Sets up, builds and runs the whole test suite twice: a normal build, then a build with
# AddressSanitizer and UndefinedBehaviorSanitizer; then runs each fuzzer for a bounded time.
# Every test drives the real kernel. README ("What the tests run") says what runs where and how long.
set -euo pipefail
cd "$(dirname "$0")/.."
# --fuzz: clang and its libFuzzer runtime too, so the fuzzers at the end run here (and in CI).
scripts/setup.sh --fuzz

# Where this machine can make network namespaces (checked with util-linux's unshare, not with
# SynAck), the lab tests must run: one that cannot fails instead of being skipped.
if unshare --user --net true 2>/dev/null || { [ "$(id -u)" -eq 0 ] && unshare --net true 2>/dev/null; }; then
    export SYNACK_EXPECT_LAB=1
fi

scripts/build.sh build
(cd build && ctest --output-on-failure --timeout 600)

scripts/build.sh build-asan -DSYNACK_SANITIZE=ON -DSYNACK_BUILD_BENCHMARKS=OFF
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
(cd build-asan && ctest --output-on-failure --timeout 900)

# The fuzzers, for a bounded time each, where clang is installed (scripts/fuzz.sh says why not).
scripts/fuzz.sh
