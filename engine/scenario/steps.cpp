// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenario/steps.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <span>
#include <string>
#include <string_view>

#include <sys/socket.h>

#include "scenario/expect.h"
#include "scenario/gatewords.h"
#include "scenario/sockoption.h"
#include "scenario/sysctls.h"
#include "scenario/text.h"

namespace synack {

namespace {

/// What the shared checks do with a step's key=value options.
enum class OptionRule {
    Checked, ///< only the spec's options, each once and with a value
    Deferred, ///< the reader checks them: set takes `set c linger=0` as well as `set c linger 0`
    NotSplit, ///< words are not split at '=': expect's comparisons look like options (`recvq>=1k`)
};

/// What a step's first word is, and how the shared checks treat it.
enum class Subject {
    Declare, ///< a name that must not be in use yet (socket)
    Create, ///< an endpoint, created by its first use (Access::Create)
    Act, ///< an endpoint that exists and is not closed (Access::Act)
    Observe, ///< an endpoint or NAME/peer, closed or not (Access::Observe)
    ByReader, ///< the reader decides: accept names two endpoints; wait's first word may be a duration
};

/// The reader counts the words itself: how many depends on what they say (set, wait, expect).
constexpr std::size_t kCountedByReader = 0;

constexpr std::array<std::string_view, 0> kNoOptions {};
constexpr std::array<std::string_view, 2> kAddressOptions = { "port", "addr" };
constexpr std::array<std::string_view, 3> kListenOptions = { "backlog", "port", "addr" };
constexpr std::array<std::string_view, 2> kFamilies = { "ipv4", "ipv6" };
constexpr std::array<std::string_view, 1> kSocketOptions = { "host" };
constexpr std::array<std::string_view, 2> kGateOptions = { "from", "seq" };

/// The words that may stand for a size in send and recv, and the Step flag each sets.
struct AmountWord {
    StepKind kind;
    std::string_view word;
    bool Step::*flag;
};
constexpr std::array<AmountWord, 3> kAmountWords = { {
    { StepKind::Send, "fill", &Step::fill },
    { StepKind::Recv, "all", &Step::all },
    { StepKind::Recv, "available", &Step::available },
} };

/// The words after the keyword, none taken as an option.
Args wordsAfterKeyword(const std::vector<Token>& tokens)
{
    Args args;
    args.words.assign(tokens.begin() + 1, tokens.end());
    return args;
}

} // namespace

struct StepReader::Spec {
    std::string_view keyword;
    StepKind kind;
    bool (StepReader::*read)(Line& line); ///< the keyword's own part, after the shared checks
    std::string_view usage;
    std::string_view needs; ///< what a line with too few words lacks: "KEYWORD needs NEEDS; usage: ..."
    std::size_t minWords = 1;
    std::size_t maxWords = kCountedByReader;
    Subject subject = Subject::Act;
    OptionRule optionRule = OptionRule::Checked;
    std::span<const std::string_view> options = kNoOptions; ///< the key= options allowed
    std::span<const std::string_view> secondWords {}; ///< if not empty, the only words allowed after the name

