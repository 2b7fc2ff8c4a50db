// SPDX-License-Identifier: GPL-3.0-or-later
// The `sysctl` step and the TCP_USER_TIMEOUT / TCP_SYNCNT options, against the kernel: a sysctl is
// written in the lab's namespace and read back from it, never on the host; the options are read
// back with getsockopt from the run's own sockets.
#include <QTest>

#include <dirent.h>
#include <fstream>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string>
#include <sys/socket.h>
#include <unistd.h>

#include "lab/gate.h"
#include "lab/lab.h"
#include "run/runner.h"
#include "scenario/parser.h"
#include "testsupport.h"

using namespace synack;

namespace {

/// The host's value of net.ipv4.`name`, as this (test) process sees it: the host's namespace.
std::string hostSysctl(const std::string& name)
{
    std::ifstream f("/proc/sys/net/ipv4/" + name);
    std::string value;
    std::getline(f, value);
    return value;
}

Scenario scenarioFrom(const std::string& steps)
{
    const std::string text = "title: sysctl test\n" + steps;
    ParseOutcome parsed = parseScenario(text, "sysctl-test", "sysctl-test.synack");
    if (!parsed.ok())
        qFatal("test scenario has errors: %s", parsed.errors.front().toString().c_str());
    return std::move(*parsed.scenario);
}

/// The step events of a trace whose call is `call`.
std::vector<StepEvent> stepsCalled(const Trace& t, const std::string& call)
{
    std::vector<StepEvent> out;
    for (const Event& e : t.events)
        if (const auto* s = e.as<StepEvent>(); s && s->call == call)
            out.push_back(*s);
    return out;
}

/// Whether a TCP socket of this process has the int TCP option `option` at `want`.
bool anyTcpSocket(int option, int want)
{
    bool found = false;
    if (DIR* d = ::opendir("/proc/self/fd")) {
        while (dirent* e = ::readdir(d)) {
            const int fd = std::atoi(e->d_name);
            int protocol = 0, value = -1;
            socklen_t len = sizeof protocol;
            if (fd <= 2 || ::getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &protocol, &len) != 0 || protocol != IPPROTO_TCP)
                continue;
            len = sizeof value;
            if (::getsockopt(fd, IPPROTO_TCP, option, &value, &len) == 0 && value == want)
                found = true;
        }
        ::closedir(d);
    }
    return found;
}


} // namespace

