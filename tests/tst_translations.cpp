// SPDX-License-Identifier: GPL-3.0-or-later
// The Simplified Chinese translation: it is embedded in the UI library as :/i18n/synack_zh_CN.qm,
// it loads, and with it installed the window's menus and step controls are in Chinese; and every
// string the window shows of every built-in (the recorded traces, and real runs in the lab) is
// Chinese but for the program's own words: calls, states, flags, errno and option names, numbers,
// addresses, endpoint names and the scenario's statements.
#include <QAction>
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QRegularExpression>
#include <QSet>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>
#include <QToolBar>
#include <QTranslator>

#include <algorithm>

#include "ladder/ladderview.h"
#include "models/eventlogmodel.h"
#include "models/sockettablemodel.h"
#include "panels/buffersview.h"
#include "panels/narrationview.h"
#include "run/runner.h"
#include "scenario/library.h"
#include "testsupport.h"
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

QToolBar* stepsToolBar(MainWindow& w)
{
    return w.findChild<QToolBar*>(QStringLiteral("stepsToolBar"));
}

/// The English a Chinese window may show: the program's own words, as a Chinese textbook writes
/// them. Everything else of three or more ASCII letters is untranslated prose.
class EnglishAllowed {
public:
    explicit EnglishAllowed(const Trace& trace)
    {
        // System calls and C names (listen()'s `backlog`, errno itself); tcpdump's field names;
        // proper names.
        for (const char* w : { "socket", "bind", "listen", "connect", "accept", "accept4", "send", "recv", "close",
                 "shutdown", "setsockopt", "getsockopt", "fcntl", "read", "write", "poll", "backlog", "errno", "seq",
                 "ack", "win", "RFC", "Linux", "SynAck" })
            m_words.insert(QString::fromLatin1(w));
        for (int st = 0; st < 16; ++st)
            if (const std::string_view name = stateName(static_cast<TcpState>(st)); !name.empty())
                m_words.insert(QString::fromUtf8(name.data(), static_cast<qsizetype>(name.size())));
        // The scenario's own words: its statements and the names it gave its endpoints.
        for (const Event& e : trace.events) {
            if (const auto* s = e.as<StepEvent>()) {
                m_statements << QString::fromStdString(s->text);
                addName(s->endpoint);
                addName(s->creates);
                addName(s->adopts);
            } else if (const auto* x = e.as<ExpectEvent>()) {
                m_statements << QString::fromStdString(x->text);
            } else if (const auto* st = e.as<StateEvent>()) {
                addName(st->endpoint);
            } else if (const auto* g = e.as<SegmentEvent>()) {
                addName(g->from);
                addName(g->to);
            } else if (const auto* gate = e.as<GateEvent>()) {
                // "client>server FIN": the scenario's hosts and flags.
                for (const QString& w : QString::fromStdString(gate->pattern)
                                            .split(QRegularExpression(QStringLiteral("[ >]")), Qt::SkipEmptyParts))
                    m_words.insert(w);
            }
        }
        // The scenario's name and the kernel's release, as the run's note names them.
        m_statements << QString::fromStdString(trace.scenario) << QString::fromStdString(trace.kernel);
        m_statements.removeAll(QString());
        static const QRegularExpression word(QStringLiteral("[A-Za-z0-9_]+"));
        for (const QString& st : std::as_const(m_statements))
            for (auto it = word.globalMatch(st); it.hasNext();)
                m_prefixable << it.next().captured();
        for (const QString& w : std::as_const(m_words))
            m_prefixable << w;
        m_statements.removeDuplicates();
        std::sort(m_statements.begin(), m_statements.end(),
            [](const QString& a, const QString& b) { return a.size() > b.size(); });
    }

