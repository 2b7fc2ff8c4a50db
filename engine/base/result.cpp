// SPDX-License-Identifier: GPL-3.0-or-later
#include "base/result.h"

#include <cstring>
#include <string>

namespace synack {

std::string errnoName(int err)
{
    if (err == 0)
        return "0";
    // glibc >= 2.32 knows the symbolic names.
    if (const char* name = strerrorname_np(err))
        return name;
    return "E" + std::to_string(err);
}

std::optional<int> errnoFromName(std::string_view name)
{
    if (name == "0")
        return 0;
    for (int e = 1; e < 200; ++e) {
        const char* n = strerrorname_np(e);
        if (n && name == n)
            return e;
    }
    return std::nullopt;
}

std::string Error::message() const
{
    std::string out = call;
    if (!detail.empty())
        out += (out.empty() ? "" : ": ") + detail;
    if (err != 0)
        out += (out.empty() ? "" : " ") + std::string("(") + errnoName(err) + ": " + std::strerror(err) + ")";
    return out;
}

Error errnoError(std::string call, int err) { return Error { std::move(call), err, {} }; }

} // namespace synack
