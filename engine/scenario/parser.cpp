// SPDX-License-Identifier: GPL-3.0-or-later
// The scenario language, read line by line. A line is a header (`title: ...`), narration
// (`en: ...`), or a step (`keyword NAME args key=value`). The checks that need the story so far
// (which endpoints exist, what they did, the limits) run as each step is read, so problems come out
// in line order and every one points at the token it is about.
#include "scenario/scenario.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <initializer_list>
#include <map>
#include <span>
#include <utility>

#include <sys/socket.h>

#include "scenario/diagnostics.h"
#include "scenario/expect.h"
#include "scenario/lexer.h"
#include "scenario/literals.h"
#include "scenario/symbols.h"
#include "scenario/text.h"

namespace synack {

namespace {

// Same order as kStepKeywords, so one index finds both.
constexpr std::array<StepKind, 12> kKeywordKinds
    = { StepKind::Socket, StepKind::Set, StepKind::Bind, StepKind::Listen, StepKind::Connect, StepKind::Accept,
          StepKind::Send, StepKind::Recv, StepKind::Shutdown, StepKind::Close, StepKind::Wait, StepKind::Expect };

// The names as the user may write them, from the one table in scenario.cpp.
std::vector<std::string> optionNames()
{
    std::vector<std::string> out;
    for (int i = 0; i <= static_cast<int>(SockOption::NonBlock); ++i)
        out.emplace_back(optionName(static_cast<SockOption>(i)));
    return out;
}

std::string usage(StepKind kind)
{
    switch (kind) {
    case StepKind::Socket:
        return "socket NAME [ipv6]";
    case StepKind::Set:
        return "set NAME OPTION [VALUE]";
    case StepKind::Bind:
        return "bind NAME [port=N|@OTHER] [addr=ADDR]";
    case StepKind::Listen:
        return "listen NAME [backlog=N] [port=N|@OTHER] [addr=ADDR]";
    case StepKind::Connect:
        return "connect NAME TARGET, or connect NAME port=N [addr=ADDR]";
    case StepKind::Accept:
        return "accept LISTENER NEWNAME";
    case StepKind::Send:
        return "send NAME BYTES|fill";
    case StepKind::Recv:
        return "recv NAME BYTES|all|available";
    case StepKind::Shutdown:
        return "shutdown NAME rd|wr|rdwr";
    case StepKind::Close:
        return "close NAME";
    case StepKind::Wait:
    case StepKind::WaitState:
        return "wait DURATION, or wait NAME STATE [within DURATION]";
    case StepKind::Expect:
        return "expect NAME STATE, or expect NAME QUANTITY [OP] VALUE";
    }
    return {};
}

class Parser {
public:
    explicit Parser(std::string file)
        : m_file(file)
        , m_diagnostics(std::move(file))
        , m_symbols(m_diagnostics)
    {
    }

    ParseOutcome run(std::string_view text, std::string name);

private:
    void error(int col, std::string message) { m_diagnostics.error(col, std::move(message)); }
    void error(const Token& t, std::string message) { m_diagnostics.error(t, std::move(message)); }

    void readLine(std::string_view raw);
    void readHeader(std::string_view key, int keyCol, std::string_view text);
    void readStep(std::string_view content, const std::vector<Token>& tokens);

    bool checkOptions(const Args& args, StepKind kind, std::initializer_list<std::string_view> allowed);
    bool tooManyWords(const Args& args, std::size_t max, StepKind kind);

    bool readPort(Step& step, const Option& o, bool forConnect);
    int readAddr(Step& step, const Option& o);
    void addWait(std::int64_t ms, SourcePos pos);

    bool readSocket(Step& step, const Args& args);
    bool readSet(Step& step, const Args& args);
    bool readBindOrListen(Step& step, const Args& args);
    bool readConnect(Step& step, const Args& args);
    bool readAccept(Step& step, const Args& args);
    bool readSend(Step& step, const Args& args);
    bool readRecv(Step& step, const Args& args);
    bool readShutdown(Step& step, const Args& args);
    bool readClose(Step& step, const Args& args);
    bool readWait(Step& step, const Args& args);
    bool readExpect(Step& step, const std::vector<Token>& tokens);

