// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/nodetypes.h"
#include "queuedeckclient.h"
#include "serverlist.h"

#include <QObject>

class QTimer;

namespace QueueDeck::Ui {

// Where the window goes when the node it talks to stops answering: it remembers the live nodes
// the server listed (GET /nodes), and once the connection is lost it asks each of the others in
// turn, round-robin, whether it answers; the first that does is where the window moves
// (moveRequested). While the node it left comes back first, nothing moves. Lives on the GUI thread.
class NodeFailover final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NodeFailover)
public:
    explicit NodeFailover(QObject *parent = nullptr);
    ~NodeFailover() override;

    // The server the window connects to, with how to reach it (token, TLS trust). A server
    // other than the one followed so far starts a new list of nodes.
    void follow(const Client::ClientOptions &options);
    // The nodes the server listed: the live ones are where the window may go.
    void setNodes(const QList<NodeInfo> &nodes);
    // The window's connection to its node went down, or came back.
    void setConnected(bool connected);

    QUrl current() const { return m_servers.current(); }
    QList<QUrl> known() const { return m_servers.urls(); }
    bool isSearching() const { return m_searching; }

Q_SIGNALS:
    // The node at `to` answers while `from` does not: the window should talk to `to` now.
    void moveRequested(const QUrl &from, const QUrl &to);

private:
    void probeNext();

    Client::ClientOptions m_options;
    Client::ServerList m_servers;
    QTimer *m_delay;
    std::unique_ptr<Client::QueueDeckClient> m_probe;
    QUrl m_probing;
    qsizetype m_triedThisRound = 0;
    bool m_searching = false;
};

} // namespace QueueDeck::Ui
