#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the libFuzzer harnesses (tests/fuzz) into build-fuzz and runs each for
# SYNACK_FUZZ_SECONDS (60) on a copy of its seed corpus, with a fixed input size bound (a little
# over the largest seed) and memory bound. Only where clang and its libFuzzer runtime are
# installed (scripts/setup.sh --fuzz); elsewhere it says why not and succeeds. A crash, a leak or
# a broken invariant fails it; the input is kept in build-fuzz/artifacts/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
fuzz_seconds="${SYNACK_FUZZ_SECONDS:-60}"
fuzz_runtime="$(clang++ -print-resource-dir 2>/dev/null)/lib/linux/libclang_rt.fuzzer-$(uname -m).a"
if ! command -v clang++ >/dev/null; then
    echo "Fuzzing skipped: clang++ is not installed (scripts/setup.sh --fuzz installs it)."
elif [ ! -f "$fuzz_runtime" ]; then
    echo "Fuzzing skipped: clang's libFuzzer runtime ($fuzz_runtime) is missing (scripts/setup.sh --fuzz installs it)."
else
    scripts/build.sh build-fuzz -DSYNACK_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    for spec in scenario:8192 trace:32768 segment:1024 sockdiag:16384; do
        target="${spec%%:*}"
        artifacts="build-fuzz/artifacts/$target"
        rm -rf "$artifacts" && mkdir -p "$artifacts"
        cp -r "tests/fuzz/corpus/$target" "$work/$target"
        dict=()
        if [ -f "tests/fuzz/$target.dict" ]; then
            dict=(-dict="tests/fuzz/$target.dict")
        fi
        if ! build-fuzz/tests/fuzz/fuzz_"$target" "$work/$target" -max_total_time="$fuzz_seconds" -max_len="${spec##*:}" \
            -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 -artifact_prefix="$artifacts/" "${dict[@]}" >"$work/$target.log" 2>&1; then
            tail -n 60 "$work/$target.log"
            if [ -n "$(ls -A "$artifacts")" ]; then
                echo "fuzz_$target failed; the input is in $artifacts/ (add it to tests/fuzz/crashes/$target/ with the fix)"
            else
                echo "fuzz_$target could not run (see its output above)"
            fi
            exit 1
        fi
        echo "fuzz_$target: $(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$work/$target.log" | grep -o '[0-9]*$') runs in ${fuzz_seconds} s, $(grep -o 'cov: [0-9]*' "$work/$target.log" | tail -n 1 | grep -o '[0-9]*') edges, no crash"
    done
fi
