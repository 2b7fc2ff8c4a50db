// SPDX-License-Identifier: GPL-3.0-or-later
// `synack bench`: the desktop app's speed and memory, measured the way a user meets them.
#include "bench.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QProcess>
#include <QSettings>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <numeric>
#include <sys/resource.h>
#include <vector>

#include "scenario/library.h"
#include "window/mainwindow.h"

namespace synack {

namespace {

    double percentile(std::vector<double> v, double p)
    {
        if (v.empty())
            return 0;
        std::sort(v.begin(), v.end());
        const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
        return v[i];
    }

    long maxRssKiB()
    {
        rusage u {};
        getrusage(RUSAGE_SELF, &u);
        return u.ru_maxrss; // KiB on Linux
    }

    void wait(int ms)
    {
        QEventLoop loop;
        QTimer::singleShot(ms, &loop, &QEventLoop::quit);
        loop.exec();
    }

    /// Times every frame of an animation as the app makes it: the views taking the frame in, plus
    /// painting what they marked as changed.
    std::vector<double> frameTimes(MainWindow& w, const char* scenario)
    {
        w.openScenario(QString::fromLatin1(scenario));
        w.runStepsNow(w.player().stepCount() - 1);
        Player& p = w.player();
        p.restart();
        std::vector<double> times;
        QElapsedTimer frame;
        QObject context;
        QObject::connect(&p, &Player::frameChanged, &context, [&] {
            // The window has taken the frame in (its views laid out and marked what changed);
            // now paint what they marked, as the event loop does before the next tick.
            frame.start();
            QCoreApplication::sendPostedEvents(nullptr, QEvent::UpdateRequest);
            QCoreApplication::sendPostedEvents(nullptr, QEvent::UpdateLater);
            times.push_back(static_cast<double>(w.lastFrameWorkNs() + frame.nsecsElapsed()) / 1e6);
        });
        p.setSpeed(4); // a whole scenario in a few seconds; frames are the same work at any speed
        p.play();
        QElapsedTimer limit;
        limit.start();
        while (p.isPlaying() && limit.elapsed() < 60000)
            wait(5);
        return times;
    }

} // namespace

int runBench(int argc, char** argv)
{
    // `synack bench --first-frame` is the child whose start-up is timed: it exits at its first frame.
    const bool child = argc > 2 && std::string(argv[2]) == "--first-frame";
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QTemporaryDir settingsDir;
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir.path());

    if (child) {
        MainWindow w;
        struct FirstPaint : QObject {
            bool eventFilter(QObject* o, QEvent* e) override
            {
                if (e->type() == QEvent::Paint)
                    QTimer::singleShot(0, qApp, [] {
                        std::fputs("first-frame\n", stdout);
                        std::fflush(stdout);
                        QCoreApplication::exit(0);
                    });
                return QObject::eventFilter(o, e);
            }
        } filter;
        w.installEventFilter(&filter);
        w.show();
        return app.exec();
    }

    std::cout << "SynAck " << SYNACK_VERSION << " benchmarks (platform: "
              << qEnvironmentVariable("QT_QPA_PLATFORM").toStdString() << ", software rendering)\n\n";

    // Start to first frame: a fresh process, from exec to the window's first paint.
    std::vector<double> starts;
    for (int i = 0; i < 5; ++i) {
        QProcess p;
        QElapsedTimer t;
        t.start();
        p.start(QCoreApplication::applicationFilePath(), { QStringLiteral("bench"), QStringLiteral("--first-frame") });
        p.waitForFinished(30000);
        if (p.readAllStandardOutput().contains("first-frame"))
            starts.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
    }
    std::printf("start to first frame    median %6.1f ms   worst %6.1f ms   (target < 400 ms, %zu runs)\n",
        percentile(starts, 0.5), percentile(starts, 1.0), starts.size());

    // Frame time while animating, at the window's default size.
    MainWindow w;
    w.resize(1600, 1000);
    w.show();
    std::vector<double> frames;
    for (const char* s : { "handshake", "active-close", "buffer-fill" }) {
        auto t = frameTimes(w, s);
        frames.insert(frames.end(), t.begin(), t.end());
    }
    const double mean = frames.empty() ? 0 : std::accumulate(frames.begin(), frames.end(), 0.0) / frames.size();
    std::printf("frame time (animating)  mean %6.2f ms   p95 %6.2f ms   worst %6.2f ms   (%zu frames; 60 fps = 16.7 ms)\n",
        mean, percentile(frames, 0.95), percentile(frames, 1.0), frames.size());

    // Memory after every built-in has been run and shown in the window.
    for (const std::string& name : Library::names()) {
        if (name == "keepalive")
            continue; // its 3.5 s wait adds time, not memory
        w.openScenario(QString::fromStdString(name));
        w.runStepsNow(w.player().stepCount() - 1);
    }
    std::printf("memory (max RSS)        %6.1f MiB after running and showing every built-in\n",
        static_cast<double>(maxRssKiB()) / 1024.0);
    return 0;
}

} // namespace synack
