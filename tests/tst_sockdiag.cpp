// SPDX-License-Identifier: GPL-3.0-or-later
// SockDiag against the real kernel on loopback: every socket uses an ephemeral port, and every check
// is about what sock_diag reported for an exact 4-tuple, so other sockets on the host do not matter.
#include <QDeadlineTimer>
#include <QString>
#include <QThread>
#include <QtTest>

#include <cerrno>
#include <cstring>
#include <functional>
#include <limits>
#include <optional>
#include <vector>

#include <dirent.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fd.h"
#include "tcp/sockaddr.h"
#include "kernel/sockdiag.h"
#include "tcp/tcpstate.h"

#ifndef SO_COOKIE
#define SO_COOKIE 57
#endif

using namespace synack;

namespace {

constexpr int kWaitMs = 5000;

QString qs(std::string_view s)
{
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}
QString qs(const SockAddr& a)
{
    return QString::fromStdString(a.toString());
}
QString qs(TcpState s)
{
    return qs(stateName(s));
}

QString describe(const DiagSocket& s)
{
    return QStringLiteral("%1 %2 -> %3 inode=%4 rq=%5 wq=%6 timer=%7/%8ms")
        .arg(qs(s.state), qs(s.local), qs(s.remote))
        .arg(s.inode)
        .arg(s.rqueue)
        .arg(s.wqueue)
        .arg(qs(timerName(s.timer)))
        .arg(s.expiresMs);
}

QString describe(const std::vector<DiagSocket>& v)
{
    QStringList lines;
    for (const auto& s : v)
        lines << describe(s);
    return lines.isEmpty() ? QStringLiteral("(no sockets)") : lines.join(QStringLiteral("; "));
}

SockAddr localOf(int fd)
{
    sockaddr_storage ss {};
    socklen_t len = sizeof ss;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0)
        return {};
    return SockAddr::fromSockaddr(reinterpret_cast<sockaddr*>(&ss), len);
}

Fd listenOn(int family, int backlog, int deferAcceptSeconds = 0)
{
    Fd fd(::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd)
        return {};
    if (deferAcceptSeconds > 0
        && ::setsockopt(fd.get(), IPPROTO_TCP, TCP_DEFER_ACCEPT, &deferAcceptSeconds, sizeof deferAcceptSeconds) != 0)
        return {};
    sockaddr_storage ss {};
    const socklen_t len = SockAddr::loopback(family, 0).toSockaddr(ss);
    if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&ss), len) != 0 || ::listen(fd.get(), backlog) != 0)
        return {};
    return fd;
}

Fd connectTo(const SockAddr& to)
{
    Fd fd(::socket(to.family, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd)
        return {};
    sockaddr_storage ss {};
    const socklen_t len = to.toSockaddr(ss);
    int rc;
    do
        rc = ::connect(fd.get(), reinterpret_cast<sockaddr*>(&ss), len);
    while (rc != 0 && errno == EINTR);
    return rc == 0 ? std::move(fd) : Fd {};
}

Fd acceptFrom(int listener)
{
    // Bounded: never block a test forever on an empty accept queue.
    pollfd p { listener, POLLIN, 0 };
    if (::poll(&p, 1, kWaitMs) != 1)
        return {};
    return Fd(::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC));
}

std::uint64_t cookieOf(int fd)
{
    std::uint64_t cookie = 0;
    socklen_t len = sizeof cookie;
    if (::getsockopt(fd, SOL_SOCKET, SO_COOKIE, &cookie, &len) != 0)
        return 0;
    return cookie;
}

std::uint32_t inodeOf(int fd)
{
    struct stat st { };
    if (::fstat(fd, &st) != 0)
        return 0;
    return static_cast<std::uint32_t>(st.st_ino);
}

int openFdCount()
{
    DIR* dir = ::opendir("/proc/self/fd");
    if (!dir)
        return -1;
    int n = 0;
    while (const dirent* e = ::readdir(dir)) {
        if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0)
            ++n;
    }
    ::closedir(dir);
    return n;
}

bool hasIpv6Loopback()
{
    Fd fd(::socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd)
        return false;
    sockaddr_storage ss {};
    const socklen_t len = SockAddr::loopback(AF_INET6, 0).toSockaddr(ss);
    return ::bind(fd.get(), reinterpret_cast<sockaddr*>(&ss), len) == 0;
}

