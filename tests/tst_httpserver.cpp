// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The HTTP transport against raw sockets: limits, keep-alive, pipelining, timeouts, disconnects
// during parked answers, event streams and TLS.

#include "httpserver.h"

#include <QFile>
#include <QProcess>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <limits>
#include <malloc.h>
#include <mutex>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace QueueDeck::Http;

namespace {

// An HttpServer on a thread of its own, so the test can use blocking sockets.
class ServerThread
{
public:
    explicit ServerThread(HttpLimits limits, HttpHandler handler, std::optional<TlsFiles> tls = {})
    {
        m_thread.start();
        m_server = new HttpServer(limits, std::move(handler));
        m_server->moveToThread(&m_thread);
        QString error;
        QMetaObject::invokeMethod(
            m_server, [&] { error = m_server->listen(QHostAddress::LocalHost, 0, tls); },
            Qt::BlockingQueuedConnection);
        if (!error.isEmpty())
            qFatal("listen failed: %s", qPrintable(error));
        m_port = m_server->port();
    }
    ~ServerThread()
    {
        QMetaObject::invokeMethod(
            m_server, [this] { delete m_server; }, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }
    quint16 port() const { return m_port; }
    // Runs fn on the server thread and waits for it.
    void run(const std::function<void()> &fn)
    {
        QMetaObject::invokeMethod(m_server, fn, Qt::BlockingQueuedConnection);
    }
    int connections()
    {
        int count = 0;
        run([&] { count = m_server->connectionCount(); });
        return count;
    }
    qint64 bytesToWrite()
    {
        qint64 bytes = 0;
        run([&] { bytes = m_server->bytesToWrite(); });
        return bytes;
    }

private:
    QThread m_thread;
    HttpServer *m_server = nullptr;
    quint16 m_port = 0;
};

HttpResponse text(const QByteArray &body, int status = 200)
{
    HttpResponse response;
    response.status = status;
    response.contentType = "text/plain";
    response.body = body;
    return response;
}

// Reads until `count` complete responses (with Content-Length bodies) arrived or the peer closed.
QList<QByteArray> readResponses(QTcpSocket &socket, int count, int timeoutMs = 5000)
{
    QByteArray data;
    QList<QByteArray> responses;
    QElapsedTimer timer;
    timer.start();
    while (responses.size() < count && timer.elapsed() < timeoutMs) {
        int end;
        while ((end = data.indexOf("\r\n\r\n")) >= 0) {
            const QByteArray head = data.left(end);
            qsizetype length = 0;
            for (const QByteArray &line : head.split('\n')) {
                if (line.toLower().startsWith("content-length:"))
                    length = line.mid(15).trimmed().toLongLong();
            }
            if (data.size() < end + 4 + length)
                break;
            responses.append(data.left(end + 4 + length));
            data.remove(0, end + 4 + length);
        }
        if (responses.size() >= count)
            break;
        if (socket.state() != QAbstractSocket::ConnectedState && socket.bytesAvailable() == 0)
            break;
        if (socket.bytesAvailable() == 0)
            socket.waitForReadyRead(100);
        data += socket.readAll();
    }
    return responses;
}

bool connectTo(QTcpSocket &socket, quint16 port)
{
    socket.connectToHost(QHostAddress::LocalHost, port);
    return socket.waitForConnected(5000);
}

bool waitClosed(QTcpSocket &socket, int timeoutMs = 5000)
{
    QElapsedTimer timer;
    timer.start();
    while (socket.state() == QAbstractSocket::ConnectedState && timer.elapsed() < timeoutMs) {
        socket.waitForReadyRead(50);
        socket.readAll();
    }
    return socket.state() != QAbstractSocket::ConnectedState;
}

qint64 rssKb()
{
    QFile status(QStringLiteral("/proc/self/status"));
    status.open(QIODevice::ReadOnly);
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return 0;
}

// Heap bytes in use in this process (all arenas).
qint64 heapInUse()
{
    return qint64(mallinfo2().uordblks);
}

// A plain client socket, so that the test itself holds no Qt buffers while it measures.
class RawClient
{
public:
    explicit RawClient(quint16 port)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(m_fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0) {
            ::close(m_fd);
            m_fd = -1;
        }
    }
    ~RawClient()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Q_DISABLE_COPY_MOVE(RawClient)
    bool send(const QByteArray &bytes)
    {
        return m_fd >= 0 && ::send(m_fd, bytes.constData(), size_t(bytes.size()), MSG_NOSIGNAL) ==
                                ssize_t(bytes.size());
    }
    // Reads until `size` bytes arrived, the server closed or 10 s passed without a byte.
    QByteArray receive(qsizetype size)
    {
        timeval timeout{10, 0};
        ::setsockopt(m_fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        QByteArray bytes;
        char buffer[64 * 1024];
        while (bytes.size() < size) {
            const ssize_t got = ::recv(
                m_fd, buffer, size_t(qMin<qsizetype>(sizeof buffer, size - bytes.size())), 0);
            if (got <= 0)
                break;
            bytes.append(buffer, got);
        }
        return bytes;
    }
    // Reads until the server closes (or 10 s pass without a byte).
    QByteArray receiveUntilClosed() { return receive(std::numeric_limits<qsizetype>::max()); }
    void endInput() { ::shutdown(m_fd, SHUT_WR); }
    // Closes with a reset (RST) rather than an orderly end.
    void reset()
    {
        const linger abort{1, 0};
        ::setsockopt(m_fd, SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
        ::close(m_fd);
        m_fd = -1;
    }

private:
    int m_fd = -1;
};

HttpHandler echo()
{
    return [](const HttpRequest &request, const HttpResponder &responder) {
        responder.send(text(request.method + ' ' + request.path.toUtf8() + ' ' +
                            request.query.toString().toUtf8() + ' ' +
                            QByteArray::number(request.body.size())));
    };
}

} // namespace

class TestHttpServer final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // Each request on a kept connection is read afresh: nothing of the one before it (method,
    // path, query, body) shows in the next.
    void keepAliveServesManyRequests()
    {
        ServerThread server({}, echo());
        QTcpSocket socket;
        QVERIFY(connectTo(socket, server.port()));
        const QList<std::pair<QByteArray, QByteArray>> exchanges = {
            {"GET /a%20b?x=1 HTTP/1.1\r\nHost: x\r\n\r\n", "GET /a b x=1 0"},
            {"POST /long/path?y=2&z=3 HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello world",
             "POST /long/path y=2&z=3 11"},
            {"GET /a%20b?x=1 HTTP/1.1\r\nHost: x\r\n\r\n", "GET /a b x=1 0"},
            {"DELETE /c HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}", "DELETE /c  2"},
            {"GET / HTTP/1.1\r\nHost: x\r\n\r\n", "GET /  0"},
        };
        for (const auto &[request, expected] : exchanges) {
            socket.write(request);
            const auto responses = readResponses(socket, 1);
            QCOMPARE(responses.size(), 1);
            QVERIFY(responses[0].startsWith("HTTP/1.1 200 OK\r\n"));
            QVERIFY2(responses[0].endsWith(QByteArray("\r\n\r\n" + expected)),
                     responses[0].constData());
        }
        QCOMPARE(socket.state(), QAbstractSocket::ConnectedState);
    }

