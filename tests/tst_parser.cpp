// SPDX-License-Identifier: GPL-3.0-or-later
// The scenario language: every step kind, every kind of error with its exact position, headers and
// narration, comments and quoting, number suffixes, limits, and reading files.
#include <QByteArray>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/socket.h>

#include "scenario/parser.h"

using namespace synack;

namespace {

constexpr const char* kFile = "t.synack";

/// Parses `body`. The title goes last (headers may stand anywhere) so line numbers in the tests are
/// the body's own.
ParseOutcome parse(const QByteArray& body, bool addTitle = true)
{
    QByteArray text = body;
    if (addTitle)
        text += "\ntitle: Test\n";
    return parseScenario(std::string_view(text.constData(), static_cast<std::size_t>(text.size())), "t", kFile);
}

QByteArray errorList(const ParseOutcome& outcome)
{
    QByteArray out;
    for (const Diagnostic& d : outcome.errors)
        out += QByteArray::fromStdString(d.toString()) + '\n';
    return out;
}

std::string shutdownText(ShutdownHow how)
{
    switch (how) {
    case ShutdownHow::Rd:
        return "rd";
    case ShutdownHow::Wr:
        return "wr";
    case ShutdownHow::RdWr:
        return "rdwr";
    }
    return "?";
}

/// The step's fields that differ from a default Step, plus the ones that define its kind, so a
/// field set by mistake shows up as well as a field left unset.
std::string describe(const Step& s)
{
    const Step d;
    std::string out(stepKindName(s.kind));
    auto add = [&](const std::string& item) {
        out += ' ';
        out += item;
    };
    if (!s.endpoint.empty())
        add(s.endpoint);
    if (!s.other.empty())
        add("other=" + s.other);
    if (s.family != d.family)
        add(s.family == AF_INET6 ? "inet6" : "family=" + std::to_string(s.family));
    if (s.address)
        add("addr=" + *s.address);
    if (s.port)
        add("port=" + std::to_string(*s.port));
    if (s.backlog != d.backlog)
        add("backlog=" + std::to_string(s.backlog));
    if (s.kind == StepKind::Set || s.option != d.option)
        add("option=" + std::string(optionName(s.option)));
    if (s.kind == StepKind::Set || s.value != d.value)
        add("value=" + std::to_string(s.value));
    if (s.bytes != d.bytes)
        add("bytes=" + std::to_string(s.bytes));
    if (s.fill)
        add("fill");
    if (s.all)
        add("all");
    if (s.available)
        add("available");
    if (s.kind == StepKind::Shutdown || s.how != d.how)
        add("how=" + shutdownText(s.how));
    if (s.durationMs != d.durationMs)
        add("ms=" + std::to_string(s.durationMs));
    if (s.state != d.state)
        add("state=" + std::string(stateName(s.state)));
    if (s.kind == StepKind::Expect || s.quantity != d.quantity)
        add("quantity=" + std::string(quantityName(s.quantity)));
    if (s.kind == StepKind::Expect || s.op != d.op)
        add("op=" + std::string(compareOpText(s.op)));
    if (s.kind == StepKind::Expect || s.number != d.number)
        add("number=" + std::to_string(s.number));
    if (!s.valueText.empty())
        add("valueText='" + s.valueText + "'");
    if (!s.sysctl.empty())
        add("sysctl=" + s.sysctl);
    for (std::int64_t v : s.sysctlValues)
        add(std::to_string(v));
    if (!s.host.empty())
        add("host=" + s.host);
    if (s.kind == StepKind::Gate)
        add("action=" + std::string(gateActionName(s.gateAction)));
    if (s.newest)
        add("newest");
    const SegmentPattern& p = s.pattern;
    if (p.toServer)
        add(*p.toServer ? "to-server" : "to-client");
    if (!p.from.empty())
        add("from=" + p.from);
    if (p.flagsSet)
        add("set=" + tcpFlagsText(p.flagsSet));
    if (p.flagsClear)
        add("clear=" + tcpFlagsText(p.flagsClear));
    if (p.data)
        add("data");
    if (p.seq)
        add("seq=" + std::to_string(*p.seq));
    return out;
}

QByteArray repeatLines(const QByteArray& line, int count)
{
    QByteArray out;
    for (int i = 0; i < count; ++i)
        out += line + '\n';
    return out;
}

QByteArray numberedLines(const QByteArray& pattern, int count)
{
    QByteArray out;
    for (int i = 0; i < count; ++i)
        out += QByteArray(pattern).replace("%", QByteArray::number(i)) + '\n';
    return out;
}

} // namespace

class TestParser : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void nameTables();
    void diagnosticText();
    void steps_data();
    void steps();
    void familyIsResolvedForImplicitSockets();
    void needs();
    void accepted_data();
    void accepted();
    void errors_data();
    void errors();
    void limits_data();
    void limits();
    void collectsEveryError();
    void stopsAfterFiftyErrors();
    void headers_data();
    void headers();
    void narration_data();
    void narration();
    void comments_data();
    void comments();
    void sizes_data();
    void sizes();
    void durations_data();
    void durations();
    void scenarioText();
    void loadFile();
    void loadFileErrors_data();
    void loadFileErrors();
};

void TestParser::nameTables()
{
    // Every enumerator has a name and the name maps back to it; a table out of order fails here.
    for (int i = 0; i <= static_cast<int>(SockOption::SynCnt); ++i) {
        const auto o = static_cast<SockOption>(i);
        QVERIFY(!optionName(o).empty());
        QCOMPARE(optionFromName(optionName(o)), std::optional<SockOption>(o));
    }
    for (int i = 0; i <= static_cast<int>(Quantity::PeerState); ++i) {
        const auto q = static_cast<Quantity>(i);
        QVERIFY(!quantityName(q).empty());
        QCOMPARE(quantityFromName(quantityName(q)), std::optional<Quantity>(q));
    }
    QCOMPARE(optionName(SockOption::DeferAccept), std::string_view("defer-accept"));
    QCOMPARE(optionName(SockOption::NonBlock), std::string_view("nonblock"));
    QCOMPARE(optionName(SockOption::UserTimeout), std::string_view("user-timeout"));
    QCOMPARE(optionName(SockOption::SynCnt), std::string_view("syncnt"));
    QCOMPARE(quantityName(Quantity::TimerMs), std::string_view("timer-ms"));
    QCOMPARE(quantityName(Quantity::SegsOut), std::string_view("segs-out"));
    QCOMPARE(quantityName(Quantity::Blocked), std::string_view("blocked"));
    QVERIFY(!optionFromName("lingr"));
    QVERIFY(!quantityFromName("queue"));
    QCOMPARE(compareOpText(CompareOp::Eq), std::string_view("=="));
    QCOMPARE(compareOpText(CompareOp::Ne), std::string_view("!="));
    QCOMPARE(compareOpText(CompareOp::Lt), std::string_view("<"));
    QCOMPARE(compareOpText(CompareOp::Le), std::string_view("<="));
    QCOMPARE(compareOpText(CompareOp::Gt), std::string_view(">"));
    QCOMPARE(compareOpText(CompareOp::Ge), std::string_view(">="));
    QCOMPARE(stepKindName(StepKind::Socket), std::string_view("socket"));
    QCOMPARE(stepKindName(StepKind::Accept), std::string_view("accept"));
    QCOMPARE(stepKindName(StepKind::Wait), std::string_view("wait"));
    QCOMPARE(stepKindName(StepKind::WaitState), std::string_view("wait-state"));
    QCOMPARE(stepKindName(StepKind::Expect), std::string_view("expect"));
    QCOMPARE(stepKindName(StepKind::Sysctl), std::string_view("sysctl"));
}

void TestParser::diagnosticText()
{
    QCOMPARE(Diagnostic({ "a/b.synack", { 3, 7 }, "bad thing" }).toString(), std::string("a/b.synack:3:7: bad thing"));
    // No position: the file as a whole (it cannot be read).
    QCOMPARE(Diagnostic({ "x.synack", { 0, 0 }, "cannot open" }).toString(), std::string("x.synack: cannot open"));
}