const DiagSocket* findTuple(const std::vector<DiagSocket>& v, const SockAddr& local, const SockAddr& remote)
{
    for (const auto& s : v) {
        if (s.local == local && s.remote == remote)
            return &s;
    }
    return nullptr;
}

// Dumps until `done` accepts the result or the deadline passes; the last dump (or its error) is
// kept so a failing test can say what the kernel showed.
class Poller {
public:
    Poller(SockDiag& diag, int family, std::vector<std::uint16_t> ports)
        : m_diag(diag)
        , m_family(family)
        , m_ports(std::move(ports))
    {
    }

    bool until(const std::function<bool(const std::vector<DiagSocket>&)>& done)
    {
        const QDeadlineTimer deadline(kWaitMs);
        for (;;) {
            auto r = m_diag.dump(m_family, m_ports);
            if (!r) {
                m_error = QString::fromStdString(r.error().message());
                return false;
            }
            m_last = std::move(*r);
            if (done(m_last))
                return true;
            if (deadline.hasExpired())
                return false;
            QThread::usleep(200);
        }
    }

    bool untilTuple(const SockAddr& local, const SockAddr& remote, TcpState state)
    {
        return until([&](const auto& v) {
            const DiagSocket* s = findTuple(v, local, remote);
            return s && s->state == state;
        });
    }

    const std::vector<DiagSocket>& last() const { return m_last; }
    QByteArray what() const { return (m_error.isEmpty() ? describe(m_last) : m_error).toUtf8(); }

private:
    SockDiag& m_diag;
    int m_family;
    std::vector<std::uint16_t> m_ports;
    std::vector<DiagSocket> m_last;
    QString m_error;
};

} // namespace

class TestSockDiag : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void timerNames();
    void timerKinds_data();
    void timerKinds();
    void replayedDumpHoldsTheDyingSocket();
    void replayFiltersByPortAsTheKernelDid();
    void replayRefusesBrokenRecordings();
    void replyStatusMustBeAnErrno_data();
    void replyStatusMustBeAnErrno();
    void listenerAndEstablished();
    void timeWait();
    void orphanFinWait2();
    void synRecvRequestSocket();
    void filtering();
    void ipv6();
    void noDescriptorLeak();
};

void TestSockDiag::timerNames()
{
    for (DiagTimer t : { DiagTimer::None, DiagTimer::Retransmit, DiagTimer::Keepalive, DiagTimer::TimeWait,
             DiagTimer::ZeroWindowProbe }) {
        const auto back = timerFromName(timerName(t));
        QVERIFY(back.has_value());
        QCOMPARE(static_cast<int>(*back), static_cast<int>(t));
    }
    QCOMPARE(qs(timerName(DiagTimer::Retransmit)), QStringLiteral("retransmit"));
    QCOMPARE(qs(timerName(DiagTimer::Keepalive)), QStringLiteral("keepalive"));
    QCOMPARE(qs(timerName(DiagTimer::TimeWait)), QStringLiteral("time-wait"));
    QCOMPARE(qs(timerName(DiagTimer::ZeroWindowProbe)), QStringLiteral("probe"));
    QCOMPARE(qs(timerName(DiagTimer::None)), QString());
    QVERIFY(timerFromName("none") == DiagTimer::None);
    QVERIFY(!timerFromName("bogus").has_value());
}

void TestSockDiag::timerKinds_data()
{
    QTest::addColumn<unsigned>("raw");
    QTest::addColumn<int>("state");
    QTest::addColumn<bool>("orphan");
    QTest::addColumn<QString>("kind");
    const auto st = [](TcpState s) { return static_cast<int>(s); };
    QTest::addRow("none") << 0u << st(TcpState::Established) << false << QStringLiteral("none");
    QTest::addRow("retransmit") << 1u << st(TcpState::FinWait1) << true << QStringLiteral("retransmit");
    QTest::addRow("keepalive") << 2u << st(TcpState::Established) << false << QStringLiteral("keepalive");
    QTest::addRow("keepalive on a half-closed socket") << 2u << st(TcpState::FinWait2) << false
                                                       << QStringLiteral("keepalive");
    QTest::addRow("orphan FIN_WAIT2 on sk_timer") << 2u << st(TcpState::FinWait2) << true
                                                  << QStringLiteral("fin-wait2");
    QTest::addRow("timewait socket in FIN_WAIT2") << 3u << st(TcpState::FinWait2) << true
                                                  << QStringLiteral("fin-wait2");
    QTest::addRow("TIME_WAIT") << 3u << st(TcpState::TimeWait) << true << QStringLiteral("time-wait");
    QTest::addRow("zero-window probe") << 4u << st(TcpState::Established) << false << QStringLiteral("probe");
    QTest::addRow("a newer kernel's kind") << 5u << st(TcpState::Established) << false << QStringLiteral("unknown");
}

