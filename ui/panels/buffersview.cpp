// SPDX-License-Identifier: GPL-3.0-or-later
#include "panels/buffersview.h"

#include "common/colour.h"
#include "common/text.h"

#include <QEvent>
#include <QFontMetricsF>
#include <QLocale>
#include <QPaintEvent>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace synack {

namespace {

bool startsWith(const std::string& s, std::string_view prefix)
{
    return s.rfind(prefix, 0) == 0;
}

} // namespace

struct BuffersView::Metrics {
    QFont font;
    QFont bold;
    QFont small;
    QFont italic;
    double lh = 0; ///< line height of `font`
    double smallLh = 0;
    double pad = 0;
    double gap = 0;
    double barH = 0;
    double acceptBarH = 0;
    double sparkW = 0;
    double pen = 1;
    double designWidth = 0;
    QColor window, text, muted, base, trough, outline, fill, unsentFill, warning, blocked;
};

BuffersView::BuffersView(QWidget* parent)
    : QWidget(parent)
{
    setAttribute(Qt::WA_OpaquePaintEvent);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    setToolTip(tr("Each socket's queues as the kernel reported them. The small chart beside a gauge shows every "
                  "reading so far (solid: bytes queued; dashed: of them not yet sent); the vertical line marks the "
                  "moment shown."));
}

void BuffersView::setPresentation(bool on)
{
    if (m_presentation == on)
        return;
    m_presentation = on;
    updateGeometry();
    update();
}

void BuffersView::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange
        || event->type() == QEvent::StyleChange) {
        updateGeometry();
        update();
    }
    QWidget::changeEvent(event);
}

bool BuffersView::scan(const Frame& frame)
{
    const Trace* t = frame.trace;
    // Go on from where the last frame stopped, unless this is another trace or an earlier point.
    const bool goOn = m_trace && frame.revision == m_revision && frame.visible >= m_scanned
        && m_scanned <= t->events.size() && (m_scanned == 0 || t->events[m_scanned - 1].tNs == m_lastScannedNs);
    if (!goOn) {
        m_series.clear();
        m_scanned = 0;
        m_revision = frame.revision;
    }
    m_trace = t;
    const std::size_t end = std::min(frame.visible, t->events.size());
    for (std::size_t i = m_scanned; i < end; ++i) {
        const Event& e = t->events[i];
        if (const auto* b = e.as<BuffersEvent>()) {
            m_series[b->endpoint].samples.push_back(
                { e.tNs, b->recvq, b->sendq, b->notsent, b->sndbuf, b->rcvbuf, b->acceptq, b->backlog });
        } else if (const auto* s = e.as<StateEvent>()) {
            if (!s->peer.empty() || (s->to != TcpState::Close && s->to != TcpState::Listen))
                m_series[s->endpoint].connected = true;
        } else if (const auto* st = e.as<StepEvent>(); st && !st->adopts.empty() && !st->creates.empty()) {
            // accept(): the kernel socket known as "client/peer" goes on as "server" (as in Picture),
            // and its history with it.
            auto old = m_series.find(st->adopts);
            if (old != m_series.end() && !m_series.count(st->creates)) {
                auto node = m_series.extract(old);
                node.key() = st->creates;
                m_series.insert(std::move(node));
            }
        }
    }
    m_eventsScanned += end - std::min(end, m_scanned);
    m_scanned = end;
    m_lastScannedNs = end > 0 ? t->events[end - 1].tNs : -1;
    return !goOn;
}

void BuffersView::setFrame(const Frame& frame)
{
    if (!frame.trace) {
        // No trace: nothing to show.
        m_trace = nullptr;
        m_scanned = 0;
        m_lastScannedNs = -1;
        m_series.clear();
        m_visible = 0;
        m_progress = -1;
        m_nowNs = -1;
        m_gauges.clear();
        m_blocks.clear();
        updateGeometry();
        update();
        return;
    }
    const bool rescanned = scan(frame);
    const std::int64_t endNs
        = std::max<std::int64_t>({ frame.trace->events.empty() ? 1 : frame.trace->events.back().tNs, frame.nowNs, 1 });
    if (!rescanned && frame.visible == m_visible && frame.progress == m_progress && frame.nowNs == m_nowNs
        && endNs == m_endNs)
        return;
    m_visible = frame.visible;
    m_progress = frame.progress;
    m_nowNs = frame.nowNs;
    m_endNs = endNs;

    const std::size_t blocksBefore = m_blocks.size();
    const std::size_t gaugesBefore = m_gauges.size();
    rebuild(frame);
    if (m_blocks.size() != blocksBefore || m_gauges.size() != gaugesBefore)
        updateGeometry();
    update();
}

