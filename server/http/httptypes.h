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

#include <cstring>
#include <functional>

namespace QueueDeck::Http {

class HttpConnection;

// The headers of one request, names in lower case, in the order they came. A request carries a
// handful: their text is kept in one block, names and values one after the other, with a short
// list of where each is; made, read and dropped with one allocation however many there are.
// A name sent twice reads as its last value, once.
class HttpHeaders
{
public:
    QByteArrayView view(QByteArrayView lowerCaseName) const
    {
        for (auto it = m_entries.crbegin(); it != m_entries.crend(); ++it) {
            if (nameOf(*it) == lowerCaseName)
                return valueOf(*it);
        }
        return {};
    }
    QByteArray value(QByteArrayView lowerCaseName) const
    {
        return view(lowerCaseName).toByteArray();
    }
    // Room for `count` headers whose names and values come to `bytes`: filled with one allocation.
    void reserve(qsizetype count, qsizetype bytes)
    {
        m_entries.reserve(count);
        if (m_text.size() < m_used + bytes)
            m_text.resize(m_used + bytes);
    }
    // No headers; the room stays for the next request's.
    void clear()
    {
        m_entries.clear();
        m_used = 0;
    }
    // A header as received; its name is kept in lower case.
    void append(QByteArrayView name, QByteArrayView value)
    {
        const qsizetype at = m_used;
        m_used += name.size() + value.size();
        if (m_text.size() < m_used)
            m_text.resize(qMax(m_used, 2 * m_text.size()));
        char *out = m_text.data() + at;
        for (const char c : name)
            *out++ = c >= 'A' && c <= 'Z' ? char(c + ('a' - 'A')) : c;
        if (!value.isEmpty())
            std::memcpy(out, value.data(), size_t(value.size()));
        m_entries.append(Entry{at, name.size(), at + name.size(), value.size()});
    }
    // Every value sent under the name, in the order they came.
    template <typename Visit> void forEachValue(QByteArrayView lowerCaseName, Visit visit) const
    {
        for (const Entry &entry : m_entries) {
            if (nameOf(entry) == lowerCaseName)
                visit(valueOf(entry));
        }
    }
    // Each name once, with the value value() reads for it (in no particular order).
    template <typename Visit> void forEach(Visit visit) const
    {
        QSet<QByteArrayView> seen;
        for (auto it = m_entries.crbegin(); it != m_entries.crend(); ++it) {
            const QByteArrayView name = nameOf(*it);
            if (!seen.contains(name)) {
                seen.insert(name);
                visit(name, valueOf(*it));
            }
        }
    }

private:
    struct Entry
    {
        qsizetype nameAt, nameSize, valueAt, valueSize;
    };
    QByteArrayView nameOf(const Entry &entry) const
    {
        return QByteArrayView(m_text).sliced(entry.nameAt, entry.nameSize);
    }
    QByteArrayView valueOf(const Entry &entry) const
    {
        return QByteArrayView(m_text).sliced(entry.valueAt, entry.valueSize);
    }

    QByteArray m_text; // the names and values, one after the other, up to m_used
    qsizetype m_used = 0;
    QVarLengthArray<Entry, 8> m_entries;
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
    QByteArrayView headerView(QByteArrayView lowerCaseName) const
    {
        return headers.view(lowerCaseName);
    }
    // The value the client asked for with `Prefer: name=value` (RFC 7240), empty when it did not:
    // names are matched without regard to case, quotes around the value dropped, and of a name
    // given more than once only the first counts.
    QByteArrayView preference(QByteArrayView lowerCaseName) const;
    // Sets path and query from the request target as sent ("/a%20b?x=1"): the path
    // percent-decoded, the query kept for QUrlQuery's decoding.
    void setTarget(QByteArrayView target);
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