void TestSockDiag::timerKinds()
{
    QFETCH(unsigned, raw);
    QFETCH(int, state);
    QFETCH(bool, orphan);
    QFETCH(QString, kind);
    QCOMPARE(qs(timerKindName(timerKindOf(raw, static_cast<TcpState>(state), orphan))), kind);
    // An unknown value is shown with its number, never as no timer.
    if (raw > 4)
        QCOMPARE(qs(timerName(static_cast<DiagTimer>(raw))), QStringLiteral("unknown(%1)").arg(raw));
    if (kind != QStringLiteral("unknown"))
        QVERIFY(timerKindFromName(kind.toStdString()) == timerKindOf(raw, static_cast<TcpState>(state), orphan));
}

namespace {
RecordedDiag loadRecording(const char* name)
{
    QFile f(QStringLiteral(SYNACK_SOURCE_DIR "/tests/data/sockdiag/") + QLatin1String(name));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot open %s", qPrintable(f.fileName()));
    const QByteArray bytes = f.readAll();
    auto r = RecordedDiag::fromBytes(std::vector<std::uint8_t>(bytes.begin(), bytes.end()));
    if (!r)
        qFatal("%s", r.error().message().c_str());
    return std::move(*r);
}
// The recording: a listener on 56321, a client on 45492 that closed, its peer not accepted
// yet. Made with SYNACK_DIAG_RECORD during the orphaned FIN_WAIT2 scenario of the issue that
// found the race; dumps 144-150 of that run.
constexpr std::uint16_t kListener = 56321, kClient = 45492;
}

void TestSockDiag::replayedDumpHoldsTheDyingSocket()
{
    RecordedDiag rec = loadRecording("orphan-finwait1-dying.sdr");
    QCOMPARE(rec.dumpCount(), std::size_t(7));
    const std::uint16_t ports[] = { kListener, kClient };
    std::vector<std::vector<DiagSocket>> dumps;
    for (std::size_t i = 0; i < rec.dumpCount(); ++i) {
        auto d = rec.dump(AF_INET, ports);
        QVERIFY2(d, d ? "" : d.error().message().c_str());
        dumps.push_back(*d);
    }
    auto client = [&](std::size_t i) -> const DiagSocket* {
        for (const DiagSocket& s : dumps[i])
            if (s.remote.port == kListener)
                return &s;
        return nullptr;
    };
    // Before: the client, full socket, ESTABLISHED. After: its timewait socket in FIN_WAIT2.
    QVERIFY(client(2) && client(2)->state == TcpState::Established && !isTeardownRecord(*client(2)));
    QVERIFY(client(4) && client(4)->state == TcpState::FinWait2 && !isTeardownRecord(*client(4)));
    QCOMPARE(client(4)->local.port, kClient);
    // Between: the full socket caught dying, CLOSE and port 0, with the same cookie: the record
    // the sampler must not read as the connection's state.
    const DiagSocket* dying = client(3);
    QVERIFY(dying);
    QCOMPARE(dying->state, TcpState::Close);
    QCOMPARE(dying->local.port, std::uint16_t(0));
    QVERIFY(isTeardownRecord(*dying));
    QCOMPARE(dying->cookie, client(2)->cookie);
    QCOMPARE(client(4)->cookie, client(2)->cookie);
    for (std::size_t i : { 0, 1, 2, 4, 5, 6 })
        for (const DiagSocket& s : dumps[i])
            QVERIFY(!isTeardownRecord(s));
    QVERIFY(!rec.dump(AF_INET, ports)); // no eighth dump
}

