// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QHostAddress>
#include <QObject>
#include <QSet>

class QTcpServer;

namespace QueueDeck::Faktory {

// A follower's Faktory listener in a cluster (docs/design/scale-out.md): each connection accepted
// is passed through to the leader's Faktory listener byte for byte, both ways, so the handshake,
// the password check and TLS (when the nodes serve it) are the leader's. A connection ends on both
// sides when either side closes it, and every connection ends when the leader changes: Faktory
// clients reconnect. While no leader is known, or the leader cannot be reached, a connection is
// closed as soon as it is accepted. Each direction holds at most 256 KiB in flight: a side that
// reads slowly slows the other down.
//
// Thread affinity: created and used on one thread.
class FaktoryRelay final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FaktoryRelay)
public:
    FaktoryRelay(const QHostAddress &address, quint16 port, QObject *parent = nullptr);
    ~FaktoryRelay() override; // closes every connection

    // Listens; an error message, or empty.
    QString listen();
    quint16 port() const;
    // host:port of the leader's Faktory listener (empty: none known). A change ends the
    // connections passed through to the previous one.
    void setLeader(const QString &address);
    QString leader() const { return m_leader; }
    int connections() const { return int(m_connections.size()); }

private:
    void handleNewConnections();
    void closeConnections();

    QHostAddress m_address;
    quint16 m_port;
    QTcpServer *m_server = nullptr;
    QString m_leader;
    QSet<QObject *> m_connections; // each one client's socket and its socket to the leader
};

} // namespace QueueDeck::Faktory
