// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "tcp/tcpstate.h"

namespace synack {

/// A place in a scenario file, 1-based.
struct SourcePos {
    int line = 0;
    int column = 0;
};

/// A problem found while reading or checking a scenario, with where it is.
struct Diagnostic {
    std::string file; ///< file name as given (or "<builtin>/NAME.synack")
    SourcePos pos;
    std::string message;

    /// "file:line:column: message" (the form compilers use, so editors can jump to it).
    std::string toString() const;
};

enum class SockOption {
    ReuseAddr, ///< on|off        SO_REUSEADDR
    Linger, ///< off|SECONDS      SO_LINGER (0 = abort with RST on close)
    KeepAlive, ///< on|off        SO_KEEPALIVE
    KeepIdle, ///< SECONDS        TCP_KEEPIDLE
    KeepIntvl, ///< SECONDS       TCP_KEEPINTVL
    KeepCnt, ///< COUNT           TCP_KEEPCNT
    SndBuf, ///< BYTES            SO_SNDBUF
    RcvBuf, ///< BYTES            SO_RCVBUF
    DeferAccept, ///< SECONDS     TCP_DEFER_ACCEPT
    NoDelay, ///< on|off          TCP_NODELAY
    NonBlock, ///< on|off         O_NONBLOCK as the application sees it
    UserTimeout, ///< DURATION    TCP_USER_TIMEOUT in ms (0 = off: the retransmission count decides)
    SynCnt, ///< COUNT            TCP_SYNCNT: SYN retransmissions before connect() gives up
};

/// "reuseaddr", "linger", "keepalive", "keepidle", "keepintvl", "keepcnt", "sndbuf", "rcvbuf",
/// "defer-accept", "nodelay", "nonblock", "user-timeout", "syncnt".
std::string_view optionName(SockOption option);
std::optional<SockOption> optionFromName(std::string_view name);

/// What an `expect` line measures.
enum class Quantity {
    State, ///< expect NAME STATE  /  expect NAME state STATE
    Errno, ///< errno of NAME's last finished call ("0" for success)
    Result, ///< return value of NAME's last finished call
    RecvQ, ///< bytes in the receive queue (SIOCINQ; sock_diag without a descriptor)
    SendQ, ///< bytes in the send queue not yet acknowledged (SIOCOUTQ)
    NotSent, ///< bytes in the send queue not yet sent (SIOCOUTQNSD)
    AcceptQ, ///< a listener's accept queue length
    SndBuf, ///< SO_SNDBUF as the kernel reports it
    RcvBuf, ///< SO_RCVBUF as the kernel reports it
    Timer, ///< timer kind: none|retransmit|keepalive|time-wait|probe|fin-wait2
    TimerMs, ///< milliseconds left on the timer
    SegsOut, ///< tcpi_segs_out
    SegsIn, ///< tcpi_segs_in
    Retrans, ///< tcpi_total_retrans
    Shutdown, ///< none|rd|wr|rdwr (from sock_diag)
    Blocked, ///< yes|no: a blocking call of NAME is still waiting
    PeerState, ///< the state of the kernel socket at the other end of NAME's connection (even one
               ///< not accepted yet, or closed by its application)
    GateHeld, ///< expect gate held [OP] N: segments waiting at the gate
    GateNext, ///< expect gate next FLAGS|none: the oldest held segment
};

std::string_view quantityName(Quantity q);
std::optional<Quantity> quantityFromName(std::string_view name);

enum class CompareOp { Eq, Ne, Lt, Le, Gt, Ge };
std::string_view compareOpText(CompareOp op); ///< "==", "!=", "<", "<=", ">", ">="

enum class ShutdownHow { Rd, Wr, RdWr };

enum class StepKind {
    Socket, ///< socket NAME [ipv6]
    Set, ///< set NAME OPTION [VALUE]
    Bind, ///< bind NAME [port=N|@OTHER] [addr=ADDR]
    Listen, ///< listen NAME [backlog=N] [port=N|@OTHER] [addr=ADDR]
    Connect, ///< connect NAME TARGET            (TARGET: an endpoint that has an address, or port=N)
    Accept, ///< accept LISTENER NEWNAME
    Send, ///< send NAME BYTES|fill
    Recv, ///< recv NAME BYTES|all|available
    Shutdown, ///< shutdown NAME rd|wr|rdwr
    Close, ///< close NAME
    Wait, ///< wait DURATION
    WaitState, ///< wait NAME STATE [within DURATION]
    Expect, ///< expect NAME ...
    Gate, ///< gate hold|pass|cut|mend|lose|deliver|drop|duplicate|wait ... (the gated lab's wire)
    Sysctl, ///< sysctl NAME VALUE...   (net.ipv4.NAME of the lab's private namespace)
};

std::string_view stepKindName(StepKind kind);

/// What a `gate` step does to the wire between the gated lab's two hosts.
enum class GateAction {
    Hold, ///< gate hold: every segment from now on waits at the gate
    Pass, ///< gate pass: segments pass freely again (those held stay held); lose rules end
    Cut, ///< gate cut: the wire is cut both ways, every segment is lost
    Mend, ///< gate mend: the wire works again
    Lose, ///< gate lose PATTERN: from now on every segment that matches is lost (until gate pass)
    Deliver, ///< gate deliver [all|newest] [PATTERN]: relay held segments now
    Drop, ///< gate drop [all|newest] [PATTERN]: throw held segments away
    Duplicate, ///< gate duplicate [newest] [PATTERN]: relay a copy of a held segment, which stays held
    Wait, ///< gate wait PATTERN [within DURATION]: until such a segment is held at the gate (a kernel timer sends it)
    Delay, ///< gate delay DURATION: every segment that passes from now on arrives this much later (0: at once)
};
std::string_view gateActionName(GateAction a); ///< "hold", "pass", ...

/// Which segments a gate step or `expect gate next` means: a direction, the endpoint that sent
/// them, and TCP flags. Empty fields match anything.
struct SegmentPattern {
    std::optional<bool> toServer; ///< client>server (true) or server>client (false)
    std::string from; ///< from=NAME: sent by this endpoint (its port, at the time of the step)
    std::uint8_t flagsSet = 0; ///< each of these TCP flags set (TcpFlag bits)
    std::uint8_t flagsClear = 0; ///< none of these set: SYN alone means not SYN+ACK
    bool data = false; ///< carries payload
    std::optional<std::uint32_t> seq; ///< seq=N: its sequence number, counted from its sender's SYN (as the ladder shows it)
    std::string text; ///< as written ("client>server FIN"), "" for any segment
    bool any() const { return !toServer && from.empty() && !flagsSet && !flagsClear && !data && !seq; }
};

/// One line of a scenario that does something. Fields not used by a kind keep their defaults.
struct Step {
    StepKind kind = StepKind::Wait;
    SourcePos pos; ///< where the step's keyword is
    std::string text; ///< the line as written, trimmed, without its comment

