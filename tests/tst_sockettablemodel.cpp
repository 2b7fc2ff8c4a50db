// SPDX-License-Identifier: GPL-3.0-or-later
#include <QAbstractItemModelTester>
#include <QFont>
#include <QIcon>
#include <QSignalSpy>
#include <QTest>

#include <map>
#include <memory>

#include "models/sockettablemodel.h"
#include "support/recordedtraces.h"
#include "trace/picture.h"

using namespace synack;

namespace {

QString qs(const std::string& s)
{
    return QString::fromStdString(s);
}

/// Index of the first event for which `pred` holds, or the trace's size.
template <class Pred> std::size_t findEvent(const Trace& t, Pred pred)
{
    for (std::size_t i = 0; i < t.events.size(); ++i)
        if (pred(t.events[i]))
            return i;
    return t.events.size();
}

std::size_t findStep(const Trace& t, const std::string& text, Phase phase = Phase::Done)
{
    return findEvent(t, [&](const Event& e) {
        const auto* s = e.as<StepEvent>();
        return s && s->text == text && s->phase == phase;
    });
}

/// Seconds in a timer cell such as "time-wait 59.2s".
double timerSeconds(const QString& text)
{
    const qsizetype space = text.lastIndexOf(u' ');
    if (space < 0 || !text.endsWith(u's'))
        return -1;
    bool ok = false;
    const double v = text.mid(space + 1).chopped(1).toDouble(&ok);
    return ok ? v : -1;
}

} // namespace

class TestSocketTableModel : public QObject {
    Q_OBJECT

    std::map<QString, Trace> m_traces;
    std::unique_ptr<SocketTableModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;

    const Trace& trace(const char* name) { return m_traces.at(QString::fromLatin1(name)); }