void BuffersView::rebuild(const Frame& frame)
{
    m_gauges.clear();
    m_blocks.clear();
    const QLocale loc = locale();
    auto num = [&](qint64 v) { return loc.toString(v); };

    const std::size_t visible = std::min(frame.visible, frame.trace->events.size());
    const BuffersEvent* newest = visible > 0 ? frame.trace->events[visible - 1].as<BuffersEvent>() : nullptr;
    const double progress = std::clamp(frame.progress, 0.0, 1.0);

    // The sockets that have queues to show; past kMaxBlocks, the first ones and the one the newest
    // event is about (gauges for 20,000 sockets would be neither readable nor quick to draw).
    std::vector<std::pair<const EndpointView*, const Series*>> shown;
    std::size_t queued = 0;
    for (const EndpointView& v : frame.picture.endpoints) {
        const auto it = m_series.find(v.name);
        const Series* series = it == m_series.end() ? nullptr : &it->second;
        const bool listener = v.buffers.acceptq >= 0 || v.in(TcpState::Listen);
        const bool connected = (series && series->connected) || !v.peer.empty();
        if (!listener && !connected)
            continue; // a bare socket: nothing queues on it yet
        ++queued;
        if (shown.size() < kMaxBlocks)
            shown.emplace_back(&v, series);
        else if (newest && newest->endpoint == v.name)
            shown.back() = { &v, series };
    }
    m_moreBlocks = queued - shown.size();

    for (const auto& entry : shown) {
        const EndpointView& v = *entry.first;
        const Series* series = entry.second;
        const bool listener = v.buffers.acceptq >= 0 || v.in(TcpState::Listen);

        // The newest event animates: its endpoint's gauges move from the previous reading.
        const Sample* before = nullptr;
        if (newest && newest->endpoint == v.name && series && series->samples.size() >= 2)
            before = &series->samples[series->samples.size() - 2];
        auto tween = [&](std::int64_t now, std::int64_t then) -> double {
            if (now < 0)
                return 0;
            if (then < 0)
                return double(now);
            return double(then) + double(now - then) * progress;
        };

        Block block;
        block.endpoint = qs(v.name);
        block.state = qs(v.stateText());
        block.gone = v.gone;
        block.first = m_gauges.size();
        if (v.gone)
            block.note = tr("gone: the kernel no longer has this socket");
        else if (!v.blockedIn.empty() && !startsWith(v.blockedIn, "send") && !startsWith(v.blockedIn, "recv")
            && !startsWith(v.blockedIn, "accept"))
            block.note = tr("blocked: %1").arg(qs(v.blockedIn));

        const BuffersEvent& b = v.buffers;
        // tcpi_snd_wnd is 0 until the peer has sent a window (SYN_SENT): that is no zero window.
        const bool windowsKnown
            = v.state && !v.in(TcpState::SynSent) && !v.in(TcpState::Close) && !v.in(TcpState::Listen) && !v.gone;
        auto history = [&](auto value, auto unsent, auto capacity) {
            std::vector<HistoryPoint> h;
            if (!series)
                return h;
            // A sparkline is a few hundred pixels wide: of many readings, keep each stretch's highest.
            const std::size_t n = series->samples.size();
            const std::size_t stride = (n + kMaxHistory - 1) / kMaxHistory;
            h.reserve(std::min(n, kMaxHistory));
            for (std::size_t i = 0; i < n; i += stride) {
                std::size_t best = i;
                for (std::size_t j = i + 1; j < std::min(n, i + stride); ++j)
                    if (value(series->samples[j]) > value(series->samples[best]))
                        best = j;
                const Sample& s = series->samples[best];
                h.push_back({ s.tNs, value(s), unsent(s), capacity(s) });
            }
            if (stride > 1 && h.back().tNs != series->samples.back().tNs) {
                const Sample& s = series->samples.back(); // the newest reading, as it is
                h.push_back({ s.tNs, value(s), unsent(s), capacity(s) });
            }
            return h;
        };
        auto none = [](const Sample&) -> qint64 { return -1; };

        if (listener) {
            Gauge g;
            g.endpoint = block.endpoint;
            g.kind = QStringLiteral("accept");
            g.value = b.acceptq;
            // Linux lets backlog + 1 connections wait (sk_acceptq_is_full() tests ">").
            g.capacity = b.backlog >= 0 ? b.backlog + 1 : -1;
            g.blocked = startsWith(v.blockedIn, "accept");
            g.shownValue = tween(b.acceptq, before ? before->acceptq : -1);
            g.caption
                = b.acceptq < 0 ? tr("not reported") : tr("connections waiting for accept(): %1").arg(num(b.acceptq));
            g.capacityText = b.backlog < 0 ? tr("backlog not reported")
                                           : tr("of backlog %1 + 1 = %2 (Linux lets one more wait than listen() "
                                                "asked for; a listener's Send-Q is its backlog)")
                                                 .arg(num(b.backlog), num(b.backlog + 1));
            g.history = history([](const Sample& s) -> qint64 { return s.acceptq; }, none,
                [](const Sample& s) -> qint64 { return s.backlog >= 0 ? s.backlog + 1 : -1; });
            m_gauges.push_back(std::move(g));
        } else {
            Gauge send;
            send.endpoint = block.endpoint;
            send.kind = QStringLiteral("send");
            send.value = b.sendq;
            send.unsent = b.sendq >= 0 ? b.notsent : -1;
            send.capacity = b.sndbuf;
            send.zeroWindow = windowsKnown && b.sndwnd == 0;
            send.blocked = startsWith(v.blockedIn, "send");
            send.shownValue = tween(b.sendq, before ? before->sendq : -1);
            send.shownUnsent = tween(send.unsent, before ? before->notsent : -1);
            if (b.sendq < 0)
                send.caption = tr("not reported");
            else if (send.unsent >= 0)
                send.caption = tr("bytes queued: %1; sent, not yet acknowledged: %2; not yet sent: %3")
                                   .arg(num(b.sendq), num(b.sendq - send.unsent), num(send.unsent));
            else
                send.caption = tr("bytes queued, not yet acknowledged: %1").arg(num(b.sendq));
            send.capacityText
                = b.sndbuf < 0 ? tr("SO_SNDBUF not reported") : tr("of SO_SNDBUF %1 bytes").arg(num(b.sndbuf));
            send.history = history([](const Sample& s) -> qint64 { return s.sendq; },
                [](const Sample& s) -> qint64 { return s.sendq >= 0 ? s.notsent : -1; },
                [](const Sample& s) -> qint64 { return s.sndbuf; });
            m_gauges.push_back(std::move(send));

            Gauge recv;
            recv.endpoint = block.endpoint;
            recv.kind = QStringLiteral("receive");
            recv.value = b.recvq;
            recv.capacity = b.rcvbuf;
            recv.zeroWindow = windowsKnown && b.rcvwnd == 0;
            recv.blocked = startsWith(v.blockedIn, "recv");
            recv.shownValue = tween(b.recvq, before ? before->recvq : -1);
            recv.caption = b.recvq < 0 ? tr("not reported") : tr("bytes received, not yet read: %1").arg(num(b.recvq));
            recv.capacityText
                = b.rcvbuf < 0 ? tr("SO_RCVBUF not reported") : tr("of SO_RCVBUF %1 bytes").arg(num(b.rcvbuf));
            recv.history = history([](const Sample& s) -> qint64 { return s.recvq; }, none,
                [](const Sample& s) -> qint64 { return s.rcvbuf; });
            m_gauges.push_back(std::move(recv));
        }
        block.count = m_gauges.size() - block.first;
        m_blocks.push_back(std::move(block));
    }
}

