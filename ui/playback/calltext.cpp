// SPDX-License-Identifier: GPL-3.0-or-later
#include "playback/calltext.h"

#include "common/text.h"
#include "playback/gatetext.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <array>
#include <utility>

namespace synack::calltext {

namespace {

    /// One phrase the engine writes into a call's args (engine/run/calls.cpp, engine/run/runner.cpp)
    /// and its translation, with the numbers it carries captured as %1, %2.
    struct ArgPhrase {
        const char* pattern;
        QString (*render)(const QRegularExpressionMatch&);
    };

    QString cap(const QRegularExpressionMatch& m, int n) { return m.captured(n); }

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

} // namespace

QString args(const std::string& engineArgs)
{
    QString text = qs(engineArgs);
    for (const ArgPhrase& p : kPhrases) {
        const QRegularExpression re(QLatin1String(p.pattern));
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
        return QStringLiteral("gate ") + args(s.args);
    if (s.call == "accept")
        return QStringLiteral("accept()");
    return qs(s.call) + u'(' + args(s.args) + u')';
}

QString callAndResult(const StepEvent& s)
{
    QString result = QString::number(s.result);
    if (s.err != 0)
        result += u' ' + qs(errnoName(s.err));
    if (s.call == "gate") // not a system call: what it did is in its gate events
        return call(s) + (s.err ? QStringLiteral(" = ") + result : QString());
    return call(s) + QStringLiteral(" = ") + result;
}

QString segment(const SegmentEvent& s)
{
    QString out = qs(s.flagsText());
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

QString timerName(TimerKind kind, unsigned raw)
{
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
    const QString v = qs(value);
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
    if (const QString t = timerWord(v); !t.isEmpty())
        return t;
    return v;
}

QString expectation(const ExpectEvent& x)
{
    const QString who = qs(x.endpoint);
    const QString want = expectedValue(x.expected);
    const std::string& q = x.quantity;
    if (q == "state")
        return QCoreApplication::translate("synack::CallText", "expect %1 in %2").arg(who, want);
    if (q == "peer-state")
        return QCoreApplication::translate("synack::CallText", "expect %1's peer in %2").arg(who, want);
    if (q == "blocked")
        return x.expected == "yes" ? QCoreApplication::translate("synack::CallText", "expect %1's call to block").arg(who)
                                   : QCoreApplication::translate("synack::CallText", "expect %1 not blocked").arg(who);
    if (q == "timer")
        return QCoreApplication::translate("synack::CallText", "expect %1's %2 running").arg(who, want);
    static const std::array<std::pair<const char*, const char*>, 15> kQuantities { {
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
        { "held", QT_TRANSLATE_NOOP("synack::CallText", "segments held") },
        { "next", QT_TRANSLATE_NOOP("synack::CallText", "next held segment") },
    } };
    QString name = qs(q);
    for (const auto& [word, english] : kQuantities)
        if (q == word)
            name = QCoreApplication::translate("synack::CallText", english);
    // "== 2000" is written "2000" by the engine: an equality has no operator.
    return QCoreApplication::translate("synack::CallText", "expect %1's %2 %3").arg(who, name, want);
}

QString why(const std::string& engineWhy)
{
    const QString w = qs(engineWhy);
    auto tr = [](const char* text) { return QCoreApplication::translate("synack::CallText", text); };
    // engine/run/transitions.cpp, runner.cpp and ordering.cpp: the reasons an event was inferred.
    static const std::array<std::pair<const char*, const char*>, 5> kFixed { {
        { "not sampled: passed through faster than the sampler reads the kernel; taken from the RFC 9293 diagram",
            QT_TRANSLATE_NOOP("synack::CallText",
                "not sampled: passed through faster than the sampler reads the kernel; taken from the RFC 9293 "
                "diagram") },
        { "the kernel no longer has this socket", QT_TRANSLATE_NOOP("synack::CallText", "the kernel no longer has this socket") },
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
        return QCoreApplication::translate("synack::CallText", "the kernel counted %1 bytes sent (tcpi_bytes_sent); their division into segments is not seen "
                  "without a capture")
            .arg(m.captured(1));
    static const QRegularExpression takes(QStringLiteral("^inferred: (\\S+) went (.+), which takes a (\\S+) from (\\S+)$"));
    if (const auto m = takes.match(w); m.hasMatch())
        return QCoreApplication::translate("synack::CallText", "inferred: %1 went %2, which takes a %3 from %4")
            .arg(m.captured(1), m.captured(2), m.captured(3), m.captured(4));
    static const QRegularExpression sends(QStringLiteral("^inferred: (\\S+) went (.+), which sends (\\S+) \\(RFC 9293\\)$"));
    if (const auto m = sends.match(w); m.hasMatch())
        return QCoreApplication::translate("synack::CallText", "inferred: %1 went %2, which sends %3 (RFC 9293)").arg(m.captured(1), m.captured(2), m.captured(3));
    return w;
}

} // namespace synack::calltext
