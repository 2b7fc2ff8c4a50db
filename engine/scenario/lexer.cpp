// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenario/lexer.h"

#include <algorithm>
#include <utility>

#include "scenario/text.h"

namespace synack {

LexedLine lexLine(std::string_view raw)
{
    LexedLine line;
    if (const auto bad = invalidUtf8At(raw); bad != std::string_view::npos) {
        line.error
            = LineError { codePoints(raw.substr(0, bad)) + 1, "this line is not valid UTF-8; save the file as UTF-8" };
        return line;
    }

    // A '#' starts a comment unless it is inside "double quotes".
    std::size_t commentAt = raw.size();
    std::size_t quoteAt = std::string_view::npos;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '"') {
            quoteAt = quoteAt == std::string_view::npos ? i : std::string_view::npos;
        } else if (raw[i] == '#' && quoteAt == std::string_view::npos) {
            commentAt = i;
            break;
        }
    }
    if (quoteAt != std::string_view::npos) {
        line.error
            = LineError { codePoints(raw.substr(0, quoteAt)) + 1, "unterminated string: this \" has no closing \"" };
        return line;
    }
    line.content = raw.substr(0, commentAt);

    // Words with their columns.
    const std::string_view content = line.content;
    int col = 1;
    for (std::size_t i = 0; i < content.size();) {
        if (const std::size_t n = spaceLength(content, i)) {
            i += n;
            ++col;
            continue;
        }
        Token t;
        t.col = col;
        while (i < content.size() && spaceLength(content, i) == 0) {
            const std::size_t n = std::min(charLength(static_cast<unsigned char>(content[i])), content.size() - i);
            t.text.append(content.substr(i, n));
            i += n;
            ++col;
        }
        line.tokens.push_back(std::move(t));
    }
    return line;
}

const Option* Args::option(std::string_view key) const
{
    for (const Option& o : options) {
        if (o.key == key)
            return &o;
    }
    return nullptr;
}

Args splitArgs(const std::vector<Token>& tokens)
{
    Args args;
    for (std::size_t i = 1; i < tokens.size(); ++i) {
        const Token& t = tokens[i];
        const auto eq = t.text.find('=');
        if (eq == std::string::npos) {
            if (i + 1 < tokens.size() && tokens[i + 1].text.front() == '=') {
                // `key =value` or `key = value`
                Option o { lower(t.text), t, {} };
                const Token& next = tokens[i + 1];
                if (next.text.size() > 1) {
                    o.value = Token { next.text.substr(1), next.col + 1 };
                    i += 1;
                } else if (i + 2 < tokens.size() && tokens[i + 2].text.find('=') == std::string::npos) {
                    o.value = tokens[i + 2];
                    i += 2;
                } else {
                    o.value = Token { {}, next.col + 1 };
                    i += 1;
                }
                args.options.push_back(std::move(o));
            } else {
                args.words.push_back(t);
            }
            continue;
        }
        // `key=value` or `key= value`
        Option o { lower(t.text.substr(0, eq)), Token { t.text.substr(0, eq), t.col }, {} };
        const std::string rest = t.text.substr(eq + 1);
        if (rest.empty() && eq > 0 && i + 1 < tokens.size() && tokens[i + 1].text.find('=') == std::string::npos) {
            o.value = tokens[i + 1];
            ++i;
        } else {
            o.value = Token { rest, t.col + codePoints(std::string_view(t.text).substr(0, eq + 1)) };
        }
        args.options.push_back(std::move(o));
    }
    return args;
}

} // namespace synack