void TestSockDiag::replayFiltersByPortAsTheKernelDid()
{
    RecordedDiag rec = loadRecording("orphan-finwait1-dying.sdr");
    const std::uint16_t listenerOnly[] = { kListener };
    auto d = rec.dump(AF_INET, listenerOnly);
    QVERIFY(d);
    QCOMPARE(d->size(), std::size_t(2)); // the listener and the not-accepted connection
    for (const DiagSocket& s : *d)
        QCOMPARE(s.local.port, kListener);
    QVERIFY(!rec.dump(AF_INET6, listenerOnly)); // recorded for AF_INET
}

void TestSockDiag::replayRefusesBrokenRecordings()
{
    QVERIFY(!RecordedDiag::fromBytes({ 1, 2, 3 }));
    const QByteArray good = [] {
        QFile f(QStringLiteral(SYNACK_SOURCE_DIR "/tests/data/sockdiag/orphan-finwait1-dying.sdr"));
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }();
    QVERIFY(!good.isEmpty());
    for (qsizetype cut : { qsizetype(5), qsizetype(13), qsizetype(40), good.size() - 1 }) {
        auto r = RecordedDiag::fromBytes(std::vector<std::uint8_t>(good.begin(), good.begin() + cut));
        QVERIFY2(!r, qPrintable(QString::number(cut)));
        QVERIFY(r.error().message().find("byte") != std::string::npos);
    }
}

void TestSockDiag::replyStatusMustBeAnErrno_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("err");
    QTest::addRow("done, ENOBUFS") << int(NLMSG_DONE) << -ENOBUFS << ENOBUFS;
    QTest::addRow("done, 0") << int(NLMSG_DONE) << 0 << 0;
    // fuzz_sockdiag's find (tests/fuzz/crashes/sockdiag/): INT_MIN cannot be negated.
    QTest::addRow("done, INT_MIN") << int(NLMSG_DONE) << std::numeric_limits<int>::min() << EBADMSG;
    QTest::addRow("done, -4096") << int(NLMSG_DONE) << -4096 << EBADMSG;
    QTest::addRow("error, EPERM") << int(NLMSG_ERROR) << -EPERM << EPERM;
    QTest::addRow("error, INT_MIN") << int(NLMSG_ERROR) << std::numeric_limits<int>::min() << EBADMSG;
}

void TestSockDiag::replyStatusMustBeAnErrno()
{
    QFETCH(int, type);
    QFETCH(int, status);
    QFETCH(int, err);
    nlmsghdr h {};
    h.nlmsg_len = NLMSG_LENGTH(sizeof(nlmsgerr));
    h.nlmsg_type = static_cast<std::uint16_t>(type);
    std::vector<std::uint8_t> datagram(h.nlmsg_len);
    std::memcpy(datagram.data(), &h, sizeof h);
    std::memcpy(datagram.data() + NLMSG_HDRLEN, &status, sizeof status);
    const std::vector<std::vector<std::uint8_t>> reply { datagram };
    const auto parsed = parseDiagReply(reply);
    if (err == 0) {
        QVERIFY(parsed.ok());
        QVERIFY(parsed->empty());
    } else {
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().err, err);
    }
}

