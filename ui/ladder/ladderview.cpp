// SPDX-License-Identifier: GPL-3.0-or-later
#include "ladder/ladderview.h"

#include "trace/eventtext.h"

#include <QFontDatabase>
#include <QFontMetricsF>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QScrollBar>
#include <QToolTip>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <tuple>
#include <utility>

namespace synack {

namespace {

using Item = LadderView::Item;

QString qs(const std::string& s)
{
    return QString::fromStdString(s);
}

/// Timers the ladder shows as a chip with a countdown: TIME_WAIT's and an orphan's FIN_WAIT2.
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

// The kernel's order (include/net/tcp_states.h), then "gone". Okabe-Ito and Paul Tol colours:
// told apart with the common colour-vision deficiencies; the name is always written as well.
struct StateColour {
    const char* state;
    QRgb rgb;
};
constexpr StateColour kStateColours[] = {
    { "ESTABLISHED", 0x009E73 },
    { "SYN_SENT", 0xE69F00 },
    { "SYN_RECV", 0xDDCC77 },
    { "FIN_WAIT1", 0x88CCEE },
    { "FIN_WAIT2", 0x0072B2 },
    { "TIME_WAIT", 0x332288 },
    { "CLOSE", 0xBBBBBB },
    { "CLOSE_WAIT", 0xCC6677 },
    { "LAST_ACK", 0x882255 },
    { "LISTEN", 0x999933 },
    { "CLOSING", 0xAA4499 },
    { "gone", 0x5F5F5F },
};

QColor contrastText(const QColor& fill)
{
    const double lum = 0.2126 * fill.redF() + 0.7152 * fill.greenF() + 0.0722 * fill.blueF();
    return lum > 0.45 ? QColor(0x1A, 0x1A, 0x1A) : QColor(Qt::white);
}

QColor mix(const QColor& a, const QColor& b, double t)
{
    return QColor::fromRgbF(static_cast<float>(a.redF() + (b.redF() - a.redF()) * t),
        static_cast<float>(a.greenF() + (b.greenF() - a.greenF()) * t),
        static_cast<float>(a.blueF() + (b.blueF() - a.blueF()) * t));
}

/// Colours and pen widths, resolved from the palette at paint time (so a palette change only
/// repaints), or the fixed high-contrast set in presentation mode.
struct Style {
    QColor bg, text, muted, faint, line, wire, boxFill, boxBorder, warn, rst, blocked, blockedText;
    double pen = 1.0;
};

Style makeStyle(const QPalette& pal, bool presentation)
{
    Style s;
    if (presentation) {
        s.bg = Qt::white;
        s.text = Qt::black;
        s.muted = QColor(0x33, 0x33, 0x33);
        s.faint = QColor(0x55, 0x55, 0x55);
        s.line = Qt::black;
        s.wire = QColor(0xEC, 0xEC, 0xEC);
        s.boxFill = Qt::white;
        s.boxBorder = Qt::black;
        s.warn = QColor(0xB0, 0x00, 0x20);
        s.rst = QColor(0xC8, 0x00, 0x00);
        s.blocked = QColor(0x44, 0x44, 0x44);
        s.blockedText = QColor(0x8A, 0x44, 0x00);
        s.pen = 2.0;
        return s;
    }
    s.bg = pal.color(QPalette::Base);
    s.text = pal.color(QPalette::Text);
    const bool dark = s.bg.lightnessF() < 0.5;
    s.muted = mix(s.text, s.bg, 0.35);
    s.faint = mix(s.text, s.bg, 0.55);
    s.line = mix(s.text, s.bg, 0.6);
    s.wire = mix(s.bg, s.text, dark ? 0.07 : 0.045);
    s.boxFill = mix(s.bg, pal.color(QPalette::Highlight), dark ? 0.14 : 0.06);
    s.boxBorder = mix(s.text, s.bg, 0.45);
    s.warn = dark ? QColor(0xFF, 0x8A, 0x80) : QColor(0xB3, 0x26, 0x1E);
    s.rst = dark ? QColor(0xFF, 0x6B, 0x6B) : QColor(0xD3, 0x2F, 0x2F);
    s.blocked = mix(s.text, s.bg, 0.3);
    s.blockedText = dark ? QColor(0xFF, 0xCC, 0x80) : QColor(0x9A, 0x52, 0x00);
    return s;
}

struct Fonts {
    QFont body, bold, small, smallBold, title, mono, lane;
    double u = 16; ///< the body's line spacing: the unit of every distance
};

/// One endpoint's line. accept() renames merge the "<client>/peer" socket with the name it is given.
struct Column {
    std::vector<QString> names; ///< the first name, then the one accept() gave
    Side side = Side::Client;
    int appearance = 0;
    QString address; ///< the first local address the kernel reported
    double width = 0;
    double x = 0; ///< the line
};

/// What an event draws, worked out once per trace.
struct Prepared {
    enum Draw { None, Call, WaitGap, Segment, State, Timer };
    Draw draw = None;
    int column = -1; ///< the endpoint's column (a segment's sender)
    int toColumn = -1; ///< a segment's receiver
    int renameColumn = -1; ///< accept: the adopted "<client>/peer" column
    QString renameTo;
    QString label, detail, toolTip, state;
    double labelWidth = 0, detailWidth = 0;
    bool inferred = false, warning = false, gone = false, blocked = false, completed = false;
    int line = 0; ///< the statement's line: a completed call matches its blocked call by it
};

double clamp01(double v)
{
    return std::clamp(v, 0.0, 1.0);
}

void drawHourglass(QPainter& p, const QRectF& r, const QColor& c, double pen)
{
    const double w = r.width(), h = r.height();
    QPainterPath path;
    path.moveTo(r.left(), r.top());
    path.lineTo(r.right(), r.top());
    path.lineTo(r.left() + w / 2, r.top() + h / 2);
    path.lineTo(r.right(), r.bottom());
    path.lineTo(r.left(), r.bottom());
    path.lineTo(r.left() + w / 2, r.top() + h / 2);
    path.closeSubpath();
    p.setPen(QPen(c, pen, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    QColor sand = c;
    sand.setAlphaF(0.35f);
    p.setBrush(sand);
    p.drawPath(path);
}

void drawClock(QPainter& p, const QRectF& r, const QColor& c, double pen)
{
    p.setPen(QPen(c, pen));
    p.setBrush(Qt::NoBrush);
    p.drawEllipse(r);
    const QPointF m = r.center();
    p.drawLine(m, QPointF(m.x(), r.top() + r.height() * 0.22));
    p.drawLine(m, QPointF(r.left() + r.width() * 0.75, m.y()));
}

} // namespace

struct LadderView::Data {
    // What the cache was built from.
    const Trace* trace = nullptr;
    const Event* eventsData = nullptr;
    std::size_t eventsSize = 0;
    std::size_t visible = 0;
    double progress = 1.0;
    /// TIME_WAIT countdowns from the frame's picture, by endpoint name (changes every tick).
    /// Endpoint -> (timer kind, ms left) of a countdown timer (time-wait, fin-wait2) at paint time.
    std::map<QString, std::pair<TimerKind, std::int64_t>> countdownLeftMs;

    // Per trace.
    Fonts fonts;
    std::vector<Column> columns;
    std::map<QString, int> columnOf;
    std::vector<Prepared> prepared;
    std::map<int, QString> stepText;
    double wireLeft = 0, wireRight = 0, width = 0, headerHeight = 0;

    // Per revealed count.
    std::vector<Item> items;
    std::vector<std::pair<std::size_t, QString>> liveTimers; ///< item index, endpoint
    double height = 0;
    QRectF newest; ///< what to keep scrolled into view

    void makeFonts(const QFont& base, double dpi, bool presentation);
    void prepare(const Trace& t);
    void layout(std::size_t visible);
    Item current(const Item& it) const;
    void paint(QPainter& p, const Style& s, const QRectF& clip) const;
    void paintItem(QPainter& p, const Item& it, const Style& s) const;
    void paintHeaderOnly(QPainter& p, const Style& s) const;
    double u() const { return fonts.u; }
};

// ---- fonts and preparation (once per trace) ----

void LadderView::Data::makeFonts(const QFont& base, double dpi, bool presentation)
{
    // Pixel sizes, so that layout measured here matches any paint device (a QImage, an SVG
    // generator at 72 dpi, the screen).
    double px = base.pixelSize() > 0 ? base.pixelSize() : base.pointSizeF() * dpi / 72.0;
    if (px <= 0)
        px = 13;
    if (presentation)
        px *= 1.6;
    auto sized = [](QFont f, double size) {
        f.setPixelSize(std::max(6, static_cast<int>(std::lround(size))));
        return f;
    };
    fonts.body = sized(base, px);
    fonts.bold = fonts.body;
    fonts.bold.setBold(true);
    fonts.small = sized(base, px * 0.86);
    fonts.smallBold = fonts.small;
    fonts.smallBold.setBold(true);
    fonts.title = sized(base, px * 1.12);
    fonts.title.setBold(true);
    fonts.lane = sized(base, px * 0.8);
    fonts.lane.setBold(true);
    fonts.lane.setLetterSpacing(QFont::PercentageSpacing, 112);
    fonts.mono = sized(QFontDatabase::systemFont(QFontDatabase::FixedFont), px * 0.95);
    fonts.u = QFontMetricsF(fonts.body).lineSpacing();
}

void LadderView::Data::prepare(const Trace& t)
{
    columns.clear();
    columnOf.clear();
    stepText.clear();
    prepared.assign(t.events.size(), Prepared {});
    const double unit = u();
    const QFontMetricsF body(fonts.body), bold(fonts.bold), small(fonts.small), smallBold(fonts.smallBold),
        title(fonts.title);

    // Columns, in order of first mention. Segments may name an endpoint the trace has not
    // described yet (a SYN to "client/peer"), so they count as a mention too.
    auto touch = [&](const std::string& name) -> int {
        if (name.empty())
            return -1;
        const QString q = qs(name);
        if (auto it = columnOf.find(q); it != columnOf.end())
            return it->second;
        Column c;
        c.names.push_back(q);
        c.side = sideOf(t, name);
        c.appearance = static_cast<int>(columns.size());
        columns.push_back(c);
        columnOf[q] = c.appearance;
        return c.appearance;
    };
    for (const Event& e : t.events) {
        if (const auto* s = e.as<StepEvent>()) {
            if (s->call == "wait")
                continue;
            touch(s->endpoint);
            if (!s->creates.empty() && !columnOf.count(qs(s->creates))) {
                if (auto it = columnOf.find(qs(s->adopts)); it != columnOf.end()) {
                    columns[static_cast<std::size_t>(it->second)].names.push_back(qs(s->creates));
                    columnOf[qs(s->creates)] = it->second;
                } else {
                    touch(s->creates);
                }
            }
        } else if (const auto* st = e.as<StateEvent>()) {
            const int c = touch(st->endpoint);
            if (c >= 0 && columns[static_cast<std::size_t>(c)].address.isEmpty())
                columns[static_cast<std::size_t>(c)].address = qs(st->local);
        } else if (const auto* seg = e.as<SegmentEvent>()) {
            touch(seg->from);
            touch(seg->to);
        } else if (const auto* b = e.as<BuffersEvent>()) {
            touch(b->endpoint);
        } else if (const auto* tm = e.as<TimerEvent>()) {
            touch(tm->endpoint);
        }
    }

    auto columnIndex = [&](const std::string& name) {
        const auto it = columnOf.find(qs(name));
        return it == columnOf.end() ? -1 : it->second;
    };

    // What every event draws, and how wide its texts are.
    const double maxText = 17 * unit;
    auto elide = [&](const QString& s, const QFontMetricsF& fm) { return fm.elidedText(s, Qt::ElideMiddle, maxText); };
    std::vector<double> need(columns.size(), 0.0);
    auto widen = [&](int column, double w) {
        if (column >= 0)
            need[static_cast<std::size_t>(column)] = std::max(need[static_cast<std::size_t>(column)], w);
    };
    double wireNeed = 11 * unit;
    for (std::size_t i = 0; i < t.events.size(); ++i) {
        const Event& e = t.events[i];
        Prepared& p = prepared[i];
        if (const auto* s = e.as<StepEvent>()) {
            if (e.step >= 0 && s->phase != Phase::Completed && !stepText.count(e.step))
                stepText[e.step] = qs(s->text);
            if (s->call == "wait") {
                p.draw = Prepared::WaitGap;
                p.label = LadderView::tr("wait %1").arg(qs(s->args));
                p.toolTip = LadderView::tr("Line %1: %2\nTime passes; the kernel runs its timers meanwhile.")
                                .arg(s->line)
                                .arg(qs(s->text));
                p.labelWidth = body.horizontalAdvance(p.label);
                wireNeed = std::max(wireNeed, p.labelWidth + 2 * unit);
                continue;
            }
            p.draw = Prepared::Call;
            p.column = columnIndex(s->endpoint);
            if (p.column < 0) {
                p.draw = Prepared::None;
                continue;
            }
            p.line = s->line;
            p.blocked = s->phase == Phase::Blocked;
            p.completed = s->phase == Phase::Completed;
            const bool hasErrno = s->err != 0;
            // A failed call is marked; `send fill` ends on EAGAIN after sending: not a failure.
            p.warning = hasErrno && s->result < 0;
            const QString call = qs(s->call);
            const bool waitState = s->call == "wait-state";
            if (waitState) // args: "ESTABLISHED within 5000 ms"; made when the wait begins, no result
                p.label = LadderView::tr("wait for %1").arg(qs(s->args).section(QLatin1Char(' '), 0, 0));
            else
                p.label = qs(eventtext::call(*s));
            p.label = elide(p.label, bold);
            QString result = s->call == "accept" && !p.warning && !s->creates.empty() ? qs(s->creates)
                                                                                      : QString::number(s->result);
            if (hasErrno)
                result += QLatin1String("  ") + qs(errnoName(s->err));
            if (waitState)
                p.detail = qs(s->args).section(QLatin1Char(' '), 1);
            else if (p.blocked)
                p.detail = LadderView::tr("blocked");
            else if (p.completed)
                p.detail = LadderView::tr("returned %1").arg(result);
            else
                p.detail = QStringLiteral("= ") + result;
            p.labelWidth = bold.horizontalAdvance(p.label);
            p.detailWidth = (p.warning ? smallBold : small).horizontalAdvance(p.detail) + (p.blocked ? unit : 0);
            widen(p.column, std::max(p.labelWidth, p.detailWidth) + 1.2 * unit);

            QStringList tip;
            tip << LadderView::tr("Line %1: %2").arg(s->line).arg(qs(s->text));
            for (const CallRecord& c : s->calls) {
                QString one = QStringLiteral("  %1(%2) = %3").arg(qs(c.call), qs(c.args)).arg(c.result);
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
            if (!s->creates.empty())
                tip << (s->adopts.empty()
                        ? LadderView::tr("The new connection is %1.").arg(qs(s->creates))
                        : LadderView::tr("The connection shown as %1 is now %2.").arg(qs(s->adopts), qs(s->creates)));
            if (auto it = s->narration.find("en"); it != s->narration.end() && !it->second.empty())
                tip << QString() << qs(it->second);
            p.toolTip = tip.join(QLatin1Char('\n'));

            if (!s->creates.empty() && !s->adopts.empty()) {
                const auto a = columnOf.find(qs(s->adopts));
                const auto c = columnOf.find(qs(s->creates));
                if (a != columnOf.end() && c != columnOf.end() && a->second == c->second) {
                    p.renameColumn = a->second;
                    p.renameTo = qs(s->creates);
                    widen(p.renameColumn,
                        small.horizontalAdvance(LadderView::tr("accepted as %1").arg(p.renameTo)) + 2 * unit);
                }
            }
        } else if (const auto* st = e.as<StateEvent>(); st && columnIndex(st->endpoint) >= 0) {
            p.draw = Prepared::State;
            p.column = columnIndex(st->endpoint);
            p.inferred = st->source == Source::Inferred;
            p.gone = st->gone;
            const QString to = qs(std::string(stateName(st->to)));
            p.state = p.gone ? QStringLiteral("gone") : to;
            p.label = p.gone ? LadderView::tr("gone") : to;
            p.labelWidth = smallBold.horizontalAdvance(p.label);
            widen(p.column, p.labelWidth + 2.6 * unit);
            QStringList tip;
            tip << (!st->from ? LadderView::tr("%1 appears in %2").arg(qs(st->endpoint), to)
                              : LadderView::tr("%1: %2 -> %3")
                                    .arg(qs(st->endpoint), qs(std::string(stateName(*st->from))), to));
            if (!st->local.empty())
                tip << LadderView::tr("local %1").arg(qs(st->local))
                        + (st->peer.empty() ? QString() : LadderView::tr(", peer %1").arg(qs(st->peer)));
            if (p.inferred)
                tip << LadderView::tr("Inferred, not read from the kernel: %1")
                           .arg(st->why.empty() ? LadderView::tr("filled in from the RFC 9293 diagram") : qs(st->why));
            else if (p.gone)
                tip << LadderView::tr("Read from the kernel: %1.").arg(qs(st->why));
            else
                tip << LadderView::tr("Read from the kernel.");
            p.toolTip = tip.join(QLatin1Char('\n'));
        } else if (const auto* seg = e.as<SegmentEvent>();
                   seg && columnIndex(seg->from) >= 0 && columnIndex(seg->to) >= 0) {
            p.draw = Prepared::Segment;
            p.column = columnIndex(seg->from);
            p.toColumn = columnIndex(seg->to);
            p.inferred = seg->source == Source::Inferred;
            p.warning = seg->has(kRst);
            p.label = qs(seg->flagsText());
            QStringList parts;
            if (seg->seq)
                parts << LadderView::tr("seq %1").arg(*seg->seq);
            if (seg->ack)
                parts << LadderView::tr("ack %1").arg(*seg->ack);
            if (seg->length > 0)
                parts << LadderView::tr("len %1").arg(seg->length);
            p.detail = parts.join(QLatin1String("  "));
            p.labelWidth = bold.horizontalAdvance(p.label);
            p.detailWidth = small.horizontalAdvance(p.detail);
            wireNeed = std::max(wireNeed, std::max(p.labelWidth, p.detailWidth) + 2 * unit);
            QStringList tip;
            tip << LadderView::tr("%1 from %2 to %3").arg(p.label, qs(seg->from), qs(seg->to));
            QStringList fields;
            if (seg->seq)
                fields << LadderView::tr("seq %1").arg(*seg->seq);
            if (seg->ack)
                fields << LadderView::tr("ack %1").arg(*seg->ack);
            if (seg->window)
                fields << LadderView::tr("window %1").arg(*seg->window);
            fields << LadderView::tr("%n byte(s) of data", nullptr, static_cast<int>(seg->length));
            tip << fields.join(QLatin1String(", "));
            if (p.inferred)
                tip << LadderView::tr("Inferred, not captured: %1")
                           .arg(seg->why.empty() ? LadderView::tr("implied by the state changes") : qs(seg->why));
            else if (seg->source == Source::Capture)
                tip << LadderView::tr("Captured on the wire.");
            else
                tip << LadderView::tr("Reported by the kernel.");
            p.toolTip = tip.join(QLatin1Char('\n'));
        } else if (const auto* tm = e.as<TimerEvent>();
                   tm && isCountdown(tm->kind) && columnIndex(tm->endpoint) >= 0) {
            p.draw = Prepared::Timer;
            p.column = columnIndex(tm->endpoint);
            p.label = countdownText(tm->kind, static_cast<double>(tm->remainingMs) / 1000.0, false);
            if (tm->kind == TimerKind::FinWait2)
                p.toolTip = LadderView::tr("%1: the kernel's FIN_WAIT2 timer had %2 ms left when read.\n"
                                           "An orphan (closed by its application) waits this long for the peer's "
                                           "FIN (tcp_fin_timeout); then the kernel drops it. This is not TIME_WAIT.")
                                .arg(qs(tm->endpoint))
                                .arg(tm->remainingMs);
            else
                p.toolTip = LadderView::tr("%1: the kernel's time-wait timer had %2 ms left when read.\n"
                                           "The socket stays in TIME_WAIT until it expires (60 s on Linux).")
                                .arg(qs(tm->endpoint))
                                .arg(tm->remainingMs);
            widen(p.column, small.horizontalAdvance(countdownText(TimerKind::FinWait2, 59.9, true)) + 3 * unit);
        }
    }

    // Step headers sit in the middle of the wire: it is never crossed by a lifeline.
    for (const auto& [index, text] : stepText) {
        const double badge = smallBold.horizontalAdvance(LadderView::tr("Step %1").arg(index + 1)) + 0.9 * unit;
        const double w = badge + 0.3 * unit + QFontMetricsF(fonts.mono).horizontalAdvance(text) + 0.7 * unit;
        wireNeed = std::max(wireNeed, std::min(w, 22 * unit) + 1.4 * unit);
    }

    // Widths: every column fits its names and boxes; pills and boxes are centred on the line.
    for (std::size_t c = 0; c < columns.size(); ++c) {
        Column& col = columns[c];
        double w = std::max(9 * unit, need[c]);
        for (const QString& n : col.names)
            w = std::max(w, title.horizontalAdvance(n) + 1.5 * unit);
        w = std::max(w, small.horizontalAdvance(col.address) + 1.5 * unit);
        col.width = w + unit;
    }

    // Order: clients by first appearance; on the server side each connection's socket in the
    // order of its client, so that pairs line up, then listeners and sockets that only bound.
    std::vector<int> order(columns.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = static_cast<int>(i);
    std::vector<QString> created;
    for (const Event& e : t.events)
        if (const auto* s = e.as<StepEvent>(); s && !s->creates.empty())
            created.push_back(qs(s->creates));
    auto key = [&](int ci) {
        const Column& c = columns[static_cast<std::size_t>(ci)];
        if (c.side == Side::Client)
            return std::tuple(0, c.appearance, 0);
        const QString& first = c.names.front();
        if (const auto slash = first.indexOf(QLatin1Char('/')); slash > 0) {
            const auto partner = columnOf.find(first.left(slash));
            return std::tuple(1, partner == columnOf.end() ? 1 << 20 : partner->second, c.appearance);
        }
        const bool accepted = std::find(created.begin(), created.end(), first) != created.end();
        return accepted ? std::tuple(1, 1 << 20, c.appearance) : std::tuple(2, c.appearance, 0);
    };
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return key(a) < key(b); });

    const double margin = unit;
    double x = margin;
    double clientWidth = 0;
    for (int ci : order)
        if (columns[static_cast<std::size_t>(ci)].side == Side::Client)
            clientWidth += columns[static_cast<std::size_t>(ci)].width;
    clientWidth = std::max(clientWidth, 9 * unit);
    // Clients hug the wire when the lane is wider than they need (an empty lane stays empty).
    double cx = margin + clientWidth;
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
        Column& c = columns[static_cast<std::size_t>(*it)];
        if (c.side != Side::Client)
            continue;
        cx -= c.width;
        c.x = cx + c.width / 2;
    }
    x = margin + clientWidth;
    wireLeft = x;
    wireRight = x + wireNeed;
    x = wireRight;
    double serverWidth = 0;
    for (int ci : order) {
        Column& c = columns[static_cast<std::size_t>(ci)];
        if (c.side != Side::Server)
            continue;
        c.x = x + c.width / 2;
        x += c.width;
        serverWidth += c.width;
    }
    if (serverWidth < 9 * unit)
        x += 9 * unit - serverWidth;
    width = x + margin;
    headerHeight = 4.4 * unit;
}

// ---- layout (once per revealed count) ----

void LadderView::Data::layout(std::size_t count)
{
    visible = count;
    items.clear();
    liveTimers.clear();
    const double unit = u();
    const QFontMetricsF body(fonts.body), bold(fonts.bold), small(fonts.small), smallBold(fonts.smallBold),
        title(fonts.title), lane(fonts.lane), mono(fonts.mono);
    const double bandHalf = 0.2 * unit;
    const double pillH = small.lineSpacing() + 0.35 * unit;
    const double boxH = body.lineSpacing() + small.lineSpacing() + 0.55 * unit;

    struct Track {
        double top = -1; ///< where the line starts (-1: not revealed yet)
        double end = -1; ///< where it ends (the kernel dropped the socket), -1: runs to the bottom
        double bandTop = 0;
        int bandEvent = -1;
        QString name; ///< the name as of the revealed events
    };
    std::vector<Track> tracks(columns.size());
    for (std::size_t c = 0; c < columns.size(); ++c)
        tracks[c].name = columns[c].names.front();
    auto colX = [&](int c) { return columns[static_cast<std::size_t>(c)].x; };
    auto start = [&](int c, double y) {
        Track& t = tracks[static_cast<std::size_t>(c)];
        if (t.top < 0 || y < t.top)
            t.top = y;
    };
    auto push = [&](Item it) {
        items.push_back(std::move(it));
        return items.size() - 1;
    };
    auto bandItem = [&](int c, double from, double to) {
        Track& t = tracks[static_cast<std::size_t>(c)];
        const Prepared& p = prepared[static_cast<std::size_t>(t.bandEvent)];
        if (to <= from)
            return;
        Item it;
        it.kind = Item::StateBand;
        it.eventIndex = t.bandEvent;
        it.rect = QRectF(colX(c) - bandHalf, from, 2 * bandHalf, to - from);
        it.dashed = p.inferred;
        it.label = p.label;
        it.state = p.state;
        it.endpoint = t.name;
        it.toolTip = p.toolTip;
        push(it);
    };

    struct OpenBar {
        int column;
        int line;
        double top;
        int event;
    };
    std::vector<OpenBar> open;

    double y = headerHeight + 0.5 * unit;
    int step = std::numeric_limits<int>::min();
    bool lastWasState = false;
    double stateRowTop = 0;
    std::vector<int> stateRowColumns;
    double rowTop = y, rowBottom = y;
    const Trace& t = *trace;

    for (std::size_t i = 0; i < count; ++i) {
        const Event& e = t.events[i];
        const Prepared& p = prepared[i];
        const int index = static_cast<int>(i);
        if (e.step >= 0 && e.step != step) {
            step = e.step;
            lastWasState = false;
            Item it;
            it.kind = Item::StepHeader;
            it.eventIndex = index;
            for (std::size_t j = i; j < t.events.size() && t.events[j].step == step; ++j)
                if (const auto* s = t.events[j].as<StepEvent>(); s && s->phase != Phase::Completed) {
                    it.eventIndex = static_cast<int>(j);
                    break;
                }
            const QString text = stepText.count(step) ? stepText[step] : QString();
            it.detail = LadderView::tr("Step %1").arg(step + 1);
            it.rect = QRectF(0, y, width, 2.0 * unit);
            it.toolTip = text.isEmpty() ? it.detail : it.detail + QLatin1String(": ") + text;
            // The badge and the statement, centred in the wire, elided to fit it.
            const double badge = smallBold.horizontalAdvance(it.detail) + 0.9 * unit;
            const double room = wireRight - wireLeft - 1.4 * unit - badge - 1.0 * unit + 1.0; // + rounding
            it.label = mono.elidedText(text, Qt::ElideRight, room);
            const double w
                = badge + (it.label.isEmpty() ? 0 : 0.3 * unit + mono.horizontalAdvance(it.label) + 0.7 * unit);
            const double h = std::max(mono.lineSpacing(), smallBold.lineSpacing()) + 0.35 * unit;
            it.labelRect = QRectF((wireLeft + wireRight - w) / 2, y + 0.95 * unit - h / 2, w, h);
            push(it);
            rowTop = y;
            y += 2.0 * unit;
            rowBottom = y;
        }
        switch (p.draw) {
        case Prepared::None:
            break;
        case Prepared::WaitGap: {
            lastWasState = false;
            const double h = 2.2 * unit;
            const double mid = y + h / 2;
            Item it;
            it.kind = Item::Wait;
            it.eventIndex = index;
            it.label = p.label;
            it.toolTip = p.toolTip;
            const double w = p.labelWidth + 1.4 * unit;
            const double cx = (wireLeft + wireRight) / 2;
            it.rect = QRectF(cx - w / 2, mid - 0.7 * unit, w, 1.4 * unit);
            push(it);
            for (std::size_t c = 0; c < columns.size(); ++c) {
                if (tracks[c].top < 0 || tracks[c].end >= 0)
                    continue;
                Item gap;
                gap.kind = Item::Wait;
                gap.eventIndex = index;
                gap.endpoint = tracks[c].name;
                gap.toolTip = p.toolTip;
                gap.rect = QRectF(columns[c].x - 0.7 * unit, mid - 0.3 * unit, 1.4 * unit, 0.6 * unit);
                push(gap);
            }
            rowTop = y;
            y += h;
            rowBottom = y;
            break;
        }
        case Prepared::Call: {
            lastWasState = false;
            const double x = colX(p.column);
            const double w = std::max(p.labelWidth, p.detailWidth) + 1.2 * unit;
            const QRectF box(x - w / 2, y + 0.35 * unit, w, boxH);
            start(p.column, box.top());
            Item it;
            it.kind = Item::Call;
            it.eventIndex = index;
            it.rect = box;
            it.label = p.label;
            it.detail = p.detail;
            it.warning = p.warning;
            it.dashed = p.blocked;
            it.endpoint = tracks[static_cast<std::size_t>(p.column)].name;
            it.toolTip = p.toolTip;
            push(it);
            if (p.blocked)
                open.push_back({ p.column, p.line, box.bottom(), index });
            if (p.completed) {
                for (auto o = open.rbegin(); o != open.rend(); ++o) {
                    if (o->column != p.column || o->line != p.line)
                        continue;
                    Item bar;
                    bar.kind = Item::Blocked;
                    bar.eventIndex = o->event;
                    bar.rect = QRectF(x - 0.55 * unit, o->top, 1.1 * unit, std::max(0.0, box.top() - o->top));
                    bar.label = LadderView::tr("blocked");
                    bar.endpoint = it.endpoint;
                    bar.toolTip = LadderView::tr("%1 waited in %2 until the call returned.")
                                      .arg(it.endpoint, prepared[static_cast<std::size_t>(o->event)].label);
                    push(bar);
                    open.erase(std::next(o).base());
                    break;
                }
            }
            if (p.renameColumn >= 0) {
                Track& tr = tracks[static_cast<std::size_t>(p.renameColumn)];
                Item rn;
                rn.kind = Item::Rename;
                rn.eventIndex = index;
                rn.label = LadderView::tr("accepted as %1").arg(p.renameTo);
                const double rw = small.horizontalAdvance(rn.label) + 1.2 * unit;
                rn.rect = QRectF(colX(p.renameColumn) - rw / 2, box.center().y() - pillH / 2, rw, pillH);
                rn.endpoint = p.renameTo;
                rn.toolTip = LadderView::tr("accept() took the connection shown as %1 off the queue: "
                                            "the same kernel socket, now called %2.")
                                 .arg(tr.name, p.renameTo);
                tr.name = p.renameTo;
                start(p.renameColumn, rn.rect.top());
                push(rn);
            }
            rowTop = y;
            y += boxH + 0.7 * unit;
            rowBottom = y;
            break;
        }
        case Prepared::State: {
            const double rowH = pillH + 0.45 * unit;
            if (!lastWasState
                || std::find(stateRowColumns.begin(), stateRowColumns.end(), p.column) != stateRowColumns.end()) {
                stateRowTop = y;
                stateRowColumns.clear();
                rowTop = y;
                y += rowH;
                rowBottom = y;
            }
            lastWasState = true;
            stateRowColumns.push_back(p.column);
            const double mid = stateRowTop + rowH / 2;
            Track& tr = tracks[static_cast<std::size_t>(p.column)];
            if (tr.bandEvent >= 0)
                bandItem(p.column, tr.bandTop, mid);
            const double w = p.labelWidth + 1.0 * unit;
            Item it;
            it.kind = Item::StateLabel;
            it.eventIndex = index;
            it.rect = QRectF(colX(p.column) - w / 2, mid - pillH / 2, w, pillH);
            it.dashed = p.inferred;
            it.label = p.label;
            it.state = p.state;
            it.endpoint = tr.name;
            it.toolTip = p.toolTip;
            start(p.column, it.rect.top());
            push(it);
            tr.bandEvent = index;
            tr.bandTop = mid;
            if (p.gone) {
                tr.end = it.rect.bottom() + 0.3 * unit;
                tr.bandEvent = -1;
            } else {
                tr.end = -1;
            }
            break;
        }
        case Prepared::Segment: {
            lastWasState = false;
            const double x0 = colX(p.column), x1 = colX(p.toColumn);
            const bool self = p.column == p.toColumn;
            const double dir = x1 >= x0 ? 1.0 : -1.0;
            const double tail = x0 + dir * (bandHalf + 0.15 * unit);
            const double head = self ? tail : x1 - dir * (bandHalf + 0.15 * unit);
            const double drop = 1.5 * unit;
            const Side fromSide = columns[static_cast<std::size_t>(p.column)].side;
            const Side toSide = columns[static_cast<std::size_t>(p.toColumn)].side;
            const double cx = self   ? x0 + 2.5 * unit + std::max(p.labelWidth, p.detailWidth) / 2
                : fromSide != toSide ? (wireLeft + wireRight) / 2
                                     : (x0 + x1) / 2;
            auto along = [&](double xx) { return self ? 0.5 : clamp01((xx - tail) / (head - tail)); };
            const double fw = p.labelWidth + 0.4 * unit, fh = bold.lineSpacing();
            const double dw = p.detailWidth + 0.4 * unit, dh = p.detail.isEmpty() ? 0 : small.lineSpacing();
            const double fMin = drop * std::min(along(cx - fw / 2), along(cx + fw / 2));
            const double dMax = drop * std::max(along(cx - dw / 2), along(cx + dw / 2));
            const double y0 = std::max(y + 0.5 * unit, y + 0.25 * unit + fh + 0.1 * unit - fMin);
            const double y1 = y0 + drop;
            Item it;
            it.kind = Item::Segment;
            it.eventIndex = index;
            it.line = QLineF(tail, y0, head, y1);
            it.dashed = p.inferred;
            it.warning = p.warning;
            it.label = p.label;
            it.detail = p.detail;
            it.endpoint = tracks[static_cast<std::size_t>(p.column)].name;
            it.toolTip = p.toolTip;
            it.labelRect = QRectF(cx - fw / 2, y0 + fMin - 0.1 * unit - fh, fw, fh);
            if (!p.detail.isEmpty())
                it.detailRect = QRectF(cx - dw / 2, y0 + dMax + 0.12 * unit, dw, dh);
            QRectF lineBox = QRectF(it.line.p1(), it.line.p2()).normalized();
            if (self)
                lineBox = QRectF(tail, y0, 2.5 * unit, drop);
            it.rect = lineBox.adjusted(-0.4 * unit, -0.4 * unit, 0.4 * unit, 0.4 * unit).united(it.labelRect);
            if (!it.detailRect.isNull())
                it.rect = it.rect.united(it.detailRect);
            start(p.column, y0);
            start(p.toColumn, y1);
            rowTop = y;
            y = std::max(y1, it.detailRect.isNull() ? y1 : it.detailRect.bottom()) + 0.55 * unit;
            rowBottom = y;
            push(it);
            break;
        }
        case Prepared::Timer: {
            lastWasState = false;
            const double h = 1.4 * unit;
            Track& tr = tracks[static_cast<std::size_t>(p.column)];
            Item it;
            it.kind = Item::Timer;
            it.eventIndex = index;
            it.label = p.label;
            it.endpoint = tr.name;
            it.toolTip = p.toolTip;
            // Wide enough for the countdown ("time-wait 59.9 s left"), centred on the line.
            const double w = small.horizontalAdvance(LadderView::tr("time-wait %1 s left").arg(59.9)) + 2.0 * unit;
            it.rect = QRectF(colX(p.column) - w / 2, y + 0.2 * unit, w, h - 0.4 * unit);
            start(p.column, it.rect.top());
            push(it);
            rowTop = y;
            y += h;
            rowBottom = y;
            break;
        }
        }
    }

    // Whatever is still open runs to the bottom.
    const double bottom = y + 1.6 * unit;
    height = bottom + 0.6 * unit;
    for (std::size_t c = 0; c < columns.size(); ++c) {
        Track& tr = tracks[c];
        if (tr.bandEvent >= 0)
            bandItem(static_cast<int>(c), tr.bandTop, bottom);
    }
    for (const OpenBar& o : open) {
        Item bar;
        bar.kind = Item::Blocked;
        bar.eventIndex = o.event;
        bar.rect = QRectF(colX(o.column) - 0.55 * unit, o.top, 1.1 * unit, bottom - o.top);
        bar.dashed = true;
        bar.label = LadderView::tr("blocked");
        bar.endpoint = tracks[static_cast<std::size_t>(o.column)].name;
        bar.toolTip = LadderView::tr("%1 is still waiting in %2.")
                          .arg(bar.endpoint, prepared[static_cast<std::size_t>(o.event)].label);
        push(bar);
    }

    // Lanes, lifelines and the names at the top.
    const double laneTitleY = 0.5 * unit;
    auto laneItem = [&](double l, double r, const QString& name, const QString& tip, const QString& detail) {
        Item it;
        it.kind = Item::Lane;
        it.rect = QRectF(l, 0, r - l, height);
        it.label = name;
        it.detail = detail;
        it.toolTip = tip;
        it.labelRect = QRectF(l, laneTitleY, r - l, lane.lineSpacing());
        push(it);
    };
    laneItem(0, wireLeft, LadderView::tr("Client"), LadderView::tr("The side that connects."), QString());
    laneItem(wireLeft, wireRight, LadderView::tr("Wire"),
        LadderView::tr("Loopback: segments cross here. Dashed arrows were inferred, not captured."),
        LadderView::tr("loopback"));
    laneItem(
        wireRight, width, LadderView::tr("Server"), LadderView::tr("The side that listens and accepts."), QString());
    for (std::size_t c = 0; c < columns.size(); ++c) {
        const Track& tr = tracks[c];
        if (tr.top < 0)
            continue;
        const Column& col = columns[c];
        const double end = tr.end >= 0 ? tr.end : bottom;
        Item line;
        line.kind = Item::Lifeline;
        line.line = QLineF(col.x, tr.top, col.x, end);
        line.rect = QRectF(col.x - 0.3 * unit, tr.top, 0.6 * unit, end - tr.top);
        line.endpoint = tr.name;
        line.dashed = tr.end >= 0; // ends with a cross: the kernel dropped it
        line.label = tr.name == col.names.front() ? QString() : col.names.front();
        if (!line.label.isEmpty())
            line.labelRect = QRectF(col.x + 0.5 * unit, tr.top - 0.5 * small.lineSpacing() - 0.1 * unit,
                small.horizontalAdvance(line.label) + 0.5 * unit, small.lineSpacing());
        QStringList tip;
        tip << tr.name;
        if (tr.name != col.names.front())
            tip << LadderView::tr("shown as %1 until accept()").arg(col.names.front());
        if (!col.address.isEmpty())
            tip << LadderView::tr("local %1").arg(col.address);
        line.toolTip = tip.join(QLatin1Char('\n'));
        push(line);
        Item head;
        head.kind = Item::Header;
        head.endpoint = tr.name;
        head.label = tr.name;
        head.detail = col.address;
        const double hw = std::max(title.horizontalAdvance(head.label), small.horizontalAdvance(head.detail)) + unit;
        head.rect = QRectF(col.x - hw / 2, laneTitleY + lane.lineSpacing() + 0.45 * unit, hw,
            title.lineSpacing() + small.lineSpacing());
        head.toolTip = line.toolTip;
        push(head);
    }

    std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.kind < b.kind; });
    // The last time-wait reading of each endpoint counts down at paint time.
    std::map<QString, std::size_t> lastTimer;
    for (std::size_t k = 0; k < items.size(); ++k)
        if (items[k].kind == Item::Timer)
            lastTimer[items[k].endpoint] = k;
    for (const auto& [name, k] : lastTimer)
        liveTimers.emplace_back(k, name);