BuffersView::Metrics BuffersView::metrics() const
{
    Metrics m;
    m.font = font();
    if (m_presentation) {
        if (m.font.pointSizeF() > 0)
            m.font.setPointSizeF(m.font.pointSizeF() * 1.6);
        else
            m.font.setPixelSize(int(m.font.pixelSize() * 1.6));
    }
    m.bold = m.font;
    m.bold.setBold(true);
    m.small = m.font;
    if (!m_presentation) {
        if (m.small.pointSizeF() > 0)
            m.small.setPointSizeF(m.small.pointSizeF() * 0.9);
    }
    m.italic = m.small;
    m.italic.setItalic(true);
    const QFontMetricsF fm(m.font);
    m.lh = fm.height();
    m.smallLh = QFontMetricsF(m.small).height();
    m.pad = m.lh * 0.6;
    m.gap = m.lh * 0.5;
    m.barH = m.lh * (m_presentation ? 1.2 : 1.15);
    m.acceptBarH = m.barH; // tall enough for its "full" and "accept() blocked" chips
    m.sparkW = fm.averageCharWidth() * 16;
    m.pen = m_presentation ? 2.0 : 1.0;
    m.designWidth = fm.averageCharWidth() * 88 + m.sparkW;

    const QPalette pal = palette();
    const bool dark = pal.color(QPalette::Window).lightness() < 128;
    m.window = pal.color(QPalette::Window);
    m.text = pal.color(QPalette::WindowText);
    m.base = pal.color(QPalette::Base);
    m.fill = pal.color(QPalette::Highlight);
    if (m_presentation) {
        // High contrast: no half tones for text and outlines.
        m.muted = m.text;
        m.outline = m.text;
        m.trough = m.base;
        m.unsentFill = mix(m.fill, m.base, 0.55);
    } else {
        m.muted = mix(m.text, m.window, 0.4);
        m.outline = mix(m.text, m.window, 0.65);
        m.trough = mix(m.base, m.text, 0.04);
        m.unsentFill = mix(m.fill, m.base, 0.6);
    }
    m.warning = dark ? QColor(0xff, 0x8a, 0x80) : QColor(0xc6, 0x28, 0x28);
    m.blocked = dark ? QColor(0xff, 0xc1, 0x4d) : QColor(0x9a, 0x5b, 0x00);
    return m;
}

