// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenario/gatewords.h"

#include <string_view>

#include "scenario/text.h"
#include "tcp/segment.h"

namespace synack {

namespace {

constexpr std::uint8_t kControl = kSyn | kFin | kRst;

} // namespace

bool readPatternWord(const Token& word, SegmentPattern& pattern, Diagnostics& diagnostics)
{
    const std::string w = lower(word.text);
    if (w == "client>server" || w == "server>client") {
        if (pattern.toServer) {
            diagnostics.error(word, "a pattern has one direction; '" + word.text + "' is a second");
            return false;
        }
        pattern.toServer = w == "client>server";
        return true;
    }
    if (pattern.flagsSet || pattern.data) {
        diagnostics.error(word,
            "the flags were already given; join flags with '+', e.g. SYN+ACK or FIN+ACK");
        return false;
    }
    // SYN+ACK, FIN, data, ACK+data: flags joined by '+'.
    std::uint8_t flags = 0;
    bool data = false;
    std::size_t start = 0;
    while (start <= w.size()) {
        std::size_t end = w.find('+', start);
        if (end == std::string::npos)
            end = w.size();
        const std::string_view part = std::string_view(w).substr(start, end - start);
        if (part == "data") {
            data = true;
        } else if (const auto f = tcpFlagsFromText(part); f && *f && part.find(',') == std::string_view::npos) {
            flags |= *f;
        } else {
            diagnostics.error(word,
                "unknown word '" + word.text + "' in a segment pattern; expected client>server, server>client, "
                "from=NAME, or flags such as SYN, SYN+ACK, FIN, ACK, RST, data; usage: "
                    + std::string(kPatternUsage));
            return false;
        }
        start = end + 1;
    }
    pattern.flagsSet = flags;
    pattern.data = data;
    // What people mean by the names: SYN is the first segment (not the SYN+ACK), ACK alone is a
    // bare acknowledgement (the handshake's third segment, the last ACK), not any segment with
    // the ACK bit, which is nearly all of them.
    if ((flags & kSyn) && !(flags & kAck))
        pattern.flagsClear |= kAck;
    if (flags == kAck && !data) // ACK alone; PSH+ACK and ACK+data name data segments
        pattern.flagsClear |= kControl;
    return true;
}

bool flagsMatch(const SegmentPattern& pattern, std::uint8_t flags, std::int64_t payload)
{
    if ((flags & pattern.flagsSet) != pattern.flagsSet || (flags & pattern.flagsClear) != 0)
        return false;
    if (pattern.data && payload <= 0)
        return false;
    // A bare ACK carries no data unless the pattern says ACK+data.
    if (!pattern.data && (pattern.flagsClear & kControl) == kControl && payload > 0)
        return false;
    return true;
}

std::string patternFlagsText(const SegmentPattern& pattern)
{
    std::string out;
    if (pattern.flagsSet)
        out = tcpFlagsText(pattern.flagsSet);
    for (char& c : out)
        if (c == ',')
            c = '+';
    if (pattern.data)
        out += out.empty() ? "data" : "+data";
    return out;
}

} // namespace synack
