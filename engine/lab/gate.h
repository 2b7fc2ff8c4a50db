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
    Lost, ///< thrown away on arrival by a lose() rule
    Copy, ///< a copy of a held packet, relayed by duplicate()
    Delayed, ///< relayed after the gate's delay (setDelay())
};
const char* fateName(Fate f);
/// A segment's fate on arrival as the trace writes it: "passed", "held", "cut", "lost", "copy",
/// "delayed"; "" for Delivered and Dropped (those come later, as gate events).
const char* fateWord(Fate f);

/// Picks packets: by direction, sending port, TCP flags and payload. Empty fields match anything.
struct GateMatch {
    std::optional<Direction> direction;
    std::optional<std::uint16_t> sourcePort; ///< the sender's port
    std::uint8_t flagsSet = 0; ///< every one of these flags set (kSyn, kFin, ...)
    std::uint8_t flagsClear = 0; ///< none of these set
    bool data = false; ///< carries payload
    bool noData = false; ///< carries none (a bare ACK)
    std::string text; ///< as the scenario wrote it, for messages ("" : any segment)
    bool matches(Direction d, const DecodedSegment* seg) const;
    /// "the next held segment", "the next held client > server SYN", for messages.
    std::string describe() const;
};

/// One packet that reached the gate, in the order they arrived (the wire's capture).
struct GatePacket {
    std::uint64_t id = 0; ///< 1, 2, ... in arrival order
    Direction direction = Direction::ToServer;
    CapturedPacket packet; ///< whole (a TUN packet is at most the MTU), with its arrival times
    Fate fate = Fate::Passed; ///< what the gate did with it on arrival (Passed, Held, Cut, Lost, Copy, Delayed)
    std::uint64_t copyOf = 0; ///< Copy: the held packet it copies
    std::int64_t dueMonoNs = 0; ///< Delayed: when it is relayed (CLOCK_MONOTONIC)
};

/// Which held packet an action takes, and from how many.
struct GatePick {
    GateMatch match;
    bool newest = false; ///< the latest matching, not the oldest (to reorder)
    std::uint64_t upTo = 0; ///< only packets with ids up to this (those the run has seen); 0: any
    std::uint64_t id = 0; ///< only this packet (the one the user clicked); 0: any
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
    bool isCut() const;
    /// From now on every packet that `match` picks is lost on arrival (before hold applies).
    void lose(GateMatch match);
    /// Ends every lose() rule.
    void clearRules();
    /// From now on every packet that passes is relayed this much later (0: at once), as over a
    /// long wire. Held packets are not delayed again when delivered.
    void setDelay(std::int64_t ms);
    /// The packets that were on their way (delayed) when the wire was cut, and so were lost with
    /// it, since the last call.
    std::vector<std::uint64_t> takeLostInFlight();

    /// The held packets, oldest first.
    std::vector<GatePacket> held() const;
    /// Relays the oldest held packet that `pick` picks, now; its id. An error (not a wait) when
    /// none is held.
    Result<std::uint64_t> deliver(const GatePick& pick = {});
    /// Throws away the oldest held packet that `pick` picks; its id.
    Result<std::uint64_t> drop(const GatePick& pick = {});
    /// Relays a copy of the oldest held packet that `pick` picks, and keeps it held; the held
    /// packet's id. The copy arrives in drain() as a packet of its own (Fate::Copy).
    Result<std::uint64_t> duplicate(const GatePick& pick = {});

    /// Every packet that reached the gate since the last call, in order, with what the gate did
    /// with it on arrival (a held packet's later fate is the deliver() or drop() that took it).
    std::vector<GatePacket> drain();
    /// What became of each packet, by id, changed since the last call: (id, fate).
    std::vector<std::pair<std::uint64_t, Fate>> fates();

    /// Whether a packet is on its way: sent by a kernel and not yet read from its device, or read
    /// and not yet relayed. (A held packet is not: it waits on purpose.) On loopback a segment
    /// arrives within the call that sent it; here the gate's thread must run first, so a run
    /// must not take a busy wire for a quiet kernel.
    bool inTransit() const;

    /// The relay failed (a TUN read or write): the wire is down; why.
    std::optional<Error> failure() const;

private:
    Gate() = default;
    void run();
    void readFrom(int fd, Direction d);
    int writeTo(Direction d, const std::vector<std::uint8_t>& bytes);
    Result<std::uint64_t> take(const GatePick& pick, Fate fate);
    std::vector<GateMatch> m_rules; ///< lose(): packets lost on arrival
    std::int64_t m_delayNs = 0;
    /// Packets waiting out the delay: when each is due (CLOCK_MONOTONIC), its direction and bytes.
    struct Delayed {
        std::int64_t dueNs;
        Direction direction;
        std::uint64_t id;
        std::vector<std::uint8_t> bytes;
    };
    std::vector<Delayed> m_delayed; ///< in arrival order; due times never decrease
    std::vector<std::uint64_t> m_lostInFlight; ///< delayed packets lost when the wire was cut
    void relayDue();

    Fd m_client, m_server;
    Fd m_wake; ///< an eventfd: ends the thread
    std::thread m_thread;
    mutable std::mutex m_mutex;
    std::atomic<bool> m_busy { false }; ///< the thread is reading or relaying
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
