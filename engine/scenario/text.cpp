// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenario/text.h"

#include <cctype>
#include <vector>

namespace synack {

std::size_t invalidUtf8At(std::string_view s)
{
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = 0;
        unsigned minimum = 0;
        unsigned cp = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            n = 2;
            minimum = 0x80;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            n = 3;
            minimum = 0x800;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            n = 4;
            minimum = 0x10000;
            cp = c & 0x07;
        } else {
            return i;
        }
        if (i + n > s.size())
            return i;
        for (std::size_t k = 1; k < n; ++k) {
            const auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (cc & 0x3F);
        }
        if (cp < minimum || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += n;
    }
    return std::string_view::npos;
}

std::size_t charLength(unsigned char lead)
{
    if (lead >= 0xF0)
        return 4;
    if (lead >= 0xE0)
        return 3;
    if (lead >= 0xC0)
        return 2;
    return 1;
}

int codePoints(std::string_view s)
{
    int n = 0;
    for (const char c : s) {
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80)
            ++n;
    }
    return n;
}

std::size_t spaceLength(std::string_view s, std::size_t i)
{
    const char c = s[i];
    if (c == ' ' || c == '\t' || c == '\v' || c == '\f')
        return 1;
    if (s.substr(i, 2) == "\xC2\xA0")
        return 2;
    if (s.substr(i, 3) == "\xE3\x80\x80")
        return 3;
    return 0;
}

std::string_view trim(std::string_view s)
{
    std::size_t begin = 0;
    while (begin < s.size()) {
        const std::size_t n = spaceLength(s, begin);
        if (n == 0)
            break;
        begin += n;
    }
    std::size_t end = begin;
    for (std::size_t i = begin; i < s.size();) {
        const std::size_t n = spaceLength(s, i);
        if (n == 0) {
            i += charLength(static_cast<unsigned char>(s[i]));
            end = std::min(i, s.size());
        } else {
            i += n;
        }
    }
    return s.substr(begin, end - begin);
}

std::string lower(std::string_view s)
{
    std::string out(s);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string upper(std::string_view s)
{
    std::string out(s);
    for (char& c : out)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::size_t editDistance(std::string_view a, std::string_view b)
{
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({ row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1) });
            diagonal = above;
        }
    }
    return row[b.size()];
}

} // namespace synack
