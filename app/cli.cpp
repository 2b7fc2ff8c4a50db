// SPDX-License-Identifier: GPL-3.0-or-later
// The headless `synack` subcommands. Plain text on stdout (or JSON where asked), diagnostics on
// stderr, and documented exit codes.
#include "cli.h"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "base/file.h"
#include "lab/gate.h"
#include "lab/lab.h"
#include "scenario/library.h"
#include "scenario/parser.h"
#include "lab/pcap.h"
#include "trace/eventtext.h"
#include "trace/picture.h"
#include "run/runner.h"
#include "terminal.h"

namespace synack::cli {

namespace {

    constexpr const char* kUsage = R"(Usage: synack [COMMAND] [ARGS]

SynAck runs TCP scenarios on real sockets over loopback and shows what the Linux
kernel reports about them, step by step.

With no command, opens the desktop window (--lang en|zh_CN chooses its language).

Commands:
  list                         One line per built-in scenario: name and title;
                               [the wire] marks those that need the gated lab.
  run NAME|FILE [--json PATH|-] [--pcap OUT.pcap] [--lang en|zh] [--wire] [--allow-host-ports]
                               Run a scenario; after each step print the call, its
                               result and errno, the state changes (inferred ones
                               marked) and every endpoint's state and queues.
                               --json writes the whole trace as JSON (- = stdout;
                               the text then goes to stderr). --pcap writes the
                               segments captured in the lab as a pcap file for
                               tcpdump or Wireshark (needs tier 1: see doctor).
                               Both are checked before the run and written whole
                               (a temporary file renamed), also after Ctrl-C.
                               --wire runs it in the gated lab: a client host and a
                               server host (192.0.2.1, 192.0.2.2) joined through
                               SynAck's gate, every segment captured there (see
                               doctor). Also for check. A scenario with gate
                               steps always runs there.
                               --allow-host-ports lets `connect NAME port=N` reach
                               a port on host loopback (tier 0) that no endpoint of
                               the run holds or held: another program's.
  doctor                       Which tier this machine offers and why: 1, the lab
                               (a private network namespace, segments captured), or
                               0, host loopback (segments inferred).
  check [NAME|FILE ...] [--all] [--wire]
                               Run scenarios and verify every expectation against
                               the kernel. --all (or no names) checks every built-in.
                               A scenario that needs the lab (a sysctl step) or the
                               gated lab where this machine has none is skipped,
                               with why; run then exits 2.
  screenshot NAME|FILE --step N -o OUT.png [--size WxH] [--lang zh_CN] [--presentation]
                               Run a scenario up to step N and save a picture of the
                               window (rendered offscreen: no display needed).
  bench                        Measure the window: start to first frame, frame time
                               while animating, memory.
  --help, -h                   This text.
  --version                    The version.

Environment:
  SYNACK_TIER=0                Host loopback even where the lab works.

Exit codes:
  0  the run finished and every expectation held
  1  an expectation did not hold (each is printed: expected vs observed)
  2  bad input: unknown command or scenario, a scenario with errors
     (file:line:column: message), a step that could not be carried out, or
     --pcap where the lab (tier 1) is not available, an output that cannot be
     written, a lost lab helper or a limit of this machine (named)
  130, 143  run stopped by SIGINT (Ctrl-C) or SIGTERM; what was recorded so far
     is written to --json/--pcap, with a note that the run was interrupted
)";

    struct Args {
        std::vector<std::string> positional;
        std::string json;
        bool jsonGiven = false;
        std::string pcap;
        bool pcapGiven = false;
        bool allowHostPorts = false;
        bool wire = false; ///< --wire: the gated lab
        bool all = false;
        std::string lang = "en";
        std::string error;
    };

    Args parseArgs(const std::vector<std::string>& argv, std::size_t from)
    {
        Args a;
        for (std::size_t i = from; i < argv.size(); ++i) {
            const std::string& s = argv[i];
            if (s == "--json") {
                if (i + 1 >= argv.size()) {
                    a.error = "--json needs a path (or - for standard output)";
                    return a;
                }
                a.json = argv[++i];
                a.jsonGiven = true;
            } else if (s.rfind("--json=", 0) == 0) {
                a.json = s.substr(7);
                a.jsonGiven = true;
            } else if (s == "--pcap") {
                if (i + 1 >= argv.size()) {
                    a.error = "--pcap needs a path";
                    return a;
                }
                a.pcap = argv[++i];
                a.pcapGiven = true;
            } else if (s.rfind("--pcap=", 0) == 0) {
                a.pcap = s.substr(7);
                a.pcapGiven = true;
            } else if (s == "--allow-host-ports") {
                a.allowHostPorts = true;
            } else if (s == "--wire") {
                a.wire = true;
            } else if (s == "--all") {
                a.all = true;
            } else if (s == "--lang") {
                if (i + 1 >= argv.size()) {
                    a.error = "--lang needs en or zh";
                    return a;
                }
                a.lang = argv[++i];
            } else if (s.size() > 1 && s[0] == '-' && s != "-") {
                a.error = "unknown option '" + s + "'";
                return a;
            } else {
                a.positional.push_back(s);
            }
        }
        if (a.lang == "zh_CN" || a.lang == "zh-CN")
            a.lang = "zh";
        if (a.lang != "en" && a.lang != "zh")
            a.error = "--lang takes en or zh";
        else if (a.jsonGiven && a.json.empty())
            a.error = "--json needs a path (or - for standard output), not an empty one";
        else if (a.pcapGiven && a.pcap.empty())
            a.error = "--pcap needs a path, not an empty one";
        return a;
    }

    std::string pad(std::string s, std::size_t width)
    {
        // Pads by code points so Chinese text does not break the columns too badly.
        std::size_t cps = 0;
        for (unsigned char c : s)
            cps += (c & 0xC0) != 0x80;
        if (cps < width)
            s.append(width - cps, ' ');
        return s;
    }

    std::string known(std::int64_t v) { return v < 0 ? std::string("-") : std::to_string(v); }

    void printTable(std::ostream& out, const Picture& p)
    {
        out << "    " << pad("ENDPOINT", 14) << pad("STATE", 13) << pad("LOCAL", 22) << pad("PEER", 22)
            << pad("RECV-Q", 8) << pad("SEND-Q", 8) << "TIMER\n";
        for (const EndpointView& v : p.endpoints) {
            std::string state = v.stateText() + (v.stateSource == Source::Inferred ? "?" : "");
            std::string recvq = known(v.buffers.recvq), sendq = known(v.buffers.sendq);
            if (v.buffers.acceptq >= 0) {
                recvq = std::to_string(v.buffers.acceptq);
                sendq = known(v.buffers.backlog);
            }
            std::string timer;
            if (v.timer.kind != TimerKind::None)
                timer = v.timer.label() + " " + std::to_string(v.timerLeftMs(p.tNs)) + "ms";
            if (!v.blockedIn.empty())
                timer += (timer.empty() ? "" : ", ") + std::string("blocked");
            out << "    " << pad(v.name, 14) << pad(v.gone ? "(gone)" : state, 13) << pad(v.local, 22)
                << pad(v.peer, 22) << pad(recvq, 8) << pad(sendq, 8) << timer << "\n";
        }
    }

    /// Prints one step's events in a readable form.
    void printEvent(std::ostream& out, const Event& e, const std::string& lang)
    {
        if (const auto* s = e.as<StepEvent>()) {
            if (s->phase == Phase::Completed) {
                out << "  ... line " << s->line << " returned: " << eventtext::callAndResult(*s) << "\n";
                return;
            }
            if (s->phase == Phase::Blocked)
                out << "  " << eventtext::call(*s) << " blocks: the application waits, the run goes on\n";
            else if (s->call != "wait")
                out << "  " << eventtext::callAndResult(*s) << "\n";
            auto it = s->narration.find(lang);
            if (it == s->narration.end())
                it = s->narration.find("en");
            if (it != s->narration.end())
                out << "  | " << it->second << "\n";
        } else if (const auto* st = e.as<StateEvent>()) {
            out << "  " << pad(st->endpoint, 12) << " " << (st->from ? "" : "(new)") << eventtext::transition(*st)
                << (st->source == Source::Inferred ? "   [inferred: not sampled]" : "")
                << (st->gone ? "   [gone: " + st->why + "]" : "") << "\n";
        } else if (const auto* seg = e.as<SegmentEvent>()) {
            out << "  " << pad(seg->from, 12) << " -> " << pad(seg->to, 12) << " " << eventtext::segment(*seg)
                << (seg->source == Source::Inferred ? "   [inferred segment]" : "");
            if (!seg->cause.empty())
                out << "  (" << seg->cause << ")";
            if (!seg->fate.empty()) // the gate's actions name segments by their number
                out << "  #" << seg->frame;
            out << "\n";
        } else if (const auto* x = e.as<ExpectEvent>()) {
            out << "  " << (x->ok ? "ok    " : "FAILED") << " line " << x->line << ": " << x->text;
            if (!x->ok)
                out << "  (expected " << x->expected << ", kernel says " << x->observed << ")";
            out << "\n";
        } else if (const auto* g = e.as<GateEvent>()) {
            if (g->frame > 0) // hold, pass, cut, ...: the step's line says it
                out << "  " << pad("gate", 12) << " " << g->action << "s"
                    << " segment #" << g->frame << "\n";
        } else if (const auto* n = e.as<NoteEvent>()) {
            if (n->level != NoteLevel::Info)
                out << "  " << noteLevelName(n->level) << ": " << n->text << "\n";
        }
    }

    ParseOutcome load(const std::string& nameOrPath)
    {
        ParseOutcome out = Library::resolve(nameOrPath);
        for (const Diagnostic& d : out.errors)
            std::cerr << d.toString() << "\n";
        return out;
    }

    /// SIGINT or SIGTERM during a run: the runner is cancelled, and the run's outputs are written.
    std::atomic<bool> g_cancel { false };
    volatile std::sig_atomic_t g_signal = 0;

    extern "C" void onStopSignal(int sig)
    {
        g_signal = sig;
        g_cancel.store(true);
    }

    /// Catches SIGINT and SIGTERM while a run is going on. SA_RESETHAND: a second one ends the
    /// process at once, as the user then expects. SA_RESTART: calls in progress go on.
    class StopSignals {
    public:
        StopSignals()
        {
            struct sigaction sa { };
            sa.sa_handler = onStopSignal;
            sa.sa_flags = SA_RESETHAND | SA_RESTART;
            ::sigemptyset(&sa.sa_mask);
            ::sigaction(SIGINT, &sa, &m_int);
            ::sigaction(SIGTERM, &sa, &m_term);
        }
        ~StopSignals()
        {
            ::sigaction(SIGINT, &m_int, nullptr);
            ::sigaction(SIGTERM, &m_term, nullptr);
        }
        StopSignals(const StopSignals&) = delete;
        StopSignals& operator=(const StopSignals&) = delete;

    private:
        struct sigaction m_int { }, m_term { };
    };

    std::string signalName(int sig) { return sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "signal " + std::to_string(sig); }

    int cmdList()
    {
        for (const std::string& name : Library::names()) {
            auto parsed = Library::load(name);
            std::cout << pad(name, 22) << (parsed.scenario ? parsed.scenario->text(parsed.scenario->title) : "?");
            // What a scenario needs beyond host loopback, so a teacher knows before the lesson.
            if (parsed.scenario && parsed.scenario->needs != Needs::Any)
                std::cout << "  [" << (parsed.scenario->needs == Needs::Wire ? "the wire" : "lab") << "]";
            std::cout << "\n";
        }
        return 0;
    }

    /// Opens an output named by `option` ("-" is standard output); false after saying why.
    bool openOutput(const char* option, const std::string& path, std::optional<OutputFile>& out)
    {
        auto f = path == "-" ? Result<OutputFile>(OutputFile::standardOutput()) : OutputFile::open(path);
        if (!f) {
            std::cerr << "synack run: " << option << ": " << f.error().message() << "\n";
            return false;
        }
        out.emplace(std::move(*f));
        return true;
    }

    /// "[2/3] line 20: connect client listener": the statement about to run.
    void printStepHeader(std::ostream& out, const Scenario& sc, int index, int count)
    {
        int seen = -1;
        for (const Step& s : sc.steps) {
            if (s.kind == StepKind::Expect || ++seen != index)
                continue;
            out << "\n[" << index + 1 << "/" << count << "] line " << s.pos.line << ": " << s.text << "\n";
            out.flush(); // a step at a time, also through a pipe
            return;
        }
    }

    /// What this machine offers of what scenarios may need, each asked once (a probe starts a lab).
    class Offers {
    public:
        /// Why `sc` cannot run here, from what its steps need (a sysctl: the lab; the gate's steps: the
        /// gated lab); nullopt when it can. A scenario that needs a private namespace is never run on
        /// host loopback instead: a sysctl there would be the host's.
        std::optional<std::string> unmet(const Scenario& sc)
        {
            switch (sc.needs) {
            case Needs::Any:
                return std::nullopt;
            case Needs::Lab:
                if (!m_lab)
                    m_lab = Lab::probe();
                if (m_lab->tier >= 1)
                    return std::nullopt;
                return "it needs the lab (a private network namespace), which is not available: " + m_lab->why;
            case Needs::Wire:
                if (!m_wire)
                    m_wire = TwoHosts::probe();
                if (m_wire->first)
                    return std::nullopt;
                return "it needs the gated lab (two private hosts and SynAck's gate), which is not available: "
                    + m_wire->second;
            }
            return std::nullopt;
        }

    private:
        std::optional<TierReport> m_lab;
        std::optional<std::pair<bool, std::string>> m_wire;
    };

    /// The tier a run asks for: what the options say, raised to what the scenario needs (the gated
    /// lab for the wire's steps, the lab for a sysctl) so that it never falls back to host loopback.
    Tier tierFor(const Scenario& sc, const Args& a)
    {
        if (a.wire || sc.needs == Needs::Wire)
            return Tier::Gated;
        if (a.pcapGiven || sc.needs == Needs::Lab)
            return Tier::Lab;
        return Tier::Auto;
    }

    int cmdRun(const Args& a)
    {
        if (a.positional.size() != 1) {
            std::cerr << "synack run: give exactly one scenario (a built-in name or a .synack file)\n";
            return 2;
        }
        auto parsed = load(a.positional[0]);
        if (!parsed.ok())
            return 2;
        if (auto why = Offers().unmet(*parsed.scenario)) {
            std::cerr << "synack run: " << parsed.scenario->name << " cannot run here: " << *why
                      << "\n(synack doctor says more)\n";
            return 2;
        }
        if (a.pcapGiven) {
            const TierReport tier = Lab::probe();
            if (tier.tier < 1) {
                std::cerr << "synack run: --pcap needs the lab (tier 1), which is not available: " << tier.why
                          << "\n(synack doctor says more)\n";
                return 2;
            }
        }
        // The outputs are opened before the run, so a path that cannot be written is said at once,
        // not after the run; they are written whole or not at all (see OutputFile).
        std::optional<OutputFile> jsonOut, pcapOut;
        if ((a.jsonGiven && !openOutput("--json", a.json, jsonOut)) || (a.pcapGiven && !openOutput("--pcap", a.pcap, pcapOut)))
            return 2;
        const Scenario& sc = *parsed.scenario;
        // With the trace on stdout, the human text moves to stderr so the JSON stays clean.
        std::ostream& out = (a.jsonGiven && a.json == "-") ? std::cerr : std::cout;
        out << sc.text(sc.title, a.lang) << " (" << sc.name << ")\n";
        const std::string about = sc.text(sc.about, a.lang);
        if (!about.empty())
            out << about << "\n";

        g_cancel.store(false);
        g_signal = 0;
        StopSignals stopSignals;
        std::size_t printed = 0;
        RunOptions options;
        // A pcap needs the capture, a sysctl the lab; otherwise the lab where it works (SYNACK_TIER=0
        // says not).
        options.tier = tierFor(sc, a);
        options.allowHostPorts = a.allowHostPorts;
        options.cancel = &g_cancel;
        options.cancelReason = [] {
            return "interrupted by " + signalName(g_signal) + ": the run stopped here, and the trace holds the steps before it";
        };
        Runner runner(sc, std::move(options));
        auto flush = [&] {
            const auto& events = runner.trace().events;
            for (; printed < events.size(); ++printed)
                printEvent(out, events[printed], a.lang);
        };
        flush();
        while (!runner.atEnd() && !g_cancel.load()) {
            printStepHeader(out, sc, runner.nextStep(), runner.stepCount());
            const bool went = runner.step();
            flush();
            if (!went && runner.summary().cancelled)
                break;
            printTable(out, Picture::after(runner.trace(), runner.trace().events.size()));
            out.flush(); // a step at a time, also through a pipe
        }
        const int sig = g_signal;
        if (sig && !runner.summary().cancelled)
            (void)runner.step(); // the signal came between steps: the runner notes it and starts nothing
        flush();
        const RunSummary& sum = runner.summary();
        out << "\n";
        if (sig)
            out << "interrupted by " << signalName(sig) << " during step " << runner.nextStep() << " of "
                << runner.stepCount() << "\n";
        else if (sum.error)
            out << "the run stopped at " << sum.error->toString() << "\n";
        out << sum.expectations - sum.failed << " of " << sum.expectations << " expectations held\n";

        // What was recorded is written even when the run stopped early: it is the user's.
        int status = 0;
        if (jsonOut) {
            if (auto written = jsonOut->commit(traceToJson(runner.trace())); !written) {
                std::cerr << "synack run: --json: " << written.error().message() << "\n";
                status = 2;
            } else if (sig && jsonOut->path() != "-") {
                std::cerr << "synack run: the trace so far was written to " << jsonOut->path() << "\n";
            }
        }
        if (pcapOut) {
            if (auto written = pcapOut->commit(pcapFile(runner.capturedPackets())); !written) {
                std::cerr << "synack run: --pcap: " << written.error().message() << "\n";
                status = 2;
            }
        }
        if (sig)
            return 128 + sig;
        if (status || sum.error)
            return 2;
        return sum.failed ? 1 : 0;
    }

    int cmdCheck(const Args& a)
    {
        std::vector<std::string> names = a.positional;
        if (a.all || names.empty()) {
            auto builtins = Library::names();
            names.insert(names.end(), builtins.begin(), builtins.end());
        }
        int failedScenarios = 0;
        int badInput = 0;
        int total = 0, failed = 0;
        Offers offers;
        for (const std::string& n : names) {
            auto parsed = load(n);
            if (!parsed.ok()) {
                std::cout << pad(n, 22) << "ERROR  scenario has errors\n";
                ++badInput;
                continue;
            }
            // Skipped is not failed: the machine lacks what the scenario needs, and says why.
            if (auto why = offers.unmet(*parsed.scenario)) {
                std::cout << pad(n, 22) << "skipped " << *why << "\n";
                continue;
            }
            RunOptions options;
            options.tier = tierFor(*parsed.scenario, a);
            Runner runner(*parsed.scenario, std::move(options));
            const RunSummary& sum = runner.runAll();
            total += sum.expectations;
            failed += sum.failed;
            const bool ok = sum.passed();
            std::cout << pad(n, 22) << (ok ? "ok     " : sum.error ? "ERROR  " : "FAILED ") << sum.expectations - sum.failed
                      << "/" << sum.expectations << " expectations held\n";
            for (const ExpectEvent& f : sum.failures)
                std::cout << "    " << parsed.scenario->file << ":" << f.line << ": " << f.text << "\n      expected "
                          << f.expected << ", kernel says " << f.observed << "\n";
            if (sum.error) {
                std::cout << "    " << sum.error->toString() << "\n";
                ++badInput;
            } else if (!ok) {
                ++failedScenarios;
            }
        }
        std::cout << total - failed << " passed, " << failed << " failed\n";
        if (badInput)
            return 2;
        return failedScenarios ? 1 : 0;
    }

    int cmdDoctor()
    {
        const TierReport r = Lab::probe();
        std::cout << "tier " << r.tier << ": " << (r.tier == 1 ? "lab" : "host loopback") << "\n"
                  << "  " << r.why << "\n\n";
        for (const auto& [name, value] : r.facts)
            std::cout << "  " << pad(name, 46) << value << "\n";
        {
            // The gated lab (the wire) needs the lab and a TUN device in each of its two hosts.
            const auto [gated, gatedWhy] = r.tier >= 1
                ? TwoHosts::probe()
                : std::pair<bool, std::string> { false, "it needs the lab (tier 1) first" };
            std::cout << "  " << pad("gated lab (two hosts, SynAck's gate)", 46) << (gated ? "available: " : "not available: ")
                      << gatedWhy << "\n";
        }
        std::cout << R"(
What each tier adds:
  0  host loopback   needs no privileges. States, queues and timers are read from
                     the kernel (TCP_INFO, sock_diag); segments are inferred from
                     the state changes and marked so. Sockets share the host's lo:
                     TIME_WAIT stays on the host's ports for 60 s.
  1  lab             needs user namespaces (or root). Each run gets a private
                     network namespace with its own lo: it sees only its own
                     sockets and leaves nothing behind on the host. Every segment
                     is captured on that lo (flags, seq/ack, window, options) and
                     can be saved as a pcap (synack run NAME --pcap OUT.pcap).
  the wire           the lab twice, plus /dev/net/tun. Two private hosts
  (gated lab)        (192.0.2.1 and 192.0.2.2) joined only through SynAck's
                     gate, which can hold, drop, copy and reorder segments and
                     cut the wire: the built-ins marked [the wire] in
                     synack list, and any scenario with --wire.
)";
        if (r.tier == 0 && !r.forced)
            std::cout << "\nOn Ubuntu 24.04 and later, AppArmor restricts unprivileged user namespaces: an AppArmor\n"
                         "profile for synack that allows `userns,` (or running as root) enables the lab.\n";
        return 0;
    }

    int dispatch(const std::vector<std::string>& argv)
    {
        const std::string& cmd = argv[1];
        if (cmd == "--help" || cmd == "-h" || cmd == "help") {
            std::cout << kUsage;
            return 0;
        }
        if (cmd == "--version" || cmd == "-v") {
            std::cout << "synack " << SYNACK_VERSION << "\n";
            return 0;
        }
        Args a = parseArgs(argv, 2);
        if (!a.error.empty()) {
            std::cerr << "synack " << cmd << ": " << a.error << "\n";
            return 2;
        }
        if (cmd == "list")
            return cmdList();
        if (cmd == "run")
            return cmdRun(a);
        if (cmd == "check")
            return cmdCheck(a);
        if (cmd == "doctor")
            return cmdDoctor();
        std::cerr << "synack: unknown command '" << cmd << "'\n" << kUsage;
        return 2;
    }

} // namespace

bool isCommand(const std::string& arg)
{
    return arg == "list" || arg == "run" || arg == "check" || arg == "doctor" || arg == "--help" || arg == "-h" || arg == "help"
        || arg == "--version" || arg == "-v";
}

bool needsLab(const std::string& arg) { return arg == "run" || arg == "check" || arg == "doctor"; }

int main(const std::vector<std::string>& argv)
{
    if (argv.size() < 2)
        return 2;
    terminal::install();
    const int status = dispatch(argv);
    // Output that never arrived is a failure, whatever the run said (a full disk, a closed pipe).
    if (const int err = terminal::stdoutError()) {
        std::cerr << "synack: cannot write standard output (" << errnoName(err) << ": " << std::strerror(err) << ")\n";
        return 2;
    }
    return status;
}

} // namespace synack::cli