void TestSockDiag::listenerAndEstablished()
{
    auto diag = SockDiag::open();
    QVERIFY2(diag, diag ? "" : diag.error().message().c_str());

    constexpr int kBacklog = 16;
    Fd listener = listenOn(AF_INET, kBacklog);
    QVERIFY(listener);
    const SockAddr server = localOf(listener.get());
    Fd client = connectTo(server);
    QVERIFY(client);
    const SockAddr clientAddr = localOf(client.get());
    QVERIFY(clientAddr.port != 0);

    // Before accept(): the child is ESTABLISHED in the accept queue, without a struct socket yet.
    Poller watch(*diag, AF_INET, { server.port });
    QVERIFY2(watch.until([&](const auto& v) {
        const DiagSocket* l = findTuple(v, server, SockAddr::parse("0.0.0.0", 0).value());
        const DiagSocket* child = findTuple(v, server, clientAddr);
        return l && l->rqueue == 1 && child && child->state == TcpState::Established;
    }),
        watch.what().constData());
    const DiagSocket* l = findTuple(watch.last(), server, *SockAddr::parse("0.0.0.0", 0));
    QCOMPARE(qs(l->state), QStringLiteral("LISTEN"));
    QCOMPARE(l->rqueue, 1U); // accept queue length
    QCOMPARE(l->wqueue, static_cast<std::uint32_t>(kBacklog)); // listen() backlog
    QCOMPARE(l->inode, inodeOf(listener.get()));
    QCOMPARE(l->cookie, cookieOf(listener.get()));
    QVERIFY(l->info.has_value());
    QCOMPARE(qs(stateFromKernel(l->info->info.state)), QStringLiteral("LISTEN"));
    QCOMPARE(findTuple(watch.last(), server, clientAddr)->inode, 0U);
    for (const auto& s : watch.last())
        QCOMPARE(s.local.port, server.port);

    Fd accepted = acceptFrom(listener.get());
    QVERIFY(accepted);

    const std::vector<std::uint16_t> both { server.port, clientAddr.port };
    auto r = diag->dump(AF_INET, both);
    QVERIFY2(r, r ? "" : r.error().message().c_str());

    const DiagSocket* c = findTuple(*r, clientAddr, server);
    QVERIFY2(c, describe(*r).toUtf8().constData());
    QCOMPARE(qs(c->state), QStringLiteral("ESTABLISHED"));
    QCOMPARE(c->local.family, AF_INET);
    QCOMPARE(qs(c->local), qs(clientAddr));
    QCOMPARE(qs(c->remote), qs(server));
    QVERIFY(c->cookie != 0);
    QCOMPARE(c->cookie, cookieOf(client.get()));
    QCOMPARE(c->inode, inodeOf(client.get()));
    QCOMPARE(c->uid, static_cast<std::uint32_t>(::geteuid()));
    QCOMPARE(c->rqueue, 0U);
    QCOMPARE(c->wqueue, 0U);
    QVERIFY(c->info.has_value());
    QVERIFY(c->info->length >= offsetof(TcpInfo, rto) + sizeof(std::uint32_t));
    QCOMPARE(qs(stateFromKernel(c->info->info.state)), QStringLiteral("ESTABLISHED"));
    QVERIFY(c->shutdown.has_value());
    QCOMPARE(static_cast<int>(*c->shutdown), 0);
    QVERIFY(c->memInfo.has_value());
    QVERIFY((*c->memInfo)[1] > 0); // SK_MEMINFO_RCVBUF

    const DiagSocket* s = findTuple(*r, server, clientAddr);
    QVERIFY2(s, describe(*r).toUtf8().constData());
    QCOMPARE(qs(s->state), QStringLiteral("ESTABLISHED"));
    QCOMPARE(s->inode, inodeOf(accepted.get()));
    QCOMPARE(s->cookie, cookieOf(accepted.get()));
    QVERIFY(s->cookie != c->cookie);

    // Queues as the kernel counts them: bytes sent but unread show up in the receiver's rqueue.
    QCOMPARE(::send(client.get(), "abc", 3, 0), ssize_t(3));
    Poller rq(*diag, AF_INET, both);
    QVERIFY2(rq.until([&](const auto& v) {
        const DiagSocket* x = findTuple(v, server, clientAddr);
        return x && x->rqueue == 3;
    }),
        rq.what().constData());
}

void TestSockDiag::timeWait()
{
    auto diag = SockDiag::open();
    QVERIFY2(diag, diag ? "" : diag.error().message().c_str());
    Fd listener = listenOn(AF_INET, 4);
    QVERIFY(listener);
    const SockAddr server = localOf(listener.get());
    Fd client = connectTo(server);
    QVERIFY(client);
    const SockAddr clientAddr = localOf(client.get());
    Fd accepted = acceptFrom(listener.get());
    QVERIFY(accepted);
    // Asking for the cookie generates it (it is lazy); the TIME_WAIT socket is created from the
    // full socket later, so this is the value it could inherit.
    const std::uint64_t clientCookie = cookieOf(client.get());
    QVERIFY(clientCookie != 0);

    Poller watch(*diag, AF_INET, { server.port, clientAddr.port });
    QCOMPARE(client.reset(), 0); // active close: FIN from the client first
    QVERIFY2(watch.untilTuple(server, clientAddr, TcpState::CloseWait), watch.what().constData());
    QCOMPARE(accepted.reset(), 0); // then the server's FIN: the client ends in TIME_WAIT
    QVERIFY2(watch.untilTuple(clientAddr, server, TcpState::TimeWait), watch.what().constData());

    const DiagSocket* tw = findTuple(watch.last(), clientAddr, server);
    QCOMPARE(qs(timerName(tw->timer)), QStringLiteral("time-wait"));
    // "the sock_diag client sees a TIME_WAIT with 50–60 s left" (TCP_TIMEWAIT_LEN is 60 s).
    QVERIFY2(tw->expiresMs >= 50000 && tw->expiresMs <= 60000, describe(*tw).toUtf8().constData());
    QCOMPARE(tw->inode, 0U);
    QCOMPARE(tw->rqueue, 0U);
    QCOMPARE(tw->wqueue, 0U);
    QVERIFY(!tw->info.has_value()); // TIME_WAIT sockets carry no attributes at all
    QVERIFY(!tw->shutdown.has_value());
    // inet_twsk_alloc() copies sk_cookie into the timewait socket, so the identity survives.
    QCOMPARE(tw->cookie, clientCookie);
}

