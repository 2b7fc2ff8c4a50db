// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <sys/socket.h>

namespace synack {

/// An IPv4 or IPv6 address and port, as plain data (network-independent byte order for the address bytes).
struct SockAddr {
    int family = 0; ///< AF_INET, AF_INET6, or 0 when unset
    std::array<std::uint8_t, 16> addr {}; ///< 4 bytes used for AF_INET
    std::uint16_t port = 0; ///< host byte order

    bool valid() const { return family != 0; }
    bool isLoopback() const;
    /// "127.0.0.1:5000" or "[::1]:5000"; "*" when unset.
    std::string toString() const;
    /// The address without the port.
    std::string host() const;
    friend bool operator==(const SockAddr&, const SockAddr&) = default;

    /// Parses a literal address ("127.0.0.1", "::1") with the given port.
    static std::optional<SockAddr> parse(std::string_view host, std::uint16_t port = 0);
    static SockAddr loopback(int family, std::uint16_t port = 0);
    /// Converts from a kernel sockaddr (AF_INET / AF_INET6 only).
    static SockAddr fromSockaddr(const sockaddr* sa, socklen_t len);
    /// Fills `out` and returns the length to pass to bind()/connect().
    socklen_t toSockaddr(sockaddr_storage& out) const;
};

} // namespace synack
