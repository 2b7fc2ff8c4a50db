// SPDX-License-Identifier: GPL-3.0-or-later
#include "ladder/ladderevents.h"

#include "common/text.h"
#include "ladder/ladderstyle.h"
#include "ladder/ladderview.h"
#include "playback/calltext.h"
#include "playback/gatetext.h"

#include <QFontMetricsF>
#include <QStringList>

#include <algorithm>
#include <array>
#include <string_view>
#include <tuple>

namespace synack {

bool isCountdown(TimerKind timer)
{
    return timer == TimerKind::TimeWait || timer == TimerKind::FinWait2;
}

QString countdownText(TimerKind timer, double seconds, bool left)
{
    const int decimals = left && seconds < 10 ? 1 : 0;
    if (timer == TimerKind::FinWait2)
        return left ? LadderView::tr("fin-wait2 %1 s left").arg(seconds, 0, 'f', decimals)
                    : LadderView::tr("fin-wait2 %1 s").arg(seconds, 0, 'f', 0);
    return left ? LadderView::tr("time-wait %1 s left").arg(seconds, 0, 'f', decimals)
                : LadderView::tr("time-wait %1 s").arg(seconds, 0, 'f', 0);
}

QString countdownShort(double seconds)
{
    return LadderView::tr("%1 s left").arg(seconds, 0, 'f', seconds < 10 ? 1 : 0);
}

namespace {

/// "seq 4288425389 (relative 1)", "ack 501": what the segment says of both, as sent, and counted
/// from each side's ISN when the capture saw the SYNs.
QStringList seqAck(const SegmentEvent& seg)
{
    QStringList out;
    if (seg.seq)
        out << (seg.relSeq ? LadderView::tr("seq %1 (relative %2)").arg(*seg.seq).arg(*seg.relSeq)
                           : LadderView::tr("seq %1").arg(*seg.seq));
    if (seg.ack)
        out << (seg.relAck ? LadderView::tr("ack %1 (relative %2)").arg(*seg.ack).arg(*seg.relAck)
                           : LadderView::tr("ack %1").arg(*seg.ack));
    return out;
}

/// The arrow's short words for the wire classifier's cause (engine/run/wire.cpp): the timers'
/// (retransmission n with its delay, keepalive probe, delayed ACK) and the kinds of ACK that teach
/// something. "" for the ordinary ones (the call that sent it, an answer).
QString causeTag(const SegmentEvent& seg)
{
    const std::string& c = seg.cause;
    auto starts = [&c](std::string_view w) { return c.compare(0, w.size(), w) == 0; };
    if (starts("window probe") || starts("zero window probe"))
        return LadderView::tr("zero-window probe");
    if (starts("duplicate ACK"))
        return LadderView::tr("duplicate ACK");
    if (starts("window update after recv"))
        return LadderView::tr("window update");
    if (starts("window update or duplicate ACK"))
        return LadderView::tr("window update or dup ACK");
    return gatetext::cause(seg);
}

QString callResult(const StepEvent& s, const LadderEvent& p)
{
    QString result = s.call == "accept" && !p.warning && !s.creates.empty() ? qs(s.creates) : QString::number(s.result);
    if (s.err != 0)
        result += QLatin1String("  ") + qs(errnoName(s.err));
    return result;
}

QString callToolTip(const StepEvent& s, const LadderEvent& p)
{
    const QString result = callResult(s, p);
    const bool waitState = s.call == "wait-state";
    QStringList tip;
    tip << LadderView::tr("Line %1: %2").arg(s.line).arg(qs(s.text));
    for (const CallRecord& c : s.calls) {
        QString one = QStringLiteral("  %1(%2) = %3").arg(qs(c.call), calltext::args(c.args)).arg(c.result);
        if (c.err != 0)
            one += QLatin1Char(' ') + qs(errnoName(c.err));
        if (c.count > 1)
            one += QStringLiteral(" ×%1").arg(c.count);
        tip << one;
    }
    if (waitState)
        tip << LadderView::tr("The run waits until the kernel reports this state.");
    else if (p.blocked)
        tip << LadderView::tr("The call blocks: the application waits, the run goes on with other endpoints.");
    else if (p.completed)
        tip << LadderView::tr("The blocked call returned %1.").arg(result);
    else
        tip << LadderView::tr("Returned %1.").arg(result);
    if (!s.creates.empty())
        tip << (s.adopts.empty()
                ? LadderView::tr("The new connection is %1.").arg(qs(s.creates))
                : LadderView::tr("The connection shown as %1 is now %2.").arg(qs(s.adopts), qs(s.creates)));
    // The narration in the window's language (Qt's QT_LAYOUT_DIRECTION idiom: the translation
    // names its language), else the English every scenario has.
    const std::string lang
        = LadderView::tr("en", "the key of the scenario narration the ladder's tooltips show").toStdString();
    auto it = s.narration.find(lang);
    if (it == s.narration.end() || it->second.empty())
        it = s.narration.find("en");
    if (it != s.narration.end() && !it->second.empty())
        tip << QString() << qs(it->second);
    return tip.join(QLatin1Char('\n'));
}

QString stateToolTip(const StateEvent& st, const LadderEvent& p)
{
    const QString to = qs(stateName(st.to));
    QStringList tip;
    tip << (!st.from ? LadderView::tr("%1 appears in %2").arg(qs(st.endpoint), to)
                     : LadderView::tr("%1: %2 -> %3").arg(qs(st.endpoint), qs(stateName(*st.from)), to));
    if (!st.local.empty())
        tip << LadderView::tr("local %1").arg(qs(st.local))
                + (st.peer.empty() ? QString() : LadderView::tr(", peer %1").arg(qs(st.peer)));
    if (p.inferred)
        tip << LadderView::tr("Inferred, not read from the kernel: %1")
                   .arg(st.why.empty() ? LadderView::tr("filled in from the RFC 9293 diagram") : calltext::why(st.why));
    else if (p.gone)
        tip << LadderView::tr("Read from the kernel: %1.").arg(calltext::why(st.why));
    else
        tip << LadderView::tr("Read from the kernel.");
    return tip.join(QLatin1Char('\n'));
}

QString segmentToolTip(const SegmentEvent& seg, const LadderEvent& p, const QString& refusedWhy)
{
    QStringList tip;
    tip << LadderView::tr("%1 from %2 to %3").arg(p.label, qs(seg.from), qs(seg.to));
    QStringList fields = seqAck(seg);
    if (seg.window && !seg.has(kRst))
        fields << LadderView::tr("window %1").arg(*seg.window);
    fields << LadderView::tr("%n byte(s) of data", nullptr, static_cast<int>(seg.length));
    tip << fields.join(QLatin1String(", "));
    if (p.inferred)
        tip << LadderView::tr("Inferred, not captured: %1")
                   .arg(seg.why.empty() ? LadderView::tr("implied by the state changes") : calltext::why(seg.why));
    else if (seg.source == Source::Capture)
        tip << LadderView::tr("Captured on the wire.");
    else
        tip << LadderView::tr("Reported by the kernel.");
    if (const QString cause = gatetext::cause(seg); !cause.isEmpty())
        tip << LadderView::tr("Sent by the kernel's timer: %1.").arg(cause);
    else if (const QString tag = causeTag(seg); !tag.isEmpty())
        tip << LadderView::tr("Why: %1 (inferred from the segments captured before it).").arg(tag);
    if (!refusedWhy.isEmpty())
        tip << refusedWhy;
    if (seg.fate == "held")
        tip << LadderView::tr("Held at the gate (segment #%1): it waits there until it is delivered or dropped. "
                              "Click it to decide.")
                   .arg(seg.frame);
    else if (seg.fate == "cut")
        tip << LadderView::tr("Lost: the wire was cut, so it never reached %1.").arg(qs(seg.to));
    else if (seg.fate == "lost")
        tip << LadderView::tr("Lost at the gate: a `gate lose` rule threw it away.");
    else if (seg.fate == "copy")
        tip << LadderView::tr("A copy of segment #%1, sent again by the gate.").arg(seg.copyOf);
    return tip.join(QLatin1Char('\n'));
}

QString timerToolTip(const TimerEvent& tm)
{
    if (tm.kind == TimerKind::FinWait2)
        return LadderView::tr("%1: the kernel's FIN_WAIT2 timer had %2 ms left when read.\n"
                              "An orphan (closed by its application) waits this long for the peer's "
                              "FIN (tcp_fin_timeout); then the kernel drops it. This is not TIME_WAIT.")
            .arg(qs(tm.endpoint))
            .arg(tm.remainingMs);
    return LadderView::tr("%1: the kernel's time-wait timer had %2 ms left when read.\n"
                          "The socket stays in TIME_WAIT until it expires (60 s on Linux).")
        .arg(qs(tm.endpoint))
        .arg(tm.remainingMs);
}

QString waitToolTip(const StepEvent& s)
{
    return LadderView::tr("Line %1: %2\nTime passes; the kernel runs its timers meanwhile.")
        .arg(s.line)
        .arg(qs(s.text));
}

/// SYNs a listener's kernel threw away because its accept queue was full. Linux says nothing when
/// it does (tcp_conn_request() drops the SYN when sk_acceptq_is_full(): more waiting than the
/// backlog), so it is inferred from two observations: the listener's queue as sock_diag last read
/// it was over its backlog, and no SYN,ACK answered the captured SYN before the client sent it
/// again (or the trace ended).
std::map<std::size_t, QString> refusedSyns(const Trace& t)
{
    std::map<std::size_t, QString> out;
    // The SYN's receiver may be named after the listener or after the "<client>/peer" it would
    // have made: the listener is found by address, the one the client connects to.
    std::map<std::string, std::string> listenerAt; // local address -> listener
    std::map<std::string, std::string> peerOf; // endpoint -> the address it is connected (or connecting) to
    std::map<std::string, const BuffersEvent*> queues; // listener -> its last reading
    for (std::size_t i = 0; i < t.events.size(); ++i) {
        if (const auto* st = t.events[i].as<StateEvent>()) {
            if (st->role == Role::Listener && !st->local.empty())
                listenerAt[st->local] = st->endpoint;
            if (!st->peer.empty())
                peerOf[st->endpoint] = st->peer;
            continue;
        }
        if (const auto* b = t.events[i].as<BuffersEvent>(); b && b->acceptq >= 0 && b->backlog >= 0) {
            queues[b->endpoint] = b;
            continue;
        }
        const auto* seg = t.events[i].as<SegmentEvent>();
        if (!seg || seg->source != Source::Capture || !seg->seq || seg->flags != kSyn)
            continue;
        const auto peer = peerOf.find(seg->from);
        const auto listener = peer == peerOf.end() ? listenerAt.end() : listenerAt.find(peer->second);
        const auto q = queues.find(listener == listenerAt.end() ? seg->to : listener->second);
        if (q == queues.end() || q->second->acceptq <= q->second->backlog)
            continue;
        bool answered = false;
        for (std::size_t j = i + 1; j < t.events.size() && !answered; ++j) {
            const auto* later = t.events[j].as<SegmentEvent>();
            if (!later)
                continue;
            if (later->from == seg->from && later->has(kSyn) && later->seq == seg->seq)
                break; // sent again: the first one was never answered
            answered = later->has(kSyn) && later->has(kAck) && later->ack == *seg->seq + 1;
        }
        if (!answered)
            out[i] = LadderView::tr("Dropped by %1's kernel (inferred): its accept queue was full (%2 waiting, "
                                    "backlog %3, read from the kernel before this SYN) and no SYN,ACK answered it. "
                                    "Linux drops such a SYN without a reply; the client's timer sends it again.")
                         .arg(qs(q->first))
                         .arg(q->second->acceptq)
                         .arg(q->second->backlog);
    }
    return out;
}

/// Works out what each event of a trace draws, and how wide the columns and the wire must be
/// for it: one function per kind of event.
class Preparer {
public:
    Preparer(const Trace& t, const LadderFonts& fonts, LadderPrepared& out, bool absoluteSeq,
        const std::set<std::size_t>& expanded)
        : m_trace(t)
        , m_expanded(expanded)
        , m_fonts(fonts)
        , m_out(out)
        , m_body(fonts.body)
        , m_bold(fonts.bold)
        , m_small(fonts.small)
        , m_smallBold(fonts.smallBold)
        , m_smallItalic(italicOf(fonts.small))
        , m_unit(fonts.u)
        , m_seq(LadderView::tr("seq %1"))
        , m_ack(LadderView::tr("ack %1"))
        , m_len(LadderView::tr("len %1"))
        , m_win(LadderView::tr("win %1"))
        , m_returned(LadderView::tr("returned %1"))
        , m_blocked(LadderView::tr("blocked"))
        , m_absolute(absoluteSeq)
        , m_wireNeed(11 * fonts.u)
    {
    }

