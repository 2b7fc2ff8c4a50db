// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QString>
#include <QThread>

#include <atomic>
#include <memory>

#include "trace/trace.h"

namespace synack {

/// Reads a trace file on a thread of its own, so a file of hundreds of megabytes never freezes
/// the window: progress comes as a fraction, the load can be cancelled, and the trace (or the
/// loader's message, which names the file, the event and the field) comes back as a value.
///
/// Like LiveSession, every load has a number: what a cancelled or replaced load still sends is
/// dropped, so only the newest load ever answers.
class TraceLoader : public QObject {
    Q_OBJECT
public:
    explicit TraceLoader(QObject* parent = nullptr);
    ~TraceLoader() override;

    /// Starts reading `path` (cancelling a load under way); one of loaded(), failed() follows,
    /// unless cancel() comes first.
    void load(const QString& path);
    /// Stops the load under way: nothing more is heard of it.
    void cancel();
    bool isLoading() const { return m_load != 0; }

Q_SIGNALS:
    /// How much of the file has been read, from 0 to 1.
    void progressed(double fraction);
    /// The trace, shared so that a million events are moved, not copied, across threads.
    void loaded(const QString& path, std::shared_ptr<synack::Trace> trace);
    /// The loader's message ("FILE: event 12: window: ... is out of range ...").
    void failed(const QString& path, const QString& message);

private:
    void finish(quint64 load, const QString& path, std::shared_ptr<Trace> trace, const QString& error);

    QThread m_thread;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    quint64 m_load = 0; ///< the load whose answer is awaited; 0: none
    quint64 m_loads = 0;
};

} // namespace synack
