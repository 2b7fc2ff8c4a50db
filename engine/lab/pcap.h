// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>
#include <span>
#include <string>

#include "lab/capture.h"
#include "base/result.h"

namespace synack {

/// A classic pcap file (the libpcap format every tool reads: tcpdump, Wireshark, tshark) of
/// captured packets: microsecond timestamps from the kernel's CLOCK_REALTIME stamps, link type
/// LINKTYPE_RAW (101: each record is an IPv4 or IPv6 packet, as the lab's packet socket reads
/// them). Packets cut at Capture::kSnapLen keep their whole length in the record's orig_len, so
/// the tools say "[packet size limited during capture]" rather than show a malformed packet.
std::string pcapFile(std::span<const CapturedPacket> packets);

/// Writes pcapFile() to `path`, whole or not at all (see OutputFile).
Result<void> writePcap(const std::string& path, std::span<const CapturedPacket> packets);

} // namespace synack
