// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The tokens of the real `qdeck serve` over HTTP: which token may call what, producer tokens and
// their audit, viewer tokens.

#include "apitestsupport.h"
#include "enginefixture.h"
#include "eventstream.h"
#include "runsclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpSocket>
#include <QTemporaryDir>

using namespace QueueDeck;
using namespace QueueDeck::Client;
using namespace QueueDeck::Testing;
using namespace Qt::StringLiterals;

class TestApiTokens final : public QObject
{
    Q_OBJECT

    ServerProcess m_server;
    std::unique_ptr<QueueDeckClient> m_admin;

private Q_SLOTS:
    void initTestCase()
    {
        QFile::remove(QStringLiteral(RESPONSE_LOG));
        QVERIFY(m_server.start());
        m_admin = clientFor(m_server, m_server.adminToken());
    }

    void tokenMatrix()
    {
        QD_AWAIT(a, m_admin->createQueue(QStringLiteral("default"), QStringLiteral("matrix-a")));
        QD_AWAIT(b, m_admin->createQueue(QStringLiteral("default"), QStringLiteral("matrix-b")));
        QD_AWAIT(commandA, m_admin->workerCommand(a.id));
        auto joinA = clientFor(m_server, joinTokenOf(commandA));
        QD_AWAIT(w1, joinA->registerWorker(workerOn({a.id})));
        QD_AWAIT(w2, joinA->registerWorker(workerOn({a.id})));
        auto worker1 = clientFor(m_server, w1.credential);
        auto nobody = clientFor(m_server, QString());
        auto wrong = clientFor(m_server, QStringLiteral("qda_not-a-real-token"));

        struct Case
        {
            const char *name;
            QueueDeckClient *client;
            QByteArray method;
            QString path;
            QJsonObject body;
            ErrorCode expected;
        };
        const QString leaseOfW2 = QStringLiteral("/api/v1/workers/%1/lease").arg(w2.workerId);
        const QList<Case> cases{
            {"no token on an admin route",
             nobody.get(),
             "GET",
             QStringLiteral("/api/v1/worker-queues"),
             {},
             ErrorCode::Unauthenticated},
            {"wrong token",
             wrong.get(),
             "GET",
             QStringLiteral("/api/v1/worker-queues"),
             {},
             ErrorCode::Unauthenticated},
            {"join token on an admin route",
             joinA.get(),
             "GET",
             QStringLiteral("/api/v1/worker-queues"),
             {},
             ErrorCode::PermissionDenied},
            {"join token of A registering on B", joinA.get(), "POST",
             QStringLiteral("/api/v1/workers/register"),
             QJsonObject{{QStringLiteral("queue_id"), b.id}}, ErrorCode::PermissionDenied},
            {"join token enqueueing", joinA.get(), "POST",
             QStringLiteral("/api/v1/worker-queues/%1/tasks").arg(a.id),
             QJsonObject{{QStringLiteral("type"), QStringLiteral("x")}},
             ErrorCode::PermissionDenied},
            {"worker credential of another worker", worker1.get(), "POST", leaseOfW2,
             QJsonObject{{QStringLiteral("max"), 1}}, ErrorCode::PermissionDenied},
            {"worker credential on an admin route",
             worker1.get(),
             "POST",
             QStringLiteral("/api/v1/worker-queues/%1/purge").arg(a.id),
             {},
             ErrorCode::PermissionDenied},
            {"worker registering more workers", worker1.get(), "POST",
             QStringLiteral("/api/v1/workers/register"),
             QJsonObject{{QStringLiteral("queue_id"), a.id}}, ErrorCode::PermissionDenied},
        };
        for (const Case &c : cases) {
            auto result = await(c.client->call(c.method, c.path, c.body));
            QVERIFY2(!result, c.name);
            QVERIFY2(
                result.error().code == c.expected,
                qPrintable(QStringLiteral("%1: got %2 %3")
                               .arg(QString::fromLatin1(c.name), errorCodeName(result.error().code),
                                    result.error().message)));
        }
        // And what each token may do, it can.
        QD_AWAIT(own, worker1->lease(w1.workerId, 1, 0));
        QVERIFY(own.isEmpty());
        QD_AWAIT(beat, worker1->heartbeat(w1.workerId, {}));
        QCOMPARE(beat.command, WorkerCommand::Run);
    }

