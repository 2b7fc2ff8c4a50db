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
///
/// Pacing. A step starts with stepChanged() and a frameChanged() whose `step` is the new step, so
/// views can say what the step does before any of its events are revealed. Each event is animated
/// for durationMs(kind); when a step's events add up to more than stepBudgetMs(), every duration in
/// that step is scaled down by the same factor, so no step animates for longer than that at speed
/// 1 however busy it is (a step within the budget keeps its natural pace). In a live run the factor
/// counts the step's events recorded so far; one that arrives later can only make it smaller.
///
/// Step forward (→), precisely:
/// - while the shown step animates, it finishes the step at once (every recorded event of it shown
///   at rest) and does nothing else;
/// - while the shown step is still being run by the kernel (live), it does the same for what has
///   arrived, and the rest of the step is shown at rest as it arrives, up to the step's end
///   (markStepRecorded); further presses before then do nothing more (no press is queued to skip
///   the step when it arrives);
/// - at rest, it starts the next step (asking the kernel for it when it is not recorded yet).
/// So one press never moves on by more than one step, and a press is never needed twice to move on
/// from a step that is shown whole.
///
/// Jumps (seekToStep(), seekToEvent(), showAll(), stepBack(), restart()) show their picture at rest.
/// A jump forward in a live run to a step the kernel has not run yet runs the steps up to it, one
/// request at a time, showing each at rest as it is recorded.
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

    /// How long an event of this kind is animated at speed 1, in milliseconds, before a busy
    /// step's scaling (see the class comment).
    static int durationMs(EventKind kind);
    /// The most a step animates for at speed 1, in milliseconds: long enough to follow one
    /// handshake, short enough that → never seems to do nothing.
    static constexpr int stepBudgetMs() { return 2000; }
    /// How long step `step` animates at speed 1, in milliseconds, counting its events recorded so
    /// far: their durations, scaled down to fit stepBudgetMs().
    double stepDurationMs(int step) const;
    /// Live: a jump is running steps up to this one (-1: none).
    int seekGoal() const { return m_seekGoal; }

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
    /// Shows step `step` whole, at rest (-1: before the first step). Live, a step not recorded yet
    /// is run first, with every step before it (see the class comment). False, and nothing
    /// changes, for a step the scenario does not have (or no longer has: a run that stopped early).
    bool seekToStep(int step);
    /// Moves the animation on by `wallMs` milliseconds of wall time at the current speed, as the
    /// frame timer does on each tick (tests drive the clock with it).
    void advance(double wallMs);
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
    /// Makes `step` the shown step (nothing revealed yet): its scaling starts again.
    void setTargetStep(int step);
    /// Goes to step `step` (at most the first one not recorded): emits the new frame and step, and
    /// asks the kernel for the step when it is not recorded. With `atRest` its events are shown
    /// whole as they are recorded, without animation.
    void enterStep(int step, bool atRest);
    /// Counts the current step's events before `end` into its scaling.
    void countStep(std::size_t end);
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
    bool m_finishOnArrival = false; ///< live: the current step's events are shown at rest as they arrive
    int m_seekGoal = -1; ///< live: seekToStep() runs steps up to this one (-1: none)
    std::size_t m_stepCounted = 0; ///< events up to here are counted in m_stepTotalMs
    double m_stepTotalMs = 0; ///< the current step's durations at speed 1, unscaled
    double m_stepScale = 1.0; ///< what the current step's durations are multiplied by (≤ 1)
    bool m_playing = false;
    double m_speed = 1.0;
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_lastTickMs = 0;
    qint64 m_restUntilMs = 0; ///< playing: the pause between steps
    qint64 m_lastEventWallMs = 0; ///< live: when the newest event arrived, to let countdowns tick
};

} // namespace synack