namespace {
QString footnoteText()
{
    return BuffersView::tr("SO_SNDBUF and SO_RCVBUF are shown as the kernel reports them: double the value "
                           "given to setsockopt(), because the kernel counts its own bookkeeping against them, "
                           "so fewer bytes of data fit than the number says.");
}
}

double BuffersView::blockHeight(const Metrics& m, const Block& b) const
{
    double h = m.lh * 1.3; // heading
    for (std::size_t i = b.first; i < b.first + b.count; ++i)
        h += m.lh + (m_gauges[i].kind == u"accept" ? m.acceptBarH : m.barH) + m.smallLh + m.gap;
    return h + m.gap;
}

QSize BuffersView::contentSize() const
{
    const Metrics m = metrics();
    double h = 2 * m.pad;
    if (m_blocks.empty()) {
        h += m.lh;
    } else {
        for (const Block& b : m_blocks)
            h += blockHeight(m, b);
        if (m_moreBlocks > 0)
            h += m.lh * 1.5;
        const QRectF note = QFontMetricsF(m.small).boundingRect(
            QRectF(0, 0, m.designWidth - 2 * m.pad, 1e6), Qt::TextWordWrap, footnoteText());
        h += note.height();
    }
    return QSize(int(std::ceil(m.designWidth)), int(std::ceil(h)));
}

QSize BuffersView::minimumSizeHint() const
{
    const Metrics m = metrics();
    return QSize(int(m.sparkW * 3), int(m.lh * 4));
}

void BuffersView::paintEvent(QPaintEvent* event)
{
    QPainter p(this);
    paintTo(p, rect(), event->rect());
}

QString BuffersView::moreText() const
{
    return m_moreBlocks > 0 ? tr("and %1 more sockets: the Sockets table lists every one.")
                                  .arg(locale().toString(static_cast<qulonglong>(m_moreBlocks)))
                            : QString();
}

QRectF BuffersView::gaugeRect(std::size_t index) const
{
    // As paintTo() lays them out, from the top of the widget.
    const Metrics m = metrics();
    double y = m.pad;
    for (const Block& b : m_blocks) {
        y += m.lh * 1.3;
        for (std::size_t i = b.first; i < b.first + b.count; ++i) {
            const double h = m.lh + (m_gauges[i].kind == u"accept" ? m.acceptBarH : m.barH) + m.smallLh + m.gap;
            if (i == index)
                return { 0, y - m.lh * 1.3 * (i == b.first), double(width()), h + m.lh * 1.3 * (i == b.first) };
            y += h;
        }
        y += m.gap;
    }
    return {};
}