void TestParser::steps_data()
{
    QTest::addColumn<QByteArray>("prelude"); // lines before the step, to create endpoints
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<int>("column"); // of the keyword
    QTest::addColumn<QByteArray>("expected");

    const QByteArray lis = "listen srv\n";
    QTest::addRow("socket") << QByteArray() << QByteArray("socket c") << 1 << QByteArray("socket c");
    QTest::addRow("socket ipv6") << QByteArray() << QByteArray("socket c ipv6") << 1 << QByteArray("socket c inet6");
    QTest::addRow("socket ipv4") << QByteArray() << QByteArray("socket c ipv4") << 1 << QByteArray("socket c");

    QTest::addRow("set on/off default on")
        << QByteArray() << QByteArray("set c reuseaddr") << 1 << QByteArray("set c option=reuseaddr value=1");
    QTest::addRow("set reuseaddr off") << QByteArray() << QByteArray("set c reuseaddr off") << 1
                                       << QByteArray("set c option=reuseaddr value=0");
    QTest::addRow("set linger off") << QByteArray() << QByteArray("set c linger off") << 1
                                    << QByteArray("set c option=linger value=-1");
    QTest::addRow("set linger 0") << QByteArray() << QByteArray("set c linger 0") << 1
                                  << QByteArray("set c option=linger value=0");
    QTest::addRow("set linger=5") << QByteArray() << QByteArray("set c linger=5") << 1
                                  << QByteArray("set c option=linger value=5");
    QTest::addRow("set keepalive on") << QByteArray() << QByteArray("set c keepalive on") << 1
                                      << QByteArray("set c option=keepalive value=1");
    QTest::addRow("set keepidle 30s") << QByteArray() << QByteArray("set c keepidle 30s") << 1
                                      << QByteArray("set c option=keepidle value=30");
    QTest::addRow("set keepintvl 5") << QByteArray() << QByteArray("set c keepintvl 5") << 1
                                     << QByteArray("set c option=keepintvl value=5");
    QTest::addRow("set keepcnt 3") << QByteArray() << QByteArray("set c keepcnt 3") << 1
                                   << QByteArray("set c option=keepcnt value=3");
    QTest::addRow("set sndbuf 4k") << QByteArray() << QByteArray("set c sndbuf 4k") << 1
                                   << QByteArray("set c option=sndbuf value=4096");
    QTest::addRow("set rcvbuf 1M") << QByteArray() << QByteArray("set c rcvbuf 1M") << 1
                                   << QByteArray("set c option=rcvbuf value=1048576");
    QTest::addRow("set defer-accept") << QByteArray() << QByteArray("set srv defer-accept 10") << 1
                                      << QByteArray("set srv option=defer-accept value=10");
    QTest::addRow("set nodelay") << QByteArray() << QByteArray("set c nodelay") << 1
                                 << QByteArray("set c option=nodelay value=1");
    QTest::addRow("set nonblock on") << QByteArray() << QByteArray("set c nonblock on") << 1
                                     << QByteArray("set c option=nonblock value=1");
    QTest::addRow("set user-timeout 3s") << QByteArray() << QByteArray("set c user-timeout 3s") << 1
                                         << QByteArray("set c option=user-timeout value=3000");
    QTest::addRow("set user-timeout 500ms") << QByteArray() << QByteArray("set c user-timeout 500ms") << 1
                                            << QByteArray("set c option=user-timeout value=500");
    QTest::addRow("set user-timeout bare ms") << QByteArray() << QByteArray("set c user-timeout 250") << 1
                                              << QByteArray("set c option=user-timeout value=250");
    QTest::addRow("set user-timeout 0 = off") << QByteArray() << QByteArray("set c user-timeout 0") << 1
                                              << QByteArray("set c option=user-timeout value=0");
    QTest::addRow("set syncnt 2") << QByteArray() << QByteArray("set c syncnt 2") << 1
                                  << QByteArray("set c option=syncnt value=2");
    QTest::addRow("sysctl") << QByteArray() << QByteArray("sysctl tcp_fin_timeout 5") << 1
                            << QByteArray("sysctl sysctl=tcp_fin_timeout 5");
    QTest::addRow("sysctl seconds with s") << QByteArray() << QByteArray("sysctl tcp_keepalive_time 10s") << 1
                                           << QByteArray("sysctl sysctl=tcp_keepalive_time 10");
    QTest::addRow("sysctl as sysctl(8) names it")
        << QByteArray() << QByteArray("sysctl net.ipv4.tcp_syn_retries 2") << 1
        << QByteArray("sysctl sysctl=tcp_syn_retries 2");
    QTest::addRow("sysctl port range") << QByteArray() << QByteArray("sysctl ip_local_port_range 40000 40009") << 1
                                       << QByteArray("sysctl sysctl=ip_local_port_range 40000 40009");
    QTest::addRow("sysctl tw_reuse 2") << QByteArray() << QByteArray("sysctl tcp_tw_reuse 2") << 1
                                       << QByteArray("sysctl sysctl=tcp_tw_reuse 2");
    // The gate (the wire's steps), and where a socket lives there.
    QTest::addRow("socket on the server host") << QByteArray() << QByteArray("socket s host=server") << 1
                                               << QByteArray("socket s host=server");
    QTest::addRow("gate hold") << QByteArray() << QByteArray("gate hold") << 1 << QByteArray("gate action=hold");
    QTest::addRow("gate cut") << QByteArray() << QByteArray("gate cut") << 1 << QByteArray("gate action=cut");
    QTest::addRow("deliver the SYN (not the SYN-ACK)")
        << QByteArray() << QByteArray("gate deliver SYN") << 1 << QByteArray("gate action=deliver set=SYN clear=ACK");
    QTest::addRow("deliver SYN+ACK") << QByteArray() << QByteArray("gate deliver SYN+ACK") << 1
                                     << QByteArray("gate action=deliver set=SYN,ACK");
    QTest::addRow("drop the bare ACK") << QByteArray() << QByteArray("gate drop ACK") << 1
                                       << QByteArray("gate action=drop set=ACK clear=SYN,FIN,RST");
    QTest::addRow("drop every client FIN")
        << QByteArray("listen s\nconnect c s\n") << QByteArray("gate drop all client>server FIN") << 1
        << QByteArray("gate all action=drop to-server set=FIN");
    QTest::addRow("reorder: deliver newest data")
        << QByteArray() << QByteArray("gate deliver newest data") << 1 << QByteArray("gate action=deliver newest data");
    QTest::addRow("deliver by seq from a sender")
        << QByteArray("listen s\nconnect c s\n") << QByteArray("gate deliver seq=1449 from=c") << 1
        << QByteArray("gate action=deliver from=c seq=1449");
    QTest::addRow("a data segment as tcpdump names it")
        << QByteArray() << QByteArray("gate deliver PSH+ACK") << 1 << QByteArray("gate action=deliver set=PSH,ACK");
    QTest::addRow("gate delay") << QByteArray() << QByteArray("gate delay 200ms") << 1
                                << QByteArray("gate ms=200 action=delay");
    QTest::addRow("gate lose") << QByteArray() << QByteArray("gate lose SYN") << 1
                               << QByteArray("gate action=lose set=SYN clear=ACK");
    QTest::addRow("gate wait within") << QByteArray() << QByteArray("gate wait FIN within 3s") << 1
                                      << QByteArray("gate ms=3000 action=wait set=FIN");
    QTest::addRow("expect gate held")
        << QByteArray("gate hold\n") << QByteArray("expect gate held >= 2") << 1
        << QByteArray("expect gate quantity=held op=>= number=2 valueText='>= 2'");
    QTest::addRow("expect gate next")
        << QByteArray("gate hold\n") << QByteArray("expect gate next FIN+ACK") << 1
        << QByteArray("expect gate quantity=next op=== number=1 valueText='FIN+ACK' set=FIN,ACK");
    QTest::addRow("keywords ignore case")
        << QByteArray() << QByteArray("SET c NoDelay OFF") << 1 << QByteArray("set c option=nodelay value=0");

    QTest::addRow("bind ephemeral") << QByteArray() << QByteArray("bind c") << 1 << QByteArray("bind c port=0");
    QTest::addRow("bind port") << QByteArray() << QByteArray("bind c port=5000") << 1 << QByteArray("bind c port=5000");
    QTest::addRow("bind port spaced") << QByteArray() << QByteArray("bind c port = 6000") << 1
                                      << QByteArray("bind c port=6000");
    QTest::addRow("bind port=@") << lis << QByteArray("bind c port=@srv") << 1 << QByteArray("bind c other=srv");
    QTest::addRow("bind addr") << QByteArray() << QByteArray("bind c addr=127.0.0.2") << 1
                               << QByteArray("bind c addr=127.0.0.2 port=0");
    QTest::addRow("bind addr ipv6") << QByteArray() << QByteArray("bind c addr=::1 port=7000") << 1
                                    << QByteArray("bind c inet6 addr=::1 port=7000");
    QTest::addRow("bind addr bracketed") << QByteArray() << QByteArray("bind c addr=[::1]") << 1
                                         << QByteArray("bind c inet6 addr=::1 port=0");

    QTest::addRow("listen") << QByteArray() << QByteArray("listen srv") << 1 << QByteArray("listen srv");
    QTest::addRow("listen all options") << QByteArray() << QByteArray("listen srv backlog=16 port=5000 addr=127.0.0.1")
                                        << 1 << QByteArray("listen srv addr=127.0.0.1 port=5000 backlog=16");
    QTest::addRow("listen backlog 0") << QByteArray() << QByteArray("listen srv backlog=0") << 1
                                      << QByteArray("listen srv backlog=0");
    QTest::addRow("listen after bind") << QByteArray("bind srv port=5000\n") << QByteArray("listen srv") << 1
                                       << QByteArray("listen srv");

    QTest::addRow("connect endpoint") << lis << QByteArray("connect c srv") << 1 << QByteArray("connect c other=srv");
    QTest::addRow("connect port") << QByteArray() << QByteArray("connect c port=5000") << 1
                                  << QByteArray("connect c port=5000");
    QTest::addRow("connect port addr") << QByteArray() << QByteArray("connect c port=5000 addr=::1") << 1
                                       << QByteArray("connect c inet6 addr=::1 port=5000");
    QTest::addRow("connect port=@") << lis << QByteArray("connect c port=@srv") << 1
                                    << QByteArray("connect c other=srv");
    QTest::addRow("connect inherits ipv6") << QByteArray("listen srv addr=::1\n") << QByteArray("connect c srv") << 1
                                           << QByteArray("connect c other=srv inet6");
    QTest::addRow("connect to itself") << QByteArray("bind c port=5000\n") << QByteArray("connect c c") << 1
                                       << QByteArray("connect c other=c");

    QTest::addRow("accept") << lis << QByteArray("accept srv conn") << 1 << QByteArray("accept srv other=conn");
    QTest::addRow("accept ipv6") << QByteArray("listen srv addr=::1\n") << QByteArray("accept srv conn") << 1
                                 << QByteArray("accept srv other=conn inet6");

    const QByteArray cli = "listen srv\nconnect c srv\n";
    QTest::addRow("send") << cli << QByteArray("send c 100") << 1 << QByteArray("send c bytes=100");
    QTest::addRow("send 4k") << cli << QByteArray("send c 4k") << 1 << QByteArray("send c bytes=4096");
    QTest::addRow("send fill") << cli << QByteArray("send c fill") << 1 << QByteArray("send c fill");
    QTest::addRow("recv") << cli << QByteArray("recv c 10") << 1 << QByteArray("recv c bytes=10");
    QTest::addRow("recv all") << cli << QByteArray("recv c all") << 1 << QByteArray("recv c all");
    QTest::addRow("recv available") << cli << QByteArray("recv c available") << 1 << QByteArray("recv c available");
    QTest::addRow("shutdown rd") << cli << QByteArray("shutdown c rd") << 1 << QByteArray("shutdown c how=rd");
    QTest::addRow("shutdown wr") << cli << QByteArray("shutdown c wr") << 1 << QByteArray("shutdown c how=wr");
    QTest::addRow("shutdown rdwr") << cli << QByteArray("shutdown c rdwr") << 1 << QByteArray("shutdown c how=rdwr");
    QTest::addRow("close") << cli << QByteArray("close c") << 1 << QByteArray("close c");

    QTest::addRow("wait ms") << QByteArray() << QByteArray("wait 500ms") << 1 << QByteArray("wait ms=500");
    QTest::addRow("wait s") << QByteArray() << QByteArray("wait 2s") << 1 << QByteArray("wait ms=2000");
    QTest::addRow("wait state") << cli << QByteArray("wait c ESTABLISHED") << 1
                                << QByteArray("wait-state c ms=10000 state=ESTABLISHED valueText='ESTABLISHED'");
    QTest::addRow("wait state within") << cli << QByteArray("wait c time-wait within 3s") << 1
                                       << QByteArray("wait-state c ms=3000 state=TIME_WAIT valueText='time-wait'");

    QTest::addRow("expect state shorthand")
        << cli << QByteArray("expect c ESTABLISHED") << 1
        << QByteArray("expect c state=ESTABLISHED quantity=state op=== number=0 valueText='ESTABLISHED'");
    QTest::addRow("expect state ==") << lis << QByteArray("expect srv state == LISTEN") << 1
                                     << QByteArray(
                                            "expect srv state=LISTEN quantity=state op=== number=0 valueText='LISTEN'");
    QTest::addRow("expect state != shorthand")
        << cli << QByteArray("expect c != CLOSED") << 1
        << QByteArray("expect c state=CLOSE quantity=state op=!= number=0 valueText='!= CLOSED'");
    QTest::addRow("expect errno") << cli << QByteArray("expect c errno ECONNREFUSED") << 1
                                  << QByteArray("expect c quantity=errno op=== number=111 valueText='ECONNREFUSED'");
    QTest::addRow("expect errno 0") << cli << QByteArray("expect c errno 0") << 1
                                    << QByteArray("expect c quantity=errno op=== number=0 valueText='0'");
    QTest::addRow("expect errno none") << cli << QByteArray("expect c errno != none") << 1
                                       << QByteArray("expect c quantity=errno op=!= number=0 valueText='!= none'");
    QTest::addRow("expect result -1") << cli << QByteArray("expect c result -1") << 1
                                      << QByteArray("expect c quantity=result op=== number=-1 valueText='-1'");
    QTest::addRow("expect result 4k") << cli << QByteArray("expect c result 4k") << 1
                                      << QByteArray("expect c quantity=result op=== number=4096 valueText='4k'");
    QTest::addRow("expect recvq >= glued") << cli << QByteArray("expect c recvq>=1k") << 1
                                           << QByteArray("expect c quantity=recvq op=>= number=1024 valueText='>= 1k'");
    QTest::addRow("expect sendq >") << cli << QByteArray("expect c sendq > 0") << 1
                                    << QByteArray("expect c quantity=sendq op=> number=0 valueText='> 0'");
    QTest::addRow("expect notsent <=") << cli << QByteArray("expect c notsent <= 2M") << 1
                                       << QByteArray(
                                              "expect c quantity=notsent op=<= number=2097152 valueText='<= 2M'");
    QTest::addRow("expect acceptq =") << lis << QByteArray("expect srv acceptq = 2") << 1
                                      << QByteArray("expect srv quantity=acceptq op=== number=2 valueText='2'");
    QTest::addRow("expect sndbuf <") << cli << QByteArray("expect c sndbuf < 64k") << 1
                                     << QByteArray("expect c quantity=sndbuf op=< number=65536 valueText='< 64k'");
    QTest::addRow("expect rcvbuf") << cli << QByteArray("expect c rcvbuf 1024") << 1
                                   << QByteArray("expect c quantity=rcvbuf op=== number=1024 valueText='1024'");
    QTest::addRow("expect timer none") << cli << QByteArray("expect c timer none") << 1
                                       << QByteArray("expect c quantity=timer op=== number=0 valueText='none'");
    QTest::addRow("expect timer retransmit")
        << cli << QByteArray("expect c timer retransmit") << 1
        << QByteArray("expect c quantity=timer op=== number=1 valueText='retransmit'");
    QTest::addRow("expect timer keepalive")
        << cli << QByteArray("expect c timer keepalive") << 1
        << QByteArray("expect c quantity=timer op=== number=2 valueText='keepalive'");
    QTest::addRow("expect timer time-wait")
        << cli << QByteArray("expect c timer time-wait") << 1
        << QByteArray("expect c quantity=timer op=== number=3 valueText='time-wait'");
    QTest::addRow("expect timer != probe") << cli << QByteArray("expect c timer != probe") << 1
                                           << QByteArray("expect c quantity=timer op=!= number=4 valueText='!= probe'");
    QTest::addRow("expect timer fin-wait2")
        << cli << QByteArray("expect c timer fin-wait2") << 1
        << QByteArray("expect c quantity=timer op=== number=5 valueText='fin-wait2'");
    QTest::addRow("expect a connection's server half")
        << QByteArray("listen srv\nconnect c srv\n") << QByteArray("expect c/peer ESTABLISHED") << 1
        << QByteArray("expect c/peer state=ESTABLISHED quantity=state op=== number=0 valueText='ESTABLISHED'");
    QTest::addRow("wait for a connection's server half")
        << QByteArray("listen srv\nconnect c srv\n") << QByteArray("wait c/peer CLOSE_WAIT within 1s") << 1
        << QByteArray("wait-state c/peer ms=1000 state=CLOSE_WAIT valueText='CLOSE_WAIT'");
    QTest::addRow("RFC 9293 spelling SYN-RECEIVED")
        << cli << QByteArray("expect c SYN-RECEIVED") << 1
        << QByteArray("expect c state=SYN_RECV quantity=state op=== number=0 valueText='SYN-RECEIVED'");
    QTest::addRow("RFC 9293 spelling FIN-WAIT-1")
        << cli << QByteArray("wait c FIN-WAIT-1") << 1
        << QByteArray("wait-state c ms=10000 state=FIN_WAIT1 valueText='FIN-WAIT-1'");
    QTest::addRow("BSD spelling SYN-RCVD")
        << cli << QByteArray("expect c syn-rcvd") << 1
        << QByteArray("expect c state=SYN_RECV quantity=state op=== number=0 valueText='syn-rcvd'");
    QTest::addRow("expect timer-ms bare") << cli << QByteArray("expect c timer-ms 200") << 1
                                          << QByteArray("expect c quantity=timer-ms op=== number=200 valueText='200'");
    QTest::addRow("expect timer-ms seconds")
        << cli << QByteArray("expect c timer-ms > 1.5s") << 1
        << QByteArray("expect c quantity=timer-ms op=> number=1500 valueText='> 1.5s'");
    QTest::addRow("expect segs-out") << cli << QByteArray("expect c segs-out > 3") << 1
                                     << QByteArray("expect c quantity=segs-out op=> number=3 valueText='> 3'");
    QTest::addRow("expect segs-in") << cli << QByteArray("expect c segs-in >= 1") << 1
                                    << QByteArray("expect c quantity=segs-in op=>= number=1 valueText='>= 1'");
    QTest::addRow("expect retrans") << cli << QByteArray("expect c retrans 0") << 1
                                    << QByteArray("expect c quantity=retrans op=== number=0 valueText='0'");
    QTest::addRow("expect shutdown none") << cli << QByteArray("expect c shutdown none") << 1
                                          << QByteArray("expect c quantity=shutdown op=== number=0 valueText='none'");
    QTest::addRow("expect shutdown rd") << cli << QByteArray("expect c shutdown rd") << 1
                                        << QByteArray("expect c quantity=shutdown op=== number=1 valueText='rd'");
    QTest::addRow("expect shutdown wr") << cli << QByteArray("expect c shutdown wr") << 1
                                        << QByteArray("expect c quantity=shutdown op=== number=2 valueText='wr'");
    QTest::addRow("expect shutdown rdwr") << cli << QByteArray("expect c shutdown rdwr") << 1
                                          << QByteArray("expect c quantity=shutdown op=== number=3 valueText='rdwr'");
    QTest::addRow("expect blocked yes") << cli << QByteArray("expect c blocked yes") << 1
                                        << QByteArray("expect c quantity=blocked op=== number=1 valueText='yes'");
    QTest::addRow("expect blocked no") << cli << QByteArray("expect c blocked no") << 1
                                       << QByteArray("expect c quantity=blocked op=== number=0 valueText='no'");

    QTest::addRow("indented") << QByteArray() << QByteArray("    listen srv") << 5 << QByteArray("listen srv");
    QTest::addRow("tab-indented") << QByteArray() << QByteArray("\t\tlisten srv") << 3 << QByteArray("listen srv");
    // U+3000 IDEOGRAPHIC SPACE is three bytes but one column.
    QTest::addRow("ideographic space") << QByteArray() << QByteArray("\xE3\x80\x80\xE3\x80\x80listen srv") << 3
                                       << QByteArray("listen srv");
}

