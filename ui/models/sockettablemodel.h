// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractTableModel>
#include <QIcon>
#include <QString>
#include <QVariant>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "trace/picture.h"

namespace synack {

/// The scenario's sockets as `ss` would list them, one row per endpoint in order of first
/// appearance. Fed a Picture (every endpoint after a prefix of the trace) and the trace time shown,
/// so that running timers count down between events.
///
/// Updates are incremental: new endpoints are inserted, endpoints that disappear (stepping back)
/// are removed, and only cells whose text, tooltip or look changed are announced, one dataChanged
/// per row. A connection renamed by accept() ("client/peer" becomes "server") keeps its row.
class SocketTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Columns {
        EndpointColumn,
        StateColumn,
        LocalColumn,
        PeerColumn,
        RecvQColumn,
        SendQColumn,
        TimerColumn,
        ShutdownColumn,
        NumColumns
    };
    enum Roles {
        StateRole = Qt::UserRole, ///< QString: the kernel's state name ("ESTABLISHED"), "" before the first
        SourceRole, ///< QString: "kernel" or "inferred", where the state came from
        SortRole, ///< a value that sorts the column naturally (numbers as numbers, states in kernel order)
        EndpointRole, ///< QString: the endpoint's name in the scenario
    };

    explicit SocketTableModel(QObject* parent = nullptr);

    /// Shows `picture` at trace time `nowNs` (for the countdown of running timers).
    void setSnapshot(const Picture& picture, std::int64_t nowNs);
    /// Forgets every row: for a new trace.
    void clear();

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    /// Everything a cell shows; compared to decide what changed.
    struct Cell {
        QString display;
        QString toolTip;
        QVariant sort;
        bool italic = false;
        bool grey = false;
        bool blocked = false;
        bool operator==(const Cell&) const = default;
    };
    struct Row {
        std::string name;
        std::string adoptedFrom;
        QString state;
        QString source;
        std::array<Cell, NumColumns> cells;
        EndpointView view; ///< what the row was made from: an endpoint that did not change keeps it
    };

    static Row makeRow(const EndpointView& view, std::int64_t nowNs);
    static bool sameSocket(const Row& row, const EndpointView& view);
    static bool sameView(const EndpointView& a, const EndpointView& b);

    std::vector<Row> m_rows;
    std::int64_t m_nowNs = -1; ///< the time the rows' countdowns were made for
    mutable QIcon m_blockedIcon; ///< made on first use: a QPixmap needs the GUI application
};

} // namespace synack
