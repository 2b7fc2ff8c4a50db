// SPDX-License-Identifier: GPL-3.0-or-later
#include "run/sampler.h"

#include <algorithm>
#include <netinet/in.h>
#include <set>

namespace synack {

Snapshot Sampler::read(EndpointTable& table, const std::function<std::int64_t()>& now)
{
    Snapshot snap;
    std::map<Endpoint*, Sample> samples;
    for (auto& ep : table.all()) {
        if (!ep->fd)
            continue;
        const std::int64_t before = now();
        auto s = probeDescriptor(ep->fd.get());
        if (!s)
            continue;
        snap.readAt[ep.get()] = before;
        samples[ep.get()] = *s;
        if (s->cookie)
            ep->cookie = s->cookie;
        if (s->local.valid() && (s->local.port != 0 || ep->local.port == 0))
            ep->local = s->local; // a known port is never replaced by 0 (see isTeardownRecord)
        if (s->peer.valid())
            ep->peer = s->peer;
    }

    std::set<Endpoint*> unsure; // a dump caught them mid-teardown: no reading this time
    std::set<int> failedFamilies;
    if (m_diag) {
        for (int family : { AF_INET, AF_INET6 }) {
            std::vector<std::uint16_t> ports;
            for (auto& ep : table.all())
                if (ep->family == family && ep->local.port != 0
                    && std::find(ports.begin(), ports.end(), ep->local.port) == ports.end())
                    ports.push_back(ep->local.port);
            if (ports.empty())
                continue;
            if (ports.size() > SockDiag::kMaxPorts)
                ports.resize(SockDiag::kMaxPorts);
            const std::int64_t dumpedAt = now();
            auto dump = m_diag->dump(family, ports);
            if (!dump) {
                failedFamilies.insert(family);
                snap.problems.push_back(
                    "sock_diag dump failed, sockets without a descriptor are not visible now: "
                    + dump.error().message());
                continue;
            }
            for (const DiagSocket& d : *dump)
                match(d, table, samples, unsure);
            for (auto& ep : table.all())
                if (!ep->fd && ep->family == family && !unsure.count(ep.get()))
                    snap.readAt[ep.get()] = dumpedAt; // read, or read as gone
        }
    }

    for (auto& ep : table.all()) {
        Sample s;
        if (auto it = samples.find(ep.get()); it != samples.end())
            s = it->second;
        else if (failedFamilies.count(ep->family))
            continue; // not seen because the dump failed, not because the socket is gone
        else if (unsure.count(ep.get()))
            continue; // being replaced or destroyed: the next dump says which
        // Without a descriptor and without a sock_diag entry the kernel no longer has the
        // socket (or sock_diag is unavailable, which the run has already said).
        snap.readings.push_back({ ep.get(), s });
    }
    return snap;
}

void Sampler::match(const DiagSocket& d, EndpointTable& table, std::map<Endpoint*, Sample>& samples,
    std::set<Endpoint*>& unsure)
{
    if (isTeardownRecord(d)) {
        // A descriptor still reads the socket itself; an endpoint known only through sock_diag
        // gets no reading from this dump (and keeps its port and cookie).
        for (auto& ep : table.all())
            if (d.cookie && ep->cookie == d.cookie && !samples.count(ep.get()))
                unsure.insert(ep.get());
        return;
    }
    Endpoint* owner = nullptr;
    if (d.cookie) {
        for (auto& ep : table.all())
            if (ep->cookie == d.cookie)
                owner = ep.get();
    }
    if (!owner && d.state != TcpState::Listen) {
        // No cookie match: an endpoint that never had a descriptor for this socket, matched by
        // 4-tuple (the cookie is learnt now, so the next dumps match by cookie).
        for (auto& ep : table.all())
            if (!ep->fd && ep->cookie == 0 && ep->local == d.local && ep->peer == d.remote)
                owner = ep.get();
    }
    if (!owner && d.state != TcpState::Listen && d.state != TcpState::TimeWait) {
        // The server half of one of our clients' connections, not accepted yet: it has no
        // descriptor, so it gets a name of its own until accept() adopts it.
        Endpoint* client = nullptr;
        for (auto& ep : table.all())
            if (ep->role == Role::Client && ep->local == d.remote && ep->peer == d.local)
                client = ep.get();
        if (client) {
            Endpoint& peer = table.obtain(client->name + "/peer"); // no iterator is held here
            if (peer.cookie == 0 || peer.cookie == d.cookie) {
                peer.role = Role::Peer;
                peer.family = d.local.family;
                peer.peerOf = client->name;
                peer.local = d.local;
                peer.peer = d.remote;
                owner = &peer;
            }
        }
    }
    if (!owner)
        return;
    owner->cookie = d.cookie;
    auto it = samples.find(owner);
    if (it != samples.end() && it->second.fromDescriptor) {
        mergeDiag(it->second, d);
        // A descriptor whose connection went into TIME_WAIT: the kernel replaced the socket
        // with a timewait socket (tcp_time_wait) and left the descriptor's in CLOSE. The
        // connection's state is the timewait socket's.
        if (it->second.state == TcpState::Close && d.state != TcpState::Close)
            it->second.state = d.state;
    } else {
        samples[owner] = sampleFromDiag(d);
    }
}

} // namespace synack
