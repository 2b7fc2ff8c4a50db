// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "lab/gate.h"
#include "lab/lab.h"
#include "run/endpoints.h"
#include "scenario/scenario.h"

namespace synack {

/// Makes the system calls a step asks for, as the scenario's applications would, and keeps the
/// calls an application is blocked in going until the kernel lets them finish.
///
/// Sockets are always non-blocking at the OS level; an application that blocks is emulated: its
/// call is shown as blocked and finished later, so the run (and the window) never freezes and
/// other endpoints can go on meanwhile.
class Calls {
public:
    /// `lab` makes the sockets in the lab's namespace (null on host loopback). `onSocket` is told
    /// of each socket as soon as it is made, so its first state is read before a call moves it on.
    Calls(EndpointTable& table, Lab* lab, std::function<void(Endpoint&)> onSocket);

    /// What a step's call did.
    struct Outcome {
        StepEvent event;
        /// The result came from the wire before the call returned (a connect answered at once):
        /// what decided it must be reported before the call.
        bool resultFromWire = false;
    };

    /// Runs a step on its endpoint, which exists (or may be created by this step), is not
    /// closed, and is not blocked in another call. Fails when the step cannot be carried out
    /// (the run stops, naming it): an address that is not loopback, a port to reuse that there
    /// is not. A call the kernel refused is a result, not a failure.
    Result<Outcome> run(const Step& st, Endpoint& ep);

    /// A blocked call that has now returned, on `ep`.
    struct Finished {
        Endpoint* ep = nullptr;
        StepEvent event; ///< phase Completed
    };
    /// Moves every blocked call forward, in the table's order, handing each that finishes to
    /// `finished` at once (before the next call moves: its report must not see what the next
    /// call did). Returns how many finished.
    int progress(const std::function<void(Finished)>& finished);

    /// The environment ran short during a call (see resourceShortage(): EMFILE, ENFILE, ENOBUFS,
    /// ENOMEM): which call, its errno and the limit. The call's result is in its event as the
    /// kernel gave it; the run must stop after it. Taken once.
    std::optional<Error> takeShortage() { return std::exchange(m_shortage, std::nullopt); }

    /// On host loopback, lets `connect NAME port=N` reach a port no endpoint of the run holds
    /// or held: another program's (see RunOptions::allowHostPorts).
    void allowHostPorts(bool allow) { m_allowHostPorts = allow; }

    /// The gated lab: sockets of the endpoints in `serverSide` (those that listen; what they
    /// accept follows) are made on the server host, all others on the client host, and an
    /// address left out means that host's address instead of loopback.
    void useHosts(TwoHosts* hosts, std::set<std::string> serverSide)
    {
        m_hosts = hosts;
        m_serverSide = std::move(serverSide);
    }

    /// Ends the run's calls: a lingering close() is interrupted and its thread joined, and open
    /// connections are reset rather than closed (no TIME_WAIT left behind by a run that is over).
    void closeAll();

private:
    void finish(Endpoint& ep, StepEvent& ev, std::int64_t result, int err);
    bool ensureSocket(Endpoint& ep, int family, StepEvent& ev);
    /// Where `ep`'s socket is made: the lab (or its host in the gated lab), or null: this host.
    Lab* labOf(const Endpoint& ep) const;
    /// The address an endpoint binds to when the scenario gives none: its host's in the gated
    /// lab, else loopback.
    SockAddr defaultAddress(const Endpoint& ep) const;
    /// Whether a scenario may name `a`: loopback, or one of the gated lab's two hosts.
    bool addressAllowed(const SockAddr& a) const;
    /// Whether the socket is now bound.
    Result<bool> bind(Endpoint& ep, const Step& st, StepEvent& ev);
    void setOption(Endpoint& ep, const Step& st, StepEvent& ev);
    /// Whether the result came from the wire before connect() returned.
    Result<bool> connect(Endpoint& ep, const Step& st, StepEvent& ev);
    void accept(Endpoint& ep, const Step& st, StepEvent& ev);
    void send(Endpoint& ep, const Step& st, StepEvent& ev);
    void recv(Endpoint& ep, const Step& st, StepEvent& ev);
    void close(Endpoint& ep, const Step& st, StepEvent& ev);
    void block(Endpoint& ep, const Step& st, StepEvent& ev, std::unique_ptr<Pending> p);
    bool pushSend(Endpoint& ep, Pending& p, bool fill, int& err);
    bool pullRecv(Endpoint& ep, Pending& p, bool available, int& err, bool& eof);
    std::string adoptAccepted(int fd, const std::string& name);

    EndpointTable& m_table;
    Lab* m_lab;
    TwoHosts* m_hosts = nullptr;
    std::set<std::string> m_serverSide;
    bool m_allowHostPorts = false;
    std::optional<Error> m_shortage;
    std::optional<Error> m_labLost; ///< socket() could not even be asked for: the lab has gone
    std::function<void(Endpoint&)> m_onSocket;
    std::vector<char> m_sendBuffer;
    std::vector<char> m_recvBuffer;
};

} // namespace synack
