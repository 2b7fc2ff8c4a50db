// SPDX-License-Identifier: GPL-3.0-or-later
// The lab's pcap, read back by an independent reader (tcpdump, from the distribution's packages)
// and compared with the trace: the same segments, in the same order and directions, with the same
// flags, numbers, lengths and times. Also `synack run --pcap` and `synack doctor` as a user runs them.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <map>
#include <set>

#include "lab/lab.h"
#include "scenario/library.h"
#include "scenario/parser.h"
#include "lab/pcap.h"
#include "run/runner.h"
#include "testsupport.h"

using namespace synack;

namespace {

/// One line of `tcpdump -nn -tt -S -r FILE`.
struct DumpLine {
    QString time; ///< "1700000000.123456"
    QString src; ///< as SockAddr::toString() writes it: "127.0.0.1:5000", "[::1]:5000"
    QString dst;
    QString flags; ///< tcpdump's letters, sorted: "S", ".S", ".F", ".R"
    std::optional<quint32> seq; ///< tcpdump leaves it out of a bare ACK
    std::optional<quint32> ack;
    int length = -1;
};

/// "127.0.0.1.5000" -> "127.0.0.1:5000"; "::1.5000" -> "[::1]:5000".
QString endpointText(const QString& dumped, bool v6)
{
    const qsizetype dot = dumped.lastIndexOf(u'.');
    const QString host = dumped.left(dot), port = dumped.mid(dot + 1);
    return v6 ? QStringLiteral("[%1]:%2").arg(host, port) : host + u':' + port;
}

QString sortedLetters(QString s)
{
    std::sort(s.begin(), s.end());
    return s;
}

/// Our flags in tcpdump's letters (print-tcp.c: F S R P . U E W), sorted.
QString tcpdumpLetters(const std::string& flags)
{
    static const std::map<QString, QChar> kLetters = { { QStringLiteral("FIN"), u'F' }, { QStringLiteral("SYN"), u'S' },
        { QStringLiteral("RST"), u'R' }, { QStringLiteral("PSH"), u'P' }, { QStringLiteral("ACK"), u'.' },
        { QStringLiteral("URG"), u'U' }, { QStringLiteral("ECE"), u'E' }, { QStringLiteral("CWR"), u'W' } };
    QString out;
    for (const QString& f : QString::fromStdString(flags).split(u','))
        out += kLetters.at(f);
    return sortedLetters(out);
}

std::vector<DumpLine> readWithTcpdump(const QString& path, QString& problem)
{
    const QString tcpdump = QStandardPaths::findExecutable(QStringLiteral("tcpdump"),
        { QStringLiteral("/usr/sbin"), QStringLiteral("/usr/bin"), QStringLiteral("/sbin") });
    if (tcpdump.isEmpty()) {
        problem = QStringLiteral("tcpdump is not installed (scripts/setup.sh installs it)");
        return {};
    }
    QProcess p;
    p.start(
        tcpdump, { QStringLiteral("-nn"), QStringLiteral("-tt"), QStringLiteral("-S"), QStringLiteral("-r"), path });
    if (!p.waitForFinished(30000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        problem = QStringLiteral("tcpdump failed: ") + QString::fromUtf8(p.readAllStandardError());
        return {};
    }
    static const QRegularExpression line(QStringLiteral(
        R"(^(\d+\.\d{6}) (IP6?) (\S+) > (\S+): Flags \[([^\]]*)\](?:, seq (\d+)(?::\d+)?)?(?:, ack (\d+))?.*, length (\d+))"));
    std::vector<DumpLine> out;
    for (const QString& text : QString::fromUtf8(p.readAllStandardOutput()).split(u'\n', Qt::SkipEmptyParts)) {
        const auto m = line.match(text);
        if (!m.hasMatch()) {
            problem = QStringLiteral("tcpdump printed a line this test does not understand: ") + text;
            return {};
        }
        DumpLine d;
        const bool v6 = m.captured(2) == QStringLiteral("IP6");
        d.time = m.captured(1);
        d.src = endpointText(m.captured(3), v6);
        d.dst = endpointText(m.captured(4), v6);
        d.flags = sortedLetters(m.captured(5));
        if (!m.captured(6).isEmpty())
            d.seq = m.captured(6).toUInt();
        if (!m.captured(7).isEmpty())
            d.ack = m.captured(7).toUInt();
        d.length = m.captured(8).toInt();
        out.push_back(d);
    }
    return out;
}

/// Every address each endpoint had, from its calls and its state events.
std::map<std::string, std::set<std::string>> addressesOf(const Trace& t)
{
    std::map<std::string, std::set<std::string>> out;
    for (const Event& e : t.events) {
        if (const auto* s = e.as<StateEvent>(); s && !s->local.empty())
            out[s->endpoint].insert(s->local);
        if (const auto* s = e.as<StepEvent>(); s && !s->local.empty())
            out[s->creates.empty() ? s->endpoint : s->creates].insert(s->local);
    }
    return out;
}

QString microseconds(std::int64_t realNs)
{
    const std::int64_t us = realNs / 1000;
    return QStringLiteral("%1.%2").arg(us / 1'000'000).arg(us % 1'000'000, 6, 10, QLatin1Char('0'));
}

Scenario parse(const char* text)
{
    auto out = parseScenario(text, "test", "test.synack");
    if (!out.ok())
        qFatal("test scenario does not parse: %s", out.errors.front().toString().c_str());
    return *out.scenario;
}

} // namespace

class TestPcap : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

