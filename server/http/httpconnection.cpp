// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "httpconnection.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QSocketNotifier>
#include <QTcpSocket>
#include <QTimer>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcHttp, "queuedeck.http", QtInfoMsg) // debug: on request

namespace QueueDeck::Http {

namespace {

qint64 steadyMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

QByteArray errorBody(const QByteArray &code, const QByteArray &message)
{
    const QJsonObject error{{QStringLiteral("code"), QString::fromLatin1(code)},
                            {QStringLiteral("message"), QString::fromUtf8(message)},
                            {QStringLiteral("details"), QJsonObject()}};
    return QJsonDocument(QJsonObject{{QStringLiteral("error"), error}})
        .toJson(QJsonDocument::Compact);
}

// The status line and headers, handed to `put` piece by piece: once to count them and once to
// write them, so that an answer is put together in one block of the size it needs.
template <typename Put> void putHead(const HttpResponse &response, bool keepAlive, Put put)
{
    char status[12];
    char length[24];
    put("HTTP/1.1 ");
    put(QByteArrayView(status, std::to_chars(status, status + sizeof status, response.status).ptr));
    put(" ");
    put(reasonPhrase(response.status));
    put("\r\n");
    if (!response.contentType.isEmpty()) {
        put("Content-Type: ");
        put(response.contentType);
        put("\r\n");
    }
    put("Content-Length: ");
    put(QByteArrayView(length,
                       std::to_chars(length, length + sizeof length, response.body.size()).ptr));
    put("\r\n");
    for (const auto &[name, value] : response.headers) {
        put(name);
        put(": ");
        put(value);
        put("\r\n");
    }
    if (!keepAlive)
        put("Connection: close\r\n");
    put("\r\n");
}

QByteArray serialize(const HttpResponse &response, bool keepAlive)
{
    qsizetype headSize = 0;
    putHead(response, keepAlive, [&headSize](QByteArrayView bytes) { headSize += bytes.size(); });
    QByteArray out(headSize + response.body.size(), Qt::Uninitialized);
    char *at = out.data();
    putHead(response, keepAlive, [&at](QByteArrayView bytes) {
        std::memcpy(at, bytes.data(), size_t(bytes.size()));
        at += bytes.size();
    });
    if (!response.body.isEmpty())
        std::memcpy(at, response.body.constData(), size_t(response.body.size()));
    return out;
}

} // namespace

HttpConnection::HttpConnection(QTcpSocket *socket, const HttpLimits &limits, HttpHandler handler,
                               QObject *parent)
    : QObject(parent), m_socket(socket), m_peer(socket->peerAddress()), m_limits(limits),
      m_handler(std::move(handler)), m_reader({limits.maxHeaderBytes, limits.maxBodyBytes}),
      m_timer(new QTimer(this))
{
    m_socket->setParent(this);
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::handleReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &HttpConnection::handleDisconnected);
    connect(m_socket, &QTcpSocket::bytesWritten, this, [this](qint64 bytes) {
        m_flushedBytes += bytes;
        while (!m_watches.empty() && m_watches.front().endOffset <= m_flushedBytes)
            m_watches.pop_front();
    });
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this] {
        if (m_socket->state() != QAbstractSocket::ConnectedState)
            handleDisconnected();
    });
    start();
    if (m_socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &HttpConnection::handleReadyRead, Qt::QueuedConnection);
}

HttpConnection::HttpConnection(int descriptor, const HttpLimits &limits, HttpHandler handler,
                               QObject *parent)
    : QObject(parent), m_descriptor(descriptor), m_limits(limits), m_handler(std::move(handler)),
      m_reader({limits.maxHeaderBytes, limits.maxBodyBytes}), m_timer(new QTimer(this))
{
    const int flags = ::fcntl(m_descriptor, F_GETFL);
    if (flags < 0 || ::fcntl(m_descriptor, F_SETFL, flags | O_NONBLOCK) < 0)
        qCWarning(lcHttp) << "cannot make a connection non-blocking:" << strerror(errno);
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getpeername(m_descriptor, reinterpret_cast<sockaddr *>(&address), &length) == 0)
        m_peer.setAddress(reinterpret_cast<const sockaddr *>(&address));
    m_readable = new QSocketNotifier(m_descriptor, QSocketNotifier::Read, this);
    connect(m_readable, &QSocketNotifier::activated, this, &HttpConnection::handleReadable);
    start();
}

