// SPDX-License-Identifier: GPL-3.0-or-later
#include "playback/player.h"

#include <algorithm>

namespace synack {

namespace {
constexpr int kFrameMs = 16; // ~60 frames a second while something moves
constexpr int kIdleTickMs = 250; // at rest: enough for a countdown in whole seconds
constexpr int kPauseBetweenStepsMs = 1200; // playing: time to read the narration
constexpr double kMinSpeed = 0.25;
constexpr double kMaxSpeed = 8.0;
}

Player::Player(QObject* parent)
    : QObject(parent)
{
    m_frame.trace = &m_trace;
    m_frame.revision = Frame::newRevision();
    m_clock.start();
    connect(&m_timer, &QTimer::timeout, this, &Player::tick);
    m_timer.start(kIdleTickMs);
}

int Player::durationMs(EventKind kind)
{
    switch (kind) {
    case EventKind::Segment:
        return 800;
    case EventKind::State:
        return 600;
    case EventKind::Step:
        return 400;
    case EventKind::Buffers:
        return 200;
    case EventKind::Expect:
        return 120;
    case EventKind::Gate:
        return 300;
    case EventKind::Timer:
    case EventKind::Note:
        return 0;
    }
    return 0;
}

double Player::stepDurationMs(int step) const
{
    const auto& ev = m_trace.events;
    double total = 0;
    for (std::size_t i = endOfStep(step - 1), end = endOfStep(step); i < end; ++i)
        total += durationMs(ev[i].kind());
    return std::min(total, static_cast<double>(stepBudgetMs()));
}

void Player::setTargetStep(int step)
{
    m_targetStep = step;
    m_frame.step = step;
    m_finishOnArrival = false;
    m_stepCounted = endOfStep(step - 1);
    m_stepTotalMs = 0;
    m_stepScale = 1.0;
}

void Player::countStep(std::size_t end)
{
    end = std::min(end, m_trace.events.size());
    for (; m_stepCounted < end; ++m_stepCounted)
        m_stepTotalMs += durationMs(m_trace.events[m_stepCounted].kind());
    // Every event of a busy step shares the squeeze, so their proportions (a segment outlasts a
    // gauge) stay as they are.
    m_stepScale = m_stepTotalMs > stepBudgetMs() ? stepBudgetMs() / m_stepTotalMs : 1.0;
}

void Player::setTrace(Trace trace, bool complete)
{
    pause();
    m_trace = std::move(trace);
    m_complete = complete;
    m_recordedSteps = complete ? m_trace.stepCount : 0;
    m_waitingForStep = false;
    m_seekGoal = -1;
    setTargetStep(-1);
    m_target = endOfStep(-1);
    m_frame = Frame {};
    m_frame.trace = &m_trace;
    m_frame.revision = Frame::newRevision();
    setVisible(m_target, 1.0);
    Q_EMIT stepChanged(m_targetStep);
}

void Player::updateHeader(const Trace& header)
{
    std::vector<Event> events = std::move(m_trace.events);
    m_trace = header;
    m_trace.events = std::move(events);
}

void Player::appendEvent(const Event& event)
{
    m_trace.events.push_back(event);
    m_lastEventWallMs = m_clock.elapsed();
    if (event.step <= m_targetStep) {
        m_target = m_trace.events.size();
        countStep(m_target);
        startAnimation(); // shown whole on the next tick when m_finishOnArrival
    }
}

void Player::markStepRecorded(int step, bool last)
{
    m_recordedSteps = std::max(m_recordedSteps, step + 1);
    if (last) {
        m_complete = true;
        m_trace.stepCount = std::min(m_trace.stepCount, m_recordedSteps);
    }
    if (step + 1 >= m_recordedSteps)
        m_waitingForStep = false;
    m_target = endOfStep(m_targetStep);
    countStep(m_target);
    if (m_finishOnArrival && step >= m_targetStep) {
        // The step a press (or a jump) finished is whole now. What comes after it in the same step
        // (a segment delivered at the gate by hand) animates again, as the user's own action.
        setVisible(m_target, 1.0);
        m_finishOnArrival = false;
    }
    if (m_seekGoal >= 0 && step >= m_targetStep) {
        // A jump in a live run: the step it waited for is recorded; on to the next, or done.
        if (m_seekGoal > m_targetStep && m_targetStep + 1 < m_trace.stepCount && !m_complete) {
            enterStep(m_targetStep + 1, true);
            return;
        }
        m_seekGoal = -1;
    }
    startAnimation();
}

bool Player::atStart() const
{
    return m_targetStep < 0;
}

bool Player::atEnd() const
{
    return m_complete && m_targetStep + 1 >= m_trace.stepCount && !isAnimating();
}

bool Player::isAnimating() const
{
    return m_frame.visible < m_target || m_frame.progress < 1.0;
}

std::size_t Player::endOfStep(int step) const
{
    // Events are in step order (a step's events, then the next step's), so the end of a step is
    // the first event of a later one.
    const auto& ev = m_trace.events;
    auto it = std::find_if(ev.begin(), ev.end(), [step](const Event& e) { return e.step > step; });
    return static_cast<std::size_t>(it - ev.begin());
}

int Player::stepOfEvent(std::size_t index) const
{
    return index < m_trace.events.size() ? m_trace.events[index].step : -1;
}

void Player::setVisible(std::size_t visible, double progress)
{
    visible = std::min(visible, m_trace.events.size());
    if (visible >= m_frame.visible) {
        for (std::size_t i = m_frame.visible; i < visible; ++i)
            m_frame.picture.apply(m_trace.events[i]);
    } else {
        m_frame.picture = Picture::after(m_trace, visible);
    }
    m_frame.visible = visible;
    m_frame.progress = std::clamp(progress, 0.0, 1.0);
    m_frame.step = m_targetStep;
    m_frame.nowNs = visible > 0 ? m_trace.events[visible - 1].tNs : 0;
    Q_EMIT frameChanged();
}

void Player::startAnimation()
{
    m_lastTickMs = m_clock.elapsed();
    if (m_timer.interval() != kFrameMs)
        m_timer.start(kFrameMs);
}

void Player::advance(double wallMs)
{
    if (!isAnimating())
        return;
    if (m_finishOnArrival) {
        setVisible(m_target, 1.0);
        return;
    }
    std::size_t visible = m_frame.visible;
    double progress = m_frame.progress;
    double budget = std::max(0.0, wallMs) * m_speed; // milliseconds of animation to spend
    for (;;) {
        if (progress < 1.0 && visible > 0) {
            const double d = durationMs(m_trace.events[visible - 1].kind()) * m_stepScale;
            const double need = (1.0 - progress) * d;
            if (d <= 0 || budget >= need) {
                budget -= d <= 0 ? 0 : need;
                progress = 1.0;
            } else {
                progress += budget / d;
                break;
            }
        }
        if (visible >= m_target)
            break;
        ++visible;
        progress = 0.0;
    }
    setVisible(visible, progress);
}

void Player::tick()
{
    const qint64 now = m_clock.elapsed();
    const qint64 dt = std::max<qint64>(0, now - m_lastTickMs);
    m_lastTickMs = now;

    if (isAnimating()) {
        advance(static_cast<double>(dt));
        m_restUntilMs = 0;
        return;
    }

    if (m_playing && !m_waitingForStep) {
        if (m_restUntilMs == 0) {
            m_restUntilMs = now + static_cast<qint64>(kPauseBetweenStepsMs / m_speed);
        } else if (now >= m_restUntilMs) {
            m_restUntilMs = 0;
            if (atEnd())
                pause();
            else
                stepForward();
        }
        return;
    }
    if (m_timer.interval() != kIdleTickMs && !m_playing)
        m_timer.start(kIdleTickMs);
    // At rest at the end of a live run the kernel's timers keep running: let countdowns tick.
    if (!m_complete && m_frame.visible == m_trace.events.size() && m_frame.visible > 0) {
        m_frame.nowNs = m_trace.events.back().tNs + (now - m_lastEventWallMs) * 1'000'000;
        Q_EMIT frameChanged();
    }
}

void Player::stepForward()
{
    m_seekGoal = -1; // the user takes over from a jump under way
    // The step shown is still being run by the kernel: show what it did so far, and the rest as it
    // comes (see the class comment).
    const bool recording = !m_complete && m_targetStep >= m_recordedSteps;
    if (recording)
        m_finishOnArrival = true;
    if (isAnimating() || recording) {
        // A press while a step is animating finishes it at once: the teacher moves on.
        setVisible(m_target, 1.0);
        return;
    }
    const int next = m_targetStep + 1;
    if (next < m_recordedSteps || (!m_complete && next == m_recordedSteps && next < m_trace.stepCount))
        enterStep(next, false);
    else if (m_playing)
        pause();
}

void Player::enterStep(int step, bool atRest)
{
    setTargetStep(step);
    m_finishOnArrival = atRest;
    m_target = endOfStep(step);
    countStep(m_target);
    // The new step is told at once (the narration says what it does before its events are shown).
    if (atRest)
        setVisible(m_target, 1.0);
    else
        setVisible(m_frame.visible, m_frame.progress);
    Q_EMIT stepChanged(m_targetStep);
    if (step >= m_recordedSteps && !m_waitingForStep) {
        // Not recorded: ask the kernel for it (once; it may already be running if the user stepped
        // back while it was).
        m_waitingForStep = true;
        Q_EMIT stepRequested();
    }
    startAnimation();
}

bool Player::seekToStep(int step)
{
    if (step < -1 || step >= m_trace.stepCount)
        return false;
    pause();
    m_seekGoal = -1;
    if (step < m_recordedSteps) {
        setTargetStep(step);
        m_target = endOfStep(step);
        setVisible(m_target, 1.0);
        Q_EMIT stepChanged(m_targetStep);
        return true;
    }
    if (m_complete)
        return false;
    // Live, not recorded yet: run every step up to it, each shown whole as it is recorded.
    m_seekGoal = step;
    enterStep(m_recordedSteps, true);
    return true;
}

void Player::stepBack()
{
    pause();
    if (m_targetStep < 0)
        return;
    // A step the kernel is still running goes on being recorded, unseen until the user comes
    // forward to it again.
    // From the end of a step, or from the middle of its animation: to the picture before it.
    m_seekGoal = -1;
    setTargetStep(m_targetStep - 1);
    m_target = endOfStep(m_targetStep);
    setVisible(m_target, 1.0);
    Q_EMIT stepChanged(m_targetStep);
}

void Player::play()
{
    if (m_playing)
        return;
    if (atEnd())
        restart();
    m_playing = true;
    m_restUntilMs = 0;
    startAnimation();
    Q_EMIT playingChanged(true);
}

void Player::pause()
{
    if (!m_playing)
        return;
    m_playing = false;
    Q_EMIT playingChanged(false);
}

void Player::togglePlay()
{
    if (m_playing)
        pause();
    else
        play();
}

void Player::restart()
{
    pause();
    m_seekGoal = -1;
    setTargetStep(-1);
    m_target = endOfStep(-1);
    setVisible(m_target, 1.0);
    Q_EMIT stepChanged(m_targetStep);
}

void Player::setSpeed(double speed)
{
    speed = std::clamp(speed, kMinSpeed, kMaxSpeed);
    if (qFuzzyCompare(speed, m_speed))
        return;
    m_speed = speed;
    Q_EMIT speedChanged(m_speed);
}

void Player::faster()
{
    setSpeed(m_speed * 2.0);
}
void Player::slower()
{
    setSpeed(m_speed / 2.0);
}

void Player::seekToEvent(int index)
{
    if (index < 0 || static_cast<std::size_t>(index) >= m_trace.events.size())
        return;
    pause();
    m_seekGoal = -1;
    setTargetStep(stepOfEvent(static_cast<std::size_t>(index)));
    m_target = static_cast<std::size_t>(index) + 1;
    setVisible(m_target, 1.0);
    Q_EMIT stepChanged(m_targetStep);
}

void Player::showAll()
{
    pause();
    m_seekGoal = -1;
    setTargetStep(m_recordedSteps - 1);
    m_target = endOfStep(m_targetStep);
    setVisible(m_target, 1.0);
    Q_EMIT stepChanged(m_targetStep);
}

} // namespace synack
