// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QPainter>
#include <QSize>
#include <QString>

#include <functional>

namespace synack {

/// Renders a view (through its paintTo) into an SVG or PNG file, chosen by the file's suffix.
/// PNG is rendered at `scale` times the size for sharp slides. Returns an error text, or "" on success.
QString exportPicture(const QString& path, QSize size, const std::function<void(QPainter&, const QRectF&)>& paint,
    const QString& title, double scale = 2.0);

} // namespace synack