    // Header names are read in any case; a name sent twice reads as its last value, once; an empty
    // value is a header of its own; a request on the same connection sees only its own headers.
    void headersAsSent()
    {
        ServerThread server({}, [](const HttpRequest &request, const HttpResponder &responder) {
            int names = 0;
            request.headers.forEach([&names](QByteArrayView, QByteArrayView) { ++names; });
            responder.send(text(request.header("x-a") + '|' + request.header("authorization") +
                                '|' + request.header("x-missing") + '|' +
                                QByteArray::number(names)));
        });
        QTcpSocket socket;
        QVERIFY(connectTo(socket, server.port()));
        socket.write("GET / HTTP/1.1\r\nHost: x\r\nX-A: first\r\nX-Empty:\r\nAUTHORIZATION: Bearer "
                     "t\r\nx-a: second\r\n\r\n");
        auto responses = readResponses(socket, 1);
        QCOMPARE(responses.size(), 1);
        QVERIFY2(responses[0].endsWith("\r\n\r\nsecond|Bearer t||4"), responses[0].constData());
        socket.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        responses = readResponses(socket, 1);
        QCOMPARE(responses.size(), 1);
        QVERIFY2(responses[0].endsWith("\r\n\r\n|||1"), responses[0].constData());
    }

    // Prefer (RFC 7240): a list over one or more headers, names in any case, a quoted value
    // unquoted, parameters after ';' ignored, and of a preference given twice the first counts.
    void preferencesAsSent()
    {
        ServerThread server({}, [](const HttpRequest &request, const HttpResponder &responder) {
            responder.send(
                text('[' + request.preference("return") + "][" + request.preference("wait") + ']'));
        });
        QTcpSocket socket;
        QVERIFY(connectTo(socket, server.port()));
        const QList<std::pair<QByteArray, QByteArray>> cases = {
            {"Prefer: return=minimal\r\n", "[minimal][]"},
            {"Prefer: respond-async, RETURN = \"minimal\" ; x=1, wait=5\r\n", "[minimal][5]"},
            {"prefer: wait=10\r\nPrefer: return=representation, return=minimal\r\n",
             "[representation][10]"},
            {"Prefer: handling=lenient\r\n", "[][]"},
            {"", "[][]"},
        };
        for (const auto &[headers, expected] : cases) {
            socket.write("GET / HTTP/1.1\r\nHost: x\r\n" + headers + "\r\n");
            const auto responses = readResponses(socket, 1);
            QCOMPARE(responses.size(), 1);
            QVERIFY2(responses[0].endsWith(QByteArray("\r\n\r\n" + expected)),
                     QByteArray(headers + " -> " + responses[0]).constData());
        }
    }

