// SPDX-License-Identifier: GPL-3.0-or-later
#include "diagram/diagramscene.h"

#include "common/text.h"
#include "diagram/statediagramview.h"

#include <QFontMetricsF>
#include <QLocale>
#include <QStringList>

#include <algorithm>
#include <cmath>
#include <tuple>

namespace synack {

namespace {

qreal easeInOut(qreal t)
{
    t = std::clamp(t, 0.0, 1.0);
    return t < 0.5 ? 4 * t * t * t : 1 - std::pow(-2 * t + 2, 3) / 2;
}

qreal smoothstep(qreal a, qreal b, qreal x)
{
    const qreal t = std::clamp((x - a) / (b - a), 0.0, 1.0);
    return t * t * (3 - 2 * t);
}

QPointF pointOn(const QPainterPath& path, qreal t)
{
    return path.isEmpty() ? QPointF() : path.pointAtPercent(std::clamp(t, 0.0, 1.0));
}

std::optional<DiagramMove> moveOf(const StateEvent* s)
{
    if (!s)
        return std::nullopt;
    if (!s->from || *s->from == s->to || !isDiagramState(*s->from) || !isDiagramState(s->to))
        return std::nullopt;
    return DiagramMove { *s->from, s->to };
}

} // namespace

const DiagramScene::Token* DiagramScene::token(const QString& name) const
{
    for (const Token& t : tokens) {
        if (t.name == name)
            return &t;
    }
    return nullptr;
}

/// One socket with a token (or that would have one, were it not gone).
struct DiagramSceneBuilder::Entry {
    const EndpointView* view = nullptr;
    TcpState state = TcpState::Unknown;
    int order = 0;
    std::pair<Side, int> shade { Side::Client, 0 };
    const StateEvent* lastState = nullptr; ///< newest state event of this socket
    const StateEvent* lastMove = nullptr; ///< newest one with a `from`
    bool hidden = false; ///< no token
};

void DiagramSceneBuilder::learn(const Frame& frame, const DiagramFigure& figure)
{
    const Trace& trace = *frame.trace;
    if (!m_trace || frame.revision != m_revision) {
        m_revision = frame.revision;
        m_size = 0;
        m_scanned = 0;
        m_lastState.clear();
        m_lastMove.clear();
    }
    m_trace = &trace;
    if (m_size != trace.events.size()) {
        // Colours: a shade per socket within its side, in order of first appearance.
        m_size = trace.events.size();
        m_order.clear();
        m_shades.clear();
        int clients = 0, servers = 0;
        const std::vector<std::string> names = endpointsOf(trace);
        const auto sides = sidesOf(trace, names);
        for (const std::string& name : names) {
            const Side side = sides.at(name);
            m_order.emplace(name, static_cast<int>(m_order.size()));
            m_shades[name] = { side, side == Side::Client ? clients++ : servers++ };
        }
    }
    // Each socket's newest state event and newest move, from the events revealed since last time.
    const std::size_t visible = std::min(frame.visible, trace.events.size());
    if (visible < m_scanned) {
        m_scanned = 0;
        m_lastState.clear();
        m_lastMove.clear();
    }
    for (std::size_t i = m_scanned; i < visible; ++i) {
        if (const auto* s = trace.events[i].as<StateEvent>()) {
            m_lastState[s->endpoint] = i;
            if (s->from)
                m_lastMove[s->endpoint] = i;
        }
    }
    m_scanned = visible;
    if (figure.id != m_figure) {
        m_figure = figure.id;
        m_routes.clear();
        m_widths.clear();
    }
}

std::vector<DiagramSceneBuilder::Entry> DiagramSceneBuilder::entries(const Frame& frame, const StateEvent* newest) const
{
    const Trace& trace = *frame.trace;
    // accept() renames "client/peer" to the scenario's name: it is one socket, so its history
    // (and its colour) carries over.
    auto newestOf = [&trace](const auto& m, const EndpointView& v) -> const StateEvent* {
        std::optional<std::size_t> index;
        for (const std::string* name : { &v.name, &v.adoptedFrom }) {
            if (const auto it = m.find(*name); it != m.end())
                index = std::max(index.value_or(0), it->second);
        }
        return index ? trace.events[*index].as<StateEvent>() : nullptr;
    };
    std::vector<Entry> entries;
    for (const EndpointView& v : frame.picture.endpoints) {
        if (!v.state || !isDiagramState(*v.state))
            continue;
        Entry e;
        e.view = &v;
        e.state = *v.state;
        const auto order = m_order.find(v.name);
        e.order = order == m_order.end() ? static_cast<int>(m_order.size()) : order->second;
        const auto shade = m_shades.find(v.adoptedFrom.empty() ? v.name : v.adoptedFrom);
        if (shade != m_shades.end())
            e.shade = shade->second;
        e.lastState = newestOf(m_lastState, v);
        e.lastMove = newestOf(m_lastMove, v);
        // A socket the kernel no longer has fades out at CLOSE during its last move, then has
        // no token (its last edge stays lit).
        e.hidden = v.gone && !(newest && newest->endpoint == v.name);
        entries.push_back(e);
    }
    std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.order < b.order; });
    return entries;
}

