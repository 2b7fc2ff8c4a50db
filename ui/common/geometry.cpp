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

} // namespace synack
