// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The Faktory listener on raw sockets: framing, handshake, and the edge cases of the protocol.
#include "enginefixture.h"
#include "faktorycommandparser.h"
#include "faktorymutation.h"
#include "faktoryserver.h"
#include "faktoryservice.h"
#include "servercertificate.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSslSocket>
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
        if (!m_engine && !startEngine())
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
    QString dataDirectory() const { return m_dir.path(); }
    // Prepares the engine alone, for a test that needs it before the listener starts.
    bool startEngine()
    {
        EngineOptions engineOptions;
        engineOptions.dataDirectory = m_dir.path();
        m_engine = std::make_unique<Engine>(engineOptions);
        return m_engine->start().has_value();
    }
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
    explicit RawClient(quint16 port) : m_owned(std::make_unique<QTcpSocket>()), m_socket(*m_owned)
    {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        m_socket.waitForConnected(5000);
    }
    // Over TLS, trusting only the given certificate (tcp+tls:// in Faktory's clients).
    RawClient(quint16 port, const QSslCertificate &trusted)
        : m_owned(std::make_unique<QSslSocket>()), m_socket(*m_owned)
    {
        auto &socket = static_cast<QSslSocket &>(m_socket);
        QSslConfiguration configuration = socket.sslConfiguration();
        configuration.setCaCertificates({trusted});
        socket.setSslConfiguration(configuration);
        socket.connectToHostEncrypted(QStringLiteral("localhost"), port);
        m_encrypted = socket.waitForEncrypted(10000);
    }
    bool encrypted() const { return m_encrypted; }
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
    std::unique_ptr<QTcpSocket> m_owned;
    QTcpSocket &m_socket;
    bool m_encrypted = false;
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

