// SPDX-License-Identifier: GPL-3.0-or-later
#include "playback/gatetext.h"

#include <QCoreApplication>

#include <array>
#include <utility>

namespace synack::gatetext {

namespace {

QString translated(const char* text)
{
    return QCoreApplication::translate("synack::GateText", text);
}

QString fromUtf8(const std::string& s)
{
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

} // namespace

QString action(const GateEvent& g)
{
    const QString pattern = fromUtf8(g.pattern);
    QString out;
    if (g.action == "hold")
        out = QCoreApplication::translate("synack::GateText", "the gate holds every segment");
    else if (g.action == "pass")
        out = QCoreApplication::translate("synack::GateText", "the gate lets every segment pass");
    else if (g.action == "cut")
        out = QCoreApplication::translate("synack::GateText", "the wire is cut: every segment is lost");
    else if (g.action == "mend")
        out = QCoreApplication::translate("synack::GateText", "the wire is mended");
    else if (g.action == "lose")
        out = QCoreApplication::translate("synack::GateText", "the gate loses %1 from now on").arg(pattern);
    else if (g.action == "deliver")
        out = QCoreApplication::translate("synack::GateText", "the gate delivers segment #%1").arg(g.frame);
    else if (g.action == "drop")
        out = QCoreApplication::translate("synack::GateText", "the gate drops segment #%1").arg(g.frame);
    else if (g.action == "duplicate")
        out = QCoreApplication::translate("synack::GateText", "the gate sends a copy of segment #%1").arg(g.frame);
    else if (g.action == "delay")
        out = QCoreApplication::translate("synack::GateText", "the gate delays every segment by %1").arg(pattern);
    else
        out = QCoreApplication::translate("synack::GateText", "gate %1").arg(fromUtf8(g.action));
    if (!pattern.isEmpty() && g.action != "lose" && g.action != "delay")
        out += QStringLiteral(" (%1)").arg(pattern);
    if (g.by == "user")
        out += QCoreApplication::translate("synack::GateText", ", by you");
    return out;
}

QString mark(const GateEvent& g)
{
    QString out;
    if (g.action == "hold")
        out = QCoreApplication::translate("synack::GateText", "gate: hold");
    else if (g.action == "pass")
        out = QCoreApplication::translate("synack::GateText", "gate: pass");
    else if (g.action == "cut")
        out = QCoreApplication::translate("synack::GateText", "gate: wire cut");
    else if (g.action == "mend")
        out = QCoreApplication::translate("synack::GateText", "gate: wire mended");
    else if (g.action == "lose")
        out = QCoreApplication::translate("synack::GateText", "gate: lose %1").arg(fromUtf8(g.pattern));
    else if (g.action == "duplicate")
        out = QCoreApplication::translate("synack::GateText", "gate: copy #%1").arg(g.frame);
    else if (g.action == "delay")
        out = QCoreApplication::translate("synack::GateText", "gate: delay %1").arg(fromUtf8(g.pattern));
    else
        out = QCoreApplication::translate("synack::GateText", "gate: %1").arg(fromUtf8(g.action));
    if (g.by == "user")
        out += QCoreApplication::translate("synack::GateText", " (you)");
    return out;
}

QString fate(const SegmentEvent& s, bool brief)
{
    if (s.fate == "held")
        return brief ? QCoreApplication::translate("synack::GateText", "held")
                     : QCoreApplication::translate("synack::GateText", "held at the gate");
    if (s.fate == "cut")
        return QCoreApplication::translate("synack::GateText", "lost: the wire is cut");
    if (s.fate == "lost")
        return QCoreApplication::translate("synack::GateText", "lost at the gate");
    if (s.fate == "copy")
        return QCoreApplication::translate("synack::GateText", "copy of #%1").arg(s.copyOf);
    if (s.fate == "delayed")
        return QCoreApplication::translate("synack::GateText", "delayed at the gate");
    return {};
}

QString cause(const SegmentEvent& s)
{
    // The wire classifier's words for what a kernel timer sent (engine/run/wire.cpp); a
    // retransmission may say which and when ("retransmission 2, +3 s"): the rest is kept.
    static const std::array<std::pair<const char*, const char*>, 5> kTimers { {
        { "retransmission", QT_TRANSLATE_NOOP("synack::GateText", "retransmission") },
        { "keepalive probe", QT_TRANSLATE_NOOP("synack::GateText", "keepalive probe") },
        { "window probe", QT_TRANSLATE_NOOP("synack::GateText", "window probe") },
        { "zero window probe", QT_TRANSLATE_NOOP("synack::GateText", "zero window probe") },
        { "delayed ACK", QT_TRANSLATE_NOOP("synack::GateText", "delayed ACK") },
    } };
    for (const auto& [word, text] : kTimers) {
        const std::string_view w(word);
        if (s.cause.compare(0, w.size(), w) == 0)
            return translated(text) + fromUtf8(s.cause.substr(w.size()));
    }
    return {};
}

} // namespace synack::gatetext
