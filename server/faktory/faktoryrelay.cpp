// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "faktoryrelay.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

namespace QueueDeck::Faktory {

namespace {

constexpr qint64 InFlightBytes = 256 * 1024;
// What one side sent before it closed gets this long to reach the other.
constexpr int CloseGraceMs = 2000;

// One client's connection and its connection to the leader: bytes pass both ways as they come,
// each direction bounded by InFlightBytes (read buffers of that size, and no read while the other
// side has that much to write). Deletes itself once both are closed.
class RelayedConnection final : public QObject
{
public:
    RelayedConnection(QTcpSocket *client, const QString &host, quint16 port, QObject *parent)
        : QObject(parent), m_client(client), m_leader(new QTcpSocket(this))
    {
        m_client->setParent(this);
        m_client->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        for (QTcpSocket *socket : {m_client, m_leader}) {
            socket->setReadBufferSize(InFlightBytes);
            connect(socket, &QTcpSocket::disconnected, this, &RelayedConnection::end);
            connect(socket, &QTcpSocket::errorOccurred, this, &RelayedConnection::end);
        }
        connect(m_client, &QTcpSocket::readyRead, this, [this] { pass(m_client, m_leader); });
        connect(m_leader, &QTcpSocket::bytesWritten, this, [this] { pass(m_client, m_leader); });
        connect(m_leader, &QTcpSocket::readyRead, this, [this] { pass(m_leader, m_client); });
        connect(m_client, &QTcpSocket::bytesWritten, this, [this] { pass(m_leader, m_client); });
        connect(m_leader, &QTcpSocket::connected, this, [this] {
            m_leader->setSocketOption(QAbstractSocket::LowDelayOption, 1);
            pass(m_client, m_leader); // what the client sent while the leader was connecting
        });
        m_leader->connectToHost(host, port);
    }

    // Ends both sides; what either sent before still reaches the other (within CloseGraceMs).
    void end()
    {
        if (m_ending)
            return;
        m_ending = true;
        m_client->disconnect(this);
        m_leader->disconnect(this);
        if (m_client->state() == QAbstractSocket::ConnectedState)
            m_client->write(m_leader->readAll());
        if (m_leader->state() == QAbstractSocket::ConnectedState)
            m_leader->write(m_client->readAll());
        QTimer::singleShot(CloseGraceMs, this, [this] {
            m_client->abort();
            m_leader->abort();
            deleteLater();
        });
        for (QTcpSocket *socket : {m_client, m_leader}) {
            connect(socket, &QTcpSocket::disconnected, this, &RelayedConnection::deleteWhenClosed);
            if (socket->state() != QAbstractSocket::UnconnectedState)
                socket->disconnectFromHost(); // after what is left to write
        }
        deleteWhenClosed();
    }

private:
    void pass(QTcpSocket *from, QTcpSocket *to)
    {
        if (to->state() != QAbstractSocket::ConnectedState)
            return;
        while (from->bytesAvailable() > 0 && to->bytesToWrite() < InFlightBytes) {
            if (to->write(from->read(InFlightBytes - to->bytesToWrite())) < 0) {
                end();
                return;
            }
        }
    }

    void deleteWhenClosed()
    {
        if (m_client->state() == QAbstractSocket::UnconnectedState &&
            m_leader->state() == QAbstractSocket::UnconnectedState)
            deleteLater();
    }

    QTcpSocket *m_client;
    QTcpSocket *m_leader;
    bool m_ending = false;
};

} // namespace

FaktoryRelay::FaktoryRelay(const QHostAddress &address, quint16 port, QObject *parent)
    : QObject(parent), m_address(address), m_port(port)
{}

FaktoryRelay::~FaktoryRelay()
{
    const QSet<QObject *> connections = std::exchange(m_connections, {});
    for (QObject *connection : connections) {
        disconnect(connection, nullptr, this, nullptr);
        delete connection;
    }
}

QString FaktoryRelay::listen()
{
    m_server = new QTcpServer(this);
    connect(m_server, &QTcpServer::newConnection, this, &FaktoryRelay::handleNewConnections);
    if (!m_server->listen(m_address, m_port))
        return QStringLiteral("cannot listen for Faktory clients on %1:%2: %3")
            .arg(m_address.toString())
            .arg(m_port)
            .arg(m_server->errorString());
    m_port = m_server->serverPort();
    return {};
}

quint16 FaktoryRelay::port() const
{
    return m_port;
}

void FaktoryRelay::setLeader(const QString &address)
{
    if (address == m_leader)
        return;
    m_leader = address;
    closeConnections();
}

void FaktoryRelay::closeConnections()
{
    const QSet<QObject *> connections = m_connections;
    for (QObject *connection : connections)
        static_cast<RelayedConnection *>(connection)->end();
}

void FaktoryRelay::handleNewConnections()
{
    const qsizetype colon = m_leader.lastIndexOf(u':');
    QString host = m_leader.left(colon);
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    bool portOk = false;
    const uint port = colon > 0 ? m_leader.mid(colon + 1).toUInt(&portOk) : 0;
    const bool known = colon > 0 && portOk && port > 0 && port <= 65535;
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        if (!known) {
            socket->close(); // no leader to pass it to: the client tries again
            socket->deleteLater();
            continue;
        }
        auto *connection = new RelayedConnection(socket, host, quint16(port), this);
        m_connections.insert(connection);
        connect(connection, &QObject::destroyed, this,
                [this, connection] { m_connections.remove(connection); });
    }
}

} // namespace QueueDeck::Faktory