    void run()
    {
        m_out.lanes.collect(m_trace);
        m_out.events.assign(m_trace.events.size(), LadderEvent {});
        m_out.stepText.clear();
        m_out.refusedWhy = refusedSyns(m_trace);
        m_need.assign(m_out.lanes.columns.size(), 0.0);
        for (m_index = 0; m_index < m_trace.events.size(); ++m_index)
            prepare(m_trace.events[m_index], m_out.events[m_index]);
        groupRepeats();
        stepHeaders();
        m_out.lanes.place(m_trace, m_need, m_wireNeed, m_fonts);
    }

private:
    void prepare(const Event& e, LadderEvent& p)
    {
        const LadderColumns& lanes = m_out.lanes;
        if (const auto* s = e.as<StepEvent>()) {
            if (e.step >= 0 && s->phase != Phase::Completed && !m_out.stepText.count(e.step))
                m_out.stepText[e.step] = qs(s->text);
            if (s->call == "wait")
                waitGap(*s, p);
            else
                call(*s, p);
        } else if (const auto* st = e.as<StateEvent>(); st && lanes.indexOf(st->endpoint) >= 0) {
            state(*st, p);
        } else if (const auto* seg = e.as<SegmentEvent>();
                   seg && lanes.indexOf(seg->from) >= 0 && lanes.indexOf(seg->to) >= 0) {
            segment(*seg, p);
        } else if (const auto* tm = e.as<TimerEvent>();
                   tm && isCountdown(tm->kind) && lanes.indexOf(tm->endpoint) >= 0) {
            timer(*tm, p);
        } else if (const auto* g = e.as<GateEvent>()) {
            gate(*g, p);
        }
    }

