// SPDX-License-Identifier: GPL-3.0-or-later
// The gated lab: two private hosts joined by TUN devices through SynAck's gate. Every state here
// is read from the kernel (TCP_INFO) while a segment is held at the gate.
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTest>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <csignal>
#include <algorithm>
#include <thread>

#include "kernel/tcpinfo.h"
#include "lab/gate.h"
#include "ordering.h"
#include "run/runner.h"
#include "scenario/library.h"
#include "scenario/parser.h"
#include "trace/trace.h"
#include "tcp/segment.h"
#include "tcp/tcpstate.h"
#include "testsupport.h"

using namespace synack;
using namespace std::chrono_literals;

namespace {

sockaddr_in address(const char* ip, std::uint16_t port)
{
    sockaddr_in a {};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    ::inet_pton(AF_INET, ip, &a.sin_addr);
    return a;
}

/// The kernel's state of `fd` (TCP_INFO), or -1.
int stateOf(int fd)
{
    auto info = readTcpInfo(fd);
    return info ? info->info.state : -1;
}

/// The accept queue's length of a listener (TCP_INFO's unacked), or -1.
int acceptQueue(int fd)
{
    auto info = readTcpInfo(fd);
    return info ? static_cast<int>(info->info.unacked) : -1;
}

/// Waits (up to 3 s) until `ok()`; whether it came true.
template <class F> bool eventually(F ok)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < 3000) {
        if (ok())
            return true;
        std::this_thread::sleep_for(2ms);
    }
    return ok();
}

/// Waits until `n` packets are held at the gate.
bool heldCount(Gate& g, std::size_t n)
{
    return eventually([&] { return g.held().size() >= n; }) && g.held().size() == n;
}

std::uint8_t flagsOf(const GatePacket& p)
{
    const auto seg = decodeSegment(p.packet);
    return seg ? seg->flags : 0;
}


/// A gate between two pipes instead of TUN devices (no lab needed): packets are written
/// into `in` and come out of `out`.
struct PipeGate {
    Fd inWrite, outRead;
    std::unique_ptr<Gate> gate;
};
std::optional<PipeGate> pipeGate()
{
    int in[2], out[2];
    if (::pipe2(in, O_CLOEXEC | O_NONBLOCK) != 0 || ::pipe2(out, O_CLOEXEC | O_NONBLOCK) != 0)
        return std::nullopt;
    auto gate = Gate::open(Fd(in[0]), Fd(out[1]));
    if (!gate)
        return std::nullopt;
    return PipeGate { Fd(in[1]), Fd(out[0]), std::move(*gate) };
}
/// What comes out of the gate within `ms`.
std::string readOut(int fd, int ms)
{
    std::string got;
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < ms) {
        char buf[256];
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n > 0)
            got.append(buf, static_cast<std::size_t>(n));
        else
            std::this_thread::sleep_for(5ms);
    }
    return got;
}


struct Pair {
    TwoHosts hosts;
    Fd listener;
    Fd client;
    sockaddr_in to {};
};

/// A listener on the server host and an unconnected (non-blocking) socket on the client host.
std::optional<Pair> makePair(QString& why)
{
    auto hosts = TwoHosts::start();
    if (!hosts) {
        why = QString::fromStdString(hosts.error().message());
        return std::nullopt;
    }
    auto l = hosts->server.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    auto c = hosts->client.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (!l || !c) {
        why = QStringLiteral("socket() in a host failed");
        return std::nullopt;
    }
    sockaddr_in a = address(TwoHosts::kServerAddress, 0);
    socklen_t len = sizeof a;
    if (::bind(l->get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(l->get(), 8) != 0
        || ::getsockname(l->get(), reinterpret_cast<sockaddr*>(&a), &len) != 0) {
        why = QStringLiteral("listen on the server host: %1").arg(QString::fromLocal8Bit(std::strerror(errno)));
        return std::nullopt;
    }
    return Pair { std::move(*hosts), std::move(*l), std::move(*c), a };
}

} // namespace

