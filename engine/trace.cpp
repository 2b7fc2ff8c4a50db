// SPDX-License-Identifier: GPL-3.0-or-later
#include "trace.h"

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

} // namespace synack
