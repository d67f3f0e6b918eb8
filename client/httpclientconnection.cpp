// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "httpclientconnection.h"

#include "protocol/fingerprint.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QElapsedTimer>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QThread>
#include <QTimer>

#include <http_parser.h>

#include <cerrno>
#include <optional>
#include <poll.h>
#include <sys/socket.h>

namespace QueueDeck::Client {

namespace {

// A socket's own explanation of a refused certificate (set by the verification below).
constexpr const char *RefusalProperty = "queuedeckTlsRefusal";

} // namespace

struct HttpClientConnection::Parser
{
    http_parser parser;
    // The header being read: its name so far, and whether its value is the Content-Type.
    QByteArray field;
    bool readingValue = false;
    bool contentType = false;
};

struct ResponseCallbacks
{
    static HttpClientConnection *of(http_parser *p)
    {
        return static_cast<HttpClientConnection *>(p->data);
    }
    static int body(http_parser *p, const char *data, size_t length)
    {
        of(p)->m_answer.body.append(data, qsizetype(length));
        return 0;
    }
    static int headerField(http_parser *p, const char *data, size_t length)
    {
        HttpClientConnection::Parser &parser = *of(p)->m_parser;
        if (parser.readingValue) {
            parser.field.clear();
            parser.readingValue = false;
        }
        parser.field.append(data, qsizetype(length));
        return 0;
    }
    static int headerValue(http_parser *p, const char *data, size_t length)
    {
        HttpClientConnection::Parser &parser = *of(p)->m_parser;
        if (!parser.readingValue) {
            parser.readingValue = true;
            parser.contentType = parser.field.compare("content-type", Qt::CaseInsensitive) == 0;
        }
        if (parser.contentType)
            of(p)->m_answer.contentType.append(data, qsizetype(length));
        return 0;
    }
    static int headersComplete(http_parser *p)
    {
        of(p)->m_answer.status = int(p->status_code);
        of(p)->m_keepAlive = http_should_keep_alive(p) != 0;
        return 0;
    }
    static int messageComplete(http_parser *p)
    {
        of(p)->m_messageComplete = true;
        return 0;
    }
    static const http_parser_settings &settings()
    {
        static const http_parser_settings s = [] {
            http_parser_settings value;
            http_parser_settings_init(&value);
            value.on_header_field = &headerField;
            value.on_header_value = &headerValue;
            value.on_headers_complete = &headersComplete;
            value.on_body = &body;
            value.on_message_complete = &messageComplete;
            return value;
        }();
        return s;
    }
};

QString checkTlsTrust(const QString &fingerprint, const QString &caFile)
{
    if (!fingerprint.isEmpty() && !caFile.isEmpty())
        return QStringLiteral("give either a server fingerprint or a CA file, not both");
    if (!fingerprint.isEmpty()) {
        if (auto digest = Fingerprint::parse(fingerprint); !digest)
            return digest.error().message;
    }
    if (!caFile.isEmpty() && QSslCertificate::fromPath(caFile, QSsl::Pem).isEmpty())
        return QStringLiteral("the CA file %1 holds no PEM certificate (or cannot be read)")
            .arg(caFile);
    return {};
}

QTcpSocket *newSocket(const QUrl &server, const TlsTrust &trust, QObject *parent)
{
    if (server.scheme() != u"https")
        return new QTcpSocket(parent);
    auto *socket = new QSslSocket(parent);
    if (!trust.verify) {
        socket->setPeerVerifyMode(QSslSocket::VerifyNone);
        return socket;
    }
    if (!trust.caFile.isEmpty()) {
        QSslConfiguration configuration = socket->sslConfiguration();
        QList<QSslCertificate> authorities = configuration.caCertificates();
        const auto extra = QSslCertificate::fromPath(trust.caFile, QSsl::Pem);
        if (extra.isEmpty())
            socket->setProperty(RefusalProperty,
                                QStringLiteral("the CA file %1 holds no PEM certificate (or cannot "
                                               "be read)")
                                    .arg(trust.caFile));
        authorities.append(extra);
        configuration.setCaCertificates(authorities);
        socket->setSslConfiguration(configuration);
    }
    if (trust.fingerprint.isEmpty())
        return socket;
    // Pinned: no authority is trusted, so every certificate raises errors, and the handshake goes
    // on only when the server's own certificate is the pinned one. Nothing is sent before that.
    const auto pinned = Fingerprint::parse(trust.fingerprint);
    QSslConfiguration configuration = socket->sslConfiguration();
    configuration.setCaCertificates({});
    socket->setSslConfiguration(configuration);
    QObject::connect(
        socket, &QSslSocket::sslErrors, socket,
        [socket, pinned, expected = trust.fingerprint](const QList<QSslError> &errors) {
            const QSslCertificate presented = socket->peerCertificate();
            const QByteArray digest =
                QCryptographicHash::hash(presented.toDer(), QCryptographicHash::Sha256);
            if (pinned && !presented.isNull() && digest == *pinned) {
                socket->ignoreSslErrors(errors);
                return;
            }
            socket->setProperty(
                RefusalProperty,
                QStringLiteral("refused the server's TLS certificate: it is %1, but "
                               "the pinned fingerprint is %2; if the server made a "
                               "new certificate, copy the connect command again")
                    .arg(presented.isNull() ? QStringLiteral("missing")
                                            : Fingerprint::format(digest),
                         pinned ? Fingerprint::format(*pinned) : expected));
        });
    return socket;
}

QString socketFailure(const QTcpSocket *socket)
{
    const QString refusal = socket->property(RefusalProperty).toString();
    return refusal.isEmpty() ? socket->errorString() : refusal;
}

void connectSocket(QTcpSocket *socket, const QUrl &server)
{
    auto *tls = qobject_cast<QSslSocket *>(socket);
    const quint16 port = quint16(server.port(tls ? 443 : 80));
    if (tls)
        tls->connectToHostEncrypted(server.host(), port);
    else
        socket->connectToHost(server.host(), port);
}

HttpClientConnection::HttpClientConnection(const QUrl &server, const TlsTrust &trust,
                                           QObject *parent)
    : QObject(parent), m_server(server), m_timer(new QTimer(this)),
      m_parser(std::make_unique<Parser>())
{
    m_socket = newSocket(server, trust, this);
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, [this] { fail(QStringLiteral("no answer in time")); });
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpClientConnection::handleReadyRead);
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        // A timeout is how a blocking wait that is not over yet ends, not a failure.
        if (error != QAbstractSocket::SocketTimeoutError && m_done && !m_messageComplete)
            fail(socketFailure(m_socket));
    });
    connect(m_socket, &QTcpSocket::disconnected, this, [this] {
        if (m_done && !m_messageComplete)
            fail(QStringLiteral("the server closed the connection"));
    });
    connectSocket(m_socket, server);
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_idleSinceMs = QDateTime::currentMSecsSinceEpoch();
}