void HttpConnection::start()
{
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &HttpConnection::handleTimeout);
    setDeadline(m_limits.requestTimeoutMs);
}

// Moves the connection's deadline (the request's or the idle one) without restarting the timer
// per request: the timer is only ever armed for at most the shorter of the two limits, so it is
// due no later than any deadline set after it; when it fires before the deadline it is armed
// again for what is left. (It was restarted twice per request.)
void HttpConnection::setDeadline(int ms)
{
    const qint64 now = steadyMs();
    m_deadlineMs = now + ms;
    if (m_timer->isActive() && m_timerDueMs <= m_deadlineMs)
        return;
    const qint64 wait = qMin<qint64>(ms, qMin(m_limits.requestTimeoutMs, m_limits.idleTimeoutMs));
    m_timerDueMs = now + qMax<qint64>(0, wait);
    m_timer->start(int(qMax<qint64>(0, wait)));
}

HttpConnection::~HttpConnection()
{
    m_open = false;
    closeDescriptor();
}

void HttpConnection::handleReadyRead()
{
    if (!m_open)
        return;
    readAvailable();
    parseBuffered();
}

// Appends what the socket holds to m_buffer, allocating only that much. (QIODevice::readAll()
// sizes its result by the device's 16 KiB read chunk and keeps that capacity: one such block per
// read of a few hundred bytes, mostly untouched, left the heap sparse and growing in resident
// size under many short connections.)
void HttpConnection::readAvailable()
{
    const qint64 available = m_socket->bytesAvailable();
    if (available <= 0)
        return;
    const qsizetype before = m_buffer.size();
    m_buffer.resize(before + qsizetype(available));
    const qint64 read = m_socket->read(m_buffer.data() + before, available);
    m_buffer.truncate(before + qsizetype(qMax<qint64>(0, read)));
}

// The descriptor is readable: reads what the kernel holds into m_buffer (only what arrived is
// allocated there) and parses it. A read shorter than the chunk emptied the kernel's buffer, so
// no further read waits for EAGAIN; the notifier reports what arrives later.
void HttpConnection::handleReadable()
{
    char chunk[32 * 1024];
    ssize_t got;
    do {
        got = ::read(m_descriptor, chunk, sizeof chunk);
        if (got > 0 && !m_closing) // once closing, what else arrives is not read any more
            m_buffer.append(chunk, qsizetype(got));
    } while (got == ssize_t(sizeof chunk) || (got < 0 && errno == EINTR));
    const bool failed = got < 0 && errno != EAGAIN && errno != EWOULDBLOCK;
    parseBuffered();
    if (got == 0)
        handleEndOfInput();
    else if (failed)
        handleDisconnected(); // reset by the client
}

// The client ended its input: closed, or shut its sending side down (shutdown(SHUT_WR)) after a
// request and still waits for the answer. Answers owed and bytes not yet written still go out,
// then the connection closes; what ends when a client leaves (event streams, parked long-polls)
// ends now. A client that closed for good makes the next write fail, which ends the rest.
void HttpConnection::handleEndOfInput()
{
    if (!m_open)
        return;
    m_readable->setEnabled(false);
    m_inputEnded = true;
    m_inMessage = false; // a request cut short is dropped
    std::deque<Slot> gone;
    std::deque<Slot> owed;
    for (Slot &slot : m_slots) {
        if (!slot.streaming && slot.goneCallbacks.empty())
            owed.push_back(std::move(slot));
        else
            gone.push_back(std::move(slot));
    }
    m_slots.swap(owed);
    for (Slot &slot : gone) {
        for (auto &callback : slot.goneCallbacks)
            callback();
        if (slot.undelivered)
            slot.undelivered();
    }
    if (m_slots.empty())
        close();
}