    int rowOf(const QString& endpoint) const
    {
        for (int r = 0; r < m_model->rowCount(); ++r)
            if (m_model->index(r, 0).data(SocketTableModel::EndpointRole).toString() == endpoint)
                return r;
        return -1;
    }
    QVariant cell(const QString& endpoint, int column, int role = Qt::DisplayRole) const
    {
        const int r = rowOf(endpoint);
        return r < 0 ? QVariant() : m_model->index(r, column).data(role);
    }
    /// Feeds the picture after every prefix up to `count` events, as the player does when it plays.
    void playTo(const Trace& t, std::size_t count)
    {
        for (std::size_t n = 0; n <= count; ++n) {
            const Picture p = Picture::after(t, n);
            m_model->setSnapshot(p, p.tNs);
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        // Recorded in the lab and checked in: no kernel needed.
        for (const char* name : { "active-close", "handshake", "backlog-full", "buffer-fill", "half-close" })
            m_traces.emplace(QString::fromLatin1(name), synack::test::recordedTrace(name));
    }

    void init()
    {
        m_model = std::make_unique<SocketTableModel>();
        m_tester = std::make_unique<QAbstractItemModelTester>(
            m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    }

    void cleanup()
    {
        m_tester.reset();
        m_model.reset();
    }

    void headers()
    {
        QCOMPARE(m_model->columnCount(), int(SocketTableModel::NumColumns));
        const QStringList titles { QStringLiteral("Endpoint"), QStringLiteral("State"),
            QStringLiteral("Local Address:Port"), QStringLiteral("Peer Address:Port"), QStringLiteral("Recv-Q"),
            QStringLiteral("Send-Q"), QStringLiteral("Timer"), QStringLiteral("Shutdown") };
        for (int c = 0; c < SocketTableModel::NumColumns; ++c)
            QCOMPARE(m_model->headerData(c, Qt::Horizontal).toString(), titles[c]);
        const int right
            = m_model->headerData(SocketTableModel::RecvQColumn, Qt::Horizontal, Qt::TextAlignmentRole).toInt();
        QVERIFY(right & Qt::AlignRight);
    }

    void everyPrefix_data()
    {
        QTest::addColumn<QString>("scenario");
        for (const auto& [name, t] : m_traces)
            QTest::addRow("%s", qPrintable(name)) << name;
    }
    void everyPrefix()
    {
        QFETCH(QString, scenario);
        const Trace& t = m_traces.at(scenario);
        QSignalSpy resets(m_model.get(), &QAbstractItemModel::modelReset);
        QSignalSpy removals(m_model.get(), &QAbstractItemModel::rowsRemoved);
        for (std::size_t n = 0; n <= t.events.size(); ++n) {
            const Picture p = Picture::after(t, n);
            m_model->setSnapshot(p, p.tNs);
            QCOMPARE(m_model->rowCount(), int(p.endpoints.size()));
            for (std::size_t r = 0; r < p.endpoints.size(); ++r) {
                const EndpointView& v = p.endpoints[r];
                const QModelIndex i = m_model->index(int(r), SocketTableModel::StateColumn);
                QCOMPARE(i.data(SocketTableModel::EndpointRole).toString(), qs(v.name));
                QCOMPARE(i.data(SocketTableModel::StateRole).toString(), qs(v.stateText()));
                if (!v.gone)
                    QCOMPARE(i.data().toString(), qs(v.stateText()));
            }
        }
        QCOMPARE(resets.size(), 0);
        QCOMPARE(removals.size(), 0);

        // Stepping back to the start removes rows (a suffix), it does not reset either.
        const Picture start = Picture::after(t, 0);
        m_model->setSnapshot(start, start.tNs);
        QCOMPARE(m_model->rowCount(), 0);
        QCOMPARE(resets.size(), 0);
    }

    void stepBackAndForth()
    {
        const Trace& t = trace("handshake");
        const std::size_t accept = findStep(t, "accept listener server");
        QVERIFY(accept < t.events.size());
        playTo(t, t.events.size());
        const int rows = m_model->rowCount();
        // Back to before the accept(): the row is "client/peer" again, then forward again.
        const Picture before = Picture::after(t, accept);
        m_model->setSnapshot(before, before.tNs);
        QVERIFY(rowOf(QStringLiteral("client/peer")) >= 0);
        QCOMPARE(rowOf(QStringLiteral("server")), -1);
        const Picture end = Picture::after(t, t.events.size());
        m_model->setSnapshot(end, end.tNs);
        QCOMPARE(m_model->rowCount(), rows);
        QVERIFY(rowOf(QStringLiteral("server")) >= 0);
    }

    void clearResets()
    {
        playTo(trace("handshake"), trace("handshake").events.size());
        QSignalSpy resets(m_model.get(), &QAbstractItemModel::modelReset);
        m_model->clear();
        QCOMPARE(resets.size(), 1);
        QCOMPARE(m_model->rowCount(), 0);
    }

    void timeWaitCountsDown()
    {
        const Trace& t = trace("active-close");
        playTo(t, t.events.size());
        const Picture p = Picture::after(t, t.events.size());
        const QString client = QStringLiteral("client");
        QCOMPARE(cell(client, SocketTableModel::StateColumn).toString(), QStringLiteral("TIME_WAIT"));
        const QString timer = cell(client, SocketTableModel::TimerColumn).toString();
        QVERIFY2(timer.startsWith(QStringLiteral("time-wait ")), qPrintable(timer));
        const double seconds = timerSeconds(timer);
        QVERIFY2(seconds > 50 && seconds <= 60, qPrintable(timer));

        QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
        m_model->setSnapshot(p, p.tNs + 1'000'000'000);
        QVERIFY(!changed.isEmpty());
        for (const auto& args : changed) {
            const auto topLeft = args.at(0).value<QModelIndex>();
            const auto bottomRight = args.at(1).value<QModelIndex>();
            QCOMPARE(topLeft.column(), int(SocketTableModel::TimerColumn));
            QCOMPARE(bottomRight.column(), int(SocketTableModel::TimerColumn));
            QCOMPARE(topLeft.row(), bottomRight.row());
            QVERIFY(!cell(m_model->index(topLeft.row(), 0).data(SocketTableModel::EndpointRole).toString(),
                SocketTableModel::TimerColumn)
                         .toString()
                         .isEmpty());
        }
        const double later = timerSeconds(cell(client, SocketTableModel::TimerColumn).toString());
        QVERIFY2(qAbs(seconds - 1.0 - later) < 0.15, qPrintable(QString::number(later)));
        QCOMPARE(cell(client, SocketTableModel::TimerColumn, SocketTableModel::SortRole).toLongLong(),
            qlonglong(later * 1000 + 0.5));
    }

    void sameSnapshotTwiceIsSilent()
    {
        const Trace& t = trace("buffer-fill");
        const Picture p = Picture::after(t, t.events.size() / 2);
        m_model->setSnapshot(p, p.tNs);
        QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
        QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(m_model.get(), &QAbstractItemModel::rowsRemoved);
        QSignalSpy resets(m_model.get(), &QAbstractItemModel::modelReset);
        QSignalSpy layout(m_model.get(), &QAbstractItemModel::layoutChanged);
        m_model->setSnapshot(p, p.tNs);
        QCOMPARE(changed.size() + inserted.size() + removed.size() + resets.size() + layout.size(), 0);
    }

    void changedRowsOnly()
    {
        // One dataChanged per changed row, and only for rows that changed.
        const Trace& t = trace("active-close");
        Picture previous = Picture::after(t, 0);
        m_model->setSnapshot(previous, previous.tNs);
        for (std::size_t n = 1; n <= t.events.size(); ++n) {
            const Picture p = Picture::after(t, n);
            QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
            m_model->setSnapshot(p, p.tNs);
            QSet<int> rows;
            for (const auto& args : changed) {
                const int row = args.at(0).value<QModelIndex>().row();
                QVERIFY2(!rows.contains(row), "two dataChanged for one row");
                rows.insert(row);
                QVERIFY(row < int(previous.endpoints.size()));
            }
            previous = p;
        }
    }

    void acceptKeepsTheRow()
    {
        const Trace& t = trace("handshake");
        const std::size_t accept = findStep(t, "accept listener server");
        QVERIFY(accept < t.events.size());
        playTo(t, accept); // up to, not including, the accept() step
        const int peerRow = rowOf(QStringLiteral("client/peer"));
        QVERIFY(peerRow >= 0);
        const int rows = m_model->rowCount();

        QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
        const Picture p = Picture::after(t, accept + 1);
        m_model->setSnapshot(p, p.tNs);
        QCOMPARE(inserted.size(), 0);
        QCOMPARE(m_model->rowCount(), rows);
        QCOMPARE(rowOf(QStringLiteral("server")), peerRow);
        QCOMPARE(rowOf(QStringLiteral("client/peer")), -1);
        QCOMPARE(m_model->index(peerRow, SocketTableModel::EndpointColumn).data().toString(), QStringLiteral("server"));
        QVERIFY(m_model->index(peerRow, SocketTableModel::EndpointColumn)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("client/peer")));
        bool serverRowChanged = false;
        for (const auto& args : changed)
            serverRowChanged |= args.at(0).value<QModelIndex>().row() == peerRow;
        QVERIFY(serverRowChanged);

        // The rest of the run ("server" gets its own state event, from "") adds no row for it either.
        for (std::size_t n = accept + 2; n <= t.events.size(); ++n) {
            const Picture q = Picture::after(t, n);
            m_model->setSnapshot(q, q.tNs);
        }
        for (const auto& args : inserted) {
            for (int r = args.at(1).toInt(); r <= args.at(2).toInt(); ++r)
                QVERIFY(
                    m_model->index(r, 0).data(SocketTableModel::EndpointRole).toString() != QStringLiteral("server"));
        }
        QCOMPARE(rowOf(QStringLiteral("server")), peerRow);
    }

    void listenerShowsAcceptQueue()
    {
        const Trace& t = trace("backlog-full");
        const std::size_t full = findEvent(t, [](const Event& e) {
            const auto* x = e.as<ExpectEvent>();
            return x && x->endpoint == "listener" && x->quantity == "acceptq";
        });
        QVERIFY(full < t.events.size());
        playTo(t, full + 1);
        const QString listener = QStringLiteral("listener");
        QCOMPARE(cell(listener, SocketTableModel::StateColumn).toString(), QStringLiteral("LISTEN"));
        QCOMPARE(cell(listener, SocketTableModel::RecvQColumn).toString(), QStringLiteral("2"));
        QCOMPARE(cell(listener, SocketTableModel::SendQColumn).toString(), QStringLiteral("1"));
        QCOMPARE(cell(listener, SocketTableModel::RecvQColumn, SocketTableModel::SortRole).toLongLong(), 2);
        QVERIFY(cell(listener, SocketTableModel::SendQColumn, Qt::ToolTipRole).toString().contains(u'2'));
        QVERIFY(cell(listener, SocketTableModel::RecvQColumn, Qt::TextAlignmentRole).toInt() & Qt::AlignRight);
    }

    void inferredStateIsItalic_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addRow("handshake") << QStringLiteral("handshake"); // SYN_SENT, SYN_RECV pass unseen
        QTest::addRow("active-close") << QStringLiteral("active-close"); // and LAST_ACK
    }
    void inferredStateIsItalic()
    {
        QFETCH(QString, scenario);
        const Trace& t = m_traces.at(scenario);
        const std::size_t inferred = findEvent(t, [](const Event& e) {
            const auto* s = e.as<StateEvent>();
            return s && s->source == Source::Inferred;
        });
        if (inferred == t.events.size())
            QSKIP("this run's sampler saw every state: nothing was inferred");
        const StateEvent& guess = *t.events[inferred].as<StateEvent>();
        const QString endpoint = qs(guess.endpoint);
        playTo(t, inferred + 1);
        QCOMPARE(cell(endpoint, SocketTableModel::StateColumn).toString(), qs(std::string(stateName(guess.to))));
        QCOMPARE(cell(endpoint, SocketTableModel::StateColumn, SocketTableModel::SourceRole).toString(),
            QStringLiteral("inferred"));
        QVERIFY(cell(endpoint, SocketTableModel::StateColumn, Qt::FontRole).value<QFont>().italic());
        QCOMPARE(cell(endpoint, SocketTableModel::StateColumn, Qt::ToolTipRole).toString(),
            QStringLiteral("inferred: not read from the kernel"));
        // Only the state cell is marked.
        QVERIFY(!cell(endpoint, SocketTableModel::EndpointColumn, Qt::FontRole).value<QFont>().italic());

        // The next state the kernel reports itself is no longer italic.
        std::size_t next = inferred + 1;
        for (; next < t.events.size(); ++next) {
            const auto* s = t.events[next].as<StateEvent>();
            if (s && s->endpoint == guess.endpoint && s->source == Source::Kernel)
                break;
        }
        QVERIFY(next < t.events.size());
        playTo(t, next + 1);
        QCOMPARE(cell(endpoint, SocketTableModel::StateColumn, SocketTableModel::SourceRole).toString(),
            QStringLiteral("kernel"));
        QVERIFY(!cell(endpoint, SocketTableModel::StateColumn, Qt::FontRole).value<QFont>().italic());
    }

    void goneSocket()
    {
        const Trace& t = trace("active-close");
        playTo(t, t.events.size());
        const QString server = QStringLiteral("server");
        QCOMPARE(cell(server, SocketTableModel::StateColumn).toString(), QStringLiteral("—"));
        QVERIFY(
            cell(server, SocketTableModel::StateColumn, Qt::ToolTipRole).toString().contains(QStringLiteral("gone")));
        QVERIFY(cell(server, SocketTableModel::StateColumn, Qt::ForegroundRole).isValid());
        QVERIFY(cell(server, SocketTableModel::TimerColumn).toString().isEmpty());
        // Its queues were not reported any more: empty, not a made-up 0.
        QVERIFY(cell(server, SocketTableModel::RecvQColumn).toString().isEmpty());
        QVERIFY(cell(server, SocketTableModel::LocalColumn).toString().startsWith(QStringLiteral("127.0.0.1:")));
    }

    void shutdownColumn()
    {
        // half-close: shutdown(SHUT_WR) on the client; the server's kernel marks receiving shut
        // when the FIN arrives. Both show while the sockets live.
        const Trace& t = trace("half-close");
        bool clientWrite = false;
        bool serverRead = false;
        for (std::size_t n = 0; n <= t.events.size(); ++n) {
            const Picture p = Picture::after(t, n);
            m_model->setSnapshot(p, p.tNs);
            const QString c = cell(QStringLiteral("client"), SocketTableModel::ShutdownColumn).toString();
            const QString s = cell(QStringLiteral("server"), SocketTableModel::ShutdownColumn).toString();
            clientWrite |= c == QStringLiteral("→ wr");
            serverRead |= s == QStringLiteral("← rd");
        }
        QVERIFY(clientWrite);
        QVERIFY(serverRead);
    }

    void blockedSend()
    {
        const Trace& t = trace("buffer-fill");
        const std::size_t blocked = findStep(t, "send client 100k", Phase::Blocked);
        QVERIFY(blocked < t.events.size());
        playTo(t, blocked + 1);
        const QString client = QStringLiteral("client");
        QVERIFY(cell(client, SocketTableModel::EndpointColumn, Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("send client 100k")));
        QVERIFY(!cell(client, SocketTableModel::EndpointColumn, Qt::DecorationRole).value<QIcon>().isNull());
        QVERIFY(!cell(QStringLiteral("server"), SocketTableModel::EndpointColumn, Qt::DecorationRole).isValid());
    }
};

QTEST_MAIN(TestSocketTableModel)
#include "tst_sockettablemodel.moc"
