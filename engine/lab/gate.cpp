// SPDX-License-Identifier: GPL-3.0-or-later
#include "lab/gate.h"

#include <algorithm>
#include <arpa/inet.h>
#include <iterator>
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
    case Fate::Lost:
        return "lost at the gate";
    case Fate::Copy:
        return "a copy";
    case Fate::Delayed:
        return "delayed";
    }
    return "?";
}

const char* fateWord(Fate f)
{
    switch (f) {
    case Fate::Passed:
        return "passed";
    case Fate::Held:
        return "held";
    case Fate::Cut:
        return "cut";
    case Fate::Lost:
        return "lost";
    case Fate::Copy:
        return "copy";
    case Fate::Delayed:
        return "delayed";
    case Fate::Delivered:
    case Fate::Dropped:
        break;
    }
    return "";
}

bool GateMatch::matches(Direction d, const DecodedSegment* seg) const
{
    if (direction && *direction != d)
        return false;
    if (!flagsSet && !flagsClear && !sourcePort && !data && !noData)
        return true;
    if (!seg) // not TCP: only a match without flags or port picks it
        return false;
    if (sourcePort && seg->src.port != *sourcePort)
        return false;
    if ((data && seg->payload == 0) || (noData && seg->payload > 0))
        return false;
    return (seg->flags & flagsSet) == flagsSet && (seg->flags & flagsClear) == 0;
}

