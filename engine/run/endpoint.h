// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <vector>

#include "base/fd.h"
#include "kernel/probe.h"
#include "scenario/scenario.h"
#include "tcp/sockaddr.h"
#include "trace/trace.h"

namespace synack {

/// A close() that blocks for SO_LINGER seconds runs on a thread of its own, owned by the call
/// that started it and joined when that call is over or the run ends (see Calls::interrupt).
struct LingerClose {
    std::thread thread;
    std::atomic<bool> done { false };
    int err = 0;
    ~LingerClose();
};

/// A call the application is blocked in.
struct Pending {
    StepKind kind = StepKind::Send;
    int line = 0;
    std::string text;
    std::string call;
    std::string args;
    std::map<std::string, std::string> narration;
    std::int64_t want = 0; ///< send/recv: bytes the call wants in all
    std::int64_t done = 0; ///< ...and has moved so far
    bool untilEof = false; ///< recv all
    std::string acceptName; ///< accept: the new endpoint's name
    std::unique_ptr<LingerClose> closer;
    std::vector<CallRecord> calls; ///< made since the step event last reported them
};

/// One socket of the run, by the scenario's name for it: what the run did to it, and what was
/// last reported about it.
struct Endpoint {
    std::string name;
    Role role = Role::Socket;
    Fd fd;
    int family = AF_INET;
    bool appClosed = false; ///< the application called close()
    int closedLine = 0;
    bool nonblock = false; ///< how the application behaves, not the OS flag (always non-blocking)
    int lingerSec = -1; ///< -1 = SO_LINGER off
    bool gracefulClose = true; ///< close() sent FIN, not RST (no unread data, no linger 0)
    SockAddr local;
    SockAddr peer;
    std::uint64_t cookie = 0;
    std::string peerOf; ///< Peer: the client endpoint whose connection this is
    std::int64_t lastBytesSent = -1;
    bool adopted = false; ///< accept() gave a name to a socket shown before as "<client>/peer"
    bool synSentShown = false; ///< a change to SYN_SENT was reported (read or inferred)
    /// When the kernel stopped reporting a socket that has no descriptor: the step (index, -1
    /// while it is there), that step's line, and the state it was last seen in.
    int goneStep = -1;
    int goneLine = 0;
    std::optional<TcpState> goneFrom;

    Sample last; ///< the newest reading
    std::optional<TcpState> lastState; ///< the last state reported, none before the first
    BuffersEvent lastBuffers;
    TimerEvent lastTimer;
    std::int64_t lastTimerAtNs = 0;

    bool hasLastCall = false;
    std::int64_t lastResult = 0;
    int lastErr = 0;
    std::unique_ptr<Pending> pending;

    /// Closed by its application, kept by the kernel alone.
    bool orphan() const { return appClosed && !fd; }
    /// Its own close() aborted the connection with RST (SO_LINGER 0 or unread data: tcp_close()'s rule).
    bool abortedAtClose() const { return appClosed && !gracefulClose; }
    /// A passive opening: its connection was made by a listener.
    bool passive() const { return role == Role::Peer || role == Role::Accepted; }
};

} // namespace synack