void TestParser::steps()
{
    QFETCH(QByteArray, prelude);
    QFETCH(QByteArray, line);
    QFETCH(int, column);
    QFETCH(QByteArray, expected);

    const ParseOutcome outcome = parse(prelude + line + "  # a comment\n");
    QVERIFY2(outcome.ok(), errorList(outcome).constData());
    const Step& step = outcome.scenario->steps.back();
    QCOMPARE(QByteArray::fromStdString(describe(step)), expected);
    QCOMPARE(step.pos.line, static_cast<int>(prelude.count('\n')) + 1);
    QCOMPARE(step.pos.column, column);
    QCOMPARE(QByteArray::fromStdString(step.text), line.trimmed().replace("\xE3\x80\x80", ""));
}

void TestParser::familyIsResolvedForImplicitSockets()
{
    // `set` creates the socket before the line that says it is IPv6: the family must reach it.
    const ParseOutcome outcome = parse("set c reuseaddr\n"
                                       "bind c addr=::1 port=5000\n"
                                       "listen c\n"
                                       "accept c conn\n"
                                       "set d nodelay\n"
                                       "connect d c\n"
                                       "set e nodelay\n"
                                       "expect d ESTABLISHED\n");
    QVERIFY2(outcome.ok(), errorList(outcome).constData());
    const auto& steps = outcome.scenario->steps;
    QCOMPARE(steps.size(), std::size_t(8));
    QCOMPARE(steps[0].family, AF_INET6); // set c, before the addr=::1
    QCOMPARE(steps[1].family, AF_INET6);
    QCOMPARE(steps[2].family, AF_INET6);
    QCOMPARE(steps[3].family, AF_INET6); // accept from the IPv6 listener
    QCOMPARE(steps[4].family, AF_INET6); // set d: d connects to an IPv6 endpoint later
    QCOMPARE(steps[5].family, AF_INET6);
    QCOMPARE(steps[6].family, 0); // e never says: IPv4
    QCOMPARE(steps[7].family, 0); // expect does not carry a family
}

