// SPDX-License-Identifier: GPL-3.0-or-later
#include "window/export.h"

#include <QFileInfo>
#include <QImage>
#include <QSvgGenerator>

namespace synack {

QString exportPicture(const QString& path, QSize size, const std::function<void(QPainter&, const QRectF&)>& paint,
    const QString& title, double scale)
{
    if (size.isEmpty())
        return QObject::tr("There is nothing to export yet.");
    const QString suffix = QFileInfo(path).suffix().toLower();
    const QRectF target(QPointF(0, 0), QSizeF(size));
    if (suffix == QStringLiteral("svg")) {
        QSvgGenerator svg;
        svg.setFileName(path);
        svg.setSize(size);
        svg.setViewBox(target);
        svg.setTitle(title);
        svg.setDescription(QObject::tr("Made with SynAck from what the Linux kernel reported"));
        QPainter p;
        if (!p.begin(&svg))
            return QObject::tr("Cannot write %1.").arg(path);
        paint(p, target);
        p.end();
        return QFileInfo(path).size() > 0 ? QString() : QObject::tr("Cannot write %1.").arg(path);
    }
    QImage image(size * scale, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    {
        QPainter p(&image);
        p.setRenderHint(QPainter::Antialiasing);
        p.scale(scale, scale);
        paint(p, target);
    }
    if (!image.save(path, suffix == QStringLiteral("jpg") ? "JPG" : "PNG"))
        return QObject::tr("Cannot write %1.").arg(path);
    return {};
}

} // namespace synack
