// SPDX-License-Identifier: GPL-3.0-or-later
#include "run/calls.h"

#include <algorithm>

#include <array>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>

#include "base/limits.h"

namespace synack {

namespace {
    constexpr std::size_t kChunk = 64 * 1024;

    std::string familyName(int family) { return family == AF_INET6 ? "AF_INET6" : "AF_INET"; }

    CallRecord callRecord(std::string call, std::string args, std::int64_t rc, int err)
    {
        return CallRecord { std::move(call), std::move(args), rc, rc < 0 ? err : 0 };
    }

    std::unique_ptr<Pending> pending(StepKind kind, std::int64_t want = 0)
    {
        auto p = std::make_unique<Pending>();
        p->kind = kind;
        p->want = want;
        return p;
    }

    SockAddr localOf(int fd)
    {
        sockaddr_storage got {};
        socklen_t len = sizeof got;
        if (::getsockname(fd, reinterpret_cast<sockaddr*>(&got), &len) != 0)
            return {};
        return SockAddr::fromSockaddr(reinterpret_cast<sockaddr*>(&got), len);
    }

    /// A lingering close() sleeps in the kernel (sk_stream_wait_close) until its data is
    /// acknowledged, the time runs out, or a signal arrives. SIGURG, which nothing else here
    /// uses, is given a handler that does nothing (and no SA_RESTART), so that sending it to the
    /// thread ends the wait: close() then returns at once, leaving the data to the kernel.
    void interruptible()
    {
        static const bool installed = [] {
            struct sigaction old {};
            if (::sigaction(SIGURG, nullptr, &old) == 0 && old.sa_handler != SIG_DFL && old.sa_handler != SIG_IGN)
                return false; // someone else's handler: leave it
            struct sigaction sa {};
            sa.sa_handler = [](int) {};
            sigemptyset(&sa.sa_mask);
            return ::sigaction(SIGURG, &sa, nullptr) == 0;
        }();
        (void)installed;
    }
}

Calls::Calls(EndpointTable& table, Lab* lab, std::function<void(Endpoint&)> onSocket)
    : m_table(table)
    , m_lab(lab)
    , m_onSocket(std::move(onSocket))
    , m_sendBuffer(kChunk, 'x')
    , m_recvBuffer(kChunk)
{
}

void Calls::finish(Endpoint& ep, StepEvent& ev, std::int64_t result, int err)
{
    if (result < 0 && !m_shortage)
        if (auto limit = resourceShortage(err)) {
            const std::string call = ev.calls.empty() ? ev.call : ev.calls.back().call;
            m_shortage = Error { call + "() on '" + ep.name + "'", err, *limit };
        }
    ev.result = result;
    ev.err = result < 0 ? err : 0;
    ep.hasLastCall = true;
    ep.lastResult = result;
    ep.lastErr = result < 0 ? err : 0;
}

bool Calls::ensureSocket(Endpoint& ep, int family, StepEvent& ev)
{
    if (ep.fd)
        return true;
    ep.family = family ? family : AF_INET;
    // Always non-blocking underneath: blocking applications are emulated (see the class).
    int fd = -1;
    int err = 0;
    if (Lab* lab = labOf(ep)) {
        // Made by the lab's session process in its namespace and passed back: the call the
        // scenario sees is the same socket().
        auto made = lab->socket(ep.family, SOCK_STREAM | SOCK_NONBLOCK, IPPROTO_TCP);
        if (made) {
            fd = made->release();
        } else if (auto gone = lab->lost()) {
            m_labLost = *gone; // no socket() was made: nothing to record as the kernel's answer
            return false;
        } else if (made.error().err == 0 || made.error().err == EPROTO || made.error().err == ETIMEDOUT) {
            m_labLost = made.error(); // the helper misbehaved: not the kernel's answer either
            return false;
        } else {
            err = made.error().err;
        }
    } else {
        fd = ::socket(ep.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
        err = errno;
    }
    ev.calls.push_back(callRecord("socket", familyName(ep.family) + ", SOCK_STREAM", fd, err));
    if (fd < 0) {
        finish(ep, ev, -1, err);
        return false;
    }
    ep.fd.reset(fd);
    m_onSocket(ep);
    return true;
}

namespace {
    Error cannot(std::string what) { return Error { {}, 0, std::move(what) }; }
}

Lab* Calls::labOf(const Endpoint& ep) const
{
    if (m_hosts)
        return m_serverSide.count(ep.name) ? &m_hosts->server : &m_hosts->client;
    return m_lab;
}

SockAddr Calls::defaultAddress(const Endpoint& ep) const
{
    if (m_hosts && ep.family == AF_INET)
        if (auto a = SockAddr::parse(m_serverSide.count(ep.name) ? TwoHosts::kServerAddress : TwoHosts::kClientAddress))
            return *a;
    return SockAddr::loopback(ep.family);
}

bool Calls::addressAllowed(const SockAddr& a) const
{
    if (a.isLoopback())
        return true;
    if (!m_hosts)
        return false;
    const std::string host = a.toString().substr(0, a.toString().rfind(':'));
    return host == TwoHosts::kClientAddress || host == TwoHosts::kServerAddress;
}

Result<bool> Calls::bind(Endpoint& ep, const Step& st, StepEvent& ev)
{
    SockAddr a = defaultAddress(ep);
    if (st.address) {
        auto parsed = SockAddr::parse(*st.address);
        if (!parsed || !addressAllowed(*parsed))
            return cannot("address " + *st.address + " is not a loopback address"
                + std::string(m_hosts ? " nor one of the gated lab's hosts (192.0.2.1, 192.0.2.2)" : ""));
        a = *parsed;
    }
    if (st.port) {
        a.port = static_cast<std::uint16_t>(*st.port);
    } else if (!st.other.empty()) {
        const Endpoint* o = m_table.find(st.other);
        if (!o || o->local.port == 0)
            return cannot("'" + st.other + "' has no port to reuse");
        a.port = o->local.port;
    }
    sockaddr_storage ss;
    const socklen_t len = a.toSockaddr(ss);
    const int rc = ::bind(ep.fd.get(), reinterpret_cast<sockaddr*>(&ss), len);
    const int err = errno;
    ev.calls.push_back(callRecord("bind", a.toString(), rc, err));
    finish(ep, ev, rc, err);
    if (rc == 0) {
        if (SockAddr got = localOf(ep.fd.get()); got.valid())
            ep.local = got;
        if (ep.role == Role::Socket)
            ep.role = Role::Bound;
    }
    return rc == 0;
}

void Calls::setOption(Endpoint& ep, const Step& st, StepEvent& ev)
{
    int level = SOL_SOCKET, name = 0;
    int value = static_cast<int>(st.value);
    const void* optval = &value;
    socklen_t optlen = sizeof value;
    linger lg {};
    std::string args;
    auto onOff = [&](const char* what) { return std::string(what) + ", " + (value ? "1" : "0"); };
    auto number = [&](const char* what) { return std::string(what) + ", " + std::to_string(value); };
    switch (st.option) {
    case SockOption::ReuseAddr:
        name = SO_REUSEADDR, args = onOff("SO_REUSEADDR");
        break;
    case SockOption::Linger:
        name = SO_LINGER;
        lg.l_onoff = st.value >= 0;
        lg.l_linger = st.value >= 0 ? value : 0;
        optval = &lg;
        optlen = sizeof lg;
        args = st.value >= 0 ? "SO_LINGER, {on, " + std::to_string(value) + " s}" : "SO_LINGER, {off}";
        ep.lingerSec = st.value >= 0 ? value : -1;
        break;
    case SockOption::KeepAlive:
        name = SO_KEEPALIVE, args = onOff("SO_KEEPALIVE");
        break;
    case SockOption::KeepIdle:
        level = IPPROTO_TCP, name = TCP_KEEPIDLE, args = number("TCP_KEEPIDLE");
        break;
    case SockOption::KeepIntvl:
        level = IPPROTO_TCP, name = TCP_KEEPINTVL, args = number("TCP_KEEPINTVL");
        break;
    case SockOption::KeepCnt:
        level = IPPROTO_TCP, name = TCP_KEEPCNT, args = number("TCP_KEEPCNT");
        break;
    case SockOption::SndBuf:
        name = SO_SNDBUF, args = number("SO_SNDBUF");
        break;
    case SockOption::RcvBuf:
        name = SO_RCVBUF, args = number("SO_RCVBUF");
        break;
    case SockOption::DeferAccept:
        level = IPPROTO_TCP, name = TCP_DEFER_ACCEPT, args = number("TCP_DEFER_ACCEPT");
        break;
    case SockOption::NoDelay:
        level = IPPROTO_TCP, name = TCP_NODELAY, args = onOff("TCP_NODELAY");
        break;
    case SockOption::UserTimeout:
        level = IPPROTO_TCP, name = TCP_USER_TIMEOUT, args = number("TCP_USER_TIMEOUT") + " ms";
        break;
    case SockOption::SynCnt:
        level = IPPROTO_TCP, name = TCP_SYNCNT, args = number("TCP_SYNCNT");
        break;
    case SockOption::NonBlock:
        // The descriptor is non-blocking already; this changes how the application behaves:
        // EAGAIN / EINPROGRESS come back as results instead of a wait.
        ep.nonblock = st.value != 0;
        ev.call = "fcntl";
        ev.args = std::string("O_NONBLOCK ") + (ep.nonblock ? "on" : "off");
        finish(ep, ev, 0, 0);
        return;
    }
    const int rc = ::setsockopt(ep.fd.get(), level, name, optval, optlen);
    const int err = errno;
    ev.call = "setsockopt";
    ev.args = args;
    ev.calls.push_back(callRecord("setsockopt", args, rc, err));
    finish(ep, ev, rc, err);
}

Result<bool> Calls::connect(Endpoint& ep, const Step& st, StepEvent& ev)
{
    SockAddr target;
    if (!st.other.empty()) {
        const Endpoint* o = m_table.find(st.other);
        if (!o || !o->local.valid())
            return cannot("'" + st.other + "' has no address to connect to (bind or listen it first)");
        target = o->local;
        if (!ep.fd)
            ep.family = o->family;
    } else {
        auto parsed = st.address ? SockAddr::parse(*st.address)
            : m_hosts && !st.family                  ? SockAddr::parse(TwoHosts::kServerAddress)
                                                     : SockAddr::loopback(st.family ? st.family : AF_INET);
        if (!parsed || !addressAllowed(*parsed))
            return cannot(m_hosts ? "connect: only loopback and the gated lab's hosts (192.0.2.1, 192.0.2.2) may be addressed"
                                  : "connect: only loopback addresses are allowed");
        target = *parsed;
        target.port = static_cast<std::uint16_t>(st.port.value_or(0));
        // The host's loopback is shared with every program on the machine: a scenario (perhaps
        // someone else's file) may reach its own sockets there, not a local service.
        if (!m_lab && !m_hosts && !m_allowHostPorts) {
            const auto& all = m_table.all();
            const bool ours = std::any_of(all.begin(), all.end(),
                [&](const auto& e) { return e->local.valid() && e->local.port == target.port; });
            if (!ours)
                return cannot("connect to port " + std::to_string(target.port)
                    + ": on host loopback (tier 0) a scenario may connect only to ports its own endpoints hold or "
                      "held, and no endpoint of this run has that port; it may be another program's. Run it in "
                      "the lab (tier 1, see synack doctor), or allow host ports for this run (--allow-host-ports; the "
                      "window asks)");
        }
    }
    if (!ensureSocket(ep, ep.fd ? ep.family : target.family, ev))
        return false;
    sockaddr_storage ss;
    const socklen_t len = target.toSockaddr(ss);
    const int rc = ::connect(ep.fd.get(), reinterpret_cast<sockaddr*>(&ss), len);
    const int err = errno;
    ev.args = target.toString();
    ev.calls.push_back(callRecord("connect", ev.args, rc, err));
    ep.role = Role::Client;
    ep.peer = target;
    if (SockAddr got = localOf(ep.fd.get()); got.valid())
        ep.local = got;
    if (rc < 0 && err == EINPROGRESS && !ep.nonblock) {
        // On loopback the kernel has usually finished (or been refused) before connect()
        // returns: the SYN's answer is processed as the call leaves. A blocking connect() would
        // then not have waited at all, so it is not shown as blocked.
        pollfd pfd { ep.fd.get(), POLLOUT, 0 };
        const int ready = ::poll(&pfd, 1, 0);
        ev.calls.push_back(callRecord("poll", "POLLOUT, 0 ms", ready, errno));
        if (ready != 1) {
            block(ep, st, ev, pending(StepKind::Connect));
            return false;
        }
        int soerr = 0;
        socklen_t optlen = sizeof soerr;
        ::getsockopt(ep.fd.get(), SOL_SOCKET, SO_ERROR, &soerr, &optlen);
        ev.calls.push_back(callRecord("getsockopt", "SO_ERROR", soerr ? -1 : 0, soerr));
        finish(ep, ev, soerr ? -1 : 0, soerr);
        return true;
    }
    finish(ep, ev, rc, err);
    return rc == 0 || err == ECONNREFUSED;
}

void Calls::accept(Endpoint& ep, const Step& st, StepEvent& ev)
{
    const int fd = ::accept4(ep.fd.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    const int err = errno;
    ev.args = st.other;
    if (fd < 0 && err == EAGAIN && !ep.nonblock) {
        auto p = pending(StepKind::Accept);
        p->acceptName = st.other;
        block(ep, st, ev, std::move(p));
        return;
    }
    ev.calls.push_back(callRecord("accept", "", fd, err));
    finish(ep, ev, fd >= 0 ? 0 : -1, err);
    if (fd >= 0) {
        ev.creates = st.other;
        ev.adopts = adoptAccepted(fd, st.other);
    }
}

bool Calls::pushSend(Endpoint& ep, Pending& p, bool fill, int& err)
{
    err = 0;
    while (fill || p.done < p.want) {
        const std::size_t n
            = fill ? kChunk : static_cast<std::size_t>(std::min<std::int64_t>(kChunk, p.want - p.done));
        if (fill && p.done + static_cast<std::int64_t>(n) > ScenarioLimits::kMaxBytes)
            return true;
        const ssize_t rc = ::send(ep.fd.get(), m_sendBuffer.data(), n, MSG_NOSIGNAL);
        err = rc < 0 ? errno : 0;
        // An EAGAIN that only means "a blocking send() would still be waiting" is how the runner
        // waits, not a call the application made; one that ends the call is.
        if (err != EAGAIN || fill || ep.nonblock)
            appendCall(p.calls, callRecord("send", std::to_string(n) + " bytes", rc, err));
        if (rc < 0) {
            if (err == EINTR)
                continue;
            if (err == EAGAIN)
                return fill; // fill ends at the first refusal; a plain send waits
            return true;
        }
        p.done += rc;
    }
    return true;
}

bool Calls::pullRecv(Endpoint& ep, Pending& p, bool available, int& err, bool& eof)
{
    err = 0;
    eof = false;
    while (p.untilEof || available || p.done < p.want) {
        std::size_t n = kChunk;
        if (!p.untilEof && !available)
            n = static_cast<std::size_t>(std::min<std::int64_t>(kChunk, p.want - p.done));
        const ssize_t rc = ::recv(ep.fd.get(), m_recvBuffer.data(), n, 0);
        err = rc < 0 ? errno : 0;
        if (err != EAGAIN || available || ep.nonblock) // see pushSend
            appendCall(p.calls, callRecord("recv", std::to_string(n) + " bytes", rc, err));
        if (rc < 0) {
            if (err == EINTR)
                continue;
            if (err == EAGAIN)
                return available;
            return true;
        }
        if (rc == 0) {
            eof = true;
            return true;
        }
        p.done += rc;
        if (p.done >= ScenarioLimits::kMaxBytes)
            return true;
    }
    return true;
}

void Calls::send(Endpoint& ep, const Step& st, StepEvent& ev)
{
    auto p = pending(StepKind::Send, st.bytes);
    int err = 0;
    const bool over = pushSend(ep, *p, st.fill, err);
    ev.args = st.fill ? "until the send buffer is full" : std::to_string(st.bytes) + " bytes";
    ev.calls = std::exchange(p->calls, {});
    if (!over && !ep.nonblock) {
        ev.result = p->done;
        block(ep, st, ev, std::move(p));
        return;
    }
    if (st.fill) {
        // The loop's result is what the kernel took; its errno, the refusal that ended it
        // (EAGAIN; 0 when it stopped at the 64M limit).
        finish(ep, ev, p->done, 0);
        if (err == EAGAIN)
            ev.err = ep.lastErr = err;
        return;
    }
    finish(ep, ev, p->done == 0 && err != 0 ? -1 : p->done, err);
}

void Calls::recv(Endpoint& ep, const Step& st, StepEvent& ev)
{
    auto p = pending(StepKind::Recv, st.bytes);
    p->untilEof = st.all;
    int err = 0;
    bool eof = false;
    const bool over = pullRecv(ep, *p, st.available, err, eof);
    ev.args = st.all ? "until end of stream" : st.available ? "what is queued" : std::to_string(st.bytes) + " bytes";
    ev.calls = std::exchange(p->calls, {});
    if (!over && !ep.nonblock) {
        ev.result = p->done;
        block(ep, st, ev, std::move(p));
        return;
    }
    finish(ep, ev, p->done == 0 && err != 0 ? -1 : p->done, err);
}

void Calls::close(Endpoint& ep, const Step& st, StepEvent& ev)
{
    // What close() will do, decided by the kernel's own rule (tcp_close): unread data or
    // SO_LINGER {on, 0} mean RST instead of FIN.
    ep.gracefulClose = !(ep.lingerSec == 0 || ep.last.recvq > 0);
    ep.appClosed = true;
    ep.closedLine = st.pos.line;
    if (ep.lingerSec > 0 && ep.last.state != TcpState::Listen) {
        // close() with SO_LINGER > 0 blocks in the kernel until the data is acknowledged or the
        // time runs out, whatever O_NONBLOCK says: it runs on a thread of its own (see closeAll).
        interruptible();
        auto p = pending(StepKind::Close);
        p->closer = std::make_unique<LingerClose>();
        LingerClose* closer = p->closer.get();
        const int fd = ep.fd.release();
        closer->thread = std::thread([closer, fd] {
            closer->err = ::close(fd) == 0 ? 0 : errno;
            closer->done = true;
        });
        block(ep, st, ev, std::move(p));
        return;
    }
    const int err = ep.fd.reset();
    ev.calls.push_back(callRecord("close", "", err ? -1 : 0, err));
    finish(ep, ev, err ? -1 : 0, err);
}

void Calls::block(Endpoint& ep, const Step& st, StepEvent& ev, std::unique_ptr<Pending> p)
{
    p->line = st.pos.line;
    p->text = st.text;
    p->call = ev.call;
    p->args = ev.args;
    p->narration = st.narration;
    ev.phase = Phase::Blocked;
    ev.err = 0;
    ep.pending = std::move(p);
}

std::string Calls::adoptAccepted(int fd, const std::string& name)
{
    Fd owned(fd);
    std::string adopted;
    Endpoint* target = nullptr;
    auto s = probeDescriptor(fd);
    if (s) {
        for (auto& ep : m_table.all())
            if (ep->role == Role::Peer
                && ((s->cookie && ep->cookie == s->cookie) || (ep->local == s->local && ep->peer == s->peer)))
                target = ep.get();
    }
    if (target) {
        adopted = target->name;
        target->adopted = true;
        // The lane continues under its new name; its history stays under the old one.
        target->lastState.reset();
        target->lastBuffers = BuffersEvent {};
        target->lastTimer = TimerEvent {};
    } else {
        target = &m_table.obtain(name);
    }
    target->name = name;
    target->role = Role::Accepted;
    target->fd = std::move(owned);
    if (s) {
        target->family = s->local.family;
        target->local = s->local;
        target->peer = s->peer;
        target->cookie = s->cookie;
    }
    return adopted;
}

Result<Calls::Outcome> Calls::run(const Step& st, Endpoint& ep)
{
    Outcome out;
    StepEvent& ev = out.event;
    ev.line = st.pos.line;
    ev.text = st.text;
    ev.endpoint = st.endpoint;
    ev.call = std::string(stepKindName(st.kind));
    ev.narration = st.narration;
    switch (st.kind) {
    case StepKind::Socket:
        if (ensureSocket(ep, st.family, ev)) {
            ev.args = ev.calls.back().args;
            finish(ep, ev, ev.calls.back().result, 0);
        }
        break;
    case StepKind::Set:
        if (ensureSocket(ep, st.family, ev))
            setOption(ep, st, ev);
        break;
    case StepKind::Bind: {
        if (!ensureSocket(ep, st.family, ev))
            break;
        if (auto bound = bind(ep, st, ev); !bound)
            return bound.error();
        ev.args = ev.calls.back().args;
        break;
    }
    case StepKind::Listen: {
        if (!ensureSocket(ep, st.family, ev))
            break;
        if (ep.local.port == 0) {
            auto bound = bind(ep, st, ev);
            if (!bound)
                return bound.error();
            if (!*bound)
                break;
        }
        const int rc = ::listen(ep.fd.get(), st.backlog);
        const int err = errno;
        ev.calls.push_back(callRecord("listen", "backlog " + std::to_string(st.backlog), rc, err));
        ev.args = ep.local.toString() + ", backlog " + std::to_string(st.backlog);
        finish(ep, ev, rc, err);
        if (rc == 0)
            ep.role = Role::Listener;
        break;
    }
    case StepKind::Connect: {
        auto fromWire = connect(ep, st, ev);
        if (!fromWire)
            return fromWire.error();
        out.resultFromWire = *fromWire;
        break;
    }
    case StepKind::Accept:
        accept(ep, st, ev);
        break;
    case StepKind::Send:
        send(ep, st, ev);
        break;
    case StepKind::Recv:
        recv(ep, st, ev);
        break;
    case StepKind::Shutdown: {
        static constexpr std::array<const char*, 3> kHow = { "SHUT_RD", "SHUT_WR", "SHUT_RDWR" };
        const int how = st.how == ShutdownHow::Rd ? SHUT_RD : st.how == ShutdownHow::Wr ? SHUT_WR : SHUT_RDWR;
        const int rc = ::shutdown(ep.fd.get(), how);
        const int err = errno;
        ev.args = kHow[static_cast<std::size_t>(how)];
        ev.calls.push_back(callRecord("shutdown", ev.args, rc, err));
        finish(ep, ev, rc, err);
        break;
    }
    case StepKind::Close:
        close(ep, st, ev);
        break;
    default:
        break;
    }
    if (const Endpoint* made = m_table.find(st.kind == StepKind::Accept ? st.other : st.endpoint)) {
        if (made->local.valid())
            ev.local = made->local.toString();
        if (made->peer.valid())
            ev.peer = made->peer.toString();
    }
    if (m_labLost)
        return *std::exchange(m_labLost, std::nullopt);
    if (ev.phase != Phase::Blocked && ev.calls.empty() && ev.call != "fcntl") {
        // Nothing was called (e.g. socket() failed is recorded above); keep the record honest.
        ev.err = ep.lastErr;
    }
    return out;
}

int Calls::progress(const std::function<void(Finished)>& finished)
{
    int count = 0;
    for (std::size_t i = 0; i < m_table.all().size(); ++i) {
        Endpoint& ep = *m_table.all()[i];
        if (!ep.pending)
            continue;
        Pending& p = *ep.pending;
        StepEvent ev;
        ev.line = p.line;
        ev.text = p.text;
        ev.endpoint = ep.name;
        ev.call = p.call;
        ev.args = p.args;
        ev.phase = Phase::Completed;
        ev.narration = p.narration;
        bool over = false;
        std::int64_t result = 0;
        int err = 0;
        switch (p.kind) {
        case StepKind::Connect: {
            pollfd pfd { ep.fd.get(), POLLOUT, 0 };
            if (::poll(&pfd, 1, 0) == 1) {
                int soerr = 0;
                socklen_t len = sizeof soerr;
                ::getsockopt(ep.fd.get(), SOL_SOCKET, SO_ERROR, &soerr, &len);
                ev.calls.push_back(callRecord("getsockopt", "SO_ERROR", soerr ? -1 : 0, soerr));
                over = true;
                result = soerr ? -1 : 0;
                err = soerr;
            }
            break;
        }
        case StepKind::Accept: {
            const int fd = ::accept4(ep.fd.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
            err = errno;
            if (fd >= 0 || err != EAGAIN) {
                ev.calls.push_back(callRecord("accept", "", fd, err));
                over = true;
                result = fd >= 0 ? 0 : -1;
                if (fd >= 0) {
                    ev.creates = p.acceptName;
                    ev.adopts = adoptAccepted(fd, p.acceptName);
                }
            }
            break;
        }
        case StepKind::Send:
            over = pushSend(ep, p, false, err);
            if (over) {
                result = (p.done > 0 || err == 0) ? p.done : -1;
                ev.calls = std::exchange(p.calls, {});
            }
            break;
        case StepKind::Recv: {
            bool eof = false;
            over = pullRecv(ep, p, false, err, eof);
            if (over) {
                result = (p.done > 0 || err == 0) ? p.done : -1;
                ev.calls = std::exchange(p.calls, {});
            }
            break;
        }
        case StepKind::Close:
            if (p.closer && p.closer->done) {
                over = true;
                err = p.closer->err;
                result = err ? -1 : 0;
                ev.calls.push_back(callRecord("close", "", result, err));
            }
            break;
        default:
            over = true;
            break;
        }
        if (!over)
            continue;
        finish(ep, ev, result, err);
        ep.pending.reset(); // `p` is gone from here on (a finished close's thread is joined)
        if (ep.local.valid())
            ev.local = ep.local.toString();
        if (ep.peer.valid())
            ev.peer = ep.peer.toString();
        ++count;
        finished({ &ep, std::move(ev) });
    }
    return count;
}

void Calls::closeAll()
{
    for (auto& ep : m_table.all()) {
        if (ep->pending && ep->pending->closer) {
            LingerClose& c = *ep->pending->closer;
            // Interrupt the lingering close() until it returns (the signal may come before the
            // thread is in the call), then join it.
            for (int i = 0; !c.done && i < 5000; ++i) {
                ::pthread_kill(c.thread.native_handle(), SIGURG);
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
            if (c.done)
                ep->pending.reset();
            else if (c.thread.joinable())
                c.thread.detach(); // not interruptible (another handler holds SIGURG): let it finish alone
        }
        if (!ep->fd)
            continue;
        // Leave nothing behind on the host: connections still open are reset rather than closed.
        linger lg { 1, 0 };
        ::setsockopt(ep->fd.get(), SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
        ep->fd.reset();
    }
}

} // namespace synack
