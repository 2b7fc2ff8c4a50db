// SPDX-License-Identifier: GPL-3.0-or-later
#include "playback/livesession.h"

#include "lab/gate.h"
#include "lab/pcap.h"

namespace synack {

LiveSession::LiveSession(QObject* parent)
    : QObject(parent)
{
    qRegisterMetaType<synack::Event>();
    qRegisterMetaType<synack::Trace>();
    qRegisterMetaType<synack::RunSummary>();
    qRegisterMetaType<synack::TierReport>();
    m_thread.setObjectName(QStringLiteral("synack-live"));
    m_thread.start();
}

LiveSession::~LiveSession()
{
    stop();
    m_thread.quit();
    m_thread.wait();
}

void LiveSession::start(const Scenario& scenario, bool allowHostPorts, bool onWire)
{
    stop();
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    m_run = ++m_runs;
    m_worker = new LiveWorker(m_run, scenario, m_cancel, allowHostPorts, onWire);
    m_worker->moveToThread(&m_thread);
    connect(m_worker, &LiveWorker::started, this, &LiveSession::onStarted);
    connect(m_worker, &LiveWorker::eventRecorded, this, &LiveSession::onEventRecorded);
    connect(m_worker, &LiveWorker::stepRecorded, this, &LiveSession::onStepRecorded);
    connect(m_worker, &LiveWorker::runFinished, this, &LiveSession::onRunFinished);
    connect(m_worker, &LiveWorker::pcapSaved, this, &LiveSession::onPcapSaved);
    connect(m_worker, &LiveWorker::gateChanged, this, &LiveSession::onGateChanged);
    connect(m_worker, &LiveWorker::gateRefused, this, &LiveSession::onGateRefused);
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
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, path] { w->savePcap(path); }, Qt::QueuedConnection);
}

void LiveSession::actAtGate(GateAction action, qint64 frame)
{
    if (!m_worker) {
        Q_EMIT gateRefused(tr("There is no run: start one in the gated lab first."));
        return;
    }
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, action, frame] { w->actAtGate(action, frame); }, Qt::QueuedConnection);
}

void LiveSession::stop()
{
    if (!m_worker)
        return;
    // Stop a long wait at once, then let the worker (and its sockets) go on its own thread.
    m_cancel->store(true);
    disconnect(m_worker, nullptr, this, nullptr);
    // disconnect() does not recall what the old worker already queued to us: that arrives with
    // the old run's number and is dropped below.
    m_worker->deleteLater();
    m_worker = nullptr;
    m_run = 0;
    if (m_hasGate || m_holding || !m_held.isEmpty()) {
        m_hasGate = m_holding = false;
        m_held.clear();
        Q_EMIT gateChanged(false, false, m_held);
    }
}

void LiveSession::probeTier()
{
    // Lab::probe() forks a child and waits for it (up to 5 s): never on the GUI thread. On the
    // session's thread it waits behind a step under way, and a step behind it.
    auto* probe = new QObject;
    probe->moveToThread(&m_thread);
    QMetaObject::invokeMethod(
        probe,
        [this, probe] {
            const TierReport report = Lab::probe();
            // Queued to this object: dropped with it if the session is gone by then.
            QMetaObject::invokeMethod(
                this, [this, report] { Q_EMIT tierProbed(report); }, Qt::QueuedConnection);
            probe->deleteLater();
        },
        Qt::QueuedConnection);
}

void LiveSession::probeWire()
{
    auto* probe = new QObject;
    probe->moveToThread(&m_thread);
    QMetaObject::invokeMethod(
        probe,
        [this, probe] {
            const auto [ok, why] = TwoHosts::probe();
            QMetaObject::invokeMethod(
                this, [this, ok = ok, why = QString::fromStdString(why)] { Q_EMIT wireProbed(ok, why); },
                Qt::QueuedConnection);
            probe->deleteLater();
        },
        Qt::QueuedConnection);
}

void LiveSession::onStarted(quint64 run, const Trace& header)
{
    if (run == m_run)
        Q_EMIT started(header);
}

