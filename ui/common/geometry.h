// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QPainterPath>
#include <QPointF>
#include <QPolygonF>
#include <QRectF>

#include <vector>

namespace synack {

inline double clamp01(double v)
{
    return v < 0 ? 0 : (v > 1 ? 1 : v);
}

/// A rectangle of `size` placed at `anchor` as `align` says: AlignLeft puts its left edge there,
/// AlignRight its right edge, neither centres it (and likewise AlignTop, AlignBottom).
QRectF placed(const QPointF& anchor, Qt::Alignment align, const QSizeF& size);

/// Where the ray from the rectangle's centre towards `toward` leaves the rectangle.
QPointF boundaryPoint(const QRectF& r, const QPointF& toward);

/// A filled arrowhead: its tip at `tip`, pointing along `direction` (any length but zero),
/// `length` long and `halfWidth` either side of its axis. Empty when `direction` is zero.
QPolygonF arrowHead(const QPointF& tip, const QPointF& direction, double length, double halfWidth);

/// A polyline through `points` with its corners rounded by up to `radius`, as RFC 9293's
/// figure draws its edges with boxes and lines.
QPainterPath roundedPolyline(const std::vector<QPointF>& points, double radius = 16);

/// A smooth curve through `points` (Catmull-Rom, as cubic Béziers), leaving the first point
/// towards `first` and arriving at the last one from the direction of `beforeLast`.
QPainterPath smoothThrough(const std::vector<QPointF>& points, QPointF first, QPointF beforeLast);

} // namespace synack
