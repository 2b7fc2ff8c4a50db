// SPDX-License-Identifier: GPL-3.0-or-later
// Captured segments, with no kernel: a packet decoded, and the wire classifier fed decoded
// segments as the capture would give them (relative numbers, the window scale the SYNs agreed,
// and each segment's cause).
#include <QTest>

#include <cstring>

#include "run/wire.h"

using namespace synack;

namespace {

SockAddr at(std::uint16_t port)
{
    SockAddr a = SockAddr::loopback(AF_INET);
    a.port = port;
    return a;
}

constexpr std::uint16_t kClient = 40000, kServer = 5000;
constexpr std::uint32_t kClientIsn = 1000, kServerIsn = 900000;

DecodedSegment seg(bool fromClient, std::uint8_t flags, std::uint32_t seq, std::uint32_t ack,
    std::uint16_t window = 512, std::uint32_t payload = 0)
{
    DecodedSegment s;
    s.src = at(fromClient ? kClient : kServer);
    s.dst = at(fromClient ? kServer : kClient);
    s.flags = flags;
    s.seq = seq;
    s.ack = ack;
    s.window = window;
    s.payload = payload;
    return s;
}

/// A classifier whose endpoints are "c" and "s", and whose running call is `call` on `caller`.
struct Wire {
    std::string caller = "c";
    std::string call = "connect";
    WireClassifier classifier {
        [](const SockAddr& from, const SockAddr&) { return from.port == kClient ? std::string("c") : std::string("s"); },
        [this](const std::string& sender) { return sender == caller ? call : std::string(); }
    };
    std::int64_t frame = 0;
    SegmentEvent operator()(const DecodedSegment& d, std::int64_t wireNs)
    {
        return classifier.classify(d, wireNs, ++frame).event;
    }
};

/// The handshake with window scale 7 offered by both.
void handshake(Wire& w)
{
    DecodedSegment syn = seg(true, kSyn, kClientIsn, 0, 65495);
    syn.options.wscale = 7;
    DecodedSegment synAck = seg(false, kSyn | kAck, kServerIsn, kClientIsn + 1, 65483);
    synAck.options.wscale = 7;
    w(syn, 1000);
    w(synAck, 2000);
    w(seg(true, kAck, kClientIsn + 1, kServerIsn + 1, 512), 3000);
}

} // namespace