    // What to keep in view: the newest drawn event, or the row last added.
    newest = QRectF();
    for (const Item& it : items) {
        if (count == 0 || it.eventIndex != static_cast<int>(count) - 1)
            continue;
        if (it.kind == Item::Call || it.kind == Item::Segment || it.kind == Item::StateLabel || it.kind == Item::Timer
            || it.kind == Item::StepHeader)
            newest = newest.isNull() ? it.rect : newest.united(it.rect);
    }
    if (newest.isNull())
        newest = QRectF(wireLeft, rowTop, wireRight - wireLeft, rowBottom - rowTop);
}

Item LadderView::Data::current(const Item& it) const
{
    if (it.kind == Item::Segment && visible > 0 && it.eventIndex == static_cast<int>(visible) - 1 && progress < 1.0) {
        Item a = it;
        a.line.setP2(it.line.p1() + (it.line.p2() - it.line.p1()) * progress);
        return a;
    }
    if (it.kind == Item::Timer) {
        for (const auto& [idx, name] : liveTimers) {
            if (&items[idx] != &it)
                continue;
            if (auto left = countdownLeftMs.find(name); left != countdownLeftMs.end()) {
                Item a = it;
                a.label = countdownText(left->second.first, static_cast<double>(left->second.second) / 1000.0, true);
                return a;
            }
        }
    }
    return it;
}

