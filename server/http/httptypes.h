// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QPointer>
#include <QSet>
#include <QUrlQuery>
#include <QVarLengthArray>

#include <functional>

namespace QueueDeck::Http {

class HttpConnection;

// The headers of one request, names in lower case, in the order they came. A request carries a
// handful: a flat list costs less to fill, read and drop than a hash table made for each request.
// A name sent twice reads as its last value, once.
class HttpHeaders
{
public:
    QByteArray value(QByteArrayView lowerCaseName) const
    {
        for (auto it = m_items.crbegin(); it != m_items.crend(); ++it) {
            if (it->first == lowerCaseName)
                return it->second;
        }
        return {};
    }
    void append(QByteArray lowerCaseName, QByteArray value)
    {
        m_items.append({std::move(lowerCaseName), std::move(value)});
    }
    // Every value sent under the name, in the order they came.
    template <typename Visit> void forEachValue(QByteArrayView lowerCaseName, Visit visit) const
    {
        for (const auto &item : m_items) {
            if (item.first == lowerCaseName)
                visit(item.second);
        }
    }
    // Each name once, with the value value() reads for it (in no particular order).
    template <typename Visit> void forEach(Visit visit) const
    {
        QSet<QByteArrayView> seen;
        for (auto it = m_items.crbegin(); it != m_items.crend(); ++it) {
            if (!seen.contains(it->first)) {
                seen.insert(it->first);
                visit(it->first, it->second);
            }
        }
    }

private:
    QVarLengthArray<std::pair<QByteArray, QByteArray>, 8> m_items;
};

struct HttpRequest
{
    QByteArray method; // upper case, e.g. "GET"
    QString path;      // decoded, without the query
    QUrlQuery query;
    HttpHeaders headers;
    QByteArray body;
    QHostAddress peer;

    QByteArray header(QByteArrayView lowerCaseName) const { return headers.value(lowerCaseName); }
    // The value the client asked for with `Prefer: name=value` (RFC 7240), empty when it did not:
    // names are matched without regard to case, quotes around the value dropped, and of a name
    // given more than once only the first counts.
    QByteArray preference(QByteArrayView lowerCaseName) const;
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
    // A value kept on the request's connection with what it was derived from, for its later
    // requests (HttpConnection::kept): empty once the connection is gone.
    std::pair<QByteArray, QByteArray> kept() const;
    void keep(QByteArray key, QByteArray value) const;

private:
    QPointer<HttpConnection> m_connection;
    quint64 m_sequence = 0;
};

using HttpHandler = std::function<void(const HttpRequest &, const HttpResponder &)>;

} // namespace QueueDeck::Http
