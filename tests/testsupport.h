// SPDX-License-Identifier: GPL-3.0-or-later
// Small helpers the engine tests share.
#pragma once

#include <QString>

#include <dirent.h>

#include "runner.h"

namespace synack::test {

/// Entries in /proc/self/fd (including the one opendir itself holds while counting).
inline int openDescriptors()
{
    int n = 0;
    if (DIR* d = ::opendir("/proc/self/fd")) {
        while (readdir(d))
            ++n;
        ::closedir(d);
    }
    return n;
}

/// Every failed expectation and the error of a run, one per line, for a test's failure message.
inline QString failuresText(const RunSummary& s)
{
    QString out;
    for (const ExpectEvent& f : s.failures)
        out += QStringLiteral("\n  line %1: %2 (expected %3, kernel says %4)")
                   .arg(f.line)
                   .arg(QString::fromStdString(f.text), QString::fromStdString(f.expected),
                       QString::fromStdString(f.observed));
    if (s.error)
        out += QStringLiteral("\n  error: ") + QString::fromStdString(s.error->toString());
    return out;
}

} // namespace synack::test