    void producerTokensAndAudit()
    {
        QD_AWAIT(mine,
                 m_admin->createQueue(QStringLiteral("default"), QStringLiteral("producer-mine")));
        QD_AWAIT(other,
                 m_admin->createQueue(QStringLiteral("default"), QStringLiteral("producer-other")));
        QD_AWAIT(created,
                 m_admin->call("POST", QStringLiteral("/api/v1/producer-tokens"),
                               QJsonObject{{QStringLiteral("name"), QStringLiteral("billing")},
                                           {QStringLiteral("queue_ids"), QJsonArray{mine.id}}}));
        const QString token = created.value(QStringLiteral("token")).toString();
        QVERIFY(token.startsWith(u"qdp_"));
        auto duplicate =
            await(m_admin->call("POST", QStringLiteral("/api/v1/producer-tokens"),
                                QJsonObject{{QStringLiteral("name"), QStringLiteral("billing")},
                                            {QStringLiteral("queue_ids"), QJsonArray{mine.id}}}));
        QCOMPARE(duplicate.error().code, ErrorCode::AlreadyExists);
        QD_AWAIT(listed, m_admin->call("GET", QStringLiteral("/api/v1/producer-tokens")));
        const QJsonObject first =
            listed.value(QStringLiteral("items")).toArray().first().toObject();
        QCOMPARE(first.value(QStringLiteral("name")).toString(), QStringLiteral("billing"));
        QVERIFY(!first.contains(QStringLiteral("token"))); // shown once only

        auto producer = clientFor(m_server, token);
        QD_AWAIT(task, producer->enqueue(mine.id, job()));
        QD_AWAIT(read, producer->task(task.id));
        QCOMPARE(read.id, task.id);
        auto elsewhere = await(producer->enqueue(other.id, job()));
        QCOMPARE(elsewhere.error().code, ErrorCode::PermissionDenied);
        QD_AWAIT(otherTask, m_admin->enqueue(other.id, job()));
        auto readElsewhere = await(producer->task(otherTask.id));
        QCOMPARE(readElsewhere.error().code, ErrorCode::PermissionDenied);
        auto adminRoute = await(producer->listQueues());
        QCOMPARE(adminRoute.error().code, ErrorCode::PermissionDenied);

        QD_AWAIT(revoked,
                 m_admin->call("DELETE", QStringLiteral("/api/v1/producer-tokens/billing")));
        auto afterRevoke = await(producer->enqueue(mine.id, job()));
        QCOMPARE(afterRevoke.error().code, ErrorCode::Unauthenticated);

        QD_AWAIT(
            purged,
            m_admin->call("POST", QStringLiteral("/api/v1/worker-queues/%1/purge").arg(mine.id)));
        QD_AWAIT(audit, m_admin->call("GET", QStringLiteral("/api/v1/audit?limit=10")));
        QStringList actions;
        for (const QJsonValue &entry : audit.value(QStringLiteral("items")).toArray()) {
            const QJsonObject o = entry.toObject();
            actions.append(o.value(QStringLiteral("action")).toString() + u' ' +
                           o.value(QStringLiteral("target")).toString());
            QCOMPARE(o.value(QStringLiteral("actor_kind")).toString(), QStringLiteral("admin"));
        }
        QVERIFY2(
            actions.contains(QStringLiteral("POST /api/v1/worker-queues/{qid}/purge ") + mine.id),
            qPrintable(actions.join(u'\n')));
        QVERIFY(actions.contains(QStringLiteral("DELETE /api/v1/producer-tokens/{name} billing")));
        QVERIFY(actions.contains(QStringLiteral("POST /api/v1/producer-tokens ")));
        // Enqueues are not admin actions and stay out of the log.
        for (const QString &action : actions)
            QVERIFY(!action.contains(QStringLiteral("/tasks ")));
    }