    /// The first word of `text` that is English prose, or "" when there is none.
    QString englishIn(QString text) const
    {
        for (const QString& st : m_statements)
            text.replace(st, QStringLiteral(" "));
        // A statement the ladder elided to fit ("wait c3 ESTABLIS…", "set reuser r…").
        if (const qsizetype cut = text.indexOf(u'…'); cut > 0 && text.indexOf(u'…', cut + 1) < 0) {
            const QString head = text.left(cut).trimmed(), tail = text.mid(cut + 1).trimmed();
            if (std::any_of(m_statements.begin(), m_statements.end(),
                    [&](const QString& st) { return st.startsWith(head) && st.endsWith(tail); }))
                return {};
        }
        // Source quoted in prose (`gate lose`).
        static const QRegularExpression quoted(QStringLiteral("`[^`]*`"));
        text.replace(quoted, QStringLiteral(" "));
        // sysctl paths (net.ipv4.tcp_fin_timeout) and the option names of a statement.
        static const QRegularExpression sysctl(QStringLiteral("\\bnet\\.[a-z0-9_.]+"));
        text.replace(sysctl, QStringLiteral(" "));
        static const QRegularExpression word(QStringLiteral("[A-Za-z0-9_]+"));
        static const QRegularExpression letters(QStringLiteral("[A-Za-z]{3,}"));
        // Acronyms (flags, RTO, MTU, SACK), errno, signal and poll event names, units (KiB), the C library's and the
        // kernel's constants (SO_LINGER, O_NONBLOCK, AF_INET, MSG_NOSIGNAL, state names) and C identifiers with an
        // underscore (tcpi_bytes_sent, tcp_fin_timeout).
        static const QRegularExpression constant(QStringLiteral(
            "^([A-Z]{2,5}|E[A-Z]+|SIG[A-Z]+|POLL[A-Z]+|[KMG]iB|[A-Z][A-Z0-9]*_[A-Z0-9_]+|[a-z][a-z0-9]*_[a-z0-9_]+)$"));
        for (auto it = word.globalMatch(text); it.hasNext();) {
            const QRegularExpressionMatch m = it.next();
            const QString w = m.captured();
            if (!letters.match(w).hasMatch() || m_words.contains(w) || constant.match(w).hasMatch())
                continue;
            // A word an elided text cut short ("listen liste…") is the start of an allowed one.
            if (text.mid(m.capturedEnd(), 1) == QStringLiteral("…")
                && std::any_of(
                    m_prefixable.begin(), m_prefixable.end(), [&w](const QString& a) { return a.startsWith(w); }))
                continue;
            return w;
        }
        return {};
    }

private:
    void addName(const std::string& name)
    {
        // "client/peer" is two words.
        for (const QString& part : QString::fromStdString(name).split(u'/', Qt::SkipEmptyParts))
            m_words.insert(part);
    }

    QSet<QString> m_words;
    QStringList m_statements;
    QSet<QString> m_prefixable; ///< the allowed words and the statements' words
};

/// Every string the window shows of the trace it holds, each with where it was seen.
QList<std::pair<QString, QString>> visibleTexts(MainWindow& w)
{
    QList<std::pair<QString, QString>> out;
    auto add = [&out](const QString& where, const QString& text) {
        if (!text.isEmpty())
            out << std::pair { where, text };
    };
    for (const LadderView::Item& it : w.ladder()->items()) {
        add(QStringLiteral("ladder label"), it.label);
        add(QStringLiteral("ladder detail"), it.detail);
        add(QStringLiteral("ladder note"), it.note);
        add(QStringLiteral("ladder held"), it.heldLabel);
        add(QStringLiteral("ladder tooltip"), it.toolTip);
    }
    if (auto* table = w.findChild<SocketTableModel*>()) {
        for (int c = 0; c < table->columnCount(); ++c) {
            add(QStringLiteral("socket table header"), table->headerData(c, Qt::Horizontal).toString());
            add(QStringLiteral("socket table header tooltip"),
                table->headerData(c, Qt::Horizontal, Qt::ToolTipRole).toString());
        }
        for (int r = 0; r < table->rowCount(); ++r)
            for (int c = 0; c < table->columnCount(); ++c) {
                add(QStringLiteral("socket table"), table->index(r, c).data().toString());
                add(QStringLiteral("socket table tooltip"), table->index(r, c).data(Qt::ToolTipRole).toString());
            }
    }
    if (auto* log = w.findChild<EventLogModel*>()) {
        for (int c = 0; c < log->columnCount(); ++c)
            add(QStringLiteral("event log header"), log->headerData(c, Qt::Horizontal).toString());
        for (int r = 0; r < log->rowCount(); ++r)
            for (int c = 0; c < log->columnCount(); ++c)
                add(QStringLiteral("event log"), log->index(r, c).data().toString());
    }
    if (auto* buffers = w.findChild<BuffersView*>()) {
        for (const BuffersView::Gauge& g : buffers->gauges()) {
            add(QStringLiteral("buffers caption"), g.caption);
            add(QStringLiteral("buffers capacity"), g.capacityText);
        }
        add(QStringLiteral("buffers"), buffers->moreText());
    }
    return out;
}