    void widen(int column, double w)
    {
        if (column >= 0)
            m_need[static_cast<std::size_t>(column)] = std::max(m_need[static_cast<std::size_t>(column)], w);
    }

    void waitGap(const StepEvent& s, LadderEvent& p)
    {
        p.draw = LadderEvent::WaitGap;
        p.label = LadderView::tr("wait %1").arg(calltext::args(s.args));
        p.labelWidth = m_body(p.label);
        m_wireNeed = std::max(m_wireNeed, p.labelWidth + 2 * m_unit);
    }

    void call(const StepEvent& s, LadderEvent& p)
    {
        p.draw = LadderEvent::Call;
        p.column = m_out.lanes.indexOf(s.endpoint);
        if (p.column < 0) {
            p.draw = LadderEvent::None;
            return;
        }
        p.line = s.line;
        p.blocked = s.phase == Phase::Blocked;
        p.completed = s.phase == Phase::Completed;
        const bool hasErrno = s.err != 0;
        // A failed call is marked; `send fill` ends on EAGAIN after sending: not a failure.
        p.warning = hasErrno && s.result < 0;
        const bool waitState = s.call == "wait-state";
        if (waitState) // args: "ESTABLISHED within 5000 ms"; made when the wait begins, no result
            p.label = LadderView::tr("wait for %1").arg(qs(s.args).section(QLatin1Char(' '), 0, 0));
        else
            p.label = calltext::call(s);
        if (m_bold(p.label) > 17 * m_unit)
            p.label = m_bold.metrics().elidedText(p.label, Qt::ElideMiddle, 17 * m_unit);
        const QString result = callResult(s, p);
        if (waitState)
            p.detail = calltext::args(qs(s.args).section(QLatin1Char(' '), 1).toStdString());
        else if (p.blocked)
            p.detail = m_blocked;
        else if (p.completed)
            p.detail = m_returned.arg(result);
        else
            p.detail = QStringLiteral("= ") + result;
        p.labelWidth = m_bold(p.label);
        p.detailWidth = (p.warning ? m_smallBold : m_small)(p.detail) + (p.blocked ? m_unit : 0);
        widen(p.column, std::max(p.labelWidth, p.detailWidth) + 1.2 * m_unit);
        rename(s, p);
    }

