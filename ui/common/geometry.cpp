// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/geometry.h"

#include <algorithm>
#include <cmath>

namespace synack {

QRectF placed(const QPointF& anchor, Qt::Alignment align, const QSizeF& size)
{
    QRectF r(QPointF(), size);
    if (align & Qt::AlignLeft)
        r.moveLeft(anchor.x());
    else if (align & Qt::AlignRight)
        r.moveRight(anchor.x());
    else
        r.moveLeft(anchor.x() - size.width() / 2);
    if (align & Qt::AlignTop)
        r.moveTop(anchor.y());
    else if (align & Qt::AlignBottom)
        r.moveBottom(anchor.y());
    else
        r.moveTop(anchor.y() - size.height() / 2);
    return r;
}

QPointF boundaryPoint(const QRectF& r, const QPointF& toward)
{
    const QPointF c = r.center();
    const QPointF d = toward - c;
    const double tx = std::abs(d.x()) > 1e-9 ? r.width() / 2 / std::abs(d.x()) : 1e9;
    const double ty = std::abs(d.y()) > 1e-9 ? r.height() / 2 / std::abs(d.y()) : 1e9;
    return c + d * std::min(tx, ty);
}

QPolygonF arrowHead(const QPointF& tip, const QPointF& direction, double length, double halfWidth)
{
    const double l = std::hypot(direction.x(), direction.y());
    if (l < 1e-6)
        return {};
    const QPointF d = direction / l;
    const QPointF base = tip - d * length;
    const QPointF n(-d.y(), d.x());
    return QPolygonF { tip, base + n * halfWidth, base - n * halfWidth };
}

QPainterPath roundedPolyline(const std::vector<QPointF>& p, double radius)
{
    QPainterPath path(p.front());
    for (std::size_t i = 1; i + 1 < p.size(); ++i) {
        const QPointF in = p[i] - p[i - 1];
        const QPointF out = p[i + 1] - p[i];
        const double lin = std::hypot(in.x(), in.y());
        const double lout = std::hypot(out.x(), out.y());
        const double r = std::min({ radius, lin / 2, lout / 2 });
        path.lineTo(p[i] - in / lin * r);
        path.quadTo(p[i], p[i] + out / lout * r);
    }
    path.lineTo(p.back());
    return path;
}

QPainterPath smoothThrough(const std::vector<QPointF>& points, QPointF first, QPointF beforeLast)
{
    QPainterPath path(points.front());
    const std::size_t n = points.size();
    auto at = [&](std::ptrdiff_t i) {
        if (i < 0)
            return points.front() - (first - points.front());
        if (static_cast<std::size_t>(i) >= n)
            return points.back() + (points.back() - beforeLast);
        return points[static_cast<std::size_t>(i)];
    };
    for (std::size_t i = 0; i + 1 < n; ++i) {
        const auto k = static_cast<std::ptrdiff_t>(i);
        path.cubicTo(at(k) + (at(k + 1) - at(k - 1)) / 6, at(k + 1) - (at(k + 2) - at(k)) / 6, at(k + 1));
    }
    return path;
}

} // namespace synack
