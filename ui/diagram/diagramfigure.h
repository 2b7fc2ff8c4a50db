// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFont>
#include <QPainterPath>
#include <QRectF>
#include <QString>

#include <array>
#include <cstdint>
#include <utility>
#include <vector>

#include "tcp/tcpstate.h"

namespace synack {

using DiagramMove = std::pair<TcpState, TcpState>; ///< from, to

/// The figure of RFC 9293's state diagram (figure 5): where the nodes are, every edge of tcp's
/// `kRfcEdges` with its path and its (translated) label, the routes of the moves the RFC does not
/// have (Linux's aborts), and the legend. In diagram coordinates, on a canvas of kWidth x kHeight.
/// Made once per font and presentation mode; frames only light parts of it and add tokens.
struct DiagramFigure {
    static constexpr qreal kWidth = 1260;
    static constexpr qreal kHeight = 900;

    struct Edge {
        DiagramMove move;
        QString label;
        QPainterPath path;
        QRectF labelRect;
    };
    /// How a move is drawn: its RFC edge, or else a dashed "Linux" arrow.
    struct Route {
        QPainterPath path;
        QRectF labelRect;
        QString label;
        bool notRfc = false;
    };

    std::uint64_t id = 0; ///< a new one for every figure made: what caches of its geometry go by
    qreal lineWidth = 1.5;
    qreal tokenRadius = 8;
    bool presentation = false;
    QFont nodeFont, rfcFont, labelFont, tokenFont, legendFont;
    std::array<QRectF, 13> nodes {};
    std::vector<Edge> edges; ///< exactly kRfcEdges, in its order
    QRectF legend;

    static DiagramFigure make(const QFont& base, bool presentation);

    QRectF node(TcpState s) const { return nodes[static_cast<std::size_t>(s)]; }
    const Edge* edge(TcpState from, TcpState to) const;
    Route route(DiagramMove m) const;
    QSizeF labelSize(const QString& text, const QFont& font) const;
};

/// States the diagram has a node for (not UNKNOWN, and a request socket shows as SYN_RECV).
bool isDiagramState(TcpState s);
/// RFC 9293's spelling, shown as a second line only where it says more than a hyphen.
QString rfcSpelling(TcpState s);
/// What a state means, for its node's tooltip.
QString meaningOf(TcpState s);
/// Why a move that is not an RFC edge is drawn at all.
QString linuxExplanation();
/// "SYN_SENT → ESTABLISHED".
QString moveText(DiagramMove m);
/// The translated legend lines: client, server, inferred, Linux.
std::array<QString, 4> legendTexts();

} // namespace synack
