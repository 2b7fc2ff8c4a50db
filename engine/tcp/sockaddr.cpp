// SPDX-License-Identifier: GPL-3.0-or-later
#include "tcp/sockaddr.h"

#include <arpa/inet.h>
#include <cstring>
#include <netinet/in.h>

namespace synack {

bool SockAddr::isLoopback() const
{
    if (family == AF_INET)
        return addr[0] == 127;
    if (family == AF_INET6) {
        static constexpr std::array<std::uint8_t, 16> kLo6 = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
        return addr == kLo6;
    }
    return false;
}

std::string SockAddr::host() const
{
    char buf[INET6_ADDRSTRLEN] = {};
    if (family == AF_INET)
        inet_ntop(AF_INET, addr.data(), buf, sizeof buf);
    else if (family == AF_INET6)
        inet_ntop(AF_INET6, addr.data(), buf, sizeof buf);
    else
        return "*";
    return buf;
}

std::string SockAddr::toString() const
{
    if (family == AF_INET6)
        return "[" + host() + "]:" + std::to_string(port);
    if (family == AF_INET)
        return host() + ":" + std::to_string(port);
    return "*";
}

std::optional<SockAddr> SockAddr::parse(std::string_view hostText, std::uint16_t port)
{
    std::string h(hostText);
    if (h.size() > 2 && h.front() == '[' && h.back() == ']')
        h = h.substr(1, h.size() - 2);
    SockAddr a;
    a.port = port;
    if (inet_pton(AF_INET, h.c_str(), a.addr.data()) == 1) {
        a.family = AF_INET;
        return a;
    }
    if (inet_pton(AF_INET6, h.c_str(), a.addr.data()) == 1) {
        a.family = AF_INET6;
        return a;
    }
    return std::nullopt;
}

SockAddr SockAddr::loopback(int family, std::uint16_t port)
{
    return *parse(family == AF_INET6 ? "::1" : "127.0.0.1", port);
}

SockAddr SockAddr::fromSockaddr(const sockaddr* sa, socklen_t len)
{
    SockAddr a;
    if (sa->sa_family == AF_INET && len >= static_cast<socklen_t>(sizeof(sockaddr_in))) {
        const auto* in = reinterpret_cast<const sockaddr_in*>(sa);
        a.family = AF_INET;
        std::memcpy(a.addr.data(), &in->sin_addr, 4);
        a.port = ntohs(in->sin_port);
    } else if (sa->sa_family == AF_INET6 && len >= static_cast<socklen_t>(sizeof(sockaddr_in6))) {
        const auto* in6 = reinterpret_cast<const sockaddr_in6*>(sa);
        a.family = AF_INET6;
        std::memcpy(a.addr.data(), &in6->sin6_addr, 16);
        a.port = ntohs(in6->sin6_port);
    }
    return a;
}

socklen_t SockAddr::toSockaddr(sockaddr_storage& out) const
{
    std::memset(&out, 0, sizeof out);
    if (family == AF_INET6) {
        auto* in6 = reinterpret_cast<sockaddr_in6*>(&out);
        in6->sin6_family = AF_INET6;
        std::memcpy(&in6->sin6_addr, addr.data(), 16);
        in6->sin6_port = htons(port);
        return sizeof(sockaddr_in6);
    }
    auto* in = reinterpret_cast<sockaddr_in*>(&out);
    in->sin_family = AF_INET;
    std::memcpy(&in->sin_addr, addr.data(), 4);
    in->sin_port = htons(port);
    return sizeof(sockaddr_in);
}

} // namespace synack
