// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// End to end: the real `qdeck serve`, driven over HTTP through the client library.

#include "enginefixture.h"
#include "queuedeckclient.h"
#include "serverprocess.h"

#include <QJsonArray>
#include <QTcpSocket>

using namespace QueueDeck;
using namespace QueueDeck::Client;
using namespace QueueDeck::Testing;

namespace {

std::unique_ptr<QueueDeckClient> clientFor(const ServerProcess &server, const QString &token)
{
    return std::make_unique<QueueDeckClient>(ClientOptions{QUrl(server.url()), token});
}

// The join token inside a worker command: QUEUEDECK_TOKEN=qdj_… qdeck worker start …
QString joinTokenOf(const QJsonObject &command)
{
    return command.value(QStringLiteral("command")).toString().section(u' ', 0, 0).section(u'=', 1);
}

} // namespace

class TestApi final : public QObject
{
    Q_OBJECT

    ServerProcess m_server;
    std::unique_ptr<QueueDeckClient> m_admin;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_server.start());
        QVERIFY(m_server.adminToken().startsWith(u"qda_"));
        QFile token(m_server.dataDir() + QStringLiteral("/admin-token"));
        QCOMPARE(token.permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther),
                 QFileDevice::Permissions());
        m_admin = clientFor(m_server, m_server.adminToken());
    }

    void workerFlowThroughTheApi()
    {
        QueueSettings settings;
        settings.maxWorkers = 3;
        QD_AWAIT(queue,
                 m_admin->createQueue(QStringLiteral("default"), QStringLiteral("flow"), settings));
        QCOMPARE(queue.settings.maxWorkers, 3);
        QD_AWAIT(command, m_admin->workerCommand(queue.id));
        const QString text = command.value(QStringLiteral("command")).toString();
        QVERIFY2(text.startsWith(u"QUEUEDECK_TOKEN=qdj_"), qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("qdeck worker start --queue-id ") + queue.id));
        QVERIFY(text.contains(QStringLiteral("--server ") + m_server.url()));

        auto joiner = clientFor(m_server, joinTokenOf(command));
        QD_AWAIT(registration, joiner->registerWorker(workerOn({queue.id})));
        QVERIFY(registration.credential.startsWith(u"qdw_"));
        auto worker = clientFor(m_server, registration.credential);

        // A parked lease is answered by an enqueue, long before its wait ends.
        QElapsedTimer timer;
        timer.start();
        auto parked = worker->lease(registration.workerId, 8, 30000);
        QD_AWAIT(task, m_admin->enqueue(queue.id, job(R"({"to":"ada@example.com"})")));
        QD_AWAIT(leased, parked);
        QVERIFY2(timer.elapsed() < 10000, qPrintable(QString::number(timer.elapsed())));
        QCOMPARE(leased.size(), 1);
        QCOMPARE(leased[0].id, task.id);
        QCOMPARE(leased[0].payload, QByteArray(R"({"to":"ada@example.com"})"));

        auto waiting = m_admin->task(task.id, 20);
        QD_AWAIT(outcomes, worker->complete(registration.workerId,
                                            {{task.id, leased[0].leaseId, R"({"sent":true})"}}));
        QCOMPARE(outcomes.size(), 1);
        QVERIFY(!outcomes[0].error);
        QD_AWAIT(finished, waiting);
        QCOMPARE(finished.state, TaskState::Succeeded);
        QCOMPARE(finished.result, QByteArray(R"({"sent":true})"));

        QD_AWAIT(info, m_admin->queue(queue.id));
        QCOMPARE(info.counts.workersOnline, 1);
        QCOMPARE(info.status, QueueStatus::Active);
        QD_AWAIT(workers, m_admin->listWorkers(queue.id));
        QCOMPARE(workers.size(), 1);
        QCOMPARE(workers[0].done, qint64(1));
        QD_AWAIT_VOID(worker->deregisterWorker(registration.workerId));
        // Its credential is revoked with it.
        auto refused = await(worker->heartbeat(registration.workerId, {}));
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, ErrorCode::Unauthenticated);
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

    void errorCodesSayWhatToChange()
    {
        auto notFound = await(m_admin->call("GET", QStringLiteral("/api/v1/nothing-here")));
        QCOMPARE(notFound.error().code, ErrorCode::NotFound);
        auto wrongMethod = await(m_admin->call("PUT", QStringLiteral("/api/v1/worker-queues")));
        QCOMPARE(wrongMethod.error().code, ErrorCode::MethodNotAllowed);
        auto unknownField = await(
            m_admin->call("POST", QStringLiteral("/api/v1/environments/default/worker-queues"),
                          QJsonObject{{QStringLiteral("name"), QStringLiteral("typo")},
                                      {QStringLiteral("max_worker"), 3}}));
        QCOMPARE(unknownField.error().code, ErrorCode::InvalidArgument);
        QVERIFY(unknownField.error().message.contains(QStringLiteral("max_worker")));
        auto wrongType = await(
            m_admin->call("POST", QStringLiteral("/api/v1/environments/default/worker-queues"),
                          QJsonObject{{QStringLiteral("name"), QStringLiteral("t")},
                                      {QStringLiteral("max_workers"), QStringLiteral("ten")}}));
        QCOMPARE(wrongType.error().code, ErrorCode::InvalidArgument);
        QVERIFY(wrongType.error().message.contains(
            QStringLiteral("max_workers must be a whole number")));

        QueueSettings small;
        small.maxDepth = 1;
        small.maxWorkers = 1;
        QD_AWAIT(queue,
                 m_admin->createQueue(QStringLiteral("default"), QStringLiteral("tiny"), small));
        auto duplicate =
            await(m_admin->createQueue(QStringLiteral("default"), QStringLiteral("tiny")));
        QCOMPARE(duplicate.error().code, ErrorCode::AlreadyExists);
        QD_AWAIT(first, m_admin->enqueue(queue.id, job()));
        auto full = await(m_admin->enqueue(queue.id, job()));
        QCOMPARE(full.error().code, ErrorCode::ResourceExhausted);
        QD_AWAIT(command, m_admin->workerCommand(queue.id));
        auto joiner = clientFor(m_server, joinTokenOf(command));
        QD_AWAIT(one, joiner->registerWorker(workerOn({queue.id})));
        auto noCapacity = await(joiner->registerWorker(workerOn({queue.id})));
        QCOMPARE(noCapacity.error().code, ErrorCode::ResourceExhausted);
        QVERIFY(noCapacity.error().message.contains(QStringLiteral("no capacity")));
    }

    void malformedJsonSaysWhere()
    {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_server.port());
        QVERIFY(socket.waitForConnected(5000));
        const QByteArray body = R"({"name": "x", "max_workers": })";
        socket.write("POST /api/v1/environments/default/worker-queues HTTP/1.1\r\nHost: "
                     "x\r\nAuthorization: Bearer " +
                     m_server.adminToken().toUtf8() +
                     "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body);
        QByteArray answer;
        QTRY_VERIFY((answer += socket.readAll()).contains("}}"));
        QVERIFY2(answer.startsWith("HTTP/1.1 400 "), answer.constData());
        QVERIFY(answer.contains("not valid JSON"));
        QVERIFY(answer.contains("at byte"));
    }

    void earlyDisconnectsLeakNoLease()
    {
        QD_AWAIT(queue, m_admin->createQueue(QStringLiteral("default"), QStringLiteral("leaky")));
        QD_AWAIT(command, m_admin->workerCommand(queue.id));
        auto joiner = clientFor(m_server, joinTokenOf(command));
        QD_AWAIT(registration, joiner->registerWorker(workerOn({queue.id})));
        const QByteArray body = R"({"max":5,"wait_ms":60000})";
        const QByteArray request = "POST /api/v1/workers/" + registration.workerId.toUtf8() +
                                   "/lease HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                                   registration.credential.toUtf8() +
                                   "\r\nContent-Length: " + QByteArray::number(body.size()) +
                                   "\r\n\r\n" + body;
        // 1,000 clients park a lease and leave before any answer; then the tasks arrive. (A client
        // that leaves after its answer reached it got the tasks: those come back when their lease
        // expires, the at-least-once contract.)
        for (int round = 0; round < 5; ++round) {
            std::vector<std::unique_ptr<QTcpSocket>> sockets;
            for (int i = 0; i < 200; ++i) {
                sockets.push_back(std::make_unique<QTcpSocket>());
                sockets.back()->connectToHost(QHostAddress::LocalHost, m_server.port());
                QVERIFY(sockets.back()->waitForConnected(5000));
                sockets.back()->write(request);
                QVERIFY(sockets.back()->waitForBytesWritten(5000));
            }
            for (auto &socket : sockets)
                socket->abort();
        }
        QD_AWAIT(ids, m_admin->enqueueBatch(queue.id, QList<EnqueueRequest>(100, job())));
        QVERIFY(m_server.isRunning());
        // Every task is either still queued or was handed back; a live worker gets all 100.
        auto worker = clientFor(m_server, registration.credential);
        int leasedTotal = 0;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                auto leased = await(worker->lease(registration.workerId, 100, 0));
                if (!leased)
                    return false;
                QList<TaskAck> acks;
                for (const LeasedTask &task : *leased)
                    acks.append({task.id, task.leaseId, {}});
                if (!acks.isEmpty() && !await(worker->complete(registration.workerId, acks)))
                    return false;
                leasedTotal += int(leased->size());
                return leasedTotal >= 100;
            }(),
            20000);
        QD_AWAIT(info, m_admin->queue(queue.id));
        QCOMPARE(info.counts.running, qint64(0));
        QCOMPARE(info.counts.queued, qint64(0));
        QCOMPARE(info.counts.succeeded, qint64(100));
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

    void prometheusAndHealth()
    {
        auto anyone = clientFor(m_server, QString());
        QD_AWAIT(health, anyone->call("GET", QStringLiteral("/api/v1/health")));
        QCOMPARE(health.value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
        QD_AWAIT(text, m_admin->callText("GET", QStringLiteral("/metrics")));
        QVERIFY(text.contains("# TYPE queuedeck_queue_depth gauge"));
        QVERIFY(text.contains("queue=\"flow\""));
    }

    void gracefulShutdownAnswersParkedRequests()
    {
        QD_AWAIT(queue,
                 m_admin->createQueue(QStringLiteral("default"), QStringLiteral("shutdown")));
        QD_AWAIT(command, m_admin->workerCommand(queue.id));
        auto joiner = clientFor(m_server, joinTokenOf(command));
        QD_AWAIT(registration, joiner->registerWorker(workerOn({queue.id})));
        QD_AWAIT(task, m_admin->enqueue(queue.id, job()));

        auto park = [this](const QByteArray &method, const QByteArray &path, const QString &token,
                           const QByteArray &body) {
            auto socket = std::make_unique<QTcpSocket>();
            socket->connectToHost(QHostAddress::LocalHost, m_server.port());
            socket->waitForConnected(5000);
            socket->write(method + ' ' + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                          token.toUtf8() + "\r\nContent-Length: " +
                          QByteArray::number(body.size()) + "\r\n\r\n" + body);
            socket->waitForBytesWritten(5000);
            return socket;
        };
        // A second worker with nothing to lease parks; a producer waits for an unfinished task.
        QD_AWAIT(idle, joiner->registerWorker(workerOn({queue.id})));
        QD_AWAIT(first,
                 clientFor(m_server, registration.credential)->lease(registration.workerId, 1, 0));
        QCOMPARE(first.size(), 1);
        auto lease = park("POST", "/api/v1/workers/" + idle.workerId.toUtf8() + "/lease",
                          idle.credential, R"({"max":1,"wait_ms":60000})");
        auto wait = park("GET", "/api/v1/tasks/" + task.id.toUtf8() + "?wait_s=60",
                         m_server.adminToken(), {});
        QTest::qWait(300); // both are parked on the server now

        QCOMPARE(m_server.stop(), 0);
        auto answerOf = [](QTcpSocket &socket) {
            QByteArray data = socket.readAll();
            while (socket.waitForReadyRead(2000))
                data += socket.readAll();
            return data;
        };
        const QByteArray leaseAnswer = answerOf(*lease);
        QVERIFY2(leaseAnswer.startsWith("HTTP/1.1 200 "), leaseAnswer.constData());
        QVERIFY(leaseAnswer.endsWith("{\"tasks\":[]}"));
        const QByteArray waitAnswer = answerOf(*wait);
        QVERIFY2(waitAnswer.startsWith("HTTP/1.1 503 "), waitAnswer.constData());
        QVERIFY(waitAnswer.contains("shutting down"));
    }
};

QTEST_GUILESS_MAIN(TestApi)
#include "tst_api.moc"
