// SPDX-License-Identifier: GPL-3.0-or-later
#include "tcp/segment.h"

#include <cctype>

namespace synack {

namespace {
    // tcpdump's order, with ACK last: "SYN,ACK", "FIN,PSH,ACK".
    constexpr std::pair<std::uint8_t, std::string_view> kOrder[] = {
        { kSyn, "SYN" },
        { kFin, "FIN" },
        { kRst, "RST" },
        { kPsh, "PSH" },
        { kUrg, "URG" },
        { kEce, "ECE" },
        { kCwr, "CWR" },
        { kAck, "ACK" },
    };
}

std::string tcpFlagsText(std::uint8_t flags)
{
    std::string out;
    for (const auto& [bit, name] : kOrder)
        if (flags & bit) {
            if (!out.empty())
                out += ',';
            out += name;
        }
    return out.empty() ? std::string("none") : out;
}

std::optional<std::uint8_t> tcpFlagsFromText(std::string_view text)
{
    std::uint8_t flags = 0;
    if (text == "none")
        return flags;
    while (!text.empty()) {
        const std::size_t comma = text.find(',');
        const std::string_view word = text.substr(0, comma);
        bool known = false;
        for (const auto& [bit, name] : kOrder) {
            bool same = word.size() == name.size();
            for (std::size_t i = 0; same && i < word.size(); ++i)
                same = std::toupper(static_cast<unsigned char>(word[i])) == name[i];
            if (same) {
                flags |= bit;
                known = true;
            }
        }
        if (!known)
            return std::nullopt;
        if (comma == std::string_view::npos)
            break;
        text.remove_prefix(comma + 1);
    }
    return flags;
}

SegmentKind segmentKindOf(std::uint8_t flags)
{
    if (flags & kSyn)
        return flags & kAck ? SegmentKind::SynAck : SegmentKind::Syn;
    if (flags & kRst)
        return SegmentKind::Rst;
    if (flags & kFin)
        return SegmentKind::Fin;
    return flags & kAck ? SegmentKind::Ack : SegmentKind::None;
}

std::uint8_t flagsOf(SegmentKind kind)
{
    switch (kind) {
    case SegmentKind::Syn:
        return kSyn;
    case SegmentKind::SynAck:
        return kSyn | kAck;
    case SegmentKind::Ack:
        return kAck;
    case SegmentKind::Fin:
        return kFin | kAck;
    case SegmentKind::Rst:
        return kRst;
    case SegmentKind::None:
        break;
    }
    return 0;
}

} // namespace synack
