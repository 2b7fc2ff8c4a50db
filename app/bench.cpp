// SPDX-License-Identifier: GPL-3.0-or-later
// `synack bench`: the desktop app's speed and memory, measured the way a user meets them.
#include "bench.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QSettings>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <numeric>
#include <sys/resource.h>
#include <vector>

#include "scenario/library.h"
#include "trace/synthetic.h"
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

    double msSince(const QElapsedTimer& t)
    {
        return static_cast<double>(t.nsecsElapsed()) / 1e6;
    }

    /// Paints what the views marked as changed, as the event loop does before the next frame.
    void paintPending(MainWindow& w)
    {
        QCoreApplication::sendPostedEvents(nullptr, QEvent::UpdateRequest);
        QCoreApplication::sendPostedEvents(nullptr, QEvent::UpdateLater);
        w.repaint();
    }

    /// A made-up trace of a size no scenario reaches, shown as a user meets it: read from its file
    /// (on the loader's thread in the window), shown at its start, at its end, a step back from
    /// there, and animated forward again.
    void bigTrace(MainWindow& w, const char* what, const Trace& trace, const QString& dir)
    {
        const QString path = dir + QStringLiteral("/big.json");
        {
            QFile f(path);
            if (!f.open(QIODevice::WriteOnly))
                return;
            f.write(QByteArray::fromStdString(traceToJson(trace, false)));
        }
        QElapsedTimer t;
        t.start();
        auto loaded = loadTraceFile(path.toStdString());
        const double loadMs = msSince(t);
        if (!loaded) {
            std::printf("%s: %s\n", what, loaded.error().message().c_str());
            return;
        }
        t.start();
        w.showTrace(std::move(*loaded), QString());
        paintPending(w);
        const double startMs = msSince(t);
        t.start();
        w.player().showAll();
        paintPending(w);
        const double endMs = msSince(t);
        t.start();
        w.player().stepBack();
        paintPending(w);
        const double backMs = msSince(t);
        // Forward again: the last step's events animate one by one; time each frame.
        std::vector<double> frames;
        QElapsedTimer frame;
        QObject context;
        QObject::connect(&w.player(), &Player::frameChanged, &context, [&] {
            frame.start();
            paintPending(w);
            frames.push_back(static_cast<double>(w.lastFrameWorkNs() + frame.nsecsElapsed()) / 1e6);
        });
        t.start();
        w.player().stepForward();
        while (frames.size() < 60 && w.player().isAnimating() && t.elapsed() < 20000)
            wait(5);
        std::printf("%-26s load %7.0f ms (worker)   start %6.0f ms   end %6.0f ms   back %6.0f ms   "
                    "frame p50 %6.1f ms  worst %6.1f ms\n",
            what, loadMs, startMs, endMs, backMs, percentile(frames, 0.5), percentile(frames, 1.0));
        std::fflush(stdout);
    }

    void bigTraces()
    {
        QTemporaryDir dir;
        MainWindow w;
        w.resize(1600, 1000);
        w.show();
        // Numbers mean little without the machine that made them.
        QString cpu;
        QFile info(QStringLiteral("/proc/cpuinfo"));
        if (info.open(QIODevice::ReadOnly))
            for (const QByteArray& line : info.readAll().split('\n'))
                if (line.startsWith("model name")) {
                    cpu = QString::fromUtf8(line.mid(line.indexOf(':') + 1).trimmed());
                    break;
                }
        std::printf("big traces (made up; the window at 1600x1000; %d CPUs, %s)\n", QThread::idealThreadCount(),
            cpu.isEmpty() ? "CPU unknown" : qPrintable(cpu));
        bigTrace(w, "20,000 endpoints", manyEndpointsTrace(20000, 200), dir.path());
        bigTrace(w, "1,000,000 events", manyEventsTrace(1'000'000, 1000), dir.path());
        std::printf("memory (max RSS)        %6.1f MiB\n", static_cast<double>(maxRssKiB()) / 1024.0);
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

    if (argc > 2 && std::string(argv[2]) == "--traces") {
        bigTraces();
        return 0;
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
        if (auto parsed = Library::load(name); !parsed.ok() || parsed.scenario->needs != Needs::Any)
            continue; // the wire's lessons wait for timers: time, not memory
        w.openScenario(QString::fromStdString(name));
        w.runStepsNow(w.player().stepCount() - 1);
    }
    std::printf("memory (max RSS)        %6.1f MiB after running and showing every built-in\n\n",
        static_cast<double>(maxRssKiB()) / 1024.0);
    bigTraces();
    return 0;
}

} // namespace synack
