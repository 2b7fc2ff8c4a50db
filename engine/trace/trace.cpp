// SPDX-License-Identifier: GPL-3.0-or-later
#include "trace/trace.h"

#include <array>

namespace synack {

std::string_view sourceName(Source s)
{
    switch (s) {
    case Source::Kernel:
        return "kernel";
    case Source::Inferred:
        return "inferred";
    case Source::Capture:
        return "capture";
    }
    return "kernel";
}

std::optional<Source> sourceFromName(std::string_view name)
{
    for (Source s : { Source::Kernel, Source::Inferred, Source::Capture })
        if (sourceName(s) == name)
            return s;
    return std::nullopt;
}

std::string_view eventKindName(EventKind k)
{
    static constexpr std::array<std::string_view, 7> kNames = { "step", "state", "buffers", "timer", "segment",
        "expect", "note" };
    return kNames[static_cast<std::size_t>(k)];
}

void appendCall(std::vector<CallRecord>& calls, CallRecord call)
{
    if (!calls.empty()) {
        CallRecord& last = calls.back();
        if (last.call == call.call && last.args == call.args && last.result == call.result
            && last.errnoName == call.errnoName) {
            last.count += call.count;
            return;
        }
    }
    calls.push_back(std::move(call));
}

} // namespace synack