// ---- painting ----

void LadderView::Data::paintItem(QPainter& p, const Item& it, const Style& s) const
{
    const double unit = u();
    const double pen = s.pen;
    switch (it.kind) {
    case Item::Lane: {
        if (!it.detail.isEmpty()) {
            p.fillRect(it.rect, s.wire);
            p.setPen(QPen(mix(s.wire, s.text, 0.18), pen * 0.8, Qt::DashLine));
            p.drawLine(it.rect.topLeft(), it.rect.bottomLeft());
            p.drawLine(it.rect.topRight(), it.rect.bottomRight());
        }
        p.setFont(fonts.lane);
        p.setPen(s.muted);
        // Upper case in the text, not by the font: SVG export drops font capitalization.
        p.drawText(it.labelRect, Qt::AlignCenter, it.label.toUpper());
        if (!it.detail.isEmpty()) {
            p.setFont(fonts.small);
            p.setPen(s.faint);
            const QRectF sub = it.labelRect.translated(0, it.labelRect.height());
            p.drawText(sub, Qt::AlignCenter, it.detail);
            // A key: what a dashed arrow means.
            const QFontMetricsF small(fonts.small);
            const QString inferred = LadderView::tr("inferred");
            const double sample = 1.8 * unit;
            const double w = sample + 0.4 * unit + small.horizontalAdvance(inferred);
            const double x0 = sub.center().x() - w / 2, y0 = sub.bottom() + 0.15 * unit + small.lineSpacing() / 2;
            QPen dash(s.muted, pen * 1.4, Qt::DashLine, Qt::FlatCap);
            dash.setDashPattern({ 4.0, 3.0 });
            p.setPen(dash);
            p.drawLine(QPointF(x0, y0), QPointF(x0 + sample, y0));
            p.setPen(s.muted);
            QFont f = fonts.small;
            f.setItalic(true);
            p.setFont(f);
            p.drawText(QRectF(x0 + sample + 0.4 * unit, y0 - small.lineSpacing() / 2, w, small.lineSpacing()),
                Qt::AlignLeft | Qt::AlignVCenter, inferred);
        }
        break;
    }
    case Item::StepHeader: {
        const double mid = it.labelRect.center().y();
        p.setPen(QPen(s.faint, pen * 0.8));
        p.drawLine(QPointF(it.rect.left() + 0.5 * unit, mid), QPointF(it.labelRect.left(), mid));
        p.drawLine(QPointF(it.labelRect.right(), mid), QPointF(it.rect.right() - 0.5 * unit, mid));
        const double r = it.labelRect.height() / 2;
        p.setPen(QPen(s.faint, pen * 0.8));
        p.setBrush(s.bg);
        p.drawRoundedRect(it.labelRect, r, r);
        const QFontMetricsF sb(fonts.smallBold);
        const QRectF badge(it.labelRect.left(), it.labelRect.top(), sb.horizontalAdvance(it.detail) + 0.9 * unit,
            it.labelRect.height());
        p.setPen(Qt::NoPen);
        p.setBrush(s.muted);
        p.drawRoundedRect(badge, r, r);
        p.setPen(s.bg);
        p.setFont(fonts.smallBold);
        p.drawText(badge, Qt::AlignCenter, it.detail);
        if (!it.label.isEmpty()) {
            p.setFont(fonts.mono);
            p.setPen(s.text);
            p.drawText(
                it.labelRect.adjusted(badge.width() + 0.3 * unit, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter, it.label);
        }
        break;
    }
    case Item::Lifeline: {
        p.setPen(QPen(s.line, pen * 1.2, Qt::SolidLine, Qt::FlatCap));
        p.drawLine(it.line);
        p.setPen(Qt::NoPen);
        p.setBrush(s.line);
        p.drawEllipse(it.line.p1(), 0.18 * unit, 0.18 * unit);
        if (!it.label.isEmpty()) { // the name it had before accept()
            QFont f = fonts.small;
            f.setItalic(true);
            p.setFont(f);
            p.setPen(s.muted);
            p.drawText(it.labelRect, Qt::AlignLeft | Qt::AlignVCenter, it.label);
        }
        if (it.dashed) {
            const QPointF e = it.line.p2();
            const double r = 0.3 * unit;
            p.setPen(QPen(s.muted, pen * 1.6, Qt::SolidLine, Qt::RoundCap));
            p.drawLine(e + QPointF(-r, -r), e + QPointF(r, r));
            p.drawLine(e + QPointF(-r, r), e + QPointF(r, -r));
        }
        break;
    }
    case Item::Blocked: {
        QColor fill = s.blocked;
        fill.setAlphaF(0.18f);
        p.setPen(Qt::NoPen);
        p.setBrush(fill);
        p.drawRect(it.rect);
        QBrush hatch(s.blocked, Qt::BDiagPattern);
        QTransform scale;
        scale.scale(unit / 12.0, unit / 12.0);
        hatch.setTransform(scale);
        p.setBrush(hatch);
        p.drawRect(it.rect);
        p.setPen(QPen(s.blocked, pen));
        p.drawLine(it.rect.topLeft(), it.rect.bottomLeft());
        p.drawLine(it.rect.topRight(), it.rect.bottomRight());
        if (!it.dashed)
            p.drawLine(it.rect.bottomLeft(), it.rect.bottomRight());
        break;
    }
    case Item::StateBand: {
        const QColor c = LadderView::stateColor(it.state);
        p.setPen(Qt::NoPen);
        if (it.dashed) {
            QColor light = c;
            light.setAlphaF(0.3f);
            p.setBrush(light);
            p.drawRect(it.rect);
            QBrush hatch(c.darker(135), Qt::BDiagPattern);
            QTransform scale;
            scale.scale(unit / 14.0, unit / 14.0);
            hatch.setTransform(scale);
            p.setBrush(hatch);
            p.drawRect(it.rect);
        } else {
            p.setBrush(c);
            p.drawRect(it.rect);
        }
        break;
    }
    case Item::Wait: {
        if (it.label.isEmpty()) {
            // A time break on the line: a gap between two short slanted strokes.
            const QRectF r = it.rect;
            p.fillRect(r, s.bg);
            p.setPen(QPen(s.muted, pen * 1.2, Qt::SolidLine, Qt::RoundCap));
            const double dy = 0.25 * unit;
            p.drawLine(QPointF(r.left(), r.top() + dy), QPointF(r.right(), r.top() - dy));
            p.drawLine(QPointF(r.left(), r.bottom() + dy), QPointF(r.right(), r.bottom() - dy));
        } else {
            p.setPen(QPen(s.faint, pen, Qt::DashLine));
            p.setBrush(s.bg);
            p.drawRoundedRect(it.rect, it.rect.height() / 2, it.rect.height() / 2);
            QFont f = fonts.body;
            f.setItalic(true);
            p.setFont(f);
            p.setPen(s.muted);
            p.drawText(it.rect, Qt::AlignCenter, it.label);
        }
        break;
    }
    case Item::Segment: {
        QColor c = it.warning ? s.rst : s.text;
        if (it.dashed && !it.warning)
            c = s.muted;
        QPen linePen(c, pen * (it.warning ? 2.0 : 1.6), it.dashed ? Qt::DashLine : Qt::SolidLine, Qt::FlatCap);
        if (it.dashed)
            linePen.setDashPattern({ 4.0, 3.0 });
        p.setPen(linePen);
        p.setBrush(Qt::NoBrush);
        const QLineF l = it.line;
        if (l.p1().x() == l.p2().x()) {
            // to itself (a simultaneous open on one socket): a loop out to the right
            QPainterPath path(l.p1());
            const double out = 2.5 * unit;
            path.cubicTo(l.p1() + QPointF(out, 0), l.p2() + QPointF(out, 0), l.p2());
            p.drawPath(path);
        } else if (l.length() > 0.5) {
            p.drawLine(l);
        }
        if (l.length() > 0.5) {
            const double a = std::atan2(l.dy(), l.dx());
            const double len = 0.65 * unit, half = 0.26 * unit;
            const QPointF tip = l.p2();
            const QPointF back = tip - QPointF(std::cos(a), std::sin(a)) * len;
            const QPointF side(-std::sin(a) * half, std::cos(a) * half);
            p.setPen(Qt::NoPen);
            p.setBrush(c);
            p.drawPolygon(QPolygonF { tip, back + side, back - side });
        }
        p.setPen(c);
        QFont f = fonts.bold;
        f.setItalic(it.dashed);
        p.setFont(f);
        p.drawText(it.labelRect, Qt::AlignCenter, it.label);
        if (!it.detail.isEmpty()) {
            p.setFont(fonts.small);
            p.setPen(it.warning ? s.rst : s.muted);
            p.drawText(it.detailRect, Qt::AlignCenter, it.detail);
        }
        break;
    }
    case Item::Timer: {
        const double r = it.rect.height() / 2;
        p.setPen(QPen(s.faint, pen * 0.8));
        p.setBrush(s.bg);
        p.drawRoundedRect(it.rect, r, r);
        const QFontMetricsF small(fonts.small);
        const double iw = 0.7 * unit;
        const double x0 = it.rect.center().x() - (iw + 0.3 * unit + small.horizontalAdvance(it.label)) / 2;
        drawClock(p, QRectF(x0, it.rect.center().y() - iw / 2, iw, iw), s.muted, pen);
        p.setFont(fonts.small);
        p.setPen(s.muted);
        p.drawText(QRectF(x0 + iw + 0.3 * unit, it.rect.top(), it.rect.right() - x0 - iw, it.rect.height()),
            Qt::AlignLeft | Qt::AlignVCenter, it.label);
        break;
    }
    case Item::StateLabel: {
        const QColor c = LadderView::stateColor(it.state);
        const double r = it.rect.height() / 2;
        if (it.dashed) {
            p.setBrush(s.bg);
            QPen border(c, pen * 1.6, Qt::DashLine);
            border.setDashPattern({ 3.0, 2.0 });
            p.setPen(border);
            p.drawRoundedRect(it.rect, r, r);
            QFont f = fonts.smallBold;
            f.setItalic(true);
            p.setFont(f);
            p.setPen(s.text);
        } else {
            p.setBrush(c);
            p.setPen(QPen(mix(c, s.text, 0.35), pen * 0.8));
            p.drawRoundedRect(it.rect, r, r);
            p.setFont(fonts.smallBold);
            p.setPen(contrastText(c));
        }
        p.drawText(it.rect, Qt::AlignCenter, it.label);
        break;
    }
    case Item::Rename: {
        const double r = it.rect.height() / 2;
        p.setBrush(s.bg);
        p.setPen(QPen(s.muted, pen));
        p.drawRoundedRect(it.rect, r, r);
        QFont f = fonts.small;
        f.setItalic(true);
        p.setFont(f);
        p.setPen(s.text);
        p.drawText(it.rect, Qt::AlignCenter, it.label);
        break;
    }
    case Item::Call: {
        const double r = 0.35 * unit;
        p.setBrush(s.boxFill);
        p.setPen(QPen(it.warning ? s.warn : s.boxBorder, pen * (it.warning ? 1.6 : 1.0)));
        p.drawRoundedRect(it.rect, r, r);
        const QFontMetricsF bold(fonts.bold), body(fonts.body), small(fonts.small);
        const double top = it.rect.top() + 0.25 * unit;
        // "call" bold, "(args)" regular, centred together.
        const qsizetype paren = it.label.indexOf(QLatin1Char('('));
        const QString name = paren > 0 ? it.label.left(paren) : it.label;
        const QString rest = paren > 0 ? it.label.mid(paren) : QString();
        const double w = bold.horizontalAdvance(name) + body.horizontalAdvance(rest);
        double x = it.rect.center().x() - w / 2;
        p.setPen(s.text);
        p.setFont(fonts.bold);
        p.drawText(QRectF(x, top, bold.horizontalAdvance(name) + 1, bold.lineSpacing()),
            Qt::AlignLeft | Qt::AlignVCenter, name);
        x += bold.horizontalAdvance(name);
        p.setFont(fonts.body);
        p.drawText(QRectF(x, top, body.horizontalAdvance(rest) + 1, body.lineSpacing()),
            Qt::AlignLeft | Qt::AlignVCenter, rest);
        const QRectF second(it.rect.left(), top + body.lineSpacing(), it.rect.width(), small.lineSpacing());
        if (it.dashed) { // blocked: an hourglass, then the word
            const double tw = QFontMetricsF(fonts.smallBold).horizontalAdvance(it.detail);
            const double iw = 0.55 * unit;
            const double x0 = second.center().x() - (tw + iw + 0.3 * unit) / 2;
            drawHourglass(p, QRectF(x0, second.center().y() - 0.36 * unit, iw, 0.72 * unit), s.blockedText, pen);
            p.setFont(fonts.smallBold);
            p.setPen(s.blockedText);
            p.drawText(QRectF(x0 + iw + 0.3 * unit, second.top(), tw + 0.5 * unit, second.height()),
                Qt::AlignLeft | Qt::AlignVCenter, it.detail);
        } else {
            p.setFont(it.warning ? fonts.smallBold : fonts.small);
            p.setPen(it.warning ? s.warn : s.muted);
            p.drawText(second, Qt::AlignCenter, it.detail);
        }
        break;
    }
    case Item::Header: {
        p.setFont(fonts.title);
        p.setPen(s.text);
        const QFontMetricsF title(fonts.title), small(fonts.small);
        p.drawText(
            QRectF(it.rect.left(), it.rect.top(), it.rect.width(), title.lineSpacing()), Qt::AlignCenter, it.label);
        p.setFont(fonts.small);
        p.setPen(s.muted);
        p.drawText(QRectF(it.rect.left(), it.rect.top() + title.lineSpacing(), it.rect.width(), small.lineSpacing()),
            Qt::AlignCenter, it.detail);
        break;
    }
    }
}

void LadderView::Data::paint(QPainter& p, const Style& s, const QRectF& clip) const
{
    p.setRenderHint(QPainter::Antialiasing, true);
    p.setRenderHint(QPainter::TextAntialiasing, true);
    const int newestIndex = visible > 0 ? static_cast<int>(visible) - 1 : -1;
    for (const Item& it : items) {
        if (!clip.isNull() && !it.rect.intersects(clip) && it.kind != Item::Lifeline)
            continue;
        if (it.kind == Item::Lifeline && !clip.isNull() && !it.rect.adjusted(-1, 0, 1, 0).intersects(clip))
            continue;
        p.save();
        if (it.eventIndex == newestIndex && it.kind != Item::Segment && it.kind != Item::StepHeader
            && it.kind != Item::Blocked)
            p.setOpacity(0.25 + 0.75 * progress); // the newest call or state fades in
        else if (it.eventIndex == newestIndex && it.kind == Item::Segment)
            p.setOpacity(0.5 + 0.5 * progress);
        paintItem(p, current(it), s);
        p.restore();
    }
}

void LadderView::Data::paintHeaderOnly(QPainter& p, const Style& s) const
{
    // The names stay at the top while the ladder scrolls under them.
    p.setRenderHint(QPainter::Antialiasing, true);
    p.fillRect(QRectF(0, 0, width, headerHeight), s.bg);
    for (const Item& it : items) {
        if (it.kind == Item::Lane) {
            p.save();
            p.setClipRect(QRectF(0, 0, width, headerHeight));
            paintItem(p, it, s);
            p.restore();
        } else if (it.kind == Item::Header) {
            paintItem(p, it, s);
        }
    }
    QColor shadow = s.text;
    shadow.setAlphaF(0.18f);
    p.setPen(QPen(shadow, 1));
    p.drawLine(QPointF(0, headerHeight - 0.5), QPointF(width, headerHeight - 0.5));
}

// ---- the widget ----

LadderView::LadderView(QWidget* parent)
    : QAbstractScrollArea(parent)
    , d(std::make_unique<Data>())
{
    setFrameShape(QFrame::NoFrame);
    viewport()->setMouseTracking(true);
    viewport()->setAutoFillBackground(false);
    setAttribute(Qt::WA_OpaquePaintEvent);
    d->makeFonts(font(), logicalDpiY(), false);
    d->headerHeight = 4.4 * d->u();
    d->width = 40 * d->u();
    d->height = 20 * d->u();
}

LadderView::~LadderView() = default;

void LadderView::setFrame(const Frame& frame)
{
    if (!frame.trace) {
        d->trace = nullptr;
        d->items.clear();
        d->columns.clear();
        d->visible = 0;
        updateScrollBars();
        viewport()->update();
        return;
    }
    const Trace& t = *frame.trace;
    const bool traceChanged = d->trace != &t || d->eventsData != t.events.data() || d->eventsSize != t.events.size();
    const std::size_t visible = std::min(frame.visible, t.events.size());
    d->progress = std::clamp(frame.progress, 0.0, 1.0);
    d->countdownLeftMs.clear();
    for (const EndpointView& v : frame.picture.endpoints)
        if (isCountdown(v.timer.kind) && !v.gone)
            d->countdownLeftMs[qs(v.name)] = { v.timer.kind, v.timerLeftMs(frame.nowNs) };
    if (traceChanged) {
        d->trace = &t;
        d->eventsData = t.events.data();
        d->eventsSize = t.events.size();
        d->prepare(t);
    }
    if (traceChanged || visible != d->visible || d->items.empty()) {
        d->layout(visible);
        updateScrollBars();
        scrollToNewest();
    }
    viewport()->update();
}

void LadderView::setPresentation(bool on)
{
    if (m_presentation == on)
        return;
    m_presentation = on;
    relayout(true);
}

void LadderView::relayout(bool fontsChanged)
{
    if (fontsChanged)
        d->makeFonts(font(), logicalDpiY(), m_presentation);
    if (d->trace) {
        d->eventsData = d->trace->events.data();
        d->eventsSize = d->trace->events.size();
        d->prepare(*d->trace);
        d->layout(std::min(d->visible, d->trace->events.size()));
    } else {
        d->headerHeight = 4.4 * d->u();
    }
    updateGeometry();
    updateScrollBars();
    viewport()->update();
}

void LadderView::paintTo(QPainter& p, const QRectF& target) const
{
    const QSizeF content(d->width, d->height);
    const double scale = std::min(target.width() / content.width(), target.height() / content.height());
    p.save();
    const Style s = makeStyle(palette(), m_presentation);
    p.fillRect(target, s.bg);
    p.translate(target.left() + (target.width() - content.width() * scale) / 2,
        target.top() + (target.height() - content.height() * scale) / 2);
    p.scale(scale, scale);
    d->paint(p, s, QRectF());
    p.restore();
}

QSize LadderView::contentSize() const
{
    return QSize(static_cast<int>(std::ceil(d->width)), static_cast<int>(std::ceil(d->height)));
}

std::vector<LadderView::Item> LadderView::items() const
{
    std::vector<Item> out;
    out.reserve(d->items.size());
    for (const Item& it : d->items)
        out.push_back(d->current(it));
    return out;
}

QRectF LadderView::wireRect() const
{
    return QRectF(d->wireLeft, 0, d->wireRight - d->wireLeft, d->height);
}

QFont LadderView::diagramFont() const
{
    return d->fonts.body;
}

QColor LadderView::stateColor(const QString& state)
{
    for (const StateColour& c : kStateColours)
        if (state == QLatin1String(c.state))
            return QColor::fromRgb(c.rgb);
    return QColor(0x77, 0x77, 0x77);
}

const LadderView::Item* LadderView::itemAt(const QPointF& pos) const
{
    const double unit = d->u();
    for (auto it = d->items.rbegin(); it != d->items.rend(); ++it) {
        const Item& item = *it;
        switch (item.kind) {
        case Item::Lane:
            break;
        case Item::StepHeader:
            if (item.labelRect.contains(pos))
                return &item;
            break;
        case Item::Segment: {
            if (item.labelRect.contains(pos) || item.detailRect.contains(pos))
                return &item;
            // Hit the whole arrow, also the part still to fly.
            const QLineF l = item.line;
            const QPointF v = l.p2() - l.p1();
            const double len2 = QPointF::dotProduct(v, v);
            const double t = len2 > 0 ? clamp01(QPointF::dotProduct(pos - l.p1(), v) / len2) : 0;
            const QPointF nearest = l.p1() + v * t;
            if (QLineF(nearest, pos).length() <= 0.45 * unit)
                return &item;
            break;
        }
        case Item::Lifeline:
            if (std::abs(pos.x() - item.line.x1()) <= 0.3 * unit && pos.y() >= item.line.y1()
                && pos.y() <= item.line.y2())
                return &item;
            break;
        default:
            if (item.rect.contains(pos))
                return &item;
            break;
        }
    }
    return nullptr;
}

int LadderView::eventAt(const QPointF& contentPos) const
{
    const Item* item = itemAt(contentPos);
    // Clicking a lifeline or header says nothing about one event.
    return item && item->kind != Item::Lifeline && item->kind != Item::Header ? item->eventIndex : -1;
}

QPointF LadderView::toContent(const QPointF& viewportPos) const
{
    return viewportPos + QPointF(horizontalScrollBar()->value(), verticalScrollBar()->value());
}

QSize LadderView::sizeHint() const
{
    const QSize c = contentSize();
    return QSize(std::min(c.width(), 1100) + 2 * frameWidth(), std::min(c.height(), 700) + 2 * frameWidth());
}

QSize LadderView::minimumSizeHint() const
{
    return QSize(static_cast<int>(20 * d->u()), static_cast<int>(10 * d->u()));
}

void LadderView::paintEvent(QPaintEvent* event)
{
    QPainter p(viewport());
    const Style s = makeStyle(palette(), m_presentation);
    p.fillRect(event->rect(), s.bg);
    const QPointF offset(horizontalScrollBar()->value(), verticalScrollBar()->value());
    p.translate(-offset);
    d->paint(p, s, QRectF(event->rect()).translated(offset));
    if (offset.y() > 0) {
        p.resetTransform();
        p.translate(-offset.x(), 0);
        d->paintHeaderOnly(p, s);
    }
}

void LadderView::resizeEvent(QResizeEvent* event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBars();
}

void LadderView::updateScrollBars()
{
    const QSize vp = viewport()->size();
    const QSize c = contentSize();
    const int step = static_cast<int>(2 * d->u());
    horizontalScrollBar()->setRange(0, std::max(0, c.width() - vp.width()));
    horizontalScrollBar()->setPageStep(vp.width());
    horizontalScrollBar()->setSingleStep(step);
    verticalScrollBar()->setRange(0, std::max(0, c.height() - vp.height()));
    verticalScrollBar()->setPageStep(vp.height());
    verticalScrollBar()->setSingleStep(step);
}

void LadderView::scrollToNewest()
{
    if (d->newest.isNull())
        return;
    const QSize vp = viewport()->size();
    const QRectF r = d->newest;
    const double pad = 1.5 * d->u();
    QScrollBar* v = verticalScrollBar();
    const double top = v->value() + d->headerHeight, bottom = v->value() + vp.height();
    if (r.bottom() + pad > bottom)
        v->setValue(static_cast<int>(std::ceil(r.bottom() + pad - vp.height())));
    else if (r.top() - pad < top)
        v->setValue(static_cast<int>(std::floor(r.top() - pad - d->headerHeight)));
    QScrollBar* h = horizontalScrollBar();
    if (r.width() + 2 * pad <= vp.width()) {
        if (r.right() + pad > h->value() + vp.width())
            h->setValue(static_cast<int>(std::ceil(r.right() + pad - vp.width())));
        else if (r.left() - pad < h->value())
            h->setValue(static_cast<int>(std::floor(r.left() - pad)));
    }
}

void LadderView::scrollContentsBy(int, int)
{
    viewport()->update(); // the pinned header is redrawn, so no pixel scrolling
}

void LadderView::mousePressEvent(QMouseEvent* event)
{
    m_pressedEvent = event->button() == Qt::LeftButton ? eventAt(toContent(event->position())) : -1;
    if (m_pressedEvent >= 0)
        event->accept();
    else
        QAbstractScrollArea::mousePressEvent(event);
}

void LadderView::mouseReleaseEvent(QMouseEvent* event)
{
    const int pressed = std::exchange(m_pressedEvent, -1);
    if (event->button() == Qt::LeftButton && pressed >= 0 && eventAt(toContent(event->position())) == pressed) {
        event->accept();
        Q_EMIT eventClicked(pressed);
        return;
    }
    QAbstractScrollArea::mouseReleaseEvent(event);
}

void LadderView::mouseMoveEvent(QMouseEvent* event)
{
    const bool clickable = eventAt(toContent(event->position())) >= 0;
    if (clickable)
        viewport()->setCursor(Qt::PointingHandCursor);
    else
        viewport()->unsetCursor();
    QAbstractScrollArea::mouseMoveEvent(event);
}

bool LadderView::viewportEvent(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        QPointF pos = toContent(help->pos());
        if (verticalScrollBar()->value() > 0 && help->pos().y() < d->headerHeight)
            pos.setY(help->pos().y()); // the pinned header
        const Item* item = itemAt(pos);
        if (item && !item->toolTip.isEmpty())
            QToolTip::showText(help->globalPos(), d->current(*item).toolTip, viewport());
        else
            QToolTip::hideText();
        return true;
    }
    return QAbstractScrollArea::viewportEvent(event);
}

void LadderView::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::FontChange)
        relayout(true);
    else if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange)
        viewport()->update();
    QAbstractScrollArea::changeEvent(event);
}

} // namespace synack
