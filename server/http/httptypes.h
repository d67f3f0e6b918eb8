// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QPointer>
#include <QUrlQuery>

#include <functional>

namespace QueueDeck::Http {

class HttpConnection;

struct HttpRequest
{
    QByteArray method; // upper case, e.g. "GET"
    QString path;      // decoded, without the query
    QUrlQuery query;
    QHash<QByteArray, QByteArray> headers; // names in lower case
    QByteArray body;
    QHostAddress peer;

    QByteArray header(const QByteArray &lowerCaseName) const
    {
        return headers.value(lowerCaseName);
    }
    // Sets path and query from the request target as sent ("/a%20b?x=1"): the path
    // percent-decoded, the query kept for QUrlQuery's decoding.
    void setTarget(const QByteArray &target);
};

struct HttpResponse
{
    int status = 200;
    QByteArray contentType = "application/json";
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
};

// Static text: nothing is allocated per answer.
QByteArrayView reasonPhrase(int status);

// The limits a server enforces while it reads, before anything is buffered past them.
struct HttpLimits
{
    qint64 maxHeaderBytes = 16 * 1024;
    qint64 maxBodyBytes = 16 * 1024 * 1024;
    int idleTimeoutMs = 60'000;    // a keep-alive connection with nothing to do
    int requestTimeoutMs = 30'000; // a request that arrives too slowly
    int maxConnections = 10'000;
    int maxPipelined = 64; // requests of one connection waiting for their answers
};

// Answers one request, now or later, from the connection's thread. Copyable; when the client has
// gone, answering does nothing and isOpen() is false. Pipelined answers go out in request order.
class HttpResponder
{
public:
    HttpResponder() = default;
    HttpResponder(HttpConnection *connection, quint64 sequence);

    bool isOpen() const;
    // The client is there and this request has no answer yet.
    bool isPending() const;
    void send(const HttpResponse &response) const;
    // As send(); `undelivered` runs if the connection fails before the answer's bytes reached the
    // operating system (the client had left), so the caller can take back what it handed out.
    void send(const HttpResponse &response, std::function<void()> undelivered) const;
    // Server-Sent Events: starts the stream (200, text/event-stream); the request never completes
    // until the client leaves. sendEvent returns false once the client is gone.
    void startEventStream() const;
    bool sendEvent(const QByteArray &event, const QByteArray &data) const;
    // Called once when the client disconnects before this request was answered.
    void onClientGone(std::function<void()> callback) const;

private:
    QPointer<HttpConnection> m_connection;
    quint64 m_sequence = 0;
};

using HttpHandler = std::function<void(const HttpRequest &, const HttpResponder &)>;

} // namespace QueueDeck::Http