void HttpConnection::queueOutput(QByteArray bytes)
{
    m_queuedBytes += bytes.size();
    if (m_socket)
        m_socket->write(bytes);
    else if (m_unsent.isEmpty())
        m_unsent = std::move(bytes);
    else
        m_unsent.append(bytes);
}

// Hands m_unsent to the kernel; what it does not take waits for the write notifier. A client
// that reset the connection is gone.
void HttpConnection::writeUnsent()
{
    while (m_unsentAt < m_unsent.size()) {
        const ssize_t sent = ::send(m_descriptor, m_unsent.constData() + m_unsentAt,
                                    size_t(m_unsent.size() - m_unsentAt), MSG_NOSIGNAL);
        if (sent < 0 && errno == EINTR)
            continue;
        if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (!m_writable) {
                m_writable = new QSocketNotifier(m_descriptor, QSocketNotifier::Write, this);
                connect(m_writable, &QSocketNotifier::activated, this,
                        &HttpConnection::writeUnsent);
            }
            m_writable->setEnabled(true);
            return;
        }
        if (sent < 0) {
            handleDisconnected();
            return;
        }
        m_unsentAt += sent;
        m_flushedBytes += sent;
        while (!m_watches.empty() && m_watches.front().endOffset <= m_flushedBytes)
            m_watches.pop_front();
    }
    m_unsent = QByteArray();
    m_unsentAt = 0;
    if (m_writable)
        m_writable->setEnabled(false);
    if (m_closeWhenSent) {
        closeDescriptor();
        handleDisconnected();
    }
}

void HttpConnection::closeDescriptor()
{
    if (m_descriptor < 0)
        return;
    delete m_readable;
    m_readable = nullptr;
    delete m_writable;
    m_writable = nullptr;
    ::close(m_descriptor);
    m_descriptor = -1;
}

void HttpConnection::parseBuffered()
{
    qsizetype used = 0; // bytes of m_buffer read
    // Too many answers outstanding: leave the rest unread until some are sent.
    while (m_open && !m_closing && int(m_slots.size()) < m_limits.maxPipelined &&
           (used < m_buffer.size() || m_reader.hasStepDue())) {
        qsizetype stepUsed = 0;
        const auto step = m_reader.read(QByteArrayView(m_buffer).sliced(used), &stepUsed);
        used += stepUsed;
        if (step == HttpRequestReader::Step::NeedMore)
            break;
        switch (step) {
        case HttpRequestReader::Step::Head:
            beginRequest();
            break;
        case HttpRequestReader::Step::Body:
            m_request.body.append(m_reader.body());
            break;
        case HttpRequestReader::Step::End:
            completeRequest();
            break;
        default: {
            const auto &failure = m_reader.failure();
            failRequest(failure.status, failure.code, failure.message);
            return;
        }
        }
    }
    if (m_closing) {
        m_buffer = QByteArray(); // nothing after the last request is read (failRequest's too)
        return;
    }
    consumeBuffered(used);
    // A request begins with its first byte, and keeps the deadline set then: trickling bytes do
    // not extend it.
    if (m_open && !m_inMessage && m_reader.inRequest()) {
        m_inMessage = true;
        setDeadline(m_limits.requestTimeoutMs);
    }
    if (m_open && !m_inMessage && m_slots.empty())
        setDeadline(m_limits.idleTimeoutMs);
}

void HttpConnection::consumeBuffered(qsizetype used)
{
    // Once all is read the block is released: an idle keep-alive connection holds no buffer,
    // and one large request does not leave its size allocated for the connection's lifetime.
    if (used >= m_buffer.size())
        m_buffer = QByteArray();
    else if (used > 0)
        m_buffer.remove(0, used);
}

// Methods the API serves, as static text: a request's method is not allocated.
QByteArray HttpConnection::methodText(QByteArrayView method)
{
    static const char *const known[] = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"};
    for (const char *text : known) {
        if (method == text)
            return QByteArray::fromRawData(text, qsizetype(std::strlen(text)));
    }
    return method.toByteArray();
}

