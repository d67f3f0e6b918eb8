// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "httptypes.h"

#include "httpconnection.h"

#include <optional>

namespace QueueDeck::Http {

QByteArrayView reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 204:
        return "No Content";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 413:
        return "Payload Too Large";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    default:
        return "Status";
    }
}

void HttpRequest::setTarget(QByteArrayView target)
{
    const qsizetype queryAt = target.indexOf('?');
    const QByteArrayView encoded = queryAt < 0 ? target : target.first(queryAt);
    // Without a '%' the decoded path is the text itself.
    path = encoded.contains('%') ? QUrl::fromPercentEncoding(encoded.toByteArray())
                                 : QString::fromUtf8(encoded);
    query = queryAt < 0 ? QUrlQuery() : QUrlQuery(QString::fromUtf8(target.sliced(queryAt + 1)));
}

QByteArrayView HttpRequest::preference(QByteArrayView lowerCaseName) const
{
    std::optional<QByteArrayView> found;
    headers.forEachValue("prefer", [&](QByteArrayView list) {
        while (!found && !list.isEmpty()) {
            const qsizetype comma = list.indexOf(',');
            QByteArrayView item = comma < 0 ? list : list.first(comma);
            list = comma < 0 ? QByteArrayView() : list.sliced(comma + 1);
            if (const qsizetype parameters = item.indexOf(';'); parameters >= 0)
                item = item.first(parameters); // "; parameter" after the value
            const qsizetype equals = item.indexOf('=');
            const QByteArrayView name = (equals < 0 ? item : item.first(equals)).trimmed();
            if (name.compare(lowerCaseName, Qt::CaseInsensitive) != 0)
                continue;
            QByteArrayView value =
                equals < 0 ? QByteArrayView() : item.sliced(equals + 1).trimmed();
            if (value.size() >= 2 && value.startsWith('"') && value.endsWith('"'))
                value = value.sliced(1, value.size() - 2);
            found = value;
        }
    });
    return found.value_or(QByteArrayView());
}

HttpResponder::HttpResponder(HttpConnection *connection, quint64 sequence)
    : m_connection(connection), m_sequence(sequence)
{}

bool HttpResponder::isOpen() const
{
    return m_connection && m_connection->isOpen();
}

bool HttpResponder::isPending() const
{
    return m_connection && m_connection->isPending(m_sequence);
}

void HttpResponder::send(const HttpResponse &response) const
{
    if (m_connection)
        m_connection->respond(m_sequence, response);
}

void HttpResponder::send(const HttpResponse &response, std::function<void()> undelivered) const
{
    if (m_connection && m_connection->isOpen())
        m_connection->respond(m_sequence, response, std::move(undelivered));
    else if (undelivered)
        undelivered();
}

void HttpResponder::startEventStream() const
{
    if (m_connection)
        m_connection->startEventStream(m_sequence);
}

bool HttpResponder::sendEvent(const QByteArray &event, const QByteArray &data) const
{
    return m_connection && m_connection->sendEvent(m_sequence, event, data);
}

void HttpResponder::onClientGone(std::function<void()> callback) const
{
    if (m_connection)
        m_connection->onClientGone(m_sequence, std::move(callback));
    else
        callback();
}

std::pair<QByteArray, QByteArray> HttpResponder::kept() const
{
    if (!m_connection)
        return {};
    return {m_connection->kept().key, m_connection->kept().value};
}

void HttpResponder::keep(QByteArray key, QByteArray value) const
{
    if (m_connection)
        m_connection->keep({std::move(key), std::move(value)});
}

} // namespace QueueDeck::Http
