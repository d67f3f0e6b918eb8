// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The Faktory listener on raw sockets: framing, handshake, and the edge cases of the protocol.
#include "enginefixture.h"
#include "faktorycommandparser.h"
#include "faktoryserver.h"
#include "faktoryservice.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTcpSocket>

using namespace QueueDeck;
using namespace QueueDeck::Faktory;
using namespace QueueDeck::Testing;

namespace {

// An engine on the system clock (FETCH waits are real) with a Faktory listener on a free port.
class FaktoryFixture
{
public:
    bool start(FaktoryOptions options = {})
    {
        EngineOptions engineOptions;
        engineOptions.dataDirectory = m_dir.path();
        m_engine = std::make_unique<Engine>(engineOptions);
        if (!m_engine->start())
            return false;
        options.port = 0;
        options.fetchWaitMs = 300;
        options.handshakeTimeoutMs = 500;
        m_server = std::make_unique<FaktoryServer>(*m_engine, options);
        const QString error = m_server->start();
        if (!error.isEmpty())
            qWarning("%s", qPrintable(error));
        return error.isEmpty();
    }
    ~FaktoryFixture()
    {
        m_server.reset();
        m_engine.reset();
    }
    Engine &engine() { return *m_engine; }
    quint16 port() const { return m_server->port(); }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<FaktoryServer> m_server;
};

// A client socket read one RESP answer at a time.
class RawClient
{
public:
    explicit RawClient(quint16 port)
    {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        m_socket.waitForConnected(5000);
    }
    void send(const QByteArray &bytes)
    {
        m_socket.write(bytes);
        m_socket.waitForBytesWritten(5000);
    }
    // One answer: "+text", "-ERR text", the bulk string's data, or "$-1"; empty on timeout.
    QByteArray read(int timeoutMs = 5000)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (!m_socket.canReadLine()) {
            if (deadline.hasExpired() || !m_socket.waitForReadyRead(int(deadline.remainingTime())))
                return {};
        }
        QByteArray line = m_socket.readLine().chopped(2);
        if (!line.startsWith('$') || line == "$-1")
            return line;
        const qint64 size = line.mid(1).toLongLong();
        while (m_socket.bytesAvailable() < size + 2) {
            if (deadline.hasExpired() || !m_socket.waitForReadyRead(int(deadline.remainingTime())))
                return {};
        }
        QByteArray data = m_socket.read(size);
        m_socket.read(2);
        return data;
    }
    QByteArray command(const QByteArray &line)
    {
        send(line + "\r\n");
        return read();
    }
    bool hello(const QByteArray &fields = {})
    {
        const QByteArray greeting = read();
        if (!greeting.startsWith("+HI "))
            return false;
        return command("HELLO {\"v\":2" + fields + '}') == "+OK";
    }
    bool waitForClosed(int timeoutMs)
    {
        if (m_socket.state() == QAbstractSocket::UnconnectedState)
            return true;
        return m_socket.waitForDisconnected(timeoutMs);
    }
    void close() { m_socket.abort(); }

private:
    QTcpSocket m_socket;
};

QByteArray fjob(const QByteArray &jid, const QByteArray &queue = "default",
                const QByteArray &extra = {})
{
    return "{\"jid\":\"" + jid + "\",\"jobtype\":\"Add\",\"args\":[1,2],\"queue\":\"" + queue +
           '"' + extra + '}';
}

QJsonObject info(RawClient &client)
{
    return QJsonDocument::fromJson(client.command("INFO")).object();
}

} // namespace

