// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>
#include <QWidget>

#include <functional>

#include "trace/trace.h"

class QComboBox;
class QSlider;

namespace synack {

class Player;

/// The steps of the trace being played, to jump between: a list of the steps by their statements
/// and a slider over them with a tick per step (its left end is "before the first step"). It
/// follows the Player and asks it to seek (Player::seekToStep); it runs nothing itself.
///
/// Dragging the slider jumps at once through recorded steps; in a live run a step not recorded yet
/// is asked for only when the slider is let go, so one drag never starts the kernel on every step
/// it passes.
class StepScrubber : public QWidget {
    Q_OBJECT
public:
    explicit StepScrubber(Player* player, QWidget* parent = nullptr);

    /// Names the steps a live trace has not recorded yet (the scenario's statements, one per step;
    /// an empty list when they are not known). Recorded steps are named by their call.
    void setStatements(std::function<QStringList(const Trace&)> statements);

    QComboBox* stepList() const { return m_list; }
    QSlider* slider() const { return m_slider; }
    /// What the list calls step `step` (-1: before the first).
    QString stepName(int step) const;

    /// The list is left out past this many steps (a scenario has at most 500); the slider and
    /// "Go to Step" still reach every step.
    static constexpr int kMaxListed = 500;

Q_SIGNALS:
    /// The user chose step `step` here (-1: before the first); `accepted` is what
    /// Player::seekToStep said.
    void stepChosen(int step, bool accepted);

private:
    void choose(int step);
    /// Follows the Player: the list's items when the trace or its recorded steps change, and the
    /// current step.
    void sync();
    void rebuild();

    Player* m_player;
    QComboBox* m_list;
    QSlider* m_slider;
    std::function<QStringList(const Trace&)> m_statements;
    QStringList m_names; ///< by step; "" where the step's statement is not known
    std::uint64_t m_revision = 0;
    int m_count = -1;
    int m_recorded = -1;
};

} // namespace synack
