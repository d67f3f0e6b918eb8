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

// Whom a TLS connection trusts.
struct TlsTrust
{
    bool verify = true; // false: any certificate (the loopback connection to this very process)
    // sha256:AB:CD:… of the server's own certificate: exactly that certificate is accepted,
    // whoever signed it and whatever names it holds (the pin is stronger than both).
    QString fingerprint;
    // PEM certificates of a private CA, trusted besides the system's; the host name is checked.
    QString caFile;
};

// Whether a fingerprint and a CA file can be used (well formed, readable, not both): an error
// message saying what to change, or an empty string.
QString checkTlsTrust(const QString &fingerprint, const QString &caFile);

// A socket for the server's scheme (TLS for https, the peer verified as `trust` says).
QTcpSocket *newSocket(const QUrl &server, const TlsTrust &trust, QObject *parent);
// Why a socket failed: a refused certificate named with both fingerprints, else Qt's error text.
QString socketFailure(const QTcpSocket *socket);
// Connects it to the server's host and port, encrypted for https.
void connectSocket(QTcpSocket *socket, const QUrl &server);

struct HttpAnswer
{
    int status = 0; // 0: no answer (the connection failed)
    QByteArray body;
    QByteArray contentType;          // the Content-Type header, as sent
    QString failure;                 // why there is no answer
    bool sentAnything = false;       // whether any byte of the request may have reached the server
    bool certificateRefused = false; // the server's TLS certificate was not the trusted one
};

// One keep-alive HTTP/1.1 connection of the client: one request at a time, responses read with
// http-parser. Lives on the client's thread.
class HttpClientConnection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpClientConnection)
public:
    HttpClientConnection(const QUrl &server, const TlsTrust &trust, QObject *parent = nullptr);
    ~HttpClientConnection() override;

    bool isBusy() const { return static_cast<bool>(m_done); }
    bool isUsable() const;
    qint64 idleSinceMs() const { return m_idleSinceMs; }
    // Sends one request; done runs once with the answer or the failure.
    void send(const QByteArray &method, const QByteArray &pathAndQuery, const QByteArray &headers,
              const QByteArray &body, int timeoutMs, std::function<void(HttpAnswer)> done);
    // The same without an event loop, for a connection of the calling thread: sends, then sleeps
    // in the kernel until the answer arrives (no polling: a spinning wait costs CPU per call and
    // loses when the other core is busy).
    HttpAnswer exchange(const QByteArray &method, const QByteArray &pathAndQuery,
                        const QByteArray &headers, const QByteArray &body, int timeoutMs);

private:
    struct Parser;
    void write(const QByteArray &method, const QByteArray &pathAndQuery, const QByteArray &headers,
               const QByteArray &body, std::function<void(HttpAnswer)> done);
    QByteArray begin(const QByteArray &method, const QByteArray &pathAndQuery,
                     const QByteArray &headers, const QByteArray &body,
                     std::function<void(HttpAnswer)> done);
    bool usableDirectly() const;
    void exchangeDirectly(const QByteArray &request, int timeoutMs);
    void consume(QByteArrayView data);
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
