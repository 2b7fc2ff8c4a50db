// SPDX-License-Identifier: GPL-3.0-or-later
#include "playback/traceloader.h"

namespace synack {

TraceLoader::TraceLoader(QObject* parent)
    : QObject(parent)
{
    m_thread.setObjectName(QStringLiteral("synack-load"));
    m_thread.start();
}

TraceLoader::~TraceLoader()
{
    cancel();
    m_thread.quit();
    m_thread.wait();
}

void TraceLoader::load(const QString& path)
{
    cancel();
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    const quint64 load = m_load = ++m_loads;
    auto* job = new QObject;
    job->moveToThread(&m_thread);
    QMetaObject::invokeMethod(
        job,
        [this, job, load, path, cancel = m_cancel] {
            TraceLoadOptions options;
            // The reader calls this every few thousand events; a queued call each time is cheap.
            int lastPercent = -1;
            options.progress = [this, load, cancel, &lastPercent](double fraction) {
                const int percent = static_cast<int>(fraction * 100);
                if (percent != lastPercent) {
                    lastPercent = percent;
                    QMetaObject::invokeMethod(
                        this,
                        [this, load, fraction] {
                            if (load == m_load)
                                Q_EMIT progressed(fraction);
                        },
                        Qt::QueuedConnection);
                }
                return !cancel->load();
            };
            auto result = loadTraceFile(path.toStdString(), options);
            std::shared_ptr<Trace> trace;
            QString error;
            if (result)
                trace = std::make_shared<Trace>(std::move(*result));
            else
                error = QString::fromStdString(result.error().message());
            if (!cancel->load()) {
                // Queued to this object: dropped with it if the loader is gone by then.
                QMetaObject::invokeMethod(
                    this, [this, load, path, trace, error] { finish(load, path, trace, error); }, Qt::QueuedConnection);
            }
            job->deleteLater();
        },
        Qt::QueuedConnection);
}

void TraceLoader::cancel()
{
    if (m_cancel)
        m_cancel->store(true);
    m_cancel.reset();
    m_load = 0;
}

void TraceLoader::finish(quint64 load, const QString& path, std::shared_ptr<Trace> trace, const QString& error)
{
    if (load != m_load)
        return;
    m_load = 0;
    m_cancel.reset();
    if (trace)
        Q_EMIT loaded(path, std::move(trace));
    else
        Q_EMIT failed(path, error);
}

} // namespace synack
