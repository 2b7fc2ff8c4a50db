// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDir>
#include <QString>

/// Where view tests save the pictures a developer looks at: $SYNACK_SHOTS_DIR, else a folder of
/// its own in the temporary directory.
inline QString shotPath(const QString& name)
{
    QString dir = qEnvironmentVariable("SYNACK_SHOTS_DIR");
    if (dir.isEmpty())
        dir = QDir::temp().filePath(QStringLiteral("synack-shots"));
    QDir().mkpath(dir);
    return QDir(dir).filePath(name);
}
