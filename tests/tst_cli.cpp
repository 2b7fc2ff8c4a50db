// SPDX-License-Identifier: GPL-3.0-or-later
// The `synack` command as a user runs it: output, exit codes, JSON on stdout.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class TestCli : public QObject {
    Q_OBJECT
private:
    struct Outcome {
        int code = -1;
        QString out;
        QString err;
    };
    Outcome run(const QStringList& args)
    {
        QProcess p;
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
        QCOMPARE(lines.size(), 14);
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
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
