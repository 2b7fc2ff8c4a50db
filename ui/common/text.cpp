// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/text.h"

#include <QTextDocument>

namespace synack {

QString plainToolTip(const QString& text)
{
    // Qt shows a tooltip as rich text when it looks like HTML (Qt::mightBeRichText): a name or an
    // argument from a trace file must not be able to restyle it or make it fetch an image.
    if (!Qt::mightBeRichText(text))
        return text;
    return QStringLiteral("<p style='white-space:pre'>") + text.toHtmlEscaped() + QStringLiteral("</p>");
}

} // namespace synack