    /// accept() of a connection that was drawn as "<client>/peer": the line takes the new name.
    void rename(const StepEvent& s, LadderEvent& p)
    {
        if (s.creates.empty() || s.adopts.empty())
            return;
        const int adopted = m_out.lanes.indexOf(s.adopts);
        if (adopted < 0 || adopted != m_out.lanes.indexOf(s.creates))
            return;
        p.renameColumn = adopted;
        p.renameTo = qs(s.creates);
        widen(p.renameColumn, m_small(LadderView::tr("accepted as %1").arg(p.renameTo)) + 2 * m_unit);
    }

    void state(const StateEvent& st, LadderEvent& p)
    {
        p.draw = LadderEvent::State;
        p.column = m_out.lanes.indexOf(st.endpoint);
        p.inferred = st.source == Source::Inferred;
        p.gone = st.gone;
        const QString to = qs(stateName(st.to));
        p.state = p.gone ? QStringLiteral("gone") : to;
        p.label = p.gone ? LadderView::tr("gone") : to;
        p.labelWidth = m_smallBold(p.label);
        widen(p.column, p.labelWidth + 2.6 * m_unit);
    }

    void segment(const SegmentEvent& seg, LadderEvent& p)
    {
        p.draw = LadderEvent::Segment;
        p.column = m_out.lanes.indexOf(seg.from);
        p.toColumn = m_out.lanes.indexOf(seg.to);
        p.inferred = seg.source == Source::Inferred;
        p.warning = seg.has(kRst);
        p.label = qs(seg.flagsText());
        QString detail;
        auto add = [&detail](const QString& part) {
            if (!detail.isEmpty())
                detail += QLatin1String("  ");
            detail += part;
        };
        // Counted from each side's ISN (as Wireshark does) unless asked otherwise; a segment whose
        // SYN was not captured has only its numbers as sent.
        const auto seq = !m_absolute && seg.relSeq ? seg.relSeq : seg.seq;
        const auto ack = !m_absolute && seg.relAck ? seg.relAck : seg.ack;
        if (seq)
            add(m_seq.arg(*seq));
        if (ack)
            add(m_ack.arg(*ack));
        // An RST's window means nothing (RFC 9293 3.10.7): it is left out rather than shown as a 0.
        if (seg.window && !seg.has(kRst)) {
            if (!detail.isEmpty())
                detail += QLatin1String("  ");
            const QString win = m_win.arg(*seg.window);
            if (*seg.window == 0) { // the receiver's buffer is full: the sender must stop
                p.alertFrom = static_cast<int>(detail.size());
                p.alertLength = static_cast<int>(win.size());
            }
            detail += win;
        }
        if (seg.length > 0)
            add(m_len.arg(seg.length));
        p.detail = detail;
        p.labelWidth = m_bold(p.label);
        p.detailWidth = m_small(p.detail);
        m_wireNeed = std::max(m_wireNeed, std::max(p.labelWidth, p.detailWidth) + 2 * m_unit);
        // The gated lab: where it ends, and the note under it (why a timer sent it, its fate).
        p.frame = seg.frame;
        if (seg.frame > 0)
            m_frames[seg.frame] = &p;
        if (seg.fate == "held")
            p.end = LadderItem::Held;
        else if (seg.fate == "cut" || seg.fate == "lost")
            p.end = LadderItem::Crossed;
        const bool refused = p.end == LadderItem::Arrives && m_out.refusedWhy.count(m_index);
        if (refused)
            p.end = LadderItem::Refused;
        QStringList note;
        if (const QString cause = causeTag(seg); !cause.isEmpty())
            note << cause;
        if (refused)
            note << LadderView::tr("dropped: accept queue full (inferred)");
        if (p.end != LadderItem::Held) // "held" goes beside the gate
            if (const QString fate = gatetext::fate(seg); !fate.isEmpty())
                note << fate;
        setNote(p, note.join(QStringLiteral(" · ")));
        if (p.end == LadderItem::Held) {
            // Its number, as D, X and the menus name it, and as its delivery or drop repeats it.
            p.held = seg.frame > 0 ? LadderView::tr("held #%1").arg(seg.frame) : gatetext::fate(seg);
            p.heldWidth = m_smallItalic(p.held);
        }
    }

