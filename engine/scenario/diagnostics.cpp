// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenario/diagnostics.h"

#include <algorithm>
#include <utility>

namespace synack {

Diagnostics::Diagnostics(std::string file)
    : m_file(std::move(file))
{
}

bool Diagnostics::full() const
{
    return m_errors.size() >= static_cast<std::size_t>(ScenarioLimits::kMaxErrors);
}

void Diagnostics::errorAt(SourcePos pos, std::string message)
{
    if (!full())
        m_errors.push_back(Diagnostic { m_file, pos, std::move(message) });
}

std::vector<Diagnostic> Diagnostics::takeInLineOrder()
{
    // Checks that need the whole file (the title) add errors last; readers want them in order.
    std::stable_sort(m_errors.begin(), m_errors.end(), [](const Diagnostic& a, const Diagnostic& b) {
        return std::pair(a.pos.line, a.pos.column) < std::pair(b.pos.line, b.pos.column);
    });
    return std::move(m_errors);
}

} // namespace synack
