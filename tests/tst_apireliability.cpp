// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The worker API under trouble, from outside: failed authentications next to valid ones, a join
// token reaching for another queue's worker, workers that stop heartbeating, half-closed clients,
// oversized batches, the seed's register forms, and the worker agent's concurrency.

#include "apifixture.h"
#include "protocol/jsonarrayscan.h"
#include "queuedeckclient.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QMutex>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

using namespace QueueDeck;
using namespace QueueDeck::Client;
using namespace QueueDeck::Testing;

namespace {

std::unique_ptr<QueueDeckClient> clientFor(const ApiFixture &server, const QString &token)
{
    return std::make_unique<QueueDeckClient>(ClientOptions{server.url(), token});
}

// The join token inside the queue's connect command: QUEUEDECK_TOKEN=qdj_… qdeck worker start …
QString joinTokenOf(QueueDeckClient &admin, const QString &queueId)
{
    const auto command = await(admin.workerCommand(queueId));
    return command ? command->value(QStringLiteral("command"))
                         .toString()
                         .section(u' ', 0, 0)
                         .section(u'=', 1)
                   : QString();
}

// Sends `request` on a fresh connection, ends the connection's input (shutdown(SHUT_WR)) when
// halfClose says so, and reads the answer until the server closes or 10 s pass.
QByteArray ask(quint16 port, const QByteArray &request, bool halfClose)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0) {
        ::close(fd);
        return {};
    }
    timeval timeout{10, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::send(fd, request.constData(), size_t(request.size()), MSG_NOSIGNAL);
    if (halfClose)
        ::shutdown(fd, SHUT_WR);
    QByteArray answer;
    char buffer[4096];
    ssize_t got;
    while ((got = ::recv(fd, buffer, sizeof buffer, 0)) > 0)
        answer.append(buffer, got);
    ::close(fd);
    return answer;
}

QByteArray askThenHalfClose(quint16 port, const QByteArray &request)
{
    return ask(port, request, true);
}

// A POST on a connection the server closes after answering.
QByteArray post(const QString &path, const QString &token, const QByteArray &body)
{
    return "POST " + path.toUtf8() +
           " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAuthorization: Bearer " +
           token.toUtf8() + "\r\nContent-Type: application/json\r\nContent-Length: " +
           QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

// The engine's debug lines "leased N to W: it runs R of concurrency C", gathered from any thread.
struct LeaseLog
{
    static inline QMutex mutex;
    static inline QHash<QString, int> peakRunning;
    static inline QHash<QString, int> concurrency;
    static inline QtMessageHandler previous = nullptr;
    static void handler(QtMsgType type, const QMessageLogContext &context, const QString &text)
    {
        static const QRegularExpression line(
            QStringLiteral("leased \\d+ to (\\S+): it runs (\\d+) of concurrency (\\d+)"));
        const auto match = line.match(text);
        if (match.hasMatch()) {
            QMutexLocker lock(&mutex);
            int &peak = peakRunning[match.captured(1)];
            peak = qMax(peak, match.captured(2).toInt());
            concurrency[match.captured(1)] = match.captured(3).toInt();
            return;
        }
        if (previous)
            previous(type, context, text);
    }
};

} // namespace

