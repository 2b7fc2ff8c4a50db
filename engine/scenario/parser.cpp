// SPDX-License-Identifier: GPL-3.0-or-later
// The scenario language, read line by line. A line is a header (`title: ...`), narration
// (`en: ...`), or a step (`keyword NAME args key=value`). The checks that need the story so far
// (which endpoints exist, what they did, the limits) run as each step is read, so problems come out
// in line order and every one points at the token it is about.
#include "scenario/parser.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <utility>

#include <sys/socket.h>

#include "scenario/diagnostics.h"
#include "scenario/lexer.h"
#include "scenario/steps.h"
#include "scenario/symbols.h"
#include "scenario/text.h"

namespace synack {

namespace {

/// Reads one scenario file's text: lines into headers, narration and steps; the limits on steps;
/// and, at the end, what needs the whole file (the title, the address family of every endpoint).
class Parser {
public:
    explicit Parser(std::string file)
        : m_file(file)
        , m_diagnostics(std::move(file))
        , m_symbols(m_diagnostics)
        , m_steps(m_diagnostics, m_symbols)
    {
    }

    ParseOutcome run(std::string_view text, std::string name);

private:
    void error(int col, std::string message) { m_diagnostics.error(col, std::move(message)); }
    void error(const Token& t, std::string message) { m_diagnostics.error(t, std::move(message)); }

    void readLine(std::string_view raw);
    void readHeader(std::string_view key, int keyCol, std::string_view text);
    void readNarration(const std::string& lang, int keyCol, const std::string& text);
    void readStep(std::string_view content, const std::vector<Token>& tokens);

    std::string m_file;
    Diagnostics m_diagnostics;
    Symbols m_symbols;
    StepReader m_steps;
    Scenario m_scenario;
    std::map<std::string, int> m_headerLines; ///< "title.en" -> line, for duplicates
    bool m_sawStep = false;
    int m_stepCount = 0;
    bool m_reportedSteps = false;
};

ParseOutcome Parser::run(std::string_view text, std::string name)
{
    m_scenario.name = std::move(name);
    m_scenario.file = m_file;

    // Editors on Windows like to start UTF-8 files with a byte order mark.
    if (text.starts_with("\xEF\xBB\xBF"))
        text.remove_prefix(3);

    std::size_t start = 0;
    while (start <= text.size() && !m_diagnostics.full()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos)
            end = text.size();
        std::string_view raw = text.substr(start, end - start);
        if (raw.ends_with('\r'))
            raw.remove_suffix(1);
        m_diagnostics.nextLine();
        readLine(raw);
        start = end + 1;
    }

    if (!m_scenario.title.contains("en"))
        m_diagnostics.errorAt(
            SourcePos { 1, 1 }, "the scenario has no title; add a line such as 'title: The three-way handshake'");
    if (m_stepCount == 0)
        m_diagnostics.errorAt(SourcePos { 1, 1 }, "the scenario has no steps; add at least one, e.g. 'listen srv'");

    ParseOutcome out;
    if (!m_diagnostics.empty()) {
        out.errors = m_diagnostics.takeInLineOrder();
        return out;
    }

    // The step that creates a socket implicitly (a `set` before the `bind ... addr=::1`) must
    // already know the family, so it is resolved over the whole scenario and stamped on every step.
    for (Step& step : m_scenario.steps) {
        switch (step.kind) {
        case StepKind::Socket:
        case StepKind::Set:
        case StepKind::Bind:
        case StepKind::Listen:
        case StepKind::Connect:
        case StepKind::Accept:
            if (const Endpoint* ep = m_symbols.find(step.endpoint); ep != nullptr && ep->family == AF_INET6)
                step.family = AF_INET6;
            else
                step.family = 0;
            break;
        default:
            break;
        }
        // A sysctl changes the namespace it runs in: only a private one may be changed.
        if (step.kind == StepKind::Sysctl && m_scenario.needs < Needs::Lab)
            m_scenario.needs = Needs::Lab;
    }
    for (const Step& step : m_scenario.steps) {
        if (step.kind == StepKind::Gate || (step.kind == StepKind::Expect && step.endpoint == "gate"))
            m_scenario.needs = Needs::Wire;
    }
    out.scenario = std::move(m_scenario);
    return out;
}

void Parser::readLine(std::string_view raw)
{
    const LexedLine line = lexLine(raw);
    if (line.error) {
        error(line.error->column, line.error->message);
        return;
    }
    const std::string_view content = line.content;
    const std::vector<Token>& tokens = line.tokens;
    if (tokens.empty())
        return;

    // `key: text` (also with the full-width colon Chinese input methods type) is a header or
    // narration; the key is letters and dots only, so `bind a addr=::1` is never mistaken for one.
    const std::string& first = tokens[0].text;
    std::size_t colon = first.find(':');
    std::size_t colonLength = 1;
    if (const std::size_t wide = first.find("\xEF\xBC\x9A"); wide < colon) {
        colon = wide;
        colonLength = 3;
    }
    if (colon != std::string::npos && colon > 0) {
        const std::string_view key = std::string_view(first).substr(0, colon);
        const bool keyLike = std::all_of(
            key.begin(), key.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '.'; });
        if (keyLike) {
            // The text is the rest of the line after the colon, all its words.
            const std::size_t keyByte = content.find(first);
            readHeader(key, tokens[0].col, trim(content.substr(keyByte + colon + colonLength)));
            return;
        }
    }
    readStep(trim(content), tokens);
}

