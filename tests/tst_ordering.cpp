// SPDX-License-Identifier: GPL-3.0-or-later
// What the run makes of readings, with no kernel: state changes with the RFC 9293 diagram's gaps
// filled in, inferred segments (host loopback), captured ones placed among the changes (the
// lab), and what waits for the next sample. Fixtures are readings as the sampler would give them.
#include <QTest>

#include "ordering.h"
#include "run/endpoints.h"
#include "run/ordering.h"
#include "run/recorder.h"
#include "run/transitions.h"

using namespace synack;

namespace {

SockAddr at(std::uint16_t port)
{
    SockAddr a = SockAddr::loopback(AF_INET);
    a.port = port;
    return a;
}

Sample reading(TcpState s)
{
    Sample out;
    out.present = true;
    out.state = s;
    return out;
}

Sample gone()
{
    return Sample {}; // not present: the kernel no longer has it
}

/// A run's endpoints and its ordering, fed readings by hand.
struct Fixture {
    EndpointTable table;
    Recorder rec;
    Ordering ordering;
    std::int64_t clock = 0;

    explicit Fixture(bool captured)
        : ordering(table, rec, captured)
    {
    }

    Endpoint& endpoint(const std::string& name, Role role, std::uint16_t local, std::uint16_t peer,
        std::optional<TcpState> state)
    {
        Endpoint& ep = table.obtain(name);
        ep.role = role;
        ep.local = at(local);
        if (peer)
            ep.peer = at(peer);
        ep.lastState = state;
        return ep;
    }

    /// One batch: the readings (in this order, each read 1 µs after the one before) and segments.
    void batch(std::vector<std::pair<Endpoint*, Sample>> readings, std::vector<WireSegment> wire = {})
    {
        ReadTimes readAt;
        std::vector<Transition> transitions;
        for (auto& [ep, s] : readings) {
            readAt[ep] = clock += 1000;
            appendTransitions(*ep, s, 0, 1, transitions);
        }
        ordering.report(std::move(transitions), std::move(wire), &readAt);
    }

    /// The trace as lines: "c CLOSE -> SYN_SENT (inferred)", "c > c/peer SYN (inferred)".
    QStringList lines() const
    {
        QStringList out;
        for (const Event& e : rec.trace().events) {
            if (const auto* s = e.as<StateEvent>())
                out << QString::fromStdString(s->endpoint + " " + (s->from ? std::string(stateName(*s->from)) : "-")
                    + " -> " + std::string(stateName(s->to)) + (s->source == Source::Inferred ? " (inferred)" : "")
                    + (s->gone ? " (gone)" : ""));
            else if (const auto* g = e.as<SegmentEvent>())
                out << QString::fromStdString(g->from + " > " + g->to + " " + g->flagsText()
                    + (g->source == Source::Inferred ? " (inferred)" : ""));
        }
        return out;
    }
};

WireSegment captured(const std::string& from, const std::string& to, std::uint8_t flags, std::int64_t wireNs,
    std::uint16_t src, std::uint16_t dst)
{
    WireSegment w;
    w.event.from = from;
    w.event.to = to;
    w.event.flags = flags;
    w.event.source = Source::Capture;
    w.event.wireNs = wireNs;
    w.src = at(src);
    w.dst = at(dst);
    return w;
}

QString show(const QStringList& l) { return l.join(QStringLiteral("\n  ")); }

QStringList L(std::initializer_list<const char*> lines)
{
    QStringList out;
    for (const char* l : lines)
        out << QString::fromUtf8(l);
    return out;
}

} // namespace

