// SPDX-License-Identifier: GPL-3.0-or-later
#include "lab/gate.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <poll.h>
#include <sys/eventfd.h>
#include <system_error>
#include <unistd.h>
#include <utility>

namespace synack {

namespace {

    std::int64_t clockNs(clockid_t clock)
    {
        timespec ts {};
        ::clock_gettime(clock, &ts);
        return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
    }

    /// A TUN packet is at most the MTU (1500); this leaves room for a device set larger.
    constexpr std::size_t kMaxPacket = 65536;

    std::string flagWords(std::uint8_t flags) { return flags ? tcpFlagsText(flags) : std::string(); }

} // namespace

const char* directionName(Direction d) { return d == Direction::ToServer ? "client > server" : "server > client"; }

const char* fateName(Fate f)
{
    switch (f) {
    case Fate::Passed:
        return "passed";
    case Fate::Held:
        return "held";
    case Fate::Delivered:
        return "delivered";
    case Fate::Dropped:
        return "dropped";
    case Fate::Cut:
        return "lost on the cut wire";
    }
    return "?";
}

bool GateMatch::matches(Direction d, const DecodedSegment* seg) const
{
    if (direction && *direction != d)
        return false;
    if (!flagsSet && !flagsClear)
        return true;
    if (!seg) // not TCP: only a match without flags picks it
        return false;
    return (seg->flags & flagsSet) == flagsSet && (seg->flags & flagsClear) == 0;
}

std::string GateMatch::describe() const
{
    std::string out = "the next held";
    if (direction)
        out += std::string(" ") + directionName(*direction);
    if (flagsSet)
        out += " " + flagWords(flagsSet);
    out += " segment";
    if (flagsClear)
        out += " without " + flagWords(flagsClear);
    return out;
}

Result<std::unique_ptr<Gate>> Gate::open(Fd clientTun, Fd serverTun)
{
    std::unique_ptr<Gate> g(new Gate);
    g->m_client = std::move(clientTun);
    g->m_server = std::move(serverTun);
    g->m_wake = Fd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
    if (!g->m_wake)
        return errnoError("eventfd (the gate)", errno);
    g->m_realMinusMono = clockNs(CLOCK_REALTIME) - clockNs(CLOCK_MONOTONIC);
    try {
        g->m_thread = std::thread([gate = g.get()] { gate->run(); });
    } catch (const std::system_error& e) {
        return Error { "the gate's thread", e.code().value(), "cannot start" };
    }
    return g;
}

Gate::~Gate()
{
    if (m_thread.joinable()) {
        const std::uint64_t one = 1;
        [[maybe_unused]] const ssize_t n = ::write(m_wake.get(), &one, sizeof one);
        m_thread.join();
    }
}

void Gate::run()
{
    pollfd fds[3] = { { m_client.get(), POLLIN, 0 }, { m_server.get(), POLLIN, 0 }, { m_wake.get(), POLLIN, 0 } };
    for (;;) {
        const int rc = ::poll(fds, 3, -1);
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc < 0) {
            std::lock_guard lock(m_mutex);
            m_failure = errnoError("poll (the gate)", errno);
            return;
        }
        if (fds[2].revents)
            return;
        if (fds[0].revents & (POLLERR | POLLHUP | POLLNVAL) || fds[1].revents & (POLLERR | POLLHUP | POLLNVAL)) {
            std::lock_guard lock(m_mutex);
            m_failure = Error { "the gate", EIO, "a TUN device of the wire failed" };
            return;
        }
        if (fds[0].revents & POLLIN)
            readFrom(m_client.get(), Direction::ToServer);
        if (fds[1].revents & POLLIN)
            readFrom(m_server.get(), Direction::ToClient);
    }
}