void LiveSession::onEventRecorded(quint64 run, const Event& event)
{
    if (run == m_run)
        Q_EMIT eventRecorded(event);
}

void LiveSession::onStepRecorded(quint64 run, int step, bool last)
{
    if (run == m_run)
        Q_EMIT stepRecorded(step, last);
}

void LiveSession::onRunFinished(quint64 run, const RunSummary& summary)
{
    if (run == m_run)
        Q_EMIT runFinished(summary);
}

void LiveSession::onPcapSaved(quint64 run, const QString& path, const QString& error)
{
    if (run == m_run)
        Q_EMIT pcapSaved(path, error);
}

void LiveSession::onGateChanged(quint64 run, bool hasGate, bool holding, const QList<qint64>& held)
{
    if (run != m_run)
        return;
    m_hasGate = hasGate;
    m_holding = holding;
    m_held = held;
    Q_EMIT gateChanged(hasGate, holding, held);
}

void LiveSession::onGateRefused(quint64 run, const QString& error)
{
    if (run == m_run)
        Q_EMIT gateRefused(error);
}

LiveWorker::LiveWorker(
    quint64 run, Scenario scenario, std::shared_ptr<std::atomic<bool>> cancel, bool allowHostPorts, bool onWire)
    : m_run(run)
    , m_scenario(std::move(scenario))
    , m_cancel(std::move(cancel))
    , m_allowHostPorts(allowHostPorts)
    , m_onWire(onWire || m_scenario.needs == Needs::Wire)
{
}

LiveWorker::~LiveWorker() = default;

void LiveWorker::begin()
{
    RunOptions options;
    options.cancel = m_cancel.get();
    // The lab (a private network namespace with capture) when this machine allows it; else host
    // loopback, and the trace's header and a note say which and why.
    // The gated lab when asked for (a teacher freezing a built-in) or needed (gate steps): if it
    // cannot be had, the run stops at once and its error says why.
    options.tier = m_onWire ? Tier::Gated : Tier::Auto;
    options.allowHostPorts = m_allowHostPorts;
    options.onEvent = [this](const Event& e) { Q_EMIT eventRecorded(m_run, e); };
    m_runner = std::make_unique<Runner>(m_scenario, std::move(options));
    Q_EMIT started(m_run, m_runner->trace());
    if (m_runner->stepCount() == 0)
        Q_EMIT stepRecorded(m_run, -1, true);
}

void LiveWorker::step()
{
    if (!m_runner || m_runner->atEnd() || m_cancel->load())
        return;
    const int index = m_runner->nextStep();
    const bool ok = m_runner->step();
    // The tier (lab or host loopback) is decided when the run begins, at its first step: say so.
    if (index == 0)
        Q_EMIT started(m_run, m_runner->trace());
    const bool last = !ok || m_runner->atEnd();
    reportGate();
    Q_EMIT stepRecorded(m_run, index, last);
    if (last)
        Q_EMIT runFinished(m_run, m_runner->summary());
}

void LiveWorker::actAtGate(GateAction action, qint64 frame)
{
    if (!m_runner || m_cancel->load())
        return;
    if (auto done = m_runner->actAtGate(action, frame); !done)
        Q_EMIT gateRefused(m_run, QString::fromStdString(done.error().message()));
    reportGate();
}

void LiveWorker::reportGate()
{
    QList<qint64> held;
    for (const std::int64_t f : m_runner->heldFrames())
        held.push_back(f);
    Q_EMIT gateChanged(m_run, m_runner->hasGate(), m_runner->gateHolding(), held);
}

void LiveWorker::savePcap(const QString& path)
{
    if (!m_runner || m_runner->capturedPackets().empty()) {
        Q_EMIT pcapSaved(
            m_run, path, tr("Nothing was captured: segments are captured only in the lab tier (see synack doctor)."));
        return;
    }
    const auto written = writePcap(path.toStdString(), m_runner->capturedPackets());
    Q_EMIT pcapSaved(m_run, path, written ? QString() : QString::fromStdString(written.error().message()));
}

} // namespace synack
