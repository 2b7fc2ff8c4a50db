// SPDX-License-Identifier: GPL-3.0-or-later
// The lab (tier 1): a private network namespace made by a helper process, sockets passed back
// with SCM_RIGHTS. Isolation is checked with sock_diag on both sides, by socket cookie, so other
// sockets on the host do not matter.
#include <QTest>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <csignal>
#include <dirent.h>
#include <fstream>
#include <sys/wait.h>
#include <unistd.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <mutex>
#include <netinet/in.h>
#include <sys/socket.h>
#include <thread>
#include <vector>

#include "lab/capture.h"
#include "lab/lab.h"
#include "scenario/library.h"
#include "scenario/parser.h"
#include "run/runner.h"
#include "testsupport.h"
#include "kernel/sockdiag.h"

#ifndef SO_COOKIE
#define SO_COOKIE 57
#endif

using namespace synack;
using synack::test::openDescriptors;

namespace {

std::uint64_t cookieOf(int fd)
{
    std::uint64_t cookie = 0;
    socklen_t len = sizeof cookie;
    ::getsockopt(fd, SOL_SOCKET, SO_COOKIE, &cookie, &len);
    return cookie;
}

/// A listener on 127.0.0.1 made in `lab`, at `port` (0: any); returns its port through `port`.
Fd labListener(Lab& lab, std::uint16_t& port)
{
    auto s = lab.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (!s)
        return Fd();
    sockaddr_storage ss;
    const socklen_t len = SockAddr::loopback(AF_INET, port).toSockaddr(ss);
    if (::bind(s->get(), reinterpret_cast<sockaddr*>(&ss), len) != 0 || ::listen(s->get(), 4) != 0)
        return Fd();
    sockaddr_storage got {};
    socklen_t gl = sizeof got;
    ::getsockname(s->get(), reinterpret_cast<sockaddr*>(&got), &gl);
    port = SockAddr::fromSockaddr(reinterpret_cast<sockaddr*>(&got), gl).port;
    return std::move(*s);
}

using test::labHelperPid;

bool dumpHasCookie(SockDiag& diag, std::uint16_t port, std::uint64_t cookie)
{
    const std::uint16_t ports[] = { port };
    auto dump = diag.dump(AF_INET, ports);
    if (!dump)
        qFatal("sock_diag dump failed: %s", dump.error().message().c_str());
    for (const DiagSocket& d : *dump)
        if (d.cookie == cookie)
            return true;
    return false;
}
}

class TestLab : public QObject {
    Q_OBJECT
private:
    TierReport m_report;

private Q_SLOTS:
    // Runs first, before anything in this process has forked the helper: the lazy path, from a
    // thread of a process that has several (as the GUI's worker thread would be).
    void startsFromAThreadOfAMultiThreadedProcess()
    {
        if (Lab::tierFromEnvironment() == Tier::HostLoopback)
            QSKIP("SYNACK_TIER=0 is set for this test run");
        std::mutex m;
        std::condition_variable cv;
        bool stop = false;
        std::vector<std::thread> idle;
        for (int i = 0; i < 3; ++i)
            idle.emplace_back([&] {
                std::unique_lock lock(m);
                cv.wait(lock, [&] { return stop; });
            });
        std::optional<Error> failure;
        bool gotSocket = false;
        std::thread([&] {
            auto lab = Lab::start();
            if (!lab) {
                failure = lab.error();
                return;
            }
            gotSocket = lab->socket(AF_INET, SOCK_STREAM, IPPROTO_TCP).ok();
        }).join();
        {
            std::lock_guard lock(m);
            stop = true;
        }
        cv.notify_all();
        for (auto& t : idle)
            t.join();
        m_report = Lab::probe();
        if (m_report.tier < 1)
            SYNACK_REQUIRE_LAB();
        QVERIFY2(!failure, failure ? failure->message().c_str() : "");
        QVERIFY(gotSocket);
        // The thread that forked the helper has ended; the helper must not have gone with it
        // (PR_SET_PDEATHSIG is only set when the main thread forks it).
        auto again = Lab::start();
        QVERIFY2(again.ok(), again.ok() ? "" : again.error().message().c_str());
    }

    void probeSaysWhy()
    {
        const TierReport r = Lab::probe();
        QVERIFY(!r.why.empty());
        QCOMPARE(r.name, std::string(r.tier == 1 ? "lab" : "host-loopback"));
        bool maxUserNs = false;
        for (const auto& [name, value] : r.facts)
            maxUserNs |= name == "user.max_user_namespaces" && !value.empty();
        QVERIFY(maxUserNs);
        if (r.tier == 1)
            QVERIFY(r.namespaces == "user+net" || r.namespaces == "net");
    }