void TestSockDiag::orphanFinWait2()
{
    auto diag = SockDiag::open();
    QVERIFY2(diag, diag ? "" : diag.error().message().c_str());
    Fd listener = listenOn(AF_INET, 4);
    QVERIFY(listener);
    const SockAddr server = localOf(listener.get());
    Fd client = connectTo(server);
    QVERIFY(client);
    const SockAddr clientAddr = localOf(client.get());
    Fd accepted = acceptFrom(listener.get());
    QVERIFY(accepted);
    const std::uint64_t clientCookie = cookieOf(client.get());

    QCOMPARE(client.reset(), 0); // close() without shutdown(); the server keeps its end open
    Poller watch(*diag, AF_INET, { server.port, clientAddr.port });
    QVERIFY2(watch.until([&](const auto& v) {
        const DiagSocket* c = findTuple(v, clientAddr, server);
        const DiagSocket* s = findTuple(v, server, clientAddr);
        return c && c->state == TcpState::FinWait2 && s && s->state == TcpState::CloseWait;
    }),
        watch.what().constData());

    const DiagSocket* c = findTuple(watch.last(), clientAddr, server);
    QCOMPARE(c->inode, 0U); // orphan: no file refers to it any more
    QCOMPARE(c->cookie, clientCookie);
    // An orphan in FIN_WAIT2 either stays a full socket on its keepalive timer or (tcp_fin_timeout
    // <= 60 s, the default) is turned into a timewait socket with substate FIN_WAIT2.
    QVERIFY2(c->timer == DiagTimer::TimeWait || c->timer == DiagTimer::Keepalive, describe(*c).toUtf8().constData());
    QVERIFY(c->expiresMs > 0);

    const DiagSocket* s = findTuple(watch.last(), server, clientAddr);
    QCOMPARE(s->inode, inodeOf(accepted.get()));
    QVERIFY(s->shutdown.has_value());
    QCOMPARE(static_cast<int>(*s->shutdown), 1); // RCV_SHUTDOWN only: the server may still send
}