void Parser::readHeader(std::string_view rawKey, int keyCol, std::string_view text)
{
    const std::string key = lower(rawKey);
    // A text that is one quoted string loses its quotes: quoting is how a text keeps a '#'.
    std::string value(text);
    if (value.size() >= 2 && value.front() == '"' && value.find('"', 1) == value.size() - 1)
        value = value.substr(1, value.size() - 2);

    if (key == "en" || key == "zh") {
        readNarration(key, keyCol, value);
        return;
    }

    const auto dot = key.find('.');
    const std::string base = key.substr(0, dot);
    const std::string lang = dot == std::string::npos ? "en" : key.substr(dot + 1);
    if (base != "title" && base != "about" && base != "topic") {
        if (isOneOf(base, kStepKeywords)) {
            error(keyCol,
                "'" + std::string(rawKey) + ":' is not a header; steps are written without ':', e.g. '" + base
                    + " client'");
        } else {
            error(keyCol,
                "unknown header '" + std::string(rawKey) + ":'"
                    + suggestion(base, std::array<std::string_view, 5> { "title", "about", "topic", "en", "zh" })
                    + "; expected one of: title:, about:, topic: (add .zh for Chinese), en:, zh:");
        }
        return;
    }
    if (lang != "en" && lang != "zh") {
        error(keyCol,
            "unknown language '" + lang + "' in '" + std::string(rawKey) + ":'; use " + base + ": or " + base + ".zh:");
        return;
    }
    if (value.empty()) {
        error(keyCol, "'" + std::string(rawKey) + ":' needs text after the colon");
        return;
    }

    auto& field = base == "title" ? m_scenario.title : base == "about" ? m_scenario.about : m_scenario.topic;
    const std::string where = base + "." + lang;
    if (base == "about") {
        // Several about: lines make one paragraph, so long descriptions stay readable in the file.
        std::string& about = field[lang];
        about += (about.empty() ? "" : " ") + value;
        return;
    }
    if (auto it = m_headerLines.find(where); it != m_headerLines.end()) {
        error(keyCol,
            "duplicate '" + std::string(rawKey) + ":'; the " + (lang == "zh" ? "Chinese " : "English ") + base
                + " was already given at line " + std::to_string(it->second));
        return;
    }
    m_headerLines[where] = m_diagnostics.line();
    field[lang] = value;
}

void Parser::readNarration(const std::string& lang, int keyCol, const std::string& text)
{
    if (!m_sawStep) {
        error(keyCol, "narration before the first step; use about: for the scenario's description");
        return;
    }
    if (text.empty()) {
        error(keyCol, "'" + lang + ":' needs text after the colon");
        return;
    }
    if (m_scenario.steps.empty())
        return; // the step it belongs to had errors, which are already reported
    // Narration attaches to the most recent step, even with header lines in between.
    std::string& narration = m_scenario.steps.back().narration[lang];
    narration += (narration.empty() ? "" : " ") + text;
}

void Parser::readStep(std::string_view content, const std::vector<Token>& tokens)
{
    const Token& keyword = tokens[0];
    m_sawStep = true;
    ++m_stepCount;
    if (m_stepCount > ScenarioLimits::kMaxSteps && !m_reportedSteps) {
        m_reportedSteps = true;
        error(keyword, "too many steps: a scenario may have at most " + std::to_string(ScenarioLimits::kMaxSteps));
    }

    const std::string word = lower(keyword.text);
    if (!isOneOf(word, kStepKeywords)) {
        error(keyword,
            "unknown step '" + keyword.text + "'" + suggestion(word, kStepKeywords)
                + "; expected one of: " + joinList(kStepKeywords));
        // Remember the name the broken line was about, so its later uses do not pile on errors.
        if (tokens.size() > 1)
            m_symbols.rememberUnread(tokens[1]);
        return;
    }

    Step step;
    step.pos = SourcePos { m_diagnostics.line(), keyword.col };
    step.text = std::string(content);
    if (m_steps.read(step, tokens))
        m_scenario.steps.push_back(std::move(step));
}

} // namespace

ParseOutcome parseScenario(std::string_view text, std::string name, std::string file)
{
    Parser parser(std::move(file));
    return parser.run(text, std::move(name));
}

} // namespace synack
