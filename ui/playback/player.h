// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include "playback/frame.h"
#include "trace/trace.h"

namespace synack {

/// The clock between a trace and the views. It reveals a trace one scenario step at a time and,
/// inside a step, one event at a time at human speed (a segment flies, a token moves, a gauge
/// fills), so nothing the kernel did in microseconds is lost to the eye. Step back jumps through
/// what was recorded; nothing is run again.
///
/// The trace may grow while it plays (a live run): the Player asks for the next step with
/// stepRequested() and reveals its events as they arrive.
class Player : public QObject {
    Q_OBJECT
public:
    explicit Player(QObject* parent = nullptr);

    /// Replaces the trace (a loaded file, or an empty one for a new live run) and rewinds; the
    /// frames that follow carry a new revision, so views start again.
    /// `complete` says whether every step is recorded (a file) or more will come (live).
    void setTrace(Trace trace, bool complete);
    /// Live: the run's header (kernel, start time) arrived; events and position are kept.
    void updateHeader(const Trace& header);
    /// Live: one more event of the step being run.
    void appendEvent(const Event& event);
    /// Live: step `step` is fully recorded; `last` when the scenario has no more steps.
    void markStepRecorded(int step, bool last);

    const Trace& trace() const { return m_trace; }
    /// What the views draw now.
    const Frame& frame() const { return m_frame; }
    /// The revision of the trace being played (see Frame::revision).
    std::uint64_t revision() const { return m_frame.revision; }
    /// The scenario step being shown (-1 before the first).
    int currentStep() const { return m_targetStep; }
    int stepCount() const { return m_trace.stepCount; }
    /// Steps whose events are all recorded.
    int recordedSteps() const { return m_recordedSteps; }
    bool atStart() const;
    bool atEnd() const;
    bool isPlaying() const { return m_playing; }
    bool isAnimating() const;
    double speed() const { return m_speed; }

    /// How long an event of this kind is animated at speed 1, in milliseconds.
    static int durationMs(EventKind kind);

public Q_SLOTS:
    void stepForward();
    void stepBack();
    void play();
    void pause();
    void togglePlay();
    void restart();
    void setSpeed(double speed);
    void faster();
    void slower();
    /// Shows the trace up to and including event `index`, at rest.
    void seekToEvent(int index);
    /// Shows everything recorded so far, at rest.
    void showAll();

Q_SIGNALS:
    void frameChanged();
    void stepChanged(int step);
    /// Live: the user wants a step that is not recorded yet.
    void stepRequested();
    void playingChanged(bool playing);
    void speedChanged(double speed);

private:
    void tick();
    void setVisible(std::size_t visible, double progress);
    void startAnimation();
    /// Events before step `step` ends: the count to reveal to show it whole.
    std::size_t endOfStep(int step) const;
    int stepOfEvent(std::size_t index) const;

    Trace m_trace;
    Frame m_frame;
    std::size_t m_target = 0; ///< reveal up to this many events
    int m_targetStep = -1;
    int m_recordedSteps = 0;
    bool m_complete = true;
    bool m_waitingForStep = false; ///< live: asked for a step that has not arrived yet
    bool m_playing = false;
    double m_speed = 1.0;
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_lastTickMs = 0;
    qint64 m_restUntilMs = 0; ///< playing: the pause between steps
    qint64 m_lastEventWallMs = 0; ///< live: when the newest event arrived, to let countdowns tick
};

} // namespace synack