    void connectionCloseIsHonoured()
    {
        ServerThread server({}, echo());
        QTcpSocket socket;
        QVERIFY(connectTo(socket, server.port()));
        socket.write(
            "POST /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 5\r\n\r\nhello");
        const auto responses = readResponses(socket, 1);
        QCOMPARE(responses.size(), 1);
        QVERIFY(responses[0].contains("Connection: close"));
        QVERIFY(responses[0].endsWith("POST /x  5"));
        QVERIFY(waitClosed(socket));
        // HTTP/1.0 without keep-alive closes too.
        QTcpSocket old;
        QVERIFY(connectTo(old, server.port()));
        old.write("GET /old HTTP/1.0\r\n\r\n");
        QCOMPARE(readResponses(old, 1).size(), 1);
        QVERIFY(waitClosed(old));
    }

    void pipelinedAnswersKeepRequestOrder()
    {
        // The first request is answered last, from a timer; the others at once.
        ServerThread server({}, [](const HttpRequest &request, const HttpResponder &responder) {
            if (request.path == u"/slow") {
                QTimer::singleShot(200, [responder] { responder.send(text("slow")); });
                return;
            }
            responder.send(text(request.path.toUtf8()));
        });
        QTcpSocket socket;
        QVERIFY(connectTo(socket, server.port()));
        socket.write("GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /one HTTP/1.1\r\nHost: x\r\n\r\n"
                     "GET /two HTTP/1.1\r\nHost: x\r\n\r\n");
        const auto responses = readResponses(socket, 3);
        QCOMPARE(responses.size(), 3);
        QVERIFY(responses[0].endsWith("slow"));
        QVERIFY(responses[1].endsWith("/one"));
        QVERIFY(responses[2].endsWith("/two"));
    }

