// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "httprequestreader.h"
#include "httptypes.h"

#include <QObject>

#include <deque>

class QSocketNotifier;
class QTcpSocket;
class QTimer;

namespace QueueDeck::Http {

// One client connection: parses requests with http-parser under the server's limits, hands each
// to the handler, and writes the answers back in request order. Lives on the server's thread and
// deletes itself when the client leaves.
class HttpConnection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpConnection)
public:
    // Over a Qt socket (TLS): takes ownership of the socket.
    HttpConnection(QTcpSocket *socket, const HttpLimits &limits, HttpHandler handler,
                   QObject *parent = nullptr);
    // Over a connected stream socket's descriptor (plain TCP), read and written directly: no
    // QTcpSocket buffers, one read(2) per request and one send(2) per answer when the kernel
    // takes it whole. Takes ownership of the descriptor and makes it non-blocking.
    HttpConnection(int descriptor, const HttpLimits &limits, HttpHandler handler,
                   QObject *parent = nullptr);
    ~HttpConnection() override;

    bool isOpen() const { return m_open; }
    bool isPending(quint64 sequence);
    qint64 bytesToWrite() const;
    void respond(quint64 sequence, const HttpResponse &response,
                 std::function<void()> undelivered = {});
    void startEventStream(quint64 sequence);
    bool sendEvent(quint64 sequence, const QByteArray &event, const QByteArray &data);
    void onClientGone(quint64 sequence, std::function<void()> callback);

    // A value derived from what a request presented, with what it was derived from (the server
    // keeps the last token and its hash), for the connection's later requests; gone with the
    // connection. Comparing a request's with the key is the caller's: it knows what is secret.
    struct Kept
    {
        QByteArray key;
        QByteArray value;
    };
    const Kept &kept() const { return m_kept; }
    void keep(Kept kept) { m_kept = std::move(kept); }

    // Answers with an error and closes: for refusals before any request was read.
    void refuse(int status, const QByteArray &code, const QByteArray &message);

Q_SIGNALS:
    void closed();

private:
    struct Slot
    {
        quint64 sequence = 0;
        bool ready = false;
        bool streaming = false;
        bool closeAfter = false;
        QByteArray bytes;
        std::vector<std::function<void()>> goneCallbacks;
        std::function<void()> undelivered;
    };
    struct DeliveryWatch
    {
        qint64 endOffset; // the answer is delivered once this many bytes reached the OS
        std::function<void()> undelivered;
    };

    void start();
    void handleReadyRead();
    void readAvailable();
    void consumeBuffered(qsizetype used);
    void handleDisconnected();
    // The descriptor's side (m_socket null): see httpconnection.cpp.
    void handleReadable();
    void handleEndOfInput();
    void queueOutput(QByteArray bytes);
    void writeUnsent();
    void closeDescriptor();
    void handleTimeout();
    // The connection's deadline is `ms` from now (see httpconnection.cpp).
    void setDeadline(int ms);
    void parseBuffered();
    void flush();
    void close();
    Slot *findSlot(quint64 sequence);
    void failRequest(int status, const QByteArray &code, const QByteArray &message);

    // The reader's steps (see httpconnection.cpp).
    void beginRequest();
    void completeRequest();
    static QByteArray methodText(QByteArrayView method);

    QTcpSocket *m_socket = nullptr; // null: the connection reads and writes m_descriptor itself
    int m_descriptor = -1;
    QHostAddress m_peer;
    Kept m_kept;
    HttpLimits m_limits;
    HttpHandler m_handler;
    HttpRequestReader m_reader;
    QTimer *m_timer;
    qint64 m_deadlineMs = 0; // steady clock: when handleTimeout acts
    qint64 m_timerDueMs = 0; // steady clock: when m_timer fires, while it is active
    QByteArray m_buffer;     // read but not yet parsed (while too many requests wait for answers)
    bool m_open = true;
    bool m_closing = false;
    // The descriptor's state.
    QSocketNotifier *m_readable = nullptr;
    QSocketNotifier *m_writable = nullptr; // enabled only while the kernel's buffer is full
    QByteArray m_unsent;                   // answers the kernel did not take yet, from m_unsentAt
    qsizetype m_unsentAt = 0;
    bool m_inputEnded = false;    // the client ended its input; owed answers still go out
    bool m_closeWhenSent = false; // closing once m_unsent is written

    // The request being parsed.
    HttpRequest m_request;
    bool m_keepAlive = true;
    bool m_inMessage = false;

    std::deque<Slot> m_slots;
    std::deque<DeliveryWatch> m_watches;
    qint64 m_queuedBytes = 0;
    qint64 m_flushedBytes = 0;
    quint64 m_nextSequence = 1;
};

} // namespace QueueDeck::Http