std::optional<std::size_t> BuffersView::busiestGauge() const
{
    std::optional<std::size_t> best;
    double fullest = 0;
    for (std::size_t i = 0; i < m_gauges.size(); ++i) {
        const Gauge& g = m_gauges[i];
        if (g.value <= 0 || g.capacity <= 0)
            continue;
        const double f = double(g.value) / double(g.capacity) + (g.zeroWindow || g.blocked ? 1 : 0);
        if (f > fullest)
            fullest = f, best = i;
    }
    return best;
}

void BuffersView::paintTo(QPainter& p, const QRectF& rect) const
{
    paintTo(p, rect, rect);
}

void BuffersView::paintTo(QPainter& p, const QRectF& rect, const QRectF& exposed) const
{
    const Metrics m = metrics();
    p.save();
    p.setClipRect(rect);
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(rect, m.window);
    const double x0 = rect.left() + m.pad;
    const double w = std::max(rect.width() - 2 * m.pad, m.sparkW * 2);
    double y = rect.top() + m.pad;

    if (m_blocks.empty()) {
        p.setFont(m.font);
        p.setPen(m.muted);
        p.drawText(QRectF(x0, y, w, m.lh), Qt::AlignLeft | Qt::AlignVCenter,
            tr("No connection yet: queues appear once a socket connects or listens."));
        p.restore();
        return;
    }

    for (const Block& b : m_blocks) {
        // Only what the scroll area shows is drawn.
        const double bh = blockHeight(m, b);
        if (y > exposed.bottom() || y + bh < exposed.top()) {
            y += bh;
            continue;
        }
        if (&b != &m_blocks.front()) {
            p.setPen(QPen(m.outline, m.pen * 0.5));
            p.drawLine(QPointF(x0, y - m.gap * 0.6), QPointF(x0 + w, y - m.gap * 0.6));
        }
        // Heading: the endpoint, its state, and what is special about it.
        const QRectF head(x0, y, w, m.lh * 1.3);
        p.setFont(m.bold);
        p.setPen(b.gone ? m.muted : m.text);
        const QFontMetricsF bfm(m.bold);
        p.drawText(head, Qt::AlignLeft | Qt::AlignVCenter, b.endpoint);
        double hx = x0 + bfm.horizontalAdvance(b.endpoint) + m.lh * 0.6;
        p.setFont(m.font);
        p.setPen(m.muted);
        const QString state = b.gone ? QStringLiteral("—") : b.state;
        p.drawText(QRectF(hx, y, w, head.height()), Qt::AlignLeft | Qt::AlignVCenter, state);
        hx += QFontMetricsF(m.font).horizontalAdvance(state) + m.lh * 0.6;
        if (!b.note.isEmpty()) {
            p.setFont(m.italic);
            p.setPen(b.gone ? m.muted : m.blocked);
            p.drawText(QRectF(hx, y, x0 + w - hx, head.height()), Qt::AlignLeft | Qt::AlignVCenter,
                QFontMetricsF(m.italic).elidedText(b.note, Qt::ElideRight, x0 + w - hx));
        }
        y += head.height();
        for (std::size_t i = b.first; i < b.first + b.count; ++i) {
            const Gauge& g = m_gauges[i];
            const double h = m.lh + (g.kind == u"accept" ? m.acceptBarH : m.barH) + m.smallLh + m.gap;
            paintGauge(p, m, g, QRectF(x0, y, w, h));
            y += h;
        }
        y += m.gap;
    }

    if (m_moreBlocks > 0) {
        p.setFont(m.italic);
        p.setPen(m.muted);
        p.drawText(QRectF(x0, y, w, m.lh * 1.5), Qt::AlignLeft | Qt::AlignVCenter, moreText());
        y += m.lh * 1.5;
    }
    p.setFont(m.small);
    p.setPen(m.muted);
    p.drawText(QRectF(x0, y, w, rect.bottom() - y), Qt::TextWordWrap | Qt::AlignLeft | Qt::AlignTop, footnoteText());
    p.restore();
}

