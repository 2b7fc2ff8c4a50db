// SPDX-License-Identifier: GPL-3.0-or-later
#include "run/recorder.h"

namespace synack {

Recorder::Recorder(std::function<void(const Event&)> onEvent)
    : m_onEvent(std::move(onEvent))
{
}

std::int64_t Recorder::nowNs() const
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - m_t0).count();
}

void Recorder::emitAt(std::int64_t t, EventData data)
{
    // Timestamps are monotonic and strictly ordered even when two events share a sample.
    if (!m_trace.events.empty() && t <= m_trace.events.back().tNs)
        t = m_trace.events.back().tNs + 1;
    m_trace.events.push_back(Event { t, m_step, std::move(data) });
    if (m_onEvent)
        m_onEvent(m_trace.events.back());
}

void Recorder::note(std::string text, NoteLevel level, int line)
{
    emit(NoteEvent { level, std::move(text), line });
}

} // namespace synack
