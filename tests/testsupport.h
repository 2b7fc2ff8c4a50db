// SPDX-License-Identifier: GPL-3.0-or-later
// Small helpers the engine tests share.
#pragma once

#include <QString>
#include <QTest>

#include <cstdlib>
#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <fstream>
#include <optional>
#include <string>
#include <vector>
#include <sys/types.h>
#include <unistd.h>

#include "lab/gate.h"
#include "lab/lab.h"
#include "run/runner.h"
#include "scenario/library.h"

namespace synack::test {

/// Entries in /proc/self/fd (including the one opendir itself holds while counting).
inline int openDescriptors()
{
    int n = 0;
    if (DIR* d = ::opendir("/proc/self/fd")) {
        while (readdir(d))
            ++n;
        ::closedir(d);
    }
    return n;
}

/// Every failed expectation and the error of a run, one per line, for a test's failure message.
inline QString failuresText(const RunSummary& s)
{
    QString out;
    for (const ExpectEvent& f : s.failures)
        out += QStringLiteral("\n  line %1: %2 (expected %3, kernel says %4)")
                   .arg(f.line)
                   .arg(QString::fromStdString(f.text), QString::fromStdString(f.expected),
                       QString::fromStdString(f.observed));
    if (s.error)
        out += QStringLiteral("\n  error: ") + QString::fromStdString(s.error->toString());
    return out;
}

/// A listening socket on the host's 127.0.0.1, standing for another program's service (the
/// tests of host ports); its port in `port`. Invalid when it could not be made.
inline Fd hostService(std::uint16_t& port)
{
    Fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in a {};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (!fd || ::bind(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd.get(), 4) != 0
        || ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&a), &len) != 0)
        return Fd();
    port = ntohs(a.sin_port);
    return fd;
}

/// Whether a connection waits in the accept queue of `listener`.
inline bool connectionWaiting(int listener)
{
    pollfd pfd { listener, POLLIN, 0 };
    return ::poll(&pfd, 1, 0) == 1;
}

/// "net:[4026531840]" for /proc/PID/ns/net; "" when it cannot be read.
inline std::string netNamespaceOf(const std::string& pid)
{
    char buf[64] {};
    const ssize_t n = ::readlink(("/proc/" + pid + "/ns/net").c_str(), buf, sizeof buf - 1);
    return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
}

/// The lab helper: this process's child living in another network namespace than ours.
inline pid_t labHelperPid()
{
    const std::string ours = netNamespaceOf("self");
    DIR* tasks = ::opendir("/proc/self/task");
    if (!tasks)
        return -1;
    pid_t found = -1;
    while (const dirent* t = ::readdir(tasks)) {
        if (t->d_name[0] == '.')
            continue;
        std::ifstream children(std::string("/proc/self/task/") + t->d_name + "/children");
        pid_t child = 0;
        while (children >> child)
            if (netNamespaceOf(std::to_string(child)) != ours)
                found = child;
    }
    ::closedir(tasks);
    return found;
}

/// Whether this test run must have the lab: scripts/test.sh sets SYNACK_EXPECT_LAB=1 where the
/// machine offers it (as CI's does), so that a lab test that cannot run fails instead of
/// passing as skipped.
inline bool labExpected()
{
    const char* e = std::getenv("SYNACK_EXPECT_LAB");
    return e && e[0] == '1';
}

/// Why the lab (tier 1) cannot be had here, or nothing when it can.
inline std::optional<QString> labMissing()
{
    const TierReport r = Lab::probe();
    if (r.tier >= 1)
        return std::nullopt;
    return QString::fromStdString(r.why);
}

/// Why the gated lab cannot be had here, or nothing when it can.
inline std::optional<QString> gatedLabMissing()
{
    const auto [ok, why] = TwoHosts::probe();
    if (ok)
        return std::nullopt;
    return QString::fromStdString(why);
}

/// Whether this machine should have the gated lab: the lab is expected and /dev/net/tun exists.
inline bool gatedLabExpected() { return labExpected() && ::access("/dev/net/tun", F_OK) == 0; }

/// Whether a scenario can run on `tier`: one with gate steps needs the gated lab, one that
/// changes a namespace's settings needs a lab of either kind.
inline bool runsOn(const Scenario& scenario, Tier tier)
{
    switch (scenario.needs) {
    case Needs::Any:
        return true;
    case Needs::Lab:
        return tier == Tier::Lab || tier == Tier::Gated;
    case Needs::Wire:
        return tier == Tier::Gated;
    }
    return false;
}

/// The built-ins that can run on `tier`.
inline std::vector<std::string> builtinsOn(Tier tier)
{
    std::vector<std::string> out;
    for (const std::string& name : Library::names())
        if (auto parsed = Library::load(name); parsed.ok() && runsOn(*parsed.scenario, tier))
            out.push_back(name);
    return out;
}

} // namespace synack::test

/// In a test function that needs the lab: skips it with the reason where the lab is not
/// available, and fails it where it was expected (SYNACK_EXPECT_LAB=1).
#define SYNACK_REQUIRE_LAB()                                                                                      \
    do {                                                                                                          \
        if (const auto missing_ = synack::test::labMissing()) {                                                   \
            if (synack::test::labExpected())                                                                      \
                QFAIL(qPrintable(QStringLiteral("the lab was expected (SYNACK_EXPECT_LAB=1) but is missing: ")   \
                    + *missing_));                                                                                \
            QSKIP(qPrintable(QStringLiteral("the lab (tier 1) is not available here: ") + *missing_));            \
        }                                                                                                         \
    } while (false)

/// In a test function that needs the gated lab: skips it with the reason where the machine cannot
/// make it, and fails it where it was expected (SYNACK_EXPECT_LAB=1 and /dev/net/tun present).
#define SYNACK_REQUIRE_GATED_LAB()                                                                                \
    do {                                                                                                          \
        if (const auto missing_ = synack::test::gatedLabMissing()) {                                              \
            if (synack::test::gatedLabExpected())                                                                 \
                QFAIL(qPrintable(QStringLiteral("the gated lab was expected but is missing: ") + *missing_));     \
            QSKIP(qPrintable(QStringLiteral("the gated lab is not available here: ") + *missing_));               \
        }                                                                                                         \
    } while (false)