class TestWire : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void decodesACapturedSyn()
    {
        QCOMPARE(tcpFlagsText(kSyn), std::string("SYN"));
        QCOMPARE(tcpFlagsText(kSyn | kAck), std::string("SYN,ACK"));
        QCOMPARE(tcpFlagsText(kFin | kPsh | kAck), std::string("FIN,PSH,ACK"));
        QCOMPARE(tcpFlagsText(kRst | kAck), std::string("RST,ACK"));
        // An IPv4 SYN as Linux sends it on lo: mss, sackOK, TS, nop, wscale.
        const std::uint8_t packet[] = { 0x45, 0, 0, 60, 0, 0, 0x40, 0, 64, 6, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1, // IPv4
            0x9c, 0x40, 0x13, 0x88, 0, 0, 0, 100, 0, 0, 0, 0, 0xa0, 0x02, 0xff, 0xd7, 0, 0, 0, 0, // TCP
            2, 4, 0xff, 0xd7, 4, 2, 8, 10, 0, 0, 0, 7, 0, 0, 0, 0, 1, 3, 3, 7 };
        auto seg = decodeSegment(packet, sizeof packet, sizeof packet);
        QVERIFY(seg);
        QCOMPARE(seg->src.toString(), std::string("127.0.0.1:40000"));
        QCOMPARE(seg->dst.toString(), std::string("127.0.0.1:5000"));
        QCOMPARE(seg->seq, 100u);
        QCOMPARE(seg->flags, std::uint8_t(kSyn));
        QCOMPARE(seg->window, std::uint16_t(65495));
        QCOMPARE(seg->payload, 0u);
        QCOMPARE(*seg->options.mss, std::uint16_t(65495));
        QVERIFY(seg->options.sackPermitted);
        QCOMPARE(*seg->options.tsVal, 7u);
        QCOMPARE(*seg->options.tsEcr, 0u);
        QCOMPARE(*seg->options.wscale, std::uint8_t(7));
        QCOMPARE(seg->options.text, std::string("mss 65495,sackOK,TS val 7 ecr 0,nop,wscale 7"));
        // Not TCP, or cut short: not a segment.
        std::uint8_t udp[sizeof packet];
        std::memcpy(udp, packet, sizeof packet);
        udp[9] = 17;
        QVERIFY(!decodeSegment(udp, sizeof udp, sizeof udp));
        QVERIFY(!decodeSegment(packet, 30, sizeof packet));
    }

    void handshakeNumbersAndScale()
    {
        Wire w;
        DecodedSegment syn = seg(true, kSyn, kClientIsn, 0, 65495);
        syn.options.wscale = 7;
        const SegmentEvent a = w(syn, 1000);
        QCOMPARE(a.from, std::string("c"));
        QCOMPARE(a.to, std::string("s"));
        QCOMPARE(a.cause, std::string("connect"));
        QCOMPARE(*a.relSeq, 0u);
        QCOMPARE(*a.window, 65495u); // a SYN's window is never scaled (RFC 7323 2.2)
        QCOMPARE(a.wscale, 0);
        QCOMPARE(a.frame, std::int64_t(1));
        QCOMPARE(*a.wireNs, std::int64_t(1000));
        QCOMPARE(a.source, Source::Capture);

        DecodedSegment synAck = seg(false, kSyn | kAck, kServerIsn, kClientIsn + 1, 65483);
        synAck.options.wscale = 7;
        const SegmentEvent b = w(synAck, 2000);
        QCOMPARE(b.cause, std::string("answers SYN"));
        QCOMPARE(*b.relSeq, 0u);
        QCOMPARE(*b.relAck, 1u);

        const SegmentEvent c = w(seg(true, kAck, kClientIsn + 1, kServerIsn + 1, 512), 3000);
        QCOMPARE(c.cause, std::string("answers SYN,ACK"));
        QCOMPARE(*c.relSeq, 1u);
        QCOMPARE(*c.relAck, 1u);
        QCOMPARE(c.wscale, 7);
        QCOMPARE(*c.window, 512u << 7);
        QCOMPARE(*c.rawWindow, 512u);
    }

    void noScaleUnlessBothOfferedIt()
    {
        Wire w;
        DecodedSegment syn = seg(true, kSyn, kClientIsn, 0);
        syn.options.wscale = 7;
        w(syn, 1000);
        w(seg(false, kSyn | kAck, kServerIsn, kClientIsn + 1), 2000); // no window scale option
        const SegmentEvent ack = w(seg(true, kAck, kClientIsn + 1, kServerIsn + 1, 512), 3000);
        QCOMPARE(ack.wscale, 0);
        QCOMPARE(*ack.window, 512u);
    }

    void causes_data()
    {
        QTest::addColumn<QString>("what");
        QTest::addRow("data from the running call") << "send";
        QTest::addRow("a retransmission") << "retransmission";
        QTest::addRow("an immediate ACK") << "answers data";
        QTest::addRow("a delayed ACK") << "delayed ACK";
        QTest::addRow("a keepalive probe and its answer") << "keepalive probe";
        QTest::addRow("a window probe and its answer") << "window probe";
        QTest::addRow("data queued by an earlier call") << "queued by an earlier call";
    }
    void causes()
    {
        QFETCH(QString, what);
        Wire w;
        handshake(w);
        w.call = "send";
        const std::uint32_t c1 = kClientIsn + 1, s1 = kServerIsn + 1;
        const SegmentEvent data = w(seg(true, kPsh | kAck, c1, s1, 512, 100), 10'000'000);
        QCOMPARE(data.cause, std::string("send"));
        if (what == QLatin1String("send"))
            return;
        if (what == QLatin1String("retransmission")) {
            // Numbered, with the time since the first transmission (at 10 ms).
            QCOMPARE(w(seg(true, kPsh | kAck, c1, s1, 512, 100), 210'000'000).cause,
                std::string("retransmission 1, +0.2 s"));
            QCOMPARE(w(seg(true, kPsh | kAck, c1, s1, 512, 100), 610'000'000).cause,
                std::string("retransmission 2, +0.6 s"));
        } else if (what == QLatin1String("answers data")) {
            QCOMPARE(w(seg(false, kAck, s1, c1 + 100), 10'050'000).cause, std::string("answers data"));
        } else if (what == QLatin1String("delayed ACK")) {
            // 40 ms after the data: Linux's delayed-ACK timer, not an answer sent at once.
            QCOMPARE(w(seg(false, kAck, s1, c1 + 100), 50'000'000).cause, std::string("delayed ACK"));
        } else if (what == QLatin1String("keepalive probe")) {
            w(seg(false, kAck, s1, c1 + 100, 512), 10'050'000);
            w.call.clear();
            // A bare ACK one below what the peer acknowledged (tcp_xmit_probe_skb).
            QCOMPARE(w(seg(true, kAck, c1 + 99, s1), 5'000'000'000).cause, std::string("keepalive probe"));
            QCOMPARE(w(seg(false, kAck, s1, c1 + 100), 5'000'050'000).cause, std::string("answers keepalive probe"));
        } else if (what == QLatin1String("window probe")) {
            w(seg(false, kAck, s1, c1 + 100, 0), 10'050'000); // the receiver's window is shut
            w.call.clear();
            QCOMPARE(w(seg(true, kAck, c1 + 99, s1), 210'000'000).cause, std::string("window probe"));
            QCOMPARE(w(seg(false, kAck, s1, c1 + 100, 0), 210'050'000).cause, std::string("answers window probe"));
        } else if (what == QLatin1String("queued by an earlier call")) {
            w.call.clear();
            QCOMPARE(w(seg(true, kPsh | kAck, c1 + 100, s1, 512, 50), 20'000'000).cause,
                std::string("queued by an earlier call"));
        }
    }

    void aNewSynStartsAFreshConnection()
    {
        // The 4-tuple reused after TIME_WAIT: numbers are relative to the new ISN.
        Wire w;
        handshake(w);
        const SegmentEvent again = w(seg(true, kSyn, 777777, 0), 90'000'000'000);
        QCOMPARE(*again.relSeq, 0u);
        QCOMPARE(again.cause, std::string("connect"));
    }

    void rstAnswersTheLastSegment()
    {
        Wire w;
        w(seg(true, kSyn, kClientIsn, 0), 1000);
        const SegmentEvent rst = w(seg(false, kRst | kAck, 0, kClientIsn + 1, 0), 2000);
        QCOMPARE(rst.cause, std::string("answers SYN"));
        QVERIFY(rst.has(kRst));
    }
};

QTEST_GUILESS_MAIN(TestWire)
#include "tst_wire.moc"