    void setNote(LadderEvent& p, const QString& note)
    {
        p.note = note;
        p.noteWidth = p.note.isEmpty() ? 0 : m_smallItalic(p.note);
        m_wireNeed = std::max(m_wireNeed, p.noteWidth + 2 * m_unit);
    }

    /// hold, pass, cut, mend, lose, duplicate: a pill on the wire. deliver and drop go on with the
    /// held segment's arrow: from the gate to the receiver, or a cross at the gate.
    void gate(const GateEvent& g, LadderEvent& p)
    {
        p.gateAction = qs(g.action);
        p.frame = g.frame;
        const auto held = m_frames.find(g.frame);
        if ((g.action == "deliver" || g.action == "drop") && held != m_frames.end()) {
            const LadderEvent& seg = *held->second;
            p.draw = g.action == "deliver" ? LadderEvent::Deliver : LadderEvent::Drop;
            p.column = seg.column;
            p.toColumn = seg.toColumn;
            p.label = seg.label;
            p.detail = seg.detail;
            p.alertFrom = seg.alertFrom;
            p.alertLength = seg.alertLength;
            p.labelWidth = seg.labelWidth;
            p.detailWidth = seg.detailWidth;
            p.warning = seg.warning;
            p.end = g.action == "deliver" ? LadderItem::Arrives : LadderItem::Crossed;
            const bool user = g.by == "user";
            setNote(p,
                (g.action == "deliver" ? (user ? LadderView::tr("#%1 delivered from the gate by you")
                                               : LadderView::tr("#%1 delivered from the gate"))
                                       : (user ? LadderView::tr("#%1 dropped at the gate by you")
                                               : LadderView::tr("#%1 dropped at the gate")))
                    .arg(g.frame));
            return;
        }
        p.draw = LadderEvent::Gate;
        p.label = gatetext::mark(g);
        p.labelWidth = m_small(p.label);
        m_wireNeed = std::max(m_wireNeed, p.labelWidth + 2.5 * m_unit);
    }