    /// "; usage: ...", the end of every message about the words of a line.
    std::string usageTail() const { return "; usage: " + std::string(usage); }
};

const StepReader::Spec* StepReader::findSpec(std::string_view keyword)
{
    using enum Subject;
    // One keyword to a row reads better than one field to a line.
    // clang-format off
    static constexpr std::array<Spec, 14> kSpecs = { {
        { .keyword = "socket", .kind = StepKind::Socket, .read = &StepReader::readSocket,
            .usage = "socket NAME [ipv6] [host=client|server]", .needs = "an endpoint name",
            .maxWords = 2, .subject = Declare, .options = kSocketOptions, .secondWords = kFamilies },
        { .keyword = "set", .kind = StepKind::Set, .read = &StepReader::readSet,
            .usage = "set NAME OPTION [VALUE]", .needs = "an endpoint and an option",
            .subject = Create, .optionRule = OptionRule::Deferred },
        { .keyword = "bind", .kind = StepKind::Bind, .read = &StepReader::readBindOrListen,
            .usage = "bind NAME [port=N|@OTHER] [addr=ADDR]", .needs = "an endpoint name",
            .maxWords = 1, .subject = Create, .options = kAddressOptions },
        { .keyword = "listen", .kind = StepKind::Listen, .read = &StepReader::readBindOrListen,
            .usage = "listen NAME [backlog=N] [port=N|@OTHER] [addr=ADDR]", .needs = "an endpoint name",
            .maxWords = 1, .subject = Create, .options = kListenOptions },
        { .keyword = "connect", .kind = StepKind::Connect, .read = &StepReader::readConnect,
            .usage = "connect NAME TARGET, or connect NAME port=N [addr=ADDR]", .needs = "an endpoint and a target",
            .maxWords = 2, .subject = Create, .options = kAddressOptions },
        { .keyword = "accept", .kind = StepKind::Accept, .read = &StepReader::readAccept,
            .usage = "accept LISTENER NEWNAME", .needs = "the listener and a new name for the connection",
            .minWords = 2, .maxWords = 2, .subject = ByReader },
        { .keyword = "send", .kind = StepKind::Send, .read = &StepReader::readTransfer,
            .usage = "send NAME BYTES|fill", .needs = "an endpoint and a size (or fill)",
            .minWords = 2, .maxWords = 2 },
        { .keyword = "recv", .kind = StepKind::Recv, .read = &StepReader::readTransfer,
            .usage = "recv NAME BYTES|all|available", .needs = "an endpoint and a size (or all, available)",
            .minWords = 2, .maxWords = 2 },
        { .keyword = "shutdown", .kind = StepKind::Shutdown, .read = &StepReader::readShutdown,
            .usage = "shutdown NAME rd|wr|rdwr", .needs = "an endpoint and rd, wr or rdwr",
            .minWords = 2, .maxWords = 2 },
        { .keyword = "close", .kind = StepKind::Close, .read = &StepReader::readClose,
            .usage = "close NAME", .needs = "an endpoint name",
            .maxWords = 1 },
        { .keyword = "wait", .kind = StepKind::Wait, .read = &StepReader::readWait,
            .usage = "wait DURATION, or wait NAME STATE [within DURATION]",
            .needs = "a duration or an endpoint and a state",
            .subject = ByReader },
        { .keyword = "expect", .kind = StepKind::Expect, .read = &StepReader::readExpect,
            .usage = "expect NAME STATE, or expect NAME QUANTITY [OP] VALUE", .needs = "an endpoint and what to check",
            .subject = Observe, .optionRule = OptionRule::NotSplit },
        { .keyword = "gate", .kind = StepKind::Gate, .read = &StepReader::readGate,
            .usage = "gate hold|pass|cut|mend, gate lose PATTERN, gate deliver|drop [all|newest] [PATTERN], "
                     "gate duplicate [newest] [PATTERN], gate wait [PATTERN] [within DURATION], gate delay DURATION; "
                     "PATTERN: [client>server|server>client] [from=NAME] [seq=N] [FLAGS]",
            .needs = "what to do (hold, pass, cut, mend, lose, deliver, drop, duplicate, wait, delay)",
            .subject = ByReader, .options = kGateOptions },
        { .keyword = "sysctl", .kind = StepKind::Sysctl, .read = &StepReader::readSysctlStep,
            .usage = "sysctl NAME VALUE, or sysctl ip_local_port_range LOW HIGH",
            .needs = "a setting and its value",
            .minWords = 1, .subject = ByReader, .optionRule = OptionRule::NotSplit },
    } };
    // clang-format on
    static_assert(
        [] {
            for (std::size_t i = 0; i < kSpecs.size(); ++i) {
                if (kSpecs[i].keyword != kStepKeywords[i])
                    return false;
            }
            return true;
        }(),
        "kSpecs must have one spec for each of kStepKeywords, in the same order");

    for (const Spec& spec : kSpecs) {
        if (spec.keyword == keyword)
            return &spec;
    }
    return nullptr;
}

StepReader::StepReader(Diagnostics& diagnostics, Symbols& symbols)
    : m_diagnostics(diagnostics)
    , m_symbols(symbols)
{
}

bool StepReader::read(Step& step, const std::vector<Token>& tokens)
{
    const Spec* spec = findSpec(lower(tokens[0].text));
    if (spec == nullptr)
        return false;
    step.kind = spec->kind;
    const Args args = spec->optionRule == OptionRule::NotSplit ? wordsAfterKeyword(tokens) : splitArgs(tokens);
    std::optional<Line> line = begin(*spec, step, args);
    return line && (this->*spec->read)(*line);
}

std::optional<StepReader::Line> StepReader::begin(const Spec& spec, Step& step, const Args& args)
{
    // The order of the checks is the order the problems are reported in, which matters once a file
    // reaches the limit on errors.
    Line line { spec, step, args };
    if (spec.optionRule == OptionRule::Checked)
        line.ok = line.optionsOk = checkOptions(spec, args);
    if (args.words.size() < spec.minWords) {
        m_diagnostics.error(
            step.pos.column, std::string(spec.keyword) + " needs " + std::string(spec.needs) + spec.usageTail());
        return std::nullopt;
    }

    const Token* name = spec.subject == Subject::ByReader ? nullptr : &args.words[0];
    if (spec.kind == StepKind::Expect && lower(name->text) == "gate") {
        step.endpoint = "gate"; // expect gate held|next: the wire, not an endpoint
    } else if (spec.subject == Subject::Observe) {
        step.endpoint = name->text;
        line.ok = m_symbols.observe(*name) && line.ok;
    } else if (name != nullptr) {
        if (!m_symbols.checkName(*name))
            return std::nullopt;
        step.endpoint = name->text;
    }
    if (!spec.secondWords.empty() && args.words.size() > 1 && !isOneOf(lower(args.words[1].text), spec.secondWords)) {
        unexpected(spec, args.words[1]);
        line.ok = false;
    }
    if (spec.maxWords != kCountedByReader && tooManyWords(spec, args, spec.maxWords))
        line.ok = false;

    switch (spec.subject) {
    case Subject::Declare:
        // An uncertain name (from a line that could not be read) may still be declared.
        line.endpoint = m_symbols.find(name->text);
        if (line.endpoint != nullptr && !line.endpoint->uncertain) {
            m_diagnostics.error(*name,
                "'" + name->text + "' already exists (created at line " + std::to_string(line.endpoint->createdLine)
                    + "); an explicit socket must come before any other use of the name");
            return std::nullopt;
        }
        if (line.endpoint == nullptr)
            line.endpoint = m_symbols.create(*name);
        break;
    case Subject::Create:
    case Subject::Act:
        line.endpoint = m_symbols.use(*name, spec.subject == Subject::Create ? Access::Create : Access::Act);
        if (line.endpoint == nullptr)
            line.ok = false;
        break;
    case Subject::Observe:
    case Subject::ByReader:
        break;
    }
    return line;
}

bool StepReader::checkOptions(const Spec& spec, const Args& args)
{
    const std::string usage = spec.usageTail();
    bool ok = true;
    for (std::size_t i = 0; i < args.options.size(); ++i) {
        const Option& o = args.options[i];
        if (o.key.empty()) {
            m_diagnostics.error(o.keyToken, "'=' without a name before it" + usage);
            ok = false;
        } else if (!isOneOf(o.key, spec.options)) {
            if (spec.options.empty())
                m_diagnostics.error(o.keyToken, std::string(spec.keyword) + " takes no key=value options" + usage);
            else
                m_diagnostics.error(o.keyToken,
                    "unknown option '" + o.keyToken.text + "=' for " + std::string(spec.keyword)
                        + suggestion(o.key, spec.options) + "; expected: " + joinList(spec.options, "="));
            ok = false;
        } else if (std::any_of(args.options.begin(), args.options.begin() + static_cast<std::ptrdiff_t>(i),
                       [&](const Option& earlier) { return earlier.key == o.key; })) {
            m_diagnostics.error(o.keyToken, o.key + "= is given twice");
            ok = false;
        } else if (o.value.text.empty()) {
            m_diagnostics.error(o.keyToken, o.key + "= needs a value" + usage);
            ok = false;
        }
    }
    return ok;
}

bool StepReader::tooManyWords(const Spec& spec, const Args& args, std::size_t max)
{
    if (args.words.size() <= max)
        return false;
    const Token& extra = args.words[max];
    // `listen srv backlog 3`: an option written as two words.
    const std::string key = lower(extra.text);
    if (isOneOf(key, spec.options)) {
        const std::string value = max + 1 < args.words.size() ? args.words[max + 1].text : std::string("N");
        m_diagnostics.error(extra, "'" + extra.text + "' is an option: write " + key + "=" + value + spec.usageTail());
        return true;
    }
    unexpected(spec, extra);
    return true;
}

void StepReader::unexpected(const Spec& spec, const Token& word)
{
    m_diagnostics.error(word, "unexpected '" + word.text + "'" + spec.usageTail());
}

bool StepReader::readSocket(Line& line)
{
    const Args& args = line.args;
    if (const Option* host = args.option("host"); host && line.optionsOk) {
        const std::string which = lower(host->value.text);
        if (which != "client" && which != "server") {
            m_diagnostics.error(host->value,
                "host= is client or server (the gated lab's two hosts), not '" + host->value.text + "'");
            return false;
        }
        line.step.host = which;
    }
    const int family = args.words.size() > 1 && lower(args.words[1].text) == "ipv6" ? AF_INET6 : AF_INET;
    m_symbols.noteFamily(line.endpoint, args.words[0].text, family,
        args.words.size() > 1 ? args.words[1] : args.words[0], "an " + familyName(family) + " socket");
    return line.ok;
}

bool StepReader::readSet(Line& line)
{
    const std::optional<OptionWords> written = readOptionWords(line);
    if (!written)
        return false;
    return readSockOption(line.step, written->option, written->value, m_diagnostics) && line.ok;
}

std::optional<StepReader::OptionWords> StepReader::readOptionWords(Line& line)
{
    const Args& args = line.args;
    const std::string usage = line.spec.usageTail();
    if (args.words.size() >= 2) {
        if (!checkOptions(line.spec, args))
            return std::nullopt;
        OptionWords out { args.words[1], {} };
        if (args.words.size() >= 3)
            out.value = args.words[2];
        if (tooManyWords(line.spec, args, 3))
            return std::nullopt;
        return out;
    }
    if (args.options.size() == 1 && !args.options[0].key.empty()) {
        const Option& o = args.options[0];
        if (o.value.text.empty()) {
            m_diagnostics.error(o.keyToken, o.key + "= needs a value" + usage);
            return std::nullopt;
        }
        return OptionWords { o.keyToken, o.value };
    }
    if (args.options.empty()) {
        m_diagnostics.error(line.step.pos.column,
            "set needs an option after the endpoint (" + joinList(sockOptionNames()) + ")" + usage);
        return std::nullopt;
    }
    m_diagnostics.error(args.options.size() > 1 ? args.options[1].keyToken : args.options[0].keyToken,
        "set takes one option per line" + usage);
    return std::nullopt;
}

bool StepReader::readBindOrListen(Line& line)
{
    Step& step = line.step;
    Endpoint* ep = line.endpoint;
    if (ep == nullptr)
        return false;
    const bool listen = step.kind == StepKind::Listen;
    const Token& name = line.args.words[0];
    bool ok = line.ok;
    if (listen && ep->connectLine != 0) {
        m_diagnostics.error(name,
            "'" + name.text + "' " + (ep->accepted ? "was accepted" : "connected") + " at line "
                + std::to_string(ep->connectLine) + "; a connected socket cannot listen");
        ok = false;
    }

    if (line.optionsOk) {
        int addrFamily = 0;
        if (const Option* o = line.args.option("addr")) {
            addrFamily = readAddr(step, *o);
            if (addrFamily == 0)
                ok = false;
            else
                noteAddrFamily(line, *o, addrFamily);
        }
        if (const Option* o = line.args.option("port")) {
            if (!readPort(step, *o, PortUse::Bind)) {
                ok = false;
            } else if (!step.other.empty() && addrFamily == 0) {
                // Taking another endpoint's port means using its kind of address, too.
                const Endpoint& other = *m_symbols.find(step.other);
                m_symbols.noteFamily(ep, name.text, other.family, o->value,
                    "the port of " + familyName(other.family) + " endpoint '" + step.other + "'");
            }
        }
        if (const Option* o = line.args.option("backlog")) {
            const Number n = parseCount(o->value.text);
            if (!n.ok()) {
                m_diagnostics.error(o->value, n.error);
                ok = false;
            } else if (n.value > ScenarioLimits::kMaxBacklog) {
                m_diagnostics.error(o->value,
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

bool StepReader::readConnect(Line& line)
{
    Step& step = line.step;
    const Args& args = line.args;
    Endpoint* ep = line.endpoint;
    if (ep == nullptr)
        return false;
    const Token& name = args.words[0];
    bool ok = line.ok;
    if (ep->listenLine != 0) {
        m_diagnostics.error(name,
            "'" + name.text + "' listens (since line " + std::to_string(ep->listenLine)
                + "); a listening socket cannot connect");
        ok = false;
    }
    if (ep->connectLine == 0)
        ep->connectLine = m_diagnostics.line();
    if (!line.optionsOk)
        return false;

    const std::string usage = line.spec.usageTail();
    const Option* portOption = args.option("port");
    const Option* addrOption = args.option("addr");
    std::optional<Token> target;
    if (args.words.size() > 1)
        target = args.words[1];
    if (target && portOption) {
        m_diagnostics.error(portOption->keyToken, "connect takes a target endpoint or port=N, not both" + usage);
        return false;
    }
    if (portOption && portOption->value.text.front() == '@') // port=@srv is another way to say srv
        target = Token { portOption->value.text.substr(1), portOption->value.col + 1 };
    if (target && addrOption) {
        m_diagnostics.error(addrOption->keyToken, "addr= goes with port=N; to connect to an endpoint, name it alone");
        return false;
    }
    if (!target && !portOption) {
        m_diagnostics.error(addrOption ? addrOption->keyToken.col : step.pos.column,
            "connect needs a target: an endpoint name or port=N" + usage);
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
    if (!readPort(step, *portOption, PortUse::Connect))
        return false;
    if (addrOption) {
        const int family = readAddr(step, *addrOption);
        if (family == 0)
            return false;
        noteAddrFamily(line, *addrOption, family);
    }
    return ok;
}

bool StepReader::readAccept(Line& line)
{
    Step& step = line.step;
    const Token& listener = line.args.words[0];
    const Token& newName = line.args.words[1];
    const bool listenerNameOk = m_symbols.checkName(listener);
    const bool newNameOk = m_symbols.checkName(newName);
    if (!listenerNameOk || !newNameOk)
        return false;
    step.endpoint = listener.text;
    step.other = newName.text;

    bool ok = line.ok;
    Endpoint* lis = m_symbols.use(listener, Access::Act);
    if (lis == nullptr) {
        ok = false;
    } else if (lis->listenLine == 0 && !lis->uncertain) {
        m_diagnostics.error(listener,
            "'" + listener.text + "' never listened; accept needs an endpoint that called listen (listen "
                + listener.text + " first)");
        ok = false;
    }
    const int family = lis != nullptr ? lis->family : 0;

    if (const Endpoint* existing = m_symbols.find(newName.text)) {
        if (!existing->uncertain) {
            m_diagnostics.error(newName,
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

bool StepReader::readTransfer(Line& line)
{
    Step& step = line.step;
    const Token& amount = line.args.words[1];
    const std::string word = lower(amount.text);
    std::vector<std::string_view> words; // the words this keyword takes instead of a size
    for (const AmountWord& w : kAmountWords) {
        if (w.kind != step.kind)
            continue;
        if (word == w.word) {
            step.*w.flag = true;
            return line.ok;
        }
        words.push_back(w.word);
    }
    const Number n = parseSize(amount.text);
    if (!n.ok()) {
        m_diagnostics.error(amount, n.error + " (or " + joinList(words) + ")");
        return false;
    }
    if (n.value > ScenarioLimits::kMaxBytes) {
        m_diagnostics.error(amount,
            std::string(line.spec.keyword) + " of " + amount.text + " is more than the limit of "
                + sizeText(ScenarioLimits::kMaxBytes) + " (" + std::to_string(ScenarioLimits::kMaxBytes) + " bytes)");
        return false;
    }
    step.bytes = n.value;
    return line.ok;
}

bool StepReader::readShutdown(Line& line)
{
    const Token& how = line.args.words[1];
    const std::string word = lower(how.text);
    if (word == "rd") {
        line.step.how = ShutdownHow::Rd;
    } else if (word == "wr") {
        line.step.how = ShutdownHow::Wr;
    } else if (word == "rdwr") {
        line.step.how = ShutdownHow::RdWr;
    } else {
        m_diagnostics.error(how, "unknown shutdown direction '" + how.text + "'; expected one of: rd, wr, rdwr");
        return false;
    }
    return line.ok;
}

bool StepReader::readClose(Line& line)
{
    if (line.endpoint == nullptr)
        return false;
    line.endpoint->closedLine = m_diagnostics.line();
    return line.ok;
}

bool StepReader::readWait(Line& line)
{
    Step& step = line.step;
    const Args& args = line.args;
    bool ok = line.ok;
    const Token& first = args.words[0];
    const char lead = first.text.front();
    if (std::isdigit(static_cast<unsigned char>(lead)) || lead == '.' || lead == '-') {
        if (tooManyWords(line.spec, args, 1))
            return false;
        const auto ms = readWaitDuration(first);
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
        m_diagnostics.error(step.pos.column,
            "wait " + first.text + " needs a state, e.g. wait " + first.text + " ESTABLISHED" + line.spec.usageTail());
        return false;
    }
    const auto state = readState(args.words[1], m_diagnostics);
    if (!state)
        return false;
    step.state = *state;
    step.valueText = args.words[1].text;
    step.durationMs = ScenarioLimits::kDefaultWaitStateMs;
    SourcePos boundPos = step.pos;
    if (args.words.size() > 2) {
        const Token& within = args.words[2];
        if (lower(within.text) != "within") {
            unexpected(line.spec, within);
            return false;
        }
        if (args.words.size() < 4) {
            m_diagnostics.error(within, "within needs a duration, e.g. within 2s");
            return false;
        }
        if (tooManyWords(line.spec, args, 4))
            return false;
        const auto ms = readWaitDuration(args.words[3]);
        if (!ms)
            return false;
        step.durationMs = *ms;
        boundPos = SourcePos { m_diagnostics.line(), args.words[3].col };
    }
    addWait(step.durationMs, boundPos);
    return ok;
}

bool StepReader::readExpect(Line& line)
{
    const std::span<const Token> words(line.args.words);
    return readExpectation(line.step, words[0], words.subspan(1), line.spec.usage, m_diagnostics) && line.ok;
}

bool StepReader::readGate(Line& line)
{
    static constexpr std::array<std::string_view, 10> kActions = { "hold", "pass", "cut", "mend", "lose", "deliver",
        "drop", "duplicate", "wait", "delay" };
    Step& step = line.step;
    const Args& args = line.args;
    const Token& verb = args.words[0];
    const std::string word = lower(verb.text);
    const auto* it = std::find(kActions.begin(), kActions.end(), word);
    if (it == kActions.end()) {
        m_diagnostics.error(verb,
            "unknown gate action '" + verb.text + "'" + suggestion(word, kActions) + "; expected one of: "
                + joinList(kActions) + line.spec.usageTail());
        return false;
    }
    step.gateAction = static_cast<GateAction>(it - kActions.begin());
    const bool picks = step.gateAction == GateAction::Deliver || step.gateAction == GateAction::Drop
        || step.gateAction == GateAction::Duplicate;
    if (step.gateAction == GateAction::Delay) {
        if (args.words.size() < 2) {
            m_diagnostics.error(verb, "gate delay needs a duration, e.g. gate delay 200ms (0ms ends the delay)");
            return false;
        }
        if (tooManyWords(line.spec, args, 2))
            return false;
        const Number ms = parseMilliseconds(args.words[1].text);
        if (!ms.ok() || ms.value > 1000) {
            m_diagnostics.error(args.words[1],
                ms.ok() ? "gate delay is at most 1s: a round trip must fit in the 2 s a step waits for the kernel to settle"
                        : ms.error);
            return false;
        }
        step.durationMs = ms.value;
        return line.ok;
    }
    const bool waits = step.gateAction == GateAction::Wait;
    const bool takesPattern = picks || waits || step.gateAction == GateAction::Lose;
    bool ok = line.ok;
    if (!takesPattern) {
        if (tooManyWords(line.spec, args, 1))
            return false;
        if (!args.options.empty()) {
            m_diagnostics.error(args.options[0].keyToken, "gate " + word + " takes no segment pattern" + line.spec.usageTail());
            return false;
        }
        return ok;
    }
    std::size_t i = 1;
    if (picks && i < args.words.size()) {
        const std::string which = lower(args.words[i].text);
        if (which == "all" && step.gateAction != GateAction::Duplicate) {
            step.all = true;
            ++i;
        } else if (which == "newest") {
            step.newest = true;
            ++i;
        } else if (which == "all" || which == "next") {
            if (which == "all") {
                m_diagnostics.error(args.words[i], "gate duplicate copies one segment; drop 'all'");
                return false;
            }
            ++i; // `deliver next SYN` reads as it is meant: next is what deliver does anyway
        }
    }
    std::string text;
    std::size_t end = args.words.size();
    if (waits) {
        step.durationMs = ScenarioLimits::kDefaultWaitStateMs;
        SourcePos boundPos = step.pos;
        for (std::size_t w = i; w < args.words.size(); ++w) {
            if (lower(args.words[w].text) != "within")
                continue;
            end = w;
            if (w + 1 >= args.words.size()) {
                m_diagnostics.error(args.words[w], "within needs a duration, e.g. within 2s");
                return false;
            }
            if (tooManyWords(line.spec, args, w + 2))
                return false;
            const auto ms = readWaitDuration(args.words[w + 1]);
            if (!ms)
                return false;
            step.durationMs = *ms;
            boundPos = SourcePos { m_diagnostics.line(), args.words[w + 1].col };
        }
        addWait(step.durationMs, boundPos);
    }
    for (; i < end; ++i) {
        if (!readPatternWord(args.words[i], step.pattern, m_diagnostics))
            ok = false;
        text += (text.empty() ? "" : " ") + args.words[i].text;
    }
    if (const Option* from = args.option("from"); from && line.optionsOk) {
        if (!m_symbols.checkName(from->value) || !m_symbols.observe(from->value))
            ok = false;
        step.pattern.from = from->value.text;
        text += (text.empty() ? "from=" : " from=") + from->value.text;
    }
    if (const Option* seq = args.option("seq"); seq && line.optionsOk) {
        const Number n = parseCount(seq->value.text);
        if (!n.ok() || n.value > 0xffffffffll) {
            m_diagnostics.error(seq->value, n.ok() ? "seq= is at most 4294967295" : n.error);
            ok = false;
        } else {
            step.pattern.seq = static_cast<std::uint32_t>(n.value);
        }
        text += (text.empty() ? "seq=" : " seq=") + seq->value.text;
    }
    step.pattern.text = text;
    if (step.gateAction == GateAction::Lose && step.pattern.seq) {
        m_diagnostics.error(verb, "gate lose takes no seq=: a rule is for segments not sent yet; drop a held one instead");
        return false;
    }
    if (step.gateAction == GateAction::Lose && step.pattern.any()) {
        m_diagnostics.error(verb,
            "gate lose needs a pattern (e.g. gate lose SYN); to lose every segment, cut the wire: gate cut");
        return false;
    }
    return ok;
}

bool StepReader::readSysctlStep(Line& line)
{
    // No endpoint: the setting is the namespace's, for every socket in it (made before or after).
    return readSysctl(line.step, line.args.words, line.spec.usage, m_diagnostics) && line.ok;
}

bool StepReader::readPort(Step& step, const Option& o, PortUse use)
{
    const std::string& text = o.value.text;
    if (text.front() == '@') {
        const Token name { text.substr(1), o.value.col + 1 };
        if (name.text.empty()) {
            m_diagnostics.error(o.value, "port=@ needs an endpoint name, e.g. port=@srv");
            return false;
        }
        if (!m_symbols.checkName(name))
            return false;
        if (!m_symbols.referToBound(name, use == PortUse::Connect ? "connecting to it" : "using port=@" + name.text))
            return false;
        step.other = name.text;
        return true;
    }
    const Number n = parsePort(text, use);
    if (!n.ok()) {
        m_diagnostics.error(o.value, n.error);
        return false;
    }
    step.port = static_cast<int>(n.value);
    return true;
}

int StepReader::readAddr(Step& step, const Option& o)
{
    const Parsed<Loopback> addr = parseLoopback(o.value.text);
    if (!addr.ok()) {
        m_diagnostics.error(o.value, addr.error);
        return 0;
    }
    step.address = addr.value.host;
    return addr.value.family;
}

void StepReader::noteAddrFamily(Line& line, const Option& addr, int family)
{
    m_symbols.noteFamily(line.endpoint, line.step.endpoint, family, addr.value,
        "the " + familyName(family) + " address " + addr.value.text);
}

std::optional<std::int64_t> StepReader::readWaitDuration(const Token& t)
{
    const Number n = parseDuration(t.text);
    if (!n.ok()) {
        m_diagnostics.error(t, n.error);
        return std::nullopt;
    }
    if (n.value <= 0) {
        m_diagnostics.error(t, "a wait must be longer than 0ms");
        return std::nullopt;
    }
    if (n.value > ScenarioLimits::kMaxWaitMs) {
        m_diagnostics.error(
            t, "a wait of " + t.text + " is longer than the limit of " + durationText(ScenarioLimits::kMaxWaitMs));
        return std::nullopt;
    }
    return n.value;
}

void StepReader::addWait(std::int64_t ms, SourcePos pos)
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

} // namespace synack