class TestFaktory final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void parserSplitsAndLimitsLines()
    {
        FaktoryCommandParser parser(10);
        parser.append("PU");
        QVERIFY(!parser.next());
        parser.append("SH {}\r\nEND\r\n0123456789ABCDEF");
        auto push = parser.next();
        QVERIFY(push);
        QCOMPARE(push->verb, QByteArray("PUSH"));
        QCOMPARE(push->argument, QByteArray("{}"));
        QCOMPARE(parser.next()->verb, QByteArray("END"));
        QVERIFY(!parser.next());
        QCOMPARE(parser.partialBytes(), 0); // over the limit: not kept
        parser.append("GHIJ\r\nINFO\n");
        auto tooLong = parser.next();
        QVERIFY(tooLong);
        QCOMPARE(tooLong->kind, FaktoryLine::Kind::TooLong);
        QCOMPARE(parser.next()->verb, QByteArray("INFO"));
    }

    void passwordHashIsIteratedSha256()
    {
        // sha256("secret" + "abc") once, then hashed again: the same as hashing the raw digest.
        const QByteArray once = QCryptographicHash::hash("secretabc", QCryptographicHash::Sha256);
        QCOMPARE(FaktoryService::passwordHash(QStringLiteral("secret"), QStringLiteral("abc"), 1),
                 once.toHex());
        QCOMPARE(FaktoryService::passwordHash(QStringLiteral("secret"), QStringLiteral("abc"), 2),
                 QCryptographicHash::hash(once, QCryptographicHash::Sha256).toHex());
    }

    void passwordIsChecked()
    {
        FaktoryFixture f;
        FaktoryOptions options;
        options.password = QStringLiteral("s3cret");
        QVERIFY(f.start(options));
        RawClient good(f.port());
        const QJsonObject hi = QJsonDocument::fromJson(good.read().mid(4)).object();
        QCOMPARE(hi.value(u"v").toInt(), 2);
        QVERIFY(hi.value(u"i").toInt() >= 4000);
        const QByteArray hash = FaktoryService::passwordHash(
            QStringLiteral("s3cret"), hi.value(u"s").toString(), hi.value(u"i").toInt());
        QCOMPARE(good.command("HELLO {\"v\":2,\"pwdhash\":\"" + hash + "\"}"), "+OK");
        QCOMPARE(good.command("PUSH " + fjob("p1")), "+OK");

        RawClient bad(f.port());
        QVERIFY(bad.read().startsWith("+HI {\"v\":2,\"i\":"));
        QCOMPARE(bad.command("HELLO {\"v\":2,\"pwdhash\":\"00\"}"), "-ERR Invalid password");
        QVERIFY(bad.waitForClosed(5000));
    }

    void commandSplitAcrossPackets()
    {
        FaktoryFixture f;
        QVERIFY(f.start());
        RawClient client(f.port());
        QVERIFY(client.hello());
        const QByteArray line = "PUSH " + fjob("split1") + "\r\n";
        client.send(line.left(7));
        QVERIFY(client.read(200).isEmpty()); // half a line: no answer yet
        client.send(line.mid(7, 20));
        QVERIFY(client.read(200).isEmpty());
        client.send(line.mid(27));
        QCOMPARE(client.read(), "+OK");
        QCOMPARE(info(client).value(u"faktory").toObject().value(u"total_enqueued").toInt(), 1);
    }

    void pipelinedCommandsAreAnsweredInOrder()
    {
        FaktoryFixture f;
        QVERIFY(f.start());
        RawClient client(f.port());
        client.send("HELLO {\"v\":2}\r\nPUSH " + fjob("a") + "\r\nNOPE\r\nPUSH " + fjob("b") +
                    "\r\nPUSH {bad json\r\nINFO\r\n");
        QVERIFY(client.read().startsWith("+HI"));
        QCOMPARE(client.read(), "+OK");
        QCOMPARE(client.read(), "+OK");
        QCOMPARE(client.read(), "-ERR unknown command NOPE");
        QCOMPARE(client.read(), "+OK");
        QVERIFY(client.read().startsWith("-ERR PUSH needs"));
        const QJsonObject state = QJsonDocument::fromJson(client.read()).object();
        QCOMPARE(state.value(u"faktory").toObject().value(u"total_enqueued").toInt(), 2);
    }

    void oversizedJobIsRefusedAndConnectionKept()
    {
        FaktoryFixture f;
        QVERIFY(f.start());
        RawClient client(f.port());
        QVERIFY(client.hello());
        const QByteArray huge(16 << 20, 'x');
        client.send("PUSH " + fjob("big", "default", ",\"custom\":{\"blob\":\"" + huge + "\"}") +
                    "\r\n");
        const QByteArray answer = client.read(30000);
        QVERIFY2(answer.startsWith("-ERR command of"), answer.constData());
        QVERIFY(answer.contains("limit"));
        // The same connection goes on.
        QCOMPARE(client.command("PUSH " + fjob("small")), "+OK");
        // A job over the payload limit but under the line limit: refused by the engine.
        const QByteArray two(2 << 20, 'y');
        QVERIFY(
            client.command("PUSH " + fjob("two", "default", ",\"custom\":{\"b\":\"" + two + "\"}"))
                .startsWith("-ERR"));
        QCOMPARE(info(client).value(u"faktory").toObject().value(u"total_enqueued").toInt(), 1);
    }

    void silentClientAfterHiIsClosed()
    {
        FaktoryFixture f;
        QVERIFY(f.start());
        RawClient silent(f.port());
        QVERIFY(silent.read().startsWith("+HI"));
        QVERIFY(silent.waitForClosed(5000));
        RawClient other(f.port()); // the listener still serves
        QVERIFY(other.hello());
    }

    void garbageBeforeHelloAndUnknownVerbs()
    {
        FaktoryFixture f;
        QVERIFY(f.start());
        RawClient client(f.port());
        QVERIFY(client.read().startsWith("+HI"));
        QVERIFY(client.command("GET / HTTP/1.1").startsWith("-ERR say HELLO"));
        QVERIFY(client.command("\x01\x02\xff garbage").startsWith("-ERR say HELLO"));
        QVERIFY(client.command("HELLO {\"v\":3}").startsWith("-ERR protocol version 3"));
        QCOMPARE(client.command("HELLO {\"v\":2}"), "+OK");
        QCOMPARE(client.command("FROB x"), "-ERR unknown command FROB");
        QVERIFY(client.command("BATCH NEW {}").contains("Enterprise"));
        QVERIFY(client.command("TRACK GET x").contains("Enterprise"));
        QVERIFY(client.command("FLUSH").startsWith("-ERR FLUSH is off"));
        QVERIFY(client.command("FETCH default").startsWith("-ERR FETCH is for consumers"));
        QCOMPARE(client.command("PUSH " + fjob("after")), "+OK");
    }

    void fetchTakesQueuesInOrderAndAckWorksFromAnyConnectionOfTheWid()
    {
        FaktoryFixture f;
        QVERIFY(f.start());
        RawClient producer(f.port());
        QVERIFY(producer.hello());
        QCOMPARE(producer.command("PUSH " + fjob("low1", "low")), "+OK");
        QCOMPARE(producer.command("PUSH " + fjob("high1", "high")), "+OK");
        RawClient first(f.port());
        RawClient second(f.port());
        const QByteArray consumer =
            ",\"wid\":\"w1\",\"hostname\":\"h\",\"pid\":7,\"labels\":[\"x\"]";
        QVERIFY(first.hello(consumer));
        QVERIFY(second.hello(consumer));
        const QJsonObject a = QJsonDocument::fromJson(first.command("FETCH high low")).object();
        QCOMPARE(a.value(u"jid").toString(), QStringLiteral("high1"));
        QCOMPARE(a.value(u"args").toArray().size(), 2);
        QCOMPARE(producer.command("PUSH " + fjob("low2", "low")), "+OK");
        const QJsonObject b = QJsonDocument::fromJson(first.command("FETCH low high")).object();
        QCOMPARE(b.value(u"jid").toString(), QStringLiteral("low1"));
        QCOMPARE(producer.command("PUSH " + fjob("high2", "high")), "+OK");
        // The order given, not the engine's turn-taking between equal queues.
        const QJsonObject c = QJsonDocument::fromJson(first.command("FETCH low high")).object();
        QCOMPARE(c.value(u"jid").toString(), QStringLiteral("low2"));
        QVERIFY(first.command("FETCH high low").contains("high2"));
        QCOMPARE(first.command("FETCH high low"), "$-1"); // nothing left, after the wait
        QCOMPARE(second.command("ACK {\"jid\":\"high1\"}"), "+OK");
        QCOMPARE(second.command("ACK {\"jid\":\"high1\"}"),
                 "-ERR Job not found high1: it is not running");
        // One wid is one worker with one slot per queue.
        QD_AWAIT(workers, f.engine().listWorkers());
        QCOMPARE(workers.size(), 1);
        QCOMPARE(workers.first().id, QStringLiteral("faktory:w1"));
        QCOMPARE(workers.first().labels.value(QStringLiteral("x")), QStringLiteral("true"));
        QCOMPARE(workers.first().queueIds.size(), 2);
        // Closing a connection releases nothing: low1 is still running, ACKed on another one.
        first.close();
        QCOMPARE(second.command("BEAT {\"wid\":\"w1\"}"), "+OK");
        QCOMPARE(second.command("ACK {\"jid\":\"low1\"}"), "+OK");
        QCOMPARE(second.command("ACK {\"jid\":\"low2\"}"), "+OK");
    }

    void failWithRetryZeroGoesDead()
    {
        FaktoryFixture f;
        QVERIFY(f.start());
        RawClient client(f.port());
        QVERIFY(client.hello(",\"wid\":\"w2\""));
        QCOMPARE(client.command("PUSH " + fjob("once", "default", ",\"retry\":0")), "+OK");
        QVERIFY(client.command("FETCH").contains("\"once\""));
        QCOMPARE(client.command("FAIL {\"jid\":\"once\",\"errtype\":\"Boom\",\"message\":\"it "
                                "broke\",\"backtrace\":[\"a.js:1\"]}"),
                 "+OK");
        const QJsonObject sets =
            info(client).value(u"faktory").toObject().value(u"sets").toObject();
        QCOMPARE(sets.value(u"dead").toInt(), 1);
        QD_AWAIT(dead, f.engine().listTasks({}, TaskFilter{TaskState::Dead, {}, {}, 10, {}}));
        QCOMPARE(dead.items.size(), 1);
        QVERIFY(dead.items.first().lastError.startsWith(QStringLiteral("Boom: it broke\na.js:1")));
    }

    void fetchingClientThatLeavesLosesNoJob()
    {
        FaktoryFixture f;
        QVERIFY(f.start());
        RawClient watcher(f.port());
        QVERIFY(watcher.hello());
        {
            RawClient leaving(f.port());
            QVERIFY(leaving.hello(",\"wid\":\"gone\""));
            leaving.send("FETCH lonely\r\n");
            // The FETCH is parked (no answer yet), then the client goes.
            QVERIFY(leaving.read(100).isEmpty());
            leaving.close();
        }
        QTRY_COMPARE(info(watcher).value(u"server").toObject().value(u"connections").toInt(), 1);
        QCOMPARE(watcher.command("PUSH " + fjob("kept", "lonely")), "+OK");
        RawClient taker(f.port());
        QVERIFY(taker.hello(",\"wid\":\"taker\""));
        QVERIFY(taker.command("FETCH lonely").contains("\"kept\""));
    }

    void beatAnswersQuietAndTerminate()
    {
        FaktoryFixture f;
        QVERIFY(f.start());
        RawClient client(f.port());
        QVERIFY(client.hello(",\"wid\":\"w3\""));
        QCOMPARE(client.command("BEAT {\"wid\":\"w3\"}"), "+OK");
        QCOMPARE(client.command("FETCH"), "$-1"); // registers the wid
        QVERIFY(
            client.command("BEAT {\"wid\":\"other\"}").startsWith("-ERR BEAT is for consumers"));
        QD_AWAIT(drained, f.engine().drainWorker(QStringLiteral("faktory:w3")));
        QCOMPARE(client.command("BEAT {\"wid\":\"w3\"}"), "{\"state\":\"quiet\"}");
        QVERIFY(await(f.engine().deregisterWorker(QStringLiteral("faktory:w3"))).has_value());
        QCOMPARE(client.command("BEAT {\"wid\":\"w3\"}"), "{\"state\":\"terminate\"}");
        QCOMPARE(client.command("FETCH"), "$-1");
    }

    void queuePauseResumeRemove()
    {
        FaktoryFixture f;
        QVERIFY(f.start());
        RawClient client(f.port());
        QVERIFY(client.hello(",\"wid\":\"w4\""));
        QCOMPARE(client.command("PUSH " + fjob("j1", "pq")), "+OK");
        QCOMPARE(client.command("QUEUE PAUSE pq"), "+OK");
        QCOMPARE(client.command("FETCH pq"), "$-1");
        QCOMPARE(client.command("QUEUE RESUME *"), "+OK");
        QVERIFY(client.command("FETCH pq").contains("\"j1\""));
        QCOMPARE(client.command("QUEUE REMOVE pq"), "+OK");
        QD_AWAIT(gone, f.engine().listQueues(QStringLiteral("default")));
        for (const QueueInfo &queue : gone)
            QVERIFY(queue.name != u"pq");
        QVERIFY(client.command("QUEUE FROB x").startsWith("-ERR QUEUE takes"));
    }
};

QTEST_GUILESS_MAIN(TestFaktory)
#include "tst_faktory.moc"