    void descriptorsPassAndWork()
    {
        if (m_report.tier < 1)
            SYNACK_REQUIRE_LAB();
        auto lab = Lab::start();
        QVERIFY(lab.ok());
        std::uint16_t port = 0;
        Fd listener = labListener(*lab, port);
        QVERIFY(listener.valid());
        QVERIFY(port != 0);
        // Passed descriptors arrive close-on-exec, like every descriptor the engine opens.
        QVERIFY(::fcntl(listener.get(), F_GETFD) & FD_CLOEXEC);
        // A client from the same lab reaches the listener: same namespace.
        auto client = lab->socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        QVERIFY(client.ok());
        sockaddr_storage ss;
        const socklen_t len = SockAddr::loopback(AF_INET, port).toSockaddr(ss);
        QCOMPARE(::connect(client->get(), reinterpret_cast<sockaddr*>(&ss), len), 0);
        Fd accepted(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
        QVERIFY(accepted.valid());
        QCOMPARE(::send(client->get(), "hi", 2, 0), ssize_t(2));
        char buf[2];
        QCOMPARE(::recv(accepted.get(), buf, 2, 0), ssize_t(2));
        // A protocol the kernel does not know comes back as its errno, not as a broken lab.
        auto bad = lab->socket(AF_INET, SOCK_STREAM, 253);
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().err, EPROTONOSUPPORT);
        QVERIFY(lab->socket(AF_INET, SOCK_STREAM, IPPROTO_TCP).ok());
    }

    void isolatedFromTheHostAndFromOtherLabs()
    {
        if (m_report.tier < 1)
            SYNACK_REQUIRE_LAB();
        auto lab = Lab::start();
        QVERIFY(lab.ok());
        auto netlink = lab->socket(AF_NETLINK, SOCK_RAW, NETLINK_SOCK_DIAG);
        QVERIFY(netlink.ok());
        auto labDiag = SockDiag::fromFd(std::move(*netlink));
        QVERIFY(labDiag.ok());
        auto hostDiag = SockDiag::open();
        QVERIFY(hostDiag.ok());

        std::uint16_t port = 0;
        Fd listener = labListener(*lab, port);
        QVERIFY(listener.valid());
        const std::uint64_t cookie = cookieOf(listener.get());
        QVERIFY(cookie != 0);
        QVERIFY2(dumpHasCookie(*labDiag, port, cookie), "the lab's sock_diag does not see the lab's listener");
        QVERIFY2(!dumpHasCookie(*hostDiag, port, cookie), "the host's sock_diag sees a socket of the lab");

        // A second lab is a namespace of its own: the same fixed port is free there.
        auto other = Lab::start();
        QVERIFY(other.ok());
        std::uint16_t same = port;
        Fd second = labListener(*other, same);
        QVERIFY2(second.valid(), "the port of one lab is taken in another");
        QCOMPARE(same, port);
    }

    void aRunLeavesNothingOnTheHost()
    {
        if (m_report.tier < 1)
            SYNACK_REQUIRE_LAB();
        auto parsed = Library::load("active-close");
        QVERIFY(parsed.ok());
        RunOptions options;
        options.tier = Tier::Lab;
        Runner runner(*parsed.scenario, options);
        QVERIFY(runner.runAll().passed());
        QCOMPARE(runner.trace().tier, Tier::Lab);
        // The client is in TIME_WAIT in the lab; the host has no socket with its 4-tuple.
        std::string local, peer;
        for (const Event& e : runner.trace().events)
            if (const auto* s = e.as<StateEvent>(); s && s->endpoint == "client" && s->to == TcpState::TimeWait) {
                local = s->local;
                peer = s->peer;
            }
        QVERIFY(!local.empty());
        auto host = SockDiag::open();
        QVERIFY(host.ok());
        const auto colon = local.rfind(':');
        const std::uint16_t port = static_cast<std::uint16_t>(std::stoi(local.substr(colon + 1)));
        const std::uint16_t ports[] = { port };
        auto dump = host->dump(AF_INET, ports);
        QVERIFY(dump.ok());
        for (const DiagSocket& d : *dump)
            QVERIFY2(!(d.local.toString() == local && d.remote.toString() == peer),
                qPrintable(QStringLiteral("the host has %1 -> %2 in %3")
                               .arg(QString::fromStdString(local), QString::fromStdString(peer),
                                   QString::fromUtf8(stateName(d.state).data()))));
    }