    std::string endpoint; ///< the endpoint the step acts on (the listener for accept)
    std::string other; ///< connect: target endpoint; accept: the new endpoint's name; bind/listen: port=@other

    // socket / bind / listen / connect
    /// The endpoint's address family, resolved over the whole scenario so that the step that creates a
    /// socket implicitly already knows it: AF_INET6 when the endpoint was declared `socket NAME ipv6`, used
    /// an IPv6 addr=, connected to / took its port from an IPv6 endpoint, or was accepted from an IPv6
    /// listener; else 0 (AF_INET). Set on socket, set, bind, listen, connect and accept (the listener's).
    int family = 0;
    std::optional<std::string> address; ///< addr=; must be loopback
    std::optional<int> port; ///< port=N (0 = ephemeral); connect port=N when no target endpoint.
                             ///< bind without port= gets 0; listen without port= leaves it unset
                             ///< (listen where the socket is: its bound port, or an ephemeral one)
    int backlog = 8; ///< listen backlog=
    std::string host; ///< socket host=client|server: the gated lab's host it lives on ("" : by its role)

    // set
    SockOption option = SockOption::ReuseAddr;
    std::int64_t value = 0; ///< on=1, off=0; linger off = -1

    // send / recv
    std::int64_t bytes = 0;
    bool fill = false; ///< send fill: send until the kernel refuses (never blocks)
    bool all = false; ///< recv all: read until end of stream (blocks)
    bool available = false; ///< recv available: read what is queued now (never blocks)