void TestParser::accepted_data()
{
    // Scenarios that look suspicious but are things a teacher wants to show.
    QTest::addColumn<QByteArray>("text");
    QTest::addRow("observe after close") << QByteArray("listen srv\nconnect c srv\nclose c\n"
                                                       "expect c TIME_WAIT\nwait c CLOSED within 70s\n");
    QTest::addRow("rebind the port of a closed listener")
        << QByteArray("listen srv port=5000\nclose srv\nbind again port=@srv\nexpect again errno EADDRINUSE\n");
    QTest::addRow("connect to a closed listener") << QByteArray("listen srv\nclose srv\nconnect c srv\n"
                                                                "expect c errno ECONNREFUSED\n");
    QTest::addRow("connect to a bound, not listening socket") << QByteArray("bind b\nconnect c b\n");
    QTest::addRow("simultaneous open") << QByteArray("bind a port=5001\nbind b port=5002\n"
                                                     "connect a b\nconnect b a\n");
    QTest::addRow("connect twice") << QByteArray("listen srv\nconnect c srv\nconnect c srv\nexpect c errno EISCONN\n");
    QTest::addRow("listen twice") << QByteArray("listen srv backlog=1\nlisten srv backlog=4\n");
    QTest::addRow("names with digits, _ and -")
        << QByteArray("listen srv-1\nconnect client_2 srv-1\nexpect client_2 ESTABLISHED\n");
    QTest::addRow("32-character name") << QByteArray("listen abcdefghijklmnopqrstuvwxyz012345\n");
    QTest::addRow("headers between steps") << QByteArray("listen srv\ntopic: queues\nen: narrated\nwait 1s\n");
    QTest::addRow("CRLF line ends") << QByteArray("listen srv\r\nconnect c srv\r\nen: crlf\r\n");
    QTest::addRow("byte order mark") << QByteArray("\xEF\xBB\xBFlisten srv\n");
    QTest::addRow("no final newline") << QByteArray("listen srv");
}

void TestParser::needs()
{
    // A sysctl changes the namespace it runs in: the scenario needs a private one.
    const ParseOutcome plain = parse("listen srv\n");
    QVERIFY2(plain.ok(), errorList(plain).constData());
    QCOMPARE(plain.scenario->needs, Needs::Any);
    const ParseOutcome sysctl = parse("sysctl tcp_fin_timeout 5\nlisten srv\n");
    QVERIFY2(sysctl.ok(), errorList(sysctl).constData());
    QCOMPARE(sysctl.scenario->needs, Needs::Lab);
    QCOMPARE(sysctl.scenario->steps.front().kind, StepKind::Sysctl);
    QVERIFY(sysctl.scenario->steps.front().endpoint.empty());
    // The gate's steps (and expectations) need the wire, more than a sysctl's lab.
    QCOMPARE(parse("sysctl tcp_fin_timeout 5\ngate hold\nlisten srv\n").scenario->needs, Needs::Wire);
    QCOMPARE(parse("listen srv\nexpect gate held 0\n").scenario->needs, Needs::Wire);
}

void TestParser::accepted()
{
    QFETCH(QByteArray, text);
    const ParseOutcome outcome = parse(text);
    QVERIFY2(outcome.ok(), errorList(outcome).constData());
}

