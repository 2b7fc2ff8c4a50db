// SPDX-License-Identifier: GPL-3.0-or-later
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "scenario/library.h"
#include "trace/picture.h"
#include "run/runner.h"
#include "trace/trace.h"

using namespace synack;

class TestTrace : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTripEveryKind()
    {
        Trace t;
        t.scenario = "x";
        t.title = "Title with “quotes” and 中文";
        t.file = "/tmp/x.synack";
        t.kernel = "6.1.0";
        t.startedAt = "2026-01-01T00:00:00Z";
        t.synackVersion = "0.1.0";
        t.stepCount = 3;
        StepEvent st { 4, "connect client listener", "client", "connect", "127.0.0.1:4000", -1, ECONNREFUSED,
            Phase::Completed, { { "socket", "AF_INET", 5, 0 }, { "connect", "127.0.0.1:4000", -1, EINPROGRESS, 3 } },
            "127.0.0.1:3999", "127.0.0.1:4000", "server", "client/peer", { { "en", "hello" }, { "zh", "你好" } } };
        t.events.push_back({ 1, 0, st });
        t.events.push_back({ 2, 0,
            StateEvent { "client", TcpState::SynSent, TcpState::Established, Source::Inferred, Role::Client, false,
                "127.0.0.1:1", "127.0.0.1:2", "why" } });
        t.events.push_back({ 2, 0,
            StateEvent { "client/peer", std::nullopt, TcpState::Close, Source::Kernel, Role::Peer, true, "", "",
                "the kernel no longer has this socket" } });
        BuffersEvent b;
        b.endpoint = "server";
        b.recvq = 0;
        b.sendq = 12;
        b.sndwnd = 65535;
        b.acceptq = -1;
        b.shutdown = Shutdown::Wr;
        t.events.push_back({ 3, 1, b });
        t.events.push_back({ 4, 1, TimerEvent { "client", TimerKind::TimeWait, 0, 59999, 0, Source::Kernel } });
        t.events.push_back({ 4, 1, TimerEvent { "client", TimerKind::Unknown, 9, 12, 0, Source::Kernel } });
        SegmentEvent seg;
        seg.from = "client";
        seg.to = "server";
        seg.flags = kSyn;
        seg.seq = 12345u;
        seg.window = 65535u;
        seg.source = Source::Capture;
        t.events.push_back({ 5, 1, seg });
        // A captured segment with every field the lab fills in.
        SegmentEvent captured = seg;
        captured.flags = kPsh | kAck;
        captured.ack = 4000000000u;
        captured.window = 65483u << 7;
        captured.length = 500;
        captured.relSeq = 1;
        captured.relAck = 1;
        captured.rawWindow = 65483u;
        captured.wscale = 7;
        captured.options.mss = 65495;
        captured.options.wscale = 7;
        captured.options.sackPermitted = true;
        captured.options.tsVal = 1;
        captured.options.tsEcr = 0;
        captured.options.sack = { { 10u, 20u }, { 30u, 40u } };
        captured.options.text = "nop,nop,TS val 1 ecr 0";
        captured.cause = "send";
        captured.wireNs = 4;
        captured.frame = 3;
        t.events.push_back({ 5, 1, captured });
        // The gated lab's: a held segment, its copy, and what was done at the gate.
        SegmentEvent held = captured;
        held.fate = "held";
        held.frame = 4;
        t.events.push_back({ 5, 1, held });
        SegmentEvent copy = held;
        copy.fate = "copy";
        copy.copyOf = 4;
        copy.frame = 5;
        t.events.push_back({ 5, 1, copy });
        t.events.push_back({ 5, 1, GateEvent { "deliver", 4, "client>server data", "scenario", 12 } });
        t.events.push_back({ 5, 1, GateEvent { "hold", 0, "", "user", 0 } });
        t.events.push_back({ 6, 2, ExpectEvent { 9, "expect client TIME_WAIT", "client", "state", "TIME_WAIT", "FIN_WAIT2", false } });
        t.events.push_back({ 7, 2, NoteEvent { NoteLevel::Warning, "careful", 3 } });

        const std::string json = traceToJson(t);
        auto back = traceFromJson(json);
        QVERIFY2(back.ok(), back.ok() ? "" : back.error().message().c_str());
        QCOMPARE(back->events.size(), t.events.size());
        for (std::size_t i = 0; i < t.events.size(); ++i)
            QVERIFY2(back->events[i] == t.events[i], qPrintable(QStringLiteral("event %1 differs").arg(i)));
        QVERIFY(*back == t);
        // Compact output reads back the same.
        QVERIFY(*traceFromJson(traceToJson(t, false)) == t);
    }

    void requiredFields()
    {
        // The documented shape: scenario, events[], each with t_ns and kind; state events with
        // endpoint/from/to/source.
        auto parsed = Library::load("handshake");
        QVERIFY(parsed.ok());
        Runner runner(*parsed.scenario);
        runner.runAll();
        const auto j = nlohmann::json::parse(traceToJson(runner.trace()));
        QCOMPARE(j.at("scenario").get<std::string>(), std::string("handshake"));
        QVERIFY(j.at("events").is_array());
        std::int64_t last = -1;
        int states = 0;
        for (const auto& e : j.at("events")) {
            QVERIFY(e.at("t_ns").is_number_integer());
            QVERIFY(e.at("t_ns").get<std::int64_t>() > last);
            last = e.at("t_ns").get<std::int64_t>();
            const auto kind = e.at("kind").get<std::string>();
            QVERIFY(kind == "step" || kind == "state" || kind == "buffers" || kind == "timer" || kind == "segment"
                || kind == "expect" || kind == "note");
            if (kind == "state") {
                ++states;
                QVERIFY(e.contains("endpoint") && e.contains("from") && e.contains("to"));
                const auto source = e.at("source").get<std::string>();
                QVERIFY(source == "kernel" || source == "inferred");
            }
            if (kind == "step") {
                QVERIFY(e.contains("call") && e.contains("args") && e.contains("result") && e.contains("errno"));
            }
        }
        QVERIFY(states >= 4);
    }

    void realRunRoundTripsLosslessly()
    {
        auto parsed = Library::load("active-close");
        QVERIFY(parsed.ok());
        Runner runner(*parsed.scenario);
        runner.runAll();
        auto back = traceFromJson(traceToJson(runner.trace()));
        QVERIFY(back.ok());
        QVERIFY(*back == runner.trace());
        // The same picture after every prefix.
        const std::size_t n = runner.trace().events.size();
        const Picture a = Picture::after(runner.trace(), n);
        const Picture b = Picture::after(*back, n);
        QCOMPARE(a.endpoints.size(), b.endpoints.size());
        for (std::size_t i = 0; i < a.endpoints.size(); ++i)
            QCOMPARE(a.endpoints[i].state, b.endpoints[i].state);
    }

    void formatOneStillLoads()
    {
        // A trace saved before roles and "gone" were recorded: they are read as its readers read them.
        const char* v1 = R"({"format":"synack-trace","version":1,"scenario":"x","tier":"host-loopback","steps":2,
            "events":[
            {"t_ns":1,"kind":"step","step":0,"line":1,"text":"listen srv","endpoint":"srv","call":"listen",
             "args":"","result":0,"errno":"0","phase":"done","calls":[]},
            {"t_ns":2,"kind":"state","step":0,"endpoint":"srv","from":"","to":"LISTEN","source":"kernel","local":"","peer":""},
            {"t_ns":3,"kind":"step","step":1,"line":2,"text":"connect c srv","endpoint":"c","call":"connect",
             "args":"","result":0,"errno":"0","phase":"done","calls":[]},
            {"t_ns":4,"kind":"state","step":1,"endpoint":"c","from":"CLOSE","to":"SYN_SENT","source":"inferred","local":"","peer":""},
            {"t_ns":5,"kind":"state","step":1,"endpoint":"c/peer","from":"","to":"SYN_RECV","source":"inferred","local":"","peer":""},
            {"t_ns":6,"kind":"state","step":1,"endpoint":"c/peer","from":"SYN_RECV","to":"CLOSE","source":"kernel",
             "local":"","peer":"","why":"the kernel no longer has this socket"},
            {"t_ns":7,"kind":"timer","step":1,"endpoint":"c","timer":"time-wait","remaining_ms":5},
            {"t_ns":8,"kind":"segment","step":1,"from":"c","to":"srv","flags":"SYN","length":0,"source":"inferred"}]})";
        auto t = traceFromJson(v1);
        QVERIFY2(t.ok(), t.ok() ? "" : t.error().message().c_str());
        const auto* srv = t->events[1].as<StateEvent>();
        const auto* c = t->events[3].as<StateEvent>();
        const auto* peer = t->events[4].as<StateEvent>();
        const auto* peerGone = t->events[5].as<StateEvent>();
        QVERIFY(srv && c && peer && peerGone);
        QCOMPARE(srv->role, Role::Listener);
        QCOMPARE(c->role, Role::Client);
        QCOMPARE(peer->role, Role::Peer);
        QVERIFY(!peer->gone);
        QVERIFY(peerGone->gone);
        QCOMPARE(sideOf(*t, "srv"), Side::Server);
        QCOMPARE(sideOf(*t, "c"), Side::Client);
        QCOMPARE(sideOf(*t, "c/peer"), Side::Server);
        QCOMPARE(t->events[6].as<TimerEvent>()->kind, TimerKind::TimeWait);
        QCOMPARE(t->events[7].as<SegmentEvent>()->flags, std::uint8_t(kSyn));
        // Written again, it is the current format, and reads back the same.
        const std::string again = traceToJson(*t);
        QVERIFY(again.find("\"version\": 3") != std::string::npos);
        QVERIFY(*traceFromJson(again) == *t);
    }

    void onlyRegularFilesAreRead_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("message");
        QTest::addRow("a device that never ends") << "/dev/zero" << "is not a regular file";
        QTest::addRow("a directory") << "/tmp" << "Is a directory";
        QTest::addRow("missing") << "/nonexistent/x.json" << "No such file or directory";
        QTest::addRow("a FIFO with no writer") << "fifo" << "is not a regular file";
        QTest::addRow("too big") << "big" << "bytes; trace files may be at most 268435456 bytes (256 MiB)";
    }
    void onlyRegularFilesAreRead()
    {
        QFETCH(QString, path);
        QFETCH(QString, message);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        if (path == QLatin1String("fifo")) {
            path = dir.filePath(QStringLiteral("fifo"));
            QCOMPARE(::mkfifo(path.toLocal8Bit().constData(), 0600), 0);
        } else if (path == QLatin1String("big")) {
            path = dir.filePath(QStringLiteral("big.json"));
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            QVERIFY(f.resize(kMaxTraceFileBytes + 1)); // sparse: nothing is written
        }
        // Returns at once, reading nothing it should not (a FIFO would block, /dev/zero never end).
        auto t = loadTraceFile(path.toStdString());
        QVERIFY(!t);
        QVERIFY2(QString::fromStdString(t.error().message()).contains(message), t.error().message().c_str());
        QVERIFY2(QString::fromStdString(t.error().message()).startsWith(path), t.error().message().c_str());
    }

    void badInput_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("message");
        QTest::addRow("not json") << "{" << "not valid JSON";
        QTest::addRow("no events") << R"({"scenario":"x"})" << "no \"events\"";
        QTest::addRow("unknown kind") << R"({"scenario":"x","events":[{"t_ns":1,"kind":"bogus"}]})" << "unknown kind";
        QTest::addRow("backwards") << R"({"scenario":"x","events":[{"t_ns":5,"kind":"note","text":"a"},{"t_ns":1,"kind":"note","text":"b"}]})"
                                   << "backwards";
        QTest::addRow("missing field") << R"({"scenario":"x","events":[{"t_ns":1,"kind":"state","endpoint":"c"}]})"
                                       << "event 0";
        QTest::addRow("bad source") << R"({"scenario":"x","events":[{"t_ns":1,"kind":"state","endpoint":"c","from":"","to":"LISTEN","source":"guess"}]})"
                                    << "event 0: source: unknown value 'guess'";
        // Hostile numbers: refused with the field and the event, never truncated or thrown.
        auto segment = [](const char* field) {
            return QStringLiteral(R"({"scenario":"x","events":[{"t_ns":1,"kind":"note","text":"a"},)"
                                  R"({"t_ns":2,"kind":"segment","from":"a","to":"b","flags":"ACK",%1}]})")
                .arg(QLatin1String(field));
        };
        QTest::addRow("1e400") << segment(R"("seq":1e400)")
                               << "event 1: not valid JSON at byte 134: number overflow parsing '1e400'";
        QTest::addRow("seq -1") << segment(R"("seq":-1)") << "event 1: seq: -1 is out of range (0 to 4294967295)";
        QTest::addRow("window 2^32") << segment(R"("window":4294967296)")
                                     << "event 1: window: 4294967296 is out of range (0 to 4294967295)";
        QTest::addRow("mss 70000") << segment(R"("options":{"mss":70000})")
                                   << "event 1: options: mss: 70000 is out of range (0 to 65535)";
        QTest::addRow("wscale option 300") << segment(R"("options":{"wscale":300})")
                                           << "event 1: options: wscale: 300 is out of range (0 to 255)";
        QTest::addRow("wscale 15") << segment(R"("wscale":15)") << "event 1: wscale: 15 is out of range (-1 to 14)";
        QTest::addRow("unknown fate") << segment(R"("fate":"teleported")")
                                      << "event 1: fate: unknown fate 'teleported'";
        QTest::addRow("unknown gate action")
            << R"({"scenario":"x","events":[{"t_ns":1,"kind":"gate","action":"explode","by":"user"}]})"
            << "event 0: action: unknown gate action 'explode'";
        QTest::addRow("seq as text") << segment(R"("seq":"12")") << "event 1: seq: expected a whole number, not string";
        QTest::addRow("seq as a fraction") << segment(R"("seq":1.5)")
                                           << "event 1: seq: expected a whole number, not the number 1.5";
        QTest::addRow("t_ns 1e300") << R"({"scenario":"x","events":[{"t_ns":1e300,"kind":"note","text":"a"}]})"
                                    << "event 0: t_ns: expected a whole number, not the number 1e+300";
        QTest::addRow("steps 2^31") << R"({"scenario":"x","steps":2147483648,"events":[]})"
                                    << "trace: steps: 2147483648 is out of range (0 to 100000)";
        QTest::addRow("step beyond the steps") << R"({"scenario":"x","events":[{"t_ns":1,"step":9999999,"kind":"note","text":"a"}]})"
                                               << "event 0: step: 9999999 is out of range (-1 to 100000)";
        QTest::addRow("events as an object") << R"({"scenario":"x","events":{"a":1}})" << "trace: events: expected an array";
        QTest::addRow("an event that is not an object") << R"({"scenario":"x","events":[1]})"
                                                        << "event 0: expected an object";
        QTest::addRow("tier unknown") << R"({"scenario":"x","tier":"moon","events":[]})"
                                      << "trace: tier: unknown value 'moon'";
        QTest::addRow("a newer format") << R"({"version":99,"events":[]})" << "written by a newer SynAck";
        QTest::addRow("not an object") << "[1,2]" << "the file is not a JSON object";
        QTest::addRow("nested too deeply")
            << R"({"events":[{"t_ns":1,"kind":"note","text":"a","x":[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]}]})"
            << "event 0: nested too deeply";
        QTest::addRow("errno unknown") << R"({"events":[{"t_ns":1,"kind":"step","call":"c","result":0,"errno":"EBOGUS"}]})"
                                       << "event 0: errno: unknown errno 'EBOGUS'";
        QTest::addRow("errno number") << R"({"events":[{"t_ns":1,"kind":"step","call":"c","result":0,"errno":"E99999"}]})"
                                      << "event 0: errno: unknown errno 'E99999'";
        QTest::addRow("call count 0") << R"({"events":[{"t_ns":1,"kind":"step","call":"c","result":0,"errno":"0","calls":[{"call":"x","result":0,"errno":"0","count":0}]}]})"
                                      << "event 0: calls[0]: count: 0 is out of range";
        QTest::addRow("truncated") << "{\"scenario\":\"x\",\"events\":[{\"t_ns\":1,\"kind\":\"note\",\"te"
                                   << "not valid JSON at byte";
    }
    void badInput()
    {
        QFETCH(QString, json);
        QFETCH(QString, message);
        auto r = traceFromJson(json.toStdString());
        QVERIFY(!r.ok());
        QVERIFY2(QString::fromStdString(r.error().message()).contains(message), r.error().message().c_str());
    }
};

QTEST_GUILESS_MAIN(TestTrace)
#include "tst_trace.moc"