    void manyPipelinedRequestsInOneRead()
    {
        // Fifty requests arrive in one read while at most four may wait for their answers: the
        // rest stay buffered and are parsed as answers go out, with nothing more to read.
        HttpLimits limits;
        limits.maxPipelined = 4;
        ServerThread server(limits, [](const HttpRequest &request, const HttpResponder &responder) {
            QTimer::singleShot(
                0, [responder, path = request.path.toUtf8()] { responder.send(text(path)); });
        });
        QByteArray requests;
        QByteArray expected;
        for (int i = 0; i < 50; ++i) {
            requests += "GET /" + QByteArray::number(i) + " HTTP/1.1\r\nHost: x\r\n\r\n";
            expected += "/" + QByteArray::number(i);
        }
        requests += "GET /last HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        RawClient client(server.port());
        QVERIFY(client.send(requests));
        const QByteArray all = client.receiveUntilClosed();
        QCOMPARE(all.count("HTTP/1.1 200 OK\r\n"), 51);
        QByteArray order;
        for (qsizetype at = 0; (at = all.indexOf("\r\n\r\n", at)) >= 0;) {
            at += 4;
            const qsizetype next = all.indexOf("HTTP/1.1 ", at);
            order += all.mid(at, next < 0 ? -1 : next - at);
        }
        QCOMPARE(order, expected + "/last");
    }

