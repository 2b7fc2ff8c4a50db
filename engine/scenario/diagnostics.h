// SPDX-License-Identifier: GPL-3.0-or-later
// Where the readers of a scenario file put the problems they find.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "scenario/lexer.h"
#include "scenario/scenario.h"

namespace synack {

/// The problems found in one file, at most ScenarioLimits::kMaxErrors of them: past that, a file is
/// more likely not a scenario at all than a scenario with many mistakes.
class Diagnostics {
public:
    explicit Diagnostics(std::string file);

    /// The line being read, 1-based; errors given by column are reported on it.
    int line() const { return m_line; }
    void nextLine() { ++m_line; }

    /// No more problems are kept.
    bool full() const;
    bool empty() const { return m_errors.empty(); }

    void error(int column, std::string message) { errorAt(SourcePos { m_line, column }, std::move(message)); }
    void error(const Token& at, std::string message) { error(at.col, std::move(message)); }
    void errorAt(SourcePos pos, std::string message);

    /// Every problem kept, in line and column order (those found at the same place in the order found).
    std::vector<Diagnostic> takeInLineOrder();

private:
    std::string m_file;
    int m_line = 0;
    std::vector<Diagnostic> m_errors;
};

} // namespace synack
