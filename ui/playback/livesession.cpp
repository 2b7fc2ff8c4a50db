// SPDX-License-Identifier: GPL-3.0-or-later
#include "playback/livesession.h"

#include <QCoreApplication>

#include "lab/pcap.h"

namespace synack {

LiveSession::LiveSession(QObject* parent)
    : QObject(parent)
{
    qRegisterMetaType<synack::Event>();
    qRegisterMetaType<synack::Trace>();
    qRegisterMetaType<synack::RunSummary>();
    m_thread.setObjectName(QStringLiteral("synack-live"));
    m_thread.start();
}

LiveSession::~LiveSession()
{
    stop();
    m_thread.quit();
    m_thread.wait();
}

void LiveSession::start(const Scenario& scenario)
{
    stop();
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    m_worker = new LiveWorker(scenario, m_cancel);
    m_worker->moveToThread(&m_thread);
    connect(m_worker, &LiveWorker::started, this, &LiveSession::started);
    connect(m_worker, &LiveWorker::eventRecorded, this, &LiveSession::eventRecorded);
    connect(m_worker, &LiveWorker::stepRecorded, this, &LiveSession::stepRecorded);
    connect(m_worker, &LiveWorker::runFinished, this, &LiveSession::runFinished);
    connect(m_worker, &LiveWorker::pcapSaved, this, &LiveSession::pcapSaved);
    QMetaObject::invokeMethod(m_worker, &LiveWorker::begin, Qt::QueuedConnection);
}

void LiveSession::requestStep()
{
    if (m_worker)
        QMetaObject::invokeMethod(m_worker, &LiveWorker::step, Qt::QueuedConnection);
}

void LiveSession::savePcap(const QString& path)
{
    if (!m_worker) {
        Q_EMIT pcapSaved(path, tr("There is no run to save."));
        return;
    }
    QMetaObject::invokeMethod(m_worker, [w = m_worker, path] { w->savePcap(path); }, Qt::QueuedConnection);
}

void LiveSession::stop()
{
    if (!m_worker)
        return;
    // Stop a long wait at once, then let the worker (and its sockets) go on its own thread.
    m_cancel->store(true);
    disconnect(m_worker, nullptr, this, nullptr);
    // disconnect() does not recall what the old worker already queued to us: drop it, or the
    // next run's Player would receive the old run's events.
    QCoreApplication::removePostedEvents(this, QEvent::MetaCall);
    m_worker->deleteLater();
    m_worker = nullptr;
}

LiveWorker::LiveWorker(Scenario scenario, std::shared_ptr<std::atomic<bool>> cancel)
    : m_scenario(std::move(scenario))
    , m_cancel(std::move(cancel))
{
}

LiveWorker::~LiveWorker() = default;

void LiveWorker::begin()
{
    RunOptions options;
    options.cancel = m_cancel.get();
    // The lab (a private network namespace with capture) when this machine allows it; else host
    // loopback, and the trace's header and a note say which and why.
    options.tier = Tier::Auto;
    options.onEvent = [this](const Event& e) { Q_EMIT eventRecorded(e); };
    m_runner = std::make_unique<Runner>(m_scenario, std::move(options));
    Q_EMIT started(m_runner->trace());
    if (m_runner->stepCount() == 0)
        Q_EMIT stepRecorded(-1, true);
}

void LiveWorker::step()
{
    if (!m_runner || m_runner->atEnd() || m_cancel->load())
        return;
    const int index = m_runner->nextStep();
    const bool ok = m_runner->step();
    // The tier (lab or host loopback) is decided when the run begins, at its first step: say so.
    if (index == 0)
        Q_EMIT started(m_runner->trace());
    const bool last = !ok || m_runner->atEnd();
    Q_EMIT stepRecorded(index, last);
    if (last)
        Q_EMIT runFinished(m_runner->summary());
}

void LiveWorker::savePcap(const QString& path)
{
    if (!m_runner || m_runner->capturedPackets().empty()) {
        Q_EMIT pcapSaved(path,
            tr("Nothing was captured: segments are captured only in the lab tier (see synack doctor)."));
        return;
    }
    auto error = writePcap(path.toStdString(), m_runner->capturedPackets());
    Q_EMIT pcapSaved(path, error ? QString::fromStdString(error->message()) : QString());
}

} // namespace synack