class TestOrdering : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void handshakeIsInferredInCausalOrder()
    {
        Fixture f(false);
        Endpoint& c = f.endpoint("c", Role::Client, 40000, 5000, TcpState::Close);
        Endpoint& p = f.endpoint("c/peer", Role::Peer, 5000, 40000, std::nullopt);
        f.batch({ { &c, reading(TcpState::Established) }, { &p, reading(TcpState::Established) } });
        const QStringList want = L({
            "c CLOSE -> SYN_SENT (inferred)",
            "c > c/peer SYN (inferred)",
            "c/peer - -> SYN_RECV (inferred)",
            "c/peer > c SYN,ACK (inferred)",
            "c SYN_SENT -> ESTABLISHED",
            "c > c/peer ACK (inferred)",
            "c/peer SYN_RECV -> ESTABLISHED",
        });
        QVERIFY2(f.lines() == want, qPrintable(show(f.lines())));
        QVERIFY(synack::test::orderingViolations(f.rec.trace()).isEmpty());
    }

    void activeCloseFillsInFinWait1()
    {
        Fixture f(false);
        Endpoint& c = f.endpoint("c", Role::Client, 40000, 5000, TcpState::Established);
        Endpoint& s = f.endpoint("s", Role::Accepted, 5000, 40000, TcpState::Established);
        c.appClosed = true;
        f.batch({ { &c, reading(TcpState::FinWait2) }, { &s, reading(TcpState::CloseWait) } });
        const QStringList want = L({
            "c ESTABLISHED -> FIN_WAIT1 (inferred)",
            "c > s FIN,ACK (inferred)",
            "s ESTABLISHED -> CLOSE_WAIT",
            "s > c ACK (inferred)",
            "c FIN_WAIT1 -> FIN_WAIT2",
        });
        QVERIFY2(f.lines() == want, qPrintable(show(f.lines())));
    }

    void anOrphansEndInventsNoSegment()
    {
        // An orphan in FIN_WAIT2 that the kernel drops (its fin-wait2 timeout, or an RST it
        // received): nothing says a segment was sent.
        Fixture f(false);
        Endpoint& c = f.endpoint("c", Role::Client, 40000, 5000, TcpState::FinWait2);
        Endpoint& s = f.endpoint("s", Role::Accepted, 5000, 40000, TcpState::CloseWait);
        c.appClosed = true;
        f.batch({ { &s, reading(TcpState::CloseWait) }, { &c, gone() } });
        QCOMPARE(f.lines(), L({ "c FIN_WAIT2 -> CLOSE (gone)" }));
    }

    void theResetSideReceivesTheOrphansRst()
    {
        // Data sent to an orphan is answered with RST: the side with an application is reset.
        Fixture f(false);
        Endpoint& c = f.endpoint("c", Role::Client, 40000, 5000, TcpState::CloseWait);
        Endpoint& s = f.endpoint("s", Role::Accepted, 5000, 40000, TcpState::FinWait2);
        s.appClosed = true;
        f.batch({ { &c, reading(TcpState::Close) }, { &s, gone() } });
        QCOMPARE(f.lines(),
            L({ "s > c RST (inferred)", "c CLOSE_WAIT -> CLOSE", "s FIN_WAIT2 -> CLOSE (gone)" }));
    }

    void abortAtCloseSendsRst()
    {
        Fixture f(false);
        Endpoint& c = f.endpoint("c", Role::Client, 40000, 5000, TcpState::Established);
        Endpoint& s = f.endpoint("s", Role::Accepted, 5000, 40000, TcpState::Established);
        c.appClosed = true;
        c.gracefulClose = false; // SO_LINGER 0, or unread data
        f.batch({ { &c, gone() }, { &s, reading(TcpState::Close) } });
        QCOMPARE(f.lines(),
            L({ "c ESTABLISHED -> CLOSE (gone)", "c > s RST (inferred)", "s ESTABLISHED -> CLOSE" }));
    }

    void aChangeWhoseSenderWasReadFirstWaitsOnce()
    {
        // The client was read (SYN_SENT) just before the server half (ESTABLISHED): the client
        // may have moved on in between. Its peer's change waits for the next sample, which
        // reads the client again, and they pair up.
        Fixture f(false);
        Endpoint& c = f.endpoint("c", Role::Client, 40000, 5000, TcpState::SynSent);
        Endpoint& p = f.endpoint("c/peer", Role::Peer, 5000, 40000, std::nullopt);
        c.synSentShown = true;
        f.batch({ { &c, reading(TcpState::SynSent) }, { &p, reading(TcpState::Established) } });
        QVERIFY(f.ordering.holding());
        QVERIFY2(f.lines().isEmpty(), qPrintable(show(f.lines())));
        f.batch({ { &c, reading(TcpState::Established) }, { &p, reading(TcpState::Established) } });
        QVERIFY(!f.ordering.holding());
        const QStringList want = L({
            "c > c/peer SYN (inferred)",
            "c/peer - -> SYN_RECV (inferred)",
            "c/peer > c SYN,ACK (inferred)",
            "c SYN_SENT -> ESTABLISHED",
            "c > c/peer ACK (inferred)",
            "c/peer SYN_RECV -> ESTABLISHED",
        });
        QVERIFY2(f.lines() == want, qPrintable(show(f.lines())));
    }

    void labPlacesChangesAtTheirSegments()
    {
        Fixture f(true);
        Endpoint& c = f.endpoint("c", Role::Client, 40000, 5000, TcpState::Close);
        Endpoint& p = f.endpoint("c/peer", Role::Peer, 5000, 40000, std::nullopt);
        // The segments crossed before either end was read (the fixture reads from 1000 ns on).
        std::vector<WireSegment> wire = {
            captured("c", "c/peer", kSyn, 100, 40000, 5000),
            captured("c/peer", "c", kSyn | kAck, 200, 5000, 40000),
            captured("c", "c/peer", kAck, 300, 40000, 5000),
        };
        f.batch({ { &c, reading(TcpState::Established) }, { &p, reading(TcpState::Established) } }, wire);
        const QStringList want = L({
            "c CLOSE -> SYN_SENT (inferred)",
            "c > c/peer SYN",
            "c/peer - -> SYN_RECV (inferred)",
            "c/peer > c SYN,ACK",
            "c SYN_SENT -> ESTABLISHED",
            "c > c/peer ACK",
            "c/peer SYN_RECV -> ESTABLISHED",
        });
        QVERIFY2(f.lines() == want, qPrintable(show(f.lines())));
        // Each change is timed by the segment it is placed at.
        for (const Event& e : f.rec.trace().events)
            QVERIFY(e.tNs < 1000);
        QVERIFY(synack::test::orderingViolations(f.rec.trace()).isEmpty());
    }

    void labHoldsASegmentItsSenderHasNotBeenReadAfter()
    {
        // The client's FIN reached the server after the server was read, and the server's ACK
        // left after that: the server's CLOSE_WAIT, which sent the ACK, only shows in the next
        // sample. The FIN is shown (the client's change that sent it was read); the ACK waits,
        // so that CLOSE_WAIT is not drawn below the ACK it sent.
        Fixture f(true);
        Endpoint& c = f.endpoint("c", Role::Client, 40000, 5000, TcpState::Established);
        Endpoint& s = f.endpoint("s", Role::Accepted, 5000, 40000, TcpState::Established);
        c.appClosed = true;
        f.batch({ { &s, reading(TcpState::Established) }, { &c, reading(TcpState::FinWait1) } },
            { captured("c", "s", kFin | kAck, 1500, 40000, 5000), captured("s", "c", kAck, 1600, 5000, 40000) });
        QVERIFY2(f.lines() == L({ "c ESTABLISHED -> FIN_WAIT1", "c > s FIN,ACK" }), qPrintable(show(f.lines())));
        QVERIFY(f.ordering.holding());
        f.batch({ { &s, reading(TcpState::CloseWait) }, { &c, reading(TcpState::FinWait2) } });
        const QStringList want = L({
            "c ESTABLISHED -> FIN_WAIT1",
            "c > s FIN,ACK",
            "s ESTABLISHED -> CLOSE_WAIT",
            "s > c ACK",
            "c FIN_WAIT1 -> FIN_WAIT2",
        });
        QVERIFY2(f.lines() == want, qPrintable(show(f.lines())));
        QVERIFY(synack::test::orderingViolations(f.rec.trace()).isEmpty());
    }

    void labHoldsAFinWhoseClosedSenderWasNotRead()
    {
        // timewait-reuseaddr in the lab, about 1 run in 15: the server's close() sent its FIN;
        // the client's CLOSE_WAIT was read, but the closed server had no reading in that batch
        // (the dump met it mid-teardown). Emitting the FIN then put the server's FIN_WAIT1 after
        // the FIN it sent. The FIN waits, with the CLOSE_WAIT it caused, for the server's reading.
        Fixture f(true);
        Endpoint& c = f.endpoint("c", Role::Client, 40000, 5000, TcpState::Established);
        Endpoint& s = f.endpoint("s", Role::Accepted, 5000, 40000, TcpState::Established);
        s.appClosed = true;
        s.gracefulClose = true;
        f.batch({ { &c, reading(TcpState::CloseWait) } }, { captured("s", "c", kFin | kAck, 500, 5000, 40000) });
        QVERIFY2(f.lines().isEmpty(), qPrintable(show(f.lines())));
        QVERIFY(f.ordering.holding());
        f.batch({ { &c, reading(TcpState::CloseWait) }, { &s, reading(TcpState::FinWait2) } },
            { captured("c", "s", kAck, 1500, 40000, 5000) });
        const QStringList order = synack::test::orderingViolations(f.rec.trace());
        QVERIFY2(order.isEmpty(), qPrintable(show(order) + QStringLiteral("\n  ") + show(f.lines())));
        const QStringList lines = f.lines();
        QVERIFY2(lines.indexOf(QStringLiteral("s ESTABLISHED -> FIN_WAIT1 (inferred)")) < lines.indexOf(QStringLiteral("s > c FIN,ACK"))
                && lines.indexOf(QStringLiteral("s > c FIN,ACK")) < lines.indexOf(QStringLiteral("c ESTABLISHED -> CLOSE_WAIT")),
            qPrintable(show(lines)));
    }

    void dataSentIsOneInferredSegment()
    {
        Fixture f(false);
        Endpoint& c = f.endpoint("c", Role::Client, 40000, 5000, TcpState::Established);
        f.endpoint("s", Role::Accepted, 5000, 40000, TcpState::Established);
        Sample s = reading(TcpState::Established);
        s.bytesSent = 100;
        QVERIFY(!f.ordering.dataSent(c, s)); // the first reading is the baseline
        s.bytesSent = 4196;
        QVERIFY(f.ordering.dataSent(c, s));
        QCOMPARE(f.lines(), L({ "c > s PSH,ACK (inferred)" }));
        QCOMPARE(f.rec.trace().events.back().as<SegmentEvent>()->length, 4096);
    }
};

QTEST_GUILESS_MAIN(TestOrdering)
#include "tst_ordering.moc"
