// SPDX-License-Identifier: GPL-3.0-or-later
// The expectation checker, against endpoints as the sampler last left them (no kernel): every
// quantity, what is said when the kernel did not report a value, NAME/peer, and a gone socket.
#include <QTest>

#include "run/endpoints.h"
#include "run/expectations.h"
#include "scenario/parser.h"

using namespace synack;

namespace {

SockAddr at(std::uint16_t port)
{
    SockAddr a = SockAddr::loopback(AF_INET);
    a.port = port;
    return a;
}

/// A listener, a client with a full reading, its accepted half, and an orphan in FIN_WAIT2.
struct Table {
    EndpointTable table;
    Table()
    {
        Endpoint& srv = table.obtain("srv");
        srv.role = Role::Listener;
        srv.local = at(5000);
        srv.lastState = TcpState::Listen;
        srv.last.present = true;
        srv.last.state = TcpState::Listen;
        srv.last.acceptq = 1;
        srv.last.backlog = 8;

        Endpoint& c = table.obtain("c");
        c.role = Role::Client;
        c.local = at(40000);
        c.peer = at(5000);
        c.lastState = TcpState::Established;
        Sample& s = c.last;
        s.present = true;
        s.state = TcpState::Established;
        s.recvq = 5000;
        s.sendq = 0;
        s.notsent = 0;
        s.sndbuf = 16384;
        s.rcvbuf = 131072;
        s.segsOut = 3;
        s.segsIn = 2;
        s.retrans = 0;
        s.shutdown = 0;
        c.hasLastCall = true;
        c.lastResult = -1;
        c.lastErr = ECONNRESET;

        Endpoint& a = table.obtain("a");
        a.role = Role::Accepted;
        a.local = at(5000);
        a.peer = at(40000);
        a.lastState = TcpState::CloseWait;
        a.last.present = true;
        a.last.state = TcpState::CloseWait;
        a.last.shutdown = 1;

        Endpoint& o = table.obtain("o");
        o.role = Role::Client;
        o.local = at(40001);
        o.peer = at(5000);
        o.appClosed = true; // an orphan: no descriptor
        o.lastState = TcpState::FinWait2;
        o.last.present = true;
        o.last.state = TcpState::FinWait2;
        o.last.timer = DiagTimer::TimeWait; // its timewait socket's timer
        o.last.timerMs = 59000;
    }
};

Step expectStep(const char* line)
{
    const std::string text = std::string("title: t\nlisten srv\nconnect c srv\naccept srv a\nconnect o srv\n") + line;
    ParseOutcome out = parseScenario(text, "t", "t.synack");
    if (!out.ok())
        qFatal("does not parse: %s: %s", line, out.errors.front().toString().c_str());
    return out.scenario->steps.back();
}

} // namespace

class TestExpectations : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void quantities_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QString>("observed");
        auto row = [](const char* line, bool ok, const char* observed) {
            QTest::addRow("%s", line) << QByteArray(line) << ok << QString::fromUtf8(observed);
        };
        row("expect c ESTABLISHED", true, "ESTABLISHED");
        row("expect c != SYN_SENT", true, "ESTABLISHED");
        row("expect c state == TIME_WAIT", false, "ESTABLISHED");
        row("expect c recvq >= 4k", true, "5000");
        row("expect c recvq < 4k", false, "5000");
        row("expect c sendq 0", true, "0");
        row("expect c notsent == 0", true, "0");
        row("expect c sndbuf 16k", true, "16384");
        row("expect c rcvbuf > 100k", true, "131072");
        row("expect c segs-out 3", true, "3");
        row("expect c segs-in >= 1", true, "2");
        row("expect c retrans 0", true, "0");
        row("expect c errno ECONNRESET", true, "ECONNRESET");
        row("expect c errno 0", false, "ECONNRESET");
        row("expect c result -1", true, "-1");
        row("expect c timer none", true, "none");
        row("expect c timer-ms > 0", false, "not reported"); // no timer, so no time left to read
        row("expect c shutdown none", true, "none");
        row("expect c blocked no", true, "no");
        row("expect c peer-state CLOSE_WAIT", true, "CLOSE_WAIT");
        row("expect c/peer CLOSE_WAIT", true, "CLOSE_WAIT"); // the accepted half, by its client
        row("expect c/peer shutdown rd", true, "rd");
        row("expect srv acceptq 1", true, "1");
        row("expect srv recvq 0", false, "not reported"); // a listener has no receive queue
        row("expect o FIN_WAIT2", true, "FIN_WAIT2");
        row("expect o timer fin-wait2", true, "fin-wait2"); // an orphan's, not TIME_WAIT's
        row("expect o timer time-wait", false, "fin-wait2");
        row("expect o timer-ms > 50s", true, "59000");
        row("expect o errno 0", false, "no call yet");
    }
    void quantities()
    {
        QFETCH(QByteArray, line);
        QFETCH(bool, ok);
        QFETCH(QString, observed);
        Table t;
        const ExpectEvent e = checkExpectation(expectStep(line.constData()), t.table);
        QCOMPARE(QString::fromStdString(e.observed), observed);
        QCOMPARE(e.ok, ok);
        QCOMPARE(e.text, line.toStdString());
    }

    void waitOutcomeSaysWhenAndHowASocketWent()
    {
        Table t;
        Endpoint& o = *t.table.find("o");
        o.goneStep = 4;
        o.goneLine = 12;
        o.goneFrom = TcpState::FinWait2;
        o.lastState = TcpState::Close;
        QVERIFY(goneForGood(o));
        const ExpectEvent e = waitOutcome(expectStep("wait o TIME_WAIT within 1s"), &o);
        QVERIFY(!e.ok);
        QCOMPARE(e.observed, std::string("gone: the kernel removed it at step 5 (line 12), from FIN_WAIT2"));
        // Waiting for CLOSE is met by a socket that went.
        QVERIFY(waitOutcome(expectStep("wait o CLOSE within 1s"), &o).ok);
        QCOMPARE(waitOutcome(expectStep("wait c CLOSE within 1s"), nullptr).observed, std::string("no such endpoint"));
    }
};

QTEST_GUILESS_MAIN(TestExpectations)
#include "tst_expectations.moc"
