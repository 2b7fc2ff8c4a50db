// SPDX-License-Identifier: GPL-3.0-or-later
// The wire between two private hosts, and SynAck's gate on it.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "base/fd.h"
#include "base/result.h"
#include "lab/capture.h"
#include "lab/lab.h"

namespace synack {

/// Which way a packet crosses the wire.
enum class Direction { ToServer, ToClient };
const char* directionName(Direction d); ///< "client > server" or "server > client"

/// What became of a packet at the gate.
enum class Fate {
    Passed, ///< relayed at once (the gate was open)
    Held, ///< waiting at the gate (for deliver() or drop())
    Delivered, ///< held, then relayed by deliver()
    Dropped, ///< held, then thrown away by drop()
    Cut, ///< arrived while the wire was cut: lost, as on a dead link
};
const char* fateName(Fate f);

/// Picks held packets: by direction and TCP flags. Empty fields match anything.
struct GateMatch {
    std::optional<Direction> direction;
    std::uint8_t flagsSet = 0; ///< every one of these flags set (kSyn, kFin, ...)
    std::uint8_t flagsClear = 0; ///< none of these set
    bool matches(Direction d, const DecodedSegment* seg) const;
    /// "the next held segment", "the next held client > server SYN", for messages.
    std::string describe() const;
};

/// One packet that reached the gate, in the order they arrived (the wire's capture).
struct GatePacket {
    std::uint64_t id = 0; ///< 1, 2, ... in arrival order
    Direction direction = Direction::ToServer;
    CapturedPacket packet; ///< whole (a TUN packet is at most the MTU), with its arrival times
};

/// The gate between a client host's TUN device and a server host's: a thread reads every packet
/// the moment either kernel sends it (a packet left in the device's queue would make the kernel
/// skip retransmissions: skb_still_in_host_queue), records it, and then relays it, holds it,
/// or, when the wire is cut, loses it. Held packets wait in memory until deliver() or drop().
/// Nothing is ever sent anywhere but to the other TUN device.
class Gate {
public:
    /// Starts relaying between the two devices (Lab::tunDevice(), non-blocking descriptors).
    static Result<std::unique_ptr<Gate>> open(Fd clientTun, Fd serverTun);
    ~Gate();
    Gate(const Gate&) = delete;
    Gate& operator=(const Gate&) = delete;

    /// From now on every packet is held (true), or relayed at once (false; those held stay held).
    void hold(bool on);
    bool holding() const;
    /// Cuts the wire both ways (every packet is lost, none held) or mends it.
    void cut(bool on);

    /// The held packets, oldest first.
    std::vector<GatePacket> held() const;
    /// Relays the oldest held packet that `match` picks, now; its id. An error (not a wait) when
    /// none is held.
    Result<std::uint64_t> deliver(const GateMatch& match = {});
    /// Throws away the oldest held packet that `match` picks; its id.
    Result<std::uint64_t> drop(const GateMatch& match = {});
    /// Relays a copy of the oldest held packet that `match` picks, and keeps it held; its id.
    Result<std::uint64_t> duplicate(const GateMatch& match = {});

    /// Every packet that reached the gate since the last call, in order, with what became of it
    /// by now (a packet still held says Held; its later fate comes in fates()).
    std::vector<GatePacket> drain();
    /// What became of each packet, by id, changed since the last call: (id, fate).
    std::vector<std::pair<std::uint64_t, Fate>> fates();

    /// The relay failed (a TUN read or write): the wire is down; why.
    std::optional<Error> failure() const;

private:
    Gate() = default;
    void run();
    void readFrom(int fd, Direction d);
    int writeTo(Direction d, const std::vector<std::uint8_t>& bytes);
    Result<std::uint64_t> take(const GateMatch& match, Fate fate, bool keep);

    Fd m_client, m_server;
    Fd m_wake; ///< an eventfd: ends the thread
    std::thread m_thread;
    mutable std::mutex m_mutex;
    bool m_holding = false;
    bool m_cut = false;
    std::uint64_t m_next = 1;
    std::vector<GatePacket> m_held;
    std::vector<GatePacket> m_arrived; ///< not drained yet
    std::vector<std::pair<std::uint64_t, Fate>> m_fates; ///< not taken yet
    std::optional<Error> m_failure;
    std::int64_t m_realMinusMono = 0;
};

/// The gated lab: two private hosts, each its own network namespace with one TUN device, joined
/// only through a Gate. The client host is 192.0.2.1 and the server host 192.0.2.2 (the
/// documentation range of RFC 5737: nothing outside the run's own namespaces is addressed).
struct TwoHosts {
    static constexpr const char* kClientAddress = "192.0.2.1";
    static constexpr const char* kServerAddress = "192.0.2.2";

    Lab client;
    Lab server;
    std::unique_ptr<Gate> gate;

    static Result<TwoHosts> start();
    /// Whether this machine can make the gated lab, and why not (as `synack doctor` says it).
    static std::pair<bool, std::string> probe();
};

} // namespace synack