    // A connection keeps the hash of the token it presented, so a client sending one token on
    // every request pays one SHA-256 per connection. Each request is still judged against the
    // live tokens: another token on that connection is judged as itself, a wrong one of the same
    // length is refused, and a revocation is seen by the very next request on the connection.
    void tokensOnOneConnection()
    {
        QD_AWAIT(queue,
                 m_admin->createQueue(QStringLiteral("default"), QStringLiteral("kept-alive")));
        auto tokenNamed = [&](const QString &name) {
            auto created = await(
                m_admin->call("POST", QStringLiteral("/api/v1/producer-tokens"),
                              QJsonObject{{QStringLiteral("name"), name},
                                          {QStringLiteral("queue_ids"), QJsonArray{queue.id}}}));
            return created ? created->value(QStringLiteral("token")).toString().toUtf8()
                           : QByteArray();
        };
        const QByteArray kept = tokenNamed(QStringLiteral("kept"));
        const QByteArray other = tokenNamed(QStringLiteral("other"));
        QVERIFY(kept.startsWith("qdp_") && other.startsWith("qdp_"));
        QByteArray mistyped = kept;
        mistyped.back() = mistyped.back() == 'a' ? 'b' : 'a';

        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_server.port());
        QVERIFY(socket.waitForConnected(5000));
        // One request on the connection and the status of its whole answer.
        auto enqueueWith = [&](const QByteArray &token) -> int {
            const QByteArray body = R"({"payload":{},"type":"job"})";
            socket.write("POST /api/v1/worker-queues/" + queue.id.toUtf8() +
                         "/tasks HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
                         "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" +
                         body);
            QByteArray answer;
            qsizetype end = -1;
            qsizetype length = -1;
            while (length < 0 || answer.size() < end + 4 + length) {
                if (socket.state() != QAbstractSocket::ConnectedState ||
                    !socket.waitForReadyRead(5000))
                    return -1;
                answer += socket.readAll();
                end = answer.indexOf("\r\n\r\n");
                const qsizetype at = answer.toLower().indexOf("content-length: ");
                if (end >= 0 && at >= 0 && at < end)
                    length = answer.mid(at + 16, answer.indexOf("\r\n", at) - at - 16).toInt();
            }
            return answer.mid(9, 3).toInt();
        };
        QCOMPARE(enqueueWith(kept), 201);
        QCOMPARE(enqueueWith(kept), 201);
        QCOMPARE(enqueueWith(mistyped), 401);
        QCOMPARE(enqueueWith(other), 201);
        QCOMPARE(enqueueWith(kept), 201);
        QD_AWAIT(revoked, m_admin->call("DELETE", QStringLiteral("/api/v1/producer-tokens/kept")));
        QCOMPARE(enqueueWith(kept), 401);
        QCOMPARE(enqueueWith(other), 201);
    }

    // A viewer token reads what the admin reads, changes nothing, and is revocable.
    void viewerTokens()
    {
        QD_AWAIT(queue, m_admin->createQueue(QStringLiteral("default"), QStringLiteral("viewed")));
        QD_AWAIT(created,
                 m_admin->call("POST", QStringLiteral("/api/v1/viewer-tokens"),
                               QJsonObject{{QStringLiteral("name"), QStringLiteral("wall")}}));
        const QString token = created.value(QStringLiteral("token")).toString();
        QVERIFY(token.startsWith(u"qdv_"));
        auto unknown =
            await(m_admin->call("POST", QStringLiteral("/api/v1/viewer-tokens"),
                                QJsonObject{{QStringLiteral("name"), QStringLiteral("x")},
                                            {QStringLiteral("queue_ids"), QJsonArray{queue.id}}}));
        QCOMPARE(unknown.error().code, ErrorCode::InvalidArgument);
        auto viewer = clientFor(m_server, token);
        QD_AWAIT(listed, viewer->call("GET", QStringLiteral("/api/v1/viewer-tokens")));
        const QJsonObject first =
            listed.value(QStringLiteral("items")).toArray().first().toObject();
        QCOMPARE(first.value(QStringLiteral("name")).toString(), QStringLiteral("wall"));
        QVERIFY(!first.contains(QStringLiteral("token"))); // shown once only
        QD_AWAIT(dashboard, viewer->dashboard());
        QD_AWAIT(command, viewer->workerCommand(queue.id));
        QVERIFY(!command.value(QStringLiteral("command")).toString().contains(u"qdj_"));
        auto pause = await(viewer->pauseQueue(queue.id));
        QCOMPARE(pause.error().code, ErrorCode::PermissionDenied);
        QVERIFY(pause.error().message.contains(u"viewer"));
        auto mint = await(viewer->call("POST", QStringLiteral("/api/v1/viewer-tokens"),
                                       QJsonObject{{QStringLiteral("name"), QStringLiteral("y")}}));
        QCOMPARE(mint.error().code, ErrorCode::PermissionDenied);
        QD_AWAIT(revoked, m_admin->call("DELETE", QStringLiteral("/api/v1/viewer-tokens/wall")));
        auto afterRevoke = await(viewer->dashboard());
        QCOMPARE(afterRevoke.error().code, ErrorCode::Unauthenticated);
        auto again = await(m_admin->call("DELETE", QStringLiteral("/api/v1/viewer-tokens/wall")));
        QCOMPARE(again.error().code, ErrorCode::NotFound);
    }
};

QTEST_GUILESS_MAIN(TestApiTokens)
#include "tst_apitokens.moc"
