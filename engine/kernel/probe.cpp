// SPDX-License-Identifier: GPL-3.0-or-later
#include "kernel/probe.h"

#include <cerrno>
#include <linux/sock_diag.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#ifndef SO_COOKIE
#define SO_COOKIE 57
#endif

namespace synack {

namespace {
    std::int64_t ioctlInt(int fd, unsigned long request)
    {
        int value = 0;
        return ::ioctl(fd, request, &value) == 0 ? value : -1;
    }
    std::int64_t sockoptInt(int fd, int level, int name)
    {
        int value = 0;
        socklen_t len = sizeof value;
        return ::getsockopt(fd, level, name, &value, &len) == 0 ? value : -1;
    }
    SockAddr addressOf(int fd, bool peer)
    {
        sockaddr_storage ss {};
        socklen_t len = sizeof ss;
        const int rc = peer ? ::getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len)
                            : ::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len);
        if (rc != 0)
            return {};
        SockAddr a = SockAddr::fromSockaddr(reinterpret_cast<sockaddr*>(&ss), len);
        // An unbound socket reports 0.0.0.0:0; that is "no address" to a user.
        if (!peer && a.port == 0 && a.host() == "0.0.0.0")
            return {};
        return a;
    }
}

Result<Sample> probeDescriptor(int fd)
{
    auto info = readTcpInfo(fd);
    if (!info)
        return info.error();
    const TcpInfo& ti = info->info;
    Sample s;
    s.present = true;
    s.fromDescriptor = true;
    s.state = stateFromKernel(ti.state);
    s.local = addressOf(fd, false);
    s.peer = addressOf(fd, true);
    std::uint64_t cookie = 0;
    socklen_t len = sizeof cookie;
    if (::getsockopt(fd, SOL_SOCKET, SO_COOKIE, &cookie, &len) == 0)
        s.cookie = cookie;
    s.sndbuf = sockoptInt(fd, SOL_SOCKET, SO_SNDBUF);
    s.rcvbuf = sockoptInt(fd, SOL_SOCKET, SO_RCVBUF);
    if (s.state == TcpState::Listen) {
        // For a listener tcp_get_info() reports the accept queue in tcpi_unacked and the
        // backlog in tcpi_sacked; SIOCINQ would fail with EINVAL.
        s.acceptq = ti.unacked;
        s.backlog = ti.sacked;
        return s;
    }
    s.recvq = ioctlInt(fd, SIOCINQ);
    s.sendq = ioctlInt(fd, SIOCOUTQ);
    s.notsent = ioctlInt(fd, SIOCOUTQNSD);
    if (s.state != TcpState::Close) {
        if (info->hasSndWnd())
            s.sndwnd = ti.sndWnd;
        if (info->hasRcvWnd())
            s.rcvwnd = ti.rcvWnd;
    }
    s.segsOut = ti.segsOut;
    s.segsIn = ti.segsIn;
    s.retrans = ti.totalRetrans;
    if (info->has(offsetof(TcpInfo, bytesSent) + sizeof(std::uint64_t)))
        s.bytesSent = static_cast<std::int64_t>(ti.bytesSent);
    return s;
}

Sample sampleFromDiag(const DiagSocket& d)
{
    Sample s;
    s.present = true;
    s.state = d.state;
    s.local = d.local;
    s.peer = d.remote;
    s.cookie = d.cookie;
    if (d.state == TcpState::Listen) {
        s.acceptq = d.rqueue;
        s.backlog = d.wqueue;
    } else if (d.state != TcpState::TimeWait && d.state != TcpState::SynRecv) {
        // inet_diag reports unread and unacknowledged bytes for full sockets only.
        s.recvq = d.rqueue;
        s.sendq = d.wqueue;
    }
    if (d.info && d.state != TcpState::Listen) {
        const TcpInfo& ti = d.info->info;
        s.notsent = ti.notsentBytes;
        s.segsOut = ti.segsOut;
        s.segsIn = ti.segsIn;
        s.retrans = ti.totalRetrans;
        if (d.info->has(offsetof(TcpInfo, bytesSent) + sizeof(std::uint64_t)))
            s.bytesSent = static_cast<std::int64_t>(ti.bytesSent);
        if (d.info->hasSndWnd())
            s.sndwnd = ti.sndWnd;
        if (d.info->hasRcvWnd())
            s.rcvwnd = ti.rcvWnd;
    }
    if (d.memInfo) {
        s.rcvbuf = (*d.memInfo)[SK_MEMINFO_RCVBUF];
        s.sndbuf = (*d.memInfo)[SK_MEMINFO_SNDBUF];
    }
    mergeDiag(s, d);
    return s;
}

void mergeDiag(Sample& s, const DiagSocket& d)
{
    // SIOCOUTQ answers 0 in SYN_SENT (tcp_ioctl() special-cases the handshake states), while
    // sock_diag, like ss, counts the unacknowledged SYN as the one sequence number it holds; after
    // a refused connect SIOCOUTQ counts it too (1 in CLOSE). One rule for all: sequence space
    // sent and not acknowledged, so a SYN_SENT socket shows sock_diag's figure.
    if (s.fromDescriptor && s.state == TcpState::SynSent && d.state == TcpState::SynSent)
        s.sendq = d.wqueue;
    s.timer = d.timer;
    s.timerMs = d.expiresMs;
    s.timerRetrans = d.retrans;
    if (d.shutdown)
        s.shutdown = *d.shutdown;
}

} // namespace synack
