// SPDX-License-Identifier: GPL-3.0-or-later
#include "lab/pcap.h"

#include "base/file.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>

namespace synack {

namespace {

// pcap's file format: https://www.tcpdump.org/manpages/pcap-savefile.5.html. Fields are in
// the writer's byte order; readers tell it from the magic number.
constexpr std::uint32_t kMagicMicroseconds = 0xa1b2c3d4;
constexpr std::uint32_t kLinkTypeRaw = 101;
constexpr std::uint32_t kSnapLength = 262144; // libpcap's default: records may be this long

template <class T> void put(std::string& out, T value)
{
    char bytes[sizeof value];
    std::memcpy(bytes, &value, sizeof value);
    out.append(bytes, sizeof value);
}

} // namespace

std::string pcapFile(std::span<const CapturedPacket> packets)
{
    std::string out;
    put<std::uint32_t>(out, kMagicMicroseconds);
    put<std::uint16_t>(out, 2); // version 2.4
    put<std::uint16_t>(out, 4);
    put<std::int32_t>(out, 0); // timestamps are UTC
    put<std::uint32_t>(out, 0); // accuracy: unused
    put<std::uint32_t>(out, kSnapLength);
    put<std::uint32_t>(out, kLinkTypeRaw);
    for (const CapturedPacket& p : packets) {
        const std::int64_t us = p.realNs / 1000;
        put<std::uint32_t>(out, static_cast<std::uint32_t>(us / 1'000'000));
        put<std::uint32_t>(out, static_cast<std::uint32_t>(us % 1'000'000));
        put<std::uint32_t>(out, static_cast<std::uint32_t>(p.bytes.size()));
        put<std::uint32_t>(out, std::max<std::uint32_t>(p.length, static_cast<std::uint32_t>(p.bytes.size())));
        out.append(reinterpret_cast<const char*>(p.bytes.data()), p.bytes.size());
    }
    return out;
}

Result<void> writePcap(const std::string& path, std::span<const CapturedPacket> packets)
{
    auto out = OutputFile::open(path);
    if (!out)
        return out.error();
    return out->commit(pcapFile(packets));
}

} // namespace synack
