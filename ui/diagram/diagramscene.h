// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QPainterPath>
#include <QPointF>
#include <QRectF>
#include <QString>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "diagram/diagramfigure.h"
#include "playback/frame.h"

namespace synack {

/// What a Frame puts on the figure: one token per endpoint, and the moves that are lit.
struct DiagramScene {
    struct Token {
        QString name;
        QString text; ///< the name as drawn ("server (gone)")
        Side side = Side::Client;
        int shade = 0;
        QPointF pos;
        QRectF label;
        qreal opacity = 1;
        bool hollow = false;
        bool gone = false;
        QString tip;
    };
    /// A move drawn highlighted: an RFC edge, or a Linux arrow.
    struct Lit {
        DiagramMove move;
        bool dashed = false; ///< inferred
        bool notRfc = false; ///< a Linux-only move, not an RFC edge
        QPainterPath path;
        QRectF labelRect;
        QString label;
        QString tip;
    };

    /// A node with more sockets than it has room for: the first few get a token, the rest are
    /// counted in a chip after them ("and 19,992 more").
    struct Crowd {
        TcpState node = TcpState::Unknown;
        int more = 0;
        QString text;
        QRectF rect;
    };

    std::vector<Token> tokens;
    std::vector<Crowd> crowds;
    std::optional<Lit> current; ///< the move being animated
    std::vector<Lit> recent; ///< every socket's last move
    std::vector<Lit> linuxArrows; ///< the recent moves that are not RFC edges

    const Token* token(const QString& name) const;
};

/// Makes the scene of successive frames. It keeps what does not change from frame to frame:
/// per trace revision, the endpoints' order and colours; per revealed prefix, each socket's newest
/// state event (reading only the events revealed since the last frame); per figure, the routes of
/// the moves and the widths of the tokens' names. So a trace with thousands of endpoints is not
/// read again in full at every animation tick.
class DiagramSceneBuilder {
public:
    /// The most tokens under one node; past that the node says how many more it holds. Two rows
    /// at most, so they stay clear of the nodes below; and painting stays cheap with 20,000 sockets.
    static constexpr std::size_t kMaxTokensAtNode = 6;

    DiagramScene build(const Frame& frame, const DiagramFigure& figure);

private:
    struct Entry;
    struct Place {
        QPointF pos;
        QRectF label;
    };

    void learn(const Frame& frame, const DiagramFigure& figure);
    std::vector<Entry> entries(const Frame& frame, const StateEvent* newest) const;
    /// The path of a move, worked out once per figure (a Linux abort's route is costly).
    const DiagramFigure::Route& route(DiagramMove m, const DiagramFigure& figure);
    DiagramScene::Lit lit(DiagramMove m, bool inferred, const DiagramFigure& figure);
    /// Places `views` (and a chip of `chipWidth` after them, when it is not 0).
    std::vector<Place> arrange(
        TcpState node, const std::vector<const EndpointView*>& views, const DiagramFigure& f, qreal chipWidth = 0);
    /// The sockets at a node that get a token: all of them when there is room, else the first
    /// ones (always with `mover`, the socket whose move is animated).
    static std::vector<const EndpointView*> shownAt(
        const std::vector<const EndpointView*>& views, const EndpointView* mover);
    DiagramScene::Token token(const Entry& e) const;
    QString tokenText(const EndpointView& v) const;
    qreal textWidth(const QString& text, const DiagramFigure& f);

    // Per trace revision (and size, for a live trace that grows).
    const Trace* m_trace = nullptr;
    std::uint64_t m_revision = 0;
    std::size_t m_size = 0;
    // Hashed: every frame looks up every socket of the picture (a trace may have 20,000).
    std::unordered_map<std::string, int> m_order; ///< first appearance
    std::unordered_map<std::string, std::pair<Side, int>> m_shades; ///< a shade per socket within its side
    // Per revealed prefix.
    std::size_t m_scanned = 0;
    std::unordered_map<std::string, std::size_t> m_lastState, m_lastMove; ///< endpoint -> event index
    // Per figure.
    std::uint64_t m_figure = 0;
    std::map<DiagramMove, DiagramFigure::Route> m_routes;
    QHash<QString, qreal> m_widths;
};

} // namespace synack
