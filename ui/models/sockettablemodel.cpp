// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/sockettablemodel.h"

#include <set>

#include <QFont>
#include <QGuiApplication>
#include <QPainter>
#include <QPalette>
#include <QPixmap>

#include <algorithm>

#include "common/text.h"
#include "playback/calltext.h"
#include "tcp/tcpstate.h"

namespace synack {

namespace {

bool isNumberColumn(int column)
{
    return column == SocketTableModel::RecvQColumn || column == SocketTableModel::SendQColumn;
}

/// "127.0.0.1:41234" and "[::1]:41234" sort by address, then by port as a number.
QString addressSortKey(const std::string& address)
{
    const QString a = qs(address);
    const qsizetype colon = a.lastIndexOf(u':');
    if (colon < 0)
        return a;
    QString host = a.left(colon);
    const QString port = a.mid(colon + 1).rightJustified(5, u'0');
    const QStringList octets = host.split(u'.');
    if (octets.size() == 4) {
        host.clear();
        for (const QString& o : octets)
            host += o.rightJustified(3, u'0');
    }
    return host + u'|' + port;
}

bool haveGui()
{
    return qobject_cast<QGuiApplication*>(QCoreApplication::instance()) != nullptr;
}

} // namespace

SocketTableModel::SocketTableModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

bool SocketTableModel::sameSocket(const Row& row, const EndpointView& view)
{
    // accept() gives the kernel socket "client/peer" the name "server": one socket, one row, and
    // stepping back before the accept() gives the row its old name again.
    return row.name == view.name || (!view.adoptedFrom.empty() && row.name == view.adoptedFrom)
        || (!row.adoptedFrom.empty() && row.adoptedFrom == view.name);
}

bool SocketTableModel::sameView(const EndpointView& a, const EndpointView& b)
{
    return a.name == b.name && a.state == b.state && a.stateSource == b.stateSource && a.role == b.role
        && a.local == b.local && a.peer == b.peer && a.buffers == b.buffers && a.timer == b.timer
        && a.timerAtNs == b.timerAtNs && a.blockedIn == b.blockedIn && a.adoptedFrom == b.adoptedFrom
        && a.gone == b.gone && a.lastResult == b.lastResult && a.lastErr == b.lastErr;
}

SocketTableModel::Row SocketTableModel::makeRow(const EndpointView& v, std::int64_t nowNs)
{
    Row row;
    row.view = v;
    row.name = v.name;
    row.adoptedFrom = v.adoptedFrom;
    row.state = qs(v.stateText());
    row.source = !v.state ? QString() : QString::fromUtf8(sourceName(v.stateSource));

    auto& name = row.cells[EndpointColumn];
    name.display = qs(v.name);
    name.sort = name.display;
    QStringList nameTips;
    if (!v.adoptedFrom.empty())
        nameTips << tr("shown as %1 until accept() gave it this name").arg(qs(v.adoptedFrom));
    if (!v.blockedIn.empty()) {
        name.blocked = true;
        nameTips << tr("blocked: %1 is waiting for the kernel").arg(qs(v.blockedIn));
    }
    name.toolTip = nameTips.join(u'\n');

    auto& state = row.cells[StateColumn];
    if (v.gone) {
        state.display = QStringLiteral("—");
        state.toolTip = tr("gone: the kernel no longer has this socket");
        state.sort = 100; // after every live state
    } else {
        state.display = row.state;
        state.sort = v.state ? static_cast<int>(*v.state) : 0;
        if (v.state && v.stateSource == Source::Inferred) {
            state.italic = true;
            state.toolTip = tr("inferred: not read from the kernel");
        }
    }

    row.cells[LocalColumn].display = qs(v.local);
    row.cells[LocalColumn].sort = addressSortKey(v.local);
    row.cells[PeerColumn].display = qs(v.peer);
    row.cells[PeerColumn].sort = addressSortKey(v.peer);

    const BuffersEvent& b = v.buffers;
    auto& recvq = row.cells[RecvQColumn];
    auto& sendq = row.cells[SendQColumn];
    const QString notReported = tr("not reported by the kernel");
    auto number = [&](Cell& cell, std::int64_t value, const QString& tip) {
        cell.sort = static_cast<qlonglong>(value);
        cell.display = value < 0 ? QString() : QString::number(value);
        cell.toolTip = value < 0 ? notReported : tip;
    };
    if (b.acceptq >= 0) {
        // What ss shows for a listener: the accept queue's length and its capacity.
        number(recvq, b.acceptq, tr("connections waiting for accept(): %1").arg(b.acceptq));
        number(sendq, b.backlog,
            tr("backlog %1: Linux queues up to backlog + 1 = %2 connections").arg(b.backlog).arg(b.backlog + 1));
    } else {
        number(recvq, b.recvq, tr("bytes received, not yet read by the application: %1").arg(b.recvq));
        QString sendTip = tr("bytes in the send queue, not yet acknowledged by the peer: %1").arg(b.sendq);
        if (b.notsent >= 0)
            sendTip += u'\n' + tr("of them not yet sent: %1").arg(b.notsent);
        static const std::set<std::string> kSynOrFin = { "SYN_SENT", "CLOSE", "FIN_WAIT1", "CLOSING", "LAST_ACK" };
        if (b.sendq > 0 && kSynOrFin.count(v.stateText()))
            sendTip += u'\n'
                + tr("Send-Q counts sequence numbers sent and not acknowledged (write_seq - snd_una): a SYN or a "
                     "FIN takes one, so an unanswered SYN or FIN counts as 1 here.");
        number(sendq, b.sendq, sendTip);
    }

    auto& timer = row.cells[TimerColumn];
    timer.sort = -1;
    if (!v.gone && v.timer.kind != TimerKind::None) {
        // Shown to a tenth of a second, like ss rounds: finer steps would only repaint.
        const std::int64_t tenths = v.timerLeftMs(nowNs) / 100;
        timer.display = tr("%1 %2s").arg(calltext::timerName(v.timer.kind, v.timer.raw, true),
            QString::number(tenths / 10.0, 'f', 1));
        timer.sort = static_cast<qlonglong>(tenths * 100);
        timer.toolTip = tr("%1: the kernel reported %2 ms left; counting down from that reading")
                            .arg(calltext::timerName(v.timer.kind, v.timer.raw))
                            .arg(v.timer.remainingMs);
        if (v.timer.retrans > 0)
            timer.toolTip += u'\n' + tr("retransmissions or probes so far: %1").arg(v.timer.retrans);
    }

    auto& shut = row.cells[ShutdownColumn];
    if (b.shutdown == Shutdown::Rd) {
        shut.display = tr("← rd");
        shut.toolTip = tr("receiving is shut down: shutdown(SHUT_RD), or the peer's FIN arrived");
        shut.sort = 1;
    } else if (b.shutdown == Shutdown::Wr) {
        shut.display = tr("→ wr");
        shut.toolTip = tr("sending is shut down: shutdown(SHUT_WR) or close() sent our FIN");
        shut.sort = 2;
    } else if (b.shutdown == Shutdown::RdWr) {
        shut.display = tr("↔ rdwr");
        shut.toolTip = tr("both directions are shut down");
        shut.sort = 3;
    } else if (b.shutdown == Shutdown::None) {
        shut.toolTip = tr("no direction is shut down");
        shut.sort = 0;
    } else {
        shut.toolTip = notReported;
        shut.sort = -1;
    }

    if (v.gone) {
        for (Cell& c : row.cells)
            c.grey = true;
    }
    return row;
}

void SocketTableModel::setSnapshot(const Picture& picture, std::int64_t nowNs)
{
    const auto& views = picture.endpoints;

    // Rows match the picture's endpoints position by position (both are in order of first
    // appearance). Stepping back drops a suffix; going on appends one.
    std::size_t kept = 0;
    while (kept < m_rows.size() && kept < views.size() && sameSocket(m_rows[kept], views[kept]))
        ++kept;
    if (kept < m_rows.size()) {
        beginRemoveRows({}, int(kept), int(m_rows.size()) - 1);
        m_rows.resize(kept);
        endRemoveRows();
    }

    for (std::size_t i = 0; i < kept; ++i) {
        Row& old = m_rows[i];
        // Most sockets did not change since the last frame (a trace may have 20,000 of them): only
        // a changed one, or one whose timer counts down, is made again.
        if (sameView(old.view, views[i]) && (nowNs == m_nowNs || old.cells[TimerColumn].display.isEmpty()))
            continue;
        Row fresh = makeRow(views[i], nowNs);
        int first = NumColumns;
        int last = -1;
        if (fresh.name != old.name || fresh.state != old.state || fresh.source != old.source) {
            // EndpointRole, StateRole and SourceRole are answered by every cell of the row.
            first = 0;
            last = NumColumns - 1;
        } else {
            for (int c = 0; c < NumColumns; ++c) {
                if (!(fresh.cells[c] == old.cells[c])) {
                    first = std::min(first, c);
                    last = c;
                }
            }
        }
        old = std::move(fresh);
        if (last >= 0)
            Q_EMIT dataChanged(index(int(i), first), index(int(i), last));
    }

    if (views.size() > kept) {
        beginInsertRows({}, int(kept), int(views.size()) - 1);
        for (std::size_t i = kept; i < views.size(); ++i)
            m_rows.push_back(makeRow(views[i], nowNs));
        endInsertRows();
    }
    m_nowNs = nowNs;
}

void SocketTableModel::clear()
{
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

int SocketTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int SocketTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : NumColumns;
}

QVariant SocketTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& row = m_rows[std::size_t(index.row())];
    const Cell& cell = row.cells[std::size_t(index.column())];
    switch (role) {
    case Qt::DisplayRole:
        return cell.display;
    case Qt::ToolTipRole:
        return cell.toolTip.isEmpty() ? QVariant() : QVariant(plainToolTip(cell.toolTip));
    case Qt::FontRole:
        if (cell.italic) {
            QFont font;
            font.setItalic(true);
            return font;
        }
        return {};
    case Qt::ForegroundRole:
        if (cell.grey)
            return haveGui() ? QGuiApplication::palette().color(QPalette::Disabled, QPalette::Text) : QColor(Qt::gray);
        return {};
    case Qt::DecorationRole:
        if (cell.blocked && haveGui()) {
            if (m_blockedIcon.isNull()) {
                // A pause sign: the application is waiting in a call. Amber reads on light and dark.
                QPixmap pixmap(16, 16);
                pixmap.fill(Qt::transparent);
                QPainter p(&pixmap);
                p.setRenderHint(QPainter::Antialiasing);
                p.setPen(Qt::NoPen);
                p.setBrush(QColor(0xd0, 0x8a, 0x00));
                p.drawRoundedRect(QRectF(3, 2, 3.5, 12), 1, 1);
                p.drawRoundedRect(QRectF(9.5, 2, 3.5, 12), 1, 1);
                p.end();
                m_blockedIcon = QIcon(pixmap);
            }
            return m_blockedIcon;
        }
        return {};
    case Qt::TextAlignmentRole:
        return isNumberColumn(index.column()) ? int(Qt::AlignRight | Qt::AlignVCenter)
                                              : int(Qt::AlignLeft | Qt::AlignVCenter);
    case StateRole:
        return row.state;
    case SourceRole:
        return row.source;
    case SortRole:
        return cell.sort;
    case EndpointRole:
        return qs(row.name);
    default:
        return {};
    }
}

QVariant SocketTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= NumColumns)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::TextAlignmentRole)
        return isNumberColumn(section) ? int(Qt::AlignRight | Qt::AlignVCenter) : int(Qt::AlignLeft | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case RecvQColumn:
            return tr("Bytes received and not yet read; for a listener, connections waiting for accept()");
        case SendQColumn:
            return tr("Bytes not yet acknowledged by the peer; for a listener, the backlog");
        case TimerColumn:
            return tr("The kernel timer running on the socket and the time it has left");
        case ShutdownColumn:
            return tr("Directions shut down: ← receiving, → sending");
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case EndpointColumn:
        return tr("Endpoint");
    case StateColumn:
        return tr("State");
    case LocalColumn:
        return tr("Local Address:Port");
    case PeerColumn:
        return tr("Peer Address:Port");
    case RecvQColumn:
        return tr("Recv-Q");
    case SendQColumn:
        return tr("Send-Q");
    case TimerColumn:
        return tr("Timer");
    case ShutdownColumn:
        return tr("Shutdown");
    default:
        return {};
    }
}

} // namespace synack
