// SPDX-License-Identifier: GPL-3.0-or-later
// What one look at a socket costs: getsockopt(TCP_INFO), the three queue ioctls, and a sock_diag
// dump filtered by local port. The runner samples these on every step, so they bound how finely
// it can watch. A benchmark, not a test: it reports numbers and asserts nothing.
#include <benchmark/benchmark.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include <linux/sockios.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "base/fd.h"
#include "tcp/sockaddr.h"
#include "kernel/sockdiag.h"
#include "kernel/tcpinfo.h"

namespace {

using namespace synack;

// A loopback listener and `connections` accepted connections to it, all ESTABLISHED and idle.
class Loopback {
public:
    explicit Loopback(int connections)
    {
        m_listener = Fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
        if (!m_listener) {
            fail("socket");
            return;
        }
        sockaddr_storage ss {};
        socklen_t len = SockAddr::loopback(AF_INET, 0).toSockaddr(ss);
        if (::bind(m_listener.get(), reinterpret_cast<sockaddr*>(&ss), len) != 0
            || ::listen(m_listener.get(), connections + 8) != 0) {
            fail("bind/listen");
            return;
        }
        len = sizeof ss;
        if (::getsockname(m_listener.get(), reinterpret_cast<sockaddr*>(&ss), &len) != 0) {
            fail("getsockname");
            return;
        }
        const SockAddr server = SockAddr::fromSockaddr(reinterpret_cast<sockaddr*>(&ss), len);
        m_port = server.port;
        for (int i = 0; i < connections; ++i) {
            Fd client(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
            len = server.toSockaddr(ss);
            if (!client || ::connect(client.get(), reinterpret_cast<sockaddr*>(&ss), len) != 0) {
                fail("connect");
                return;
            }
            // Blocking accept is fine: the handshake on loopback has completed by now.
            Fd accepted(::accept4(m_listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
            if (!accepted) {
                fail("accept");
                return;
            }
            m_clients.push_back(std::move(client));
            m_servers.push_back(std::move(accepted));
        }
    }

    const std::string& error() const { return m_error; }
    std::uint16_t port() const { return m_port; }
    int client(std::size_t i = 0) const { return m_clients.at(i).get(); }

private:
    void fail(const char* what) { m_error = std::string(what) + ": " + std::strerror(errno); }

    Fd m_listener;
    std::vector<Fd> m_clients;
    std::vector<Fd> m_servers;
    std::uint16_t m_port = 0;
    std::string m_error;
};

void BM_ReadTcpInfo(benchmark::State& state)
{
    Loopback net(1);
    if (!net.error().empty()) {
        state.SkipWithError(net.error().c_str());
        return;
    }
    const int fd = net.client();
    for (auto _ : state) {
        auto r = readTcpInfo(fd);
        benchmark::DoNotOptimize(r);
    }
}
BENCHMARK(BM_ReadTcpInfo);

void BM_QueueIoctls(benchmark::State& state)
{
    Loopback net(1);
    if (!net.error().empty()) {
        state.SkipWithError(net.error().c_str());
        return;
    }
    const int fd = net.client();
    for (auto _ : state) {
        int unread = 0;
        int unacked = 0;
        int unsent = 0;
        const int rc
            = ::ioctl(fd, SIOCINQ, &unread) | ::ioctl(fd, SIOCOUTQ, &unacked) | ::ioctl(fd, SIOCOUTQNSD, &unsent);
        benchmark::DoNotOptimize(rc);
        benchmark::DoNotOptimize(unread + unacked + unsent);
    }
}
BENCHMARK(BM_QueueIoctls);

// Arguments: number of ports in the filter, connections open on the watched port. The watched
// port goes last, so every socket in the table runs the whole bytecode before it is accepted or
// rejected; the other ports are low, privileged ones nothing on a test host listens on.
void BM_SockDiagDump(benchmark::State& state)
{
    const auto portCount = static_cast<std::size_t>(state.range(0));
    Loopback net(static_cast<int>(state.range(1)));
    if (!net.error().empty()) {
        state.SkipWithError(net.error().c_str());
        return;
    }
    auto diag = SockDiag::open();
    if (!diag) {
        state.SkipWithError(diag.error().message().c_str());
        return;
    }
    std::vector<std::uint16_t> ports;
    for (std::uint16_t p = 1; ports.size() + 1 < portCount; ++p) {
        if (p != net.port())
            ports.push_back(p);
    }
    ports.push_back(net.port());

    std::size_t sockets = 0;
    for (auto _ : state) {
        auto r = diag->dump(AF_INET, ports);
        if (!r) {
            state.SkipWithError(r.error().message().c_str());
            return;
        }
        sockets = r->size();
        benchmark::DoNotOptimize(r);
    }
    state.counters["sockets"] = static_cast<double>(sockets);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * sockets));
}
BENCHMARK(BM_SockDiagDump)->ArgNames({ "ports", "conns" })->ArgsProduct({ { 1, 4, 16 }, { 1, 50 } });

} // namespace

BENCHMARK_MAIN();
