// SPDX-License-Identifier: GPL-3.0-or-later
// One line of a scenario into words: comments and quotes, columns in code points, and a step's
// words and key=value options.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace synack {

/// The step keywords, in the order messages list them.
inline constexpr std::array<std::string_view, 14> kStepKeywords = { "socket", "set", "bind", "listen", "connect",
    "accept", "send", "recv", "shutdown", "close", "wait", "expect", "gate", "sysctl" };

/// A word of a line and where it starts.
struct Token {
    std::string text;
    int col = 0; ///< 1-based, in code points
};

/// Why a line cannot be read at all.
struct LineError {
    int column = 0;
    std::string message;
};

/// A line taken apart.
struct LexedLine {
    std::string_view content; ///< the line without its comment (a view of the raw line)
    std::vector<Token> tokens; ///< the words of `content`, separators dropped
    std::optional<LineError> error; ///< not UTF-8, or an unclosed quote; then there are no tokens
};

/// Splits one line (without its line end) into words. A '#' starts a comment unless it is inside
/// "double quotes"; the quotes themselves stay in the words.
LexedLine lexLine(std::string_view raw);

/// A `key=value` option of a step.
struct Option {
    std::string key; ///< lower case; empty for a lone "=value"
    Token keyToken; ///< the key as written
    Token value; ///< empty text when the value is missing (at the column where it should be)
};

/// A step's words after the keyword, with `key=value` options taken apart.
struct Args {
    std::vector<Token> words;
    std::vector<Option> options;

    /// The first option called `key` (lower case), or nullptr.
    const Option* option(std::string_view key) const;
};

/// The words of a step line after its keyword (`tokens[0]`), options taken apart. Options may be
/// written with spaces around the '=': `backlog = 4`, `backlog= 4`, `backlog =4`.
Args splitArgs(const std::vector<Token>& tokens);

} // namespace synack