    std::string m_file;
    Diagnostics m_diagnostics;
    Symbols m_symbols;
    Scenario m_scenario;
    std::map<std::string, int> m_headerLines; ///< "title.en" -> line, for duplicates
    bool m_sawStep = false;
    int m_stepCount = 0;
    std::int64_t m_totalWaitMs = 0;
    bool m_reportedSteps = false;
    bool m_reportedTotalWait = false;
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
        if (!m_sawStep) {
            error(keyCol, "narration before the first step; use about: for the scenario's description");
            return;
        }
        if (value.empty()) {
            error(keyCol, "'" + key + ":' needs text after the colon");
            return;
        }
        if (m_scenario.steps.empty())
            return; // the step it belongs to had errors, which are already reported
        std::string& narration = m_scenario.steps.back().narration[key];
        narration += (narration.empty() ? "" : " ") + value;
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
    const auto* found = std::find(kStepKeywords.begin(), kStepKeywords.end(), word);
    if (found == kStepKeywords.end()) {
        error(keyword,
            "unknown step '" + keyword.text + "'" + suggestion(word, kStepKeywords)
                + "; expected one of: " + joinList(kStepKeywords));
        // Remember the name the broken line was about, so its later uses do not pile on errors.
        if (tokens.size() > 1)
            m_symbols.rememberUnread(tokens[1]);
        return;
    }

    Step step;
    step.kind = kKeywordKinds[static_cast<std::size_t>(found - kStepKeywords.begin())];
    step.pos = SourcePos { m_diagnostics.line(), keyword.col };
    step.text = std::string(content);

