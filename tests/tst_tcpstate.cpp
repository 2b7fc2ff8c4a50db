// SPDX-License-Identifier: GPL-3.0-or-later
#include <QTest>

#include <cerrno>
#include <linux/tcp.h>

#include "base/result.h"
#include "kernel/tcpinfo.h"
#include "tcp/tcpstate.h"

using namespace synack;

class TestTcpState : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void namesFollowTheKernel_data()
    {
        QTest::addColumn<int>("number");
        QTest::addColumn<QString>("name");
        // Numbers from include/net/tcp_states.h; names as ss prints them, without TCP_.
        QTest::addRow("established") << 1 << "ESTABLISHED";
        QTest::addRow("syn_sent") << 2 << "SYN_SENT";
        QTest::addRow("syn_recv") << 3 << "SYN_RECV";
        QTest::addRow("fin_wait1") << 4 << "FIN_WAIT1";
        QTest::addRow("fin_wait2") << 5 << "FIN_WAIT2";
        QTest::addRow("time_wait") << 6 << "TIME_WAIT";
        QTest::addRow("close") << 7 << "CLOSE";
        QTest::addRow("close_wait") << 8 << "CLOSE_WAIT";
        QTest::addRow("last_ack") << 9 << "LAST_ACK";
        QTest::addRow("listen") << 10 << "LISTEN";
        QTest::addRow("closing") << 11 << "CLOSING";
    }
    void namesFollowTheKernel()
    {
        QFETCH(int, number);
        QFETCH(QString, name);
        const TcpState s = stateFromKernel(static_cast<unsigned>(number));
        QCOMPARE(QString::fromLatin1(stateName(s).data(), static_cast<qsizetype>(stateName(s).size())), name);
        QCOMPARE(stateFromName(name.toStdString()), s);
        QCOMPARE(stateFromName(name.toLower().toStdString()), s);
    }

    void requestSocketsAreSynRecv()
    {
        QCOMPARE(stateFromKernel(12), TcpState::SynRecv);
        QCOMPARE(stateFromKernel(0), TcpState::Unknown);
        QCOMPARE(stateFromKernel(13), TcpState::Unknown);
        QVERIFY(!stateFromName("ESTABLISHD"));
        QCOMPARE(stateFromName("CLOSED"), TcpState::Close);
    }

    void transitions()
    {
        QVERIFY(isDirectTransition(TcpState::SynSent, TcpState::Established));
        QVERIFY(isDirectTransition(TcpState::Established, TcpState::Close)); // abort
        QVERIFY(isDirectTransition(TcpState::FinWait1, TcpState::Closing));
        QVERIFY(!isDirectTransition(TcpState::Close, TcpState::Established));
        QVERIFY(!isDirectTransition(TcpState::Established, TcpState::TimeWait));
        QVERIFY(!isDirectTransition(TcpState::CloseWait, TcpState::TimeWait));
    }

    void errnoNames()
    {
        QCOMPARE(errnoName(ECONNRESET), std::string("ECONNRESET"));
        QCOMPARE(errnoName(0), std::string("0"));
        QCOMPARE(errnoFromName("EPIPE"), std::optional<int>(EPIPE));
        QVERIFY(!errnoFromName("ENOTANERRNO"));
    }

    void ownTcpInfoMatchesTheSystemHeader()
    {
        // Our struct must agree with the system's for every field the system header knows.
        QCOMPARE(offsetof(TcpInfo, segsOut), offsetof(tcp_info, tcpi_segs_out));
        QCOMPARE(offsetof(TcpInfo, notsentBytes), offsetof(tcp_info, tcpi_notsent_bytes));
        QVERIFY(sizeof(tcp_info) <= sizeof(TcpInfo));
    }
};

QTEST_GUILESS_MAIN(TestTcpState)
#include "tst_tcpstate.moc"
