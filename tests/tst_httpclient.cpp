// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The blocking client's exchange on a plain connection that is up (the descriptor itself: one
// send, then poll and recv): answers in pieces, a server that closes, one that never answers, and
// one that answers nonsense. The first request of each connection goes the way Qt connects; the
// ones after it take the direct way.
#include "httpclientconnection.h"

#include <QElapsedTimer>
#include <QTest>
#include <QThread>

#include <arpa/inet.h>
#include <atomic>
#include <functional>
#include <netinet/in.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace QueueDeck::Client;

namespace {

// One connection on a thread of its own: each request read whole (headers, no body), then
// answered by the next of `steps`; the connection closes after the last.
class ScriptedServer
{
public:
    using Step = std::function<void(int descriptor)>;

    explicit ScriptedServer(std::vector<Step> steps)
    {
        m_listener = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t size = sizeof address;
        if (::bind(m_listener, reinterpret_cast<sockaddr *>(&address), size) != 0 ||
            ::listen(m_listener, 1) != 0 ||
            ::getsockname(m_listener, reinterpret_cast<sockaddr *>(&address), &size) != 0)
            return;
        m_port = ntohs(address.sin_port);
        m_thread = std::thread([this, steps = std::move(steps)] {
            const int connection = ::accept(m_listener, nullptr, nullptr);
            for (const Step &step : steps) {
                if (!readRequest(connection))
                    break;
                step(connection);
                ++m_answered;
            }
            ::close(connection);
        });
    }
    ~ScriptedServer()
    {
        if (m_thread.joinable())
            m_thread.join();
        ::close(m_listener);
    }

    QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_port)); }
    int answered() const { return m_answered; }

    // Short writes on loopback: the client's checks tell when this did not go out whole.
    static void write(int descriptor, const QByteArray &bytes)
    {
        (void)::send(descriptor, bytes.constData(), size_t(bytes.size()), MSG_NOSIGNAL);
    }
    static Step answer(const QByteArray &body)
    {
        return [body](int descriptor) {
            write(descriptor, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                              "Content-Length: " +
                                  QByteArray::number(body.size()) + "\r\n\r\n" + body);
        };
    }

private:
    static bool readRequest(int descriptor)
    {
        QByteArray request;
        char buffer[4096];
        while (!request.contains("\r\n\r\n")) {
            const ssize_t count = ::recv(descriptor, buffer, sizeof buffer, 0);
            if (count <= 0)
                return false;
            request.append(buffer, count);
        }
        return true;
    }

    int m_listener = -1;
    quint16 m_port = 0;
    std::atomic<int> m_answered{0};
    std::thread m_thread;
};

HttpAnswer get(HttpClientConnection &connection, int timeoutMs = 5000)
{
    return connection.exchange("GET", "/x", {}, {}, timeoutMs);
}

} // namespace

class TestHttpClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void answersInPiecesOnOneConnection()
    {
        const QByteArray head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                "Content-Length: 10\r\n\r\n";
        ScriptedServer server({ScriptedServer::answer("{}"), [&head](int descriptor) {
                                   ScriptedServer::write(descriptor, head.first(20));
                                   QThread::msleep(30);
                                   ScriptedServer::write(descriptor, head.sliced(20) + "{\"a\"");
                                   QThread::msleep(30);
                                   ScriptedServer::write(descriptor, ":true}");
                               }});
        HttpClientConnection connection(server.url(), {});
        const HttpAnswer first = get(connection);
        QCOMPARE(first.status, 200);
        QCOMPARE(first.body, QByteArray("{}"));
        const HttpAnswer second = get(connection);
        QVERIFY2(second.failure.isEmpty(), qPrintable(second.failure));
        QCOMPARE(second.status, 200);
        QCOMPARE(second.contentType, QByteArray("application/json"));
        QCOMPARE(second.body, QByteArray("{\"a\":true}"));
        QVERIFY(connection.isUsable());
    }

    void serverClosesBeforeAnswering()
    {
        ScriptedServer server({ScriptedServer::answer("{}"),
                               [](int descriptor) { ::shutdown(descriptor, SHUT_RDWR); }});
        HttpClientConnection connection(server.url(), {});
        QCOMPARE(get(connection).status, 200);
        const HttpAnswer second = get(connection);
        QCOMPARE(second.status, 0);
        QCOMPARE(second.failure, QStringLiteral("the server closed the connection"));
        QVERIFY(second.sentAnything);
        QVERIFY(!connection.isUsable());
    }

    void noAnswerInTime()
    {
        ScriptedServer server({ScriptedServer::answer("{}"), [](int) { QThread::msleep(3000); }});
        HttpClientConnection connection(server.url(), {});
        QCOMPARE(get(connection).status, 200);
        QElapsedTimer clock;
        clock.start();
        const HttpAnswer second = get(connection, 200);
        QCOMPARE(second.status, 0);
        QCOMPARE(second.failure, QStringLiteral("no answer in time"));
        QVERIFY2(clock.elapsed() >= 190 && clock.elapsed() < 2500, // not the server's 3 s
                 qPrintable(QString::number(clock.elapsed())));
        QVERIFY(!connection.isUsable());
    }

    void malformedAnswer()
    {
        ScriptedServer server({ScriptedServer::answer("{}"), [](int descriptor) {
                                   ScriptedServer::write(descriptor, "NONSENSE\r\n\r\n");
                               }});
        HttpClientConnection connection(server.url(), {});
        QCOMPARE(get(connection).status, 200);
        const HttpAnswer second = get(connection);
        QCOMPARE(second.status, 0);
        QVERIFY2(second.failure.startsWith(u"the server sent a malformed HTTP response"),
                 qPrintable(second.failure));
    }
};

QTEST_GUILESS_MAIN(TestHttpClient)
#include "tst_httpclient.moc"