    bool ok = false;
    if (step.kind == StepKind::Expect) {
        ok = readExpect(step, tokens);
    } else {
        const Args args = splitArgs(tokens);
        switch (step.kind) {
        case StepKind::Socket:
            ok = readSocket(step, args);
            break;
        case StepKind::Set:
            ok = readSet(step, args);
            break;
        case StepKind::Bind:
        case StepKind::Listen:
            ok = readBindOrListen(step, args);
            break;
        case StepKind::Connect:
            ok = readConnect(step, args);
            break;
        case StepKind::Accept:
            ok = readAccept(step, args);
            break;
        case StepKind::Send:
            ok = readSend(step, args);
            break;
        case StepKind::Recv:
            ok = readRecv(step, args);
            break;
        case StepKind::Shutdown:
            ok = readShutdown(step, args);
            break;
        case StepKind::Close:
            ok = readClose(step, args);
            break;
        case StepKind::Wait:
            ok = readWait(step, args);
            break;
        default:
            break;
        }
    }
    if (ok)
        m_scenario.steps.push_back(std::move(step));
}

bool Parser::checkOptions(const Args& args, StepKind kind, std::initializer_list<std::string_view> allowed)
{
    bool ok = true;
    for (std::size_t i = 0; i < args.options.size(); ++i) {
        const Option& o = args.options[i];
        if (o.key.empty()) {
            error(o.keyToken, "'=' without a name before it; usage: " + usage(kind));
            ok = false;
        } else if (!isOneOf(o.key, allowed)) {
            const std::string kindName(stepKindName(kind));
            if (allowed.size() == 0)
                error(o.keyToken, kindName + " takes no key=value options; usage: " + usage(kind));
            else
                error(o.keyToken,
                    "unknown option '" + o.keyToken.text + "=' for " + kindName + suggestion(o.key, allowed)
                        + "; expected: " + joinList(allowed, "="));
            ok = false;
        } else if (std::any_of(args.options.begin(), args.options.begin() + static_cast<std::ptrdiff_t>(i),
                       [&](const Option& earlier) { return earlier.key == o.key; })) {
            error(o.keyToken, o.key + "= is given twice");
            ok = false;
        } else if (o.value.text.empty()) {
            error(o.keyToken, o.key + "= needs a value; usage: " + usage(kind));
            ok = false;
        }
    }
    return ok;
}

bool Parser::tooManyWords(const Args& args, std::size_t max, StepKind kind)
{
    if (args.words.size() <= max)
        return false;
    const Token& extra = args.words[max];
    // `listen srv backlog 3`: an option written as two words.
    static const std::map<StepKind, std::vector<std::string_view>> kOptions = {
        { StepKind::Bind, { "port", "addr" } },
        { StepKind::Listen, { "backlog", "port", "addr" } },
        { StepKind::Connect, { "port", "addr" } },
    };
    const std::string key = lower(extra.text);
    if (auto it = kOptions.find(kind); it != kOptions.end() && isOneOf(key, it->second)) {
        const std::string value = max + 1 < args.words.size() ? args.words[max + 1].text : std::string("N");
        error(extra, "'" + extra.text + "' is an option: write " + key + "=" + value + "; usage: " + usage(kind));
        return true;
    }
    error(extra, "unexpected '" + extra.text + "'; usage: " + usage(kind));
    return true;
}

bool Parser::readPort(Step& step, const Option& o, bool forConnect)
{
    const std::string& text = o.value.text;
    if (text.front() == '@') {
        const Token name { text.substr(1), o.value.col + 1 };
        if (name.text.empty()) {
            error(o.value, "port=@ needs an endpoint name, e.g. port=@srv");
            return false;
        }
        if (!m_symbols.checkName(name))
            return false;
        if (!m_symbols.referToBound(name, forConnect ? "connecting to it" : "using port=@" + name.text))
            return false;
        step.other = name.text;
        return true;
    }
    const Number n = parsePort(text, forConnect ? PortUse::Connect : PortUse::Bind);
    if (!n.ok()) {
        error(o.value, n.error);
        return false;
    }
    step.port = static_cast<int>(n.value);
    return true;
}

int Parser::readAddr(Step& step, const Option& o)
{
    const Parsed<Loopback> addr = parseLoopback(o.value.text);
    if (!addr.ok()) {
        error(o.value, addr.error);
        return 0;
    }
    step.address = addr.value.host;
    return addr.value.family;
}

void Parser::addWait(std::int64_t ms, SourcePos pos)
{
    m_totalWaitMs += ms;
    if (m_totalWaitMs > ScenarioLimits::kMaxTotalWaitMs && !m_reportedTotalWait) {
        m_reportedTotalWait = true;
        m_diagnostics.errorAt(pos,
            "the waits add up to " + durationText(m_totalWaitMs) + ", more than the limit of "
                + durationText(ScenarioLimits::kMaxTotalWaitMs) + " for a scenario (a wait for a state counts its "
                + "within bound, " + durationText(ScenarioLimits::kDefaultWaitStateMs) + " by default)");
    }
}

bool Parser::readSocket(Step& step, const Args& args)
{
    bool ok = checkOptions(args, step.kind, {});
    if (args.words.empty()) {
        error(step.pos.column, "socket needs an endpoint name; usage: " + usage(step.kind));
        return false;
    }
    const Token& name = args.words[0];
    if (!m_symbols.checkName(name))
        return false;
    step.endpoint = name.text;
    int family = AF_INET;
    if (args.words.size() > 1) {
        const std::string f = lower(args.words[1].text);
        if (f == "ipv6") {
            family = AF_INET6;
        } else if (f != "ipv4") {
            error(args.words[1], "unexpected '" + args.words[1].text + "'; usage: " + usage(step.kind));
            ok = false;
        }
    }
    ok = !tooManyWords(args, 2, step.kind) && ok;

    Endpoint* ep = m_symbols.find(name.text);
    if (ep != nullptr && !ep->uncertain) {
        error(name,
            "'" + name.text + "' already exists (created at line " + std::to_string(ep->createdLine)
                + "); an explicit socket must come before any other use of the name");
        return false;
    }
    if (ep == nullptr)
        ep = m_symbols.create(name);
    m_symbols.noteFamily(
        ep, name.text, family, args.words.size() > 1 ? args.words[1] : name, "an " + familyName(family) + " socket");
    return ok;
}

bool Parser::readSet(Step& step, const Args& args)
{
    if (args.words.empty()) {
        error(step.pos.column, "set needs an endpoint and an option; usage: " + usage(step.kind));
        return false;
    }
    const Token& name = args.words[0];
    if (!m_symbols.checkName(name))
        return false;
    step.endpoint = name.text;
    Endpoint* ep = m_symbols.use(name, Access::Create);

    // `set c linger 0` and `set c linger=0` both read naturally.
    Token optionToken;
    std::optional<Token> valueToken;
    if (args.words.size() >= 2) {
        if (!checkOptions(args, step.kind, {}))
            return false;
        optionToken = args.words[1];
        if (args.words.size() >= 3)
            valueToken = args.words[2];
        if (tooManyWords(args, 3, step.kind))
            return false;
    } else if (args.options.size() == 1 && !args.options[0].key.empty()) {
        optionToken = args.options[0].keyToken;
        if (args.options[0].value.text.empty()) {
            error(args.options[0].keyToken, args.options[0].key + "= needs a value; usage: " + usage(step.kind));
            return false;
        }
        valueToken = args.options[0].value;
    } else if (args.options.empty()) {
        error(step.pos.column,
            "set needs an option after the endpoint (" + joinList(optionNames()) + "); usage: " + usage(step.kind));
        return false;
    } else {
        error(args.options.size() > 1 ? args.options[1].keyToken : args.options[0].keyToken,
            "set takes one option per line; usage: " + usage(step.kind));
        return false;
    }

    const std::string optionWord = lower(optionToken.text);
    const auto option = optionFromName(optionWord);
    if (!option) {
        error(optionToken,
            "unknown option '" + optionToken.text + "'" + suggestion(optionWord, optionNames())
                + "; expected one of: " + joinList(optionNames()));
        return false;
    }
    step.option = *option;
    const std::string what = "set " + name.text + " " + optionWord;

    switch (*option) {
    case SockOption::ReuseAddr:
    case SockOption::KeepAlive:
    case SockOption::NoDelay:
    case SockOption::NonBlock: {
        if (!valueToken) {
            step.value = 1; // `set c nodelay` says what it means
            return ep != nullptr;
        }
        const std::string v = lower(valueToken->text);
        if (v != "on" && v != "off") {
            error(*valueToken, what + " takes on or off, not '" + valueToken->text + "'");
            return false;
        }
        step.value = v == "on" ? 1 : 0;
        return ep != nullptr;
    }
    default:
        break;
    }

    if (!valueToken) {
        const bool seconds = *option == SockOption::Linger || *option == SockOption::KeepIdle
            || *option == SockOption::KeepIntvl || *option == SockOption::DeferAccept;
        const bool bytes = *option == SockOption::SndBuf || *option == SockOption::RcvBuf;
        error(optionToken,
            what + " needs a value: "
                + (*option == SockOption::Linger ? "off or a number of seconds, e.g. set " + name.text + " linger 0"
                        : seconds                ? "a number of seconds, e.g. " + what + " 30"
                        : bytes                  ? "a number of bytes, e.g. " + what + " 4k"
                                                 : "a count, e.g. " + what + " 3"));
        return false;
    }
    const Token& value = *valueToken;
    auto inRange = [&](const Number& n, std::int64_t low, std::int64_t high, const std::string& unitText) {
        if (!n.ok()) {
            error(value, n.error);
            return false;
        }
        if (n.value < low || n.value > high) {
            error(value,
                what + " must be between " + std::to_string(low) + " and " + unitText + "; '" + value.text
                    + "' is out of range");
            return false;
        }
        step.value = n.value;
        return true;
    };
    const std::string maxSeconds = std::to_string(ScenarioLimits::kMaxSeconds) + " seconds";
    bool ok = false;
    switch (*option) {
    case SockOption::Linger:
        if (lower(value.text) == "off") {
            step.value = -1;
            ok = true;
        } else if (lower(value.text) == "on") {
            error(value, what + " takes off or a number of seconds (0 = reset the connection on close), not on");
        } else {
            ok = inRange(parseSeconds(value.text), 0, ScenarioLimits::kMaxSeconds, maxSeconds);
        }
        break;
    case SockOption::KeepIdle:
    case SockOption::KeepIntvl:
        ok = inRange(parseSeconds(value.text), 1, ScenarioLimits::kMaxSeconds, maxSeconds);
        break;
    case SockOption::DeferAccept:
        ok = inRange(parseSeconds(value.text), 0, ScenarioLimits::kMaxSeconds, maxSeconds);
        break;
    case SockOption::KeepCnt:
        ok = inRange(parseCount(value.text), 1, ScenarioLimits::kMaxKeepCnt,
            std::to_string(ScenarioLimits::kMaxKeepCnt) + " (the kernel's limit)");
        break;
    case SockOption::SndBuf:
    case SockOption::RcvBuf:
        ok = inRange(parseSize(value.text), 0, ScenarioLimits::kMaxBuf,
            sizeText(ScenarioLimits::kMaxBuf) + " (" + std::to_string(ScenarioLimits::kMaxBuf) + " bytes)");
        break;
    default:
        break;
    }
    return ok && ep != nullptr;
}

bool Parser::readBindOrListen(Step& step, const Args& args)
{
    const bool listen = step.kind == StepKind::Listen;
    const bool optionsOk = listen ? checkOptions(args, step.kind, { "backlog", "port", "addr" })
                                  : checkOptions(args, step.kind, { "port", "addr" });
    bool ok = optionsOk;
    if (args.words.empty()) {
        error(step.pos.column,
            std::string(stepKindName(step.kind)) + " needs an endpoint name; usage: " + usage(step.kind));
        return false;
    }
    const Token& name = args.words[0];
    if (!m_symbols.checkName(name))
        return false;
    step.endpoint = name.text;
    if (tooManyWords(args, 1, step.kind))
        ok = false;

    Endpoint* ep = m_symbols.use(name, Access::Create);
    if (ep == nullptr)
        return false;
    if (listen && ep->connectLine != 0) {
        error(name,
            "'" + name.text + "' " + (ep->accepted ? "was accepted" : "connected") + " at line "
                + std::to_string(ep->connectLine) + "; a connected socket cannot listen");
        ok = false;
    }

    if (optionsOk) {
        int addrFamily = 0;
        if (const Option* o = args.option("addr")) {
            addrFamily = readAddr(step, *o);
            if (addrFamily == 0)
                ok = false;
            else
                m_symbols.noteFamily(
                    ep, name.text, addrFamily, o->value, "the " + familyName(addrFamily) + " address " + o->value.text);
        }
        if (const Option* o = args.option("port")) {
            if (!readPort(step, *o, false)) {
                ok = false;
            } else if (!step.other.empty() && addrFamily == 0) {
                // Taking another endpoint's port means using its kind of address, too.
                const Endpoint& other = *m_symbols.find(step.other);
                m_symbols.noteFamily(ep, name.text, other.family, o->value,
                    "the port of " + familyName(other.family) + " endpoint '" + step.other + "'");
            }
        }
        if (const Option* o = args.option("backlog")) {
            const Number n = parseCount(o->value.text);
            if (!n.ok()) {
                error(o->value, n.error);
                ok = false;
            } else if (n.value > ScenarioLimits::kMaxBacklog) {
                error(o->value,
                    "backlog " + o->value.text + " is more than the limit of "
                        + std::to_string(ScenarioLimits::kMaxBacklog));
                ok = false;
            } else {
                step.backlog = static_cast<int>(n.value);
            }
        }
    }
    if (!listen && !step.port && step.other.empty())
        step.port = 0;

    // Even a line with errors gives the name an address, so later lines are not blamed for it.
    if (ep->boundLine == 0)
        ep->boundLine = m_diagnostics.line();
    if (listen && ep->listenLine == 0)
        ep->listenLine = m_diagnostics.line();
    return ok;
}

bool Parser::readConnect(Step& step, const Args& args)
{
    const bool optionsOk = checkOptions(args, step.kind, { "port", "addr" });
    bool ok = optionsOk;
    if (args.words.empty()) {
        error(step.pos.column, "connect needs an endpoint and a target; usage: " + usage(step.kind));
        return false;
    }
    const Token& name = args.words[0];
    if (!m_symbols.checkName(name))
        return false;
    step.endpoint = name.text;
    if (tooManyWords(args, 2, step.kind))
        ok = false;

    Endpoint* ep = m_symbols.use(name, Access::Create);
    if (ep == nullptr)
        return false;
    if (ep->listenLine != 0) {
        error(name,
            "'" + name.text + "' listens (since line " + std::to_string(ep->listenLine)
                + "); a listening socket cannot connect");
        ok = false;
    }
    if (ep->connectLine == 0)
        ep->connectLine = m_diagnostics.line();
    if (!optionsOk)
        return false;

    const Option* portOption = args.option("port");
    const Option* addrOption = args.option("addr");
    std::optional<Token> target;
    if (args.words.size() > 1)
        target = args.words[1];
    if (target && portOption) {
        error(portOption->keyToken, "connect takes a target endpoint or port=N, not both; usage: " + usage(step.kind));
        return false;
    }
    if (portOption && portOption->value.text.front() == '@') // port=@srv is another way to say srv
        target = Token { portOption->value.text.substr(1), portOption->value.col + 1 };
    if (target && addrOption) {
        error(addrOption->keyToken, "addr= goes with port=N; to connect to an endpoint, name it alone");
        return false;
    }
    if (!target && !portOption) {
        error(addrOption ? addrOption->keyToken.col : step.pos.column,
            "connect needs a target: an endpoint name or port=N; usage: " + usage(step.kind));
        return false;
    }

    if (target) {
        if (!m_symbols.checkName(*target))
            return false;
        Endpoint* other = m_symbols.referToBound(*target, "connecting to it");
        if (other == nullptr)
            return false;
        step.other = target->text;
        m_symbols.noteFamily(
            ep, name.text, other->family, *target, familyName(other->family) + " endpoint '" + target->text + "'");
        return ok;
    }
    if (!readPort(step, *portOption, true))
        return false;
    if (addrOption) {
        const int family = readAddr(step, *addrOption);
        if (family == 0)
            return false;
        m_symbols.noteFamily(ep, name.text, family, addrOption->value,
            "the " + familyName(family) + " address " + addrOption->value.text);
    }
    return ok;
}

bool Parser::readAccept(Step& step, const Args& args)
{
    bool ok = checkOptions(args, step.kind, {});
    if (args.words.size() < 2) {
        error(
            step.pos.column, "accept needs the listener and a new name for the connection; usage: " + usage(step.kind));
        return false;
    }
    const Token& listener = args.words[0];
    const Token& newName = args.words[1];
    if (tooManyWords(args, 2, step.kind))
        ok = false;
    const bool listenerNameOk = m_symbols.checkName(listener);
    const bool newNameOk = m_symbols.checkName(newName);
    if (!listenerNameOk || !newNameOk)
        return false;
    step.endpoint = listener.text;
    step.other = newName.text;

    Endpoint* lis = m_symbols.use(listener, Access::Act);
    if (lis == nullptr) {
        ok = false;
    } else if (lis->listenLine == 0 && !lis->uncertain) {
        error(listener,
            "'" + listener.text + "' never listened; accept needs an endpoint that called listen (listen "
                + listener.text + " first)");
        ok = false;
    }
    int family = lis != nullptr ? lis->family : 0;

    if (const Endpoint* existing = m_symbols.find(newName.text)) {
        if (!existing->uncertain) {
            error(newName,
                "'" + newName.text + "' already exists (created at line " + std::to_string(existing->createdLine)
                    + "); accept needs a new name for the connection");
        }
        return false;
    }
    Endpoint* conn = m_symbols.create(newName);
    conn->accepted = true;
    conn->connectLine = m_diagnostics.line();
    conn->boundLine = m_diagnostics.line(); // it has the listener's address
    conn->family = family;
    conn->familyLine = m_diagnostics.line();
    return ok;
}

bool Parser::readSend(Step& step, const Args& args)
{
    bool ok = checkOptions(args, step.kind, {});
    if (args.words.size() < 2) {
        error(step.pos.column, "send needs an endpoint and a size (or fill); usage: " + usage(step.kind));
        return false;
    }
    const Token& name = args.words[0];
    if (!m_symbols.checkName(name))
        return false;
    step.endpoint = name.text;
    if (tooManyWords(args, 2, step.kind))
        ok = false;
    if (m_symbols.use(name, Access::Act) == nullptr)
        ok = false;

    const Token& amount = args.words[1];
    if (lower(amount.text) == "fill") {
        step.fill = true;
        return ok;
    }
    const Number n = parseSize(amount.text);
    if (!n.ok()) {
        error(amount, n.error + " (or fill)");
        return false;
    }
    if (n.value > ScenarioLimits::kMaxBytes) {
        error(amount,
            "send of " + amount.text + " is more than the limit of " + sizeText(ScenarioLimits::kMaxBytes) + " ("
                + std::to_string(ScenarioLimits::kMaxBytes) + " bytes)");
        return false;
    }
    step.bytes = n.value;
    return ok;
}

bool Parser::readRecv(Step& step, const Args& args)
{
    bool ok = checkOptions(args, step.kind, {});
    if (args.words.size() < 2) {
        error(step.pos.column, "recv needs an endpoint and a size (or all, available); usage: " + usage(step.kind));
        return false;
    }
    const Token& name = args.words[0];
    if (!m_symbols.checkName(name))
        return false;
    step.endpoint = name.text;
    if (tooManyWords(args, 2, step.kind))
        ok = false;
    if (m_symbols.use(name, Access::Act) == nullptr)
        ok = false;

    const Token& amount = args.words[1];
    const std::string word = lower(amount.text);
    if (word == "all") {
        step.all = true;
        return ok;
    }
    if (word == "available") {
        step.available = true;
        return ok;
    }
    const Number n = parseSize(amount.text);
    if (!n.ok()) {
        error(amount, n.error + " (or all, available)");
        return false;
    }
    if (n.value > ScenarioLimits::kMaxBytes) {
        error(amount,
            "recv of " + amount.text + " is more than the limit of " + sizeText(ScenarioLimits::kMaxBytes) + " ("
                + std::to_string(ScenarioLimits::kMaxBytes) + " bytes)");
        return false;
    }
    step.bytes = n.value;
    return ok;
}

bool Parser::readShutdown(Step& step, const Args& args)
{
    bool ok = checkOptions(args, step.kind, {});
    if (args.words.size() < 2) {
        error(step.pos.column, "shutdown needs an endpoint and rd, wr or rdwr; usage: " + usage(step.kind));
        return false;
    }
    const Token& name = args.words[0];
    if (!m_symbols.checkName(name))
        return false;
    step.endpoint = name.text;
    if (tooManyWords(args, 2, step.kind))
        ok = false;
    if (m_symbols.use(name, Access::Act) == nullptr)
        ok = false;

    const Token& how = args.words[1];
    const std::string word = lower(how.text);
    if (word == "rd")
        step.how = ShutdownHow::Rd;
    else if (word == "wr")
        step.how = ShutdownHow::Wr;
    else if (word == "rdwr")
        step.how = ShutdownHow::RdWr;
    else {
        error(how, "unknown shutdown direction '" + how.text + "'; expected one of: rd, wr, rdwr");
        return false;
    }
    return ok;
}

bool Parser::readClose(Step& step, const Args& args)
{
    bool ok = checkOptions(args, step.kind, {});
    if (args.words.empty()) {
        error(step.pos.column, "close needs an endpoint name; usage: " + usage(step.kind));
        return false;
    }
    const Token& name = args.words[0];
    if (!m_symbols.checkName(name))
        return false;
    step.endpoint = name.text;
    if (tooManyWords(args, 1, step.kind))
        ok = false;
    Endpoint* ep = m_symbols.use(name, Access::Act);
    if (ep == nullptr)
        return false;
    ep->closedLine = m_diagnostics.line();
    return ok;
}

bool Parser::readWait(Step& step, const Args& args)
{
    bool ok = checkOptions(args, step.kind, {});
    if (args.words.empty()) {
        error(step.pos.column, "wait needs a duration or an endpoint and a state; usage: " + usage(step.kind));
        return false;
    }
    auto checkDuration = [&](const Token& t) -> std::optional<std::int64_t> {
        const Number n = parseDuration(t.text);
        if (!n.ok()) {
            error(t, n.error);
            return std::nullopt;
        }
        if (n.value <= 0) {
            error(t, "a wait must be longer than 0ms");
            return std::nullopt;
        }
        if (n.value > ScenarioLimits::kMaxWaitMs) {
            error(
                t, "a wait of " + t.text + " is longer than the limit of " + durationText(ScenarioLimits::kMaxWaitMs));
            return std::nullopt;
        }
        return n.value;
    };

    const Token& first = args.words[0];
    const char lead = first.text.front();
    if (std::isdigit(static_cast<unsigned char>(lead)) || lead == '.' || lead == '-') {
        if (tooManyWords(args, 1, step.kind))
            return false;
        const auto ms = checkDuration(first);
        if (!ms)
            return false;
        step.durationMs = *ms;
        addWait(*ms, SourcePos { m_diagnostics.line(), first.col });
        return ok;
    }

    step.kind = StepKind::WaitState;
    step.endpoint = first.text;
    if (!m_symbols.observe(first))
        ok = false;
    if (args.words.size() < 2) {
        error(step.pos.column,
            "wait " + first.text + " needs a state, e.g. wait " + first.text
                + " ESTABLISHED; usage: " + usage(step.kind));
        return false;
    }
    const Token& stateToken = args.words[1];
    const auto state = readState(stateToken, m_diagnostics);
    if (!state)
        return false;
    step.state = *state;
    step.valueText = stateToken.text;
    step.durationMs = ScenarioLimits::kDefaultWaitStateMs;
    SourcePos boundPos = step.pos;
    if (args.words.size() > 2) {
        const Token& within = args.words[2];
        if (lower(within.text) != "within") {
            error(within, "unexpected '" + within.text + "'; usage: " + usage(step.kind));
            return false;
        }
        if (args.words.size() < 4) {
            error(within, "within needs a duration, e.g. within 2s");
            return false;
        }
        if (tooManyWords(args, 4, step.kind))
            return false;
        const auto ms = checkDuration(args.words[3]);
        if (!ms)
            return false;
        step.durationMs = *ms;
        boundPos = SourcePos { m_diagnostics.line(), args.words[3].col };
    }
    addWait(step.durationMs, boundPos);
    return ok;
}

bool Parser::readExpect(Step& step, const std::vector<Token>& tokens)
{
    if (tokens.size() < 2) {
        error(step.pos.column, "expect needs an endpoint and what to check; usage: " + usage(step.kind));
        return false;
    }
    const Token& name = tokens[1];
    step.endpoint = name.text;
    const bool ok = m_symbols.observe(name);
    return readExpectation(step, name, std::span(tokens).subspan(2), usage(step.kind), m_diagnostics) && ok;
}

} // namespace

ParseOutcome parseScenario(std::string_view text, std::string name, std::string file)
{
    Parser parser(std::move(file));
    return parser.run(text, std::move(name));
}

} // namespace synack
