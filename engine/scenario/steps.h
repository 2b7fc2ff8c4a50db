// SPDX-License-Identifier: GPL-3.0-or-later
// The steps of a scenario. Each keyword has a spec (its usage, how many words it takes, which key=
// options it allows, and whether it creates, acts on or only observes its endpoint), so the checks
// every step shares run once, from the spec; then the keyword's own reader takes the rest.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "scenario/diagnostics.h"
#include "scenario/lexer.h"
#include "scenario/literals.h"
#include "scenario/scenario.h"
#include "scenario/symbols.h"

namespace synack {

/// Reads step lines into Steps, checking each against what the lines before it did with its
/// endpoints (`symbols`) and against the limits on waiting. Problems go to `diagnostics`.
class StepReader {
public:
    StepReader(Diagnostics& diagnostics, Symbols& symbols);

    /// Reads the step whose keyword (any case) is `tokens[0]`, one of kStepKeywords, into `step`, whose
    /// pos and text the caller has set. False when the line has an error: then `step` is to be dropped.
    bool read(Step& step, const std::vector<Token>& tokens);

private:
    struct Spec;
    /// A step line as its reader gets it, with what the shared checks found.
    struct Line {
        const Spec& spec;
        Step& step;
        const Args& args;
        bool ok = true; ///< the shared checks found nothing wrong
        bool optionsOk = true; ///< the key= options are known, given once and have values
        Endpoint* endpoint = nullptr; ///< the endpoint the step names, when the spec names one and it may be used
    };

    static const Spec* findSpec(std::string_view keyword);
    /// The checks every step shares, run from its spec; nullopt when the line cannot be read further.
    std::optional<Line> begin(const Spec& spec, Step& step, const Args& args);
    bool checkOptions(const Spec& spec, const Args& args);
    bool tooManyWords(const Spec& spec, const Args& args, std::size_t max);
    void unexpected(const Spec& spec, const Token& word);

    bool readSocket(Line& line);
    bool readSet(Line& line);
    bool readBindOrListen(Line& line);
    bool readConnect(Line& line);
    bool readAccept(Line& line);
    bool readTransfer(Line& line);
    bool readShutdown(Line& line);
    bool readClose(Line& line);
    bool readWait(Line& line);
    bool readExpect(Line& line);
    bool readGate(Line& line);
    bool readSysctlStep(Line& line);

    /// set's OPTION and VALUE, written `set c linger 0` or `set c linger=0`.
    struct OptionWords {
        Token option;
        std::optional<Token> value;
    };
    std::optional<OptionWords> readOptionWords(Line& line);
    bool readPort(Step& step, const Option& o, PortUse use);
    int readAddr(Step& step, const Option& o);
    void noteAddrFamily(Line& line, const Option& addr, int family);
    std::optional<std::int64_t> readWaitDuration(const Token& t);
    void addWait(std::int64_t ms, SourcePos pos);

    Diagnostics& m_diagnostics;
    Symbols& m_symbols;
    std::int64_t m_totalWaitMs = 0;
    bool m_reportedTotalWait = false;
};

} // namespace synack
