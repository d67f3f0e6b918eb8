// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "clientoptions.h"
#include "httpclientconnection.h"
#include "protocol/error.h"

#include <QFuture>
#include <QHash>
#include <QMutex>
#include <QObject>
#include <QPromise>
#include <QThread>

#include <deque>
#include <memory>
#include <optional>
#include <vector>

namespace QueueDeck::Client {

// How QueueDeckClient reaches a server: per lane a small pool of keep-alive connections, one
// request at a time on each, the token sent as Authorization: Bearer, idempotent calls retried
// with backoff on network errors and 503. Lives on a thread of its own (or, blocking, on the
// creating thread); send() and setToken() may be called from any thread. Private to the client
// library.
class ClientTransport final : public QObject
{
    Q_DISABLE_COPY_MOVE(ClientTransport)
public:
    explicit ClientTransport(ClientOptions options);
    ~ClientTransport() override;

    void setToken(const QString &token);
    QUrl server() const { return m_options.server; }

    // Sends a request (path under the server, with query) and finishes the future with a 2xx
    // answer's body or the error; GET is always idempotent.
    QFuture<Result<QByteArray>> send(QByteArray method, QString path, QByteArray body,
                                     CallOptions options);

private:
    // Connections idle longer than this are not reused: the server closes idle ones after 60 s.
    static constexpr qint64 MaxIdleMs = 45'000;
    static constexpr int MaxConnectionsPerLane = 8;

    struct Request
    {
        QByteArray method;
        QString path;
        QByteArray body;
        CallOptions options;
        int attempt = 0;
        std::shared_ptr<QPromise<Result<QByteArray>>> promise;
    };

    struct Lane
    {
        std::vector<HttpClientConnection *> connections;
        std::deque<Request> waiting;
    };

    TlsTrust trust() const;
    void start(Request request);
    // What an answer means for its request: its result, or nothing when it is to be retried.
    std::optional<Result<QByteArray>> outcome(const Request &request, HttpAnswer answer) const;
    static int retryDelayMs(int attempt) { return 100 << (2 * attempt); } // 100 ms, 400 ms, 1.6 s
    QByteArray headers(const CallOptions &options);
    void runBlocking(Request request);
    void finish(const QString &laneName, Request request, HttpAnswer answer);
    void retry(Request request);
    static void resolve(const Request &request, Result<QByteArray> result);

    QThread m_thread;
    QMutex m_mutex;
    ClientOptions m_options;
    QByteArray m_basePath;
    QHash<QString, Lane> m_lanes;
    HttpClientConnection *m_blockingConnection = nullptr; // blocking mode only
};

} // namespace QueueDeck::Client
