// SPDX-License-Identifier: GPL-3.0-or-later
// The sampler and what the run makes of its readings, fed recorded sock_diag replies: no kernel,
// no sockets. The recording holds the moment an orphaned client in FIN_WAIT1 was replaced by its
// timewait socket while a dump was being filled (the record says CLOSE, port 0): the run must
// neither show a CLOSE nor invent an RST, and must keep following the socket afterwards.
#include <QFile>
#include <QTest>

#include "run/endpoints.h"
#include "run/ordering.h"
#include "run/recorder.h"
#include "run/sampler.h"
#include "run/transitions.h"

using namespace synack;

namespace {

RecordedDiag recording()
{
    QFile f(QStringLiteral(SYNACK_SOURCE_DIR "/tests/data/sockdiag/orphan-finwait1-dying.sdr"));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot open %s", qPrintable(f.fileName()));
    const QByteArray bytes = f.readAll();
    auto r = RecordedDiag::fromBytes(std::vector<std::uint8_t>(bytes.begin(), bytes.end()));
    if (!r)
        qFatal("%s", r.error().message().c_str());
    return std::move(*r);
}

SockAddr loopback(std::uint16_t port)
{
    SockAddr a = SockAddr::loopback(AF_INET);
    a.port = port;
    return a;
}

/// The run as it stood when the recording began: a listener, and a client that connected and
/// has just called close() (its descriptor gone: sock_diag is all there is of it).
struct Run {
    EndpointTable table;
    Recorder rec;
    Ordering ordering { table, rec, false };
    Endpoint* client = nullptr;
    std::int64_t clock = 0;

    Run()
    {
        Endpoint& srv = table.obtain("srv");
        srv.role = Role::Listener;
        srv.local = loopback(56321);
        srv.lastState = TcpState::Listen;
        Endpoint& c = table.obtain("c");
        c.role = Role::Client;
        c.local = loopback(45492);
        c.peer = loopback(56321);
        c.appClosed = true; // closed by its application: an orphan
        c.lastState = TcpState::Established;
        client = &c;
    }

    /// One sample, through the same path the runner takes.
    Snapshot sample(Sampler& sampler)
    {
        Snapshot snap = sampler.read(table, [this] { return clock += 1000; });
        std::vector<Transition> transitions;
        for (const Reading& r : snap.readings)
            appendTransitions(*r.ep, r.sample, 0, 1, transitions);
        ordering.report(std::move(transitions), {}, &snap.readAt);
        for (const Reading& r : snap.readings)
            r.ep->last = r.sample;
        return snap;
    }

    const Reading* readingOf(const Snapshot& s, const Endpoint* ep) const
    {
        for (const Reading& r : s.readings)
            if (r.ep == ep)
                return &r;
        return nullptr;
    }
};

} // namespace

class TestSampler : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void dyingRecordIsNoReading()
    {
        RecordedDiag diag = recording();
        Sampler sampler(&diag);
        Run run;
        std::vector<std::optional<TcpState>> seen;
        for (std::size_t i = 0; i < diag.dumpCount(); ++i) {
            const Snapshot snap = run.sample(sampler);
            QVERIFY(snap.problems.empty());
            const Reading* r = run.readingOf(snap, run.client);
            seen.push_back(r ? std::optional(r->sample.state) : std::nullopt);
            // A known port is never replaced by the dying record's 0: the next dump still asks for it.
            QCOMPARE(run.client->local.port, std::uint16_t(45492));
        }
        // ESTABLISHED three times, no reading while the dump caught it dying, then FIN_WAIT2.
        QCOMPARE(seen.size(), std::size_t(7));
        for (std::size_t i = 0; i < 3; ++i)
            QCOMPARE(seen[i], std::optional(TcpState::Established));
        QVERIFY(!seen[3]);
        for (std::size_t i = 4; i < 7; ++i)
            QCOMPARE(seen[i], std::optional(TcpState::FinWait2));
        // The not-yet-accepted half was found and named.
        const Endpoint* peer = run.table.find("c/peer");
        QVERIFY(peer);
        QCOMPARE(peer->role, Role::Peer);
        QCOMPARE(peer->lastState, std::optional(TcpState::CloseWait));
    }

    void runShowsNoInventedCloseOrRst()
    {
        RecordedDiag diag = recording();
        Sampler sampler(&diag);
        Run run;
        for (std::size_t i = 0; i < diag.dumpCount(); ++i)
            run.sample(sampler);
        QStringList changes;
        for (const Event& e : run.rec.trace().events) {
            if (const auto* st = e.as<StateEvent>(); st && st->endpoint == "c") {
                QVERIFY2(st->to != TcpState::Close, "the client was shown closed");
                QVERIFY(!st->gone);
                changes << QString::fromStdString(std::string(stateName(st->to)));
            }
            if (const auto* seg = e.as<SegmentEvent>())
                QVERIFY2(!seg->has(kRst), "an RST was invented");
        }
        // The path the kernel took, with the unsampled FIN_WAIT1 filled in from the diagram.
        QCOMPARE(changes, QStringList({ QStringLiteral("FIN_WAIT1"), QStringLiteral("FIN_WAIT2") }));
    }

    void failedDumpIsNoDisappearance()
    {
        // An empty recording: every dump fails. Endpoints without a descriptor get no reading
        // (not a reading that says "gone"), and the failure is reported.
        auto empty = RecordedDiag::fromBytes({});
        QVERIFY(empty);
        Sampler sampler(&*empty);
        Run run;
        const Snapshot snap = run.sample(sampler);
        QCOMPARE(snap.problems.size(), std::size_t(1));
        QVERIFY(!run.readingOf(snap, run.client));
        QCOMPARE(run.client->lastState, std::optional(TcpState::Established));
    }
};

QTEST_GUILESS_MAIN(TestSampler)
#include "tst_sampler.moc"