void TestParser::errors_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<QByteArray>("fragment"); // must appear in the message

    auto row = [](const char* name, const char* text, int line, int column, const char* fragment) {
        QTest::addRow("%s", name) << QByteArray(text) << line << column << QByteArray(fragment);
    };

    // Unknown words, with what is allowed.
    row("unknown step", "listen srv\nconect c srv", 2, 1,
        "unknown step 'conect' (did you mean 'connect'?); expected one of: socket, set, bind, listen, connect, "
        "accept, send, recv, shutdown, close, wait, expect, gate, sysctl");
    row("unknown option", "set c lingr 1", 1, 7,
        "unknown option 'lingr' (did you mean 'linger'?); expected one of: "
        "reuseaddr, linger");
    row("unknown option with =", "set c nodelai=on", 1, 7, "unknown option 'nodelai'");
    row("unknown key= for bind", "bind c prot=5000", 1, 8, "unknown option 'prot=' for bind");
    row("key= on a step without options", "listen s\nclose s now=1", 2, 9, "close takes no key=value options");
    row("duplicate key=", "bind c port=5000 port=6000", 1, 18, "port= is given twice");
    row("empty key=", "bind c port= addr=127.0.0.1", 1, 8, "port= needs a value");
    row("stray =", "bind c port=5000 =6000", 1, 18, "'=' without a name");
    row("unknown quantity", "listen s\nexpect s recvqq 5", 2, 10, "unknown quantity or state 'recvqq'");
    row("option written as two words", "listen srv backlog 3", 1, 12, "'backlog' is an option: write backlog=3");
    row("option key without its value", "bind c port", 1, 8, "'port' is an option: write port=N");
    row("peer of a listener", "listen s\nexpect s/peer ESTABLISHED", 2, 8,
        "'s/peer' is the server half of s's connection, but s has not connected yet");
    row("peer of an accepted endpoint", "listen s\nconnect c s\naccept s a\nwait a/peer CLOSE", 4, 6,
        "a was accepted, not connected");
    row("peer of an unknown endpoint", "expect x/peer ESTABLISHED", 1, 8, "'x' is not an endpoint yet");
    row("unknown timer", "listen s\nexpect s timer fin-wait", 2, 16, "fin-wait2");
    row("unknown state shorthand", "listen s\nexpect s ESTABLISHD", 2, 10,
        "unknown quantity or state 'ESTABLISHD' (did you mean 'ESTABLISHED'?)");
    row("unknown state", "listen s\nexpect s state LISTENING", 2, 16, "unknown state 'LISTENING'");
    row("unknown state in wait", "listen s\nwait s ESTABLISH", 2, 8, "unknown state 'ESTABLISH'");
    row("unknown errno", "listen s\nexpect s errno ECONNRESTE", 2, 16,
        "unknown errno 'ECONNRESTE' (did you mean 'ECONNRESET'?)");
    row("errno as number", "listen s\nexpect s errno 104", 2, 16, "write its name, e.g. ECONNRESET");
    row("unknown timer", "listen s\nexpect s timer soon", 2, 16,
        "unknown timer 'soon'; expected one of: none, retransmit, keepalive, time-wait, probe");
    row("unknown shutdown value", "listen s\nexpect s shutdown both", 2, 19, "expected one of: none, rd, wr, rdwr");
    row("unknown blocked value", "listen s\nexpect s blocked maybe", 2, 18, "blocked is yes or no");
    row("unknown shutdown direction", "listen s\nshutdown s write", 2, 12, "unknown shutdown direction 'write'");
    row("unknown comparison", "listen s\nexpect s recvq ~ 5", 2, 16, "unknown comparison '~'");
    row("unknown comparison glued", "listen s\nexpect s recvq=>5", 2, 15, "unknown comparison '=>'");
    row("comparison not allowed for state", "listen s\nexpect s state < LISTEN", 2, 16,
        "'<' cannot compare state; use == or !=");
    row("comparison not allowed for errno", "listen s\nexpect s errno >= EPIPE", 2, 16, "cannot compare errno");
    row("comparison not allowed for blocked", "listen s\nexpect s blocked > no", 2, 18, "cannot compare blocked");
    row("on/off value", "set c nodelay maybe", 1, 15, "takes on or off");
    row("linger on", "set c linger on", 1, 14, "linger takes off or a number of seconds");
    row("unknown header", "titel: Hello\nlisten s", 1, 1, "unknown header 'titel:' (did you mean 'title'?)");
    row("unknown language", "title.de: Hallo\nlisten s", 1, 1, "unknown language 'de'");
    row("step written as header", "listen s\nconnect: c s", 2, 1, "steps are written without ':'");

    // Missing and extra words: missing ones are reported at the keyword.
    row("socket without name", "socket", 1, 1, "socket needs an endpoint name");
    row("set without option", "set c", 1, 1, "set needs an option");
    row("set without value", "set c keepidle", 1, 7, "needs a value: a number of seconds");
    row("user-timeout in hours", "set c user-timeout 2h", 1, 20, "bad duration");
    row("user-timeout above an hour", "set c user-timeout 3601s", 1, 20,
        "set c user-timeout must be between 0 and ");
    row("user-timeout without value", "set c user-timeout", 1, 7, "needs a value: a duration");
    row("syncnt 0", "set c syncnt 0", 1, 14, "set c syncnt must be between 1 and 127 (the kernel's limit)");
    row("syncnt 128", "set c syncnt 128", 1, 14, "'128' is out of range");
    row("sysctl unknown name", "sysctl tcp_fin_timout 5", 1, 8,
        "unknown sysctl 'tcp_fin_timout' (did you mean 'tcp_fin_timeout'?); a scenario may change only these");
    row("sysctl a path", "sysctl ../../kernel/panic 1", 1, 8, "unknown sysctl '../../kernel/panic'");
    row("sysctl another namespace's", "sysctl net.core.somaxconn 5", 1, 8, "unknown sysctl");
    row("sysctl out of range", "sysctl tcp_syn_retries 0", 1, 24,
        "sysctl tcp_syn_retries must be between 1 and 127; '0' is out of range");
    row("sysctl seconds out of range", "sysctl tcp_fin_timeout 3601", 1, 24,
        "must be between 1 and 3600 seconds");
    row("sysctl tw_reuse 3", "sysctl tcp_tw_reuse 3", 1, 21, "must be between 0 and 2");
    row("sysctl not a number", "sysctl tcp_fin_timeout soon", 1, 24, "bad number of seconds 'soon'");
    row("sysctl without value", "sysctl tcp_fin_timeout", 1, 8,
        "sysctl tcp_fin_timeout needs a value, e.g. sysctl tcp_fin_timeout 5");
    row("sysctl alone", "sysctl", 1, 1, "sysctl needs a setting and its value");
    row("sysctl two values", "sysctl tcp_fin_timeout 5 6", 1, 26,
        "unexpected '6': sysctl tcp_fin_timeout takes one value");
    row("port range low > high", "sysctl ip_local_port_range 50000 40000", 1, 28,
        "sysctl ip_local_port_range takes the low port first: 50000 is above 40000");
    row("port range one port", "sysctl ip_local_port_range 40000", 1, 8, "needs two ports, low and high");
    row("port range three ports", "sysctl ip_local_port_range 40000 40001 40002", 1, 40, "unexpected '40002'");
    row("port range privileged", "sysctl ip_local_port_range 80 40000", 1, 28, "between 1024 and 65535");
    row("connect without target", "connect c", 1, 1, "connect needs a target");
    row("connect addr without port", "connect c addr=127.0.0.1", 1, 11, "connect needs a target");
    row("connect target and port", "listen s\nconnect c s port=5000", 2, 13, "not both");
    row("connect target and addr", "listen s\nconnect c s addr=127.0.0.1", 2, 13, "addr= goes with port=N");
    row("accept without new name", "listen s\naccept s", 2, 1, "accept needs the listener and a new name");
    row("send without size", "listen s\nsend s", 2, 1, "send needs an endpoint and a size");
    row("recv without size", "listen s\nrecv s", 2, 1, "recv needs an endpoint and a size");
    row("shutdown without direction", "listen s\nshutdown s", 2, 1, "shutdown needs an endpoint and rd, wr or rdwr");
    row("close without name", "close", 1, 1, "close needs an endpoint name");
    row("wait without anything", "wait", 1, 1, "wait needs a duration");
    row("wait without state", "listen s\nwait s", 2, 1, "wait s needs a state");
    row("within without duration", "listen s\nwait s LISTEN within", 2, 15, "within needs a duration");
    row("wait state junk", "listen s\nwait s LISTEN for 2s", 2, 15, "unexpected 'for'");
    row("expect without value", "listen s\nexpect s", 2, 1, "expect needs something to check");
    row("expect quantity without value", "listen s\nexpect s recvq >=", 2, 16, "expect recvq needs a value");
    row("expect extra word", "listen s\nexpect s LISTEN now", 2, 17, "unexpected 'now'");
    row("close extra word", "listen s\nclose s now", 2, 9, "unexpected 'now'; usage: close NAME");
    row("socket bad family", "socket c ipv5", 1, 10, "unexpected 'ipv5'");
    row("wait duration extra", "wait 1s 2s", 1, 9, "unexpected '2s'");
    row("unknown gate action", "gate hodl", 1, 6, "unknown gate action 'hodl' (did you mean 'hold'?)");
    row("gate hold takes nothing", "gate hold SYN", 1, 11, "unexpected 'SYN'");
    row("unknown flag", "gate drop SYM", 1, 11, "unknown word 'SYM' in a segment pattern");
    row("two directions", "gate drop client>server server>client", 1, 25, "a pattern has one direction");
    row("flags twice", "gate drop SYN FIN", 1, 15, "join flags with '+'");
    row("lose needs a pattern", "gate lose", 1, 6, "gate lose needs a pattern");
    row("duplicate all", "gate duplicate all", 1, 16, "gate duplicate copies one segment");
    row("from= unknown", "gate deliver from=zz", 1, 19, "'zz' is not an endpoint yet");
    row("gate wait without a bound", "gate wait FIN within", 1, 15, "within needs a duration");
    row("expect gate state", "expect gate ESTABLISHED", 1, 13, "the gate has two things to check");
    row("expect an endpoint's held", "listen s\nexpect s held 1", 2, 10, "'held' is the gate's, not an endpoint's");
    row("host= neither", "socket s host=router", 1, 15, "host= is client or server");
    row("lose by seq", "gate lose seq=1", 1, 6, "gate lose takes no seq=");
    row("delay too long", "gate delay 2s", 1, 12, "gate delay is at most 1s");

    // Names.
    row("uppercase name", "listen Srv", 1, 8, "bad endpoint name 'Srv'");
    row("name starting with a digit", "listen 9lives", 1, 8, "bad endpoint name '9lives'");
    row("name too long", "listen abcdefghijklmnopqrstuvwxyz0123456", 1, 8, "at most 32 characters");
    row("keyword as name", "listen connect", 1, 8, "'connect' is a word of the language");
    row("reserved word as name", "listen all", 1, 8, "'all' is a word of the language");
    row("Chinese name", "listen \xE6\x9C\x8D\xE5\x8A\xA1", 1, 8, "bad endpoint name");

    // Endpoint lifecycle.
    row("send before creation", "send c 5", 1, 6,
        "'c' is not an endpoint yet (create it with listen, connect, socket or accept)");
    row("recv before creation", "recv c all", 1, 6, "'c' is not an endpoint yet");
    row("shutdown before creation", "shutdown c wr", 1, 10, "'c' is not an endpoint yet");
    row("close before creation", "close c", 1, 7, "'c' is not an endpoint yet");
    row("expect before creation", "expect c LISTEN", 1, 8, "'c' is not an endpoint yet");
    row("wait state before creation", "wait c LISTEN", 1, 6, "'c' is not an endpoint yet");
    row("typo in a name", "listen server\nclose sever", 2, 7,
        "'sever' is not an endpoint yet (create it with listen, "
        "connect, socket or accept); did you mean 'server'?");
    row("accept unknown listener", "accept s conn", 1, 8, "'s' is not an endpoint yet");
    row("accept from a non-listener", "bind s\naccept s conn", 2, 8, "'s' never listened");
    row("accept into an existing name", "listen s\nconnect c s\naccept s c", 3, 10,
        "'c' already exists (created at line 2); accept needs a new name");
    row("connect to unknown", "connect c srv", 1, 11, "'srv' is not an endpoint yet");
    row("connect to unbound", "socket srv\nconnect c srv", 2, 11, "'srv' has no address yet; bind or listen it");
    row("port=@ unknown", "bind c port=@srv", 1, 14, "'srv' is not an endpoint yet");
    row("port=@ unbound", "socket srv\nbind c port=@srv", 2, 14, "'srv' has no address yet");
    row("port=@ empty", "bind c port=@", 1, 13, "port=@ needs an endpoint name");
    row("use after close", "listen s\nconnect c s\nclose c\nsend c 5", 4, 6, "'c' was closed at line 3");
    row("close twice", "listen s\nclose s\nclose s", 3, 7, "'s' was closed at line 2");
    row("set after close", "listen s\nclose s\nset s nodelay", 3, 5, "'s' was closed at line 2");
    row("accept on a closed listener", "listen s\nclose s\naccept s c", 3, 8, "'s' was closed at line 2");
    row("listen after connect", "listen s\nconnect c s\nlisten c", 3, 8,
        "'c' connected at line 2; a connected socket cannot listen");
    row("listen on accepted", "listen s\nconnect c s\naccept s a\nlisten a", 4, 8, "'a' was accepted at line 3");
    row("connect a listener", "listen s\nlisten t\nconnect s t", 3, 9,
        "'s' listens (since line 1); a listening socket cannot connect");
    row("socket twice", "socket c\nsocket c", 2, 8, "'c' already exists (created at line 1)");
    row("socket after implicit creation", "set c nodelay\nsocket c", 2, 8, "'c' already exists");

    // Addresses and ports.
    row("port below 1024", "bind c port=80", 1, 13, "port '80' is not allowed: use 0 (any free port) or 1024-65535");
    row("port above 65535", "listen s port=70000", 1, 15, "port '70000' is not allowed");
    row("connect to port 0", "connect c port=0", 1, 16, "port '0' is not allowed: use 1024-65535");
    row("port not a number", "bind c port=http", 1, 13, "port 'http' is not allowed");
    row("non-loopback IPv4", "bind c addr=10.0.0.1", 1, 13, "scenarios may only use loopback addresses");
    row("non-loopback IPv6", "bind c addr=::2", 1, 13, "scenarios may only use loopback addresses");
    row("v4-mapped loopback", "bind c addr=::ffff:127.0.0.1", 1, 13, "scenarios may only use loopback addresses");
    row("host name", "connect c port=5000 addr=localhost", 1, 26, "scenarios may only use loopback addresses");
    row("family conflict", "socket c\nbind c addr=::1", 2, 13, "'c' is IPv4 (since line 1) and cannot use the IPv6");
    row("family conflict through connect", "listen s addr=::1\nsocket c\nconnect c s", 3, 11,
        "'c' is IPv4 (since line 2) and cannot use IPv6 endpoint 's'");

    // Numbers.
    row("size with a bad suffix", "listen s\nsend s 4kb", 2, 8, "bad size '4kb'");
    row("size fraction without unit", "listen s\nsend s 1.5", 2, 8, "'1.5' is not a whole number of bytes");
    row("size fraction not whole", "listen s\nrecv s 1.0001k", 2, 8, "'1.0001k' is not a whole number of bytes");
    row("negative size", "listen s\nsend s -5", 2, 8, "bad size '-5'");
    row("huge number", "listen s\nsend s 99999999999999999999", 2, 8, "is too large");
    row("duration without unit", "wait 5", 1, 6, "'5' needs a unit: write 5ms or 5s");
    row("duration bad unit", "wait 5min", 1, 6, "bad duration '5min'");
    row("duration fraction of ms", "wait 1.5ms", 1, 6, "not a whole number of milliseconds");
    row("zero wait", "wait 0ms", 1, 6, "a wait must be longer than 0ms");
    row("negative wait", "wait -1s", 1, 6, "bad duration '-1s'");
    row("seconds with fraction", "set c keepidle 1.5", 1, 16, "not a whole number of seconds");
    row("keepidle 0", "set c keepidle 0", 1, 16, "must be between 1 and 3600 seconds");
    row("count with suffix", "listen s\nexpect s acceptq 1k", 2, 18, "bad number '1k'");
    row("backlog not a number", "listen s backlog=many", 1, 18, "bad number 'many'");

    // Headers and narration.
    row("narration before steps", "en: Hello\nlisten s", 1, 1,
        "narration before the first step; use about: for the scenario's description");
    row("zh narration before steps", "  zh: \xE4\xBD\xA0\xE5\xA5\xBD\nlisten s", 1, 3,
        "narration before the first step");
    row("empty narration", "listen s\nen:", 2, 1, "'en:' needs text");
    row("empty header", "topic:   # nothing\nlisten s", 1, 1, "'topic:' needs text");
    // parse() adds "title: Test" as line 3.
    row("duplicate title", "title: First\nlisten s", 3, 1,
        "duplicate 'title:'; the English title was already given at line 1");
    row("duplicate topic.zh", "topic.zh: a\ntopic.zh: b\nlisten s", 2, 1,
        "the Chinese topic was already given at line 1");

    // The text itself. Columns count code points: the quote is column 10, byte 18.
    row("unterminated string",
        "listen s\nzh: \xE5\xAE\xA2\xE6\x88\xB7\xE7\xAB\xAF\xE8\xAF\xB4 \"\xE4\xBD\xA0\xE5\xA5\xBD", 2, 10,
        "unterminated string");
    row("columns after ideographic spaces",
        "listen s\nexpect\xE3\x80\x80s\xE3\x80\x80"
        "BOGUS",
        2, 10, "unknown quantity or state 'BOGUS'");
    row("invalid UTF-8", "listen s\nen: caf\xE9 au lait", 2, 8, "not valid UTF-8");
    row("overlong UTF-8", "listen s\nen: \xC0\xAF", 2, 5, "not valid UTF-8");
}

