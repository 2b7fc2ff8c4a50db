// SPDX-License-Identifier: GPL-3.0-or-later
// Traces of built-in scenarios recorded once in the lab (the default tier) and checked in under
// tests/data/traces/, so view and model tests need no kernel. To record one again:
//   build/app/synack run NAME --json tests/data/traces/NAME.json
#pragma once

#include <QFile>
#include <QString>
#include <QtGlobal>

#include <cstdint>
#include <map>
#include <string>

#include "playback/frame.h"
#include "trace/trace.h"

namespace synack::test {

/// The checked-in trace of built-in scenario `name`, read once per test run.
inline const Trace& recordedTrace(const std::string& name)
{
    static std::map<std::string, Trace> cache;
    if (auto it = cache.find(name); it != cache.end())
        return it->second;
    const QString path
        = QStringLiteral(SYNACK_SOURCE_DIR "/tests/data/traces/%1.json").arg(QString::fromStdString(name));
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    auto trace = traceFromJson(f.readAll().toStdString());
    if (!trace)
        qFatal("%s is not a trace: %s", qPrintable(path), trace.error().message().c_str());
    return cache.emplace(name, std::move(*trace)).first->second;
}

/// A frame of one of the tests' traces, with a revision of its own per trace, as the Player
/// would give it: so one view may be shown several traces in turn. The traces must live as long
/// as the test (recordedTrace's do).
inline Frame frameOf(const Trace& t, std::size_t visible, double progress = 1.0)
{
    static std::map<const Trace*, std::uint64_t> revisions;
    auto [it, added] = revisions.try_emplace(&t, 0);
    if (added)
        it->second = Frame::newRevision();
    return Frame::at(t, visible, progress, it->second);
}

} // namespace synack::test
