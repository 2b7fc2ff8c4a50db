// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenario/sysctls.h"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "scenario/literals.h"
#include "scenario/text.h"

namespace synack {

namespace {

enum class SysctlValue {
    Count,
    Seconds, ///< 30 or 30s, as the file takes seconds
    PortRange, ///< two ports, low high
};

struct SysctlSpec {
    std::string_view name;
    SysctlValue value;
    std::int64_t low = 0;
    std::int64_t high = 0;
    std::string_view example;
};

// Only settings of the network namespace (each has its own copy per namespace since Linux 4.x, so a
// lab's change never reaches the host) that bear on what a scenario shows. The kernel takes larger
// numbers for several; the bounds keep a run's timers within minutes to an hour, as the socket
// options' do: 127 is the kernel's MAX_TCP_SYNCNT, and retransmissions past that many are only ever
// TCP_RTO_MAX (120 s) apart.
// clang-format off
constexpr std::array<SysctlSpec, 11> kSysctls = { {
    { "tcp_syn_retries", SysctlValue::Count, 1, ScenarioLimits::kMaxSynCnt, "2" },
    { "tcp_syn_linear_timeouts", SysctlValue::Count, 0, ScenarioLimits::kMaxSynCnt, "4" },
    { "tcp_synack_retries", SysctlValue::Count, 0, 127, "1" },
    { "tcp_retries2", SysctlValue::Count, 0, 127, "3" },
    { "tcp_orphan_retries", SysctlValue::Count, 0, 127, "1" },
    { "tcp_fin_timeout", SysctlValue::Seconds, 1, ScenarioLimits::kMaxSeconds, "5" },
    { "tcp_keepalive_time", SysctlValue::Seconds, 1, ScenarioLimits::kMaxSeconds, "10" },
    { "tcp_keepalive_intvl", SysctlValue::Seconds, 1, ScenarioLimits::kMaxSeconds, "2" },
    { "tcp_keepalive_probes", SysctlValue::Count, 1, ScenarioLimits::kMaxKeepCnt, "3" },
    { "tcp_tw_reuse", SysctlValue::Count, 0, 2, "1" }, // 0 off, 1 on, 2 loopback only
    // The kernel refuses a low end below ip_unprivileged_port_start (1024 by default).
    { "ip_local_port_range", SysctlValue::PortRange, 1024, 65535, "40000 40009" },
} };
// clang-format on

constexpr std::string_view kPrefix = "net.ipv4.";

std::string unit(const SysctlSpec& s) { return s.value == SysctlValue::Seconds ? " seconds" : ""; }

} // namespace

std::vector<std::string> sysctlNames()
{
    std::vector<std::string> out;
    for (const SysctlSpec& s : kSysctls)
        out.emplace_back(s.name);
    return out;
}

std::string sysctlKey(const std::string& name) { return std::string(kPrefix) + name; }

bool readSysctl(Step& step, const std::vector<Token>& words, std::string_view usage, Diagnostics& diagnostics)
{
    const std::string usageTail = "; usage: " + std::string(usage);
    const Token& nameToken = words[0];
    std::string name = lower(nameToken.text);
    // `sysctl net.ipv4.tcp_fin_timeout 5` is how sysctl(8) names it; the short name is enough.
    if (name.starts_with(kPrefix))
        name.erase(0, kPrefix.size());
    const SysctlSpec* spec = nullptr;
    for (const SysctlSpec& s : kSysctls) {
        if (s.name == name)
            spec = &s;
    }
    if (spec == nullptr) {
        diagnostics.error(nameToken,
            "unknown sysctl '" + nameToken.text + "'" + suggestion(name, sysctlNames())
                + "; a scenario may change only these (in net.ipv4 of its private namespace): "
                + joinList(sysctlNames()));
        return false;
    }
    step.sysctl = std::string(spec->name);
    const std::string what = "sysctl " + step.sysctl;
    const std::size_t want = spec->value == SysctlValue::PortRange ? 2 : 1;
    if (words.size() < 1 + want) {
        diagnostics.error(nameToken,
            what + " needs " + (want == 2 ? "two ports, low and high" : "a value") + ", e.g. " + what + " "
                + std::string(spec->example) + usageTail);
        return false;
    }
    if (words.size() > 1 + want) {
        diagnostics.error(words[1 + want],
            "unexpected '" + words[1 + want].text + "': " + what + " takes "
                + (want == 2 ? "two ports, low and high" : "one value") + usageTail);
        return false;
    }

    step.sysctlValues.clear();
    for (std::size_t i = 1; i <= want; ++i) {
        const Token& t = words[i];
        const Number n = spec->value == SysctlValue::Seconds ? parseSeconds(t.text) : parseCount(t.text);
        if (!n.ok()) {
            diagnostics.error(t, n.error);
            return false;
        }
        if (n.value < spec->low || n.value > spec->high) {
            diagnostics.error(t,
                what + " must be between " + std::to_string(spec->low) + " and " + std::to_string(spec->high)
                    + unit(*spec) + "; '" + t.text + "' is out of range");
            return false;
        }
        step.sysctlValues.push_back(n.value);
    }
    if (want == 2 && step.sysctlValues[0] > step.sysctlValues[1]) {
        diagnostics.error(words[1],
            what + " takes the low port first: " + std::to_string(step.sysctlValues[0]) + " is above "
                + std::to_string(step.sysctlValues[1]));
        return false;
    }
    return true;
}

} // namespace synack
