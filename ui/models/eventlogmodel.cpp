// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/eventlogmodel.h"

#include "common/text.h"
#include "playback/calltext.h"
#include "playback/gatetext.h"
#include "trace/eventtext.h"

#include <QFont>

namespace synack {

namespace {
// The event kinds as shown: EventLogModel::tr(eventKindName(k).data()). Listed for lupdate.
[[maybe_unused]] constexpr const char* kKindLabels[] = { QT_TRANSLATE_NOOP("synack::EventLogModel", "step"),
    QT_TRANSLATE_NOOP("synack::EventLogModel", "state"), QT_TRANSLATE_NOOP("synack::EventLogModel", "buffers"),
    QT_TRANSLATE_NOOP("synack::EventLogModel", "timer"), QT_TRANSLATE_NOOP("synack::EventLogModel", "segment"),
    QT_TRANSLATE_NOOP("synack::EventLogModel", "expect"), QT_TRANSLATE_NOOP("synack::EventLogModel", "note") };
}

EventLogModel::EventLogModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void EventLogModel::setFrame(const Frame& frame)
{
    const int rows = static_cast<int>(frame.size());
    // The Player reuses one Trace object for every run: its address cannot tell a new run.
    if (frame.revision != m_revision || !frame.trace != !m_trace) {
        beginResetModel();
        m_trace = frame.trace;
        m_revision = frame.revision;
        m_rows = rows;
        endResetModel();
        return;
    }
    m_trace = frame.trace;
    if (rows > m_rows) {
        beginInsertRows({}, m_rows, rows - 1);
        m_rows = rows;
        endInsertRows();
    } else if (rows < m_rows) {
        beginRemoveRows({}, rows, m_rows - 1);
        m_rows = rows;
        endRemoveRows();
    }
}

int EventLogModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : m_rows;
}
int EventLogModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : NumColumns;
}

QString EventLogModel::endpointOf(const Event& e)
{
    return e.visit([](const auto& d) -> QString {
            using T = std::decay_t<decltype(d)>;
            if constexpr (std::is_same_v<T, SegmentEvent>)
                return qs(d.from);
            else if constexpr (std::is_same_v<T, ExpectEvent>) // a gate's expectation is the gate's
                return d.endpoint == "gate" ? EventLogModel::tr("gate") : qs(d.endpoint);
            else if constexpr (std::is_same_v<T, NoteEvent> || std::is_same_v<T, GateEvent>)
                return {};
            else
                return qs(d.endpoint);
        });
}

QString EventLogModel::describe(const Event& e)
{
    if (const auto* s = e.as<StepEvent>()) {
        if (s->phase == Phase::Blocked)
            return tr("%1 blocks").arg(calltext::call(*s));
        const QString text = calltext::callAndResult(*s);
        return s->phase == Phase::Completed ? tr("returns: %1").arg(text) : text;
    }
    if (const auto* s = e.as<StateEvent>()) {
        QString text = (s->from ? QString() : tr("(new)")) + qs(eventtext::transition(*s, " → "));
        if (s->source == Source::Inferred)
            text += u' ' + tr("(inferred)");
        if (s->gone)
            text += u' ' + tr("(gone)");
        return text;
    }
    if (const auto* b = e.as<BuffersEvent>()) {
        if (b->acceptq >= 0)
            return tr("accept queue %1 of backlog %2").arg(b->acceptq).arg(b->backlog);
        auto n = [](std::int64_t v) { return v < 0 ? QStringLiteral("–") : QString::number(v); };
        return tr("recv-q %1, send-q %2 (unsent %3), sndbuf %4, rcvbuf %5")
            .arg(n(b->recvq), n(b->sendq), n(b->notsent), n(b->sndbuf), n(b->rcvbuf));
    }
    if (const auto* t = e.as<TimerEvent>()) {
        if (t->kind == TimerKind::None)
            return tr("no timer");
        return tr("%1, %2 ms left").arg(calltext::timerName(t->kind, t->raw)).arg(t->remainingMs);
    }
    if (const auto* g = e.as<SegmentEvent>()) {
        // The engine's words (flags, numbers) with its units and what the gate did in the UI's language.
        QString text = QStringLiteral("→ %1 ").arg(qs(g->to)) + calltext::segment(*g);
        if (g->source == Source::Inferred)
            text += u' ' + tr("(inferred)");
        return text;
    }
    if (const auto* x = e.as<ExpectEvent>()) {
        if (x->ok)
            return tr("✓ %1").arg(calltext::expectation(*x));
        return tr("✗ %1 — expected %2, kernel says %3")
            .arg(calltext::expectation(*x), calltext::expectedValue(x->expected), calltext::expectedValue(x->observed));
    }
    if (const auto* n = e.as<NoteEvent>())
        return calltext::note(n->text);
    if (const auto* g = e.as<GateEvent>())
        return gatetext::action(*g);
    return {};
}