void BuffersView::paintGauge(QPainter& p, const Metrics& m, const Gauge& g, const QRectF& r) const
{
    const bool accept = g.kind == u"accept";
    const QString label = accept ? tr("accept queue") : g.kind == u"send" ? tr("send queue") : tr("receive queue");
    const double barH = accept ? m.acceptBarH : m.barH;
    const QRectF bar(r.left(), r.top() + m.lh, r.width() - m.sparkW - m.gap, barH);
    const QRectF spark(bar.right() + m.gap, bar.top(), m.sparkW, barH + m.smallLh);

    // Label line: what the gauge measures and against what; warnings right-aligned above the bar.
    const QFontMetricsF fm(m.font);
    p.setFont(m.font);
    p.setPen(m.text);
    p.drawText(QRectF(r.left(), r.top(), bar.width(), m.lh), Qt::AlignLeft | Qt::AlignVCenter, label);
    const double capX = r.left() + fm.horizontalAdvance(label) + fm.averageCharWidth();
    p.setFont(m.small);
    p.setPen(m.muted);
    // Elided where the pane is narrow, never cut mid-letter.
    p.drawText(QRectF(capX, r.top(), bar.right() - capX, m.lh), Qt::AlignLeft | Qt::AlignVCenter,
        QFontMetricsF(p.font()).elidedText(g.capacityText, Qt::ElideRight, bar.right() - capX));

    // The bar.
    const double radius = std::min(4.0, barH / 4);
    const bool known = g.value >= 0 && g.capacity > 0;
    QPen outline(m.outline, m.pen);
    if (!known)
        outline.setStyle(Qt::DashLine);
    p.setPen(outline);
    p.setBrush(m.trough);
    p.drawRoundedRect(bar, radius, radius);
    if (known) {
        const QRectF inner = bar.adjusted(m.pen, m.pen, -m.pen, -m.pen);
        auto width = [&](double v) { return std::clamp(v / double(g.capacity), 0.0, 1.0) * inner.width(); };
        QPainterPath clip;
        clip.addRoundedRect(inner, radius, radius);
        p.save();
        p.setClipPath(clip, Qt::IntersectClip);
        p.setPen(Qt::NoPen);
        if (g.kind == u"send" && g.unsent >= 0) {
            // The send queue in sequence order: the sent, unacknowledged head, then the unsent tail.
            const double sent = width(std::max(0.0, g.shownValue - g.shownUnsent));
            const double all = width(g.shownValue);
            p.fillRect(QRectF(inner.left(), inner.top(), sent, inner.height()), m.fill);
            const QRectF tail(inner.left() + sent, inner.top(), std::max(0.0, all - sent), inner.height());
            p.fillRect(tail, m.unsentFill);
            p.fillRect(tail, QBrush(m.fill, Qt::BDiagPattern));
        } else {
            p.fillRect(QRectF(inner.left(), inner.top(), width(g.shownValue), inner.height()), m.fill);
        }
        p.restore();
    } else {
        p.setFont(m.italic);
        p.setPen(m.muted);
        p.drawText(bar, Qt::AlignCenter, g.value < 0 ? tr("not reported") : tr("capacity not reported"));
    }

    // Warnings are written on the gauge itself, right-aligned, on an opaque chip so that they read
    // over any fill.
    std::vector<std::pair<QString, QColor>> chips;
    if (g.blocked) {
        const QString call = accept ? tr("accept() blocked")
            : g.kind == u"send"     ? tr("send() blocked")
                                    : tr("recv() blocked");
        chips.emplace_back(call, m.blocked);
    }
    if (accept && g.capacity > 0 && g.value >= g.capacity)
        chips.emplace_back(tr("full"), m.warning);
    if (g.zeroWindow)
        chips.emplace_back(g.kind == u"send" ? tr("peer's window: 0") : tr("our window: 0"), m.warning);
    QFont chipFont = m.small;
    chipFont.setBold(true);
    const double chipH = bar.height() - 2 * m.pen;
    if (const double fits = chipH / QFontMetricsF(chipFont).height(); fits < 1 && chipFont.pointSizeF() > 0)
        chipFont.setPointSizeF(chipFont.pointSizeF() * fits);
    const QFontMetricsF cfm(chipFont);
    double cx = bar.right() - m.lh * 0.3;
    p.setFont(chipFont);
    for (const auto& [text, colour] : chips) {
        const double cw = cfm.horizontalAdvance(text) + chipH;
        const QRectF chip(cx - cw, bar.center().y() - chipH / 2, cw, chipH);
        p.setPen(QPen(colour, m.pen));
        p.setBrush(m.base);
        p.drawRoundedRect(chip, chipH / 2, chipH / 2);
        p.setPen(colour);
        p.drawText(chip, Qt::AlignCenter, text);
        cx -= cw + m.lh * 0.3;
    }
    paintSparkline(p, m, g, spark);

    // Caption: the kernel's numbers, with colour keys for the two parts of a send queue.
    const QRectF line(r.left(), bar.bottom() + 1, bar.width(), m.smallLh);
    const QFontMetricsF sfm(m.small);
    if (g.value < 0)
        return; // the bar already says "not reported"
    p.setPen(m.text);
    p.setFont(m.small);
    if (g.kind == u"send" && g.unsent >= 0) {
        const double key = sfm.ascent() * 0.8;
        const double space = sfm.horizontalAdvance(u' ');
        const QString parts[] = {
            tr("bytes queued: %1").arg(locale().toString(g.value)),
            tr("sent, not yet acknowledged: %1").arg(locale().toString(g.value - g.unsent)),
            tr("not yet sent: %1").arg(locale().toString(g.unsent)),
        };
        double needed = 2 * (key + 3 * space);
        for (const QString& part : parts)
            needed += sfm.horizontalAdvance(part);
        if (needed <= line.width()) {
            const double baseline = line.top() + sfm.ascent();
            double x = line.left();
            for (int i = 0; i < 3; ++i) {
                if (i > 0) {
                    x += 2 * space;
                    const QRectF sw(x, line.center().y() - key / 2, key, key);
                    p.fillRect(sw, i == 1 ? m.fill : m.unsentFill);
                    if (i == 2)
                        p.fillRect(sw, QBrush(m.fill, Qt::BDiagPattern));
                    x += key + space;
                }
                p.drawText(QPointF(x, baseline), parts[i]);
                x += sfm.horizontalAdvance(parts[i]);
            }
            return;
        }
    }
    p.drawText(line, Qt::AlignLeft | Qt::AlignVCenter, sfm.elidedText(g.caption, Qt::ElideRight, line.width()));
}

