// SPDX-License-Identifier: GPL-3.0-or-later
#include <QApplication>
#include <QGuiApplication>

#include <cstdio>
#include <string>
#include <vector>

#include "cli.h"
#include "mainwindow.h"

int main(int argc, char** argv)
{
    std::vector<std::string> args(argv, argv + argc);
    // A first argument that is not an option is a headless subcommand (or a mistyped one, which
    // the CLI reports): those need no display. Options starting with '-' are the window's (Qt's).
    if (argc > 1 && (synack::cli::isCommand(args[1]) || args[1].rfind('-', 0) != 0))
        return synack::cli::main(args);
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("SynAck"));
    QApplication::setApplicationVersion(QStringLiteral(SYNACK_VERSION));
    QApplication::setOrganizationName(QStringLiteral("SynAck"));
    QGuiApplication::setDesktopFileName(QStringLiteral("synack"));
    synack::MainWindow window;
    window.show();
    return app.exec();
}