void HttpConnection::beginRequest()
{
    const HttpRequestReader::Head &head = m_reader.head();
    if (!m_inMessage) {
        m_inMessage = true;
        setDeadline(m_limits.requestTimeoutMs);
    }
    // The last request's fields are replaced one by one: a fresh HttpRequest would allocate an
    // address only to drop it for the connection's, and give up the headers' room.
    m_request.peer = m_peer;
    m_request.method = methodText(head.method);
    m_request.setTarget(head.target);
    m_request.headers.clear();
    m_request.body.clear();
    m_request.headers.reserve(head.fields.size(), head.fieldBytes);
    for (const auto &field : head.fields)
        m_request.headers.append(field.name, field.value);
    m_keepAlive = head.keepAlive;
    if (head.contentLength > 0)
        m_request.body.reserve(qsizetype(head.contentLength));
}

void HttpConnection::completeRequest()
{
    m_inMessage = false;
    Slot slot;
    slot.sequence = m_nextSequence++;
    slot.closeAfter = !m_keepAlive;
    m_slots.push_back(std::move(slot));
    const quint64 sequence = m_slots.back().sequence;
    m_handler(m_request, HttpResponder(this, sequence));
    if (!m_keepAlive)
        m_closing = true; // nothing after this request is read
}

bool HttpConnection::isPending(quint64 sequence)
{
    const Slot *slot = findSlot(sequence);
    return m_open && slot && !slot->ready && !slot->streaming;
}

qint64 HttpConnection::bytesToWrite() const
{
    if (!m_open)
        return 0;
    return m_socket ? m_socket->bytesToWrite() : m_unsent.size() - m_unsentAt;
}

HttpConnection::Slot *HttpConnection::findSlot(quint64 sequence)
{
    for (Slot &slot : m_slots) {
        if (slot.sequence == sequence)
            return &slot;
    }
    return nullptr;
}

void HttpConnection::respond(quint64 sequence, const HttpResponse &response,
                             std::function<void()> undelivered)
{
    Slot *slot = findSlot(sequence);
    if (!m_open || !slot || slot->ready || slot->streaming) {
        if (undelivered)
            undelivered();
        return;
    }
    slot->bytes = serialize(response, !slot->closeAfter);
    slot->ready = true;
    slot->undelivered = std::move(undelivered);
    slot->goneCallbacks.clear();
    flush();
}

void HttpConnection::startEventStream(quint64 sequence)
{
    Slot *slot = findSlot(sequence);
    if (!m_open || !slot || slot->ready || slot->streaming)
        return;
    slot->streaming = true;
    slot->bytes =
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
        "Connection: keep-alive\r\n\r\n";
    flush();
}

bool HttpConnection::sendEvent(quint64 sequence, const QByteArray &event, const QByteArray &data)
{
    Slot *slot = findSlot(sequence);
    if (!m_open || !slot || !slot->streaming)
        return false;
    QByteArray frame;
    if (!event.isEmpty())
        frame.append("event: ").append(event).append('\n');
    for (const QByteArray &line : data.split('\n'))
        frame.append("data: ").append(line).append('\n');
    frame.append('\n');
    slot->bytes.append(frame);
    flush();
    return m_open;
}

void HttpConnection::onClientGone(quint64 sequence, std::function<void()> callback)
{
    Slot *slot = findSlot(sequence);
    if (!m_open || !slot) {
        callback();
        return;
    }
    slot->goneCallbacks.push_back(std::move(callback));
}