HttpClientConnection::~HttpClientConnection() = default;

bool HttpClientConnection::isUsable() const
{
    const auto state = m_socket->state();
    return m_keepAlive &&
           (state == QAbstractSocket::ConnectedState || state == QAbstractSocket::ConnectingState ||
            state == QAbstractSocket::HostLookupState);
}

void HttpClientConnection::send(const QByteArray &method, const QByteArray &pathAndQuery,
                                const QByteArray &headers, const QByteArray &body, int timeoutMs,
                                std::function<void(HttpAnswer)> done)
{
    write(method, pathAndQuery, headers, body, std::move(done));
    m_timer->start(timeoutMs);
}

void HttpClientConnection::write(const QByteArray &method, const QByteArray &pathAndQuery,
                                 const QByteArray &headers, const QByteArray &body,
                                 std::function<void(HttpAnswer)> done)
{
    const QByteArray request = begin(method, pathAndQuery, headers, body, std::move(done));
    m_socket->write(request);
    if (m_socket->state() == QAbstractSocket::ConnectedState)
        m_socket->flush();
}

// Readies the connection for one answer to `done` and returns the request's text.
QByteArray HttpClientConnection::begin(const QByteArray &method, const QByteArray &pathAndQuery,
                                       const QByteArray &headers, const QByteArray &body,
                                       std::function<void(HttpAnswer)> done)
{
    m_done = std::move(done);
    m_answer = HttpAnswer{};
    m_messageComplete = false;
    http_parser_init(&m_parser->parser, HTTP_RESPONSE);
    m_parser->field.clear();
    m_parser->readingValue = false;
    m_parser->contentType = false;
    m_parser->parser.data = this;
    QByteArray request;
    request.reserve(pathAndQuery.size() + headers.size() + body.size() + 96);
    request.append(method).append(' ').append(pathAndQuery).append(" HTTP/1.1\r\nHost: ");
    request.append(m_server.host().toUtf8()).append("\r\n").append(headers);
    request.append("Content-Length: ")
        .append(QByteArray::number(body.size()))
        .append("\r\n\r\n")
        .append(body);
    // Written once connected (Qt buffers until then); anything written may have reached the server.
    m_answer.sentAnything = true;
    return request;
}

// A plain connection that is up, with nothing buffered in Qt either way, is used through its
// descriptor: one send(), then the kernel wakes the thread when the answer is there. Qt's own
// blocking waits do the same with a read buffer, a signal and a slot per answer on top.
bool HttpClientConnection::usableDirectly() const
{
    return !qobject_cast<const QSslSocket *>(m_socket) &&
           m_socket->state() == QAbstractSocket::ConnectedState && m_socket->bytesToWrite() == 0 &&
           m_socket->bytesAvailable() == 0 && m_socket->socketDescriptor() >= 0;
}

