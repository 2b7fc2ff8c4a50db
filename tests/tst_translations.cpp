// SPDX-License-Identifier: GPL-3.0-or-later
// The Simplified Chinese translation: it is embedded in the UI library as :/i18n/synack_zh_CN.qm,
// it loads, and with it installed the window's menus and step controls are in Chinese.
#include <QAction>
#include <QApplication>
#include <QFile>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QSet>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>
#include <QToolBar>
#include <QTranslator>

#include "window/mainwindow.h"

using namespace synack;

namespace {

const QString kQm = QStringLiteral(":/i18n/synack_zh_CN.qm");

bool hasCjk(const QString& s)
{
    for (const QChar c : s)
        if (c.unicode() >= 0x4E00 && c.unicode() <= 0x9FFF)
            return true;
    return false;
}

/// Names of languages are written in their own language in every UI language.
bool isLanguageName(const QString& s)
{
    return s == QStringLiteral("English") || s == QStringLiteral("简体中文");
}

/// Every action of the menu bar's menus, submenus included, in menu order (no separators).
QList<QAction*> menuActions(QMenuBar* bar)
{
    QList<QAction*> out;
    QList<QMenu*> todo;
    for (QAction* top : bar->actions())
        if (top->menu())
            todo << top->menu();
    while (!todo.isEmpty()) {
        QMenu* m = todo.takeFirst();
        for (QAction* a : m->actions()) {
            if (a->isSeparator())
                continue;
            out << a;
            if (a->menu())
                todo << a->menu();
        }
    }
    return out;
}

QStringList menuTitles(QMenuBar* bar)
{
    QStringList out;
    for (QAction* top : bar->actions())
        if (top->menu())
            out << top->text();
    return out;
}

QToolBar* stepsToolBar(MainWindow& w) { return w.findChild<QToolBar*>(QStringLiteral("stepsToolBar")); }

} // namespace

class TestTranslations : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QTranslator m_translator;
    QSet<QString> m_englishActionTexts;
    QStringList m_englishTitles;
    int m_englishActionCount = 0;

private Q_SLOTS:
    void initTestCase()
    {
        // Never read or change the user's saved settings.
        QVERIFY(m_dir.isValid());
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.path());
        QCoreApplication::setOrganizationName(QStringLiteral("SynAckTest"));
    }

    void englishSourceTexts()
    {
        // Without a translator: the English the sources say, to compare the translation with.
        MainWindow w;
        m_englishTitles = menuTitles(w.menuBar());
        QVERIFY(m_englishTitles.contains(QStringLiteral("&File")));
        for (QAction* a : menuActions(w.menuBar()))
            if (!a->text().isEmpty() && !isLanguageName(a->text()))
                m_englishActionTexts.insert(a->text());
        m_englishActionCount = static_cast<int>(menuActions(w.menuBar()).size());
        QVERIFY(m_englishActionTexts.contains(QStringLiteral("&Open Scenario…")));
        QVERIFY(m_englishActionTexts.contains(QStringLiteral("State diagram"))); // a dock's toggle
        QVERIFY(m_englishActionCount > 20);
    }

    void qmIsEmbeddedAndLoads()
    {
        QVERIFY2(QFile::exists(kQm), "the translation is not embedded in synack_ui");
        QVERIFY(m_translator.load(kQm));
        QVERIFY(!m_translator.isEmpty());
        QCOMPARE(m_translator.language(), QStringLiteral("zh_CN"));
        QVERIFY(QCoreApplication::installTranslator(&m_translator));
        QCOMPARE(QCoreApplication::translate("synack::MainWindow", "&File"), QStringLiteral("文件(&F)"));
    }

    void menusAreChinese()
    {
        MainWindow w;
        const QStringList titles = menuTitles(w.menuBar());
        QCOMPARE(titles.size(), m_englishTitles.size());
        for (const QString& t : titles) {
            QVERIFY2(hasCjk(t), qPrintable(QStringLiteral("menu title not translated: %1").arg(t)));
            QVERIFY2(!m_englishTitles.contains(t), qPrintable(t));
        }

        const QList<QAction*> actions = menuActions(w.menuBar());
        QCOMPARE(static_cast<int>(actions.size()), m_englishActionCount);
        int checked = 0;
        for (QAction* a : actions) {
            const QString text = a->text();
            if (text.isEmpty() || isLanguageName(text))
                continue;
            QVERIFY2(!m_englishActionTexts.contains(text),
                qPrintable(QStringLiteral("menu action still in English: %1").arg(text)));
            QVERIFY2(hasCjk(text), qPrintable(QStringLiteral("menu action without Chinese: %1").arg(text)));
            ++checked;
        }
        QVERIFY(checked > 20);
    }

    void stepControlsAreChinese()
    {
        MainWindow w;
        QToolBar* bar = stepsToolBar(w);
        QVERIFY(bar);
        QVERIFY(hasCjk(bar->windowTitle()));
        int actions = 0;
        for (QAction* a : bar->actions()) {
            if (a->isSeparator() || a->text().isEmpty())
                continue;
            QVERIFY2(hasCjk(a->text()), qPrintable(QStringLiteral("step control in English: %1").arg(a->text())));
            QVERIFY2(!m_englishActionTexts.contains(a->text()), qPrintable(a->text()));
            ++actions;
        }
        QVERIFY(actions >= 5); // restart, back, play, forward, run again, presentation mode
        // " Speed " and the step counter (" Ready · N steps " before the first step).
        const QList<QLabel*> labels = bar->findChildren<QLabel*>();
        QVERIFY(labels.size() >= 2);
        for (QLabel* l : labels)
            QVERIFY2(hasCjk(l->text()), qPrintable(QStringLiteral("toolbar label in English: %1").arg(l->text())));
        // Stepping changes the counter's wording: "Step 1 of N" is translated too.
        w.show();
        QVERIFY(w.runStepsNow(0));
        bool counter = false;
        for (QLabel* l : labels)
            counter = counter || (l->text().contains(QStringLiteral("第 1 步")));
        QVERIFY2(counter, "the step counter is not translated after the first step");
    }

    void cleanupTestCase() { QCoreApplication::removeTranslator(&m_translator); }
};

QTEST_MAIN(TestTranslations)
#include "tst_translations.moc"
