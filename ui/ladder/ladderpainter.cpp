// SPDX-License-Identifier: GPL-3.0-or-later
#include "ladder/ladderpainter.h"

#include "common/colour.h"
#include "common/geometry.h"
#include "ladder/ladderstyle.h"
#include "ladder/ladderview.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>

namespace synack {

namespace {

using Item = LadderItem;

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
    p.setBrush(withAlpha(c, 0.35));
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

/// Diagonal hatching whose spacing follows the type size (`unit / divisor`).
QBrush hatching(const QColor& c, double unit, double divisor)
{
    QBrush hatch(c, Qt::BDiagPattern);
    QTransform scale;
    scale.scale(unit / divisor, unit / divisor);
    hatch.setTransform(scale);
    return hatch;
}

QFont italic(QFont f)
{
    f.setItalic(true);
    return f;
}

} // namespace

void LadderPainter::paint(const LadderItem& it)
{
    switch (it.kind) {
    case Item::Lane:
        return lane(it);
    case Item::StepHeader:
        return stepHeader(it);
    case Item::GateBand:
        return gateBand(it);
    case Item::Lifeline:
        return lifeline(it);
    case Item::Blocked:
        return blocked(it);
    case Item::StateBand:
        return stateBand(it);
    case Item::Wait:
        return wait(it);
    case Item::Segment:
        return segment(it);
    case Item::GateMark:
        return gateMark(it);
    case Item::Timer:
        return timer(it);
    case Item::StateLabel:
        return stateLabel(it);
    case Item::Rename:
        return rename(it);
    case Item::Call:
        return call(it);
    case Item::Header:
        return header(it);
    }
}

void LadderPainter::lane(const LadderItem& it)
{
    const bool wire = !it.detail.isEmpty();
    if (wire) {
        m_p.fillRect(it.rect, m_s.wire);
        m_p.setPen(QPen(mix(m_s.wire, m_s.text, 0.18), m_s.pen * 0.8, Qt::DashLine));
        m_p.drawLine(it.rect.topLeft(), it.rect.bottomLeft());
        m_p.drawLine(it.rect.topRight(), it.rect.bottomRight());
    }
    m_p.setFont(m_f.lane);
    m_p.setPen(m_s.muted);
    // Upper case in the text, not by the font: SVG export drops font capitalization.
    m_p.drawText(it.labelRect, Qt::AlignCenter, it.label.toUpper());
    if (!wire)
        return;
    m_p.setFont(m_f.small);
    m_p.setPen(m_s.faint);
    const QRectF sub = it.labelRect.translated(0, it.labelRect.height());
    m_p.drawText(sub, Qt::AlignCenter, it.detail);
    inferredKey(sub);
}

/// Under the wire's title, a key: what a dashed arrow means.
void LadderPainter::inferredKey(const QRectF& sub)
{
    const double unit = m_f.u;
    const QFontMetricsF small(m_f.small);
    const QString inferred = LadderView::tr("inferred");
    const double sample = 1.8 * unit;
    const double w = sample + 0.4 * unit + small.horizontalAdvance(inferred);
    const double x0 = sub.center().x() - w / 2, y0 = sub.bottom() + 0.15 * unit + small.lineSpacing() / 2;
    QPen dash(m_s.muted, m_s.pen * 1.4, Qt::DashLine, Qt::FlatCap);
    dash.setDashPattern({ 4.0, 3.0 });
    m_p.setPen(dash);
    m_p.drawLine(QPointF(x0, y0), QPointF(x0 + sample, y0));
    m_p.setPen(m_s.muted);
    m_p.setFont(italic(m_f.small));
    m_p.drawText(QRectF(x0 + sample + 0.4 * unit, y0 - small.lineSpacing() / 2, w, small.lineSpacing()),
        Qt::AlignLeft | Qt::AlignVCenter, inferred);
}

void LadderPainter::stepHeader(const LadderItem& it)
{
    const double unit = m_f.u;
    const double mid = it.labelRect.center().y();
    m_p.setPen(QPen(m_s.faint, m_s.pen * 0.8));
    m_p.drawLine(QPointF(it.rect.left() + 0.5 * unit, mid), QPointF(it.labelRect.left(), mid));
    m_p.drawLine(QPointF(it.labelRect.right(), mid), QPointF(it.rect.right() - 0.5 * unit, mid));
    const double r = it.labelRect.height() / 2;
    m_p.setPen(QPen(m_s.faint, m_s.pen * 0.8));
    m_p.setBrush(m_s.bg);
    m_p.drawRoundedRect(it.labelRect, r, r);
    const QFontMetricsF sb(m_f.smallBold);
    const QRectF badge(
        it.labelRect.left(), it.labelRect.top(), sb.horizontalAdvance(it.detail) + 0.9 * unit, it.labelRect.height());
    m_p.setPen(Qt::NoPen);
    m_p.setBrush(m_s.muted);
    m_p.drawRoundedRect(badge, r, r);
    m_p.setPen(m_s.bg);
    m_p.setFont(m_f.smallBold);
    m_p.drawText(badge, Qt::AlignCenter, it.detail);
    if (!it.label.isEmpty()) {
        m_p.setFont(m_f.mono);
        m_p.setPen(m_s.text);
        m_p.drawText(
            it.labelRect.adjusted(badge.width() + 0.3 * unit, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter, it.label);
    }
}

void LadderPainter::lifeline(const LadderItem& it)
{
    const double unit = m_f.u;
    m_p.setPen(QPen(m_s.line, m_s.pen * 1.2, Qt::SolidLine, Qt::FlatCap));
    m_p.drawLine(it.line);
    m_p.setPen(Qt::NoPen);
    m_p.setBrush(m_s.line);
    m_p.drawEllipse(it.line.p1(), 0.18 * unit, 0.18 * unit);
    if (!it.label.isEmpty()) { // the name it had before accept()
        m_p.setFont(italic(m_f.small));
        m_p.setPen(m_s.muted);
        m_p.drawText(it.labelRect, Qt::AlignLeft | Qt::AlignVCenter, it.label);
    }
    if (it.dashed) { // the kernel dropped the socket: a cross at the end
        const QPointF e = it.line.p2();
        const double r = 0.3 * unit;
        m_p.setPen(QPen(m_s.muted, m_s.pen * 1.6, Qt::SolidLine, Qt::RoundCap));
        m_p.drawLine(e + QPointF(-r, -r), e + QPointF(r, r));
        m_p.drawLine(e + QPointF(-r, r), e + QPointF(r, -r));
    }
}

void LadderPainter::blocked(const LadderItem& it)
{
    m_p.setPen(Qt::NoPen);
    m_p.setBrush(withAlpha(m_s.blocked, 0.18));
    m_p.drawRect(it.rect);
    m_p.setBrush(hatching(m_s.blocked, m_f.u, 12.0));
    m_p.drawRect(it.rect);
    m_p.setPen(QPen(m_s.blocked, m_s.pen));
    m_p.drawLine(it.rect.topLeft(), it.rect.bottomLeft());
    m_p.drawLine(it.rect.topRight(), it.rect.bottomRight());
    if (!it.dashed)
        m_p.drawLine(it.rect.bottomLeft(), it.rect.bottomRight());
}

void LadderPainter::stateBand(const LadderItem& it)
{
    const QColor c = ladderStateColor(it.state);
    m_p.setPen(Qt::NoPen);
    if (it.dashed) {
        m_p.setBrush(withAlpha(c, 0.3));
        m_p.drawRect(it.rect);
        m_p.setBrush(hatching(c.darker(135), m_f.u, 14.0));
        m_p.drawRect(it.rect);
    } else {
        m_p.setBrush(c);
        m_p.drawRect(it.rect);
    }
}

void LadderPainter::wait(const LadderItem& it)
{
    if (it.label.isEmpty()) {
        // A time break on the line: a gap between two short slanted strokes.
        const QRectF r = it.rect;
        m_p.fillRect(r, m_s.bg);
        m_p.setPen(QPen(m_s.muted, m_s.pen * 1.2, Qt::SolidLine, Qt::RoundCap));
        const double dy = 0.25 * m_f.u;
        m_p.drawLine(QPointF(r.left(), r.top() + dy), QPointF(r.right(), r.top() - dy));
        m_p.drawLine(QPointF(r.left(), r.bottom() + dy), QPointF(r.right(), r.bottom() - dy));
        return;
    }
    m_p.setPen(QPen(m_s.faint, m_s.pen, Qt::DashLine));
    m_p.setBrush(m_s.bg);
    m_p.drawRoundedRect(it.rect, it.rect.height() / 2, it.rect.height() / 2);
    m_p.setFont(italic(m_f.body));
    m_p.setPen(m_s.muted);
    m_p.drawText(it.rect, Qt::AlignCenter, it.label);
}

void LadderPainter::segment(const LadderItem& it)
{
    const double unit = m_f.u;
    QColor c = it.warning ? m_s.rst : m_s.text;
    if (it.dashed && !it.warning)
        c = m_s.muted;
    QPen linePen(c, m_s.pen * (it.warning ? 2.0 : 1.6), it.dashed ? Qt::DashLine : Qt::SolidLine, Qt::FlatCap);
    if (it.dashed)
        linePen.setDashPattern({ 4.0, 3.0 });
    m_p.setPen(linePen);
    m_p.setBrush(Qt::NoBrush);
    const QLineF l = it.line;
    if (l.p1().x() == l.p2().x() && l.p1().y() != l.p2().y()) {
        // to itself (a simultaneous open on one socket): a loop out to the right
        QPainterPath path(l.p1());
        const double out = 2.5 * unit;
        path.cubicTo(l.p1() + QPointF(out, 0), l.p2() + QPointF(out, 0), l.p2());
        m_p.drawPath(path);
    } else if (l.length() > 0.5) {
        m_p.drawLine(l);
    }
    if (it.fromGate)
        gateBar(l.p1());
    if (it.end == Item::Crossed || it.end == Item::Refused) {
        // Lost on the wire, dropped at the gate or by the receiver's kernel: it ends in a cross, no head.
        cross(l.p2(), m_s.rst);
    } else if (l.length() > 0.5) {
        m_p.setPen(Qt::NoPen);
        m_p.setBrush(c);
        m_p.drawPolygon(arrowHead(l.p2(), l.p2() - l.p1(), 0.65 * unit, 0.26 * unit));
    }
    if (it.end == Item::Held)
        gateBar(l.p2());
    m_p.setPen(c);
    QFont f = m_f.bold;
    f.setItalic(it.dashed);
    m_p.setFont(f);
    m_p.drawText(it.labelRect, Qt::AlignCenter, it.label);
    // A half arrow's numbers and note sit on the middle of the wire, where a cut wire's band runs:
    // on the wire's own colour, so they read over it.
    const bool onGate = it.end == Item::Held || it.end == Item::Crossed || it.fromGate;
    if (onGate) {
        for (const QRectF& r : { it.detailRect, it.noteRect })
            if (!r.isNull())
                m_p.fillRect(r, m_s.wire);
    }
    if (!it.detail.isEmpty()) {
        m_p.setFont(m_f.small);
        m_p.setPen(it.warning ? m_s.rst : m_s.muted);
        if (it.alertFrom < 0 || it.alertFrom + it.alertLength > it.detail.size()) {
            m_p.drawText(it.detailRect, Qt::AlignCenter, it.detail);
        } else {
            // "win 0" in the warning colour, the rest as usual: three runs, centred as one text.
            const QFontMetricsF fm(m_f.small);
            const QString parts[3] = { it.detail.left(it.alertFrom), it.detail.mid(it.alertFrom, it.alertLength),
                it.detail.mid(it.alertFrom + it.alertLength) };
            double x = it.detailRect.center().x() - fm.horizontalAdvance(it.detail) / 2;
            const double baseline = it.detailRect.center().y() - fm.height() / 2 + fm.ascent();
            for (int i = 0; i < 3; ++i) {
                QFont run = m_f.small;
                run.setBold(i == 1);
                m_p.setFont(run);
                m_p.setPen(i == 1 ? m_s.rst : (it.warning ? m_s.rst : m_s.muted));
                m_p.drawText(QPointF(x, baseline), parts[i]);
                x += QFontMetricsF(run).horizontalAdvance(parts[i]);
            }
        }
    }
    if (!it.note.isEmpty()) {
        m_p.setFont(italic(m_f.small));
        m_p.setPen(it.end == Item::Crossed || it.end == Item::Refused ? m_s.rst : m_s.muted);
        m_p.drawText(it.noteRect, Qt::AlignCenter, it.note);
    }
    if (!it.heldLabel.isEmpty()) {
        m_p.setFont(italic(m_f.small));
        m_p.setPen(m_s.blockedText);
        m_p.drawText(it.heldRect, Qt::AlignCenter, it.heldLabel);
    }
}

/// The gate in the middle of the wire, where a held segment waits: a short upright bar.
void LadderPainter::gateBar(const QPointF& at)
{
    const double unit = m_f.u;
    const QRectF bar(at.x() - 0.14 * unit, at.y() - 0.7 * unit, 0.28 * unit, 1.4 * unit);
    m_p.setPen(Qt::NoPen);
    m_p.setBrush(m_s.blockedText);
    m_p.drawRoundedRect(bar, 0.1 * unit, 0.1 * unit);
}

void LadderPainter::cross(const QPointF& at, const QColor& c)
{
    const double r = 0.38 * m_f.u;
    m_p.setPen(QPen(c, m_s.pen * 2.2, Qt::SolidLine, Qt::RoundCap));
    m_p.drawLine(at + QPointF(-r, -r), at + QPointF(r, r));
    m_p.drawLine(at + QPointF(-r, r), at + QPointF(r, -r));
}

/// hold, pass, cut, mend, lose, duplicate: a pill in the middle of the wire, with the gate's bar
/// at its left (broken for a cut).
void LadderPainter::gateMark(const LadderItem& it)
{
    const double unit = m_f.u;
    const double r = it.rect.height() / 2;
    const bool cut = it.state == QLatin1String("cut") || it.state == QLatin1String("lose");
    QPen border(cut ? m_s.rst : m_s.blockedText, m_s.pen, Qt::DashLine);
    border.setDashPattern({ 3.0, 2.0 });
    m_p.setPen(border);
    m_p.setBrush(m_s.bg);
    m_p.drawRoundedRect(it.rect, r, r);
    const QRectF bar(it.rect.left() + 0.6 * unit, it.rect.center().y() - 0.35 * unit, 0.22 * unit, 0.7 * unit);
    m_p.setPen(Qt::NoPen);
    m_p.setBrush(cut ? m_s.rst : m_s.blockedText);
    m_p.drawRect(bar);
    m_p.setFont(m_f.small);
    m_p.setPen(m_s.text);
    m_p.drawText(it.rect.adjusted(1.1 * unit, 0, -0.5 * unit, 0), Qt::AlignCenter, it.label);
}

/// The wire while it is cut: a dashed, hatched band down its middle.
void LadderPainter::gateBand(const LadderItem& it)
{
    m_p.setPen(Qt::NoPen);
    m_p.setBrush(withAlpha(m_s.rst, 0.10));
    m_p.drawRect(it.rect);
    m_p.setBrush(hatching(withAlpha(m_s.rst, 0.5), m_f.u, 12.0));
    m_p.drawRect(it.rect);
    QPen dash(m_s.rst, m_s.pen, Qt::DashLine, Qt::FlatCap);
    dash.setDashPattern({ 4.0, 3.0 });
    m_p.setPen(dash);
    m_p.drawLine(it.rect.topLeft(), it.rect.bottomLeft());
    m_p.drawLine(it.rect.topRight(), it.rect.bottomRight());
}

void LadderPainter::timer(const LadderItem& it)
{
    const double unit = m_f.u;
    const double r = it.rect.height() / 2;
    m_p.setPen(QPen(m_s.faint, m_s.pen * 0.8));
    m_p.setBrush(m_s.bg);
    m_p.drawRoundedRect(it.rect, r, r);
    const QFontMetricsF small(m_f.small);
    const double iw = 0.7 * unit;
    const double x0 = it.rect.center().x() - (iw + 0.3 * unit + small.horizontalAdvance(it.label)) / 2;
    drawClock(m_p, QRectF(x0, it.rect.center().y() - iw / 2, iw, iw), m_s.muted, m_s.pen);
    m_p.setFont(m_f.small);
    m_p.setPen(m_s.muted);
    m_p.drawText(QRectF(x0 + iw + 0.3 * unit, it.rect.top(), it.rect.right() - x0 - iw, it.rect.height()),
        Qt::AlignLeft | Qt::AlignVCenter, it.label);
}

void LadderPainter::stateLabel(const LadderItem& it)
{
    const QColor c = ladderStateColor(it.state);
    const double r = it.rect.height() / 2;
    if (it.dashed) {
        m_p.setBrush(m_s.bg);
        QPen border(c, m_s.pen * 1.6, Qt::DashLine);
        border.setDashPattern({ 3.0, 2.0 });
        m_p.setPen(border);
        m_p.drawRoundedRect(it.rect, r, r);
        m_p.setFont(italic(m_f.smallBold));
        m_p.setPen(m_s.text);
    } else {
        m_p.setBrush(c);
        m_p.setPen(QPen(mix(c, m_s.text, 0.35), m_s.pen * 0.8));
        m_p.drawRoundedRect(it.rect, r, r);
        m_p.setFont(m_f.smallBold);
        m_p.setPen(contrastText(c));
    }
    m_p.drawText(it.rect, Qt::AlignCenter, it.label);
}

void LadderPainter::rename(const LadderItem& it)
{
    const double r = it.rect.height() / 2;
    m_p.setBrush(m_s.bg);
    m_p.setPen(QPen(m_s.muted, m_s.pen));
    m_p.drawRoundedRect(it.rect, r, r);
    m_p.setFont(italic(m_f.small));
    m_p.setPen(m_s.text);
    m_p.drawText(it.rect, Qt::AlignCenter, it.label);
}

void LadderPainter::call(const LadderItem& it)
{
    const double unit = m_f.u;
    const double r = 0.35 * unit;
    m_p.setBrush(m_s.boxFill);
    m_p.setPen(QPen(it.warning ? m_s.warn : m_s.boxBorder, m_s.pen * (it.warning ? 1.6 : 1.0)));
    m_p.drawRoundedRect(it.rect, r, r);
    const QFontMetricsF bold(m_f.bold), body(m_f.body), small(m_f.small);
    const double top = it.rect.top() + 0.25 * unit;
    // "call" bold, "(args)" regular, centred together.
    const qsizetype paren = it.label.indexOf(QLatin1Char('('));
    const QString name = paren > 0 ? it.label.left(paren) : it.label;
    const QString rest = paren > 0 ? it.label.mid(paren) : QString();
    const double w = bold.horizontalAdvance(name) + body.horizontalAdvance(rest);
    double x = it.rect.center().x() - w / 2;
    m_p.setPen(m_s.text);
    m_p.setFont(m_f.bold);
    m_p.drawText(
        QRectF(x, top, bold.horizontalAdvance(name) + 1, bold.lineSpacing()), Qt::AlignLeft | Qt::AlignVCenter, name);
    x += bold.horizontalAdvance(name);
    m_p.setFont(m_f.body);
    m_p.drawText(
        QRectF(x, top, body.horizontalAdvance(rest) + 1, body.lineSpacing()), Qt::AlignLeft | Qt::AlignVCenter, rest);
    const QRectF second(it.rect.left(), top + body.lineSpacing(), it.rect.width(), small.lineSpacing());
    if (it.dashed) { // blocked: an hourglass, then the word
        const double tw = QFontMetricsF(m_f.smallBold).horizontalAdvance(it.detail);
        const double iw = 0.55 * unit;
        const double x0 = second.center().x() - (tw + iw + 0.3 * unit) / 2;
        drawHourglass(m_p, QRectF(x0, second.center().y() - 0.36 * unit, iw, 0.72 * unit), m_s.blockedText, m_s.pen);
        m_p.setFont(m_f.smallBold);
        m_p.setPen(m_s.blockedText);
        m_p.drawText(QRectF(x0 + iw + 0.3 * unit, second.top(), tw + 0.5 * unit, second.height()),
            Qt::AlignLeft | Qt::AlignVCenter, it.detail);
    } else {
        m_p.setFont(it.warning ? m_f.smallBold : m_f.small);
        m_p.setPen(it.warning ? m_s.warn : m_s.muted);
        m_p.drawText(second, Qt::AlignCenter, it.detail);
    }
}

void LadderPainter::header(const LadderItem& it)
{
    m_p.setFont(m_f.title);
    m_p.setPen(m_s.text);
    const QFontMetricsF title(m_f.title), small(m_f.small);
    m_p.drawText(
        QRectF(it.rect.left(), it.rect.top(), it.rect.width(), title.lineSpacing()), Qt::AlignCenter, it.label);
    m_p.setFont(m_f.small);
    m_p.setPen(m_s.muted);
    m_p.drawText(QRectF(it.rect.left(), it.rect.top() + title.lineSpacing(), it.rect.width(), small.lineSpacing()),
        Qt::AlignCenter, it.detail);
}

} // namespace synack