// The state of the task a jid became, by its idempotency key; nullopt when there is none.
std::optional<TaskState> stateOfJid(Engine &engine, const QString &jid)
{
    auto page = await(engine.listTasks({}, TaskFilter{std::nullopt, {}, {}, 1000, {}}));
    if (!page)
        return std::nullopt;
    for (const TaskInfo &task : page->items) {
        if (task.idempotencyKey == jid)
            return task.state;
    }
    return std::nullopt;
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
        QVERIFY(f.startEngine());
        QD_AWAIT(password, f.engine().faktoryPassword(false));
        QVERIFY(password.startsWith(u"qdf_"));
        FaktoryOptions options;
        options.requirePassword = true;
        QVERIFY(f.start(options));
        auto helloWith = [](RawClient &client, const QString &secret) {
            const QJsonObject hi = QJsonDocument::fromJson(client.read().mid(4)).object();
            const QByteArray hash = FaktoryService::passwordHash(secret, hi.value(u"s").toString(),
                                                                 hi.value(u"i").toInt());
            return client.command("HELLO {\"v\":2,\"pwdhash\":\"" + hash + "\"}");
        };
        RawClient good(f.port());
        QCOMPARE(helloWith(good, password), "+OK");
        QCOMPARE(good.command("PUSH " + fjob("p1")), "+OK");

        RawClient bad(f.port());
        const QJsonObject hi = QJsonDocument::fromJson(bad.read().mid(4)).object();
        QCOMPARE(hi.value(u"v").toInt(), 2);
        QVERIFY(hi.value(u"i").toInt() >= 4000);
        QCOMPARE(bad.command("HELLO {\"v\":2,\"pwdhash\":\"00\"}"), "-ERR Invalid password");
        QVERIFY(bad.waitForClosed(5000));

        // A rotation applies to the next connection; the one open goes on.
        QD_AWAIT(rotated, f.engine().faktoryPassword(true));
        QVERIFY(rotated != password);
        RawClient old(f.port());
        QCOMPARE(helloWith(old, password), "-ERR Invalid password");
        RawClient renewed(f.port());
        QCOMPARE(helloWith(renewed, rotated), "+OK");
        QCOMPARE(good.command("PUSH " + fjob("p2")), "+OK");
    }

    void tlsListener()
    {
        FaktoryFixture f;
        auto certificate = Api::prepareServerCertificate(
            f.dataDirectory(), Api::certificateHosts({}, QStringLiteral("127.0.0.1")));
        QVERIFY2(certificate.has_value(),
                 certificate ? "" : qPrintable(certificate.error().message));
        FaktoryOptions options;
        options.certificatePath = certificate->certificatePath;
        options.keyPath = certificate->keyPath;
        QVERIFY(f.start(options));
        QFile file(certificate->certificatePath);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const auto trusted = QSslCertificate::fromData(file.readAll(), QSsl::Pem);
        QVERIFY(!trusted.isEmpty());
        RawClient client(f.port(), trusted.first());
        QVERIFY(client.encrypted());
        QVERIFY(client.hello(",\"wid\":\"tls\""));
        QCOMPARE(client.command("PUSH " + fjob("t1")), "+OK");
        QVERIFY(client.command("FETCH").contains("\"t1\""));
        QCOMPARE(client.command("ACK {\"jid\":\"t1\"}"), "+OK");
        // Plain text on the TLS port gets no Faktory greeting.
        RawClient plain(f.port());
        QVERIFY(!plain.read(1000).startsWith("+HI"));

        FaktoryFixture g;
        FaktoryOptions broken;
        broken.certificatePath = certificate->certificatePath;
        QVERIFY(!g.start(broken)); // a certificate without its key is refused
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

    void mutationGlobIsRedisMatch()
    {
        QVERIFY(FaktoryMutation::globMatch("*", ""));
        QVERIFY(FaktoryMutation::globMatch("*uid:7*", R"({"args":["uid:7"]})"));
        QVERIFY(!FaktoryMutation::globMatch("*uid:7*", R"({"args":["uid:8"]})"));
        QVERIFY(FaktoryMutation::globMatch("a?c", "abc"));
        QVERIFY(!FaktoryMutation::globMatch("a?c", "abbc"));
        QVERIFY(FaktoryMutation::globMatch("[a-c]x[^y]", "bxz"));
        QVERIFY(!FaktoryMutation::globMatch("[a-c]x[^y]", "bxy"));
        QVERIFY(FaktoryMutation::globMatch("a\\*b", "a*b"));
        QVERIFY(!FaktoryMutation::globMatch("a\\*b", "axb"));
        QVERIFY(FaktoryMutation::globMatch("*a*a*a*b", "aaaaaaaaab"));
        QVERIFY(!FaktoryMutation::globMatch("*a*a*a*b", "aaaaaaaaaa"));
        QVERIFY(!FaktoryMutation::parse(R"({"cmd":"kill"})").has_value());
        QVERIFY(!FaktoryMutation::parse(R"({"cmd":"zap","target":"dead"})").has_value());
        QVERIFY(
            !FaktoryMutation::parse(R"({"cmd":"kill","target":"dead","filter":3})").has_value());
        QVERIFY(
            FaktoryMutation::parse(R"({"cmd":"kill","target":"dead","filter":{}})").has_value());
    }

    void mutateKillRequeueDiscardClear()
    {
        FaktoryFixture f;
        QVERIFY(f.start());
        // Failed jobs wait out a long backoff, so they stay in the retries set while tested.
        QueueSettings settings;
        settings.retry.initialBackoffMs = 600000;
        settings.retry.maxBackoffMs = 600000;
        QD_AWAIT(made,
                 f.engine().createQueue(QStringLiteral("default"), QStringLiteral("mq"), settings));
        RawClient client(f.port());
        QVERIFY(client.hello(",\"wid\":\"mw\""));
        const QByteArray later =
            ",\"at\":\"" +
            QDateTime::currentDateTimeUtc().addSecs(3600).toString(Qt::ISODate).toLatin1() + '"';
        auto push = [&](const QByteArray &jid, const QByteArray &type, const QByteArray &extra) {
            return client.command("PUSH {\"jid\":\"" + jid + "\",\"jobtype\":\"" + type +
                                  "\",\"args\":[],\"queue\":\"mq\"" + extra + '}');
        };
        QCOMPARE(push("s1", "A", later), "+OK");
        QCOMPARE(push("s2", "B", later), "+OK");
        QCOMPARE(push("s3", "A", later + ",\"custom\":{\"who\":\"uid:7\"}"), "+OK");
        QCOMPARE(push("r1", "A", ",\"retry\":3"), "+OK");
        QVERIFY(client.command("FETCH mq").contains("\"r1\""));
        QCOMPARE(client.command("FAIL {\"jid\":\"r1\",\"errtype\":\"E\",\"message\":\"m\"}"),
                 "+OK");
        QCOMPARE(push("d1", "A", ",\"retry\":0"), "+OK");
        QVERIFY(client.command("FETCH mq").contains("\"d1\""));
        QCOMPARE(client.command("FAIL {\"jid\":\"d1\",\"errtype\":\"E\",\"message\":\"m\"}"),
                 "+OK");
        Engine &engine = f.engine();
        QCOMPARE(stateOfJid(engine, QStringLiteral("r1")), TaskState::Scheduled);
        QCOMPARE(stateOfJid(engine, QStringLiteral("d1")), TaskState::Dead);

        QVERIFY(client.command("MUTATE nonsense").startsWith("-ERR MUTATE: give"));
        QVERIFY(client.command(R"(MUTATE {"cmd":"kill","target":"queues"})")
                    .startsWith("-ERR MUTATE: target must be"));
        // kill with jobtype and regexp: only s3 (A, uid:7) goes to the dead set.
        QCOMPARE(client.command(R"(MUTATE {"cmd":"kill","target":"scheduled","filter":)"
                                R"({"jobtype":"A","regexp":"*uid:7*"}})"),
                 "+OK");
        QCOMPARE(stateOfJid(engine, QStringLiteral("s3")), TaskState::Cancelled);
        QCOMPARE(stateOfJid(engine, QStringLiteral("s1")), TaskState::Scheduled);
        QCOMPARE(stateOfJid(engine, QStringLiteral("s2")), TaskState::Scheduled);
        const QJsonObject sets =
            info(client).value(u"faktory").toObject().value(u"sets").toObject();
        QCOMPARE(sets.value(u"dead").toInt(), 2);
        // The retries set is not the scheduled set: killing "scheduled" left r1 alone.
        QCOMPARE(stateOfJid(engine, QStringLiteral("r1")), TaskState::Scheduled);
        // requeue the retries by jid: r1 runs now.
        QCOMPARE(client.command(R"(MUTATE {"cmd":"requeue","target":"retries","filter":)"
                                R"({"jids":["r1","nope"]}})"),
                 "+OK");
        QCOMPARE(stateOfJid(engine, QStringLiteral("r1")), TaskState::Queued);
        QVERIFY(client.command("FETCH mq").contains("\"r1\""));
        QCOMPARE(client.command("ACK {\"jid\":\"r1\"}"), "+OK");
        // requeue from the dead set by jid: d1 is queued again, s3 stays dead.
        QCOMPARE(client.command(R"(MUTATE {"cmd":"requeue","target":"dead","filter":)"
                                R"({"jids":["d1"]}})"),
                 "+OK");
        QCOMPARE(stateOfJid(engine, QStringLiteral("d1")), TaskState::Queued);
        QCOMPARE(stateOfJid(engine, QStringLiteral("s3")), TaskState::Cancelled);
        // discard the scheduled B jobs: s2 is gone, s1 stays.
        QCOMPARE(client.command(R"(MUTATE {"cmd":"discard","target":"scheduled","filter":)"
                                R"({"jobtype":"B"}})"),
                 "+OK");
        QCOMPARE(stateOfJid(engine, QStringLiteral("s2")), std::nullopt);
        QCOMPARE(stateOfJid(engine, QStringLiteral("s1")), TaskState::Scheduled);
        // clear ignores the filter: the whole set goes.
        QCOMPARE(client.command(R"(MUTATE {"cmd":"clear","target":"dead","filter":)"
                                R"({"jobtype":"Nothing"}})"),
                 "+OK");
        QCOMPARE(stateOfJid(engine, QStringLiteral("s3")), std::nullopt);
        QCOMPARE(client.command(R"(MUTATE {"cmd":"clear","target":"scheduled"})"), "+OK");
        QCOMPARE(stateOfJid(engine, QStringLiteral("s1")), std::nullopt);
        QCOMPARE(stateOfJid(engine, QStringLiteral("d1")), TaskState::Queued); // not in a set
    }

    void lostWidWhoseSlotIsTakenIsNotTerminated()
    {
        FaktoryFixture f;
        QVERIFY(f.start());
        QueueSettings settings;
        settings.workerTimeoutS = 5; // the least allowed
        settings.maxWorkers = 1;
        QD_AWAIT(made,
                 f.engine().createQueue(QStringLiteral("default"), QStringLiteral("lq"), settings));
        RawClient silent(f.port());
        QVERIFY(silent.hello(",\"wid\":\"la\""));
        QCOMPARE(silent.command("FETCH lq"), "$-1"); // registered, then silent
        RawClient other(f.port());
        QVERIFY(other.hello(",\"wid\":\"lb\""));
        // Once la is lost, lb takes the only slot.
        QTRY_COMPARE_WITH_TIMEOUT(other.command("FETCH lq"), QByteArray("$-1"), 20000);
        // la's next BEAT is not a terminate: it registers again at its next FETCH.
        QCOMPARE(silent.command("BEAT {\"wid\":\"la\"}"), "+OK");
        QVERIFY(silent.command("FETCH lq").startsWith("-ERR"));
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
