// SPDX-License-Identifier: GPL-3.0-or-later
#include "trace/synthetic.h"

#include <algorithm>
#include <string>
#include <utility>

namespace synack {

namespace {

    /// Appends events 1 µs apart, each in the step it is given.
    struct Writer {
        Trace& trace;
        std::int64_t now = 0;

        template <class T>
        void add(int step, T data)
        {
            trace.events.emplace_back(now += 1000, step, std::move(data));
        }
        void call(int step, const std::string& endpoint, const std::string& call, const std::string& args,
            std::int64_t result = 0)
        {
            StepEvent s;
            s.line = step + 2;
            s.text = call + " " + endpoint + (args.empty() ? "" : " " + args);
            s.endpoint = endpoint;
            s.call = call;
            s.args = args;
            s.result = result;
            s.calls.push_back(CallRecord { call, args, result, 0, 1 });
            add(step, std::move(s));
        }
        void state(int step, const std::string& endpoint, std::optional<TcpState> from, TcpState to, Role role,
            const std::string& local, const std::string& peer)
        {
            StateEvent s;
            s.endpoint = endpoint;
            s.from = from;
            s.to = to;
            s.role = role;
            s.local = local;
            s.peer = peer;
            add(step, std::move(s));
        }
        void segment(int step, const std::string& from, const std::string& to, std::uint8_t flags, std::uint32_t seq,
            std::optional<std::uint32_t> ack, std::int64_t length)
        {
            SegmentEvent g;
            g.from = from;
            g.to = to;
            g.flags = flags;
            g.seq = seq;
            g.ack = ack;
            g.window = 65536;
            g.length = length;
            g.source = Source::Inferred;
            g.why = "made up for a measurement";
            add(step, std::move(g));
        }
        void buffers(int step, const std::string& endpoint, std::int64_t recvq, std::int64_t sendq)
        {
            BuffersEvent b;
            b.endpoint = endpoint;
            b.recvq = recvq;
            b.sendq = sendq;
            b.notsent = 0;
            b.sndbuf = 2'626'560;
            b.rcvbuf = 131'072;
            b.sndwnd = 65536;
            b.rcvwnd = 65536;
            b.shutdown = Shutdown::None;
            add(step, std::move(b));
        }
    };

    Trace header(std::string name, std::string title, int steps)
    {
        Trace t;
        t.scenario = std::move(name);
        t.title = std::move(title);
        t.file = "<synthetic>";
        t.kernel = "none (made up)";
        t.startedAt = "1970-01-01T00:00:00Z";
        t.synackVersion = "synthetic";
        t.stepCount = std::max(1, steps);
        return t;
    }

    std::string address(int host, int port)
    {
        return "127.0." + std::to_string(host / 256 % 256) + "." + std::to_string(host % 256) + ":"
            + std::to_string(port);
    }

} // namespace

Trace manyEndpointsTrace(int endpoints, int steps)
{
    const int pairs = std::max(1, (endpoints + 1) / 2);
    Trace t = header("many-endpoints", "Made up: " + std::to_string(2 * pairs) + " endpoints", steps);
    t.events.reserve(static_cast<std::size_t>(pairs) * 10);
    Writer w { t };
    for (int k = 0; k < pairs; ++k) {
        const int step = static_cast<int>(static_cast<long long>(k) * t.stepCount / pairs);
        const std::string c = "c" + std::to_string(k), s = "s" + std::to_string(k);
        const std::string cl = address(k, 40000 + k % 20000), sl = address(k, 8080);
        w.call(step, c, "connect", sl);
        w.state(step, c, std::nullopt, TcpState::SynSent, Role::Client, cl, sl);
        w.segment(step, c, s, kSyn, 1000, std::nullopt, 0);
        w.state(step, s, std::nullopt, TcpState::SynRecv, Role::Accepted, sl, cl);
        w.segment(step, s, c, kSyn | kAck, 5000, 1001, 0);
        w.state(step, c, TcpState::SynSent, TcpState::Established, Role::Client, cl, sl);
        w.segment(step, c, s, kAck, 1001, 5001, 0);
        w.state(step, s, TcpState::SynRecv, TcpState::Established, Role::Accepted, sl, cl);
        w.buffers(step, c, 0, 0);
        w.buffers(step, s, 0, 0);
    }
    return t;
}

Trace manyEventsTrace(std::size_t events, int steps)
{
    Trace t = header("many-events", "Made up: " + std::to_string(events) + " events", steps);
    t.events.reserve(events + 16);
    Writer w { t };
    const std::string l = "listener", c = "client", s = "server";
    const std::string ll = address(1, 8080), cl = address(1, 40000);
    w.call(-1, l, "listen", "backlog=8");
    w.state(-1, l, std::nullopt, TcpState::Listen, Role::Listener, ll, "");
    w.call(-1, c, "connect", ll);
    w.state(-1, c, std::nullopt, TcpState::Established, Role::Client, cl, ll);
    w.state(-1, s, std::nullopt, TcpState::Established, Role::Accepted, ll, cl);
    constexpr std::int64_t kChunk = 1000;
    std::uint32_t seq = 1;
    std::int64_t round = 0;
    const std::size_t perStep = std::max<std::size_t>(1, events / static_cast<std::size_t>(t.stepCount));
    while (t.events.size() < events) {
        const int step = std::min(t.stepCount - 1, static_cast<int>(t.events.size() / perStep));
        if (t.events.empty() || t.events.back().step != step)
            w.call(step, c, "send", std::to_string(perStep / 4 * kChunk), static_cast<std::int64_t>(perStep / 4 * kChunk));
        w.segment(step, c, s, kPsh | kAck, seq, 1, kChunk);
        w.buffers(step, c, 0, kChunk * (round % 8 + 1));
        seq += static_cast<std::uint32_t>(kChunk);
        w.segment(step, s, c, kAck, 1, seq, 0);
        w.buffers(step, s, kChunk * (round % 16), 0);
        ++round;
    }
    return t;
}

} // namespace synack
