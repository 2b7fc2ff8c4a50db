// SPDX-License-Identifier: GPL-3.0-or-later
// The characters of a scenario line: UTF-8 checks, columns in code points, the word separators,
// case folding, and the lists and near misses that messages are written with.
#pragma once

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <string>
#include <string_view>

namespace synack {

/// Byte offset of the first byte that does not start a valid UTF-8 sequence, or npos. Overlong
/// forms, surrogates and code points past U+10FFFF count as invalid.
std::size_t invalidUtf8At(std::string_view s);

/// Byte length of the UTF-8 sequence starting with `lead` (1 for anything unexpected).
std::size_t charLength(unsigned char lead);

/// Code points in `s`. Columns are counted in code points, so a line of Chinese narration does not
/// shift the columns an editor shows.
int codePoints(std::string_view s);

/// Byte length of the word separator at `s[i]`, or 0. Besides ASCII blanks, the no-break space
/// (pasted from web pages) and the ideographic space (typed by Chinese input methods) separate words.
std::size_t spaceLength(std::string_view s, std::size_t i);

/// `s` without separators at either end.
std::string_view trim(std::string_view s);

/// ASCII case folding: keywords, units and names of options are case-insensitive.
std::string lower(std::string_view s);
std::string upper(std::string_view s);

/// The items joined with ", ", each followed by `suffix` ("port=, addr=").
template <class Range> std::string joinList(const Range& items, std::string_view suffix = {})
{
    std::string out;
    for (const auto& item : items) {
        if (!out.empty())
            out += ", ";
        out += item;
        out += suffix;
    }
    return out;
}

/// Whether `word` is one of `items`.
template <class Range> bool isOneOf(std::string_view word, const Range& items)
{
    return std::find(std::begin(items), std::end(items), word) != std::end(items);
}

/// Levenshtein distance: how many characters to insert, delete or change to turn `a` into `b`.
std::size_t editDistance(std::string_view a, std::string_view b);

/// " (did you mean 'connect'?)" for a near miss among `candidates`, else "". Typos are the
/// commonest mistake.
template <class Range> std::string suggestion(std::string_view word, const Range& candidates)
{
    std::string best;
    std::size_t bestDistance = 3;
    for (const auto& c : candidates) {
        const std::size_t d = editDistance(word, c);
        if (d < bestDistance && d < std::string_view(c).size()) {
            bestDistance = d;
            best = c;
        }
    }
    return best.empty() ? std::string {} : " (did you mean '" + best + "'?)";
}

} // namespace synack