void Gate::readFrom(int fd, Direction d)
{
    // Everything the device has, now: nothing may wait in its queue (see the class comment).
    std::vector<std::uint8_t> buf(kMaxPacket);
    for (;;) {
        const ssize_t n = ::read(fd, buf.data(), buf.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return;
        std::lock_guard lock(m_mutex);
        if (n <= 0) {
            m_failure = errnoError(std::string("read from the TUN device (") + directionName(d) + ")", n < 0 ? errno : EIO);
            return;
        }
        GatePacket p;
        p.id = m_next++;
        p.direction = d;
        p.packet.monoNs = clockNs(CLOCK_MONOTONIC);
        p.packet.realNs = p.packet.monoNs + m_realMinusMono;
        p.packet.length = static_cast<std::uint32_t>(n);
        p.packet.bytes.assign(buf.begin(), buf.begin() + n);
        m_arrived.push_back(p);
        if (m_cut) {
            m_fates.emplace_back(p.id, Fate::Cut);
        } else if (m_holding) {
            m_fates.emplace_back(p.id, Fate::Held);
            m_held.push_back(std::move(p));
        } else {
            m_fates.emplace_back(p.id, Fate::Passed);
            if (const int err = writeTo(d, p.packet.bytes))
                m_failure = errnoError(std::string("write to the TUN device (") + directionName(d) + ")", err);
        }
    }
}

int Gate::writeTo(Direction d, const std::vector<std::uint8_t>& bytes)
{
    const int fd = d == Direction::ToServer ? m_server.get() : m_client.get();
    for (;;) {
        const ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n == static_cast<ssize_t>(bytes.size()))
            return 0;
        if (n < 0 && errno == EINTR)
            continue;
        return n < 0 ? errno : EIO;
    }
}

void Gate::hold(bool on)
{
    std::lock_guard lock(m_mutex);
    m_holding = on;
}

bool Gate::holding() const
{
    std::lock_guard lock(m_mutex);
    return m_holding;
}

void Gate::cut(bool on)
{
    std::lock_guard lock(m_mutex);
    m_cut = on;
}

std::vector<GatePacket> Gate::held() const
{
    std::lock_guard lock(m_mutex);
    return m_held;
}

Result<std::uint64_t> Gate::take(const GateMatch& match, Fate fate, bool keep)
{
    std::lock_guard lock(m_mutex);
    if (m_failure)
        return *m_failure;
    for (auto it = m_held.begin(); it != m_held.end(); ++it) {
        const auto seg = decodeSegment(it->packet);
        if (!match.matches(it->direction, seg ? &*seg : nullptr))
            continue;
        const std::uint64_t id = it->id;
        if (fate != Fate::Dropped) {
            if (const int err = writeTo(it->direction, it->packet.bytes)) {
                m_failure = errnoError(std::string("write to the TUN device (") + directionName(it->direction) + ")", err);
                return *m_failure;
            }
        }
        if (!keep) {
            m_fates.emplace_back(id, fate);
            m_held.erase(it);
        }
        return id;
    }
    return Error { {}, 0,
        m_held.empty() ? std::string("nothing is held at the gate")
                       : match.describe() + " is not among the " + std::to_string(m_held.size()) + " held" };
}

Result<std::uint64_t> Gate::deliver(const GateMatch& match) { return take(match, Fate::Delivered, false); }
Result<std::uint64_t> Gate::drop(const GateMatch& match) { return take(match, Fate::Dropped, false); }
Result<std::uint64_t> Gate::duplicate(const GateMatch& match) { return take(match, Fate::Delivered, true); }

std::vector<GatePacket> Gate::drain()
{
    std::lock_guard lock(m_mutex);
    return std::exchange(m_arrived, {});
}

std::vector<std::pair<std::uint64_t, Fate>> Gate::fates()
{
    std::lock_guard lock(m_mutex);
    return std::exchange(m_fates, {});
}

std::optional<Error> Gate::failure() const
{
    std::lock_guard lock(m_mutex);
    return m_failure;
}

Result<TwoHosts> TwoHosts::start()
{
    auto client = Lab::start();
    if (!client)
        return client.error();
    auto server = Lab::start();
    if (!server)
        return server.error();
    in_addr c {}, s {};
    ::inet_pton(AF_INET, kClientAddress, &c);
    ::inet_pton(AF_INET, kServerAddress, &s);
    auto clientTun = client->tunDevice(c.s_addr, s.s_addr);
    if (!clientTun)
        return clientTun.error();
    auto serverTun = server->tunDevice(s.s_addr, c.s_addr);
    if (!serverTun)
        return serverTun.error();
    auto gate = Gate::open(std::move(*clientTun), std::move(*serverTun));
    if (!gate)
        return gate.error();
    return TwoHosts { std::move(*client), std::move(*server), std::move(*gate) };
}

std::pair<bool, std::string> TwoHosts::probe()
{
    if (::access("/dev/net/tun", F_OK) != 0)
        return { false, "there is no /dev/net/tun (the tun module is not loaded, or a container hides it)" };
    auto hosts = start();
    if (!hosts)
        return { false, hosts.error().message() };
    return { true,
        std::string("two private hosts (") + kClientAddress + " and " + kServerAddress
            + ") joined by TUN devices through SynAck's gate" };
}

} // namespace synack
