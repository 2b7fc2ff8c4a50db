// SPDX-License-Identifier: GPL-3.0-or-later
// The event log: one row per revealed event, reset when the Player gets a new run, and its filter.
// Traces are built from text or were recorded once: no kernel.
#include <QAbstractItemModelTester>
#include <QFont>
#include <QSignalSpy>
#include <QTest>

#include <memory>

#include "models/eventlogmodel.h"
#include "playback/player.h"
#include "support/recordedtraces.h"
#include "support/tracebuilder.h"

using namespace synack;
using synack::test::frameOf;
using synack::test::recordedTrace;
using synack::test::TraceBuilder;

namespace {

/// listen, then a connect that blocks, an inferred SYN_SENT and a captured SYN, the completion,
/// a gone socket; each kind of row once.
Trace smallTrace()
{
    TraceBuilder b;
    b.step = 0;
    b.state("listener", "", "CLOSE");
    b.call("listener", "listen", "127.0.0.1:40000, backlog 8", "listen listener");
    b.state("listener", "CLOSE", "LISTEN");
    b.step = 1;
    b.call("client", "connect", "127.0.0.1:40000", "connect client listener", "blocked");
    b.state("client", "CLOSE", "SYN_SENT", Source::Inferred, "not sampled");
    b.segment("client", "client/peer", "SYN", Source::Capture, 0u);
    b.call("client", "connect", "127.0.0.1:40000", "connect client listener", "completed");
    b.gone("listener", "LISTEN");
    return b.t;
}

QString cell(const QAbstractItemModel& m, int row, int column, int role = Qt::DisplayRole)
{
    return m.index(row, column).data(role).toString();
}

} // namespace

class TestEventLogModel : public QObject {
    Q_OBJECT

    std::unique_ptr<EventLogModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;

private Q_SLOTS:
    void init()
    {
        m_model = std::make_unique<EventLogModel>();
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
        QCOMPARE(m_model->columnCount(), int(EventLogModel::NumColumns));
        const QStringList titles { QStringLiteral("Time (ms)"), QStringLiteral("Step"), QStringLiteral("Kind"),
            QStringLiteral("Endpoint"), QStringLiteral("What happened") };
        for (int c = 0; c < EventLogModel::NumColumns; ++c)
            QCOMPARE(m_model->headerData(c, Qt::Horizontal).toString(), titles[c]);
    }

    void rowsFollowTheFrame()
    {
        const Trace t = smallTrace();
        m_model->setFrame(frameOf(t, 0));
        QCOMPARE(m_model->rowCount(), 0);
        QSignalSpy resets(m_model.get(), &QAbstractItemModel::modelReset);
        QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(m_model.get(), &QAbstractItemModel::rowsRemoved);
        for (std::size_t n = 1; n <= t.events.size(); ++n) {
            m_model->setFrame(frameOf(t, n, 0.5));
            QCOMPARE(m_model->rowCount(), int(n));
        }
        QCOMPARE(inserted.size(), int(t.events.size()));
        // The same prefix again (an animation tick): nothing happens.
        m_model->setFrame(frameOf(t, t.events.size()));
        QCOMPARE(inserted.size(), int(t.events.size()));
        // A step back removes the rows after it.
        m_model->setFrame(frameOf(t, 2));
        QCOMPARE(m_model->rowCount(), 2);
        QCOMPARE(removed.size(), 1);
        QCOMPARE(resets.size(), 0);
    }

    void aNewRunResets()
    {
        // The Player keeps one Trace object for every run: only the frame's revision tells the
        // model that the events are another run's.
        Player player;
        connect(&player, &Player::frameChanged, m_model.get(), [&] { m_model->setFrame(player.frame()); });
        player.setTrace(recordedTrace("handshake"), true);
        player.showAll();
        const int handshakeRows = m_model->rowCount();
        QCOMPARE(handshakeRows, int(player.frame().visible));
        QSignalSpy resets(m_model.get(), &QAbstractItemModel::modelReset);
        player.setTrace(recordedTrace("refused"), true);
        player.showAll();
        QVERIFY(resets.size() >= 1);
        QCOMPARE(m_model->rowCount(), int(player.frame().visible));
        for (int r = 0; r < m_model->rowCount(); ++r)
            QCOMPARE(cell(*m_model, r, EventLogModel::WhatColumn),
                EventLogModel::describe(recordedTrace("refused").events[std::size_t(r)]));
    }

