// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>
#include <cstdint>
#include <mutex>
#include <optional>
#include <sys/types.h>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/fd.h"
#include "base/result.h"
#include "trace/trace.h"

namespace synack {

/// What the machine allows, as `synack doctor` and the window show it.
struct TierReport {
    int tier = 0; ///< 0 host loopback, 1 lab
    std::string name = "host-loopback"; ///< "host-loopback" or "lab" (the trace's `tier` field)
    std::string why; ///< one sentence: why this tier and, for tier 0, why not the lab
    std::string namespaces; ///< tier 1: "user+net" (unshare(CLONE_NEWUSER|CLONE_NEWNET)) or "net" (root, CLONE_NEWNET)
    bool forced = false; ///< SYNACK_TIER=0 chose tier 0
    /// What decided it: the kernel settings that restrict user namespaces, who we run as,
    /// SYNACK_TIER, and the errno of each unshare attempt. Pairs of (name, value).
    std::vector<std::pair<std::string, std::string>> facts;
};


/// Tier 1: a private network namespace with its own `lo`, so a run sees only its own sockets,
/// leaves nothing behind on the host (its TIME_WAIT sockets die with the namespace) and may open
/// a packet socket on `lo`.
///
/// A process that already has threads cannot unshare(CLONE_NEWUSER) (EINVAL), and a Qt process
/// has threads. So a helper process is forked (early, by prepare(), while the program is still
/// single-threaded): it makes a user namespace (or, as root where that is refused, only a network
/// namespace) and then, for every Lab, forks one session process that unshares a fresh network
/// namespace, brings its `lo` up and creates sockets there on request, handing each descriptor
/// back over a SOCK_SEQPACKET UNIX socket with SCM_RIGHTS. A socket keeps the namespace it was
/// created in, so the main process then binds, connects, probes and reads them as usual.
///
/// The helper and the sessions never allocate or use stdio: they are copies of a process that
/// may have had other threads (when prepare() was not called early), where only raw system calls
/// are safe after fork(). Each exits when its socket pair closes (and on its parent's death).
class Lab {
public:
    /// Forks the helper now, before the program starts threads. Call at the top of main().
    /// Does nothing when SYNACK_TIER=0. Never fails: a helper that cannot make its namespace
    /// reports why when a Lab is started.
    static void prepare();

    /// A fresh lab: its own network namespace with `lo` up. Forks the helper first if prepare()
    /// was not called (safe from a single-threaded test process; see the class comment).
    static Result<Lab> start();

    /// Which tier this machine offers and why, honouring SYNACK_TIER=0. Starts (and drops) a Lab
    /// with a packet socket to find out, so the answer is what a run would get.
    static TierReport probe();

    /// SYNACK_TIER: 0 forces host loopback, 1 requires the lab, anything else (or unset) is Auto.
    static Tier tierFromEnvironment();

    Lab(Lab&&) noexcept = default;
    Lab& operator=(Lab&&) noexcept = default;
    ~Lab();

    /// socket(family, type, protocol) inside the lab's namespace (SOCK_CLOEXEC is added).
    Result<Fd> socket(int family, int type, int protocol);
    /// An AF_PACKET SOCK_DGRAM socket for every protocol (ETH_P_ALL), bound to the lab's `lo`.
    Result<Fd> packetSocketOnLo();
    /// A TUN device "wire0" inside the lab's namespace, point-to-point from `local` to `peer`
    /// (IPv4, network byte order), MTU 1500, up; IPv6 is off in the namespace. Each read of the
    /// (non-blocking) descriptor is one IP packet the namespace sent towards `peer`; each write
    /// is one packet it receives. See TwoHosts.
    Result<Fd> tunDevice(std::uint32_t local, std::uint32_t peer);
    /// Writes `value` to net.ipv4.`name` of the lab's namespace (/proc/sys/net/ipv4/NAME, opened by the
    /// session: /proc/sys/net is the opener's namespace's). Only the settings a `sysctl` step may change
    /// are taken (the session checks the name against its own list: never a path); `value` is digits
    /// and spaces. The error carries the write's errno.
    Result<void> sysctl(std::string_view name, std::string_view value);
    /// The text of net.ipv4.`name` in the lab's namespace, without its line end ("32768\t60999" for
    /// ip_local_port_range). The same names as sysctl().
    Result<std::string> readSysctl(std::string_view name);
    /// "user+net" or "net".
    const std::string& namespaces() const { return m_namespaces; }

    /// Whether the lab's processes have gone: the session that makes its sockets, or the helper
    /// whose death takes the session with it (PR_SET_PDEATHSIG). Either closes the session's
    /// channel, which a poll() sees at once, so this is cheap enough to ask between any two
    /// readings. Returns what happened, e.g. "the lab helper exited (signal 9: Killed)"; the
    /// sockets already made still work (they keep their namespace), but no new one can be made.
    std::optional<Error> lost();

private:
    Lab() = default;
    Result<Fd> dropOnTimeout(Result<Fd> answer);
    Result<std::string> sysctlRequest(int op, std::string_view name, std::string_view value, const std::string& what);

    Fd m_channel; ///< to the session process
    pid_t m_sessionPid = -1; ///< from SO_PEERCRED, for messages
    pid_t m_helperPid = -1; ///< the helper that forked the session: when it has gone, so has the lab
    std::optional<Error> m_lost; ///< once lost, why (asked again, the same answer)
    std::string m_namespaces;
    std::unique_ptr<std::mutex> m_mutex = std::make_unique<std::mutex>(); ///< one request at a time
};

} // namespace synack