    ShutdownHow how = ShutdownHow::Wr;

    // wait / wait-state
    std::int64_t durationMs = 0; ///< wait: how long; wait-state: the bound (default 10 s)
    TcpState state = TcpState::Unknown; ///< wait-state target, expect state

    // sysctl
    std::string sysctl; ///< the short name, "tcp_fin_timeout" (one of sysctlNames())
    std::vector<std::int64_t> sysctlValues; ///< one value; ip_local_port_range: low and high

    // expect
    Quantity quantity = Quantity::State;
    CompareOp op = CompareOp::Eq;
    std::int64_t number = 0; ///< numeric expectations; errno value for Errno; TimerKind for Timer;
                             ///< shutdown mask (1 rd, 2 wr) for Shutdown; 1/0 for Blocked
    std::string valueText; ///< the expected value as written ("ECONNRESET", "TIME_WAIT", ">= 1000")

    // gate (and expect gate next: the pattern)
    GateAction gateAction = GateAction::Hold;
    SegmentPattern pattern;
    bool newest = false; ///< gate deliver|drop|duplicate newest: the latest held, not the oldest (reorders)
    // gate deliver|drop all: Step::all

    /// Narration by language ("en", "zh"), from `en:` / `zh:` lines after the step.
    std::map<std::string, std::string> narration;
};

/// What a scenario needs of the machine, from the steps it has: a `sysctl` changes a private
/// namespace only (the lab), the gate's steps need the wire between two private hosts.
enum class Needs {
    Any, ///< runs on host loopback too
    Lab, ///< a private network namespace: the lab or the gated lab
    Wire, ///< the gated lab
};
std::string_view needsName(Needs n); ///< "any", "lab", "wire"

/// A parsed scenario. Text keys (title, about, topic) are per language: "en", "zh".
struct Scenario {
    std::string name; ///< the file's base name without .synack (or the built-in's name)
    std::string file; ///< path or "<builtin>/NAME.synack", for messages
    std::map<std::string, std::string> title;
    std::map<std::string, std::string> about;
    std::map<std::string, std::string> topic;
    std::vector<Step> steps;
    Needs needs = Needs::Any; ///< the most any of its steps needs

    /// title/about/topic in `lang`, falling back to English.
    std::string text(const std::map<std::string, std::string>& field, std::string_view lang = "en") const;
};

/// Limits that keep a scenario harmless and its run bounded.
struct ScenarioLimits {
    static constexpr int kMaxEndpoints = 24;
    static constexpr int kMaxSteps = 500;
    static constexpr std::int64_t kMaxBytes = 64ll << 20; ///< one send or recv
    static constexpr std::int64_t kMaxWaitMs = 120'000; ///< one wait
    static constexpr std::int64_t kMaxTotalWaitMs = 300'000; ///< all waits of a scenario
    static constexpr std::int64_t kMaxBuf = 16ll << 20; ///< sndbuf / rcvbuf
    static constexpr std::int64_t kMaxSeconds = 3600; ///< linger / keepalive / defer-accept seconds
    static constexpr int kMaxBacklog = 4096;
    static constexpr std::int64_t kDefaultWaitStateMs = 10'000;
    static constexpr int kMaxKeepCnt = 127; ///< the kernel's MAX_TCP_KEEPCNT
    static constexpr int kMaxSynCnt = 127; ///< the kernel's MAX_TCP_SYNCNT
    static constexpr int kMaxErrors = 50; ///< diagnostics reported for one file
    static constexpr std::int64_t kMaxFileBytes = 1 << 20; ///< loadScenarioFile refuses bigger files
};

} // namespace synack