void BuffersView::paintSparkline(QPainter& p, const Metrics& m, const Gauge& g, const QRectF& r) const
{
    p.setPen(QPen(m.outline, m.pen * 0.75));
    p.setBrush(m.trough);
    p.drawRect(r);
    if (g.history.empty())
        return;
    qint64 top = std::max<qint64>(g.capacity, 1);
    for (const HistoryPoint& h : g.history)
        top = std::max({ top, h.value, h.capacity });
    const QRectF in = r.adjusted(2, 2, -2, -2);
    auto xOf
        = [&](std::int64_t t) { return in.left() + in.width() * std::clamp(double(t) / double(m_endNs), 0.0, 1.0); };
    auto yOf = [&](double v) { return in.bottom() - in.height() * std::clamp(v / double(top), 0.0, 1.0); };
    const double nowX = xOf(m_nowNs);

    // A step line: a reading holds until the next one. Unreported readings leave a gap.
    auto trace = [&](auto valueOf) {
        QPainterPath path;
        bool open = false;
        double lastY = 0;
        for (std::size_t i = 0; i < g.history.size(); ++i) {
            const qint64 v = valueOf(g.history[i]);
            const double x = xOf(g.history[i].tNs);
            if (v < 0) {
                if (open)
                    path.lineTo(x, lastY);
                open = false;
                continue;
            }
            const double yy = yOf(double(v));
            if (!open) {
                path.moveTo(x, yy);
                open = true;
            } else {
                path.lineTo(x, lastY);
                path.lineTo(x, yy);
            }
            lastY = yy;
        }
        if (open)
            path.lineTo(std::max(nowX, path.currentPosition().x()), lastY);
        return path;
    };
    p.setBrush(Qt::NoBrush);
    if (g.kind == u"send") {
        QPen dashed(mix(m.fill, m.text, 0.45), m.pen * 1.2);
        dashed.setStyle(Qt::DashLine);
        p.setPen(dashed);
        p.drawPath(trace([](const HistoryPoint& h) { return h.unsent; }));
    }
    p.setPen(QPen(m.fill, m.pen * 1.5));
    p.drawPath(trace([](const HistoryPoint& h) { return h.value; }));

    // Where the run is now.
    p.setPen(QPen(m.text, m.pen));
    p.drawLine(QPointF(nowX, r.top()), QPointF(nowX, r.bottom()));
    if (g.value >= 0) {
        p.setBrush(m.text);
        p.setPen(Qt::NoPen);
        const double d = m.pen * 2.5;
        p.drawEllipse(QPointF(nowX, yOf(g.shownValue)), d, d);
    }
}

} // namespace synack