void TestParser::errors()
{
    QFETCH(QByteArray, text);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QByteArray, fragment);

    const ParseOutcome outcome = parse(text);
    QVERIFY(!outcome.ok());
    QVERIFY(!outcome.scenario);
    QVERIFY2(outcome.errors.size() == 1, errorList(outcome).constData());
    const Diagnostic& d = outcome.errors.front();
    const QByteArray where
        = QByteArray(kFile) + ':' + QByteArray::number(line) + ':' + QByteArray::number(column) + ':';
    const QByteArray got = QByteArray::fromStdString(d.toString());
    QVERIFY2(got.startsWith(where + ' '), (got + " does not start with " + where).constData());
    QVERIFY2(got.contains(fragment), (got + " lacks: " + fragment).constData());
    QCOMPARE(d.file, std::string(kFile));
}

void TestParser::limits_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("line"); // 0: the text must parse
    QTest::addColumn<int>("column");
    QTest::addColumn<QByteArray>("fragment");

    const QByteArray none;
    QTest::addRow("500 steps") << repeatLines("wait 1ms", 500) << 0 << 0 << none;
    QTest::addRow("501 steps") << repeatLines("wait 1ms", 501) << 501 << 1
                               << QByteArray("too many steps: a scenario may have at most 500");
    QTest::addRow("24 endpoints") << numberedLines("socket e%", 24) << 0 << 0 << none;
    QTest::addRow("25 endpoints") << numberedLines("socket e%", 25) << 25 << 8
                                  << QByteArray("too many endpoints: a scenario may have at most 24");
    QTest::addRow("25 endpoints via accept")
        << QByteArray("listen s\n") + numberedLines("accept s c%", 24) << 25 << 10 << QByteArray("at most 24");

    QTest::addRow("send 64M") << QByteArray("listen s\nsend s 64M") << 0 << 0 << none;
    QTest::addRow("send 65M") << QByteArray("listen s\nsend s 65M") << 2 << 8
                              << QByteArray("more than the limit of 64M (67108864 bytes)");
    QTest::addRow("recv 64M + 1") << QByteArray("listen s\nrecv s 67108865") << 2 << 8
                                  << QByteArray("more than the limit of 64M");
    QTest::addRow("wait 120s") << QByteArray("wait 120s") << 0 << 0 << none;
    QTest::addRow("wait 121s") << QByteArray("wait 121s") << 1 << 6 << QByteArray("longer than the limit of 120s");
    QTest::addRow("wait-state 121s") << QByteArray("listen s\nwait s LISTEN within 121s") << 2 << 22
                                     << QByteArray("longer than the limit of 120s");
    QTest::addRow("total 300s") << repeatLines("wait 100s", 3) << 0 << 0 << none;
    QTest::addRow("total over 300s") << repeatLines("wait 100s", 3) + "wait 1ms\nwait 1ms\n"
                                     << 4 << 6
                                     << QByteArray("the waits add up to 300001ms, more than the limit of 300s");
    QTest::addRow("total counts wait-state defaults") << QByteArray("listen s\n") + repeatLines("wait s LISTEN", 31)
                                                      << 32 << 1 << QByteArray("more than the limit of 300s");
    QTest::addRow("total counts within") << QByteArray("listen s\nwait 100s\nwait 100s\nwait s LISTEN within 101s") << 4
                                         << 22 << QByteArray("more than the limit of 300s");
    QTest::addRow("sndbuf 16M") << QByteArray("set c sndbuf 16M") << 0 << 0 << none;
    QTest::addRow("sndbuf 17M") << QByteArray("set c sndbuf 17M") << 1 << 14
                                << QByteArray("must be between 0 and 16M (16777216 bytes)");
    QTest::addRow("rcvbuf 16M + 1") << QByteArray("set c rcvbuf 16777217") << 1 << 14 << QByteArray("16M");
    QTest::addRow("linger 3600") << QByteArray("set c linger 3600") << 0 << 0 << none;
    QTest::addRow("linger 3601") << QByteArray("set c linger 3601") << 1 << 14
                                 << QByteArray("must be between 0 and 3600 seconds");
    QTest::addRow("keepidle 3601") << QByteArray("set c keepidle 3601") << 1 << 16 << QByteArray("3600 seconds");
    QTest::addRow("keepintvl 3601s") << QByteArray("set c keepintvl 3601s") << 1 << 17 << QByteArray("3600 seconds");
    QTest::addRow("defer-accept 3601") << QByteArray("set c defer-accept 3601") << 1 << 20
                                       << QByteArray("3600 seconds");
    QTest::addRow("keepcnt 127") << QByteArray("set c keepcnt 127") << 0 << 0 << none;
    QTest::addRow("keepcnt 128") << QByteArray("set c keepcnt 128") << 1 << 15
                                 << QByteArray("must be between 1 and 127");
    QTest::addRow("backlog 4096") << QByteArray("listen s backlog=4096") << 0 << 0 << none;
    QTest::addRow("backlog 4097") << QByteArray("listen s backlog=4097") << 1 << 18
                                  << QByteArray("more than the limit of 4096");
}

void TestParser::limits()
{
    QFETCH(QByteArray, text);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QByteArray, fragment);

    const ParseOutcome outcome = parse(text);
    if (line == 0) {
        QVERIFY2(outcome.ok(), errorList(outcome).constData());
        return;
    }
    QVERIFY2(outcome.errors.size() == 1, errorList(outcome).constData());
    const QByteArray got = QByteArray::fromStdString(outcome.errors.front().toString());
    const QByteArray where
        = QByteArray(kFile) + ':' + QByteArray::number(line) + ':' + QByteArray::number(column) + ':';
    QVERIFY2(got.startsWith(where), (got + " does not start with " + where).constData());
    QVERIFY2(got.contains(fragment), (got + " lacks: " + fragment).constData());
}