const DiagramFigure::Route& DiagramSceneBuilder::route(DiagramMove m, const DiagramFigure& figure)
{
    auto it = m_routes.find(m);
    if (it == m_routes.end())
        it = m_routes.emplace(m, figure.route(m)).first;
    return it->second;
}

DiagramScene::Lit DiagramSceneBuilder::lit(DiagramMove m, bool inferred, const DiagramFigure& figure)
{
    const DiagramFigure::Route& r = route(m, figure);
    DiagramScene::Lit x;
    x.move = m;
    x.dashed = inferred;
    x.notRfc = r.notRfc;
    x.path = r.path;
    x.label = r.label;
    x.labelRect = r.labelRect;
    x.tip = moveText(m);
    x.tip += x.notRfc ? QLatin1Char('\n') + linuxExplanation() : QStringLiteral(": ") + r.label;
    return x;
}

QString DiagramSceneBuilder::tokenText(const EndpointView& v) const
{
    const QString name = qs(v.name);
    return v.gone ? StateDiagramView::tr("%1 (gone)").arg(name) : name;
}

qreal DiagramSceneBuilder::textWidth(const QString& text, const DiagramFigure& f)
{
    auto it = m_widths.find(text);
    if (it == m_widths.end())
        it = m_widths.insert(text, QFontMetricsF(f.tokenFont).horizontalAdvance(text));
    return *it;
}

/// Where the tokens of one node sit: side by side just below the node (clear of its name),
/// wrapping into further rows when there are many, so no token hides another.
std::vector<const EndpointView*> DiagramSceneBuilder::shownAt(
    const std::vector<const EndpointView*>& views, const EndpointView* mover)
{
    if (views.size() <= kMaxTokensAtNode)
        return views;
    std::vector<const EndpointView*> shown(views.begin(), views.begin() + kMaxTokensAtNode);
    if (mover && std::find(shown.begin(), shown.end(), mover) == shown.end()
        && std::find(views.begin(), views.end(), mover) != views.end())
        shown.back() = mover;
    return shown;
}

std::vector<DiagramSceneBuilder::Place> DiagramSceneBuilder::arrange(
    TcpState node, const std::vector<const EndpointView*>& views, const DiagramFigure& f, qreal chipWidth)
{
    const qreal th = QFontMetricsF(f.tokenFont).height();
    const qreal r = f.tokenRadius;
    const QRectF rect = f.node(node);
    const qreal spacing = 10;
    // CLOSE has free room on both sides (sockets pile up there: new ones, refused ones).
    const qreal maxRow = node == TcpState::Close ? 900 : std::max<qreal>(rect.width() * 1.8, 300);
    const qreal rowHeight = 2 * r + 8;
    std::vector<std::vector<qreal>> rows(1); // the widths of the tokens in each row
    qreal rowWidth = 0;
    std::vector<qreal> widths;
    for (const EndpointView* v : views)
        widths.push_back(2 * r + 4 + textWidth(tokenText(*v), f) + 6);
    if (chipWidth > 0)
        widths.push_back(chipWidth);
    for (const qreal width : widths) {
        if (!rows.back().empty() && rowWidth + spacing + width > maxRow) {
            rows.emplace_back();
            rowWidth = 0;
        }
        rowWidth += (rows.back().empty() ? 0 : spacing) + width;
        rows.back().push_back(width);
    }
    std::vector<Place> places;
    for (std::size_t ri = 0; ri < rows.size(); ++ri) {
        qreal total = 0;
        for (qreal width : rows[ri])
            total += width;
        total += spacing * static_cast<qreal>(rows[ri].size() - 1);
        qreal x = rect.center().x() - total / 2;
        const qreal y = rect.bottom() + r + 5 + static_cast<qreal>(ri) * rowHeight;
        for (qreal width : rows[ri]) {
            places.push_back({ QPointF(x + r, y), QRectF(x + 2 * r + 2, y - th / 2 - 1, width - 2 * r - 2, th + 2) });
            x += width + spacing;
        }
    }
    return places;
}

DiagramScene::Token DiagramSceneBuilder::token(const Entry& e) const
{
    const EndpointView& v = *e.view;
    DiagramScene::Token tok;
    tok.name = qs(v.name);
    tok.text = tokenText(v);
    std::tie(tok.side, tok.shade) = e.shade;
    tok.gone = v.gone;
    tok.hollow = v.stateSource == Source::Inferred;
    tok.opacity = v.gone ? 0.0 : 1.0;
    // The tooltip: name, state, where that came from.
    QStringList lines;
    lines << StateDiagramView::tr("%1: %2").arg(tok.name, qs(stateName(e.state)));
    if (v.gone)
        lines << StateDiagramView::tr("The kernel no longer has this socket.");
    else if (v.stateSource == Source::Inferred)
        lines << StateDiagramView::tr("Inferred, not read from the kernel: %1")
                     .arg(e.lastState ? qs(e.lastState->why) : QString());
    else
        lines << StateDiagramView::tr("Read from the kernel.");
    if (!v.local.empty())
        lines << StateDiagramView::tr("local %1").arg(qs(v.local));
    if (!v.peer.empty())
        lines << StateDiagramView::tr("peer %1").arg(qs(v.peer));
    if (!v.adoptedFrom.empty())
        lines << StateDiagramView::tr("was %1 until accept()").arg(qs(v.adoptedFrom));
    tok.tip = lines.join(QLatin1Char('\n'));
    return tok;
}

