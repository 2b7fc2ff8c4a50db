// SPDX-License-Identifier: GPL-3.0-or-later
#include "fuzz/targets.h"

#include <sys/socket.h>

#include <cstring>
#include <vector>

#include "kernel/sockdiag.h"
#include "lab/capture.h"
#include "run/wire.h"
#include "scenario/parser.h"
#include "trace/trace.h"

namespace synack::fuzz {

namespace {

std::string_view text(std::span<const std::uint8_t> input)
{
    return { reinterpret_cast<const char*>(input.data()), input.size() };
}

bool inetFamily(int family)
{
    return family == AF_INET || family == AF_INET6;
}

/// SYNACK_DIAG_RECORD's record magic ("SDDP" on a little-endian machine, see sockdiag.cpp).
constexpr std::uint8_t kRecordMagic[] = { 'S', 'D', 'D', 'P' };

} // namespace

Outcome scenario(std::span<const std::uint8_t> input)
{
    const ParseOutcome parsed = parseScenario(text(input), "fuzz", "fuzz.synack");
    Outcome out;
    out.accepted = parsed.ok();
    if (parsed.ok()) {
        // parse() refuses a scenario without a title or steps.
        if (parsed.scenario->title.empty() || parsed.scenario->steps.empty())
            out.broken = "accepted a scenario without a title or steps";
        return out;
    }
    if (parsed.errors.empty())
        out.broken = "refused without naming a problem";
    for (const Diagnostic& d : parsed.errors)
        if (d.file != "fuzz.synack" || d.pos.line < 1 || d.pos.column < 1 || d.message.empty())
            out.broken = "a problem without its place or text: " + d.toString();
    return out;
}

Outcome trace(std::span<const std::uint8_t> input)
{
    const Result<Trace> loaded = traceFromJson(text(input));
    Outcome out;
    out.accepted = loaded.ok();
    if (!loaded) {
        if (loaded.error().message().empty())
            out.broken = "refused without saying why";
        return out;
    }
    // Whatever the loader accepts, the writer must write so that it loads back the same.
    const Result<Trace> again = traceFromJson(traceToJson(*loaded, false));
    if (!again)
        out.broken = "a loaded trace, written again, does not load: " + again.error().message();
    else if (!(*again == *loaded))
        out.broken = "a loaded trace, written and loaded again, differs";
    return out;
}

Outcome segment(std::span<const std::uint8_t> input)
{
    const std::optional<DecodedSegment> seg = decodeSegment(input.data(), input.size(), input.size());
    Outcome out;
    out.accepted = seg.has_value();
    if (!seg)
        return out;
    const int family = (input[0] >> 4) == 4 ? AF_INET : AF_INET6;
    if (seg->src.family != family || seg->dst.family != family)
        out.broken = "decoded addresses of another family than the IP header's";
    WireClassifier classifier { [](const SockAddr& from, const SockAddr&) { return from.toString(); },
        [](const std::string&) { return std::string("send"); } };
    const WireSegment first = classifier.classify(*seg, 1'000'000, 1);
    const WireSegment second = classifier.classify(*seg, 2'000'000, 2);
    if (first.event.frame != 1 || second.event.frame != 2)
        out.broken = "the classifier lost the frame number";
    return out;
}

Outcome sockdiag(std::span<const std::uint8_t> input)
{
    Outcome out;
    const std::vector<std::vector<std::uint8_t>> datagrams { { input.begin(), input.end() } };
    const Result<std::vector<DiagSocket>> reply = parseDiagReply(datagrams);
    if (reply) {
        out.accepted = true;
        for (const DiagSocket& s : *reply)
            if (!inetFamily(s.local.family) || s.local.family != s.remote.family)
                out.broken = "a socket of a family sock_diag was not asked for";
    }
    if (input.size() >= sizeof kRecordMagic && std::memcmp(input.data(), kRecordMagic, sizeof kRecordMagic) == 0) {
        Result<RecordedDiag> recorded = RecordedDiag::fromBytes({ input.begin(), input.end() });
        if (recorded) {
            // Replay every dump, asking for both families in turn: one of them matches.
            const std::uint16_t ports[] = { 0 };
            for (std::size_t i = 0; i < recorded->dumpCount(); ++i)
                if (recorded->dump(i % 2 ? AF_INET : AF_INET6, ports))
                    out.accepted = true;
            if (recorded->dump(AF_INET, ports))
                out.broken = "a recording replayed more dumps than it holds";
        }
    }
    return out;
}

} // namespace synack::fuzz
