// SPDX-License-Identifier: GPL-3.0-or-later
#include "playback/calltext.h"

#include "playback/gatetext.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <algorithm>
#include <array>
#include <string_view>
#include <utility>

namespace synack::calltext {

namespace {

/// The engine's UTF-8 (playback sits beside common/, so it has its own qs()).
QString fromUtf8(std::string_view s)
{
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

/// One phrase the engine writes into a call's args (engine/run/calls.cpp, engine/run/runner.cpp)
/// and its translation, with the numbers it carries captured as %1, %2.
struct ArgPhrase {
    const char* pattern;
    QString (*render)(const QRegularExpressionMatch&);
};

QString cap(const QRegularExpressionMatch& m, int n)
{
    return m.captured(n);
}

// Longest first: "X within N ms" before "N ms".
const std::array<ArgPhrase, 10> kPhrases { {
    { "^until the send buffer is full$",
        [](const QRegularExpressionMatch&) {
            return QCoreApplication::translate("synack::CallText", "until the send buffer is full");
        } },
    { "^until end of stream$",
        [](const QRegularExpressionMatch&) {
            return QCoreApplication::translate("synack::CallText", "until end of stream");
        } },
    { "^what is queued$",
        [](const QRegularExpressionMatch&) {
            return QCoreApplication::translate("synack::CallText", "what is queued");
        } },
    // The ladder's second line of a wait-state: "within 5000 ms".
    { "^within (\\d+) ms$",
        [](const QRegularExpressionMatch& m) {
            return QCoreApplication::translate("synack::CallText", "within %1 ms").arg(cap(m, 1));
        } },
    // wait-state and gate wait: "ESTABLISHED within 5000 ms", "wait client>server FIN within 3000 ms".
    { "^(.+) within (\\d+) ms$",
        [](const QRegularExpressionMatch& m) {
            return QCoreApplication::translate("synack::CallText", "%1 within %2 ms")
                .arg(args(cap(m, 1).toStdString()), cap(m, 2));
        } },
    { "\\{on, (\\d+) s\\}",
        [](const QRegularExpressionMatch& m) {
            return QCoreApplication::translate("synack::CallText", "{on, %1 s}").arg(cap(m, 1));
        } },
    { "\\{off\\}",
        [](const QRegularExpressionMatch&) { return QCoreApplication::translate("synack::CallText", "{off}"); } },
    { "^O_NONBLOCK (on|off)$",
        [](const QRegularExpressionMatch& m) {
            return m.captured(1) == QLatin1String("on")
                ? QCoreApplication::translate("synack::CallText", "O_NONBLOCK on")
                : QCoreApplication::translate("synack::CallText", "O_NONBLOCK off");
        } },
    { "\\b(\\d+) bytes?\\b",
        [](const QRegularExpressionMatch& m) {
            return QCoreApplication::translate("synack::CallText", "%1 bytes").arg(cap(m, 1));
        } },
    { "\\b(\\d+) ms\\b",
        [](const QRegularExpressionMatch& m) {
            return QCoreApplication::translate("synack::CallText", "%1 ms").arg(cap(m, 1));
        } },
} };

/// Replaces every match of `re` in `text` by what `render` makes of it.
QString replaceAll(const QString& text, const QRegularExpression& re, QString (*render)(const QRegularExpressionMatch&))
{
    QString out;
    qsizetype at = 0;
    for (auto it = re.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        out += text.mid(at, m.capturedStart()) + render(m);
        at = m.capturedEnd();
    }
    return out + text.mid(at);
}

/// The timer names a scenario writes (`expect client timer time-wait`) and the kernel's kinds.
QString timerWord(const QString& name)
{
    static const std::array<std::pair<const char*, TimerKind>, 5> kNames { {
        { "time-wait", TimerKind::TimeWait },
        { "fin-wait2", TimerKind::FinWait2 },
        { "retransmit", TimerKind::Retransmit },
        { "keepalive", TimerKind::Keepalive },
        { "probe", TimerKind::Probe },
    } };
    for (const auto& [word, kind] : kNames)
        if (name == QLatin1String(word))
            return timerName(kind);
    return {};
}

/// A gate step's "hold", "deliver all", "wait client>server FIN within 3000 ms": the action and
/// its all/newest in words, the pattern (hosts and flags) as written.
QString gateCall(const std::string& engineArgs)
{
    static const std::array<std::pair<const char*, const char*>, 12> kWords { {
        { "hold", QT_TRANSLATE_NOOP("synack::CallText", "hold") },
        { "pass", QT_TRANSLATE_NOOP("synack::CallText", "pass") },
        { "cut", QT_TRANSLATE_NOOP("synack::CallText", "cut the wire") },
        { "mend", QT_TRANSLATE_NOOP("synack::CallText", "mend the wire") },
        { "lose", QT_TRANSLATE_NOOP("synack::CallText", "lose") },
        { "deliver", QT_TRANSLATE_NOOP("synack::CallText", "deliver") },
        { "drop", QT_TRANSLATE_NOOP("synack::CallText", "drop") },
        { "duplicate", QT_TRANSLATE_NOOP("synack::CallText", "duplicate") },
        { "delay", QT_TRANSLATE_NOOP("synack::CallText", "delay") },
        { "wait", QT_TRANSLATE_NOOP("synack::CallText", "wait for") },
        { "all", QT_TRANSLATE_NOOP("synack::CallText", "all") },
        { "newest", QT_TRANSLATE_NOOP("synack::CallText", "newest") },
    } };
    QString rest = args(engineArgs);
    QStringList words;
    // The leading words the engine writes (action, then all/newest); the rest is the pattern.
    while (!rest.isEmpty()) {
        const QString word = rest.section(u' ', 0, 0);
        const auto known = std::find_if(
            kWords.begin(), kWords.end(), [&word](const auto& w) { return word == QLatin1String(w.first); });
        if (known == kWords.end())
            break;
        words << QCoreApplication::translate("synack::CallText", known->second);
        rest = rest.section(u' ', 1);
    }
    if (!rest.isEmpty())
        words << rest;
    return QCoreApplication::translate("synack::CallText", "gate: %1").arg(words.join(u' '));
}

} // namespace

QString args(const std::string& engineArgs)
{
    QString text = fromUtf8(engineArgs);
    // Compiled once: a trace of 20,000 endpoints asks for every call's args.
    static const std::array<QRegularExpression, kPhrases.size()> compiled = [] {
        std::array<QRegularExpression, kPhrases.size()> out;
        for (std::size_t i = 0; i < kPhrases.size(); ++i)
            out[i] = QRegularExpression(QLatin1String(kPhrases[i].pattern));
        return out;
    }();
    for (std::size_t i = 0; i < kPhrases.size(); ++i) {
        const ArgPhrase& p = kPhrases[i];
        const QRegularExpression& re = compiled[i];
        if (p.pattern[0] == '^') {
            if (const auto m = re.match(text); m.hasMatch())
                return p.render(m);
        } else {
            text = replaceAll(text, re, p.render);
        }
    }
    return text;
}

QString call(const StepEvent& s)
{
    if (s.call == "gate")
        return gateCall(s.args);
    if (s.call == "accept")
        return QStringLiteral("accept()");
    // Not system calls but the scenario's waits: said in words.
    if (s.call == "wait")
        return QCoreApplication::translate("synack::CallText", "wait %1").arg(args(s.args));
    if (s.call == "wait-state") {
        static const QRegularExpression stateWithin(QStringLiteral("^(\\S+) within (\\d+) ms$"));
        if (const auto m = stateWithin.match(fromUtf8(s.args)); m.hasMatch())
            return QCoreApplication::translate("synack::CallText", "wait for %1 within %2 ms")
                .arg(m.captured(1), m.captured(2));
    }
    return fromUtf8(s.call) + u'(' + args(s.args) + u')';
}

QString callAndResult(const StepEvent& s)
{
    QString result = QString::number(s.result);
    if (s.err != 0)
        result += u' ' + fromUtf8(errnoName(s.err));
    if (s.call == "gate") // not a system call: what it did is in its gate events
        return call(s) + (s.err ? QStringLiteral(" = ") + result : QString());
    return call(s) + QStringLiteral(" = ") + result;
}

QString segment(const SegmentEvent& s)
{
    QString out = fromUtf8(s.flagsText());
    if (s.source == Source::Capture) {
        out += QStringLiteral(" seq %1").arg(s.relSeq ? *s.relSeq : s.seq.value_or(0));
        if (s.ack)
            out += QStringLiteral(" ack %1").arg(s.relAck ? *s.relAck : *s.ack);
        if (s.window)
            out += QStringLiteral(" win %1").arg(*s.window);
    }
    if (s.length > 0)
        out += u' ' + QCoreApplication::translate("synack::CallText", "%1 bytes").arg(s.length);
    if (!s.fate.empty() && s.fate != "passed")
        out += QStringLiteral(", ") + gatetext::fate(s, false);
    return out;
}

QString timerName(TimerKind kind, unsigned raw, bool brief)
{
    if (brief) {
        // English keeps the kernel's short names where the column already says "Timer".
        switch (kind) {
        case TimerKind::None:
            return {};
        case TimerKind::Retransmit:
            return QCoreApplication::translate("synack::CallText", "retransmit", "a timer, in the Timer column");
        case TimerKind::Keepalive:
            return QCoreApplication::translate("synack::CallText", "keepalive", "a timer, in the Timer column");
        case TimerKind::TimeWait:
            return QCoreApplication::translate("synack::CallText", "time-wait", "a timer, in the Timer column");
        case TimerKind::Probe:
            return QCoreApplication::translate("synack::CallText", "probe", "a timer, in the Timer column");
        case TimerKind::FinWait2:
            return QCoreApplication::translate("synack::CallText", "fin-wait2", "a timer, in the Timer column");
        case TimerKind::Unknown:
            break;
        }
        return QCoreApplication::translate("synack::CallText", "unknown(%1)", "a timer, in the Timer column").arg(raw);
    }
    switch (kind) {
    case TimerKind::None:
        return {};
    case TimerKind::Retransmit:
        return QCoreApplication::translate("synack::CallText", "retransmission timer");
    case TimerKind::Keepalive:
        return QCoreApplication::translate("synack::CallText", "keepalive timer");
    case TimerKind::TimeWait:
        return QCoreApplication::translate("synack::CallText", "time-wait timer");
    case TimerKind::Probe:
        return QCoreApplication::translate("synack::CallText", "zero-window probe timer");
    case TimerKind::FinWait2:
        return QCoreApplication::translate("synack::CallText", "fin-wait2 timer");
    case TimerKind::Unknown:
        break;
    }
    return QCoreApplication::translate("synack::CallText", "unknown timer (%1)").arg(raw);
}

QString timer(TimerKind kind, std::int64_t leftMs, unsigned raw)
{
    if (kind == TimerKind::None)
        return {};
    const double seconds = static_cast<double>(leftMs) / 1000.0;
    return QCoreApplication::translate("synack::CallText", "%1 %2 s")
        .arg(timerName(kind, raw), QString::number(seconds, 'f', leftMs < 10000 ? 1 : 0));
}

QString expectedValue(const std::string& value)
{
    const QString v = fromUtf8(value);
    if (v == QLatin1String("yes"))
        return QCoreApplication::translate("synack::CallText", "yes");
    if (v == QLatin1String("no"))
        return QCoreApplication::translate("synack::CallText", "no");
    if (v == QLatin1String("none"))
        return QCoreApplication::translate("synack::CallText", "none");
    if (v == QLatin1String("unknown"))
        return QCoreApplication::translate("synack::CallText", "unknown");
    if (v == QLatin1String("not reported"))
        return QCoreApplication::translate("synack::CallText", "not reported");
    if (v == QLatin1String("no such endpoint"))
        return QCoreApplication::translate("synack::CallText", "no such endpoint");
    if (v == QLatin1String("no call yet"))
        return QCoreApplication::translate("synack::CallText", "no call yet");
    if (v == QLatin1String("no peer socket"))
        return QCoreApplication::translate("synack::CallText", "no peer socket");
    // A gate's (engine/run/expectations.cpp, runner.cpp).
    if (v == QLatin1String("held"))
        return QCoreApplication::translate("synack::CallText", "held");
    if (v == QLatin1String("none arrived"))
        return QCoreApplication::translate("synack::CallText", "none arrived");
    if (v == QLatin1String("none held: the wire is cut, every segment is lost"))
        return QCoreApplication::translate("synack::CallText", "none held: the wire is cut, every segment is lost");
    if (v == QLatin1String("none held: the gate is not holding (gate hold), so segments pass"))
        return QCoreApplication::translate(
            "synack::CallText", "none held: the gate is not holding (gate hold), so segments pass");
    if (v == QLatin1String("no gate: this run is not in the gated lab"))
        return QCoreApplication::translate("synack::CallText", "no gate: this run is not in the gated lab");
    if (const QString t = timerWord(v); !t.isEmpty())
        return t;
    return v;
}

QString expectation(const ExpectEvent& x)
{
    const QString who = fromUtf8(x.endpoint);
    const QString want = expectedValue(x.expected);
    const std::string& q = x.quantity;
    if (q == "state")
        return QCoreApplication::translate("synack::CallText", "expect %1 in %2").arg(who, want);
    if (q == "peer-state")
        return QCoreApplication::translate("synack::CallText", "expect %1's peer in %2").arg(who, want);
    if (q == "blocked")
        return x.expected == "yes"
            ? QCoreApplication::translate("synack::CallText", "expect %1's call to block").arg(who)
            : QCoreApplication::translate("synack::CallText", "expect %1 not blocked").arg(who);
    static const QRegularExpression heldWithin(QStringLiteral("^(.*) held within (\\d+) ms$"));
    if (const auto m = heldWithin.match(fromUtf8(x.expected)); q == "held" && m.hasMatch()) // gate wait
        return QCoreApplication::translate("synack::CallText", "expect the gate to hold %1 within %2 ms")
            .arg(m.captured(1) == QLatin1String("a segment")
                    ? QCoreApplication::translate("synack::CallText", "a segment")
                    : m.captured(1),
                m.captured(2));
    if (q == "held")
        return QCoreApplication::translate("synack::CallText", "expect the gate to hold %1 segment(s)").arg(want);
    if (q == "next")
        return QCoreApplication::translate("synack::CallText", "expect the next segment held at the gate to be %1")
            .arg(want);
    if (q == "timer")
        return QCoreApplication::translate("synack::CallText", "expect %1's %2 running").arg(who, want);
    static const std::array<std::pair<const char*, const char*>, 13> kQuantities { {
        { "errno", QT_TRANSLATE_NOOP("synack::CallText", "errno") },
        { "result", QT_TRANSLATE_NOOP("synack::CallText", "return value") },
        { "recvq", QT_TRANSLATE_NOOP("synack::CallText", "receive queue") },
        { "sendq", QT_TRANSLATE_NOOP("synack::CallText", "send queue") },
        { "notsent", QT_TRANSLATE_NOOP("synack::CallText", "unsent bytes") },
        { "acceptq", QT_TRANSLATE_NOOP("synack::CallText", "accept queue") },
        { "sndbuf", QT_TRANSLATE_NOOP("synack::CallText", "send buffer") },
        { "rcvbuf", QT_TRANSLATE_NOOP("synack::CallText", "receive buffer") },
        { "timer-ms", QT_TRANSLATE_NOOP("synack::CallText", "timer's time left (ms)") },
        { "segs-out", QT_TRANSLATE_NOOP("synack::CallText", "segments sent") },
        { "segs-in", QT_TRANSLATE_NOOP("synack::CallText", "segments received") },
        { "retrans", QT_TRANSLATE_NOOP("synack::CallText", "retransmissions") },
        { "shutdown", QT_TRANSLATE_NOOP("synack::CallText", "shut down directions") },
    } };
    QString name = fromUtf8(q);
    for (const auto& [word, english] : kQuantities)
        if (q == word)
            name = QCoreApplication::translate("synack::CallText", english);
    // "== 2000" is written "2000" by the engine: an equality has no operator.
    return QCoreApplication::translate("synack::CallText", "expect %1's %2 %3").arg(who, name, want);
}

QString why(const std::string& engineWhy)
{
    const QString w = fromUtf8(engineWhy);
    auto tr = [](const char* text) { return QCoreApplication::translate("synack::CallText", text); };
    // engine/run/transitions.cpp, runner.cpp and ordering.cpp: the reasons an event was inferred.
    static const std::array<std::pair<const char*, const char*>, 5> kFixed { {
        { "not sampled: passed through faster than the sampler reads the kernel; taken from the RFC 9293 diagram",
            QT_TRANSLATE_NOOP("synack::CallText",
                "not sampled: passed through faster than the sampler reads the kernel; taken from the RFC 9293 "
                "diagram") },
        { "the kernel no longer has this socket",
            QT_TRANSLATE_NOOP("synack::CallText", "the kernel no longer has this socket") },
        { "not sampled: connect() returned ECONNREFUSED, which the kernel reports when a RST answers the SYN",
            QT_TRANSLATE_NOOP("synack::CallText",
                "not sampled: connect() returned ECONNREFUSED, which the kernel reports when a RST answers the SYN") },
        { "inferred: connect() sends SYN", QT_TRANSLATE_NOOP("synack::CallText", "inferred: connect() sends SYN") },
        { "inferred from ECONNREFUSED: no listener on that port",
            QT_TRANSLATE_NOOP("synack::CallText", "inferred from ECONNREFUSED: no listener on that port") },
    } };
    for (const auto& [english, source] : kFixed)
        if (engineWhy == english)
            return tr(source);
    static const QRegularExpression counted(QStringLiteral(
        "^the kernel counted (\\d+) bytes sent \\(tcpi_bytes_sent\\); their division into segments is not seen "
        "without a capture$"));
    if (const auto m = counted.match(w); m.hasMatch())
        return QCoreApplication::translate("synack::CallText",
            "the kernel counted %1 bytes sent (tcpi_bytes_sent); their division into segments is not seen "
            "without a capture")
            .arg(m.captured(1));
    static const QRegularExpression takes(
        QStringLiteral("^inferred: (\\S+) went (.+), which takes a (\\S+) from (\\S+)$"));
    if (const auto m = takes.match(w); m.hasMatch())
        return QCoreApplication::translate("synack::CallText", "inferred: %1 went %2, which takes a %3 from %4")
            .arg(m.captured(1), m.captured(2), m.captured(3), m.captured(4));
    static const QRegularExpression sends(
        QStringLiteral("^inferred: (\\S+) went (.+), which sends (\\S+) \\(RFC 9293\\)$"));
    if (const auto m = sends.match(w); m.hasMatch())
        return QCoreApplication::translate("synack::CallText", "inferred: %1 went %2, which sends %3 (RFC 9293)")
            .arg(m.captured(1), m.captured(2), m.captured(3));
    return w;
}

QString note(const std::string& engineNote)
{
    const QString n = fromUtf8(engineNote);
    auto tr = [](const char* text) { return QCoreApplication::translate("synack::CallText", text); };
    // engine/run/runner.cpp: how the run was made, and what went wrong along the way.
    static const std::array<std::pair<const char*, const char*>, 3> kFixed { {
        { "run stopped by the user", QT_TRANSLATE_NOOP("synack::CallText", "run stopped by the user") },
        { "host loopback because SYNACK_TIER=0: segments are inferred from the state changes",
            QT_TRANSLATE_NOOP("synack::CallText",
                "host loopback because SYNACK_TIER=0: segments are inferred from the state changes") },
        { "this scenario was written for loopback: where its narration says 127.0.0.1 or loopback, read the two "
          "hosts' addresses, and segments that take real time to cross",
            QT_TRANSLATE_NOOP("synack::CallText",
                "this scenario was written for loopback: where its narration says 127.0.0.1 or loopback, read the "
                "two hosts' addresses, and segments that take real time to cross") },
    } };
    for (const auto& [english, source] : kFixed)
        if (engineNote == english)
            return tr(source);
    static const QRegularExpression gated(QStringLiteral(
        "^run of (\\S+) on Linux (\\S+), gated lab: a client host \\(([^)]+)\\) and a server host \\(([^)]+)\\), "
        "private network namespaces joined only through SynAck's gate, where every segment is captured$"));
    if (const auto m = gated.match(n); m.hasMatch())
        return QCoreApplication::translate("synack::CallText",
            "run of %1 on Linux %2, gated lab: a client host (%3) and a server host (%4), private network "
            "namespaces joined only through SynAck's gate, where every segment is captured")
            .arg(m.captured(1), m.captured(2), m.captured(3), m.captured(4));
    static const QRegularExpression lab(QStringLiteral("^run of (\\S+) on Linux (\\S+), lab: a private network "
                                                       "namespace \\(([^)]+)\\) with its own lo, where every "
                                                       "segment is captured$"));
    if (const auto m = lab.match(n); m.hasMatch()) {
        const QString kinds = m.captured(3) == QLatin1String("user+net")
            ? QCoreApplication::translate("synack::CallText", "user and network")
            : m.captured(3) == QLatin1String("net") ? QCoreApplication::translate("synack::CallText", "network")
                                                    : m.captured(3);
        return QCoreApplication::translate("synack::CallText",
            "run of %1 on Linux %2, lab: a private network namespace (%3) with its own lo, where every segment is "
            "captured")
            .arg(m.captured(1), m.captured(2), kinds);
    }
    static const QRegularExpression host(QStringLiteral("^run of (\\S+) on Linux (\\S+), host loopback$"));
    if (const auto m = host.match(n); m.hasMatch())
        return QCoreApplication::translate("synack::CallText", "run of %1 on Linux %2, host loopback")
            .arg(m.captured(1), m.captured(2));
    static const QRegularExpression noLab(QStringLiteral(
        "^host loopback because the lab is not available \\((.*)\\): segments are inferred from the state changes$"));
    if (const auto m = noLab.match(n); m.hasMatch())
        return QCoreApplication::translate("synack::CallText",
            "host loopback because the lab is not available (%1): segments are inferred from the state changes")
            .arg(m.captured(1));
    static const QRegularExpression ring(QStringLiteral("^(\\d+) packets passed lo while the capture ring was full: "
                                                        "they are missing from the ladder and the pcap$"));
    if (const auto m = ring.match(n); m.hasMatch())
        return QCoreApplication::translate("synack::CallText",
            "%1 packets passed lo while the capture ring was full: they are missing from the ladder and the pcap")
            .arg(m.captured(1));
    return n;
}

} // namespace synack::calltext