    void largeAnswerToAClientNotReading()
    {
        // An answer larger than the kernel's buffers: the rest waits while the client does not
        // read, goes out whole once it does, and the connection serves the next request.
        const QByteArray big = [] {
            QByteArray bytes(32 * 1024 * 1024, Qt::Uninitialized);
            for (qsizetype i = 0; i < bytes.size(); ++i)
                bytes[i] = char('a' + (i * 7 + i / 4096) % 26);
            return bytes;
        }();
        ServerThread server({}, [&big](const HttpRequest &request, const HttpResponder &responder) {
            responder.send(text(request.path == u"/big" ? big : QByteArray("small")));
        });
        RawClient client(server.port());
        QVERIFY(client.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n"));
        QTRY_VERIFY(server.bytesToWrite() > 0);
        const QByteArray head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " +
                                QByteArray::number(big.size()) + "\r\n\r\n";
        const QByteArray answer = client.receive(head.size() + big.size());
        QCOMPARE(answer.size(), head.size() + big.size());
        QVERIFY(answer.startsWith(head));
        QVERIFY(answer.sliced(head.size()) == big);
        QTRY_COMPARE(server.bytesToWrite(), 0);
        QVERIFY(client.send("GET /next HTTP/1.1\r\nHost: x\r\n\r\n"));
        QVERIFY(client.receive(80).endsWith("\r\n\r\nsmall"));
        QCOMPARE(server.connections(), 1);
    }

    void clientResettingDuringAnAnswer()
    {
        // The client resets the connection while most of a large answer is still to be written:
        // the answer is reported undelivered and the connection is gone.
        std::atomic<int> undelivered{0};
        ServerThread server({}, [&](const HttpRequest &, const HttpResponder &responder) {
            responder.send(text(QByteArray(32 * 1024 * 1024, 'x')), [&] { ++undelivered; });
        });
        RawClient client(server.port());
        QVERIFY(client.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n"));
        QTRY_VERIFY(server.bytesToWrite() > 0);
        QCOMPARE(undelivered.load(), 0);
        client.reset();
        QTRY_COMPARE(undelivered.load(), 1);
        QTRY_COMPARE(server.connections(), 0);
        QCOMPARE(server.bytesToWrite(), 0);
    }

    void halfClosedClientGetsItsLaterAnswer()
    {
        // The client ends its input after the request; the answer, given later, still reaches it
        // and then the server closes. A parked answer that would be given back if undelivered
        // (a lease) is given back instead of being written.
        std::atomic<int> givenBack{0};
        ServerThread server({}, [&](const HttpRequest &request, const HttpResponder &responder) {
            if (request.path == u"/lease") {
                QTimer::singleShot(50, [responder, &givenBack] {
                    responder.send(text("tasks"), [&givenBack] { ++givenBack; });
                });
                return;
            }
            QTimer::singleShot(50, [responder] { responder.send(text("later")); });
        });
        RawClient client(server.port());
        QVERIFY(client.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n"));
        client.endInput();
        const QByteArray answer = client.receiveUntilClosed();
        QVERIFY2(answer.startsWith("HTTP/1.1 200 OK\r\n") && answer.endsWith("\r\n\r\nlater"),
                 answer.constData());
        QTRY_COMPARE(server.connections(), 0);

        RawClient leasing(server.port());
        QVERIFY(leasing.send("GET /lease HTTP/1.1\r\nHost: x\r\n\r\n"));
        leasing.endInput();
        QCOMPARE(leasing.receiveUntilClosed(), QByteArray());
        QCOMPARE(givenBack.load(), 1);
        QTRY_COMPARE(server.connections(), 0);
    }

    void headerLimitWhileReading()
    {
        ServerThread server({}, echo());
        QTcpSocket socket;
        QVERIFY(connectTo(socket, server.port()));
        socket.write("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + QByteArray(20 * 1024, 'a') +
                     "\r\n\r\n");
        const auto responses = readResponses(socket, 1);
        QCOMPARE(responses.size(), 1);
        QVERIFY2(responses[0].startsWith("HTTP/1.1 431 "), responses[0].constData());
        QVERIFY(responses[0].contains("\"code\":\"HEADERS_TOO_LARGE\""));
        QVERIFY(waitClosed(socket));
    }

    void bodyLimitBeforeBuffering()
    {
        ServerThread server({}, echo());
        const qint64 before = rssKb();
        QTcpSocket socket;
        QVERIFY(connectTo(socket, server.port()));
        socket.write("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 104857600\r\n\r\n");
        const auto responses = readResponses(socket, 1);
        QCOMPARE(responses.size(), 1);
        QVERIFY2(responses[0].startsWith("HTTP/1.1 413 "), responses[0].constData());
        QVERIFY(responses[0].contains("PAYLOAD_TOO_LARGE"));
        // Keep sending the 100 MB body: the server closed and buffers none of it.
        const QByteArray chunk(1 << 20, 'x');
        for (int i = 0; i < 100 && socket.state() == QAbstractSocket::ConnectedState; ++i) {
            socket.write(chunk);
            socket.waitForBytesWritten(1000);
        }
        QVERIFY(waitClosed(socket));
        const qint64 grownKb = rssKb() - before;
        QVERIFY2(grownKb < 8 * 1024, qPrintable(QStringLiteral("RSS grew by %1 kB").arg(grownKb)));

        // A chunked body is counted while it arrives.
        HttpLimits small;
        small.maxBodyBytes = 1000;
        ServerThread limited(small, echo());
        QTcpSocket chunked;
        QVERIFY(connectTo(chunked, limited.port()));
        chunked.write("POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int i = 0; i < 5; ++i)
            chunked.write("1f4\r\n" + QByteArray(500, 'y') + "\r\n");
        const auto refused = readResponses(chunked, 1);
        QCOMPARE(refused.size(), 1);
        QVERIFY(refused[0].startsWith("HTTP/1.1 413 "));
    }

    void malformedRequestGets400()
    {
        ServerThread server({}, echo());
        QTcpSocket socket;
        QVERIFY(connectTo(socket, server.port()));
        socket.write("THIS IS NOT HTTP\r\n\r\n");
        const auto responses = readResponses(socket, 1);
        QCOMPARE(responses.size(), 1);
        QVERIFY(responses[0].startsWith("HTTP/1.1 400 "));
        QVERIFY(responses[0].contains("\"code\":\"INVALID_ARGUMENT\""));
    }

    void idleAndSlowClientsAreClosed()
    {
        HttpLimits limits;
        limits.idleTimeoutMs = 300;
        limits.requestTimeoutMs = 300;
        ServerThread server(limits, echo());
        QTcpSocket idle;
        QVERIFY(connectTo(idle, server.port()));
        QVERIFY(waitClosed(idle, 3000));
        // A client trickling its headers gets 408 when its time is up, however often it writes.
        QTcpSocket slow;
        QVERIFY(connectTo(slow, server.port()));
        slow.write("GET / HTTP/1.1\r\n");
        QByteArray received;
        QElapsedTimer timer;
        timer.start();
        while (slow.state() == QAbstractSocket::ConnectedState && timer.elapsed() < 3000) {
            slow.write("X-A: b\r\n");
            slow.waitForReadyRead(50);
            received += slow.readAll();
        }
        received += slow.readAll();
        QVERIFY2(received.startsWith("HTTP/1.1 408 "), received.constData());
        QTRY_COMPARE(server.connections(), 0);
    }

    void connectionCap()
    {
        HttpLimits limits;
        limits.maxConnections = 2;
        ServerThread server(limits, echo());
        QTcpSocket a;
        QTcpSocket b;
        QTcpSocket c;
        QVERIFY(connectTo(a, server.port()));
        QVERIFY(connectTo(b, server.port()));
        QTRY_COMPARE(server.connections(), 2);
        QVERIFY(connectTo(c, server.port()));
        const auto refused = readResponses(c, 1);
        QCOMPARE(refused.size(), 1);
        QVERIFY(refused[0].startsWith("HTTP/1.1 503 "));
        QVERIFY(waitClosed(c));
        a.write("GET /still HTTP/1.1\r\nHost: x\r\n\r\n");
        QCOMPARE(readResponses(a, 1).size(), 1);
    }

    void parkedConnectionsHoldLittleMemory()
    {
        // The soak's shape: many connections, each with one small request parked (a long-poll).
        // A connection read through its descriptor holds its state, about 7 KiB here; through a
        // QTcpSocket it also held the socket's read block (16 KiB, Qt's), about 25 KiB. Reading
        // with readAll() kept two more blocks of 16 KiB per connection for a request of a
        // hundred bytes (57 KiB in all): a heap twice the size of what was ever written, whose
        // resident size kept growing as the churn of connections touched more of it
        // (docs/reliability.md, "Soak").
        constexpr int Connections = 200;
        std::mutex mutex;
        QList<HttpResponder> parked;
        std::atomic<int> parkedCount{0};
        ServerThread server({}, [&](const HttpRequest &, const HttpResponder &responder) {
            std::lock_guard lock(mutex);
            parked.append(responder);
            parkedCount = int(parked.size());
        });
        // One connection first, so that what every connection shares is allocated already.
        RawClient first(server.port());
        QVERIFY(first.send("GET /warm HTTP/1.1\r\nHost: x\r\n\r\n"));
        QTRY_COMPARE(parkedCount.load(), 1);
        {
            std::lock_guard lock(mutex);
            parked.reserve(Connections + 1);
        }
        const qint64 before = heapInUse();
        std::vector<std::unique_ptr<RawClient>> clients;
        clients.reserve(Connections);
        for (int i = 0; i < Connections; ++i) {
            clients.push_back(std::make_unique<RawClient>(server.port()));
            QVERIFY(
                clients.back()->send("POST /workers/w/lease HTTP/1.1\r\nHost: x\r\n"
                                     "Content-Length: 25\r\n\r\n{\"max\":1,\"wait_ms\":20000}"));
        }
        QTRY_COMPARE(parkedCount.load(), Connections + 1);
        const qint64 perConnection = (heapInUse() - before) / Connections;
        qInfo("heap in use per parked connection: %lld bytes", perConnection);
        QVERIFY2(perConnection < 16 * 1024,
                 qPrintable(QStringLiteral("%1 bytes per parked connection").arg(perConnection)));
        server.run([&] {
            for (const HttpResponder &responder : std::as_const(parked))
                responder.send(text("done"));
        });
    }

    void clientsLeavingParkedRequests()
    {
        // 1,000 clients park a request and leave; answering them afterwards is harmless and every
        // one of them is reported gone.
        std::mutex mutex;
        QList<HttpResponder> parked;
        std::atomic<int> gone{0};
        std::atomic<int> parkedCount{0};
        ServerThread server({}, [&](const HttpRequest &, const HttpResponder &responder) {
            responder.onClientGone([&] { ++gone; });
            std::lock_guard lock(mutex);
            parked.append(responder);
            parkedCount = int(parked.size());
        });
        for (int round = 0; round < 5; ++round) {
            std::vector<std::unique_ptr<QTcpSocket>> sockets;
            for (int i = 0; i < 200; ++i) {
                sockets.push_back(std::make_unique<QTcpSocket>());
                QVERIFY(connectTo(*sockets.back(), server.port()));
                sockets.back()->write(
                    "POST /workers/w/lease HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}");
                QVERIFY(sockets.back()->waitForBytesWritten(2000));
            }
            QTRY_COMPARE(parkedCount.load(), (round + 1) * 200);
            for (auto &socket : sockets)
                socket->abort();
        }
        QTRY_COMPARE(gone.load(), 1000);
        QTRY_COMPARE(server.connections(), 0);
        server.run([&] {
            for (const HttpResponder &responder : std::as_const(parked)) {
                QVERIFY(!responder.isOpen());
                responder.send(text("too late"));
            }
        });
        // Still serving.
        QTcpSocket socket;
        QVERIFY(connectTo(socket, server.port()));
        socket.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        QTRY_COMPARE(parkedCount.load(), 1001);
    }

    void serverSentEvents()
    {
        ServerThread server({}, [](const HttpRequest &, const HttpResponder &responder) {
            responder.startEventStream();
            for (int i = 0; i < 3; ++i)
                responder.sendEvent("stats", "{\"n\":" + QByteArray::number(i) + "}");
        });
        QTcpSocket socket;
        QVERIFY(connectTo(socket, server.port()));
        socket.write("GET /api/v1/events HTTP/1.1\r\nHost: x\r\n\r\n");
        QByteArray data;
        QTRY_VERIFY((data += socket.readAll()).contains("data: {\"n\":2}\n\n"));
        QVERIFY(data.startsWith("HTTP/1.1 200 OK\r\n"));
        QVERIFY(data.contains("Content-Type: text/event-stream"));
        QVERIFY(data.contains("event: stats\ndata: {\"n\":0}\n\n"));
    }

    void https()
    {
        QTemporaryDir dir;
        const QString cert = dir.filePath(QStringLiteral("cert.pem"));
        const QString key = dir.filePath(QStringLiteral("key.pem"));
        QProcess openssl;
        openssl.start(QStringLiteral("openssl"),
                      {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                       QStringLiteral("rsa:2048"), QStringLiteral("-nodes"),
                       QStringLiteral("-keyout"), key, QStringLiteral("-out"), cert,
                       QStringLiteral("-days"), QStringLiteral("1"), QStringLiteral("-subj"),
                       QStringLiteral("/CN=localhost")});
        QVERIFY2(openssl.waitForFinished(30000) && openssl.exitCode() == 0,
                 openssl.readAllStandardError().constData());
        ServerThread server({}, echo(), TlsFiles{cert, key});
        QSslSocket socket;
        socket.setPeerVerifyMode(QSslSocket::VerifyNone);
        socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), server.port());
        QVERIFY2(socket.waitForEncrypted(10000), qPrintable(socket.errorString()));
        socket.write("GET /secure HTTP/1.1\r\nHost: x\r\n\r\n");
        const auto responses = readResponses(socket, 1);
        QCOMPARE(responses.size(), 1);
        QVERIFY(responses[0].endsWith("GET /secure  0"));
    }
};

QTEST_GUILESS_MAIN(TestHttpServer)
#include "tst_httpserver.moc"