class TestApiReliability final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Failed authentications are slowed per address; a valid credential from the same address is
    // never refused because of them (workers on one host share the address).
    void onlyFailedAuthenticationsAreThrottled()
    {
        ApiFixture server;
        QVERIFY(server.start());
        auto admin = clientFor(server, server.token());
        auto stale = clientFor(server, QStringLiteral("qdw_stale0000000000000000000000000000"));
        QD_AWAIT(queue, admin->createQueue(QStringLiteral("default"), QStringLiteral("t")));
        auto joiner = clientFor(server, joinTokenOf(*admin, queue.id));
        QD_AWAIT(registration, joiner->registerWorker(workerOn({queue.id})));
        auto worker = clientFor(server, registration.credential);

        // Failures from one address are refused as such until the limit, then slowed.
        bool throttled = false;
        for (int i = 0; i < 45 && !throttled; ++i) {
            auto answer = await(stale->heartbeat(registration.workerId, {}));
            QVERIFY(!answer);
            throttled = answer.error().code == ErrorCode::ResourceExhausted;
            if (!throttled)
                QCOMPARE(answer.error().code, ErrorCode::Unauthenticated);
        }
        QVERIFY(throttled);
        // …while the admin and the worker from the same address are served.
        QD_AWAIT(queues, admin->listQueues());
        QVERIFY(!queues.isEmpty());
        QD_AWAIT(beat, worker->heartbeat(registration.workerId, {}));
        QCOMPARE(beat.command, WorkerCommand::Run);
        QD_AWAIT(tasks, worker->lease(registration.workerId, 1, 0));
        QVERIFY(tasks.isEmpty());
    }

    // A join token of queue B cannot take over a worker attached to queue A; the worker itself,
    // the admin, or join tokens of all its queues can.
    void joinTokenOfAnotherQueueCannotTakeOver()
    {
        ApiFixture server;
        QVERIFY(server.start());
        auto admin = clientFor(server, server.token());
        QD_AWAIT(a, admin->createQueue(QStringLiteral("default"), QStringLiteral("a")));
        QD_AWAIT(b, admin->createQueue(QStringLiteral("default"), QStringLiteral("b")));
        auto joinA = clientFor(server, joinTokenOf(*admin, a.id));
        auto joinB = clientFor(server, joinTokenOf(*admin, b.id));
        const QString id = QStringLiteral("host-1");
        QD_AWAIT(first, joinA->registerWorker(workerOn({a.id}, {}, id)));
        auto real = clientFor(server, first.credential);

        auto taken = await(joinB->registerWorker(workerOn({b.id}, {}, id)));
        QVERIFY(!taken);
        QCOMPARE(taken.error().code, ErrorCode::AlreadyExists);
        QVERIFY2(taken.error().message.contains(QStringLiteral("--token-file")),
                 qPrintable(taken.error().message));
        QVERIFY(taken.error().message.contains(a.id));
        // The real worker keeps its credential and its queue.
        QD_AWAIT(beat, real->heartbeat(id, {}));
        QCOMPARE(beat.command, WorkerCommand::Run);
        QD_AWAIT(onA, admin->listWorkers(a.id));
        QCOMPARE(onA.size(), 1);
        QD_AWAIT(onB, admin->listWorkers(b.id));
        QCOMPARE(onB.size(), 0);

        // Its own credential may register it again, on the queues it holds only.
        QD_AWAIT(itself, real->registerWorker(workerOn({a.id}, {}, id)));
        auto ownToB =
            await(clientFor(server, itself.credential)->registerWorker(workerOn({b.id}, {}, id)));
        QVERIFY(!ownToB);
        QCOMPARE(ownToB.error().code, ErrorCode::PermissionDenied);

        // A join token per queue: the header's and join_tokens.
        RegisterRequest both = workerOn({a.id, b.id}, {}, id);
        both.joinTokens.insert(b.id, joinTokenOf(*admin, b.id));
        QD_AWAIT(multi, joinA->registerWorker(both));
        QD_AWAIT(onBNow, admin->listWorkers(b.id));
        QCOMPARE(onBNow.size(), 1);
        // Holding A and B now: A's token alone may not take it over, nor B's.
        auto withA = await(joinA->registerWorker(workerOn({a.id}, {}, id)));
        QVERIFY(!withA);
        QCOMPARE(withA.error().code, ErrorCode::AlreadyExists);
        QVERIFY(withA.error().message.contains(b.id));
        // A wrong token in join_tokens is refused, saying which queue.
        RegisterRequest wrong = workerOn({a.id, b.id}, {}, QStringLiteral("host-2"));
        wrong.joinTokens.insert(b.id, joinTokenOf(*admin, a.id));
        auto refused = await(joinA->registerWorker(wrong));
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, ErrorCode::Unauthenticated);
        QVERIFY(refused.error().message.contains(b.id));
        // The admin may.
        QD_AWAIT(byAdmin, admin->registerWorker(workerOn({b.id}, {}, id)));
        QCOMPARE(byAdmin.workerId, id);
    }

    // Lease calls are signs of life; a worker declared lost whose slot was taken is told so on
    // every call (404, reason worker_lost), never answered with an empty success.
    void lostWorkerIsToldToRegisterAgain()
    {
        ManualClock clock;
        ApiFixture server;
        QVERIFY(server.start(&clock));
        const auto advance = [&](qint64 ms) {
            await(server.engine().listEnvironments());
            clock.advance(ms);
            await(server.engine().listEnvironments());
        };
        auto admin = clientFor(server, server.token());
        QueueSettings settings;
        settings.maxWorkers = 1;
        settings.workerTimeoutS = 30;
        QD_AWAIT(queue,
                 admin->createQueue(QStringLiteral("default"), QStringLiteral("one"), settings));
        auto joiner = clientFor(server, joinTokenOf(*admin, queue.id));
        QD_AWAIT(a, joiner->registerWorker(workerOn({queue.id})));
        auto workerA = clientFor(server, a.credential);

        // No heartbeat, but a lease every 10 s: alive for a minute.
        for (int i = 0; i < 6; ++i) {
            advance(10'000);
            QD_AWAIT(none, workerA->lease(a.workerId, 1, 0));
            QVERIFY(none.isEmpty());
        }
        QD_AWAIT(alive, admin->listWorkers(queue.id));
        QCOMPARE(alive.size(), 1);
        QVERIFY(alive[0].state != WorkerState::Lost);

        // Silent past worker_timeout_s: lost; another worker takes the only slot.
        advance(31'000);
        advance(1'000);
        QD_AWAIT(lost, admin->listWorkers(queue.id));
        QCOMPARE(lost[0].state, WorkerState::Lost);
        QD_AWAIT(b, joiner->registerWorker(workerOn({queue.id})));
        QD_AWAIT(task, admin->enqueue(queue.id, job()));
        const auto expectLost = [](const auto &answer) {
            QVERIFY(!answer);
            QCOMPARE(answer.error().code, ErrorCode::NotFound);
            QCOMPARE(answer.error().details.value(QStringLiteral("reason")).toString(),
                     QStringLiteral("worker_lost"));
        };
        expectLost(await(workerA->lease(a.workerId, 1, 0)));
        expectLost(await(workerA->heartbeat(a.workerId, {})));
        expectLost(await(workerA->complete(a.workerId, {})));
        expectLost(await(workerA->completeAndLease(a.workerId, {}, {}, 1, 0)));
        if (QTest::currentTestFailed())
            return;

        // Once the slot is free again, a call brings it back.
        QD_AWAIT_VOID(admin->deregisterWorker(b.workerId));
        QD_AWAIT(back, workerA->lease(a.workerId, 1, 0));
        QCOMPARE(back.size(), 1);
        QCOMPARE(back[0].id, task.id);
        QD_AWAIT(online, admin->listWorkers(queue.id));
        QCOMPARE(online[0].state, WorkerState::Active);
    }

    // The seed's "environment.queue" form of queue_name; ambiguous names are refused.
    void registerBySeedQueueName()
    {
        ApiFixture server;
        QVERIFY(server.start());
        auto admin = clientFor(server, server.token());
        QD_AWAIT_VOID(admin->createEnvironment({QStringLiteral("org-id"), {}, true, 0}));
        QD_AWAIT(queue, admin->createQueue(QStringLiteral("org-id"), QStringLiteral("default")));
        auto body = [](const QString &name) {
            return QJsonObject{{QStringLiteral("queue_name"), name},
                               {QStringLiteral("hostname"), QStringLiteral("h")}};
        };
        QD_AWAIT(registered, admin->call("POST", QStringLiteral("/api/v1/workers/register"),
                                         body(QStringLiteral("org-id.default"))));
        QD_AWAIT(workers, admin->listWorkers(queue.id));
        QCOMPARE(workers.size(), 1);
        QCOMPARE(workers[0].id, registered.value(QStringLiteral("worker_id")).toString());
        // A queue named with a dot in the default environment is found by its exact name…
        QD_AWAIT(dotted, admin->createQueue(QStringLiteral("default"), QStringLiteral("jobs.v2")));
        QD_AWAIT(exact, admin->call("POST", QStringLiteral("/api/v1/workers/register"),
                                    body(QStringLiteral("jobs.v2"))));
        QD_AWAIT(onDotted, admin->listWorkers(dotted.id));
        QCOMPARE(onDotted.size(), 1);
        // …and when both readings name a queue, the caller must say which.
        QD_AWAIT(clash,
                 admin->createQueue(QStringLiteral("default"), QStringLiteral("org-id.default")));
        auto ambiguous = await(admin->call("POST", QStringLiteral("/api/v1/workers/register"),
                                           body(QStringLiteral("org-id.default"))));
        QVERIFY(!ambiguous);
        QCOMPARE(ambiguous.error().code, ErrorCode::InvalidArgument);
        QVERIFY2(ambiguous.error().message.contains(clash.id) &&
                     ambiguous.error().message.contains(queue.id),
                 qPrintable(ambiguous.error().message));
        auto unknown = await(admin->call("POST", QStringLiteral("/api/v1/workers/register"),
                                         body(QStringLiteral("nowhere.none"))));
        QVERIFY(!unknown);
        QCOMPARE(unknown.error().code, ErrorCode::NotFound);
    }

    // What a worker registers with and reports is shown in the worker lists.
    void capabilitiesAndStatusAreListed()
    {
        ApiFixture server;
        QVERIFY(server.start());
        auto admin = clientFor(server, server.token());
        QD_AWAIT(queue, admin->createQueue(QStringLiteral("default"), QStringLiteral("c")));
        RegisterRequest request = workerOn({queue.id});
        request.capabilities = QJsonObject{{QStringLiteral("gpu"), 2},
                                           {QStringLiteral("handler"), QStringLiteral("ffmpeg")}};
        QD_AWAIT(registration,
                 clientFor(server, joinTokenOf(*admin, queue.id))->registerWorker(request));
        QD_AWAIT(beat, clientFor(server, registration.credential)
                           ->heartbeat(registration.workerId, {}, QStringLiteral("warming up")));
        for (const QString &queueId : {queue.id, QString()}) {
            QD_AWAIT(workers, admin->listWorkers(queueId));
            QCOMPARE(workers.size(), 1);
            QCOMPARE(workers[0].capabilities, request.capabilities);
            QCOMPARE(workers[0].status, QStringLiteral("warming up"));
        }
    }

    // A client that ends its input after its request still gets the answer of an enqueue.
    void halfClosedClientIsAnswered()
    {
        ApiFixture server;
        QVERIFY(server.start());
        auto admin = clientFor(server, server.token());
        QD_AWAIT(queue, admin->createQueue(QStringLiteral("default"), QStringLiteral("h")));
        const QByteArray health = askThenHalfClose(
            server.port(), "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        QVERIFY2(health.startsWith("HTTP/1.1 200"), health.constData());
        for (int i = 0; i < 20; ++i) {
            const QByteArray answer = askThenHalfClose(
                server.port(), post(QStringLiteral("/api/v1/worker-queues/%1/tasks").arg(queue.id),
                                    server.token(), R"({"type":"job","payload":{"n":1}})"));
            QVERIFY2(answer.startsWith("HTTP/1.1 201"), answer.constData());
            QVERIFY(answer.contains("\"id\":\"t_"));
        }
        QD_AWAIT(stored, admin->queue(queue.id));
        QCOMPARE(stored.counts.queued, qint64(20));
    }

    // A batch past the task cap is refused while its text is scanned, before it is parsed.
    void oversizedBatchIsRefusedUnparsed()
    {
        QCOMPARE(Codec::countArrayItems(R"({"tasks":[]})", "tasks", 10), 0);
        QCOMPARE(Codec::countArrayItems(R"({"tasks":[{"a":[1,2]},"x,y",3]})", "tasks", 10), 3);
        QCOMPARE(Codec::countArrayItems(R"({"other":[1,2,3],"tasks":[{}]})", "tasks", 10), 1);
        QCOMPARE(
            Codec::countArrayItems("{\"t\\\"asks\":[1,2], \"tasks\" : [ 1 , 2 ]}", "tasks", 10), 2);
        QCOMPARE(Codec::countArrayItems(R"({"tasks":[1,2,3,4,5]})", "tasks", 3), 4);

        ApiFixture server;
        QVERIFY(server.start());
        auto admin = clientFor(server, server.token());
        QD_AWAIT(queue, admin->createQueue(QStringLiteral("default"), QStringLiteral("b")));
        QByteArray body = R"({"tasks":[)";
        const QByteArray item = R"({"type":"job","payload":{"n":12345}},)";
        body.reserve(item.size() * 200'000 + 16);
        for (int i = 0; i < 200'000; ++i)
            body.append(item);
        body.chop(1);
        body.append("]}");
        const QByteArray answer =
            ask(server.port(),
                post(QStringLiteral("/api/v1/worker-queues/%1/tasks:batch").arg(queue.id),
                     server.token(), body),
                false);
        QVERIFY2(answer.startsWith("HTTP/1.1 400"), answer.left(300).constData());
        // Refused by the scan, which stops counting at the cap, not by the engine after a parse.
        QVERIFY2(answer.contains("\"max_tasks\":10000"), answer.constData());
        QD_AWAIT(stored, admin->queue(queue.id));
        QCOMPARE(stored.counts.queued, qint64(0));
    }

    // `qdeck worker start --token-file FILE`: a join token per queue for a worker on several
    // queues; a file other users may read is refused.
    void workerOnTwoQueuesWithTokenFile()
    {
        ApiFixture server;
        QVERIFY(server.start());
        auto admin = clientFor(server, server.token());
        QD_AWAIT(a, admin->createQueue(QStringLiteral("default"), QStringLiteral("a")));
        QD_AWAIT(b, admin->createQueue(QStringLiteral("default"), QStringLiteral("b")));
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("tokens"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("# QUEUE_ID TOKEN\n" + a.id.toUtf8() + ' ' + joinTokenOf(*admin, a.id).toUtf8() +
                   "\n\n" + b.id.toUtf8() + "   " + joinTokenOf(*admin, b.id).toUtf8() +
                   "  # the second queue\n");
        file.close();
        const auto start = [&](QProcess &process) {
            QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
            environment.remove(QStringLiteral("QUEUEDECK_TOKEN"));
            process.setProcessEnvironment(environment);
            process.start(QStringLiteral(QDECK_PATH),
                          {QStringLiteral("worker"), QStringLiteral("start"),
                           QStringLiteral("--queue-id"), a.id, QStringLiteral("--queue-id"), b.id,
                           QStringLiteral("--server"), server.url().toString(),
                           QStringLiteral("--token-file"), path, QStringLiteral("--name"),
                           QStringLiteral("multi"), QStringLiteral("--"), QStringLiteral("true")});
        };
        QVERIFY(file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                    QFileDevice::ReadGroup | QFileDevice::ReadOther));
        QProcess refused;
        start(refused);
        QVERIFY(refused.waitForFinished(15000));
        QCOMPARE(refused.exitCode(), 64);
        QVERIFY2(refused.readAllStandardError().contains("chmod 600"), "no advice to chmod");

        QVERIFY(file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner));
        QProcess worker;
        worker.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        start(worker);
        const auto stop = qScopeGuard([&worker] {
            worker.terminate();
            if (!worker.waitForFinished(15000))
                worker.kill();
        });
        QD_AWAIT(onA, admin->enqueue(a.id, job()));
        QD_AWAIT(onB, admin->enqueue(b.id, job()));
        QD_AWAIT(doneA, admin->task(onA.id, 30));
        QCOMPARE(doneA.state, TaskState::Succeeded);
        QD_AWAIT(doneB, admin->task(onB.id, 30));
        QCOMPARE(doneB.state, TaskState::Succeeded);
        QD_AWAIT(workers, admin->listWorkers());
        QCOMPARE(workers.size(), 1);
        QCOMPARE(workers[0].id, QStringLiteral("multi"));
        QCOMPARE(QSet<QString>(workers[0].queueIds.cbegin(), workers[0].queueIds.cend()),
                 (QSet<QString>{a.id, b.id}));
    }

    // `qdeck worker start --concurrency 2`: the server never holds more than 2 of its tasks as
    // running, counted by the engine at each lease.
    void agentNeverRunsMoreThanItsConcurrency()
    {
        QLoggingCategory::setFilterRules(QStringLiteral("queuedeck.engine.debug=true"));
        LeaseLog::previous = qInstallMessageHandler(&LeaseLog::handler);
        const auto restore = qScopeGuard([] {
            qInstallMessageHandler(LeaseLog::previous);
            QLoggingCategory::setFilterRules(QStringLiteral("queuedeck.engine.debug=false"));
        });
        ApiFixture server;
        QVERIFY(server.start());
        auto admin = clientFor(server, server.token());
        QD_AWAIT(queue, admin->createQueue(QStringLiteral("default"), QStringLiteral("two")));
        constexpr int Tasks = 300;
        QList<EnqueueRequest> batch(Tasks, job());
        QD_AWAIT(ids, admin->enqueueBatch(queue.id, batch));

        QProcess worker;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("QUEUEDECK_TOKEN"), joinTokenOf(*admin, queue.id));
        worker.setProcessEnvironment(environment);
        worker.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        worker.start(QStringLiteral(QDECK_PATH),
                     {QStringLiteral("worker"), QStringLiteral("start"),
                      QStringLiteral("--queue-id"), queue.id, QStringLiteral("--server"),
                      server.url().toString(), QStringLiteral("--concurrency"), QStringLiteral("2"),
                      QStringLiteral("--name"), QStringLiteral("pair"), QStringLiteral("--"),
                      QStringLiteral("true")});
        QVERIFY(worker.waitForStarted());
        const auto stop = qScopeGuard([&worker] {
            worker.terminate();
            if (!worker.waitForFinished(15000))
                worker.kill();
        });
        const auto drained = [&] {
            auto info = await(admin->queue(queue.id));
            return info && info->counts.backlog() + info->counts.running == 0;
        };
        QTRY_VERIFY_WITH_TIMEOUT(drained(), 120000);
        QMutexLocker lock(&LeaseLog::mutex);
        QCOMPARE(LeaseLog::concurrency.value(QStringLiteral("pair")), 2);
        const int peak = LeaseLog::peakRunning.value(QStringLiteral("pair"));
        QVERIFY2(peak <= 2, qPrintable(QStringLiteral("the server saw %1 running").arg(peak)));
        QCOMPARE(peak, 2); // and both slots were used
    }
};

QTEST_GUILESS_MAIN(TestApiReliability)
#include "tst_apireliability.moc"