    void timer(const TimerEvent& tm, LadderEvent& p)
    {
        p.draw = LadderEvent::Timer;
        p.column = m_out.lanes.indexOf(tm.endpoint);
        p.label = countdownText(tm.kind, static_cast<double>(tm.remainingMs) / 1000.0, false);
        widen(p.column, m_small(countdownText(TimerKind::FinWait2, 59.9, true)) + 3 * m_unit);
    }

    /// Many probes, retransmissions or duplicate ACKs in one step say one thing: they are drawn as
    /// the first, tagged with how many, and the probes' answers go with them (see Group).
    void groupRepeats()
    {
        // The wire classifier's causes that repeat (engine/run/wire.cpp); a probe's answer is
        // "answers " and the probe's cause.
        static constexpr std::array<std::string_view, 4> kKinds { "keepalive probe", "window probe", "retransmission",
            "duplicate ACK" };
        // Fewer are read at a glance; more are a pattern worth one arrow.
        constexpr std::size_t kMinRepeats = 3;
        struct Run {
            std::vector<std::size_t> sent, answers;
        };
        std::map<std::tuple<int, std::string, std::string, std::size_t>, Run> runs;
        for (std::size_t i = 0; i < m_trace.events.size(); ++i) {
            const auto* seg = m_trace.events[i].as<SegmentEvent>();
            if (!seg || m_out.events[i].draw != LadderEvent::Segment || !seg->fate.empty())
                continue;
            const std::string_view cause = seg->cause;
            for (std::size_t k = 0; k < kKinds.size(); ++k) {
                if (cause.substr(0, kKinds[k].size()) == kKinds[k])
                    runs[{ m_trace.events[i].step, seg->from, seg->to, k }].sent.push_back(i);
                else if (k < 2 && cause.size() == 8 + kKinds[k].size() && cause.substr(0, 8) == "answers "
                    && cause.substr(8) == kKinds[k])
                    runs[{ m_trace.events[i].step, seg->to, seg->from, k }].answers.push_back(i);
            }
        }
        for (const auto& [key, run] : runs) {
            if (run.sent.size() < kMinRepeats)
                continue;
            const std::size_t head = run.sent.front();
            LadderPrepared::Group& g = m_out.groups[head];
            g.count = static_cast<int>(run.sent.size());
            g.members.assign(run.sent.begin() + 1, run.sent.end());
            g.members.insert(g.members.end(), run.answers.begin(), run.answers.end());
            g.expanded = m_expanded.count(head) > 0;
            if (g.expanded)
                continue;
            for (std::size_t m : g.members)
                m_out.events[m].draw = LadderEvent::None;
            const QString n = QString::number(g.count);
            const std::size_t kind = std::get<3>(key);
            setNote(m_out.events[head],
                kind == 0       ? LadderView::tr("×%1 keepalive probes").arg(n)
                    : kind == 1 ? LadderView::tr("×%1 zero-window probes").arg(n)
                    : kind == 2 ? LadderView::tr("×%1 retransmissions").arg(n)
                                : LadderView::tr("×%1 duplicate ACKs").arg(n));
        }
    }

