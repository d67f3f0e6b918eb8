// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// End to end: the real `qdeck serve`, driven over HTTP through the client library: the routes
// against the API document, the worker flow, runs, errors, backup and shutdown. The event stream
// and the tokens have files of their own (tst_apievents.cpp, tst_apitokens.cpp).

#include "apihost.h"
#include "apitestsupport.h"
#include "enginefixture.h"
#include "eventstream.h"
#include "protocol/codec.h"
#include "queuedeckclient.h"
#include "runsclient.h"
#include "serverprocess.h"
#include "typemetricsclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMutex>
#include <QTcpSocket>
#include <QTemporaryDir>

using namespace QueueDeck;
using namespace QueueDeck::Client;
using namespace QueueDeck::Testing;
using namespace Qt::StringLiterals;

namespace {

// "POST /api/v1/tasks/{tid}/ack" for every operation of the OpenAPI document.
QStringList documentedRoutes(const QJsonObject &document)
{
    QStringList out;
    const QJsonObject paths = document.value(QStringLiteral("paths")).toObject();
    for (auto path = paths.begin(); path != paths.end(); ++path) {
        const QJsonObject operations = path.value().toObject();
        for (auto it = operations.begin(); it != operations.end(); ++it)
            out.append(it.key().toUpper() + u' ' + path.key());
    }
    out.sort();
    return out;
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
        QFile::remove(QStringLiteral(RESPONSE_LOG));
        m_server.setLoggingRules(QStringLiteral("queuedeck.api.debug=true")); // parked requests
        QVERIFY(m_server.start());
        QVERIFY(m_server.adminToken().startsWith(u"qda_"));
        QFile token(m_server.dataDir() + QStringLiteral("/admin-token"));
        QCOMPARE(token.permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther),
                 QFileDevice::Permissions());
        m_admin = clientFor(m_server, m_server.adminToken());
    }

    // The routes the server serves and those its OpenAPI document describes are the same set,
    // and the server hands out the document it was built with.
    void documentedRoutesAreServed()
    {
        QFile file(QStringLiteral(OPENAPI_PATH));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject document = QJsonDocument::fromJson(file.readAll()).object();
        QCOMPARE(document.value(QStringLiteral("openapi")).toString(), QStringLiteral("3.0.3"));

        QD_AWAIT(served, m_admin->call("GET", QStringLiteral("/api/v1/openapi.json")));
        QCOMPARE(served, document);

        QTemporaryDir dir;
        EngineOptions engineOptions;
        engineOptions.dataDirectory = dir.path();
        Engine engine(engineOptions);
        QVERIFY(engine.start().has_value());
        Api::ApiOptions apiOptions;
        apiOptions.port = 0;
        Api::ApiHost api(engine, apiOptions);
        QCOMPARE(api.start(), QString());
        QStringList routes = api.routes();
        routes.sort();
        const QStringList documented = documentedRoutes(document);
        for (const QString &route : routes)
            QVERIFY2(documented.contains(route), qPrintable(route + u" is not documented"));
        for (const QString &route : documented)
            QVERIFY2(routes.contains(route), qPrintable(route + u" is documented, not served"));
        api.stop();
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

    // Runs over HTTP (docs/runs.md): max_active_runs on the card, children with the worker's
    // credential, the tree, a wait that the last task ends, and a cancel.
    void runsThroughTheApi()
    {
        QueueSettings settings;
        settings.maxActiveRuns = 1;
        QD_AWAIT(queue,
                 m_admin->createQueue(QStringLiteral("default"), QStringLiteral("runs"), settings));
        QCOMPARE(queue.settings.maxActiveRuns, 1);
        QD_AWAIT(command, m_admin->workerCommand(queue.id));
        auto joiner = clientFor(m_server, joinTokenOf(command));
        QD_AWAIT(registration, joiner->registerWorker(workerOn({queue.id})));
        auto worker = clientFor(m_server, registration.credential);
        RunsClient adminRuns(*m_admin);
        RunsClient workerRuns(*worker);

        QD_AWAIT(first, m_admin->enqueue(queue.id, job()));
        QD_AWAIT(second, m_admin->enqueue(queue.id, job()));
        QCOMPARE(first.runId, first.id);
        QD_AWAIT(leased, worker->lease(registration.workerId, 8, 0));
        QCOMPARE(leased.size(), 1);
        ChildEnqueue child;
        child.parentId = first.id;
        child.task = job(R"({"step":1})");
        // Without the lease the worker holds, refused.
        QD_EXPECT_ERROR(workerRuns.enqueueChild(child), ErrorCode::InvalidArgument);
        child.leaseId = leased[0].leaseId;
        QD_AWAIT(made, workerRuns.enqueueChild(child));
        QCOMPARE(made.parentId, first.id);
        QCOMPARE(made.runId, first.id);
        QD_AWAIT(card, m_admin->queue(queue.id));
        QCOMPARE(card.counts.activeRuns, qint64(1));
        QCOMPARE(card.counts.waitingRuns, qint64(1));

        auto waiting = adminRuns.run(first.id, 20);
        QD_AWAIT(childLease, worker->lease(registration.workerId, 8, 0));
        QCOMPARE(childLease.size(), 1); // the child, not the second root
        QCOMPARE(childLease[0].id, made.id);
        QD_AWAIT(done,
                 worker->complete(registration.workerId, {{first.id, leased[0].leaseId, {}},
                                                          {made.id, childLease[0].leaseId, {}}}));
        QD_AWAIT(run, waiting);
        QCOMPARE(run.state, RunState::Succeeded);
        QCOMPARE(run.total, qint64(2));
        QCOMPARE(run.tasks.at(1).parentId, first.id);
        QVERIFY(run.tasks.at(1).durationMs.has_value());

        QD_AWAIT(cancelled, adminRuns.cancel(second.id));
        QCOMPARE(cancelled, qint64(1));
        QD_AWAIT(after, adminRuns.run(second.id));
        QCOMPARE(after.state, RunState::Failed);
        QD_EXPECT_ERROR(adminRuns.run(QStringLiteral("t_nope")), ErrorCode::InvalidArgument);
    }

    // Every route not walked by the other cases, with what it must answer; the answers are also
    // checked against the OpenAPI document after this test (api_responses_match_openapi).
    void everyRouteAnswers()
    {
        const auto path = [](const QString &pattern, const QString &id) { return pattern.arg(id); };
        QD_AWAIT(version, m_admin->call("GET", QStringLiteral("/api/v1/version")));
        QCOMPARE(version.value(QStringLiteral("api")).toString(), QStringLiteral("v1"));
        QD_AWAIT(environment, m_admin->createEnvironment({QStringLiteral("staging"), {}, true, 0}));
        QCOMPARE(environment.autoCreate, true);
        QVERIFY(environment.createdAtMs > 0);
        QD_AWAIT(environments, m_admin->listEnvironments());
        QCOMPARE(environments.size(), 2);
        QD_AWAIT_VOID(m_admin->createEnvironment({QStringLiteral("scratch"), {}, true, 0}));
        QD_AWAIT_VOID(m_admin->deleteEnvironment(QStringLiteral("scratch")));

        // The Faktory listener's password is made when first asked for; a rotation replaces it.
        QD_AWAIT(faktory, m_admin->call("GET", QStringLiteral("/api/v1/admin/faktory-password")));
        const QString password = faktory.value(QStringLiteral("password")).toString();
        QVERIFY(!password.isEmpty());
        QD_AWAIT(rotated,
                 m_admin->call("POST", QStringLiteral("/api/v1/admin/faktory-password/rotate")));
        QVERIFY(!rotated.value(QStringLiteral("password")).toString().isEmpty());
        QVERIFY(rotated.value(QStringLiteral("password")).toString() != password);

        // Enqueue by name creates the queue in an environment that allows it.
        QD_AWAIT(byName, m_admin->call("POST",
                                       QStringLiteral("/api/v1/environments/staging/queues/"
                                                      "reports/tasks"),
                                       QJsonObject{{QStringLiteral("type"), QStringLiteral("r")}}));
        const QString queueId = byName.value(QStringLiteral("queue_id")).toString();
        QD_AWAIT(staging, m_admin->listQueues(QStringLiteral("staging")));
        QCOMPARE(staging.size(), 1);
        QD_AWAIT(everyQueue, m_admin->call("GET", QStringLiteral("/api/v1/worker-queues")));
        QVERIFY(everyQueue.value(QStringLiteral("items")).toArray().size() >= 1);

        QueuePatch patch;
        patch.description = QStringLiteral("monthly reports");
        QD_AWAIT(patched, m_admin->updateQueue(queueId, patch));
        QCOMPARE(patched.settings.description, QStringLiteral("monthly reports"));
        QD_AWAIT(paused, m_admin->pauseQueue(queueId));
        QCOMPARE(paused.status, QueueStatus::Paused);
        QD_AWAIT(resumed, m_admin->resumeQueue(queueId));
        QCOMPARE(resumed.settings.paused, false);
        QD_AWAIT(before, m_admin->workerCommand(queueId));
        QD_AWAIT_VOID(m_admin->rotateJoinToken(queueId));
        QD_AWAIT(after, m_admin->workerCommand(queueId));
        QVERIFY(joinTokenOf(before) != joinTokenOf(after));

        // Install scripts: no token in a command line, the token where the platform keeps it.
        const QString token = joinTokenOf(after);
        for (const char *platform : {"local", "docker", "kubernetes"}) {
            QD_AWAIT(text, m_admin->installScript(queueId, QString::fromLatin1(platform)));
            QVERIFY2(text.contains(token), platform);
            for (const QString &line : text.split(u'\n')) {
                if (line.contains(u"qdeck worker start") || line.contains(u"docker run"))
                    QVERIFY2(!line.contains(token), qPrintable(line));
            }
        }
        QD_EXPECT_ERROR(m_admin->installScript(queueId, QStringLiteral("windows")),
                        ErrorCode::InvalidArgument);

        // A worker's single-task routes: logs, extend, ack, fail; heartbeat with its id in the
        // body.
        auto joiner = clientFor(m_server, token);
        QD_AWAIT(registration, joiner->registerWorker(workerOn({queueId})));
        auto worker = clientFor(m_server, registration.credential);
        QD_AWAIT(beat,
                 worker->call("POST", QStringLiteral("/api/v1/workers/heartbeat"),
                              QJsonObject{{QStringLiteral("worker_id"), registration.workerId},
                                          {QStringLiteral("status"), QStringLiteral("ok")}}));
        QCOMPARE(beat.value(QStringLiteral("state")).toString(), QStringLiteral("run"));
        QD_AWAIT(second, m_admin->enqueue(queueId, job(R"({"n":2})")));
        QD_AWAIT(leased, worker->lease(registration.workerId, 2, 0));
        QCOMPARE(leased.size(), 2);
        const LeasedTask &first = leased[0];
        const LeasedTask &other = leased[1];
        QD_AWAIT(appended,
                 worker->appendLogs(first.id, first.leaseId,
                                    {{0, 0, QStringLiteral("stdout"), QStringLiteral("hello")}}));
        QCOMPARE(appended, 1);
        QD_AWAIT(logs, m_admin->taskLogs(first.id));
        QCOMPARE(logs.size(), 1);
        QCOMPARE(logs[0].text, QStringLiteral("hello"));
        QD_AWAIT(expires, worker->extendLease(first.id, first.leaseId));
        QVERIFY(expires > QDateTime::currentMSecsSinceEpoch());
        QD_AWAIT(acked, worker->call("POST", path(u"/api/v1/tasks/%1/ack"_s, first.id),
                                     QJsonObject{{QStringLiteral("lease_id"), first.leaseId},
                                                 {QStringLiteral("result"), 42}}));
        QCOMPARE(acked.value(QStringLiteral("state")).toString(), QStringLiteral("succeeded"));
        QD_AWAIT(failedOne,
                 worker->call("POST", path(u"/api/v1/tasks/%1/fail"_s, other.id),
                              QJsonObject{{QStringLiteral("lease_id"), other.leaseId},
                                          {QStringLiteral("error"), QStringLiteral("no")},
                                          {QStringLiteral("retryable"), false}}));
        QCOMPARE(failedOne.value(QStringLiteral("state")).toString(), QStringLiteral("dead"));
        QD_AWAIT(drained, m_admin->drainWorker(registration.workerId));
        QCOMPARE(drained.state, WorkerState::Draining);
        QD_AWAIT(allWorkers, m_admin->listWorkers());
        QVERIFY(!allWorkers.isEmpty());

        // Operator actions on single tasks and on everything that matches.
        QD_AWAIT(retried, m_admin->retryTask(other.id));
        QCOMPARE(retried.state, TaskState::Queued);
        QD_AWAIT(cancelled, m_admin->cancelTask(other.id));
        QCOMPARE(cancelled.state, TaskState::Cancelled);
        QList<EnqueueRequest> many;
        for (int i = 0; i < 1200; ++i)
            many.append(job(R"({"bulk":true})"));
        QD_AWAIT_VOID(m_admin->enqueueBatch(queueId, many));
        BulkRequest cancelQueued;
        cancelQueued.action = BulkAction::Cancel;
        cancelQueued.filter.state = TaskState::Queued;
        QD_AWAIT(bulk, m_admin->bulkTasks(queueId, cancelQueued));
        QCOMPARE(bulk, qint64(1200));
        QD_EXPECT_ERROR(
            m_admin->call("POST", path(u"/api/v1/worker-queues/%1/tasks:bulk"_s, queueId),
                          QJsonObject{{QStringLiteral("action"), QStringLiteral("explode")}}),
            ErrorCode::InvalidArgument);
        BulkRequest deleteCancelled;
        deleteCancelled.action = BulkAction::Delete;
        deleteCancelled.filter.state = TaskState::Cancelled;
        QD_AWAIT(deletedAll, m_admin->bulkTasks(queueId, deleteCancelled));
        QCOMPARE(deletedAll, qint64(1201)); // and `other`
        QD_AWAIT(remaining, m_admin->listTasks(queueId));
        QCOMPARE(remaining.items.size(), 1);
        QCOMPARE(remaining.items[0].id, first.id);
        QCOMPARE(remaining.items[0].result, QByteArray("42"));
        TaskFilter byText;
        byText.text = QStringLiteral("bulk");
        QD_AWAIT(none, m_admin->listTasks(queueId, byText));
        QVERIFY(none.items.isEmpty());
        QD_AWAIT_VOID(m_admin->deleteTask(first.id));

        // Metrics and the dashboard, for one queue and for all.
        QD_AWAIT(dashboard, m_admin->dashboard());
        QVERIFY(dashboard.queueCount >= 2);
        QCOMPARE(dashboard.cards.size(), dashboard.queueCount);
        QD_AWAIT(series, m_admin->metrics(queueId, QStringLiteral("1h")));
        QCOMPARE(series.queueId, queueId);
        QD_AWAIT(overall, m_admin->metrics({}, QStringLiteral("5m")));
        QVERIFY(overall.queueId.isEmpty());
        QCOMPARE(overall.stepMs, qint64(1000)); // per-second samples for 5m
        // The nodes: a server on SQLite is one node, standalone, that counts what it serves.
        QD_AWAIT(nodes, m_admin->listNodes());
        QCOMPARE(nodes.size(), 1);
        QCOMPARE(nodes[0].role, u"standalone"_s);
        QCOMPARE(nodes[0].version, QStringLiteral(QUEUEDECK_VERSION));
        QVERIFY(!nodes[0].nodeId.isEmpty());
        QVERIFY(nodes[0].address.startsWith(u"http"_s));
        QVERIFY(nodes[0].connections >= 1);
        QVERIFY(nodes[0].alive);
        // Metrics per task type (docs/type-metrics.md), for one queue and for all.
        QD_AWAIT(types, Client::TypeMetricsClient(*m_admin).typeMetrics(queueId, u"1h"_s));
        QCOMPARE(types.queueId, queueId);
        QD_AWAIT(allTypes, Client::TypeMetricsClient(*m_admin).typeMetrics({}, u"5m"_s));
        QVERIFY(allTypes.maxTypes > 0);

        QD_AWAIT_VOID(m_admin->deregisterWorker(registration.workerId));
        QD_AWAIT_VOID(m_admin->deleteQueue(queueId, true));
        QD_EXPECT_ERROR(m_admin->queue(queueId), ErrorCode::NotFound);
    }

    // A worker acknowledges and leases the next tasks in one call.
    void completeAndLeaseInOneCall()
    {
        QD_AWAIT(queue, m_admin->createQueue(QStringLiteral("default"), QStringLiteral("loop")));
        QD_AWAIT(command, m_admin->workerCommand(queue.id));
        auto joiner = clientFor(m_server, joinTokenOf(command));
        QD_AWAIT(registration, joiner->registerWorker(workerOn({queue.id})));
        auto worker = clientFor(m_server, registration.credential);
        QD_AWAIT_VOID(m_admin->enqueueBatch(queue.id, {job(), job(), job()}));
        QD_AWAIT(first, worker->lease(registration.workerId, 1, 0));
        QCOMPARE(first.size(), 1);
        QD_AWAIT(next, worker->completeAndLease(registration.workerId,
                                                {{first[0].id, first[0].leaseId, "1"}}, {}, 5, 0));
        QCOMPARE(next.outcomes.size(), 1);
        QVERIFY(!next.outcomes[0].error);
        QCOMPARE(next.tasks.size(), 2);
        QList<TaskAck> acks;
        for (const LeasedTask &task : next.tasks)
            acks.append({task.id, task.leaseId, {}});
        // Nothing left: the lease part waits, then answers with no task.
        QElapsedTimer timer;
        timer.start();
        QD_AWAIT(last, worker->completeAndLease(registration.workerId, acks, {}, 5, 300));
        QVERIFY(timer.elapsed() >= 250);
        QCOMPARE(last.outcomes.size(), 2);
        QVERIFY(last.tasks.isEmpty());
        QD_AWAIT(info, m_admin->queue(queue.id));
        QCOMPARE(info.counts.succeeded, qint64(3));
        QD_EXPECT_ERROR(
            worker->call(
                "POST", QStringLiteral("/api/v1/workers/%1/complete").arg(registration.workerId),
                QJsonObject{{QStringLiteral("lease"), QJsonObject{{QStringLiteral("max"), 1},
                                                                  {QStringLiteral("wait"), 5}}}}),
            ErrorCode::InvalidArgument);
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

    // Prefer: return=minimal answers an enqueue with the task's id alone, says so, and keeps
    // the status an enqueue has (201 made, 200 found by its idempotency key); the task is whole.
    void minimalEnqueueAnswer()
    {
        QD_AWAIT(queue, m_admin->createQueue(QStringLiteral("default"), QStringLiteral("minimal"),
                                             QueueSettings{}));
        QD_AWAIT(id, m_admin->enqueueId(queue.id, job(R"({"n":1})")));
        QD_AWAIT(task, m_admin->task(id));
        QCOMPARE(task.id, id);
        QCOMPARE(task.state, TaskState::Queued);
        QCOMPARE(task.payload, QByteArray(R"({"n":1})"));

        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_server.port());
        QVERIFY(socket.waitForConnected(5000));
        auto post = [&](const QByteArray &path, const QByteArray &prefer, const QByteArray &body) {
            socket.write("POST " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                         m_server.adminToken().toUtf8() + "\r\n" + prefer +
                         "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body);
            // Read until the body is as long as the answer's Content-Length says.
            QByteArray answer;
            auto whole = [&answer] {
                const qsizetype end = answer.indexOf("\r\n\r\n");
                const qsizetype at = answer.indexOf("Content-Length: ");
                if (end < 0 || at < 0 || at > end)
                    return false;
                const qsizetype length =
                    answer.mid(at + 16, answer.indexOf("\r\n", at) - at - 16).toLongLong();
                return answer.size() - end - 4 >= length;
            };
            while (!whole() && socket.waitForReadyRead(5000))
                answer += socket.readAll();
            return answer;
        };
        const QByteArray byId = "/api/v1/worker-queues/" + queue.id.toUtf8() + "/tasks";
        const QByteArray keyed = R"({"type":"t","payload":{},"idempotency_key":"k1"})";
        const QByteArray made = post(byId, "Prefer: return=minimal\r\n", keyed);
        QVERIFY2(made.startsWith("HTTP/1.1 201 "), made.constData());
        QVERIFY2(made.contains("\r\nPreference-Applied: return=minimal\r\n"), made.constData());
        const QByteArray body = made.mid(made.indexOf("\r\n\r\n") + 4);
        const auto keyedId = Codec::taskIdFromText(body);
        QVERIFY(keyedId);
        QCOMPARE(body, QByteArray("{\"id\":\"" + keyedId->toUtf8() + "\"}"));
        const QByteArray found = post(byId, "Prefer: return=minimal\r\n", keyed);
        QVERIFY2(found.startsWith("HTTP/1.1 200 "), found.constData());
        QVERIFY(found.endsWith(body));
        // Without the preference, or with another, the whole task.
        const QByteArray whole = post(byId, "Prefer: return=representation\r\n", keyed);
        QVERIFY2(whole.startsWith("HTTP/1.1 200 "), whole.constData());
        QVERIFY(!whole.contains("Preference-Applied"));
        QVERIFY(whole.contains(R"("idempotency_key":"k1")"));
        const QByteArray byName =
            post("/api/v1/environments/default/queues/minimal/tasks", "Prefer: return=minimal\r\n",
                 R"({"type":"t","payload":{}})");
        QVERIFY2(byName.startsWith("HTTP/1.1 201 "), byName.constData());
        QVERIFY(byName.endsWith("\"}") && byName.contains("\r\n\r\n{\"id\":\""));
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
        // Short leases: a task answered to a client that was leaving (its answer written before
        // its goodbye was read) comes back when its lease ends — within this test, not in 10 min.
        QueueSettings settings;
        settings.taskTimeoutS = 5;
        QD_AWAIT(queue, m_admin->createQueue(QStringLiteral("default"), QStringLiteral("leaky"),
                                             settings));
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
            30000);
        QD_AWAIT(info, m_admin->queue(queue.id));
        QCOMPARE(info.counts.running, qint64(0));
        QCOMPARE(info.counts.queued, qint64(0));
        QCOMPARE(info.counts.succeeded, qint64(100));
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

    // An online backup through the API, downloaded in chunks: the same bytes as the server's file.
    void backupThroughTheApi()
    {
        QD_AWAIT(started, m_admin->call("POST", QStringLiteral("/api/v1/admin/backups")));
        const QString id = started.value(QStringLiteral("id")).toString();
        QVERIFY(id.startsWith(u"b_"));
        QJsonObject status = started;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                auto now =
                    await(m_admin->call("GET", QStringLiteral("/api/v1/admin/backups/") + id));
                if (now)
                    status = *now;
                return status.value(QStringLiteral("state")).toString() != u"running";
            }(),
            30000);
        QCOMPARE(status.value(QStringLiteral("state")).toString(), QStringLiteral("done"));
        const qint64 size = status.value(QStringLiteral("size_bytes")).toInteger();
        QVERIFY(size > 0);
        QByteArray downloaded;
        while (downloaded.size() < size) {
            QD_AWAIT(chunk,
                     m_admin->callText("GET", QStringLiteral("/api/v1/admin/backups/%1/content?"
                                                             "offset=%2&length=4096")
                                                  .arg(id)
                                                  .arg(downloaded.size())));
            QVERIFY(!chunk.isEmpty());
            downloaded += chunk;
        }
        QFile file(status.value(QStringLiteral("path")).toString());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(downloaded, file.readAll());
        QVERIFY(downloaded.startsWith("SQLite format 3"));
        QD_EXPECT_ERROR(m_admin->callText("GET", QStringLiteral("/api/v1/admin/backups/%1/"
                                                                "content?length=0")
                                                     .arg(id)),
                        ErrorCode::InvalidArgument);
        QD_AWAIT(deleted, m_admin->call("DELETE", QStringLiteral("/api/v1/admin/backups/") + id));
        QCOMPARE(deleted.value(QStringLiteral("deleted")).toBool(), true);
        QVERIFY(!file.exists());
        QD_EXPECT_ERROR(m_admin->call("GET", QStringLiteral("/api/v1/admin/backups/") + id),
                        ErrorCode::NotFound);
        // Only the admin may.
        auto anyone = clientFor(m_server, QString());
        QD_EXPECT_ERROR(anyone->call("POST", QStringLiteral("/api/v1/admin/backups")),
                        ErrorCode::Unauthenticated);
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
        // Both are parked on the server now: its log says so.
        const QByteArray leaseParked =
            QByteArray("parked a lease of worker \"") + idle.workerId.toUtf8() + '"';
        const QByteArray waitParked =
            QByteArray("parked a wait for task \"") + task.id.toUtf8() + '"';
        QTRY_VERIFY_WITH_TIMEOUT(m_server.errorOutput().contains(leaseParked) &&
                                     m_server.errorOutput().contains(waitParked),
                                 10000);

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
