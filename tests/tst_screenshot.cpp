// SPDX-License-Identifier: GPL-3.0-or-later
// `synack screenshot` with a saved trace: it replays the file (nothing is run) and renders the
// window; a trace the loader refuses is exit 2 with the loader's own message.
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class TestScreenshot : public QObject {
    Q_OBJECT
private:
    struct Outcome {
        int code = -1;
        QString err;
    };
    Outcome run(const QStringList& args)
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        // A replay needs no lab and no kernel: prove it by forbidding both.
        env.insert(QStringLiteral("SYNACK_TIER"), QStringLiteral("0"));
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(SYNACK_BINARY), args);
        if (!p.waitForFinished(120000))
            qFatal("synack did not finish");
        return { p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromUtf8(p.readAllStandardError()) };
    }
    QTemporaryDir m_dir;

private Q_SLOTS:
    void savedTraceIsReplayed_data()
    {
        QTest::addColumn<QString>("size");
        QTest::addColumn<QStringList>("extra");
        QTest::addRow("1280x720 presentation")
            << QStringLiteral("1280x720") << QStringList { QStringLiteral("--presentation") };
        QTest::addRow("1024x768 zh_CN") << QStringLiteral("1024x768")
                                        << QStringList { QStringLiteral("--lang"), QStringLiteral("zh_CN") };
    }

    void savedTraceIsReplayed()
    {
        QFETCH(QString, size);
        QFETCH(QStringList, extra);
        const QString out = m_dir.filePath(QStringLiteral("shot-%1.png").arg(size));
        auto r = run(
            QStringList { QStringLiteral("screenshot"),
                QStringLiteral(SYNACK_SOURCE_DIR "/tests/data/traces/active-close.json"), QStringLiteral("--step"),
                QStringLiteral("4"), QStringLiteral("-o"), out, QStringLiteral("--size"), size }
            + extra);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const QImage shot(out);
        QVERIFY(!shot.isNull());
        const QStringList wh = size.split(u'x');
        QCOMPARE(shot.size(), QSize(wh[0].toInt(), wh[1].toInt()));
    }

    void stepPastTheEndIsRefused()
    {
        auto r = run({ QStringLiteral("screenshot"),
            QStringLiteral(SYNACK_SOURCE_DIR "/tests/data/traces/handshake.json"), QStringLiteral("--step"),
            QStringLiteral("99"), QStringLiteral("-o"), m_dir.filePath(QStringLiteral("x.png")) });
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(QStringLiteral("did not reach step 99")), qPrintable(r.err));
    }

    void brokenTraceGivesTheLoadersMessage()
    {
        QFile original(QStringLiteral(SYNACK_SOURCE_DIR "/tests/data/traces/handshake.json"));
        QVERIFY(original.open(QIODevice::ReadOnly));
        QByteArray text = original.readAll();
        // The first segment's window, out of range.
        const qsizetype at = text.indexOf("\"window\":");
        QVERIFY(at > 0);
        const qsizetype end = text.indexOf(',', at);
        text.replace(at, end - at, "\"window\": 4294967296");
        const QString broken = m_dir.filePath(QStringLiteral("broken.json"));
        QFile f(broken);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(text);
        f.close();
        const QString out = m_dir.filePath(QStringLiteral("broken.png"));
        auto r = run({ QStringLiteral("screenshot"), broken, QStringLiteral("--step"), QStringLiteral("1"),
            QStringLiteral("-o"), out });
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(broken), qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("event ")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("window: 4294967296 is out of range")), qPrintable(r.err));
        QVERIFY(!QFile::exists(out));
    }
};

QTEST_GUILESS_MAIN(TestScreenshot)
#include "tst_screenshot.moc"