class TestSysctl : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void labWritesAndReadsItsOwnNamespace()
    {
        SYNACK_REQUIRE_LAB();
        auto lab = Lab::start();
        QVERIFY2(lab.ok(), lab.ok() ? "" : lab.error().message().c_str());
        const std::string host = hostSysctl("tcp_fin_timeout");
        const std::string want = host == "7" ? "8" : "7";
        const auto wrote = lab->sysctl("tcp_fin_timeout", want);
        QVERIFY2(wrote.ok(), wrote.ok() ? "" : wrote.error().message().c_str());
        const auto read = lab->readSysctl("tcp_fin_timeout");
        QVERIFY2(read.ok(), read.ok() ? "" : read.error().message().c_str());
        QCOMPARE(*read, want);
        QCOMPARE(hostSysctl("tcp_fin_timeout"), host);

        QVERIFY(lab->sysctl("ip_local_port_range", "40000 40009").ok());
        QCOMPARE(*lab->readSysctl("ip_local_port_range"), std::string("40000\t40009"));
        // The kernel's own refusal comes back as its errno.
        const auto refused = lab->sysctl("ip_local_port_range", "50000 40000");
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().err, EINVAL);
    }

    void labTakesOnlyItsListOfNames()
    {
        // The session checks again what the parser checked: a name from its list, digits and spaces.
        SYNACK_REQUIRE_LAB();
        auto lab = Lab::start();
        QVERIFY(lab.ok());
        for (const char* name : { "../../kernel/panic", "tcp_fin_timeout/../tcp_syn_retries", "somaxconn", "" }) {
            const auto r = lab->sysctl(name, "1");
            QVERIFY2(!r.ok(), name);
            QCOMPARE(r.error().err, EINVAL);
            QVERIFY(!lab->readSysctl(name).ok());
        }
        for (const char* value : { "5\n1", "-1", "5;1", "", "0x10" }) {
            const auto r = lab->sysctl("tcp_fin_timeout", value);
            QVERIFY2(!r.ok(), value);
            QCOMPARE(r.error().err, EINVAL);
        }
        const auto tooLong = lab->sysctl("tcp_fin_timeout", std::string(64, '1'));
        QVERIFY(!tooLong.ok());
        // The lab still answers after the refusals.
        QVERIFY(lab->readSysctl("tcp_fin_timeout").ok());
    }

    void aRunSetsFinTimeoutInTheLabOnly()
    {
        SYNACK_REQUIRE_LAB();
        const std::string before = hostSysctl("tcp_fin_timeout");
        QVERIFY(!before.empty());
        const std::string want = before == "5" ? "6" : "5";
        // The orphaned FIN_WAIT2 socket's timer is the namespace's tcp_fin_timeout, not the host's.
        RunOptions options;
        options.tier = Tier::Lab;
        Runner runner(scenarioFrom("sysctl tcp_fin_timeout " + want + "\n"
                                   "listen srv\n"
                                   "connect c srv\n"
                                   "accept srv conn\n"
                                   "close c\n"
                                   "expect c FIN_WAIT2\n"
                                   "expect c timer-ms > 1000\n"
                                   "expect c timer-ms <= "
                + want + "000\n"),
            options);
        const RunSummary& s = runner.runAll();
        QVERIFY2(s.passed(), qPrintable(synack::test::failuresText(s)));
        QCOMPARE(runner.trace().tier, Tier::Lab);
        const auto steps = stepsCalled(runner.trace(), "sysctl");
        QCOMPARE(steps.size(), std::size_t(1));
        const StepEvent& ev = steps.front();
        QCOMPARE(ev.args, "net.ipv4.tcp_fin_timeout = " + want);
        QCOMPARE(ev.result, std::int64_t(0));
        QCOMPARE(ev.err, 0);
        QVERIFY(ev.endpoint.empty());
        QCOMPARE(ev.calls.size(), std::size_t(2));
        QCOMPARE(ev.calls[0].call, std::string("write"));
        QCOMPARE(ev.calls[0].args, "/proc/sys/net/ipv4/tcp_fin_timeout, \"" + want + "\"");
        QCOMPARE(ev.calls[0].result, std::int64_t(0));
        QCOMPARE(ev.calls[1].call, std::string("read"));
        QCOMPARE(ev.calls[1].result, std::int64_t(0));
        QCOMPARE(hostSysctl("tcp_fin_timeout"), before);
    }

    void aRunOnHostLoopbackRefusesSysctl()
    {
        const std::string before = hostSysctl("tcp_fin_timeout");
        RunOptions options;
        options.tier = Tier::HostLoopback;
        Runner runner(scenarioFrom("listen srv\nsysctl tcp_fin_timeout 5\nconnect c srv\n"), options);
        const RunSummary& s = runner.runAll();
        QVERIFY(!s.passed());
        QVERIFY(s.error);
        QCOMPARE(s.error->pos.line, 3); // the title is line 1: the sysctl's line
        QCOMPARE(s.error->message,
            std::string("sysctl-test needs the lab, not host-loopback: it changes settings of a private network namespace"));
        QVERIFY(stepsCalled(runner.trace(), "listen").empty()); // refused before anything ran
        QCOMPARE(hostSysctl("tcp_fin_timeout"), before);
    }

    void theGatedLabSetsBothHosts()
    {
        SYNACK_REQUIRE_GATED_LAB();
        RunOptions options;
        options.tier = Tier::Gated;
        Runner runner(scenarioFrom("sysctl ip_local_port_range 40000 40009\nlisten srv\nconnect c srv\n"
                                   "expect c ESTABLISHED\n"),
            options);
        const RunSummary& s = runner.runAll();
        QVERIFY2(s.passed(), qPrintable(synack::test::failuresText(s)));
        const auto steps = stepsCalled(runner.trace(), "sysctl");
        QCOMPARE(steps.size(), std::size_t(1));
        QCOMPARE(steps.front().args, std::string("net.ipv4.ip_local_port_range = 40000 40009"));
        QCOMPARE(steps.front().calls.size(), std::size_t(4));
        QVERIFY(steps.front().calls[0].args.ends_with("(client host)"));
        QVERIFY(steps.front().calls[2].args.ends_with("(server host)"));
        // The client's ephemeral port comes from the range the client host now has.
        // connect() blocks in the gated lab and returns later: the call that returned has the address.
        const auto connects = stepsCalled(runner.trace(), "connect");
        QVERIFY(!connects.empty());
        const std::string local = connects.back().local;
        QVERIFY(!local.empty());
        const int port = std::stoi(local.substr(local.rfind(':') + 1));
        QVERIFY2(port >= 40000 && port <= 40009, local.c_str());
    }

    void synCntAndUserTimeoutReachTheSocket()
    {
        // Host loopback is enough: the options are the socket's. They are read back from the run's
        // own descriptor, which this process holds until the runner ends.
        RunOptions options;
        options.tier = Tier::HostLoopback;
        Runner runner(scenarioFrom("set c syncnt 2\nset c user-timeout 2s\nset d user-timeout 0\n"), options);
        const RunSummary& s = runner.runAll();
        QVERIFY2(s.passed(), qPrintable(synack::test::failuresText(s)));
        const auto sets = stepsCalled(runner.trace(), "setsockopt");
        QCOMPARE(sets.size(), std::size_t(3));
        QCOMPARE(sets[0].args, std::string("TCP_SYNCNT, 2"));
        QCOMPARE(sets[1].args, std::string("TCP_USER_TIMEOUT, 2000 ms"));
        QCOMPARE(sets[2].args, std::string("TCP_USER_TIMEOUT, 0 ms"));
        for (const StepEvent& ev : sets) {
            QCOMPARE(ev.result, std::int64_t(0));
            QCOMPARE(ev.err, 0);
            QCOMPARE(ev.calls.back().call, std::string("setsockopt"));
            QCOMPARE(ev.calls.back().result, std::int64_t(0));
        }
        QVERIFY2(anyTcpSocket(TCP_SYNCNT, 2), "no socket of the run has TCP_SYNCNT 2");
        QVERIFY2(anyTcpSocket(TCP_USER_TIMEOUT, 2000), "no socket of the run has TCP_USER_TIMEOUT 2000");
    }
};

QTEST_GUILESS_MAIN(TestSysctl)
#include "tst_sysctl.moc"