    struct Outcome {
        int code = -1;
        QString out;
        QString err;
    };
    Outcome synack(const QStringList& args, const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment())
    {
        QProcess p;
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(SYNACK_BINARY), args);
        if (!p.waitForFinished(120000))
            qFatal("synack did not finish");
        return { p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError()) };
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        SYNACK_REQUIRE_LAB();
    }

    void tcpdumpReadsWhatTheTraceSays_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("text"); // a scenario's text, or empty for the built-in `name`
        QTest::addRow("handshake") << "handshake" << QString();
        QTest::addRow("data-transfer") << "data-transfer" << QString();
        QTest::addRow("close-unread-rst") << "close-unread-rst" << QString();
        QTest::addRow("refused") << "refused" << QString();
        QTest::addRow("ipv6") << "ipv6"
                              << QStringLiteral(
                                     "title: IPv6\nsocket srv ipv6\nlisten srv\nconnect c srv\naccept srv s\n"
                                     "send c 100\nrecv s 100\nclose c\nwait s CLOSE_WAIT within 2s\n"
                                     "close s\nwait c TIME_WAIT within 2s\n");
    }
    void tcpdumpReadsWhatTheTraceSays()
    {
        QFETCH(QString, name);
        QFETCH(QString, text);
        Scenario sc;
        if (text.isEmpty()) {
            auto parsed = Library::load(name.toStdString());
            QVERIFY(parsed.ok());
            sc = *parsed.scenario;
        } else {
            sc = parse(text.toUtf8().constData());
        }
        RunOptions options;
        options.tier = Tier::Lab;
        Runner runner(sc, options);
        QVERIFY(runner.runAll().passed());
        const QString path = m_dir.filePath(name + QStringLiteral(".pcap"));
        const auto written = writePcap(path.toStdString(), runner.capturedPackets());
        QVERIFY2(written, written ? "" : written.error().message().c_str());

        QString problem;
        const auto lines = readWithTcpdump(path, problem);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        std::vector<const SegmentEvent*> segs;
        for (const Event& e : runner.trace().events)
            if (const auto* s = e.as<SegmentEvent>())
                segs.push_back(s);
        QCOMPARE(lines.size(), runner.capturedPackets().size());
        QCOMPARE(lines.size(), segs.size());
        auto addresses = addressesOf(runner.trace());
        for (std::size_t i = 0; i < segs.size(); ++i) {
            const SegmentEvent& s = *segs[i];
            const DumpLine& d = lines[static_cast<std::size_t>(s.frame - 1)];
            const QString where = QStringLiteral("segment %1 (%2 %3 %4)")
                                      .arg(i)
                                      .arg(QString::fromStdString(s.from), QString::fromStdString(s.flagsText()),
                                          QString::fromStdString(s.to));
            QCOMPARE(s.frame, static_cast<std::int64_t>(i + 1));
            QVERIFY2(
                addresses[s.from].count(d.src.toStdString()), qPrintable(where + QStringLiteral(": source ") + d.src));
            QVERIFY2(addresses[s.to].count(d.dst.toStdString()),
                qPrintable(where + QStringLiteral(": destination ") + d.dst));
            QCOMPARE(d.flags, tcpdumpLetters(s.flagsText()));
            if (d.seq)
                QCOMPARE(*d.seq, *s.seq);
            if (s.ack)
                QCOMPARE(d.ack.value_or(0), *s.ack);
            QCOMPARE(d.length, s.length);
            QCOMPARE(d.time, microseconds(runner.capturedPackets()[i].realNs));
        }
    }

    void synackRunWritesAPcap()
    {
        const QString pcap = m_dir.filePath(QStringLiteral("cli.pcap"));
        const QString json = m_dir.filePath(QStringLiteral("cli.json"));
        auto r = synack({ QStringLiteral("run"), QStringLiteral("active-close"), QStringLiteral("--pcap"), pcap,
            QStringLiteral("--json"), json });
        QVERIFY2(r.code == 0, qPrintable(r.err + r.out)); // stdout names a failed expectation
        QFile f(json);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const auto doc = QJsonDocument::fromJson(f.readAll());
        QCOMPARE(doc[QStringLiteral("tier")].toString(), QStringLiteral("lab"));
        QStringList fromJson;
        for (const QJsonValue v : doc[QStringLiteral("events")].toArray()) {
            const QJsonObject e = v.toObject();
            if (e[QStringLiteral("kind")].toString() != QStringLiteral("segment"))
                continue;
            QCOMPARE(e[QStringLiteral("source")].toString(), QStringLiteral("capture"));
            fromJson << tcpdumpLetters(e[QStringLiteral("flags")].toString().toStdString());
        }
        QString problem;
        const auto lines = readWithTcpdump(pcap, problem);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QStringList fromPcap;
        for (const DumpLine& d : lines)
            fromPcap << d.flags;
        QCOMPARE(fromPcap, fromJson);
        QCOMPARE(fromPcap.size(), 7); // handshake, then FIN, ACK, FIN, ACK
        // The text shows the captured numbers, relative as tcpdump shows them.
        QVERIFY(r.out.contains(QStringLiteral("seq 0 ack 1")));
    }

    void pcapNeedsTheLab()
    {
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("SYNACK_TIER"), QStringLiteral("0"));
        const QString pcap = m_dir.filePath(QStringLiteral("never.pcap"));
        auto r = synack({ QStringLiteral("run"), QStringLiteral("handshake"), QStringLiteral("--pcap"), pcap }, env);
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(QStringLiteral("tier 1")), qPrintable(r.err));
        QVERIFY(!QFile::exists(pcap));
        // Without --pcap the same run works on host loopback.
        auto plain = synack({ QStringLiteral("run"), QStringLiteral("handshake") }, env);
        QCOMPARE(plain.code, 0);
        QVERIFY(plain.out.contains(QStringLiteral("[inferred segment]")));
    }

    void doctorSaysWhichTier()
    {
        auto r = synack({ QStringLiteral("doctor") });
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.startsWith(QStringLiteral("tier 1: lab")));
        QVERIFY(r.out.contains(QStringLiteral("user.max_user_namespaces")));
        QVERIFY(r.out.contains(QStringLiteral("host loopback")));
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("SYNACK_TIER"), QStringLiteral("0"));
        auto forced = synack({ QStringLiteral("doctor") }, env);
        QCOMPARE(forced.code, 0);
        QVERIFY(forced.out.startsWith(QStringLiteral("tier 0: host loopback")));
        QVERIFY(forced.out.contains(QStringLiteral("SYNACK_TIER=0")));
    }
};

QTEST_GUILESS_MAIN(TestPcap)
#include "tst_pcap.moc"
