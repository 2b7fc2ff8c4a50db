// SPDX-License-Identifier: GPL-3.0-or-later
// The `synack` command as a user runs it: output, exit codes, JSON on stdout.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#include "scenario/library.h"
#include "testsupport.h"

#include <csignal>
#include <functional>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <sys/socket.h>
#include <unistd.h>
#include <sys/stat.h>

class TestCli : public QObject {
    Q_OBJECT
private:
    struct Outcome {
        int code = -1;
        QString out;
        QString err;
    };
    Outcome run(const QStringList& args, const std::function<void(QProcess&)>& prepare = {})
    {
        QProcess p;
        if (prepare)
            prepare(p);
        p.start(QStringLiteral(SYNACK_BINARY), args);
        if (!p.waitForFinished(120000))
            qFatal("synack did not finish");
        return { p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError()) };
    }
    QString write(const QString& name, const QByteArray& text)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            qFatal("cannot write");
        f.write(text);
        return path;
    }
    static QByteArray readAll(const QString& path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }
    /// Files in the temporary directory whose names start with `prefix` (left-over temporaries).
    QStringList filesStartingWith(const QString& prefix) const
    {
        return QDir(m_dir.path()).entryList({ prefix + QLatin1Char('*') }, QDir::Files | QDir::Hidden | QDir::System);
    }
    /// Starts `synack run SCENARIO --json OUT`, waits until step `step` has begun, sends `sig`.
    Outcome interrupt(const QString& scenario, const QString& json, int step, int sig)
    {
        QProcess p;
        p.start(QStringLiteral(SYNACK_BINARY), { QStringLiteral("run"), scenario, QStringLiteral("--json"), json });
        QByteArray out;
        const QByteArray mark = "[" + QByteArray::number(step) + "/";
        QElapsedTimer t;
        t.start();
        while (!out.contains(mark) && t.elapsed() < 60000 && p.state() != QProcess::NotRunning) {
            p.waitForReadyRead(200);
            out += p.readAllStandardOutput();
        }
        if (!out.contains(mark))
            qFatal("the run never reached step %d", step);
        ::kill(static_cast<pid_t>(p.processId()), sig);
        if (!p.waitForFinished(60000))
            qFatal("synack did not stop after the signal");
        out += p.readAllStandardOutput();
        return { p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(out),
            QString::fromUtf8(p.readAllStandardError()) };
    }
    QTemporaryDir m_dir;