    /// Step headers sit in the middle of the wire: it is never crossed by a lifeline.
    void stepHeaders()
    {
        TextWidths mono(m_fonts.mono);
        for (const auto& [index, text] : m_out.stepText) {
            const double badge = m_smallBold(LadderView::tr("Step %1").arg(index + 1)) + 0.9 * m_unit;
            const double w = badge + 0.3 * m_unit + mono(text) + 0.7 * m_unit;
            m_wireNeed = std::max(m_wireNeed, std::min(w, 22 * m_unit) + 1.4 * m_unit);
        }
    }

    const Trace& m_trace;
    const std::set<std::size_t>& m_expanded;
    const LadderFonts& m_fonts;
    LadderPrepared& m_out;
    static QFont italicOf(QFont f)
    {
        f.setItalic(true);
        return f;
    }

    TextWidths m_body, m_bold, m_small, m_smallBold, m_smallItalic;
    const double m_unit;
    std::map<std::int64_t, LadderEvent*> m_frames; ///< a segment's frame -> what it draws: deliver and drop find it
    /// Translated once, not once per event: a trace may have a million.
    const QString m_seq, m_ack, m_len, m_win, m_returned, m_blocked;
    const bool m_absolute; ///< seq and ack as sent, not relative to each side's ISN
    std::size_t m_index = 0; ///< the event being prepared
    std::vector<double> m_need; ///< per column: its widest box
    double m_wireNeed; ///< the widest thing in the wire
};

} // namespace

double TextWidths::operator()(const QString& text)
{
    QString shape = text;
    for (QChar& c : shape)
        if (c.isDigit())
            c = u'0';
    auto it = m_widths.constFind(shape);
    if (it == m_widths.constEnd())
        it = m_widths.insert(shape, m_metrics.horizontalAdvance(shape));
    return *it;
}

LadderPrepared LadderPrepared::make(
    const Trace& t, const LadderFonts& fonts, bool absoluteSeq, const std::set<std::size_t>& expanded)
{
    LadderPrepared out;
    Preparer(t, fonts, out, absoluteSeq, expanded).run();
    return out;
}

QString LadderPrepared::toolTip(const Trace& t, std::size_t index) const
{
    if (index >= t.events.size() || index >= events.size())
        return {};
    const Event& e = t.events[index];
    const LadderEvent& p = events[index];
    switch (p.draw) {
    case LadderEvent::None:
        return {};
    case LadderEvent::WaitGap:
        return waitToolTip(*e.as<StepEvent>());
    case LadderEvent::Call:
        return callToolTip(*e.as<StepEvent>(), p);
    case LadderEvent::State:
        return stateToolTip(*e.as<StateEvent>(), p);
    case LadderEvent::Segment: {
        const auto refused = refusedWhy.find(index);
        QString tip
            = segmentToolTip(*e.as<SegmentEvent>(), p, refused == refusedWhy.end() ? QString() : refused->second);
        if (const auto g = groups.find(index); g != groups.end())
            tip += QLatin1Char('\n')
                + (g->second.expanded
                        ? LadderView::tr("The first of %1 like it in this step: click it to draw them as one arrow.")
                        : LadderView::tr("%1 like it in this step (and their answers) drawn as one arrow: click it to "
                                         "draw each."))
                      .arg(g->second.count);
        return tip;
    }
    case LadderEvent::Timer:
        return timerToolTip(*e.as<TimerEvent>());
    case LadderEvent::Gate:
    case LadderEvent::Deliver:
    case LadderEvent::Drop: {
        const GateEvent& g = *e.as<GateEvent>();
        QString tip = gatetext::action(g);
        if (g.by != "user" && g.line > 0)
            tip = LadderView::tr("Line %1: %2").arg(g.line).arg(tip);
        return tip;
    }
    }
    return {};
}

} // namespace synack
