// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QTextBrowser>

#include "playback/frame.h"

namespace synack {

/// The current step told in words: the statement, its narration in the chosen language, what
/// the call returned, and which expectations held.
class NarrationView : public QTextBrowser {
    Q_OBJECT
public:
    explicit NarrationView(QWidget* parent = nullptr);

    /// Shown before the first step: the scenario's title and description.
    void setIntro(const QString& title, const QString& about);
    /// "en" or "zh".
    void setLanguage(const QString& lang);
    void setPresentation(bool on);
    void setFrame(const Frame& frame);
    /// Chooses the largest type (presentation mode: from 22 pt down to 12 pt) at which the text,
    /// `width` pixels wide, fits `maxHeight` without scrolling, and returns the height it needs.
    int fitHeight(int width, int maxHeight);

private:
    void render();

    QString m_title;
    QString m_about;
    QString m_lang = QStringLiteral("en");
    const Trace* m_trace = nullptr;
    std::uint64_t m_revision = 0;
    std::size_t m_visible = 0;
    int m_step = -2;
    bool m_presentation = false;
};

} // namespace synack
