// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>

#include "playback/frame.h"

namespace synack {

/// Every revealed event of the trace, one row each, for the event log.
class EventLogModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Columns { TimeColumn, StepColumn, KindColumn, EndpointColumn, WhatColumn, NumColumns };
    enum Roles { EventIndexRole = Qt::UserRole, KindRole, SourceRole };

    explicit EventLogModel(QObject* parent = nullptr);

    /// Rows follow the frame: appended as events are revealed, removed on a step back; the model
    /// resets when the frame's revision says it is another trace.
    void setFrame(const Frame& frame);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// One line describing an event, as the log and tooltips show it.
    static QString describe(const Event& e);
    static QString endpointOf(const Event& e);

private:
    const Trace* m_trace = nullptr;
    std::uint64_t m_revision = 0;
    int m_rows = 0;
};

/// Filters the log by free text and by event kind.
class EventLogFilter : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit EventLogFilter(QObject* parent = nullptr);
    void setText(const QString& text);
    void setKindShown(EventKind kind, bool shown);
    bool kindShown(EventKind kind) const;

protected:
    bool filterAcceptsRow(int row, const QModelIndex& parent) const override;

private:
    QString m_text;
    unsigned m_hiddenKinds = 0;
};

} // namespace synack
