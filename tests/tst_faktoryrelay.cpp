// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// A cluster follower's Faktory pass-through, against a stand-in leader on loopback.
#include "faktoryrelay.h"

#include <QCoreApplication>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <memory>

using namespace QueueDeck::Faktory;

namespace {

// A listening stand-in for the leader's Faktory listener; hands out what it accepted.
class StandInLeader
{
public:
    StandInLeader() { m_server.listen(QHostAddress::LocalHost, 0); }
    QString address() const { return QStringLiteral("127.0.0.1:%1").arg(m_server.serverPort()); }
    // The next connection the relay opened (the event loop runs meanwhile), or nullptr after 5 s.
    QTcpSocket *accepted()
    {
        QSignalSpy accepting(&m_server, &QTcpServer::newConnection);
        if (!m_server.hasPendingConnections() && !accepting.wait(5000))
            return nullptr;
        return m_server.nextPendingConnection();
    }

private:
    QTcpServer m_server;
};

std::unique_ptr<QTcpSocket> connectTo(const FaktoryRelay &relay)
{
    auto socket = std::make_unique<QTcpSocket>();
    socket->connectToHost(QHostAddress::LocalHost, relay.port());
    return socket;
}

// Runs the event loop (the relay's and the sockets') until something happens, at most 100 ms.
void processEvents()
{
    QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 100);
}

// The socket's bytes until `size` came or it closed (or 10 s passed); what came.
QByteArray readUntil(QTcpSocket &socket, qsizetype size)
{
    QByteArray out;
    QDeadlineTimer deadline(10000);
    while (!deadline.hasExpired()) {
        out += socket.readAll();
        if (out.size() >= size || socket.state() != QAbstractSocket::ConnectedState)
            break;
        processEvents();
    }
    return out + socket.readAll();
}

} // namespace

