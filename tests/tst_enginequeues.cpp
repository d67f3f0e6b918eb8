// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "enginefixture.h"

#include <QStandardPaths>

using namespace QueueDeck;
using namespace QueueDeck::Testing;

class TestEngineQueues final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void defaultsExistFromFirstStart()
    {
        EngineFixture f;
        QVERIFY(f.start());
        QD_AWAIT(environments, f.engine().listEnvironments());
        QCOMPARE(environments.size(), 1);
        QCOMPARE(environments.first().name, QStringLiteral("default"));
        QVERIFY(environments.first().autoCreate);
        QD_AWAIT(queue,
                 f.engine().queueByName(QStringLiteral("default"), QStringLiteral("default")));
        QCOMPARE(queue.settings, QueueSettings{});
        QCOMPARE(queue.settings.maxWorkers, 10);
        QCOMPARE(queue.settings.taskTimeoutS, qint64(600));
        QCOMPARE(queue.settings.workerTimeoutS, qint64(30));
        QCOMPARE(queue.settings.retry.maxAttempts, 5);
        QCOMPARE(queue.settings.retentionS, qint64(604800));
        QCOMPARE(queue.status, QueueStatus::Idle);
        QVERIFY(queue.joinToken.startsWith(u"qdj_"));
        // A restart does not make them again.
        QVERIFY(f.restart());
        QD_AWAIT(queues, f.engine().listQueues());
        QCOMPARE(queues.size(), 1);
        QCOMPARE(queues.first().id, queue.id);
    }

    void secondServerOnSameDirectoryRefused()
    {
        EngineFixture f;
        QVERIFY(f.start());
        EngineOptions options;
        options.dataDirectory = f.path();
        Engine second(options);
        const auto started = second.start();
        QVERIFY(!started);
        QCOMPARE(started.error().code, ErrorCode::FailedPrecondition);
        QVERIFY(started.error().message.contains(QStringLiteral("in use")));
    }

    void createQueueAndConflicts()
    {
        EngineFixture f;
        QVERIFY(f.start());
        QueueSettings settings;
        settings.maxWorkers = 3;
        settings.description = QStringLiteral("Outgoing mail");
        QD_AWAIT(queue, f.engine().createQueue(QStringLiteral("default"), QStringLiteral("emails"),
                                               settings));
        QVERIFY(queue.id.startsWith(u"q_"));
        QCOMPARE(queue.id.size(), 12);
        QCOMPARE(queue.settings.maxWorkers, 3);
        QD_EXPECT_ERROR(
            f.engine().createQueue(QStringLiteral("default"), QStringLiteral("emails"), {}),
            ErrorCode::AlreadyExists);
        QD_EXPECT_ERROR(f.engine().createQueue(QStringLiteral("nowhere"), QStringLiteral("x"), {}),
                        ErrorCode::NotFound);
        QD_EXPECT_ERROR(
            f.engine().createQueue(QStringLiteral("default"), QStringLiteral("bad name"), {}),
            ErrorCode::InvalidArgument);
        QueueSettings bad;
        bad.maxWorkers = -1;
        QD_EXPECT_ERROR(
            f.engine().createQueue(QStringLiteral("default"), QStringLiteral("neg"), bad),
            ErrorCode::InvalidArgument);
        // Nothing was written by the refused calls.
        QD_AWAIT(queues, f.engine().listQueues());
        QCOMPARE(queues.size(), 2);
        QD_EXPECT_ERROR(f.engine().queue(QStringLiteral("q_0000000000")), ErrorCode::NotFound);
        QD_EXPECT_ERROR(f.engine().queue(QStringLiteral("not-an-id")), ErrorCode::InvalidArgument);
    }

    void environments()
    {
        EngineFixture f;
        QVERIFY(f.start());
        QD_AWAIT(created, f.engine().createEnvironment(
                              {QStringLiteral("prod"), QStringLiteral("Production"), false, 0}));
        QCOMPARE(created.name, QStringLiteral("prod"));
        QD_EXPECT_ERROR(f.engine().createEnvironment({QStringLiteral("prod"), {}, true, 0}),
                        ErrorCode::AlreadyExists);
        QD_EXPECT_ERROR(f.engine().createEnvironment({QStringLiteral("a b"), {}, true, 0}),
                        ErrorCode::InvalidArgument);
        QD_AWAIT(queue,
                 f.engine().createQueue(QStringLiteral("prod"), QStringLiteral("default"), {}));
        QCOMPARE(queue.environment, QStringLiteral("prod"));
        QD_AWAIT(prodQueues, f.engine().listQueues(QStringLiteral("prod")));
        QCOMPARE(prodQueues.size(), 1);
        QD_EXPECT_ERROR(f.engine().listQueues(QStringLiteral("nope")), ErrorCode::NotFound);
    }

    void updateRenamePause()
    {
        EngineFixture f;
        QVERIFY(f.start());
        QD_AWAIT(queue, f.engine().createQueue(QStringLiteral("default"), QStringLiteral("a"), {}));
        QD_AWAIT(other, f.engine().createQueue(QStringLiteral("default"), QStringLiteral("b"), {}));
        QueuePatch patch;
        patch.name = QStringLiteral("renamed");
        patch.maxWorkers = 0;
        patch.paused = true;
        QD_AWAIT(updated, f.engine().updateQueue(queue.id, patch));
        QCOMPARE(updated.name, QStringLiteral("renamed"));
        QCOMPARE(updated.settings.maxWorkers, 0);
        QCOMPARE(updated.status, QueueStatus::Paused);
        QCOMPARE(updated.id, queue.id);
        QueuePatch clash;
        clash.name = other.name;
        QD_EXPECT_ERROR(f.engine().updateQueue(queue.id, clash), ErrorCode::AlreadyExists);
        QueuePatch invalid;
        invalid.concurrency = -4;
        QD_EXPECT_ERROR(f.engine().updateQueue(queue.id, invalid), ErrorCode::InvalidArgument);
        QD_AWAIT(unchanged, f.engine().queue(queue.id));
        QCOMPARE(unchanged.settings.concurrency, 0);
        QVERIFY(f.restart());
        QD_AWAIT(reloaded, f.engine().queue(queue.id));
        QCOMPARE(reloaded.name, QStringLiteral("renamed"));
        QVERIFY(reloaded.settings.paused);
    }

    void deleteRefusedWhileUnfinished()
    {
        EngineFixture f;
        QVERIFY(f.start());
        QD_AWAIT(queue,
                 f.engine().createQueue(QStringLiteral("default"), QStringLiteral("work"), {}));
        EnqueueRequest request;
        request.type = QStringLiteral("job");
        QD_AWAIT(task, f.engine().enqueue(queue.id, request));
        QD_EXPECT_ERROR(f.engine().deleteQueue(queue.id, false), ErrorCode::FailedPrecondition);
        QD_AWAIT_VOID(f.engine().deleteQueue(queue.id, true));
        QD_EXPECT_ERROR(f.engine().queue(queue.id), ErrorCode::NotFound);
        QD_EXPECT_ERROR(f.engine().task(task.id), ErrorCode::NotFound);
        QD_AWAIT(defaultQueue,
                 f.engine().queueByName(QStringLiteral("default"), QStringLiteral("default")));
        QD_EXPECT_ERROR(f.engine().deleteQueue(defaultQueue.id, true),
                        ErrorCode::FailedPrecondition);
    }

    void purgeRemovesWaitingOnly()
    {
        EngineFixture f;
        QVERIFY(f.start());
        QD_AWAIT(queue,
                 f.engine().createQueue(QStringLiteral("default"), QStringLiteral("work"), {}));
        QList<EnqueueRequest> batch;
        for (int i = 0; i < 12000; ++i) {
            EnqueueRequest request;
            request.type = QStringLiteral("job");
            if (i % 3 == 0)
                request.delayMs = 60000;
            batch.append(request);
        }
        for (int i = 0; i < 12000; i += 4000) {
            QD_AWAIT(ids, f.engine().enqueueBatch(queue.id, batch.mid(i, 4000)));
            QCOMPARE(ids.size(), 4000);
        }
        QD_AWAIT(worker, f.engine().registerWorker(
                             {{}, {queue.id}, QStringLiteral("h"), 1, {}, 1, {}, {}}));
        QD_AWAIT(leased, f.engine().lease({worker.workerId, 2, 0}));
        QCOMPARE(leased.size(), 2);
        QD_AWAIT(purged, f.engine().purgeQueue(queue.id));
        QCOMPARE(purged, qint64(11998));
        QD_AWAIT(after, f.engine().queue(queue.id));
        QCOMPARE(after.counts.queued, qint64(0));
        QCOMPARE(after.counts.scheduled, qint64(0));
        QCOMPARE(after.counts.running, qint64(2));
        QVERIFY(f.restart());
        QD_AWAIT(reloaded, f.engine().queue(queue.id));
        QCOMPARE(reloaded.counts.queued + reloaded.counts.scheduled, qint64(0));
        QCOMPARE(reloaded.counts.running, qint64(2));
    }

    void enqueueByNameCreatesOnDemand()
    {
        EngineFixture f;
        QVERIFY(f.start());
        EnqueueRequest request;
        request.type = QStringLiteral("job");
        QD_AWAIT(task, f.engine().enqueueByName(QStringLiteral("default"), QStringLiteral("fresh"),
                                                request));
        QD_AWAIT(queue, f.engine().queueByName(QStringLiteral("default"), QStringLiteral("fresh")));
        QCOMPARE(task.queueId, queue.id);
        QCOMPARE(queue.counts.queued, qint64(1));
        QD_AWAIT(env, f.engine().createEnvironment({QStringLiteral("strict"), {}, false, 0}));
        QD_EXPECT_ERROR(
            f.engine().enqueueByName(QStringLiteral("strict"), QStringLiteral("fresh"), request),
            ErrorCode::NotFound);
        QD_EXPECT_ERROR(
            f.engine().enqueueByName(QStringLiteral("missing"), QStringLiteral("fresh"), request),
            ErrorCode::NotFound);
    }

    void rotateJoinToken()
    {
        EngineFixture f;
        QVERIFY(f.start());
        QD_AWAIT(queue,
                 f.engine().createQueue(QStringLiteral("default"), QStringLiteral("work"), {}));
        QD_AWAIT(rotated, f.engine().rotateJoinToken(queue.id));
        QVERIFY(rotated.joinToken.startsWith(u"qdj_"));
        QVERIFY(rotated.joinToken != queue.joinToken);
        QVERIFY(f.restart());
        QD_AWAIT(reloaded, f.engine().queue(queue.id));
        QCOMPARE(reloaded.joinToken, rotated.joinToken);
    }
};

QTEST_GUILESS_MAIN(TestEngineQueues)
#include "tst_enginequeues.moc"