class TestGate : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void theHostsReachEachOtherOnlyThroughTheGate()
    {
        SYNACK_REQUIRE_GATED_LAB();
        QString why;
        auto p = makePair(why);
        QVERIFY2(p, qPrintable(why));
        ::connect(p->client.get(), reinterpret_cast<sockaddr*>(&p->to), sizeof p->to);
        QVERIFY(eventually([&] { return stateOf(p->client.get()) == TCP_ESTABLISHED; }));
        QVERIFY(eventually([&] { return acceptQueue(p->listener.get()) == 1; }));
        // The three segments of the handshake crossed the gate, in order, each relayed at once.
        const auto packets = p->hosts.gate->drain();
        QVERIFY2(packets.size() >= 3, qPrintable(QString::number(packets.size())));
        QCOMPARE(packets[0].direction, Direction::ToServer);
        QCOMPARE(flagsOf(packets[0]), std::uint8_t(kSyn));
        QCOMPARE(packets[1].direction, Direction::ToClient);
        QCOMPARE(flagsOf(packets[1]), std::uint8_t(kSyn | kAck));
        QCOMPARE(packets[2].direction, Direction::ToServer);
        QCOMPARE(flagsOf(packets[2]), std::uint8_t(kAck));
        const auto seg = decodeSegment(packets[0].packet);
        QVERIFY(seg);
        QCOMPARE(QString::fromStdString(seg->src.toString()).section(u':', 0, 0), QLatin1String(TwoHosts::kClientAddress));
        QCOMPARE(QString::fromStdString(seg->dst.toString()), QStringLiteral("%1:%2").arg(QLatin1String(TwoHosts::kServerAddress)).arg(ntohs(p->to.sin_port)));
        // Nothing else (no IPv6 chatter) was on the wire.
        for (const GatePacket& g : packets)
            QVERIFY2(decodeSegment(g.packet), "only TCP crosses the wire");
        for (const auto& [id, fate] : p->hosts.gate->fates())
            QCOMPARE(fate, Fate::Passed);
    }

    void aHeldHandshakeShowsEveryState()
    {
        // The lesson loopback cannot show: each state of the handshake, read from the kernel,
        // while the segment that would end it waits at the gate.
        SYNACK_REQUIRE_GATED_LAB();
        QString why;
        auto p = makePair(why);
        QVERIFY2(p, qPrintable(why));
        Gate& gate = *p->hosts.gate;
        gate.hold(true);
        QCOMPARE(::connect(p->client.get(), reinterpret_cast<sockaddr*>(&p->to), sizeof p->to), -1);
        QCOMPARE(errno, EINPROGRESS);
        QVERIFY(heldCount(gate, 1));
        QCOMPARE(flagsOf(gate.held()[0]), std::uint8_t(kSyn));
        QCOMPARE(stateOf(p->client.get()), int(TCP_SYN_SENT));
        QCOMPARE(acceptQueue(p->listener.get()), 0);

        // The SYN reaches the server: its SYN-ACK is held in turn; the client is still in SYN_SENT.
        QVERIFY(gate.deliver());
        QVERIFY(heldCount(gate, 1));
        QCOMPARE(flagsOf(gate.held()[0]), std::uint8_t(kSyn | kAck));
        QCOMPARE(gate.held()[0].direction, Direction::ToClient);
        QCOMPARE(stateOf(p->client.get()), int(TCP_SYN_SENT));
        QCOMPARE(acceptQueue(p->listener.get()), 0);

        // The SYN-ACK reaches the client: ESTABLISHED there; its ACK is held, so the server's
        // connection is still a request in SYN_RECV, not in the accept queue.
        QVERIFY(gate.deliver());
        QVERIFY(eventually([&] { return stateOf(p->client.get()) == TCP_ESTABLISHED; }));
        QVERIFY(heldCount(gate, 1));
        QCOMPARE(flagsOf(gate.held()[0]), std::uint8_t(kAck));
        QCOMPARE(acceptQueue(p->listener.get()), 0);

        // The last ACK: the connection joins the accept queue.
        QVERIFY(gate.deliver());
        QVERIFY(eventually([&] { return acceptQueue(p->listener.get()) == 1; }));
        QCOMPARE(gate.held().size(), std::size_t(0));
        std::vector<Fate> fates;
        for (const auto& [id, fate] : gate.fates())
            fates.push_back(fate);
        QCOMPARE(fates, (std::vector<Fate> { Fate::Held, Fate::Delivered, Fate::Held, Fate::Delivered, Fate::Held, Fate::Delivered }));
    }

    void aDroppedSynIsRetransmitted()
    {
        SYNACK_REQUIRE_GATED_LAB();
        QString why;
        auto p = makePair(why);
        QVERIFY2(p, qPrintable(why));
        Gate& gate = *p->hosts.gate;
        gate.hold(true);
        ::connect(p->client.get(), reinterpret_cast<sockaddr*>(&p->to), sizeof p->to);
        QVERIFY(heldCount(gate, 1));
        GateMatch syn;
        syn.direction = Direction::ToServer;
        syn.flagsSet = kSyn;
        QVERIFY(gate.drop(GatePick { syn }));
        // The kernel sends the SYN again after its initial RTO (1 s): the same ISN, later.
        QElapsedTimer t;
        t.start();
        QVERIFY(eventually([&] { return gate.held().size() == 1; }));
        const auto packets = gate.drain();
        QCOMPARE(packets.size(), std::size_t(2));
        const auto first = decodeSegment(packets[0].packet), second = decodeSegment(packets[1].packet);
        QVERIFY(first && second);
        QCOMPARE(second->seq, first->seq);
        const auto gapMs = (packets[1].packet.monoNs - packets[0].packet.monoNs) / 1'000'000;
        QVERIFY2(gapMs >= 900 && gapMs <= 2500, qPrintable(QString::number(gapMs)));
        const auto info = readTcpInfo(p->client.get());
        QVERIFY(info);
        QCOMPARE(int(info->info.state), int(TCP_SYN_SENT));
        QVERIFY2(info->info.retransmits >= 1, "the kernel counts the retransmission");
    }

    void deliveringWithNothingHeldIsAnError()
    {
        SYNACK_REQUIRE_GATED_LAB();
        auto hosts = TwoHosts::start();
        QVERIFY2(hosts, hosts ? "" : hosts.error().message().c_str());
        auto none = hosts->gate->deliver();
        QVERIFY(!none);
        QCOMPARE(QString::fromStdString(none.error().message()), QStringLiteral("nothing is held at the gate"));
        hosts->gate->hold(true);
        GatePick fin;
        fin.match.flagsSet = kFin;
        QVERIFY(!hosts->gate->drop(fin));
    }

    void aCutWireLosesEverything()
    {
        // The peer vanishes: no FIN, no RST, nothing arrives; the client's SYN is lost.
        SYNACK_REQUIRE_GATED_LAB();
        QString why;
        auto p = makePair(why);
        QVERIFY2(p, qPrintable(why));
        p->hosts.gate->cut(true);
        ::connect(p->client.get(), reinterpret_cast<sockaddr*>(&p->to), sizeof p->to);
        QVERIFY(eventually([&] { return !p->hosts.gate->drain().empty(); }));
        std::this_thread::sleep_for(100ms);
        QCOMPARE(stateOf(p->client.get()), int(TCP_SYN_SENT));
        QCOMPARE(acceptQueue(p->listener.get()), 0);
        QCOMPARE(p->hosts.gate->held().size(), std::size_t(0));
        QCOMPARE(p->hosts.gate->fates().front().second, Fate::Cut);
    }

    void everyBuiltinHoldsInTheGatedLab_data()
    {
        QTest::addColumn<QString>("name");
        for (const auto& n : Library::names())
            QTest::addRow("%s", n.c_str()) << QString::fromStdString(n);
    }
    void everyBuiltinHoldsInTheGatedLab()
    {
        // The same lessons between two hosts: every expectation holds, the events are in the
        // order a student reads them, and every segment in the trace is a packet the gate saw,
        // one for one (nothing on the wire but TCP, so every packet is in the trace).
        SYNACK_REQUIRE_GATED_LAB();
        QFETCH(QString, name);
        auto parsed = Library::load(name.toStdString());
        QVERIFY(parsed.ok());
        RunOptions options;
        options.tier = Tier::Gated;
        Runner runner(*parsed.scenario, options);
        const RunSummary& s = runner.runAll();
        QVERIFY2(s.passed(), qPrintable(name + synack::test::failuresText(s)));
        const Trace& t = runner.trace();
        QCOMPARE(t.tier, Tier::Gated);
        if (const QString failure = synack::test::orderingFailure(t, QStringLiteral("gated-") + name); !failure.isEmpty())
            QFAIL(qPrintable(failure));
        std::vector<std::int64_t> frames;
        for (const Event& e : t.events)
            if (const auto* seg = e.as<SegmentEvent>()) {
                QCOMPARE(seg->source, Source::Capture);
                QVERIFY(!seg->cause.empty());
                frames.push_back(seg->frame);
            }
        std::vector<std::int64_t> all(runner.capturedPackets().size());
        for (std::size_t i = 0; i < all.size(); ++i)
            all[i] = static_cast<std::int64_t>(i) + 1;
        std::sort(frames.begin(), frames.end());
        QCOMPARE(frames, all);
        for (const CapturedPacket& p : runner.capturedPackets()) {
            const auto seg = decodeSegment(p);
            QVERIFY(seg);
            const QString src = QString::fromStdString(seg->src.toString()).section(u':', 0, 0);
            QVERIFY2(src == QLatin1String(TwoHosts::kClientAddress) || src == QLatin1String(TwoHosts::kServerAddress),
                qPrintable(src));
        }
        auto back = traceFromJson(traceToJson(t));
        QVERIFY(back.ok());
        QVERIFY(*back == t);
    }

    void holdingEverySegmentShowsEveryState_data()
    {
        QTest::addColumn<QString>("name");
        for (const char* n : { "handshake", "active-close", "passive-close", "simultaneous-close" })
            QTest::addRow("%s", n) << QString::fromLatin1(n);
    }
    void holdingEverySegmentShowsEveryState()
    {
        // The held-segment variants of the opening and closing lessons, as a teacher makes them
        // with the window's hold toggle: every segment waits at the gate, and after each step
        // they are delivered one at a time, the run settling after each. Then the kernel is read
        // in every state between them: no state event is inferred.
        SYNACK_REQUIRE_GATED_LAB();
        QFETCH(QString, name);
        auto parsed = Library::load(name.toStdString());
        QVERIFY(parsed.ok());
        RunOptions options;
        options.tier = Tier::Gated;
        Runner runner(*parsed.scenario, options);
        QVERIFY2(runner.actAtGate(GateAction::Hold), "hold");
        int delivered = 0;
        while (runner.step()) {
            for (int guard = 0; guard < 50 && !runner.heldFrames().empty(); ++guard) {
                const auto r = runner.actAtGate(GateAction::Deliver);
                QVERIFY2(r, r ? "" : r.error().message().c_str());
                ++delivered;
            }
        }
        const RunSummary& s = runner.summary();
        QVERIFY2(!s.error, s.error ? s.error->toString().c_str() : "");
        QVERIFY(delivered >= 3);
        QStringList inferred;
        int userActions = 0;
        for (const Event& e : runner.trace().events) {
            if (const auto* st = e.as<StateEvent>(); st && st->source == Source::Inferred)
                inferred << QString::fromStdString(st->endpoint + " " + std::string(stateName(st->to)) + ": " + st->why);
            if (const auto* g = e.as<GateEvent>(); g && g->by == "user")
                ++userActions;
        }
        QVERIFY2(inferred.isEmpty(), qPrintable(inferred.join(u'\n')));
        QCOMPARE(userActions, delivered + 1); // the hold, then each delivery
    }

    void deliveringWithNothingHeldStopsTheRun()
    {
        // A scenario that delivers what is not there stops at that line, with the reason.
        SYNACK_REQUIRE_GATED_LAB();
        auto parsed = parseScenario("title: nothing held\nlisten srv\ngate deliver SYN\nconnect c srv\n", "x", "x.synack");
        QVERIFY(parsed.ok());
        RunOptions options;
        options.tier = Tier::Auto; // a scenario with gate steps then runs in the gated lab
        Runner runner(*parsed.scenario, options);
        const RunSummary& s = runner.runAll();
        QCOMPARE(runner.trace().tier, Tier::Gated);
        QVERIFY(s.error);
        QCOMPARE(s.error->pos.line, 3);
        QCOMPARE(s.error->message, std::string("gate deliver: nothing is held at the gate"));
        for (const Event& e : runner.trace().events)
            if (const auto* st = e.as<StepEvent>())
                QVERIFY2(st->call != "connect", "the run went on after the failed step");
    }

    void aDelayedWireIsSlow()
    {
        // gate delay: every segment reaches its receiver that much later, so the SYN-ACK leaves
        // the server host only a delay after the SYN left the client host, and so on.
        SYNACK_REQUIRE_GATED_LAB();
        auto parsed = parseScenario("title: delay\nlisten srv\ngate delay 300ms\nconnect c srv\nexpect c ESTABLISHED\n"
                                    "gate delay 0ms\nclose c\nexpect c FIN_WAIT2\n",
            "x", "x.synack");
        QVERIFY(parsed.ok());
        RunOptions options;
        options.tier = Tier::Gated;
        Runner runner(*parsed.scenario, options);
        const RunSummary& s = runner.runAll();
        QVERIFY2(s.passed(), qPrintable(synack::test::failuresText(s)));
        std::optional<std::int64_t> syn, synAck, fin;
        for (const Event& e : runner.trace().events)
            if (const auto* seg = e.as<SegmentEvent>()) {
                if (seg->flagsText() == "SYN") {
                    QCOMPARE(seg->fate, std::string("delayed"));
                    syn = seg->wireNs;
                }
                if (seg->flagsText() == "SYN,ACK")
                    synAck = seg->wireNs;
                if (seg->has(kFin) && seg->from == "c") {
                    QCOMPARE(seg->fate, std::string("passed")); // the delay ended
                    fin = seg->wireNs;
                }
            }
        QVERIFY(syn && synAck && fin);
        QVERIFY2(*synAck - *syn >= 300'000'000, qPrintable(QString::number(*synAck - *syn)));
    }

    void aShortenedDelayNeverReorders()
    {
        // A packet still on its way when the delay ends keeps its time, and the next one waits
        // behind it: a wire does not reorder.
        auto g = pipeGate();
        QVERIFY(g);
        g->gate->setDelay(300);
        QCOMPARE(::write(g->inWrite.get(), "AAAA", 4), ssize_t(4));
        std::this_thread::sleep_for(50ms); // the gate has read it: it waits out the delay
        g->gate->setDelay(0);
        QCOMPARE(::write(g->inWrite.get(), "BBBB", 4), ssize_t(4));
        QCOMPARE(readOut(g->outRead.get(), 700), std::string("AAAABBBB"));
        const auto arrived = g->gate->drain();
        QCOMPARE(arrived.size(), std::size_t(2));
        QCOMPARE(arrived[0].fate, Fate::Delayed);
        QCOMPARE(arrived[1].fate, Fate::Delayed); // it waited behind the first
        QVERIFY(arrived[1].dueMonoNs >= arrived[0].dueMonoNs);
    }

    void aCutWireTakesWhatIsOnItsWay()
    {
        // gate cut loses the delayed packets with the wire and says which; nothing held crosses
        // a cut wire.
        auto g = pipeGate();
        QVERIFY(g);
        g->gate->setDelay(300);
        QCOMPARE(::write(g->inWrite.get(), "AAAA", 4), ssize_t(4));
        std::this_thread::sleep_for(50ms);
        g->gate->cut(true);
        QCOMPARE(g->gate->takeLostInFlight(), std::vector<std::uint64_t> { 1 });
        QCOMPARE(readOut(g->outRead.get(), 500), std::string());
        g->gate->cut(false);
        g->gate->hold(true);
        QCOMPARE(::write(g->inWrite.get(), "BBBB", 4), ssize_t(4));
        QVERIFY(eventually([&] { return g->gate->held().size() == 1; }));
        g->gate->cut(true);
        auto refused = g->gate->deliver();
        QVERIFY(!refused);
        QVERIFY2(refused.error().message().find("the wire is cut") != std::string::npos, refused.error().message().c_str());
        QVERIFY(g->gate->drop()); // dropping needs no wire
        QCOMPARE(readOut(g->outRead.get(), 200), std::string());
    }

    void aFailedTunWriteIsTheGatesFailure()
    {
        // No lab needed: the gate relays between any two descriptors. Here the "server device"
        // is a pipe's read end, so relaying to it fails (EBADF) as a broken TUN device would;
        // the gate says which write failed, and a run would stop on it (Runner::lostReason).
        int in[2], out[2];
        QCOMPARE(::pipe2(in, O_CLOEXEC | O_NONBLOCK), 0);
        QCOMPARE(::pipe2(out, O_CLOEXEC | O_NONBLOCK), 0);
        Fd inWrite(in[1]), outWrite(out[1]);
        auto gate = Gate::open(Fd(in[0]), Fd(out[0]));
        QVERIFY(gate.ok());
        const char packet[40] = { 0x45 };
        QCOMPARE(::write(inWrite.get(), packet, sizeof packet), ssize_t(sizeof packet));
        QVERIFY(eventually([&] { return (*gate)->failure().has_value(); }));
        const std::string why = (*gate)->failure()->message();
        QVERIFY2(why.find("write to the TUN device (client > server)") != std::string::npos, why.c_str());
        QVERIFY2(why.find("EBADF") != std::string::npos || why.find("Bad file descriptor") != std::string::npos, why.c_str());
        // Held packets cannot be relayed on a broken wire either: the same failure.
        QVERIFY(!(*gate)->deliver());
    }

    void theWireLessonsShowWhatTheyTeach()
    {
        // What each of the wire's built-ins is for, read from its trace: not only that its
        // expectations held, but that the segments the lesson is about are there.
        SYNACK_REQUIRE_GATED_LAB();
        auto run = [](const char* name) {
            auto parsed = Library::load(name);
            RunOptions options;
            options.tier = Tier::Gated;
            Runner runner(*parsed.scenario, options);
            const RunSummary& s = runner.runAll();
            if (!s.passed())
                qWarning("%s: %s", name, qPrintable(synack::test::failuresText(s)));
            return runner.trace();
        };
        auto segments = [](const Trace& t) {
            std::vector<SegmentEvent> out;
            for (const Event& e : t.events)
                if (const auto* s = e.as<SegmentEvent>())
                    out.push_back(*s);
            return out;
        };

        // Duplicate and reorder: a D-SACK (a block at or below the ACK) and a SACK past a hole.
        bool dsack = false, sackPastHole = false;
        for (const SegmentEvent& s : segments(run("duplicate-and-reorder"))) {
            if (s.from != "s" || s.options.sack.empty() || !s.ack)
                continue;
            const auto [left, right] = s.options.sack.front();
            dsack |= static_cast<std::int32_t>(*s.ack - right) >= 0;
            sackPastHole |= static_cast<std::int32_t>(left - *s.ack) > 0;
        }
        QVERIFY(dsack);
        QVERIFY(sackPastHole);

        // A write to a vanished peer: its retransmissions back off, each gap about twice the last.
        std::vector<std::int64_t> sent;
        for (const SegmentEvent& s : segments(run("dead-peer-write")))
            if (s.from == "c" && s.length == 1000) {
                QCOMPARE(s.fate, std::string("cut"));
                sent.push_back(*s.wireNs);
            }
        // (The first two resends may come at the same interval: a tail loss probe, then the
        // retransmission timer. From there on each wait doubles.)
        QVERIFY2(sent.size() >= 5, qPrintable(QString::number(sent.size())));
        for (std::size_t i = 3; i < sent.size(); ++i)
            QVERIFY2((sent[i] - sent[i - 1]) * 10 >= (sent[i - 1] - sent[i - 2]) * 15, "exponential back-off");

        // A stale SYN: the server answers it, the client host's kernel resets it.
        bool synAck = false, rstAfter = false;
        for (const SegmentEvent& s : segments(run("stale-syn"))) {
            synAck |= s.from == "c/peer" && s.flagsText() == "SYN,ACK";
            rstAfter |= synAck && s.has(kRst) && s.to == "c/peer";
        }
        QVERIFY(synAck);
        QVERIFY(rstAfter);

        // A vanished peer: c's keepalive probes are lost on the cut wire; d sends nothing after the cut.
        int probes = 0, fromD = 0;
        for (const SegmentEvent& s : segments(run("dead-peer-keepalive"))) {
            probes += s.from == "c" && s.cause == "keepalive probe" && s.fate == "cut";
            fromD += s.from == "d" && s.fate == "cut";
        }
        QCOMPARE(probes, 3);
        QCOMPARE(fromD, 0);
    }

    void aHelperThatDiesStopsTheRunCleanly()
    {
        // The lab's helper (the session of a host) killed mid-run: the run stops with the reason,
        // at the step where it was seen, and leaves no descriptor behind.
        SYNACK_REQUIRE_GATED_LAB();
        const int before = synack::test::openDescriptors();
        {
            auto parsed = Library::load("slow-handshake");
            RunOptions options;
            options.tier = Tier::Gated;
            Runner runner(*parsed.scenario, options);
            QVERIFY(runner.step()); // listen: the hosts exist now
            QVERIFY(runner.step()); // gate hold
            const pid_t helper = synack::test::labHelperPid();
            QVERIFY2(helper > 0, "the lab helper was not found among this process's children");
            QCOMPARE(::kill(helper, SIGKILL), 0);
            siginfo_t info {};
            QCOMPARE(::waitid(P_PID, static_cast<id_t>(helper), &info, WEXITED | WNOWAIT), 0);
            QVERIFY(!runner.step());
            const RunSummary& s = runner.summary();
            QVERIFY(s.error);
            QVERIFY2(s.error->message.find("the lab helper exited (signal 9") != std::string::npos,
                s.error->message.c_str());
            QCOMPARE(s.error->pos.line, 26); // connect: seen at the step after the kill
        }
        // The next lab forks a helper of its own again (its channel is the one descriptor the
        // process keeps, as before the kill).
        QVERIFY(Lab::start().ok());
        QCOMPARE(synack::test::openDescriptors(), before);
    }

    void nothingIsLeftBehind()
    {
        SYNACK_REQUIRE_GATED_LAB();
        const int before = synack::test::openDescriptors();
        for (int i = 0; i < 5; ++i) {
            QString why;
            auto p = makePair(why);
            QVERIFY2(p, qPrintable(why));
            ::connect(p->client.get(), reinterpret_cast<sockaddr*>(&p->to), sizeof p->to);
            QVERIFY(eventually([&] { return stateOf(p->client.get()) == TCP_ESTABLISHED; }));
        }
        QCOMPARE(synack::test::openDescriptors(), before);
    }
};

QTEST_GUILESS_MAIN(TestGate)
#include "tst_gate.moc"
