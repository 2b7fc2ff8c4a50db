// SPDX-License-Identifier: GPL-3.0-or-later
#include "kernel/tcpinfo.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

namespace synack {

static_assert(offsetof(TcpInfo, rto) == 8, "tcp_info layout");
static_assert(offsetof(TcpInfo, pacingRate) == 104, "tcp_info layout");
static_assert(offsetof(TcpInfo, sndWnd) == 228, "tcp_info layout");
static_assert(sizeof(TcpInfo) == 248, "tcp_info layout");

Result<TcpInfoReading> readTcpInfo(int fd)
{
    TcpInfoReading r;
    socklen_t len = sizeof r.info;
    if (::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &r.info, &len) != 0)
        return errnoError("getsockopt(TCP_INFO)", errno);
    r.length = len;
    return r;
}

TcpInfoReading tcpInfoFromBytes(const void* data, std::size_t length)
{
    TcpInfoReading r;
    r.length = std::min(length, sizeof r.info);
    std::memcpy(&r.info, data, r.length);
    return r;
}

} // namespace synack
