// SPDX-License-Identifier: GPL-3.0-or-later
#include "playback/stepscrubber.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QSignalBlocker>
#include <QSlider>

#include <algorithm>

#include "playback/player.h"

namespace synack {

StepScrubber::StepScrubber(Player* player, QWidget* parent)
    : QWidget(parent)
    , m_player(player)
    , m_list(new QComboBox(this))
    , m_slider(new QSlider(Qt::Horizontal, this))
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    m_list->setObjectName(QStringLiteral("stepList"));
    m_list->setToolTip(tr("Go to a step (number keys 1–9, or Ctrl+G)"));
    m_list->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_list->setMinimumContentsLength(18);
    m_slider->setObjectName(QStringLiteral("stepSlider"));
    m_slider->setToolTip(tr("Every step of the run: drag or click to go to one"));
    m_slider->setTickPosition(QSlider::TicksBelow);
    m_slider->setPageStep(1);
    layout->addWidget(m_list);
    layout->addWidget(m_slider, 1);

    connect(m_list, &QComboBox::activated, this, [this](int index) { choose(index - 1); });
    connect(m_slider, &QSlider::valueChanged, this, [this](int value) {
        // While dragging, only through what is recorded (see the class comment).
        if (m_slider->isSliderDown() && value - 1 >= m_player->recordedSteps())
            return;
        choose(value - 1);
    });
    connect(m_slider, &QSlider::sliderReleased, this, [this] { choose(m_slider->value() - 1); });
    connect(m_player, &Player::frameChanged, this, &StepScrubber::sync);
    connect(m_player, &Player::stepChanged, this, &StepScrubber::sync);
    sync();
}

void StepScrubber::setStatements(std::function<QStringList(const Trace&)> statements)
{
    m_statements = std::move(statements);
    rebuild();
}

void StepScrubber::choose(int step)
{
    if (step == m_player->currentStep() && !m_player->isAnimating() && m_player->seekGoal() < 0)
        return;
    const bool accepted = m_player->seekToStep(step);
    sync(); // a refused jump puts the slider and the list back
    Q_EMIT stepChosen(step, accepted);
}

QString StepScrubber::stepName(int step) const
{
    if (step < 0)
        return tr("Before the first step");
    const QString statement = step < m_names.size() ? m_names[step] : QString();
    return statement.isEmpty() ? tr("Step %1").arg(step + 1) : tr("Step %1: %2").arg(step + 1).arg(statement);
}

void StepScrubber::rebuild()
{
    const Trace& trace = m_player->trace();
    m_revision = m_player->revision();
    m_count = m_player->stepCount();
    m_recorded = m_player->recordedSteps();
    const int listed = std::min(m_count, kMaxListed);
    m_names = m_statements ? m_statements(trace) : QStringList();
    if (m_names.size() != m_count)
        m_names.clear();
    while (m_names.size() < listed)
        m_names.append(QString());
    // A recorded step is named by its call as the kernel was asked (the first call of the step).
    std::vector<bool> named(static_cast<std::size_t>(listed), false);
    for (const Event& e : trace.events) {
        if (e.step < 0 || e.step >= listed || named[static_cast<std::size_t>(e.step)])
            continue;
        if (const auto* s = e.as<StepEvent>(); s && s->phase != Phase::Completed) {
            m_names[e.step] = QString::fromStdString(s->text);
            named[static_cast<std::size_t>(e.step)] = true;
        }
    }

    const QSignalBlocker blockList(m_list);
    const QSignalBlocker blockSlider(m_slider);
    m_list->clear();
    m_list->setVisible(m_count <= kMaxListed);
    if (m_count <= kMaxListed)
        for (int step = -1; step < m_count; ++step)
            m_list->addItem(stepName(step));
    m_slider->setRange(0, std::max(0, m_count));
    m_slider->setTickInterval(std::max(1, m_count / 60)); // a tick per step, unless they would touch
    setEnabled(m_count > 0);
}

void StepScrubber::sync()
{
    if (m_player->revision() != m_revision || m_player->stepCount() != m_count
        || m_player->recordedSteps() != m_recorded)
        rebuild();
    const int step = m_player->currentStep();
    if (m_slider->isSliderDown() && m_slider->value() - 1 != step)
        return; // the user is dragging past what is recorded: leave the handle where it is held
    const QSignalBlocker blockList(m_list);
    const QSignalBlocker blockSlider(m_slider);
    m_slider->setValue(step + 1);
    if (step + 1 < m_list->count())
        m_list->setCurrentIndex(step + 1);
}

} // namespace synack