void HttpClientConnection::exchangeDirectly(const QByteArray &request, int timeoutMs)
{
    const int descriptor = int(m_socket->socketDescriptor());
    QElapsedTimer clock;
    clock.start();
    // Sleeps until the descriptor is ready for `events`; false when the time is up or it failed.
    auto await = [&](short events) {
        Q_FOREVER
        {
            const qint64 leftMs = timeoutMs - clock.elapsed();
            if (leftMs <= 0) {
                fail(QStringLiteral("no answer in time"));
                return false;
            }
            pollfd ready{descriptor, events, 0};
            const int count = ::poll(&ready, 1, int(leftMs));
            if (count > 0)
                return true;
            if (count < 0 && errno != EINTR) {
                fail(qt_error_string(errno));
                return false;
            }
        }
    };
    qsizetype sent = 0;
    while (sent < request.size()) {
        const ssize_t count = ::send(descriptor, request.constData() + sent,
                                     size_t(request.size() - sent), MSG_NOSIGNAL);
        if (count >= 0)
            sent += count;
        else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            if (!await(POLLOUT))
                return;
        } else if (errno != EINTR) {
            fail(qt_error_string(errno));
            return;
        }
    }
    char buffer[16 * 1024];
    while (m_done) {
        if (!await(POLLIN))
            return;
        const ssize_t count = ::recv(descriptor, buffer, sizeof buffer, 0);
        if (count > 0)
            consume(QByteArrayView(buffer, count));
        else if (count == 0)
            fail(QStringLiteral("the server closed the connection"));
        else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            fail(qt_error_string(errno));
    }
}

HttpAnswer HttpClientConnection::exchange(const QByteArray &method, const QByteArray &pathAndQuery,
                                          const QByteArray &headers, const QByteArray &body,
                                          int timeoutMs)
{
    std::optional<HttpAnswer> answer;
    auto done = [&answer](HttpAnswer received) { answer = std::move(received); };
    // No timer here (the thread may run no event loop): the deadlines below take its place.
    if (usableDirectly()) {
        exchangeDirectly(begin(method, pathAndQuery, headers, body, std::move(done)), timeoutMs);
        return std::move(*answer);
    }
    write(method, pathAndQuery, headers, body, std::move(done));
    QElapsedTimer clock;
    clock.start();
    // A wait of 0 ms on a connection still being set up would give the attempt up.
    const auto state = m_socket->state();
    if (state == QAbstractSocket::HostLookupState || state == QAbstractSocket::ConnectingState) {
        auto *tls = qobject_cast<QSslSocket *>(m_socket);
        const bool ready =
            tls ? tls->waitForEncrypted(timeoutMs) : m_socket->waitForConnected(timeoutMs);
        if (!ready && !answer)
            fail(socketFailure(m_socket));
    }
    while (!answer) {
        const qint64 leftMs = timeoutMs - clock.elapsed();
        if (leftMs <= 0) {
            fail(QStringLiteral("no answer in time"));
            break;
        }
        // readyRead, and with it the parser, runs inside the wait.
        if (!m_socket->waitForReadyRead(int(leftMs)) && !answer &&
            m_socket->state() != QAbstractSocket::ConnectedState) {
            fail(m_socket->errorString().isEmpty()
                     ? QStringLiteral("the server closed the connection")
                     : socketFailure(m_socket));
        }
    }
    return std::move(*answer);
}

void HttpClientConnection::handleReadyRead()
{
    consume(m_socket->readAll());
}

void HttpClientConnection::consume(QByteArrayView data)
{
    if (!m_done)
        return; // nothing asked: stray bytes; the connection is not reused
    const size_t parsed = http_parser_execute(&m_parser->parser, &ResponseCallbacks::settings(),
                                              data.constData(), size_t(data.size()));
    if (HTTP_PARSER_ERRNO(&m_parser->parser) != HPE_OK || parsed != size_t(data.size())) {
        fail(QStringLiteral("the server sent a malformed HTTP response: %1")
                 .arg(QString::fromLatin1(
                     http_errno_description(HTTP_PARSER_ERRNO(&m_parser->parser)))));
        return;
    }
    if (m_messageComplete)
        complete();
}

void HttpClientConnection::complete()
{
    m_timer->stop();
    m_idleSinceMs = QDateTime::currentMSecsSinceEpoch();
    auto done = std::exchange(m_done, {});
    HttpAnswer answer = std::move(m_answer);
    if (!m_keepAlive)
        m_socket->disconnectFromHost();
    done(std::move(answer));
}

void HttpClientConnection::fail(const QString &reason)
{
    if (!m_done)
        return;
    // Taken first: abort() emits disconnected at once, which would fail the request again.
    auto done = std::exchange(m_done, {});
    m_timer->stop();
    m_keepAlive = false; // never reused
    m_socket->abort();
    HttpAnswer answer;
    answer.failure = reason;
    answer.sentAnything = m_answer.sentAnything;
    answer.certificateRefused = !m_socket->property(RefusalProperty).toString().isEmpty();
    done(std::move(answer));
}

} // namespace QueueDeck::Client