void TestSockDiag::synRecvRequestSocket()
{
    auto diag = SockDiag::open();
    QVERIFY2(diag, diag ? "" : diag.error().message().c_str());
    // TCP_DEFER_ACCEPT: the server drops the handshake's bare ACK and keeps only a request socket
    // until data arrives, while the client already considers itself ESTABLISHED.
    Fd listener = listenOn(AF_INET, 4, 5);
    QVERIFY(listener);
    const SockAddr server = localOf(listener.get());
    Fd client = connectTo(server);
    QVERIFY(client);
    const SockAddr clientAddr = localOf(client.get());

    Poller watch(*diag, AF_INET, { server.port, clientAddr.port });
    QVERIFY2(watch.until([&](const auto& v) {
        const DiagSocket* c = findTuple(v, clientAddr, server);
        const DiagSocket* s = findTuple(v, server, clientAddr);
        return c && c->state == TcpState::Established && s && s->state == TcpState::SynRecv;
    }),
        watch.what().constData());
    const DiagSocket* req = findTuple(watch.last(), server, clientAddr);
    QCOMPARE(qs(req->state), QStringLiteral("SYN_RECV"));
    QCOMPARE(req->inode, 0U);
    QCOMPARE(qs(timerName(req->timer)), QStringLiteral("retransmit")); // the SYN-ACK timer
    QVERIFY(!req->info.has_value()); // request sockets are not full sockets: no attributes
    QVERIFY(!req->shutdown.has_value());
    QVERIFY(req->cookie != 0);
    // Dumping generated the request's cookie; the child created from the request inherits it
    // (inet_csk_clone_lock copies ir_cookie), so the identity survives up to accept().
    const std::uint64_t requestCookie = req->cookie;
    const DiagSocket* l = findTuple(watch.last(), server, *SockAddr::parse("0.0.0.0", 0));
    QVERIFY2(l && l->state == TcpState::Listen, watch.what().constData());
    QCOMPARE(l->rqueue, 0U); // nothing to accept yet
    pollfd p { listener.get(), POLLIN, 0 };
    QCOMPARE(::poll(&p, 1, 0), 0);

    QCOMPARE(::send(client.get(), "x", 1, 0), ssize_t(1));
    QVERIFY2(watch.until([&](const auto& v) {
        const DiagSocket* s = findTuple(v, server, clientAddr);
        const DiagSocket* lis = findTuple(v, server, *SockAddr::parse("0.0.0.0", 0));
        return s && s->state == TcpState::Established && s->rqueue == 1 && lis && lis->rqueue == 1;
    }),
        watch.what().constData());
    QCOMPARE(findTuple(watch.last(), server, clientAddr)->inode, 0U); // in the accept queue, not accepted

    Fd accepted = acceptFrom(listener.get());
    QVERIFY(accepted);
    QCOMPARE(cookieOf(accepted.get()), requestCookie);
    char byte = 0;
    QCOMPARE(::recv(accepted.get(), &byte, 1, 0), ssize_t(1));
    QCOMPARE(byte, 'x');
}

void TestSockDiag::filtering()
{
    auto diag = SockDiag::open();
    QVERIFY2(diag, diag ? "" : diag.error().message().c_str());
    Fd a = listenOn(AF_INET, 4);
    Fd b = listenOn(AF_INET, 4);
    QVERIFY(a && b);
    const SockAddr aAddr = localOf(a.get());
    const SockAddr bAddr = localOf(b.get());
    const SockAddr any = *SockAddr::parse("0.0.0.0", 0);

    const std::vector<std::uint16_t> onlyA { aAddr.port };
    auto r = diag->dump(AF_INET, onlyA);
    QVERIFY2(r, r ? "" : r.error().message().c_str());
    QVERIFY2(findTuple(*r, aAddr, any), describe(*r).toUtf8().constData());
    QVERIFY2(!findTuple(*r, bAddr, any), describe(*r).toUtf8().constData());
    for (const auto& s : *r)
        QCOMPARE(s.local.port, aAddr.port);

    auto none = diag->dump(AF_INET, {});
    QVERIFY(none);
    QVERIFY(none->empty());

    // The full kMaxPorts, with the port we look for first, in the middle and last: every link of
    // the OR chain has to be right, and the kernel's audit has to accept the longest program.
    std::vector<std::uint16_t> many;
    for (std::uint16_t p = 1; many.size() < SockDiag::kMaxPorts - 1; ++p) {
        if (p != aAddr.port && p != bAddr.port)
            many.push_back(p);
    }
    for (std::size_t at : { std::size_t(0), SockDiag::kMaxPorts / 2, SockDiag::kMaxPorts - 1 }) {
        std::vector<std::uint16_t> ports = many;
        ports.insert(ports.begin() + static_cast<std::ptrdiff_t>(at), aAddr.port);
        QCOMPARE(ports.size(), SockDiag::kMaxPorts);
        auto full = diag->dump(AF_INET, ports);
        QVERIFY2(full, full ? "" : full.error().message().c_str());
        QVERIFY2(findTuple(*full, aAddr, any), describe(*full).toUtf8().constData());
        QVERIFY2(!findTuple(*full, bAddr, any), describe(*full).toUtf8().constData());
    }
    const std::vector<std::uint16_t> pair { bAddr.port, aAddr.port };
    auto two = diag->dump(AF_INET, pair);
    QVERIFY2(two, two ? "" : two.error().message().c_str());
    QVERIFY2(findTuple(*two, aAddr, any) && findTuple(*two, bAddr, any), describe(*two).toUtf8().constData());

    std::vector<std::uint16_t> tooMany = many;
    tooMany.push_back(aAddr.port);
    tooMany.push_back(bAddr.port);
    QCOMPARE(tooMany.size(), SockDiag::kMaxPorts + 1);
    auto err = diag->dump(AF_INET, tooMany);
    QVERIFY(!err);
    QCOMPARE(err.error().err, EINVAL);

    auto badFamily = diag->dump(AF_UNIX, onlyA);
    QVERIFY(!badFamily);
    QCOMPARE(badFamily.error().err, EAFNOSUPPORT);

    // The socket is still usable after refused requests.
    auto after = diag->dump(AF_INET, onlyA);
    QVERIFY(after);
    QVERIFY(findTuple(*after, aAddr, any));
}

