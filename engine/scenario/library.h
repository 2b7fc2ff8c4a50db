// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/parser.h"

namespace synack {

namespace detail {
    struct BuiltinText {
        const char* name;
        const char* text;
    };
    /// Generated at build time from resources/scenarios/*.synack, sorted by name.
    const std::vector<BuiltinText>& builtinTexts();
}

/// The built-in scenario library (resources/scenarios, compiled in).
class Library {
public:
    /// Names of the built-ins, in the library's teaching order.
    static std::vector<std::string> names();
    /// The text of a built-in, or nullopt.
    static std::optional<std::string_view> text(std::string_view name);
    /// Parses a built-in (file name "<builtin>/NAME.synack").
    static ParseOutcome load(std::string_view name);
    /// A built-in name or a path to a .synack file: the built-in wins when NAME has no '/' and no ".synack".
    static ParseOutcome resolve(const std::string& nameOrPath);
};

} // namespace synack