void TestParser::collectsEveryError()
{
    // A teacher fixes a file in one go: all problems, in line order, and no title check noise.
    const ParseOutcome outcome = parse("listen srv port=80\n"
                                       "conect c srv\n"
                                       "wait 5\n"
                                       "send nobody 5\n",
        false);
    QCOMPARE(outcome.errors.size(), std::size_t(5));
    QCOMPARE(outcome.errors[0].toString().substr(0, 12), std::string("t.synack:1:1"));
    QVERIFY(outcome.errors[0].message.find("no title") != std::string::npos);
    QCOMPARE(outcome.errors[1].toString().substr(0, 14), std::string("t.synack:1:17:"));
    QCOMPARE(outcome.errors[2].toString().substr(0, 13), std::string("t.synack:2:1:"));
    QCOMPARE(outcome.errors[3].toString().substr(0, 13), std::string("t.synack:3:6:"));
    QCOMPARE(outcome.errors[4].toString().substr(0, 13), std::string("t.synack:4:6:"));

    // An unknown step still introduces its name, so the lines after it are not blamed as well.
    const ParseOutcome typo = parse("lisen srv\naccept srv conn\nclose srv\n");
    QVERIFY2(typo.errors.size() == 1, errorList(typo).constData());
    // ...but what valid lines did still counts: a close is a close.
    const ParseOutcome typoThenClose = parse("lisen srv\nclose srv\nclose srv\n");
    QVERIFY2(typoThenClose.errors.size() == 2, errorList(typoThenClose).constData());
    QCOMPARE(typoThenClose.errors[1].toString().substr(0, 13), std::string("t.synack:3:7:"));
    QVERIFY(typoThenClose.errors[1].message.find("was closed at line 2") != std::string::npos);

    const ParseOutcome untitled = parse("listen s\n", false);
    QVERIFY2(untitled.errors.size() == 1, errorList(untitled).constData());
    QCOMPARE(untitled.errors[0].toString().substr(0, 13), std::string("t.synack:1:1:"));
    QVERIFY(untitled.errors[0].message.find("no title") != std::string::npos);

    // A Chinese title alone is not enough: the English one is the fallback for every language.
    const ParseOutcome chineseOnly = parse("title.zh: \xE6\xA0\x87\xE9\xA2\x98\nlisten s\n", false);
    QVERIFY2(chineseOnly.errors.size() == 1, errorList(chineseOnly).constData());
    QVERIFY(chineseOnly.errors[0].message.find("no title") != std::string::npos);

    const ParseOutcome empty = parse("# only a comment\n");
    QVERIFY2(empty.errors.size() == 1, errorList(empty).constData());
    QCOMPARE(empty.errors[0].toString().substr(0, 13), std::string("t.synack:1:1:"));
    QVERIFY(empty.errors[0].message.find("no steps") != std::string::npos);
}

void TestParser::stopsAfterFiftyErrors()
{
    const ParseOutcome outcome = parse(repeatLines("bogus", 60));
    QCOMPARE(outcome.errors.size(), std::size_t(ScenarioLimits::kMaxErrors));
    QCOMPARE(outcome.errors.front().pos.line, 1);
    QCOMPARE(outcome.errors.back().pos.line, 50);
}

void TestParser::headers_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArray>("titleEn");
    QTest::addColumn<QByteArray>("titleZh");
    QTest::addColumn<QByteArray>("aboutEn");
    QTest::addColumn<QByteArray>("aboutZh");
    QTest::addColumn<QByteArray>("topicEn");
    QTest::addColumn<QByteArray>("topicZh");

    QTest::addRow("all six") << QByteArray("title: Handshake\n"
                                           "title.zh: \xE4\xB8\x89\xE6\xAC\xA1\xE6\x8F\xA1\xE6\x89\x8B\n"
                                           "about: How a connection starts.\n"
                                           "about.zh: \xE8\xBF\x9E\xE6\x8E\xA5\n"
                                           "topic: basics\n"
                                           "topic.zh: \xE5\x9F\xBA\xE7\xA1\x80\n"
                                           "listen s\n")
                             << QByteArray("Handshake")
                             << QByteArray("\xE4\xB8\x89\xE6\xAC\xA1\xE6\x8F\xA1\xE6\x89\x8B")
                             << QByteArray("How a connection starts.") << QByteArray("\xE8\xBF\x9E\xE6\x8E\xA5")
                             << QByteArray("basics") << QByteArray("\xE5\x9F\xBA\xE7\xA1\x80");
    QTest::addRow("about joined") << QByteArray("title: T\nabout: One,\n  about:   two,\nlisten s\nabout: three.\n")
                                  << QByteArray("T") << QByteArray() << QByteArray("One, two, three.") << QByteArray()
                                  << QByteArray() << QByteArray();
    QTest::addRow("about.zh joined") << QByteArray("title: T\nabout.zh: a\nabout.zh: b\nlisten s\n") << QByteArray("T")
                                     << QByteArray() << QByteArray() << QByteArray("a b") << QByteArray()
                                     << QByteArray();
    QTest::addRow("title.en alias") << QByteArray("title.en: English\nlisten s\n") << QByteArray("English")
                                    << QByteArray() << QByteArray() << QByteArray() << QByteArray() << QByteArray();
    QTest::addRow("keys ignore case") << QByteArray("Title: Big\nTOPIC.ZH: x\nlisten s\n") << QByteArray("Big")
                                      << QByteArray() << QByteArray() << QByteArray() << QByteArray()
                                      << QByteArray("x");
    QTest::addRow("no space after colon")
        << QByteArray("title:Tight\nlisten s\n") << QByteArray("Tight") << QByteArray() << QByteArray() << QByteArray()
        << QByteArray() << QByteArray();
    QTest::addRow("full-width colon") << QByteArray(
        "title: T\ntitle.zh\xEF\xBC\x9A\xE6\xA0\x87\xE9\xA2\x98\nlisten s\n")
                                      << QByteArray("T") << QByteArray("\xE6\xA0\x87\xE9\xA2\x98") << QByteArray()
                                      << QByteArray() << QByteArray() << QByteArray();
    QTest::addRow("colons in the text") << QByteArray("title: Ports: 5000 vs ::1\nlisten s\n")
                                        << QByteArray("Ports: 5000 vs ::1") << QByteArray() << QByteArray()
                                        << QByteArray() << QByteArray() << QByteArray();
}

void TestParser::headers()
{
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, titleEn);
    QFETCH(QByteArray, titleZh);
    QFETCH(QByteArray, aboutEn);
    QFETCH(QByteArray, aboutZh);
    QFETCH(QByteArray, topicEn);
    QFETCH(QByteArray, topicZh);

    const ParseOutcome outcome = parse(text, false);
    QVERIFY2(outcome.ok(), errorList(outcome).constData());
    const Scenario& s = *outcome.scenario;
    auto get = [](const std::map<std::string, std::string>& field, const char* lang) {
        const auto it = field.find(lang);
        return it == field.end() ? QByteArray() : QByteArray::fromStdString(it->second);
    };
    QCOMPARE(get(s.title, "en"), titleEn);
    QCOMPARE(get(s.title, "zh"), titleZh);
    QCOMPARE(get(s.about, "en"), aboutEn);
    QCOMPARE(get(s.about, "zh"), aboutZh);
    QCOMPARE(get(s.topic, "en"), topicEn);
    QCOMPARE(get(s.topic, "zh"), topicZh);
    QCOMPARE(s.name, std::string("t"));
    QCOMPARE(s.file, std::string(kFile));
}

void TestParser::narration_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("step");
    QTest::addColumn<QByteArray>("en");
    QTest::addColumn<QByteArray>("zh");

    const QByteArray zhText = "\xE6\x9C\x8D\xE5\x8A\xA1\xE5\x99\xA8\xE5\x9C\xA8\xE7\x9B\x91\xE5\x90\xAC\xE3\x80\x82";
    QTest::addRow("both languages") << QByteArray("listen s\nen: The server listens.\nzh: ") + zhText + "\n"
                                    << 0 << QByteArray("The server listens.") << zhText;
    QTest::addRow("joined with a space") << QByteArray("listen s\nen: One\n   en: two.\n") << 0
                                         << QByteArray("One two.") << QByteArray();
    QTest::addRow("attaches to the latest step")
        << QByteArray("listen s\nen: first\nconnect c s\nen: second\n") << 1 << QByteArray("second") << QByteArray();
    QTest::addRow("earlier step keeps its own")
        << QByteArray("listen s\nen: first\nconnect c s\nen: second\n") << 0 << QByteArray("first") << QByteArray();
    QTest::addRow("across a header") << QByteArray("listen s\ntopic: x\nen: still the listen\n") << 0
                                     << QByteArray("still the listen") << QByteArray();
    QTest::addRow("quoted with #") << QByteArray("listen s\nen: \"Port #1\" # comment\n") << 0 << QByteArray("Port #1")
                                   << QByteArray();
    QTest::addRow("quotes inside stay") << QByteArray("listen s\nen: Say \"hi\" now # comment\n") << 0
                                        << QByteArray("Say \"hi\" now") << QByteArray();
    QTest::addRow("full-width colon") << QByteArray("listen s\nzh\xEF\xBC\x9A") + zhText + "\n"
                                      << 0 << QByteArray() << zhText;
    QTest::addRow("without narration") << QByteArray("listen s\n") << 0 << QByteArray() << QByteArray();
}

void TestParser::narration()
{
    QFETCH(QByteArray, text);
    QFETCH(int, step);
    QFETCH(QByteArray, en);
    QFETCH(QByteArray, zh);

    const ParseOutcome outcome = parse(text);
    QVERIFY2(outcome.ok(), errorList(outcome).constData());
    const auto& narration = outcome.scenario->steps.at(static_cast<std::size_t>(step)).narration;
    auto get = [&](const char* lang) {
        const auto it = narration.find(lang);
        return it == narration.end() ? QByteArray() : QByteArray::fromStdString(it->second);
    };
    QCOMPARE(get("en"), en);
    QCOMPARE(get("zh"), zh);
    for (const auto& [lang, value] : narration)
        QVERIFY2(lang == "en" || lang == "zh", lang.c_str());
}

