// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMainWindow>

class QListWidget;
class QPlainTextEdit;
class QLabel;

namespace synack {

/// The main window: the scenario library and each scenario's text.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);

private:
    void showScenario(const QString& name);

    QListWidget* m_list = nullptr;
    QLabel* m_title = nullptr;
    QPlainTextEdit* m_source = nullptr;
};

} // namespace synack