private Q_SLOTS:
    void helpAndVersion()
    {
        auto h = run({ QStringLiteral("--help") });
        QCOMPARE(h.code, 0);
        QVERIFY(h.out.contains(QStringLiteral("Exit codes")));
        auto v = run({ QStringLiteral("--version") });
        QCOMPARE(v.code, 0);
        QVERIFY(v.out.startsWith(QStringLiteral("synack ")));
    }

    void listNamesEveryBuiltin()
    {
        auto r = run({ QStringLiteral("list") });
        QCOMPARE(r.code, 0);
        const QStringList lines = r.out.split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), qsizetype(synack::Library::names().size())); // 14 on loopback, 9 on the wire
        QVERIFY(lines.first().startsWith(QStringLiteral("handshake")));
        QVERIFY(lines.first().contains(QStringLiteral("Three-way handshake")));
    }

    void runPrintsStatesAndWritesJson()
    {
        auto r = run({ QStringLiteral("run"), QStringLiteral("handshake"), QStringLiteral("--json"), QStringLiteral("-") });
        QCOMPARE(r.code, 0);
        const auto doc = QJsonDocument::fromJson(r.out.toUtf8());
        QVERIFY2(doc.isObject(), "stdout must be the JSON trace alone");
        QCOMPARE(doc[QStringLiteral("scenario")].toString(), QStringLiteral("handshake"));
        QVERIFY(doc[QStringLiteral("events")].toArray().size() > 10);
        // The human text went to stderr, with states after each step.
        QVERIFY(r.err.contains(QStringLiteral("ESTABLISHED")));
        QVERIFY(r.err.contains(QStringLiteral("[inferred")));

        auto text = run({ QStringLiteral("run"), QStringLiteral("active-close") });
        QCOMPARE(text.code, 0);
        QVERIFY(text.out.contains(QStringLiteral("TIME_WAIT")));
        QVERIFY(text.out.contains(QStringLiteral("time-wait")));
    }

    void checkPassesAndFails()
    {
        auto ok = run({ QStringLiteral("check"), QStringLiteral("handshake"), QStringLiteral("refused") });
        QCOMPARE(ok.code, 0);
        QVERIFY(ok.out.contains(QStringLiteral(" 0 failed")));

        const QString failing = write(QStringLiteral("wrong.synack"),
            "title: wrong\nlisten l\nconnect c l\nexpect c TIME_WAIT\n");
        auto bad = run({ QStringLiteral("check"), failing });
        QCOMPARE(bad.code, 1);
        QVERIFY(bad.out.contains(QStringLiteral("wrong.synack:4")));
        QVERIFY(bad.out.contains(QStringLiteral("expected TIME_WAIT, kernel says ESTABLISHED")));
    }

    void badInputExitsTwo()
    {
        const QString broken = write(QStringLiteral("broken.synack"), "title: broken\nlisten l\nconect c l\n");
        auto r = run({ QStringLiteral("check"), broken });
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(QStringLiteral("broken.synack:3:1:")), qPrintable(r.err));

        auto unknown = run({ QStringLiteral("run"), QStringLiteral("no-such-scenario") });
        QCOMPARE(unknown.code, 2);
        QVERIFY(unknown.err.contains(QStringLiteral("no-such-scenario")));

        auto cmd = run({ QStringLiteral("frobnicate") });
        QCOMPARE(cmd.code, 2);
        auto missing = run({ QStringLiteral("run"), m_dir.filePath(QStringLiteral("missing.synack")) });
        QCOMPARE(missing.code, 2);
        QVERIFY(missing.err.contains(QStringLiteral("missing.synack")));
    }
    void outputsAreCheckedBeforeTheRun()
    {
        for (const QString& empty : { QStringLiteral("--json="), QStringLiteral("--pcap=") }) {
            const auto r = run({ QStringLiteral("run"), QStringLiteral("handshake"), empty });
            QCOMPARE(r.code, 2);
            QVERIFY2(r.err.contains(QStringLiteral("not an empty one")), qPrintable(r.err));
        }
        // A directory, and a directory that does not exist: said before anything runs.
        const auto dir = run({ QStringLiteral("run"), QStringLiteral("handshake"), QStringLiteral("--json"), m_dir.path() });
        QCOMPARE(dir.code, 2);
        QVERIFY2(dir.err.contains(QStringLiteral("EISDIR")), qPrintable(dir.err));
        QVERIFY2(!dir.out.contains(QStringLiteral("[1/")), qPrintable(dir.out));
        const QString nowhere = m_dir.filePath(QStringLiteral("no/such/dir/t.json"));
        const auto missing = run({ QStringLiteral("run"), QStringLiteral("handshake"), QStringLiteral("--json"), nowhere });
        QCOMPARE(missing.code, 2);
        QVERIFY2(missing.err.contains(QStringLiteral("ENOENT")) && missing.err.contains(nowhere), qPrintable(missing.err));
        QVERIFY(!missing.out.contains(QStringLiteral("[1/")));
    }

    void aFailedWriteKeepsTheOldFileAndExitsTwo()
    {
        // The file size limit makes the write fail part-way, as a full disk would (EFBIG instead
        // of ENOSPC); the file the user had must survive whole and no temporary file stay behind.
        const QString path = write(QStringLiteral("kept.json"), "the user's old trace\n");
        const auto r = run({ QStringLiteral("run"), QStringLiteral("handshake"), QStringLiteral("--json"), path },
            [](QProcess& p) {
                p.setChildProcessModifier([] {
                    ::signal(SIGXFSZ, SIG_IGN);
                    rlimit rl { 4096, 4096 };
                    ::setrlimit(RLIMIT_FSIZE, &rl);
                });
            });
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(QStringLiteral("EFBIG")) && r.err.contains(path), qPrintable(r.err));
        QCOMPARE(readAll(path), QByteArray("the user's old trace\n"));
        QCOMPARE(filesStartingWith(QStringLiteral(".kept.json")), QStringList());

        // Without the limit the same command replaces it with the whole trace.
        const auto ok = run({ QStringLiteral("run"), QStringLiteral("handshake"), QStringLiteral("--json"), path });
        QCOMPARE(ok.code, 0);
        QVERIFY(!QJsonDocument::fromJson(readAll(path)).isNull());
        QCOMPARE(filesStartingWith(QStringLiteral(".kept.json")), QStringList());
    }

    void standardOutputErrorsExitTwo()
    {
        const auto json = run({ QStringLiteral("run"), QStringLiteral("handshake"), QStringLiteral("--json"), QStringLiteral("-") },
            [](QProcess& p) { p.setStandardOutputFile(QStringLiteral("/dev/full")); });
        QCOMPARE(json.code, 2);
        QVERIFY2(json.err.contains(QStringLiteral("ENOSPC")), qPrintable(json.err));
        const auto text = run({ QStringLiteral("list") },
            [](QProcess& p) { p.setStandardOutputFile(QStringLiteral("/dev/full")); });
        QCOMPARE(text.code, 2);
        QVERIFY2(text.err.contains(QStringLiteral("standard output")) && text.err.contains(QStringLiteral("ENOSPC")),
            qPrintable(text.err));
    }

    void aSignalWritesTheTraceSoFar_data()
    {
        QTest::addColumn<int>("sig");
        QTest::newRow("SIGINT") << int(SIGINT);
        QTest::newRow("SIGTERM") << int(SIGTERM);
    }
    void aSignalWritesTheTraceSoFar()
    {
        QFETCH(int, sig);
        // keepalive waits for seconds in its later steps: the signal lands inside a running step.
        const QString path = m_dir.filePath(QStringLiteral("interrupted.json"));
        QFile::remove(path);
        const auto r = interrupt(QStringLiteral("keepalive"), path, 5, sig);
        QCOMPARE(r.code, 128 + sig);
        const QString name = QLatin1String(sig == SIGINT ? "SIGINT" : "SIGTERM");
        QVERIFY2(r.out.contains(QStringLiteral("interrupted by ") + name), qPrintable(r.out));
        const QJsonDocument doc = QJsonDocument::fromJson(readAll(path));
        QVERIFY2(doc.isObject(), "the trace so far must be written, whole");
        const QJsonArray events = doc.object().value(QStringLiteral("events")).toArray();
        bool stepsRecorded = false, noted = false;
        for (const auto& v : events) {
            const QJsonObject e = v.toObject();
            stepsRecorded |= e.value(QStringLiteral("kind")).toString() == QLatin1String("step");
            noted |= e.value(QStringLiteral("kind")).toString() == QLatin1String("note")
                && e.value(QStringLiteral("text")).toString().startsWith(QStringLiteral("interrupted by ") + name);
        }
        QVERIFY(stepsRecorded);
        QVERIFY2(noted, "the trace says it was interrupted");
        QCOMPARE(filesStartingWith(QStringLiteral(".interrupted.json")), QStringList());
    }

    void controlCharactersAreEscaped()
    {
        const QString path = write(QStringLiteral("evil.synack"),
            "title: evil \x1b]0;owned\x07 title \xc2\x9b" "31m\n"
            "listen l\n  en: narration \x1b[2J cleared\n");
        const auto r = run({ QStringLiteral("run"), path });
        QCOMPARE(r.code, 0);
        QVERIFY2(!r.out.contains(QChar(0x1b)) && !r.out.contains(QChar(0x07)) && !r.out.contains(QChar(0x9b)),
            qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("evil \\x1b]0;owned\\x07 title \\u009b31m")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("narration \\x1b[2J cleared")), qPrintable(r.out));
    }

    void aFifoIsRefusedAtOnce()
    {
        const QString fifo = m_dir.filePath(QStringLiteral("pipe.synack"));
        QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
        const auto r = run({ QStringLiteral("run"), fifo });
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(QStringLiteral("not a regular file")), qPrintable(r.err));
    }

    void hostPortsNeedPermission()
    {
        // Another program's service on the host's loopback: a scenario must not reach it unless
        // the user says so.
        std::uint16_t port = 0;
        const synack::Fd service = synack::test::hostService(port);
        QVERIFY(service);
        auto connectionsWaiting = [&] { return synack::test::connectionWaiting(service.get()); };
        const QString path = write(QStringLiteral("poke.synack"),
            "title: poke\nconnect c port=" + QByteArray::number(port) + "\nexpect c ESTABLISHED\n");
        auto tier0 = [](QProcess& p) {
            auto env = QProcessEnvironment::systemEnvironment();
            env.insert(QStringLiteral("SYNACK_TIER"), QStringLiteral("0"));
            p.setProcessEnvironment(env);
        };
        const auto refused = run({ QStringLiteral("run"), path }, tier0);
        QCOMPARE(refused.code, 2);
        QVERIFY2(refused.out.contains(QStringLiteral("--allow-host-ports")), qPrintable(refused.out));
        QVERIFY2(!connectionsWaiting(), "nothing may have connected");

        const auto allowed = run({ QStringLiteral("run"), path, QStringLiteral("--allow-host-ports") }, tier0);
        QCOMPARE(allowed.code, 0);
        QVERIFY2(allowed.out.contains(QStringLiteral("ESTABLISHED")), qPrintable(allowed.out));
        QVERIFY2(connectionsWaiting(), "the allowed connection reached the service");
    }

    void aScenarioThatNeedsTheLabIsSkippedWithoutIt()
    {
        // SYNACK_TIER=0 takes the lab away: a sysctl must not run on host loopback instead.
        const QString path = write(QStringLiteral("fin.synack"),
            "title: fin\nsysctl tcp_fin_timeout 5\nlisten l\nconnect c l\nexpect c ESTABLISHED\n");
        auto tier0 = [](QProcess& p) {
            auto env = QProcessEnvironment::systemEnvironment();
            env.insert(QStringLiteral("SYNACK_TIER"), QStringLiteral("0"));
            p.setProcessEnvironment(env);
        };
        const auto checked = run({ QStringLiteral("check"), path, QStringLiteral("handshake") }, tier0);
        QCOMPARE(checked.code, 0);
        QVERIFY2(checked.out.contains(QStringLiteral("skipped it needs the lab")), qPrintable(checked.out));
        QVERIFY2(checked.out.contains(QStringLiteral("SYNACK_TIER=0")), qPrintable(checked.out));
        QVERIFY2(checked.out.contains(QStringLiteral(" 0 failed")), qPrintable(checked.out));

        const auto ran = run({ QStringLiteral("run"), path }, tier0);
        QCOMPARE(ran.code, 2);
        QVERIFY2(ran.err.contains(QStringLiteral("cannot run here: it needs the lab")), qPrintable(ran.err));

        if (synack::test::labMissing())
            return;
        // Where the lab is, check runs it there (not on host loopback) and it holds.
        const auto inLab = run({ QStringLiteral("check"), path });
        QCOMPARE(inLab.code, 0);
        QVERIFY2(inLab.out.contains(QStringLiteral("ok ")), qPrintable(inLab.out));
    }

    void theWiresBuiltinsAreSkippedWithoutTheGatedLab()
    {
        // The wire's built-ins are listed everywhere, skipped by check where the gated lab is
        // missing (exit 0 when the rest held) and refused by run with exit 2, each with the reason.
        auto tier0 = [](QProcess& p) {
            auto env = QProcessEnvironment::systemEnvironment();
            env.insert(QStringLiteral("SYNACK_TIER"), QStringLiteral("0"));
            p.setProcessEnvironment(env);
        };
        const auto listed = run({ QStringLiteral("list") }, tier0);
        QVERIFY2(listed.out.contains(QStringLiteral("lost-fin")), qPrintable(listed.out));
        QVERIFY2(listed.out.contains(QStringLiteral("[the wire]")), qPrintable(listed.out));
        const auto checked = run({ QStringLiteral("check"), QStringLiteral("lost-fin"), QStringLiteral("handshake") }, tier0);
        QCOMPARE(checked.code, 0);
        QVERIFY2(checked.out.contains(QStringLiteral("lost-fin              skipped it needs the gated lab")),
            qPrintable(checked.out));
        QVERIFY2(checked.out.contains(QStringLiteral("handshake             ok")), qPrintable(checked.out));
        const auto ran = run({ QStringLiteral("run"), QStringLiteral("stale-syn") }, tier0);
        QCOMPARE(ran.code, 2);
        QVERIFY2(ran.err.contains(QStringLiteral("cannot run here: it needs the gated lab")), qPrintable(ran.err));
    }

    void aLowDescriptorLimitIsNamed()
    {
#ifdef SYNACK_SANITIZE_BUILD
        // UBSan's vptr check probes memory through a pipe when a type is not in its cache: at the
        // descriptor limit that pipe fails and it reports "invalid vptr" on sound objects. The
        // normal build runs this test; tst_runner checks the same limit in the sanitizer build.
        QSKIP("UBSan needs a free descriptor of its own for its vptr check");
#endif
        // The soft and the hard limit both low: SynAck raises the soft one to the hard one at start,
        // so only a low hard limit stays. The environment is to blame, and the message says so.
        const auto r = run({ QStringLiteral("run"), QStringLiteral("handshake") }, [](QProcess& p) {
            p.setChildProcessModifier([] {
                rlimit rl { 6, 6 };
                ::setrlimit(RLIMIT_NOFILE, &rl);
            });
        });
        QCOMPARE(r.code, 2);
        const QString all = r.out + r.err;
        QVERIFY2(all.contains(QStringLiteral("RLIMIT_NOFILE")), qPrintable(all));
        QVERIFY2(!all.contains(QStringLiteral("has no address")), qPrintable(all));
    }
    void commandsThatRunNothingForkNothing()
    {
        // Every process synack leaves behind when it exits is handed to this test (a subreaper):
        // the lab's helper, if one was forked, then shows up here. `run` forks it (the control);
        // --version, list, help and a mistyped command must not (issue: a helper and a user
        // namespace for every invocation).
        QCOMPARE(::prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
        auto orphans = [] {
            int n = 0;
            QElapsedTimer t;
            t.start();
            // The helper dies with its parent (PR_SET_PDEATHSIG); give that a moment to happen.
            while (t.elapsed() < 500) {
                int status = 0;
                const pid_t pid = ::waitpid(-1, &status, WNOHANG);
                if (pid > 0)
                    ++n;
                else
                    QTest::qWait(20);
            }
            return n;
        };
        QCOMPARE(orphans(), 0);
        QCOMPARE(run({ QStringLiteral("run"), QStringLiteral("handshake") }).code, 0);
        if (!::getenv("SYNACK_TIER"))
            QVERIFY2(orphans() >= 1, "the control: a run forks the lab's helper");
        for (const QStringList& args : { QStringList { QStringLiteral("--version") }, QStringList { QStringLiteral("list") },
                 QStringList { QStringLiteral("--help") }, QStringList { QStringLiteral("frobnicate") } }) {
            run(args);
            QVERIFY2(orphans() == 0, qPrintable(args.join(u' ')));
        }
        QCOMPARE(::prctl(PR_SET_CHILD_SUBREAPER, 0), 0);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
