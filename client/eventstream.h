// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "queuedeckclient.h"

#include <QByteArray>
#include <QObject>

#include <memory>

class QTcpSocket;
class QTimer;

namespace QueueDeck::Client {

// The server's event stream, GET /api/v1/events, on a connection of its own: `stats` each
// second; `queue`, `worker` and `task` changes; `overflow` when task changes were too many to
// send. Lives on the thread that creates it, never blocks it, and reconnects by itself (1 s, then
// up to 10 s apart) while it lives; a refused token or request ends the attempts.
class EventStream final : public QObject
{
    Q_OBJECT
public:
    explicit EventStream(ClientOptions options, QObject *parent = nullptr);
    ~EventStream() override;

    // What to read, as the query of GET /api/v1/events (e.g. "topics=stats,worker&cards=changed");
    // set before open(). Empty: every event, every card.
    void setQuery(const QByteArray &query) { m_query = query; }
    void open();
    bool isConnected() const { return m_connected; }

Q_SIGNALS:
    void event(const QByteArray &name, const QByteArray &data);
    // connected false: why, and whether it tries again.
    void connectionChanged(bool connected, const QString &reason, bool retrying);

private:
    struct Parser;
    friend struct StreamCallbacks;
    void connectNow();
    void handleReadyRead();
    void dropped(const QString &reason, bool retry);
    void feed(const char *data, size_t length);

    ClientOptions m_options;
    QByteArray m_query;
    QTcpSocket *m_socket = nullptr;
    QTimer *m_retryTimer;
    std::unique_ptr<Parser> m_parser;
    int m_status = 0;
    QByteArray m_errorBody;
    QByteArray m_pending; // stream text not yet ending in a newline
    QByteArray m_eventName;
    QByteArray m_eventData;
    bool m_connected = false;
    bool m_stopped = false;
    int m_retryMs = 1000;
};

} // namespace QueueDeck::Client
