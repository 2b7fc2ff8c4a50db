// SPDX-License-Identifier: GPL-3.0-or-later
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QGuiApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QTemporaryDir>
#include <QTranslator>

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "base/limits.h"
#include "bench.h"
#include "cli.h"
#include "lab/lab.h"
#include "terminal.h"
#include "window/mainwindow.h"

namespace {

/// The UI language: --lang, else the system's. Installs Qt's and SynAck's translations.
QString installTranslations(QApplication& app, const QString& requested)
{
    QString lang = requested.isEmpty() ? QLocale().name() : requested;
    const bool chinese = lang.startsWith(QStringLiteral("zh"));
    if (!chinese)
        return QStringLiteral("en");
    QLocale::setDefault(QLocale(QLocale::Chinese, QLocale::China));
    auto* qt = new QTranslator(&app);
    if (qt->load(QLocale(QLocale::Chinese, QLocale::China), QStringLiteral("qtbase"), QStringLiteral("_"),
            QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    auto* ours = new QTranslator(&app);
    if (ours->load(QStringLiteral(":/i18n/synack_zh_CN.qm")))
        QCoreApplication::installTranslator(ours);
    return QStringLiteral("zh");
}

void setIdentity()
{
    QApplication::setApplicationName(QStringLiteral("SynAck"));
    QApplication::setApplicationVersion(QStringLiteral(SYNACK_VERSION));
    QApplication::setOrganizationName(QStringLiteral("SynAck"));
    QGuiApplication::setDesktopFileName(QStringLiteral("synack"));
}

/// `synack screenshot NAME|FILE --step N -o OUT.png [--size WxH] [--lang zh_CN] [--presentation]`:
/// runs the scenario live up to step N (1-based; 0 = before the first), or replays a saved trace
/// (FILE.json) up to there, and saves the window.
int screenshot(int argc, char** argv)
{
    // No display needed: render offscreen unless the caller chose a platform.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    setIdentity();
    // A screenshot must not depend on (or change) the user's saved layout and choices.
    QTemporaryDir settingsDir;
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir.path());

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Render the SynAck window after a step of a scenario."));
    parser.addPositionalArgument(QStringLiteral("screenshot"), QStringLiteral("the subcommand"));
    parser.addPositionalArgument(
        QStringLiteral("scenario"), QStringLiteral("a built-in name, a .synack file or a saved trace (.json)"));
    QCommandLineOption step(QStringLiteral("step"), QStringLiteral("show the window after step N (0 = before the first)"),
        QStringLiteral("N"), QStringLiteral("1"));
    QCommandLineOption out({ QStringLiteral("o"), QStringLiteral("output") }, QStringLiteral("the PNG to write"),
        QStringLiteral("OUT.png"));
    QCommandLineOption size(QStringLiteral("size"), QStringLiteral("window size"), QStringLiteral("WxH"),
        QStringLiteral("1600x1000"));
    QCommandLineOption lang(QStringLiteral("lang"), QStringLiteral("en or zh_CN"), QStringLiteral("LANG"));
    QCommandLineOption presentation(QStringLiteral("presentation"), QStringLiteral("presentation mode"));
    parser.addOptions({ step, out, size, lang, presentation });
    parser.addHelpOption();
    parser.process(app);
    const QStringList args = parser.positionalArguments();
    if (args.size() != 2 || !parser.isSet(out)) {
        std::cerr << "usage: synack screenshot NAME|FILE --step N -o OUT.png [--size WxH] [--lang zh_CN] "
                     "[--presentation]\n";
        return 2;
    }
    bool okStep = false;
    const int n = parser.value(step).toInt(&okStep);
    const QStringList wh = parser.value(size).split(u'x');
    if (!okStep || n < 0 || wh.size() != 2 || wh[0].toInt() < 200 || wh[1].toInt() < 200) {
        std::cerr << "synack screenshot: --step takes a number >= 0 and --size WxH (at least 200x200)\n";
        return 2;
    }
    const QString uiLang = installTranslations(app, parser.value(lang));

    synack::MainWindow window;
    window.setNarrationLanguage(uiLang);
    if (args[1].endsWith(QStringLiteral(".json"))) {
        // A saved trace is replayed: nothing is run.
        QString refused;
        QObject::connect(&window, &synack::MainWindow::traceRefused, &window,
            [&refused](const QString&, const QString& message) { refused = message; });
        if (!window.openTraceNow(args[1])) {
            std::cerr << "synack screenshot: "
                      << (refused.isEmpty() ? QStringLiteral("cannot read ") + args[1] : refused).toStdString() << "\n";
            return 2;
        }
    } else if (!window.openScenario(args[1])) {
        for (const QString& e : window.editorErrors())
            std::cerr << e.toStdString() << "\n";
        if (window.editorErrors().isEmpty())
            std::cerr << "synack screenshot: cannot open " << args[1].toStdString() << "\n";
        return 2;
    }
    window.resize(wh[0].toInt(), wh[1].toInt());
    window.show();
    if (parser.isSet(presentation)) {
        window.setPresentation(true);
        window.showNormal(); // offscreen has no real full screen: keep the requested size
        window.resize(wh[0].toInt(), wh[1].toInt());
    }
    if (n > 0 && !window.runStepsNow(n - 1)) {
        std::cerr << "synack screenshot: the run did not reach step " << n << "\n";
        return 2;
    }
    // Let queued layout work (the table sizing its columns to their contents) finish first.
    QElapsedTimer settle;
    settle.start();
    while (settle.elapsed() < 300)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    if (!window.grab().save(parser.value(out))) {
        std::cerr << "synack screenshot: cannot write " << parser.value(out).toStdString() << "\n";
        return 2;
    }
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    // A run holds a few descriptors per endpoint; `ulimit -n` is often far below what is allowed.
    synack::raiseDescriptorLimit();
    std::vector<std::string> args(argv, argv + argc);
    // What the commands print may quote someone else's file: it must not drive the terminal.
    if (argc > 1)
        synack::terminal::install();
    // The lab's helper is best forked before any thread starts (see lab.h), and only by what
    // may run a scenario: not by `synack --version`, `list` or a mistyped command.
    const bool opensWindow = argc < 2 || (!synack::cli::isCommand(args[1]) && args[1].rfind('-', 0) == 0);
    if (opensWindow || args[1] == "screenshot" || args[1] == "bench" || synack::cli::needsLab(args[1]))
        synack::Lab::prepare();
    if (argc > 1 && args[1] == "screenshot")
        return screenshot(argc, argv);
    if (argc > 1 && args[1] == "bench")
        return synack::runBench(argc, argv);
    // A first argument that is not an option is a headless subcommand (or a mistyped one, which
    // the CLI reports): those need no display. Options starting with '-' are the window's.
    if (argc > 1 && (synack::cli::isCommand(args[1]) || args[1].rfind('-', 0) != 0))
        return synack::cli::main(args);

    QApplication app(argc, argv);
    setIdentity();
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Watch the Linux kernel's TCP state machine work."));
    QCommandLineOption lang(QStringLiteral("lang"), QStringLiteral("user interface language: en or zh_CN"),
        QStringLiteral("LANG"));
    parser.addOption(lang);
    parser.process(app);
    const QString uiLang = installTranslations(app, parser.value(lang));
    synack::MainWindow window;
    if (parser.isSet(lang))
        window.setNarrationLanguage(uiLang);
    window.show();
    return app.exec();
}
