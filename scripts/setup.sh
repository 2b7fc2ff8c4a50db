#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what SynAck needs to build, test and run, from Debian's packages (Debian 12 /
# Ubuntu 24.04 or newer). Installs only what is missing; uses sudo when not root.
# With --fuzz (scripts/test.sh uses it), also clang and its libFuzzer runtime, for the fuzzers
# (tests/fuzz); scripts/fuzz.sh skips them, saying so, where they are not installed.
set -euo pipefail

packages=(
    build-essential cmake pkg-config
    qt6-base-dev qt6-base-dev-tools qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-svg-dev libgl-dev
    nlohmann-json3-dev libbenchmark-dev
    xvfb xauth fonts-noto-cjk
    tcpdump # tst_pcap reads the lab's pcap back with an independent reader
)
if [ "${1:-}" = "--fuzz" ]; then
    packages+=(clang libclang-rt-dev)
fi

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
fi
echo "Installing: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