void TestSockDiag::ipv6()
{
    if (!hasIpv6Loopback())
        QSKIP("this host has no IPv6 loopback (::1 cannot be bound)");
    auto diag = SockDiag::open();
    QVERIFY2(diag, diag ? "" : diag.error().message().c_str());
    Fd listener = listenOn(AF_INET6, 8);
    QVERIFY(listener);
    const SockAddr server = localOf(listener.get());
    QCOMPARE(server.family, AF_INET6);
    Fd client = connectTo(server);
    QVERIFY(client);
    const SockAddr clientAddr = localOf(client.get());
    Fd accepted = acceptFrom(listener.get());
    QVERIFY(accepted);

    const std::vector<std::uint16_t> ports { server.port, clientAddr.port };
    Poller watch(*diag, AF_INET6, ports);
    QVERIFY2(watch.untilTuple(clientAddr, server, TcpState::Established), watch.what().constData());
    const SockAddr any6 = *SockAddr::parse("::", 0);
    const DiagSocket* l = findTuple(watch.last(), server, any6);
    QVERIFY2(l, watch.what().constData());
    QCOMPARE(qs(l->state), QStringLiteral("LISTEN"));
    QCOMPARE(l->wqueue, 8U);
    const DiagSocket* c = findTuple(watch.last(), clientAddr, server);
    QCOMPARE(qs(c->local), QStringLiteral("[::1]:%1").arg(clientAddr.port));
    QCOMPARE(c->cookie, cookieOf(client.get()));
    QCOMPARE(c->inode, inodeOf(client.get()));
    QVERIFY(c->info.has_value());
    const DiagSocket* s = findTuple(watch.last(), server, clientAddr);
    QVERIFY2(s, watch.what().constData());
    QCOMPARE(s->inode, inodeOf(accepted.get()));
    for (const auto& x : watch.last())
        QCOMPARE(x.local.family, AF_INET6);

    // The family is part of the request: an AF_INET dump does not see these sockets.
    auto v4 = diag->dump(AF_INET, ports);
    QVERIFY2(v4, v4 ? "" : v4.error().message().c_str());
    for (const auto& x : *v4) {
        QCOMPARE(x.local.family, AF_INET);
        QVERIFY2(
            x.cookie != c->cookie && x.cookie != l->cookie && x.cookie != s->cookie, describe(x).toUtf8().constData());
    }
}

void TestSockDiag::noDescriptorLeak()
{
    Fd listener = listenOn(AF_INET, 4);
    QVERIFY(listener);
    const std::uint16_t port = localOf(listener.get()).port;
    const int before = openFdCount();
    QVERIFY(before > 0);
    {
        auto diag = SockDiag::open();
        QVERIFY2(diag, diag ? "" : diag.error().message().c_str());
        QCOMPARE(openFdCount(), before + 1); // the count does see the netlink socket
        const std::vector<std::uint16_t> ports { port };
        const SockAddr listening = localOf(listener.get());
        for (int i = 0; i < 20; ++i) {
            auto r = diag->dump(AF_INET, ports);
            QVERIFY(r);
            QVERIFY(findTuple(*r, listening, *SockAddr::parse("0.0.0.0", 0)));
        }
        auto moved = std::move(*diag);
        QCOMPARE(openFdCount(), before + 1);
        QVERIFY(moved.dump(AF_INET, ports));
    }
    QCOMPARE(openFdCount(), before);
}

QTEST_GUILESS_MAIN(TestSockDiag)
#include "tst_sockdiag.moc"