class TestFaktoryRelay final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void passesBytesBothWays()
    {
        StandInLeader leader;
        FaktoryRelay relay(QHostAddress::LocalHost, 0);
        QVERIFY(relay.listen().isEmpty());
        relay.setLeader(leader.address());
        auto client = connectTo(relay);
        QTcpSocket *upstream = leader.accepted();
        QVERIFY(upstream);
        upstream->write("+HI {\"v\":2}\r\n");
        QCOMPARE(readUntil(*client, 13), QByteArray("+HI {\"v\":2}\r\n"));
        client->write("HELLO {\"v\":2}\r\n");
        QCOMPARE(readUntil(*upstream, 15), QByteArray("HELLO {\"v\":2}\r\n"));
        QCOMPARE(relay.connections(), 1);
    }

    // Megabytes each way through in-flight limits of 256 KiB: every byte, in order.
    void passesLargeStreamsIntact()
    {
        StandInLeader leader;
        FaktoryRelay relay(QHostAddress::LocalHost, 0);
        QVERIFY(relay.listen().isEmpty());
        relay.setLeader(leader.address());
        auto client = connectTo(relay);
        QTcpSocket *upstream = leader.accepted();
        QVERIFY(upstream);
        QByteArray up(3 * 1024 * 1024, Qt::Uninitialized);
        QByteArray down(2 * 1024 * 1024 + 17, Qt::Uninitialized);
        QRandomGenerator generator(7);
        for (char &byte : up)
            byte = char(generator.bounded(256));
        for (char &byte : down)
            byte = char(generator.bounded(256));
        client->write(up);
        upstream->write(down);
        QByteArray received;
        QByteArray returned;
        QDeadlineTimer deadline(30000);
        while ((received.size() < up.size() || returned.size() < down.size()) &&
               !deadline.hasExpired()) {
            received += upstream->readAll();
            returned += client->readAll();
            processEvents();
        }
        QCOMPARE(received.size(), up.size());
        QVERIFY(received == up);
        QCOMPARE(returned.size(), down.size());
        QVERIFY(returned == down);
    }

    // The leader's last answer reaches the client before its connection closes.
    void leaderClosingClosesTheClient()
    {
        StandInLeader leader;
        FaktoryRelay relay(QHostAddress::LocalHost, 0);
        QVERIFY(relay.listen().isEmpty());
        relay.setLeader(leader.address());
        auto client = connectTo(relay);
        QTcpSocket *upstream = leader.accepted();
        QVERIFY(upstream);
        QTRY_COMPARE(relay.connections(), 1);
        upstream->write("-ERR Invalid password\r\n");
        upstream->disconnectFromHost();
        QCOMPARE(readUntil(*client, 23), QByteArray("-ERR Invalid password\r\n"));
        QTRY_COMPARE(client->state(), QAbstractSocket::UnconnectedState);
        QTRY_COMPARE(relay.connections(), 0);
    }

    void clientClosingClosesTheLeaderSide()
    {
        StandInLeader leader;
        FaktoryRelay relay(QHostAddress::LocalHost, 0);
        QVERIFY(relay.listen().isEmpty());
        relay.setLeader(leader.address());
        auto client = connectTo(relay);
        QTcpSocket *upstream = leader.accepted();
        QVERIFY(upstream);
        QVERIFY(client->waitForConnected(5000));
        client->write("END\r\n");
        client->disconnectFromHost();
        QCOMPARE(readUntil(*upstream, 5), QByteArray("END\r\n"));
        QTRY_COMPARE(upstream->state(), QAbstractSocket::UnconnectedState);
        QTRY_COMPARE(relay.connections(), 0);
    }

    void withoutLeaderAConnectionIsClosed_data()
    {
        QTest::addColumn<bool>("unreachable");
        QTest::newRow("no leader known") << false;
        QTest::newRow("leader unreachable") << true;
    }
    void withoutLeaderAConnectionIsClosed()
    {
        QFETCH(bool, unreachable);
        FaktoryRelay relay(QHostAddress::LocalHost, 0);
        QVERIFY(relay.listen().isEmpty());
        if (unreachable) {
            QTcpServer closed; // a port that was free a moment ago; nothing listens on it now
            QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
            const quint16 port = closed.serverPort();
            closed.close();
            relay.setLeader(QStringLiteral("127.0.0.1:%1").arg(port));
        }
        auto client = connectTo(relay);
        QVERIFY(client->waitForConnected(5000));
        QTRY_COMPARE(client->state(), QAbstractSocket::UnconnectedState);
        QTRY_COMPARE(relay.connections(), 0);
    }

    // Another leader: the connections to the previous one end; new ones go to the new one.
    void aNewLeaderEndsTheConnections()
    {
        StandInLeader first;
        StandInLeader second;
        FaktoryRelay relay(QHostAddress::LocalHost, 0);
        QVERIFY(relay.listen().isEmpty());
        relay.setLeader(first.address());
        auto client = connectTo(relay);
        QTcpSocket *upstream = first.accepted();
        QVERIFY(upstream);
        QTRY_COMPARE(relay.connections(), 1);
        relay.setLeader(second.address());
        QTRY_COMPARE(client->state(), QAbstractSocket::UnconnectedState);
        QTRY_COMPARE(upstream->state(), QAbstractSocket::UnconnectedState);
        auto again = connectTo(relay);
        QTcpSocket *next = second.accepted();
        QVERIFY(next);
        next->write("+HI {\"v\":2}\r\n");
        QCOMPARE(readUntil(*again, 13), QByteArray("+HI {\"v\":2}\r\n"));
    }

    void aTakenPortIsAnError()
    {
        FaktoryRelay first(QHostAddress::LocalHost, 0);
        QVERIFY(first.listen().isEmpty());
        FaktoryRelay second(QHostAddress::LocalHost, first.port());
        const QString error = second.listen();
        QVERIFY2(error.contains(u"cannot listen for Faktory clients"), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestFaktoryRelay)
#include "tst_faktoryrelay.moc"
