// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "run/endpoint.h"

namespace synack {

/// The run's endpoints, by name, and how they relate: the other half of a connection, the
/// endpoint a client connected to, the name the wire's addresses belong to.
class EndpointTable {
public:
    Endpoint* find(const std::string& name);
    const Endpoint* find(const std::string& name) const;
    /// The endpoint named `name`, made when there is none (references stay valid: endpoints are
    /// never moved).
    Endpoint& obtain(const std::string& name);

    /// The kernel socket at the other end of `ep`'s connection, whatever it is called now.
    Endpoint* otherHalf(const Endpoint& ep);
    const Endpoint* otherHalf(const Endpoint& ep) const;
    /// The other half; failing that, the listener or bound socket `ep` connected to.
    Endpoint* peerOrTarget(const Endpoint& ep);
    /// The endpoint an expect or wait names: NAME, or NAME/peer (the other half of NAME's
    /// connection: "NAME/peer" before accept, the accepted name after).
    const Endpoint* observed(const std::string& name) const;
    /// The listener whose blocked accept() will create `name`, if any.
    Endpoint* acceptCreating(const std::string& name);
    /// The endpoint at `addr` talking to `other`: the socket with that 4-tuple (one the kernel
    /// still has first), else the listener or bound socket at `addr` (a SYN that made no socket),
    /// else the address itself.
    std::string wireName(const SockAddr& addr, const SockAddr& other) const;

    std::vector<std::unique_ptr<Endpoint>>& all() { return m_endpoints; }
    const std::vector<std::unique_ptr<Endpoint>>& all() const { return m_endpoints; }

private:
    std::vector<std::unique_ptr<Endpoint>> m_endpoints;
};

} // namespace synack
