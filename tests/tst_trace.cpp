// SPDX-License-Identifier: GPL-3.0-or-later
#include <QTest>

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
        QVERIFY(again.find("\"version\": 2") != std::string::npos);
        QVERIFY(*traceFromJson(again) == *t);
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
                                    << "unknown source";
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