std::string GateMatch::describe() const
{
    if (!text.empty())
        return "the next held segment matching '" + text + "'";
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
        int timeout = -1;
        {
            std::lock_guard lock(m_mutex);
            if (m_failure)
                return; // the wire is down: nothing more is read or relayed
            if (!m_delayed.empty()) {
                // The queue is in arrival order and never reorders: its front is due first.
                const std::int64_t due = m_delayed.front().dueNs;
                timeout = static_cast<int>(std::clamp<std::int64_t>((due - clockNs(CLOCK_MONOTONIC) + 999'999) / 1'000'000, 0, 60'000));
            }
        }
        const int rc = ::poll(fds, 3, timeout);
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
        m_busy.store(true);
        if (fds[0].revents & POLLIN)
            readFrom(m_client.get(), Direction::ToServer);
        if (fds[1].revents & POLLIN)
            readFrom(m_server.get(), Direction::ToClient);
        relayDue();
        m_busy.store(false);
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
        const auto seg = decodeSegment(p.packet);
        const bool lost = std::any_of(
            m_rules.begin(), m_rules.end(), [&](const GateMatch& m) { return m.matches(d, seg ? &*seg : nullptr); });
        // A packet behind others still on their way (the delay was shortened or ended) waits
        // for them: a wire does not reorder.
        const bool delayed = m_delayNs > 0 || !m_delayed.empty();
        p.fate = m_cut ? Fate::Cut
            : lost     ? Fate::Lost
            : m_holding ? Fate::Held
            : delayed  ? Fate::Delayed
                       : Fate::Passed;
        if (p.fate == Fate::Delayed) {
            const std::int64_t behind = m_delayed.empty() ? 0 : m_delayed.back().dueNs;
            p.dueMonoNs = std::max(p.packet.monoNs + m_delayNs, behind);
        }
        m_arrived.push_back(p);
        if (m_cut || lost) {
            m_fates.emplace_back(p.id, p.fate);
        } else if (m_holding) {
            m_fates.emplace_back(p.id, Fate::Held);
            m_held.push_back(std::move(p));
        } else if (delayed) {
            m_fates.emplace_back(p.id, Fate::Delayed);
            m_delayed.push_back(Delayed { p.dueMonoNs, d, p.id, p.packet.bytes });
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

void Gate::relayDue()
{
    std::lock_guard lock(m_mutex);
    const std::int64_t now = clockNs(CLOCK_MONOTONIC);
    // In the order they arrived (their due times never decrease): a delay does not reorder.
    std::size_t done = 0;
    for (; done < m_delayed.size() && m_delayed[done].dueNs <= now && !m_failure; ++done) {
        if (const int err = writeTo(m_delayed[done].direction, m_delayed[done].bytes))
            m_failure = errnoError(
                std::string("write to the TUN device (") + directionName(m_delayed[done].direction) + ")", err);
    }
    m_delayed.erase(m_delayed.begin(), m_delayed.begin() + static_cast<std::ptrdiff_t>(done));
    if (m_failure)
        m_delayed.clear();
}

void Gate::setDelay(std::int64_t ms)
{
    // What is on its way keeps its time; what comes next waits for it (see readFrom).
    std::lock_guard lock(m_mutex);
    m_delayNs = std::max<std::int64_t>(ms, 0) * 1'000'000;
}

std::vector<std::uint64_t> Gate::takeLostInFlight()
{
    std::lock_guard lock(m_mutex);
    return std::exchange(m_lostInFlight, {});
}

bool Gate::inTransit() const
{
    // In the order a packet moves: the device's queue, the thread reading it, the delay queue;
    // so a packet between two of them is never missed.
    pollfd fds[2] = { { m_client.get(), POLLIN, 0 }, { m_server.get(), POLLIN, 0 } };
    if (::poll(fds, 2, 0) > 0 && ((fds[0].revents | fds[1].revents) & POLLIN))
        return true;
    if (m_busy.load())
        return true;
    std::lock_guard lock(m_mutex);
    return !m_delayed.empty(); // on its way, only slower
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
    if (!on)
        return;
    // What was on its way (delayed) is lost with the wire.
    for (const Delayed& d : m_delayed)
        m_lostInFlight.push_back(d.id);
    m_delayed.clear();
}

bool Gate::isCut() const
{
    std::lock_guard lock(m_mutex);
    return m_cut;
}

void Gate::lose(GateMatch match)
{
    std::lock_guard lock(m_mutex);
    m_rules.push_back(std::move(match));
}

void Gate::clearRules()
{
    std::lock_guard lock(m_mutex);
    m_rules.clear();
}

std::vector<GatePacket> Gate::held() const
{
    std::lock_guard lock(m_mutex);
    return m_held;
}

Result<std::uint64_t> Gate::take(const GatePick& pick, Fate fate)
{
    std::lock_guard lock(m_mutex);
    if (m_failure)
        return *m_failure;
    auto picks = [&](const GatePacket& p) {
        const auto seg = decodeSegment(p.packet);
        return (pick.upTo == 0 || p.id <= pick.upTo) && (pick.id == 0 || p.id == pick.id) && pick.match.matches(p.direction, seg ? &*seg : nullptr);
    };
    auto it = m_held.end();
    if (pick.newest) {
        const auto r = std::find_if(m_held.rbegin(), m_held.rend(), picks);
        if (r != m_held.rend())
            it = std::prev(r.base());
    } else {
        it = std::find_if(m_held.begin(), m_held.end(), picks);
    }
    if (it == m_held.end()) {
        if (pick.id != 0)
            return Error { {}, 0, "segment #" + std::to_string(pick.id) + " is not held at the gate (any more)" };
        return Error { {}, 0,
            m_held.empty() ? std::string("nothing is held at the gate")
                           : pick.match.describe() + " is not among the " + std::to_string(m_held.size()) + " held" };
    }
    const std::uint64_t id = it->id;
    if (fate != Fate::Dropped && m_cut)
        return Error { {}, 0, "the wire is cut: nothing crosses it until it is mended (gate mend)" };
    if (fate != Fate::Dropped) {
        if (const int err = writeTo(it->direction, it->packet.bytes)) {
            m_failure = errnoError(std::string("write to the TUN device (") + directionName(it->direction) + ")", err);
            return *m_failure;
        }
    }
    if (fate == Fate::Copy) {
        // The copy is a packet on the wire of its own: the receiver gets it, the pcap has it.
        GatePacket copy;
        copy.id = m_next++;
        copy.direction = it->direction;
        copy.packet = it->packet;
        copy.packet.monoNs = clockNs(CLOCK_MONOTONIC);
        copy.packet.realNs = copy.packet.monoNs + m_realMinusMono;
        copy.fate = Fate::Copy;
        copy.copyOf = id;
        m_fates.emplace_back(copy.id, Fate::Copy);
        m_arrived.push_back(std::move(copy));
        return id;
    }
    m_fates.emplace_back(id, fate);
    m_held.erase(it);
    return id;
}

Result<std::uint64_t> Gate::deliver(const GatePick& pick) { return take(pick, Fate::Delivered); }
Result<std::uint64_t> Gate::drop(const GatePick& pick) { return take(pick, Fate::Dropped); }
Result<std::uint64_t> Gate::duplicate(const GatePick& pick) { return take(pick, Fate::Copy); }

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
    if (Lab::tierFromEnvironment() == Tier::HostLoopback)
        return { false, "SYNACK_TIER=0 asks for host loopback: no lab, and so no wire" };
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