void HttpConnection::flush()
{
    const qint64 queuedBefore = m_queuedBytes;
    while (m_open && !m_slots.empty()) {
        Slot &front = m_slots.front();
        if (m_inputEnded && front.ready && front.undelivered) {
            // Not trusted to a client that may not read any more: given back.
            std::exchange(front.undelivered, {})();
            front.bytes.clear();
        }
        if (!front.bytes.isEmpty())
            queueOutput(std::exchange(front.bytes, {}));
        if (front.ready && front.undelivered)
            m_watches.push_back(DeliveryWatch{m_queuedBytes, std::exchange(front.undelivered, {})});
        if (front.streaming || !front.ready)
            break; // a stream or an answer still to come holds the answers behind it
        const bool closeAfter = front.closeAfter;
        m_slots.pop_front();
        if (closeAfter || (m_inputEnded && m_slots.empty())) {
            close();
            return;
        }
    }
    // Hand the bytes to the kernel now rather than on the next turn of the event loop.
    if (m_open && m_queuedBytes != queuedBefore) {
        if (m_socket)
            m_socket->flush();
        else
            writeUnsent();
    }
    if (m_open && !m_buffer.isEmpty() && int(m_slots.size()) < m_limits.maxPipelined)
        QMetaObject::invokeMethod(this, &HttpConnection::parseBuffered, Qt::QueuedConnection);
    if (m_open && m_slots.empty() && !m_inMessage)
        setDeadline(m_limits.idleTimeoutMs);
}

void HttpConnection::failRequest(int status, const QByteArray &code, const QByteArray &message)
{
    if (m_closing)
        return;
    // Answer in order after what is already pending, then close: the stream cannot be trusted.
    Slot slot;
    slot.sequence = m_nextSequence++;
    slot.closeAfter = true;
    HttpResponse response;
    response.status = status;
    response.body = errorBody(code, message);
    slot.bytes = serialize(response, false);
    slot.ready = true;
    m_slots.push_back(std::move(slot));
    m_closing = true;
    m_buffer.clear();
    flush();
}

void HttpConnection::refuse(int status, const QByteArray &code, const QByteArray &message)
{
    failRequest(status, code, message);
}

void HttpConnection::handleTimeout()
{
    if (!m_open)
        return;
    if (const qint64 left = m_deadlineMs - steadyMs(); left > 0) {
        // Fired early (see setDeadline): armed again for the rest.
        const qint64 wait =
            qMin<qint64>(left, qMin(m_limits.requestTimeoutMs, m_limits.idleTimeoutMs));
        m_timerDueMs = m_deadlineMs - left + wait;
        m_timer->start(int(wait));
        return;
    }
    if (m_inMessage) {
        failRequest(408, "INVALID_ARGUMENT",
                    "the request arrived too slowly; send it whole within " +
                        QByteArray::number(m_limits.requestTimeoutMs / 1000) + " s");
        return;
    }
    if (m_slots.empty()) {
        close(); // idle keep-alive connection
        return;
    }
    setDeadline(m_limits.idleTimeoutMs); // answers are pending (a parked wait): not idle
}

void HttpConnection::close()
{
    if (!m_open)
        return;
    if (!m_socket) {
        m_closing = true;
        m_closeWhenSent = true;
        writeUnsent(); // closes once the kernel took every byte
        return;
    }
    if (m_socket->bytesToWrite() > 0) {
        connect(m_socket, &QTcpSocket::bytesWritten, this, [this] {
            if (m_socket->bytesToWrite() == 0)
                m_socket->disconnectFromHost();
        });
        m_closing = true;
        return;
    }
    m_socket->disconnectFromHost();
    if (m_socket->state() == QAbstractSocket::UnconnectedState)
        handleDisconnected();
}

void HttpConnection::handleDisconnected()
{
    if (!m_open)
        return;
    m_open = false;
    m_timer->stop();
    closeDescriptor();
    std::deque<Slot> pending;
    pending.swap(m_slots);
    for (Slot &slot : pending) {
        for (auto &callback : slot.goneCallbacks)
            callback();
        if (slot.undelivered)
            slot.undelivered();
    }
    // Answers written but never handed to the operating system did not reach the client.
    std::deque<DeliveryWatch> watches;
    watches.swap(m_watches);
    for (DeliveryWatch &watch : watches)
        watch.undelivered();
    Q_EMIT closed();
    deleteLater();
}

} // namespace QueueDeck::Http
