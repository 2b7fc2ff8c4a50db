// SPDX-License-Identifier: GPL-3.0-or-later
// The order a student reads a ladder in, checked on a trace: a state change that a segment
// causes comes after that segment and before the endpoint's next segment; a state change that
// sends a segment comes before it. Written from RFC 9293 3.5-3.6 on its own, not from the
// runner's tables, so that a mistake in one is not repeated in the other.
#pragma once

#include <QDir>
#include <QFile>
#include <QString>
#include <QStringList>

#include <cerrno>
#include <map>
#include <string>

#include "trace/trace.h"

namespace synack::test {

/// The segment kind a state change receives (is caused by) or sends, "" for none.
struct SegmentRoleOf {
    const char* receives = "";
    const char* sends = "";
};

inline SegmentRoleOf rfcRole(const std::optional<TcpState>& fromState, TcpState toState)
{
    const std::string from = fromState ? std::string(stateName(*fromState)) : std::string();
    const std::string to(stateName(toState));
    static const std::map<std::pair<std::string, std::string>, SegmentRoleOf> kTable = {
        { { "CLOSE", "SYN_SENT" }, { "", "SYN" } },
        { { "", "SYN_RECV" }, { "SYN", "SYN,ACK" } },
        { { "LISTEN", "SYN_RECV" }, { "SYN", "SYN,ACK" } },
        { { "SYN_SENT", "ESTABLISHED" }, { "SYN,ACK", "ACK" } },
        { { "SYN_RECV", "ESTABLISHED" }, { "ACK", "" } },
        { { "ESTABLISHED", "FIN_WAIT1" }, { "", "FIN" } },
        { { "ESTABLISHED", "CLOSE_WAIT" }, { "FIN", "" } },
        { { "FIN_WAIT1", "FIN_WAIT2" }, { "ACK", "" } },
        { { "FIN_WAIT1", "CLOSING" }, { "FIN", "" } },
        { { "FIN_WAIT1", "TIME_WAIT" }, { "FIN", "" } },
        { { "FIN_WAIT2", "TIME_WAIT" }, { "FIN", "" } },
        { { "CLOSING", "TIME_WAIT" }, { "ACK", "" } },
        { { "CLOSE_WAIT", "LAST_ACK" }, { "", "FIN" } },
        { { "LAST_ACK", "CLOSE" }, { "ACK", "" } },
        { { "SYN_SENT", "CLOSE" }, { "RST", "" } },
    };
    auto it = kTable.find({ from, to });
    return it == kTable.end() ? SegmentRoleOf {} : it->second;
}

/// Whether a segment's flags make it of `kind`: "SYN" (without ACK), "SYN,ACK", "FIN", "RST",
/// or "ACK" (any acknowledging segment that is not a SYN).
inline bool segmentIs(const SegmentEvent& s, const std::string& kind)
{
    // Written from the flags' text, as a reader of the trace would, not from the engine's kinds.
    auto has = [&](const char* f) { return (QStringLiteral(",") + QString::fromStdString(s.flagsText()) + QStringLiteral(","))
                                        .contains(QStringLiteral(",%1,").arg(QLatin1String(f))); };
    if (kind == "SYN")
        return has("SYN") && !has("ACK");
    if (kind == "SYN,ACK")
        return has("SYN") && has("ACK");
    if (kind == "FIN")
        return has("FIN");
    if (kind == "RST")
        return has("RST");
    if (kind == "ACK")
        return has("ACK") && !has("SYN");
    return false;
}

/// Every place where `trace` draws a state change out of order with its segments, one line each.
inline QStringList orderingViolations(const Trace& trace)
{
    QStringList out;
    const auto& ev = trace.events;
    std::map<std::string, std::size_t> previousChange; // endpoint -> index of its last state change
    for (std::size_t i = 0; i < ev.size(); ++i) {
        const auto* st = ev[i].as<StateEvent>();
        if (!st)
            continue;
        const std::size_t since = previousChange.count(st->endpoint) ? previousChange[st->endpoint] : 0;
        previousChange[st->endpoint] = i;
        const SegmentRoleOf role = rfcRole(st->from, st->to);
        const QString what = QStringLiteral("event %1: %2 %3 -> %4")
                                 .arg(i)
                                 .arg(QString::fromStdString(st->endpoint),
                                     QString::fromStdString(st->from ? std::string(stateName(*st->from)) : ""),
                                     QString::fromStdString(std::string(stateName(st->to))));
        // SYN_SENT -> CLOSE without an RST: the application closed the socket (it is gone), or
        // the kernel gave up on its SYNs (connect() returns ETIMEDOUT right after).
        bool noSegmentNeeded = false;
        if (st->from == TcpState::SynSent && st->to == TcpState::Close) {
            noSegmentNeeded = st->gone;
            for (std::size_t j = i + 1; j < ev.size() && j < i + 8; ++j)
                if (const auto* step = ev[j].as<StepEvent>(); step && step->endpoint == st->endpoint && step->err == ETIMEDOUT)
                    noSegmentNeeded = true;
        }
        if (*role.receives && !noSegmentNeeded) {
            // The cause: the last such segment to this endpoint since its previous change that
            // reached it: at once, or when the gate delivered it.
            std::map<std::int64_t, const SegmentEvent*> byFrame;
            for (std::size_t j = 0; j < i; ++j)
                if (const auto* s = ev[j].as<SegmentEvent>(); s && s->frame > 0)
                    byFrame[s->frame] = s;
            auto arrives = [](const SegmentEvent& s) {
                return s.fate.empty() || s.fate == "passed" || s.fate == "copy" || s.fate == "delayed";
            };
            std::size_t cause = 0;
            bool found = false;
            for (std::size_t j = since; j < i; ++j) {
                const SegmentEvent* s = ev[j].as<SegmentEvent>();
                if (s && !arrives(*s))
                    s = nullptr;
                if (const auto* g = ev[j].as<GateEvent>(); g && g->action == "deliver" && byFrame.count(g->frame))
                    s = byFrame[g->frame];
                if (s && s->to == st->endpoint && segmentIs(*s, role.receives))
                    cause = j, found = true;
            }
            if (!found) {
                out << what + QStringLiteral(" comes before the %1 that causes it").arg(QLatin1String(role.receives));
            } else {
                for (std::size_t j = cause + 1; j < i; ++j)
                    if (const auto* s = ev[j].as<SegmentEvent>(); s && s->from == st->endpoint)
                        out << what
                                + QStringLiteral(" comes after %1's own %2 (event %3), sent after the change")
                                      .arg(QString::fromStdString(st->endpoint), QString::fromStdString(s->flagsText()))
                                      .arg(j);
            }
        }
        if (*role.sends) {
            for (std::size_t j = since; j < i; ++j)
                if (const auto* s = ev[j].as<SegmentEvent>(); s && s->from == st->endpoint && segmentIs(*s, role.sends))
                    out << what
                            + QStringLiteral(" comes after the %1 it sends (event %2)")
                                  .arg(QLatin1String(role.sends))
                                  .arg(j);
        }
    }
    return out;
}

/// The order violations of `trace` as one failure message, or an empty string when there are
/// none. On a violation the whole trace is kept (loadable in the window) in the temporary
/// directory as synack-TAG-out-of-order.json, for whoever investigates.
inline QString orderingFailure(const Trace& trace, const QString& tag)
{
    const QStringList order = orderingViolations(trace);
    if (order.isEmpty())
        return {};
    QFile keep(QDir::temp().filePath(QStringLiteral("synack-%1-out-of-order.json").arg(tag)));
    if (keep.open(QIODevice::WriteOnly))
        keep.write(QByteArray::fromStdString(traceToJson(trace)));
    return tag + QStringLiteral(" (trace kept in ") + keep.fileName() + QStringLiteral("):\n  ")
        + order.join(QStringLiteral("\n  "));
}

} // namespace synack::test