void TestParser::comments_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("steps");
    QTest::addColumn<QByteArray>("stepText"); // of the first step
    QTest::addColumn<QByteArray>("title");

    QTest::addRow("whole-line comments") << QByteArray("# one\n   # two\n\t# three\ntitle: T\nlisten s\n") << 1
                                         << QByteArray("listen s") << QByteArray("T");
    QTest::addRow("trailing comment") << QByteArray("title: T # not part of it\nlisten s   # trailing\n") << 1
                                      << QByteArray("listen s") << QByteArray("T");
    QTest::addRow("comment without space")
        << QByteArray("title: T#x\nlisten s#x\n") << 1 << QByteArray("listen s") << QByteArray("T");
    QTest::addRow("commented-out step") << QByteArray("title: T\n# listen t\nlisten s\n") << 1 << QByteArray("listen s")
                                        << QByteArray("T");
    QTest::addRow("quoted title keeps #") << QByteArray("title: \"Ports # and more\" # comment\nlisten s\n") << 1
                                          << QByteArray("listen s") << QByteArray("Ports # and more");
    QTest::addRow("partly quoted title") << QByteArray("title: The \"#\" sign\nlisten s\n") << 1
                                         << QByteArray("listen s") << QByteArray("The \"#\" sign");
    QTest::addRow("blank and space-only lines")
        << QByteArray("\n   \n\t\ntitle: T\n\nlisten s\n\n") << 1 << QByteArray("listen s") << QByteArray("T");
    QTest::addRow("step text is trimmed") << QByteArray("title: T\n   listen  s   backlog=2   # why\n") << 1
                                          << QByteArray("listen  s   backlog=2") << QByteArray("T");
}

void TestParser::comments()
{
    QFETCH(QByteArray, text);
    QFETCH(int, steps);
    QFETCH(QByteArray, stepText);
    QFETCH(QByteArray, title);

    const ParseOutcome outcome = parse(text, false);
    QVERIFY2(outcome.ok(), errorList(outcome).constData());
    QCOMPARE(static_cast<int>(outcome.scenario->steps.size()), steps);
    QCOMPARE(QByteArray::fromStdString(outcome.scenario->steps.front().text), stepText);
    QCOMPARE(QByteArray::fromStdString(outcome.scenario->title.at("en")), title);
}

void TestParser::sizes_data()
{
    QTest::addColumn<QByteArray>("size");
    QTest::addColumn<qint64>("bytes");
    QTest::addRow("plain") << QByteArray("1500") << qint64(1500);
    QTest::addRow("zero") << QByteArray("0") << qint64(0);
    QTest::addRow("k") << QByteArray("4k") << qint64(4096);
    QTest::addRow("K") << QByteArray("4K") << qint64(4096);
    QTest::addRow("m") << QByteArray("2m") << qint64(2097152);
    QTest::addRow("M") << QByteArray("2M") << qint64(2097152);
    QTest::addRow("fraction k") << QByteArray("1.5k") << qint64(1536);
    QTest::addRow("fraction M") << QByteArray("0.5M") << qint64(524288);
    QTest::addRow("limit") << QByteArray("64M") << qint64(67108864);
}

void TestParser::sizes()
{
    QFETCH(QByteArray, size);
    QFETCH(qint64, bytes);
    const ParseOutcome outcome = parse("listen s\nsend s " + size + "\nexpect s recvq <= " + size + "\n");
    QVERIFY2(outcome.ok(), errorList(outcome).constData());
    QCOMPARE(static_cast<qint64>(outcome.scenario->steps[1].bytes), bytes);
    QCOMPARE(static_cast<qint64>(outcome.scenario->steps[2].number), bytes);
    QCOMPARE(QByteArray::fromStdString(outcome.scenario->steps[2].valueText), "<= " + size);
}

void TestParser::durations_data()
{
    QTest::addColumn<QByteArray>("duration");
    QTest::addColumn<qint64>("ms");
    QTest::addRow("ms") << QByteArray("500ms") << qint64(500);
    QTest::addRow("s") << QByteArray("2s") << qint64(2000);
    QTest::addRow("fraction s") << QByteArray("1.5s") << qint64(1500);
    QTest::addRow("small fraction") << QByteArray("0.25s") << qint64(250);
    QTest::addRow("upper case") << QByteArray("3S") << qint64(3000);
    QTest::addRow("upper case ms") << QByteArray("20MS") << qint64(20);
    QTest::addRow("1ms") << QByteArray("1ms") << qint64(1);
}

void TestParser::durations()
{
    QFETCH(QByteArray, duration);
    QFETCH(qint64, ms);
    const ParseOutcome outcome = parse("listen s\nwait " + duration + "\nwait s LISTEN within " + duration
        + "\nexpect s timer-ms < " + duration + "\n");
    QVERIFY2(outcome.ok(), errorList(outcome).constData());
    const auto& steps = outcome.scenario->steps;
    QCOMPARE(steps[1].kind, StepKind::Wait);
    QCOMPARE(static_cast<qint64>(steps[1].durationMs), ms);
    QCOMPARE(steps[2].kind, StepKind::WaitState);
    QCOMPARE(static_cast<qint64>(steps[2].durationMs), ms);
    QCOMPARE(static_cast<qint64>(steps[3].number), ms);
}

void TestParser::scenarioText()
{
    const ParseOutcome outcome = parse("title: Handshake\ntitle.zh: \xE6\x8F\xA1\xE6\x89\x8B\nabout: English only\n"
                                       "listen s\n",
        false);
    QVERIFY2(outcome.ok(), errorList(outcome).constData());
    const Scenario& s = *outcome.scenario;
    QCOMPARE(s.text(s.title), std::string("Handshake"));
    QCOMPARE(s.text(s.title, "zh"), std::string("\xE6\x8F\xA1\xE6\x89\x8B"));
    QCOMPARE(s.text(s.about, "zh"), std::string("English only")); // falls back to English
    QCOMPARE(s.text(s.topic, "zh"), std::string()); // nothing at all
    QCOMPARE(s.text(s.title, "fr"), std::string("Handshake"));
}

void TestParser::loadFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("three-way.synack"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("title: Handshake\nlisten srv\nconnect c srv\n");
    f.close();

    const ParseOutcome outcome = loadScenarioFile(path.toStdString());
    QVERIFY2(outcome.ok(), errorList(outcome).constData());
    QCOMPARE(outcome.scenario->name, std::string("three-way"));
    QCOMPARE(outcome.scenario->file, path.toStdString());
    QCOMPARE(outcome.scenario->steps.size(), std::size_t(2));

    // Errors name the path as given, so an editor can open it.
    QFile bad(dir.filePath(QStringLiteral("bad.synack")));
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write("title: T\nlisten s\nsend x 1\n");
    bad.close();
    const ParseOutcome badOutcome = loadScenarioFile(bad.fileName().toStdString());
    QCOMPARE(badOutcome.errors.size(), std::size_t(1));
    QCOMPARE(badOutcome.errors[0].toString().substr(0, static_cast<std::size_t>(bad.fileName().size()) + 6),
        bad.fileName().toStdString() + ":3:6: ");

    // Exactly 1 MiB is still accepted.
    QFile big(dir.filePath(QStringLiteral("big.synack")));
    QVERIFY(big.open(QIODevice::WriteOnly));
    QByteArray content = "title: Big\nlisten s\n";
    content += QByteArray(ScenarioLimits::kMaxFileBytes - content.size() - 1, '#') + '\n';
    QCOMPARE(content.size(), qsizetype(ScenarioLimits::kMaxFileBytes));
    big.write(content);
    big.close();
    const ParseOutcome bigOutcome = loadScenarioFile(big.fileName().toStdString());
    QVERIFY2(bigOutcome.ok(), errorList(bigOutcome).constData());
    QCOMPARE(bigOutcome.scenario->name, std::string("big"));
}

void TestParser::loadFileErrors_data()
{
    QTest::addColumn<QString>("file"); // inside a temporary directory; "." is the directory itself
    QTest::addColumn<qint64>("size"); // bytes to write, -1: do not create
    QTest::addColumn<QByteArray>("fragment");
    QTest::addRow("missing") << QStringLiteral("missing.synack") << qint64(-1)
                             << QByteArray("No such file or directory");
    QTest::addRow("directory") << QStringLiteral(".") << qint64(-1) << QByteArray("Is a directory");
    QTest::addRow("too big") << QStringLiteral("huge.synack") << qint64(ScenarioLimits::kMaxFileBytes + 1)
                             << QByteArray("at most 1048576 bytes (1 MiB)");
}

void TestParser::loadFileErrors()
{
    QFETCH(QString, file);
    QFETCH(qint64, size);
    QFETCH(QByteArray, fragment);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = file == QStringLiteral(".") ? dir.path() : dir.filePath(file);
    if (size >= 0) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QVERIFY(f.write(QByteArray(size, '#')) == size);
    }
    const ParseOutcome outcome = loadScenarioFile(path.toStdString());
    QVERIFY(!outcome.ok());
    QCOMPARE(outcome.errors.size(), std::size_t(1));
    const Diagnostic& d = outcome.errors[0];
    QCOMPARE(d.pos.line, 0);
    QCOMPARE(d.file, path.toStdString());
    const QByteArray text = QByteArray::fromStdString(d.toString());
    QVERIFY2(text.startsWith(path.toUtf8() + ": "), text.constData());
    QVERIFY2(text.contains(path.toUtf8()), text.constData());
    QVERIFY2(text.contains(fragment), text.constData());
}

QTEST_GUILESS_MAIN(TestParser)
#include "tst_parser.moc"
