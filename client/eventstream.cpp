// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "eventstream.h"

#include "httpclientconnection.h"
#include "protocol/codec.h"

#include <QTcpSocket>
#include <QTimer>

#include <http_parser.h>

namespace QueueDeck::Client {

struct EventStream::Parser
{
    http_parser parser;
};

struct StreamCallbacks
{
    static EventStream *of(http_parser *p) { return static_cast<EventStream *>(p->data); }
    static int headersComplete(http_parser *p)
    {
        EventStream *stream = of(p);
        stream->m_status = int(p->status_code);
        if (stream->m_status == 200) {
            stream->m_connected = true;
            stream->m_retryMs = 1000;
            Q_EMIT stream->connectionChanged(true, {}, false);
        }
        return 0;
    }
    static int body(http_parser *p, const char *data, size_t length)
    {
        EventStream *stream = of(p);
        if (stream->m_status == 200)
            stream->feed(data, length);
        else
            stream->m_errorBody.append(data, qsizetype(length));
        return 0;
    }
    static int messageComplete(http_parser *p)
    {
        EventStream *stream = of(p);
        if (stream->m_status != 200) {
            const Error error = Codec::errorFromBody(stream->m_status, stream->m_errorBody);
            // A refused token or a wrong request does not get better by asking again.
            const bool refused = error.code == ErrorCode::Unauthenticated ||
                                 error.code == ErrorCode::PermissionDenied ||
                                 error.code == ErrorCode::InvalidArgument;
            stream->dropped(error.message, !refused);
        }
        return 0;
    }
    static const http_parser_settings &settings()
    {
        static const http_parser_settings s = [] {
            http_parser_settings value;
            http_parser_settings_init(&value);
            value.on_headers_complete = &headersComplete;
            value.on_body = &body;
            value.on_message_complete = &messageComplete;
            return value;
        }();
        return s;
    }
};

EventStream::EventStream(ClientOptions options, QObject *parent)
    : QObject(parent), m_options(std::move(options)), m_retryTimer(new QTimer(this)),
      m_parser(std::make_unique<Parser>())
{
    m_retryTimer->setSingleShot(true);
    connect(m_retryTimer, &QTimer::timeout, this, &EventStream::connectNow);
}

EventStream::~EventStream()
{
    m_stopped = true;
}

void EventStream::open()
{
    m_stopped = false;
    connectNow();
}

void EventStream::connectNow()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
    }
    m_socket = newSocket(
        m_options.server,
        TlsTrust{m_options.verifyTls, m_options.serverFingerprint, m_options.caFile}, this);
    m_status = 0;
    m_errorBody.clear();
    m_pending.clear();
    m_eventName.clear();
    m_eventData.clear();
    http_parser_init(&m_parser->parser, HTTP_RESPONSE);
    m_parser->parser.data = this;

    QByteArray path = m_options.server.path().toUtf8();
    while (path.endsWith('/'))
        path.chop(1);
    QByteArray request = "GET " + path + "/api/v1/events" +
                         (m_query.isEmpty() ? QByteArray() : '?' + m_query) +
                         " HTTP/1.1\r\nHost: " + m_options.server.host().toUtf8() +
                         "\r\nAccept: text/event-stream\r\n";
    if (!m_options.token.isEmpty())
        request += "Authorization: Bearer " + m_options.token.toUtf8() + "\r\n";
    request += "\r\n";
    connect(m_socket, &QTcpSocket::readyRead, this, &EventStream::handleReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this,
            [this] { dropped(QStringLiteral("the server closed the event stream"), true); });
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this] {
        if (m_socket->state() != QAbstractSocket::ConnectedState)
            dropped(socketFailure(m_socket), true);
    });
    connectSocket(m_socket, m_options.server);
    m_socket->write(request);
}

void EventStream::handleReadyRead()
{
    const QByteArray data = m_socket->readAll();
    const size_t parsed = http_parser_execute(&m_parser->parser, &StreamCallbacks::settings(),
                                              data.constData(), size_t(data.size()));
    if (HTTP_PARSER_ERRNO(&m_parser->parser) != HPE_OK || parsed != size_t(data.size()))
        dropped(QStringLiteral("the server sent a malformed event stream"), true);
}

// Server-Sent Events: "event:" and "data:" lines, a blank line ends an event.
void EventStream::feed(const char *data, size_t length)
{
    m_pending.append(data, qsizetype(length));
    qsizetype start = 0;
    qsizetype newline;
    while ((newline = m_pending.indexOf('\n', start)) >= 0) {
        QByteArray line = m_pending.mid(start, newline - start);
        start = newline + 1;
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.isEmpty()) {
            if (!m_eventData.isEmpty() || !m_eventName.isEmpty()) {
                if (m_eventData.endsWith('\n'))
                    m_eventData.chop(1);
                Q_EMIT event(m_eventName.isEmpty() ? QByteArray("message") : m_eventName,
                             m_eventData);
            }
            m_eventName.clear();
            m_eventData.clear();
        } else if (line.startsWith("event:")) {
            m_eventName = line.mid(6).trimmed();
        } else if (line.startsWith("data:")) {
            QByteArray value = line.mid(5);
            if (value.startsWith(' '))
                value.remove(0, 1);
            m_eventData.append(value).append('\n');
        } // comments (":") and other fields are ignored
    }
    m_pending.remove(0, start);
}

void EventStream::dropped(const QString &reason, bool retry)
{
    if (!m_socket)
        return;
    m_connected = false;
    m_socket->disconnect(this);
    m_socket->abort();
    m_socket->deleteLater();
    m_socket = nullptr;
    if (m_stopped)
        return;
    Q_EMIT connectionChanged(false, reason, retry);
    if (retry) {
        m_retryTimer->start(m_retryMs);
        m_retryMs = qMin(10'000, m_retryMs * 2);
    }
}

} // namespace QueueDeck::Client