DiagramScene DiagramSceneBuilder::build(const Frame& frame, const DiagramFigure& figure)
{
    DiagramScene scene;
    if (!frame.trace)
        return scene;
    learn(frame, figure);
    const Trace& trace = *frame.trace;
    const std::size_t visible = std::min(frame.visible, trace.events.size());
    const StateEvent* newest = visible > 0 ? trace.events[visible - 1].as<StateEvent>() : nullptr;
    const std::vector<Entry> all = entries(frame, newest);

    // The move being animated.
    const EndpointView* mover = newest ? frame.picture.find(newest->endpoint) : nullptr;
    const std::optional<DiagramMove> moving = moveOf(newest);
    if (moving) {
        scene.current = lit(*moving, newest->source == Source::Inferred, figure);
        if (newest->source == Source::Inferred)
            scene.current->tip += QLatin1Char('\n') + StateDiagramView::tr("Inferred: %1").arg(qs(newest->why));
    }

    // Every socket's last move stays softly lit; Linux-only moves get their arrow while they are recent.
    for (const Entry& e : all) {
        const auto m = moveOf(e.lastMove);
        if (!m)
            continue;
        const bool inferred = e.lastMove->source == Source::Inferred;
        auto same = [&m](const DiagramScene::Lit& x) { return x.move == *m; };
        if (auto it = std::find_if(scene.recent.begin(), scene.recent.end(), same); it != scene.recent.end()) {
            it->dashed = it->dashed && inferred; // one kernel reading of the move is enough to draw it solid
            continue;
        }
        scene.recent.push_back(lit(*m, inferred, figure));
        if (scene.recent.back().notRfc)
            scene.linuxArrows.push_back(scene.recent.back());
    }

    // Where every token rests: each node's tokens arranged once; a crowded node shows its first
    // few sockets and counts the others.
    std::map<TcpState, std::vector<const EndpointView*>> atNode;
    for (const Entry& e : all)
        if (!e.hidden)
            atNode[e.state].push_back(e.view);
    std::map<const EndpointView*, Place> rest;
    for (const auto& [node, views] : atNode) {
        const std::vector<const EndpointView*> shown = shownAt(views, mover);
        DiagramScene::Crowd crowd;
        qreal chip = 0;
        if (shown.size() < views.size()) {
            crowd.node = node;
            crowd.more = static_cast<int>(views.size() - shown.size());
            crowd.text = StateDiagramView::tr("and %1 more").arg(QLocale().toString(crowd.more));
            chip = textWidth(crowd.text, figure) + 12;
        }
        const std::vector<Place> places = arrange(node, shown, figure, chip);
        for (std::size_t i = 0; i < shown.size(); ++i)
            rest[shown[i]] = places[i];
        if (crowd.more > 0) {
            crowd.rect = places.back().label.adjusted(-(2 * figure.tokenRadius + 2), 0, 0, 0);
            scene.crowds.push_back(std::move(crowd));
        }
    }

    const qreal t = easeInOut(frame.progress);
    for (const Entry& e : all) {
        const auto placed = rest.find(e.view);
        if (e.hidden || placed == rest.end())
            continue; // gone, or one of a crowd
        const EndpointView& v = *e.view;
        DiagramScene::Token tok = token(e);
        const Place& place = placed->second;
        tok.pos = place.pos;
        tok.label = place.label;
        if (&v == mover && newest) {
            tok.hollow = newest->source == Source::Inferred;
            if (!newest->from && v.adoptedFrom.empty()) {
                tok.opacity *= frame.progress; // it just appeared
            } else if (moving && moving->second == e.state) {
                // Ride the edge; blend in from the token's place at `from` and out to its place
                // at `to` near the ends, so it leaves and lands where tokens sit.
                std::vector<const EndpointView*> before;
                for (const Entry& o : all)
                    if (!o.hidden && (o.state == moving->first || o.view == &v))
                        before.push_back(o.view);
                before = shownAt(before, &v);
                const auto who = std::find(before.begin(), before.end(), &v) - before.begin();
                const Place start = arrange(moving->first, before, figure)[static_cast<std::size_t>(who)];
                const QPainterPath& path = route(*moving, figure).path;
                const QPointF onEdge = pointOn(path, t);
                const qreal w0 = 1 - smoothstep(0, 0.25, t), w1 = smoothstep(0.75, 1, t);
                tok.pos = onEdge + (start.pos - pointOn(path, 0)) * w0 + (place.pos - pointOn(path, 1)) * w1;
                tok.label = place.label.translated(tok.pos - place.pos);
                if (v.gone)
                    tok.opacity = 1 - smoothstep(0.55, 1, t);
            }
        }
        scene.tokens.push_back(std::move(tok));
    }
    return scene;
}

} // namespace synack