    void noDescriptorLeaks()
    {
        if (m_report.tier < 1)
            SYNACK_REQUIRE_LAB();
        { // the helper's own socket is opened once per process; open it before counting
            auto warm = Lab::start();
            QVERIFY(warm.ok());
        }
        const int before = openDescriptors();
        for (int i = 0; i < 3; ++i) {
            auto lab = Lab::start();
            QVERIFY(lab.ok());
            QVERIFY(lab->socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP).ok());
            auto packet = lab->packetSocketOnLo();
            QVERIFY(packet.ok());
            auto capture = Capture::open(std::move(*packet));
            QVERIFY(capture.ok());
            QVERIFY(openDescriptors() > before);
        }
        QCOMPARE(openDescriptors(), before);
        {
            auto parsed = Library::load("handshake");
            QVERIFY(parsed.ok());
            RunOptions options;
            options.tier = Tier::Lab;
            Runner runner(*parsed.scenario, options);
            QVERIFY(runner.runAll().passed());
        }
        QCOMPARE(openDescriptors(), before);
    }

    /// Killing the lab's helper mid-run stops the run with what happened, and nothing after that
    /// point is recorded as read from the kernel (it used to go on: `socket() = -1 EPIPE`, a
    /// state "-> CLOSE" shown as the kernel's, then EBADF, and exit 0).
    void aLostHelperStopsTheRun()
    {
        SYNACK_REQUIRE_LAB();
        auto parsed = parseScenario("title: lost helper\nlisten srv\nwait 50ms\nconnect c srv\naccept srv s\n", "lost", "lost.synack");
        QVERIFY(parsed.ok());
        RunOptions options;
        options.tier = Tier::Lab;
        Runner runner(*parsed.scenario, options);
        QVERIFY(runner.step()); // listen: the lab is open and its helper runs
        const pid_t helper = labHelperPid();
        QVERIFY2(helper > 0, "the lab helper was not found among this process's children");
        QCOMPARE(::kill(helper, SIGKILL), 0);
        // Until it has died (WNOWAIT: the lab reaps it itself, to tell how it ended).
        siginfo_t info {};
        QCOMPARE(::waitid(P_PID, static_cast<id_t>(helper), &info, WEXITED | WNOWAIT), 0);
        const std::size_t before = runner.trace().events.size();
        QVERIFY(!runner.step());
        QVERIFY(runner.atEnd());
        const RunSummary& sum = runner.summary();
        QVERIFY(sum.error);
        QVERIFY2(sum.error->message.find("the lab helper exited (signal 9") != std::string::npos, sum.error->message.c_str());
        QCOMPARE(sum.error->pos.line, 3); // seen at the step after the kill, before anything of it was read
        // After the kill, the only event is the error itself: no call result, no reading.
        QCOMPARE(runner.trace().events.size(), before + 1);
        const auto* note = runner.trace().events.back().as<NoteEvent>();
        QVERIFY(note);
        QCOMPARE(note->level, NoteLevel::Error);
        // The next lab gets a helper of its own again.
        auto again = Lab::start();
        QVERIFY2(again, again ? "" : again.error().message().c_str());
        QVERIFY(!again->lost());
    }

    void tierZeroIsForcedByTheEnvironment()
    {
        const QByteArray saved = qgetenv("SYNACK_TIER");
        const bool had = qEnvironmentVariableIsSet("SYNACK_TIER");
        qputenv("SYNACK_TIER", "0");
        const TierReport r = Lab::probe();
        auto parsed = Library::load("handshake");
        QVERIFY(parsed.ok());
        RunOptions options;
        options.tier = Tier::Auto;
        Runner runner(*parsed.scenario, options);
        const bool passed = runner.runAll().passed();
        if (had)
            qputenv("SYNACK_TIER", saved);
        else
            qunsetenv("SYNACK_TIER");
        QCOMPARE(r.tier, 0);
        QVERIFY(r.forced);
        QVERIFY(QString::fromStdString(r.why).contains(QStringLiteral("SYNACK_TIER=0")));
        QVERIFY(passed);
        QCOMPARE(runner.trace().tier, Tier::HostLoopback);
        QVERIFY(runner.capturedPackets().empty());
        int inferred = 0;
        for (const Event& e : runner.trace().events)
            if (const auto* s = e.as<SegmentEvent>()) {
                QCOMPARE(s->source, Source::Inferred);
                ++inferred;
            }
        QVERIFY(inferred >= 3);
        // And without it, Auto takes the lab where there is one.
        if (m_report.tier == 1 && !had) {
            Runner lab(*parsed.scenario, options);
            QVERIFY(lab.runAll().passed());
            QCOMPARE(lab.trace().tier, Tier::Lab);
        }
    }
};

QTEST_GUILESS_MAIN(TestLab)
#include "tst_lab.moc"