    void describesEachKind_data()
    {
        QTest::addColumn<int>("row");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("endpoint");
        QTest::addColumn<QString>("what");
        QTest::addRow("first state") << 0 << "state"
                                     << "listener"
                                     << "(new)→ CLOSE";
        QTest::addRow("call") << 1 << "step"
                              << "listener"
                              << "listen(127.0.0.1:40000, backlog 8) = 0";
        QTest::addRow("blocked call") << 3 << "step"
                                      << "client"
                                      << "connect(127.0.0.1:40000) blocks";
        QTest::addRow("inferred state") << 4 << "state"
                                        << "client"
                                        << "CLOSE → SYN_SENT (inferred)";
        QTest::addRow("segment") << 5 << "segment"
                                 << "client"
                                 << "→ client/peer SYN seq 0";
        QTest::addRow("completed call") << 6 << "step"
                                        << "client"
                                        << "returns: connect(127.0.0.1:40000) = 0";
        QTest::addRow("gone") << 7 << "state"
                              << "listener"
                              << "LISTEN → CLOSE (gone)";
    }
    void describesEachKind()
    {
        QFETCH(int, row);
        QFETCH(QString, kind);
        QFETCH(QString, endpoint);
        QFETCH(QString, what);
        const Trace t = smallTrace();
        m_model->setFrame(frameOf(t, t.events.size()));
        QCOMPARE(cell(*m_model, row, EventLogModel::KindColumn), kind);
        QCOMPARE(cell(*m_model, row, EventLogModel::EndpointColumn), endpoint);
        QCOMPARE(cell(*m_model, row, EventLogModel::WhatColumn), what);
        const Event& e = t.events[std::size_t(row)];
        QCOMPARE(m_model->index(row, 0).data(EventLogModel::EventIndexRole).toInt(), row);
        QCOMPARE(m_model->index(row, 0).data(EventLogModel::KindRole).toInt(), int(e.kind()));
        QCOMPARE(cell(*m_model, row, EventLogModel::StepColumn), QString::number(e.step + 1));
        QCOMPARE(cell(*m_model, row, EventLogModel::TimeColumn), QString::number(double(e.tNs) / 1e6, 'f', 3));
    }

    void describesTheGate()
    {
        // The gate's actions and a segment's fate, in the UI's words (translated, unlike the
        // engine's), from a trace recorded in the gated lab.
        const Trace& t = recordedTrace("gate-slow");
        m_model->setFrame(frameOf(t, t.events.size()));
        QStringList gate, held;
        for (int r = 0; r < m_model->rowCount(); ++r) {
            const Event& e = t.events[std::size_t(r)];
            if (e.as<GateEvent>())
                gate << cell(*m_model, r, EventLogModel::WhatColumn);
            else if (const auto* seg = e.as<SegmentEvent>(); seg && seg->fate == "held")
                held << cell(*m_model, r, EventLogModel::WhatColumn);
        }
        QCOMPARE(gate.size(), 5);
        QCOMPARE(gate.first(), QStringLiteral("the gate holds every segment"));
        QCOMPARE(gate[1], QStringLiteral("the gate delivers segment #1 (SYN)"));
        QCOMPARE(gate.last(), QStringLiteral("the gate lets every segment pass"));
        QCOMPARE(held.size(), 3);
        QVERIFY2(held.first().startsWith(QStringLiteral("→ client/peer SYN seq 0")), qPrintable(held.first()));
        QVERIFY2(held.first().endsWith(QStringLiteral(", held at the gate")), qPrintable(held.first()));
    }

    void inferredIsItalicAndSaysWhy()
    {
        const Trace t = smallTrace();
        m_model->setFrame(frameOf(t, t.events.size()));
        const QModelIndex inferred = m_model->index(4, EventLogModel::WhatColumn);
        QVERIFY(inferred.data(Qt::FontRole).value<QFont>().italic());
        QVERIFY(inferred.data(Qt::ToolTipRole).toString().contains(QStringLiteral("not sampled")));
        QCOMPARE(inferred.data(EventLogModel::SourceRole).toString(), QStringLiteral("inferred"));
        QVERIFY(!m_model->index(2, EventLogModel::WhatColumn).data(Qt::FontRole).isValid());
    }

    void filterByKindAndText()
    {
        const Trace& t = recordedTrace("handshake");
        EventLogFilter filter;
        QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
        filter.setSourceModel(m_model.get());
        m_model->setFrame(frameOf(t, t.events.size()));
        QCOMPARE(filter.rowCount(), m_model->rowCount());

        filter.setKindShown(EventKind::Buffers, false);
        QVERIFY(!filter.kindShown(EventKind::Buffers));
        QVERIFY(filter.rowCount() < m_model->rowCount());
        for (int r = 0; r < filter.rowCount(); ++r)
            QVERIFY(filter.index(r, 0).data(EventLogModel::KindRole).toInt() != int(EventKind::Buffers));

        filter.setText(QStringLiteral("syn_sent")); // any case
        QVERIFY(filter.rowCount() > 0);
        for (int r = 0; r < filter.rowCount(); ++r)
            QVERIFY(cell(filter, r, EventLogModel::WhatColumn).contains(QStringLiteral("SYN_SENT")));

        filter.setText(QString());
        filter.setKindShown(EventKind::Buffers, true);
        QCOMPARE(filter.rowCount(), m_model->rowCount());

        // Rows revealed later pass through the filter as they come.
        m_model->setFrame(frameOf(t, 1));
        QCOMPARE(filter.rowCount(), 1);
    }
};

QTEST_MAIN(TestEventLogModel)
#include "tst_eventlogmodel.moc"
