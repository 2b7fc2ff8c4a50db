// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QObject>
#include <QThread>

#include <atomic>
#include <memory>

#include "lab/lab.h"
#include "run/runner.h"
#include "scenario/scenario.h"
#include "trace/trace.h"

namespace synack {

class LiveWorker;

/// Runs a scenario against the kernel on a worker thread, one step per request, and hands every
/// event to the GUI thread as a value. The GUI thread never touches a socket, so a call that
/// blocks in the kernel (a send into a full buffer) leaves the window responsive.
///
/// Every run has a number, and everything its worker sends carries it: what an ended run had
/// already sent on its way arrives with an old number and is dropped, so a new run's Player
/// never sees it.
class LiveSession : public QObject {
    Q_OBJECT
public:
    explicit LiveSession(QObject* parent = nullptr);
    ~LiveSession() override;

    /// Starts a new run (ending any previous one: its sockets are closed). `allowHostPorts`: see
    /// RunOptions::allowHostPorts; the user said yes to it for this run. `onWire`: in the gated
    /// lab (Tier::Gated), whose gate can hold every segment; a scenario that needs the wire (it
    /// has gate steps) always runs there.
    void start(const Scenario& scenario, bool allowHostPorts = false, bool onWire = false);
    /// Runs the next step; its events arrive through eventRecorded, then stepRecorded.
    void requestStep();
    /// Writes the run's captured segments as a pcap once the step under way (if any) is over;
    /// pcapSaved() tells how it went. Only a lab run has segments to write.
    void savePcap(const QString& path);
    /// Ends the run: stops a long wait and closes the sockets.
    void stop();
    bool isRunning() const { return m_worker != nullptr; }
    /// What the user does at the gate between steps (Runner::actAtGate): hold every segment, pass,
    /// deliver, drop or duplicate a held one (`frame`; 0: the oldest). Runs after the step under
    /// way; its events arrive through eventRecorded, then gateChanged, or gateRefused says why not.
    void actAtGate(GateAction action, qint64 frame = 0);
    /// The gate as of the last step or action (none before the first step).
    bool hasGate() const { return m_hasGate; }
    bool gateHolding() const { return m_holding; }
    const QList<qint64>& heldFrames() const { return m_held; }
    /// Asks which tier this machine offers (Lab::probe(), which may take seconds) on the session's
    /// thread; tierProbed() brings the answer.
    void probeTier();
    /// Asks whether this machine can make the gated lab (TwoHosts::probe()) on the session's
    /// thread; wireProbed() brings the answer and, when not, why.
    void probeWire();

Q_SIGNALS:
    /// The run's header (scenario, kernel, step count), without events: when the run is set up,
    /// and again after its first step, when the tier it got is known.
    void started(const synack::Trace& header);
    void eventRecorded(const synack::Event& event);
    /// Step `step` is over; `last` when no step follows (end of the scenario, or an error).
    void stepRecorded(int step, bool last);
    /// The run as a whole: every expectation checked, or where it stopped.
    void runFinished(const synack::RunSummary& summary);
    /// savePcap() is done: `error` is empty on success.
    void pcapSaved(const QString& path, const QString& error);
    /// probeTier() is done.
    void tierProbed(const synack::TierReport& report);
    /// probeWire() is done.
    void wireProbed(bool ok, const QString& why);
    /// The gate after a step or a gate action: whether the run has one, whether it holds every
    /// segment, and the frames held there now, oldest first.
    void gateChanged(bool hasGate, bool holding, const QList<qint64>& held);
    /// actAtGate() could not be done (no gate, nothing held, the run stopped): why.
    void gateRefused(const QString& error);

private:
    // The worker's signals, passed on when they come from the current run.
    void onStarted(quint64 run, const Trace& header);
    void onEventRecorded(quint64 run, const Event& event);
    void onStepRecorded(quint64 run, int step, bool last);
    void onRunFinished(quint64 run, const RunSummary& summary);
    void onPcapSaved(quint64 run, const QString& path, const QString& error);
    void onGateChanged(quint64 run, bool hasGate, bool holding, const QList<qint64>& held);
    void onGateRefused(quint64 run, const QString& error);

    QThread m_thread;
    LiveWorker* m_worker = nullptr;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    quint64 m_run = 0; ///< the run whose events are passed on; 0: none
    quint64 m_runs = 0; ///< runs started so far
    bool m_hasGate = false;
    bool m_holding = false;
    QList<qint64> m_held;
};

/// Lives on LiveSession's thread and owns the Runner there.
class LiveWorker : public QObject {
    Q_OBJECT
public:
    LiveWorker(quint64 run, Scenario scenario, std::shared_ptr<std::atomic<bool>> cancel, bool allowHostPorts,
        bool onWire = false);
    ~LiveWorker() override;

public Q_SLOTS:
    void begin();
    void step();
    void savePcap(const QString& path);
    void actAtGate(synack::GateAction action, qint64 frame);

Q_SIGNALS:
    // Each carries the run's number (see LiveSession).
    void started(quint64 run, const synack::Trace& header);
    void eventRecorded(quint64 run, const synack::Event& event);
    void stepRecorded(quint64 run, int step, bool last);
    void runFinished(quint64 run, const synack::RunSummary& summary);
    void pcapSaved(quint64 run, const QString& path, const QString& error);
    void gateChanged(quint64 run, bool hasGate, bool holding, const QList<qint64>& held);
    void gateRefused(quint64 run, const QString& error);

private:
    void reportGate();

    const quint64 m_run;
    Scenario m_scenario;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    const bool m_allowHostPorts;
    const bool m_onWire;
    std::unique_ptr<Runner> m_runner;
};

} // namespace synack

Q_DECLARE_METATYPE(synack::Event)
Q_DECLARE_METATYPE(synack::Trace)
Q_DECLARE_METATYPE(synack::RunSummary)
Q_DECLARE_METATYPE(synack::TierReport)
