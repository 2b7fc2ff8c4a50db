// SPDX-License-Identifier: GPL-3.0-or-later
// Golden traces: a built-in's run reduced to what must stay the same (see tests/golden/README.md),
// compared with the checked-in file after the kernel's own run-to-run variation, written down in
// tests/golden/variation.txt, has been allowed for on both sides.
#pragma once

#include <QFile>
#include <QString>
#include <QStringList>
#include <QTextStream>

#include <cstdlib>
#include <optional>
#include <set>

#include "trace/trace.h"

namespace synack::test {

/// The allowances variation.txt gives `scenario` in `tier` ("host-loopback" or "lab").
inline std::set<QString> goldenAllowances(const QString& scenario, const QString& tier)
{
    std::set<QString> out;
    QFile f(QStringLiteral(SYNACK_SOURCE_DIR "/tests/golden/variation.txt"));
    if (!f.open(QIODevice::ReadOnly))
        return out;
    QTextStream in(&f);
    while (!in.atEnd()) {
        const QString line = in.readLine().trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        const QStringList w = line.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        if (w.size() < 3)
            continue;
        const bool scenarioMatches = w[0] == QLatin1String("*") || w[0] == scenario;
        const bool tierMatches = w[1] == QLatin1String("*") || w[1] == tier;
        if (scenarioMatches && tierMatches)
            out.insert(w[2]);
    }
    return out;
}

/// The trace as golden lines, with the allowances applied.
inline QStringList goldenLines(const Trace& t, const std::set<QString>& allow)
{
    QStringList out;
    const auto qs = [](const std::string& s) { return QString::fromStdString(s); };
    for (const Event& e : t.events) {
        const QString step = QString::number(e.step);
        if (const auto* s = e.as<StepEvent>()) {
            out << QStringLiteral("%1 step %2 %3 %4 = %5 %6")
                       .arg(step, qs(s->endpoint), qs(s->call), qs(std::string(phaseName(s->phase))))
                       .arg(s->result)
                       .arg(qs(errnoName(s->err)));
        } else if (const auto* st = e.as<StateEvent>()) {
            QString line = QStringLiteral("%1 state %2 %3 -> %4")
                               .arg(step, qs(st->endpoint),
                                   st->from ? qs(std::string(stateName(*st->from))) : QStringLiteral("-"),
                                   qs(std::string(stateName(st->to))));
            if (!allow.count(QStringLiteral("state-source")))
                line += QStringLiteral(" [%1]").arg(qs(std::string(sourceName(st->source))));
            out << line;
        } else if (const auto* sg = e.as<SegmentEvent>()) {
            if (allow.count(QStringLiteral("window-probes")) && sg->cause.find("window probe") != std::string::npos)
                continue;
            out << QStringLiteral("%1 segment %2 > %3 %4 len %5 [%6]")
                       .arg(step, qs(sg->from), qs(sg->to), qs(sg->flagsText()))
                       .arg(sg->length)
                       .arg(qs(std::string(sourceName(sg->source))));
        } else if (const auto* ex = e.as<ExpectEvent>()) {
            out << QStringLiteral("%1 expect line %2 %3").arg(step).arg(ex->line).arg(QLatin1String(ex->ok ? "ok" : "FAILED"));
        }
    }
    return out;
}

/// Compares a run with its golden file; returns the first difference, or nothing when they
/// agree. With SYNACK_GOLDEN_WRITE=1 it writes the file instead (to be reviewed in the diff).
inline std::optional<QString> compareWithGolden(const Trace& t, const QString& scenario, const QString& tier)
{
    const std::set<QString> allow = goldenAllowances(scenario, tier);
    const QStringList lines = goldenLines(t, allow);
    const QString path = QStringLiteral(SYNACK_SOURCE_DIR "/tests/golden/%1/%2.txt").arg(tier, scenario);
    const char* write = std::getenv("SYNACK_GOLDEN_WRITE");
    if (write && write[0] == '1') {
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return QStringLiteral("cannot write %1").arg(path);
        QTextStream out(&f);
        out << lines.join(QLatin1Char('\n')) << '\n';
        return std::nullopt;
    }
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return QStringLiteral("no golden trace %1 (record it with SYNACK_GOLDEN_WRITE=1)").arg(path);
    const QStringList golden
        = QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    for (qsizetype i = 0; i < std::max(golden.size(), lines.size()); ++i) {
        const QString want = i < golden.size() ? golden[i] : QStringLiteral("(end)");
        const QString got = i < lines.size() ? lines[i] : QStringLiteral("(end)");
        if (want != got)
            return QStringLiteral("%1 line %2: expected '%3', this run: '%4'").arg(path).arg(i + 1).arg(want, got);
    }
    return std::nullopt;
}

} // namespace synack::test