/// Shows `trace` in a Chinese window, step by step for the narration, then at its end for the rest,
/// and fails on the first string with English prose in it.
void checkChinese(Trace trace, const QString& name)
{
    const EnglishAllowed allowed(trace);
    MainWindow w;
    w.setNarrationLanguage(QStringLiteral("zh"));
    w.resize(1920, 1080);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    const int steps = trace.stepCount;
    w.showTrace(std::move(trace), QString());
    auto* narration = w.findChild<NarrationView*>();
    QVERIFY(narration);
    QList<std::pair<QString, QString>> texts;
    for (int step = 0; step < steps; ++step) {
        w.player().seekToStep(step);
        QCoreApplication::processEvents();
        texts << std::pair { QStringLiteral("narration at step %1").arg(step + 1), narration->toPlainText() };
    }
    w.player().showAll();
    QCoreApplication::processEvents();
    QCOMPARE(w.player().currentStep(), steps - 1);
    texts << visibleTexts(w);
    QVERIFY(texts.size() > 20);
    // Line by line, so the message names the lines at fault, each once.
    QStringList english;
    for (const auto& [where, text] : texts)
        for (const QString& line : text.split(u'\n'))
            if (const QString word = allowed.englishIn(line); !word.isEmpty())
                english << QStringLiteral("%1: \"%2\" in \"%3\"").arg(where, word, line);
    english.removeDuplicates();
    QVERIFY2(english.isEmpty(),
        qPrintable(
            QStringLiteral("%1 shows English:\n  %2").arg(name, english.mid(0, 30).join(QStringLiteral("\n  ")))));
}

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

    void recordedTracesAreChinese_data()
    {
        QTest::addColumn<QString>("path");
        const QDir dir(QStringLiteral(SYNACK_SOURCE_DIR "/tests/data/traces"));
        const QStringList files = dir.entryList({ QStringLiteral("*.json") }, QDir::Files, QDir::Name);
        QVERIFY(files.size() >= 10);
        for (const QString& f : files)
            QTest::addRow("%s", qPrintable(f)) << dir.filePath(f);
    }
    void recordedTracesAreChinese()
    {
        QFETCH(QString, path);
        auto trace = loadTraceFile(path.toStdString());
        QVERIFY2(trace.ok(), qPrintable(path));
        checkChinese(std::move(*trace), QFileInfo(path).fileName());
    }

    void builtinRunsAreChinese_data()
    {
        QTest::addColumn<QString>("name");
        for (const std::string& n : Library::names())
            QTest::addRow("%s", n.c_str()) << QString::fromStdString(n);
    }
    void builtinRunsAreChinese()
    {
        // Real runs show what recorded traces may not: captured segments, the gate, timers.
        SYNACK_REQUIRE_LAB();
        QFETCH(QString, name);
        auto parsed = Library::load(name.toStdString());
        QVERIFY(parsed.ok());
        const Tier tier = test::gatedLabMissing() ? Tier::Lab : Tier::Gated;
        if (!test::runsOn(*parsed.scenario, tier))
            QSKIP("needs the gated lab, which this machine does not have (see synack doctor)");
        RunOptions options;
        options.tier = Tier::Auto;
        Runner runner(*parsed.scenario, options);
        const RunSummary& summary = runner.runAll();
        if (!summary.passed())
            qWarning("%s", qPrintable(name + test::failuresText(summary)));
        checkChinese(runner.trace(), name);
    }

    void cleanupTestCase() { QCoreApplication::removeTranslator(&m_translator); }
};

QTEST_MAIN(TestTranslations)
#include "tst_translations.moc"
