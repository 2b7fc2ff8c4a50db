// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <string_view>

namespace synack {

/// The engine's UTF-8 text (names, calls, addresses) as a QString.
inline QString qs(std::string_view s)
{
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

/// `text` as a tooltip that shows it literally, whatever it holds ("<b>x</b>", "<img src=...>"):
/// every tooltip whose text comes from a trace or a scenario goes through this.
QString plainToolTip(const QString& text);

} // namespace synack