QVariant EventLogModel::data(const QModelIndex& index, int role) const
{
    if (!m_trace || !index.isValid() || index.row() >= m_rows)
        return {};
    const Event& e = m_trace->events[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return QString::number(static_cast<double>(e.tNs) / 1e6, 'f', 3);
        case StepColumn:
            return e.step < 0 ? QString() : QString::number(e.step + 1);
        case KindColumn:
            return tr(eventKindName(e.kind()).data());
        case EndpointColumn:
            return endpointOf(e);
        case WhatColumn:
            return describe(e);
        }
        return {};
    case Qt::ToolTipRole: {
        QString why;
        if (const auto* s = e.as<StateEvent>())
            why = calltext::why(s->why);
        else if (const auto* g = e.as<SegmentEvent>())
            why = calltext::why(g->why);
        else if (const auto* x = e.as<ExpectEvent>()) // the sentence shown, and the statement it was
            why = qs(x->text);
        return plainToolTip(why.isEmpty() ? describe(e) : describe(e) + u'\n' + why);
    }
    case Qt::FontRole: {
        const bool inferred = (e.as<StateEvent>() && e.as<StateEvent>()->source == Source::Inferred)
            || (e.as<SegmentEvent>() && e.as<SegmentEvent>()->source == Source::Inferred);
        if (inferred) {
            QFont f;
            f.setItalic(true);
            return f;
        }
        return {};
    }
    case Qt::TextAlignmentRole:
        return index.column() <= StepColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    case EventIndexRole:
        return index.row();
    case KindRole:
        return static_cast<int>(e.kind());
    case SourceRole:
        if (const auto* s = e.as<StateEvent>())
            return QString::fromLatin1(sourceName(s->source).data());
        return {};
    }
    return {};
}

QVariant EventLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return tr("Time (ms)");
    case StepColumn:
        return tr("Step");
    case KindColumn:
        return tr("Kind");
    case EndpointColumn:
        return tr("Endpoint");
    case WhatColumn:
        return tr("What happened");
    }
    return {};
}

EventLogFilter::EventLogFilter(QObject* parent)
    : QSortFilterProxyModel(parent)
{
}

void EventLogFilter::setText(const QString& text)
{
    m_text = text;
    invalidateFilter();
}

void EventLogFilter::setKindShown(EventKind kind, bool shown)
{
    const unsigned bit = 1u << static_cast<unsigned>(kind);
    m_hiddenKinds = shown ? (m_hiddenKinds & ~bit) : (m_hiddenKinds | bit);
    invalidateFilter();
}

bool EventLogFilter::kindShown(EventKind kind) const
{
    return !(m_hiddenKinds & (1u << static_cast<unsigned>(kind)));
}

bool EventLogFilter::filterAcceptsRow(int row, const QModelIndex& parent) const
{
    const QModelIndex kindIndex = sourceModel()->index(row, EventLogModel::KindColumn, parent);
    const int kind = sourceModel()->data(kindIndex, EventLogModel::KindRole).toInt();
    if (m_hiddenKinds & (1u << static_cast<unsigned>(kind)))
        return false;
    if (m_text.isEmpty())
        return true;
    for (int c : { EventLogModel::EndpointColumn, EventLogModel::WhatColumn, EventLogModel::KindColumn })
        if (sourceModel()->data(sourceModel()->index(row, c, parent)).toString().contains(m_text, Qt::CaseInsensitive))
            return true;
    return false;
}

} // namespace synack
