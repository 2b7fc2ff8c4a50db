// SPDX-License-Identifier: GPL-3.0-or-later
#include "run/endpoints.h"


namespace synack {

LingerClose::~LingerClose()
{
    if (thread.joinable())
        thread.join();
}

Endpoint* EndpointTable::find(const std::string& name)
{
    for (auto& ep : m_endpoints)
        if (ep->name == name)
            return ep.get();
    return nullptr;
}

const Endpoint* EndpointTable::find(const std::string& name) const
{
    return const_cast<EndpointTable*>(this)->find(name);
}

Endpoint& EndpointTable::obtain(const std::string& name)
{
    if (Endpoint* ep = find(name))
        return *ep;
    auto ep = std::make_unique<Endpoint>();
    ep->name = name;
    m_endpoints.push_back(std::move(ep));
    return *m_endpoints.back();
}

Endpoint* EndpointTable::otherHalf(const Endpoint& ep)
{
    if (!ep.peer.valid())
        return nullptr;
    for (auto& o : m_endpoints)
        if (o.get() != &ep && o->local == ep.peer && o->peer == ep.local)
            return o.get();
    return nullptr;
}

const Endpoint* EndpointTable::otherHalf(const Endpoint& ep) const
{
    return const_cast<EndpointTable*>(this)->otherHalf(ep);
}

Endpoint* EndpointTable::peerOrTarget(const Endpoint& ep)
{
    if (!ep.peer.valid())
        return nullptr;
    if (Endpoint* half = otherHalf(ep))
        return half;
    Endpoint* target = nullptr;
    for (auto& o : m_endpoints)
        if (o.get() != &ep && o->local == ep.peer && (o->role == Role::Listener || o->role == Role::Socket
                                                        || o->role == Role::Bound))
            target = o.get();
    return target;
}

const Endpoint* EndpointTable::observed(const std::string& name) const
{
    constexpr std::string_view kPeer = "/peer";
    if (name.size() > kPeer.size() && name.ends_with(kPeer)) {
        if (const Endpoint* client = find(name.substr(0, name.size() - kPeer.size())))
            return otherHalf(*client);
        return nullptr;
    }
    return find(name);
}

Endpoint* EndpointTable::acceptCreating(const std::string& name)
{
    for (auto& ep : m_endpoints)
        if (ep->pending && ep->pending->kind == StepKind::Accept && ep->pending->acceptName == name)
            return ep.get();
    return nullptr;
}

std::string EndpointTable::wireName(const SockAddr& addr, const SockAddr& other) const
{
    const Endpoint* exact = nullptr;
    for (const auto& ep : m_endpoints)
        if (ep->local == addr && ep->peer == other && (!exact || ep->last.present || !exact->last.present))
            exact = ep.get();
    if (exact)
        return exact->name;
    const Endpoint* bound = nullptr;
    for (const auto& ep : m_endpoints)
        if (ep->local == addr && !ep->peer.valid() && (!bound || ep->role == Role::Listener))
            bound = ep.get();
    // A segment of a client's connection to a listener, before the server half exists (its SYN,
    // on its way, or dropped by a full queue): named for that half, "<client>/peer", as every
    // later segment of the connection is. Otherwise the name would depend on whether the
    // sampler had already seen the half when the segment was named.
    if (bound && bound->role == Role::Listener)
        for (const auto& ep : m_endpoints)
            if (ep->role == Role::Client && ep->local == other && ep->peer == addr)
                return ep->name + "/peer";
    return bound ? bound->name : addr.toString();
}

} // namespace synack
