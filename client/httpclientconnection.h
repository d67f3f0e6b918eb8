// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QObject>
#include <QUrl>

#include <functional>
#include <memory>

class QTcpSocket;
class QTimer;

namespace QueueDeck::Client {

// A socket for the server's scheme (TLS for https, the peer verified unless told not to).
QTcpSocket *newSocket(const QUrl &server, bool verifyTls, QObject *parent);
// Connects it to the server's host and port, encrypted for https.
void connectSocket(QTcpSocket *socket, const QUrl &server);

struct HttpAnswer
{
    int status = 0; // 0: no answer (the connection failed)
    QByteArray body;
    QString failure;           // why there is no answer
    bool sentAnything = false; // whether any byte of the request may have reached the server
};

// One keep-alive HTTP/1.1 connection of the client: one request at a time, responses read with
// http-parser. Lives on the client's thread.
class HttpClientConnection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpClientConnection)
public:
    HttpClientConnection(const QUrl &server, bool verifyTls, QObject *parent = nullptr);
    ~HttpClientConnection() override;

    bool isBusy() const { return static_cast<bool>(m_done); }
    bool isUsable() const;
    qint64 idleSinceMs() const { return m_idleSinceMs; }
    // Sends one request; done runs once with the answer or the failure.
    void send(const QByteArray &method, const QByteArray &pathAndQuery, const QByteArray &headers,
              const QByteArray &body, int timeoutMs, std::function<void(HttpAnswer)> done);
    // The same without an event loop, for a connection of the calling thread: sends and waits,
    // polling the socket for up to spinUs before sleeping in the kernel.
    HttpAnswer exchange(const QByteArray &method, const QByteArray &pathAndQuery,
                        const QByteArray &headers, const QByteArray &body, int timeoutMs,
                        int spinUs);

private:
    struct Parser;
    void write(const QByteArray &method, const QByteArray &pathAndQuery, const QByteArray &headers,
               const QByteArray &body, std::function<void(HttpAnswer)> done);
    friend struct ResponseCallbacks;
    void handleReadyRead();
    void fail(const QString &reason);
    void complete();

    QUrl m_server;
    QTcpSocket *m_socket;
    QTimer *m_timer;
    std::unique_ptr<Parser> m_parser;
    std::function<void(HttpAnswer)> m_done;
    HttpAnswer m_answer;
    bool m_keepAlive = true;
    bool m_messageComplete = false;
    qint64 m_idleSinceMs = 0;
};

} // namespace QueueDeck::Client
