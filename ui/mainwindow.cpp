// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow.h"

#include <QFontDatabase>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QStatusBar>
#include <QVBoxLayout>

#include "library.h"

namespace synack {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
{
    setWindowTitle(tr("SynAck"));
    auto* splitter = new QSplitter(this);
    m_list = new QListWidget(splitter);
    for (const std::string& name : Library::names()) {
        auto parsed = Library::load(name);
        auto* item = new QListWidgetItem(QString::fromStdString(name), m_list);
        if (parsed.scenario)
            item->setToolTip(QString::fromStdString(parsed.scenario->text(parsed.scenario->about)));
    }
    auto* right = new QWidget(splitter);
    auto* layout = new QVBoxLayout(right);
    m_title = new QLabel(right);
    QFont big = m_title->font();
    big.setPointSizeF(big.pointSizeF() * 1.4);
    big.setBold(true);
    m_title->setFont(big);
    m_title->setWordWrap(true);
    m_source = new QPlainTextEdit(right);
    m_source->setReadOnly(true);
    m_source->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    layout->addWidget(m_title);
    layout->addWidget(m_source, 1);
    splitter->setStretchFactor(1, 3);
    setCentralWidget(splitter);
    connect(m_list, &QListWidget::currentTextChanged, this, &MainWindow::showScenario);
    if (m_list->count() > 0)
        m_list->setCurrentRow(0);
    statusBar()->showMessage(tr("Run a scenario with: synack run NAME"));
    resize(1100, 700);
}

void MainWindow::showScenario(const QString& name)
{
    const std::string n = name.toStdString();
    auto parsed = Library::load(n);
    m_title->setText(parsed.scenario ? QString::fromStdString(parsed.scenario->text(parsed.scenario->title)) : name);
    auto text = Library::text(n);
    m_source->setPlainText(text ? QString::fromUtf8(text->data(), static_cast<qsizetype>(text->size())) : QString());
}

} // namespace synack
