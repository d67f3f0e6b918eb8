// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "enginefixture.h"

#include <QStandardPaths>

using namespace QueueDeck;
using namespace QueueDeck::Testing;

namespace {} // namespace

class TestEngineWorkers final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void capacityIsEnforced()
    {
        EngineFixture f;
        QVERIFY(f.start());
        QueueSettings settings;
        settings.maxWorkers = 2;
        QD_AWAIT(queue, f.engine().createQueue(QStringLiteral("default"), QStringLiteral("small"),
                                               settings));
        QD_AWAIT(a, f.engine().registerWorker(workerOn({queue.id})));
        QD_AWAIT(b, f.engine().registerWorker(workerOn({queue.id})));
        QVERIFY(a.workerId != b.workerId);
        QCOMPARE(a.heartbeatIntervalS, 5);
        QCOMPARE(a.workerTimeoutS, qint64(30));
        auto refused = await(f.engine().registerWorker(workerOn({queue.id})));
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, ErrorCode::ResourceExhausted);
        QVERIFY(refused.error().message.contains(QStringLiteral("no capacity")));
        QVERIFY(refused.error().message.contains(QStringLiteral("max_workers 2")));
        QD_AWAIT(full, f.engine().queue(queue.id));
        QCOMPARE(full.counts.workersOnline, 2);
        QCOMPARE(full.status, QueueStatus::Active);
        // The same worker id registering again takes over its own slot.
        QD_AWAIT(again, f.engine().registerWorker(workerOn({queue.id}, {}, a.workerId)));
        QCOMPARE(again.workerId, a.workerId);
        QD_AWAIT(still, f.engine().queue(queue.id));
        QCOMPARE(still.counts.workersOnline, 2);
        // Unknown queues and bad input are refused and write nothing.
        QD_EXPECT_ERROR(f.engine().registerWorker(workerOn({QStringLiteral("q_0000000000")})),
                        ErrorCode::NotFound);
        QD_EXPECT_ERROR(f.engine().registerWorker(workerOn({})), ErrorCode::InvalidArgument);
        QD_EXPECT_ERROR(
            f.engine().registerWorker(workerOn({queue.id}, {}, QStringLiteral("bad id!"))),
            ErrorCode::InvalidArgument);
        QD_AWAIT(workers, f.engine().listWorkers(queue.id));
        QCOMPARE(workers.size(), 2);
    }

    void lostWorkerReleasesLeases()
    {
        EngineFixture f;
        QVERIFY(f.start());
        QueueSettings settings;
        settings.workerTimeoutS = 30;
        settings.retry = RetryPolicy{5, 0, 2.0, 0};
        QD_AWAIT(queue,
                 f.engine().createQueue(QStringLiteral("default"), QStringLiteral("q"), settings));
        QD_AWAIT(task, f.engine().enqueue(queue.id, job()));
        QD_AWAIT(a, f.engine().registerWorker(workerOn({queue.id})));
        QD_AWAIT(b, f.engine().registerWorker(workerOn({queue.id})));
        QD_AWAIT(leased, f.engine().lease({a.workerId, 1, 0}));
        QCOMPARE(leased.size(), 1);
        // b keeps heartbeating; a goes silent.
        for (int second = 5; second <= 30; second += 5) {
            f.advance(5000);
            QD_AWAIT(beat, f.engine().heartbeat(b.workerId, {}));
            QCOMPARE(beat.command, WorkerCommand::Run);
        }
        QD_AWAIT(stillRunning, f.engine().task(task.id));
        QCOMPARE(stillRunning.state, TaskState::Running);
        f.advance(1000);
        f.advance(1000);
        QD_AWAIT(workers, f.engine().listWorkers(queue.id));
        const auto lost = std::find_if(workers.cbegin(), workers.cend(),
                                       [&](const WorkerInfo &w) { return w.id == a.workerId; });
        QVERIFY(lost != workers.cend());
        QCOMPARE(lost->state, WorkerState::Lost);
        QD_AWAIT(released, f.engine().task(task.id));
        QCOMPARE(released.state, TaskState::Queued);
        QCOMPARE(released.attempts, 1);
        QD_AWAIT(info, f.engine().queue(queue.id));
        QCOMPARE(info.counts.workersOnline, 1);
        QCOMPARE(info.counts.workersLost, 1);
        QCOMPARE(info.counts.running, qint64(0));
        QD_AWAIT(again, f.engine().lease({b.workerId, 1, 0}));
        QCOMPARE(again.size(), 1);
        QCOMPARE(again[0].attempt, 2);
        // The lost worker's heartbeat brings it back while there is room.
        QD_AWAIT(back, f.engine().heartbeat(a.workerId, {leased[0].id}));
        QCOMPARE(back.command, WorkerCommand::Run);
        QCOMPARE(back.cancel, QStringList{leased[0].id}); // no longer its task: stop it
    }

    void drainAndDeregister()
    {
        EngineFixture f;
        QVERIFY(f.start());
        QD_AWAIT(queue, f.engine().createQueue(QStringLiteral("default"), QStringLiteral("q"), {}));
        QD_AWAIT(task, f.engine().enqueue(queue.id, job()));
        QD_AWAIT(a, f.engine().registerWorker(workerOn({queue.id})));
        QD_AWAIT(leased, f.engine().lease({a.workerId, 1, 0}));
        QCOMPARE(leased.size(), 1);
        auto parked = f.engine().lease({a.workerId, 1, 60000});
        QD_AWAIT(drained, f.engine().drainWorker(a.workerId));
        QCOMPARE(drained.state, WorkerState::Draining);
        QD_AWAIT(beat, f.engine().heartbeat(a.workerId, {}));
        QCOMPARE(beat.command, WorkerCommand::Drain);
        QD_AWAIT(none, f.engine().lease({a.workerId, 1, 0}));
        QVERIFY(none.isEmpty());
        QD_AWAIT(parkedResult, parked); // a drained worker's parked lease is answered empty
        QVERIFY(parkedResult.isEmpty());
        QD_AWAIT_VOID(f.engine().deregisterWorker(a.workerId));
        QD_AWAIT(info, f.engine().queue(queue.id));
        QCOMPARE(info.counts.workersOnline, 0);
        QCOMPARE(info.counts.running, qint64(0));
        QCOMPARE(info.counts.backlog(),
                 qint64(1)); // its lease was released, to retry after a backoff
        QCOMPARE(info.status, QueueStatus::Idle);
        QD_EXPECT_ERROR(f.engine().heartbeat(a.workerId, {}), ErrorCode::NotFound);
        QD_EXPECT_ERROR(f.engine().deregisterWorker(a.workerId), ErrorCode::NotFound);
    }

    void lostWorkerComesBackAfterItsQueueWasDeleted()
    {
        EngineFixture f;
        QVERIFY(f.start());
        QD_AWAIT(gone,
                 f.engine().createQueue(QStringLiteral("default"), QStringLiteral("gone"), {}));
        QD_AWAIT(kept,
                 f.engine().createQueue(QStringLiteral("default"), QStringLiteral("kept"), {}));
        QD_AWAIT(a, f.engine().registerWorker(workerOn({gone.id, kept.id})));
        f.advance(31000);
        f.advance(1000); // a is lost
        QD_AWAIT_VOID(f.engine().deleteQueue(gone.id, true));
        QD_AWAIT(back, f.engine().heartbeat(a.workerId, {}));
        QCOMPARE(back.command, WorkerCommand::Run);
        auto parked = f.engine().lease({a.workerId, 1, 60000});
        QD_AWAIT(task, f.engine().enqueue(kept.id, job()));
        QD_AWAIT(leased, parked);
        QCOMPARE(leased.size(), 1);
        QCOMPARE(leased[0].id, task.id);
    }

    void workerCountersAndState()
    {
        EngineFixture f;
        QVERIFY(f.start());
        QD_AWAIT(queue, f.engine().createQueue(QStringLiteral("default"), QStringLiteral("q"), {}));
        QD_AWAIT(ids, f.engine().enqueueBatch(queue.id, {job(), job()}));
        RegisterRequest request = workerOn({queue.id});
        request.labels.insert(QStringLiteral("zone"), QStringLiteral("eu"));
        QD_AWAIT(a, f.engine().registerWorker(request));
        QD_AWAIT(leased, f.engine().lease({a.workerId, 2, 0}));
        QD_AWAIT(busy, f.engine().listWorkers());
        QCOMPARE(busy.size(), 1);
        QCOMPARE(busy[0].state, WorkerState::Active);
        QCOMPARE(busy[0].running, 2);
        QCOMPARE(busy[0].labels.value(QStringLiteral("zone")), QStringLiteral("eu"));
        QD_AWAIT(outcomes, f.engine().complete(
                               {a.workerId,
                                {{leased[0].id, leased[0].leaseId, {}}},
                                {{leased[1].id, leased[1].leaseId, QStringLiteral("x"), true}}}));
        QD_AWAIT(idle, f.engine().listWorkers());
        QCOMPARE(idle[0].state, WorkerState::Idle);
        QCOMPARE(idle[0].done, qint64(1));
        QCOMPARE(idle[0].failed, qint64(1));
    }
};

QTEST_GUILESS_MAIN(TestEngineWorkers)
#include "tst_engineworkers.moc"
