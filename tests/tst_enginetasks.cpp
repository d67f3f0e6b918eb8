// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "enginefixture.h"

#include <QStandardPaths>

using namespace QueueDeck;
using namespace QueueDeck::Testing;

namespace {} // namespace

class TestEngineTasks final : public QObject
{
    Q_OBJECT

    std::unique_ptr<EngineFixture> m_f;
    QString m_queue;

    Engine &engine() { return m_f->engine(); }
    // A fresh engine and a queue with the given settings for each test.
    bool setUp(QueueSettings settings = {})
    {
        m_f = std::make_unique<EngineFixture>();
        if (!m_f->start())
            return false;
        auto queue = await(
            engine().createQueue(QStringLiteral("default"), QStringLiteral("work"), settings));
        if (!queue)
            return false;
        m_queue = queue->id;
        return true;
    }

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void cleanup() { m_f.reset(); }

    void enqueueLeaseAck()
    {
        QVERIFY(setUp());
        QD_AWAIT(task, engine().enqueue(m_queue, job(R"({"n":1})")));
        QVERIFY(task.id.startsWith(u"t_"));
        QCOMPARE(task.state, TaskState::Queued);
        QCOMPARE(task.queueId, m_queue);
        QD_AWAIT(reg, engine().registerWorker(workerOn({m_queue})));
        QD_AWAIT(leased, engine().lease({reg.workerId, 10, 0}));
        QCOMPARE(leased.size(), 1);
        QCOMPARE(leased[0].id, task.id);
        QCOMPARE(leased[0].payload, QByteArray(R"({"n":1})"));
        QCOMPARE(leased[0].attempt, 1);
        QCOMPARE(leased[0].timeoutS, qint64(600));
        QD_AWAIT(running, engine().task(task.id));
        QCOMPARE(running.state, TaskState::Running);
        QCOMPARE(running.leasedBy, reg.workerId);
        QD_AWAIT(outcomes,
                 engine().complete(
                     {reg.workerId, {{task.id, leased[0].leaseId, R"({"ok":true})"}}, {}}));
        QCOMPARE(outcomes.size(), 1);
        QVERIFY(!outcomes[0].error);
        QCOMPARE(outcomes[0].state, TaskState::Succeeded);
        QD_AWAIT(done, engine().task(task.id));
        QCOMPARE(done.state, TaskState::Succeeded);
        QCOMPARE(done.result, QByteArray(R"({"ok":true})"));
        QVERIFY(done.finishedAtMs);
        // The same ack again is harmless.
        QD_AWAIT(again, engine().complete({reg.workerId, {{task.id, leased[0].leaseId, {}}}, {}}));
        QVERIFY(!again[0].error);
        QD_AWAIT(queue, engine().queue(m_queue));
        QCOMPARE(queue.counts.succeeded, qint64(1));
        QCOMPARE(queue.counts.unfinished(), qint64(0));
    }

    void priorityThenFifo()
    {
        QVERIFY(setUp());
        QStringList ids;
        for (int priority : {0, 5, 0, -3, 5}) {
            QD_AWAIT(task, engine().enqueue(m_queue, job("{}", priority)));
            ids.append(task.id);
        }
        QD_AWAIT(reg, engine().registerWorker(workerOn({m_queue})));
        QD_AWAIT(leased, engine().lease({reg.workerId, 10, 0}));
        QStringList order;
        for (const auto &task : leased)
            order.append(task.id);
        QCOMPARE(order, (QStringList{ids[1], ids[4], ids[0], ids[2], ids[3]}));
    }

    void batchIsAllOrNothing()
    {
        QVERIFY(setUp());
        QList<EnqueueRequest> batch{job(), job(), job("{broken"), job()};
        auto failed = await(engine().enqueueBatch(m_queue, batch));
        QVERIFY(!failed);
        QCOMPARE(failed.error().code, ErrorCode::InvalidArgument);
        QCOMPARE(failed.error().details.value(QStringLiteral("index")).toInt(), 2);
        QVERIFY(failed.error().message.startsWith(QStringLiteral("task 2:")));
        QD_AWAIT(queue, engine().queue(m_queue));
        QCOMPARE(queue.counts.queued, qint64(0));
        batch[2] = job();
        QD_AWAIT(ids, engine().enqueueBatch(m_queue, batch));
        QCOMPARE(ids.size(), 4);
        QD_AWAIT(after, engine().queue(m_queue));
        QCOMPARE(after.counts.queued, qint64(4));
        QD_EXPECT_ERROR(engine().enqueueBatch(m_queue, {}), ErrorCode::InvalidArgument);
    }

    void maxDepthRefusesAtOnce()
    {
        QueueSettings settings;
        settings.maxDepth = 3;
        QVERIFY(setUp(settings));
        for (int i = 0; i < 3; ++i) {
            QD_AWAIT(task, engine().enqueue(m_queue, job()));
            QCOMPARE(task.state, TaskState::Queued);
        }
        QD_EXPECT_ERROR(engine().enqueue(m_queue, job()), ErrorCode::ResourceExhausted);
        QD_EXPECT_ERROR(engine().enqueueBatch(m_queue, {job()}), ErrorCode::ResourceExhausted);
        // Running tasks still count as unfinished.
        QD_AWAIT(reg, engine().registerWorker(workerOn({m_queue})));
        QD_AWAIT(leased, engine().lease({reg.workerId, 1, 0}));
        QD_EXPECT_ERROR(engine().enqueue(m_queue, job()), ErrorCode::ResourceExhausted);
        QD_AWAIT(outcomes,
                 engine().complete({reg.workerId, {{leased[0].id, leased[0].leaseId, {}}}, {}}));
        QVERIFY(!outcomes[0].error);
        QD_AWAIT(accepted, engine().enqueue(m_queue, job()));
        QCOMPARE(accepted.state, TaskState::Queued);
    }

    void idempotencyKeyReturnsExisting()
    {
        QVERIFY(setUp());
        auto request = job();
        request.idempotencyKey = QStringLiteral("order-17");
        QD_AWAIT(first, engine().enqueue(m_queue, request));
        QVERIFY(first.created);
        QD_AWAIT(second, engine().enqueue(m_queue, request));
        QVERIFY(!second.created);
        QCOMPARE(second.id, first.id);
        QD_AWAIT(ids, engine().enqueueBatch(m_queue, {request, job()}));
        QCOMPARE(ids[0], first.id);
        QD_AWAIT(queue, engine().queue(m_queue));
        QCOMPARE(queue.counts.queued, qint64(2));
        // Once the task is finished the key may be used again.
        QD_AWAIT(reg, engine().registerWorker(workerOn({m_queue})));
        QD_AWAIT(leased, engine().lease({reg.workerId, 5, 0}));
        CompleteRequest complete{reg.workerId, {}, {}};
        for (const auto &task : leased)
            complete.acks.append({task.id, task.leaseId, {}});
        QD_AWAIT(outcomes, engine().complete(complete));
        QD_AWAIT(third, engine().enqueue(m_queue, request));
        QVERIFY(third.created);
        QVERIFY(third.id != first.id);
    }

    void delayedTaskWaitsForRunAt()
    {
        QVERIFY(setUp());
        auto request = job();
        request.delayMs = 5000;
        QD_AWAIT(task, engine().enqueue(m_queue, request));
        QCOMPARE(task.state, TaskState::Scheduled);
        QD_AWAIT(reg, engine().registerWorker(workerOn({m_queue})));
        QD_AWAIT(none, engine().lease({reg.workerId, 1, 0}));
        QVERIFY(none.isEmpty());
        m_f->advance(4999);
        QD_AWAIT(stillNone, engine().lease({reg.workerId, 1, 0}));
        QVERIFY(stillNone.isEmpty());
        m_f->advance(1);
        QD_AWAIT(queued, engine().task(task.id));
        QCOMPARE(queued.state, TaskState::Queued);
        QD_AWAIT(leased, engine().lease({reg.workerId, 1, 0}));
        QCOMPARE(leased.size(), 1);
    }

    void retryBackoffThenDead()
    {
        QueueSettings settings;
        settings.retry = RetryPolicy{3, 1000, 2.0, 300000};
        QVERIFY(setUp(settings));
        QD_AWAIT(task, engine().enqueue(m_queue, job()));
        QD_AWAIT(reg, engine().registerWorker(workerOn({m_queue})));
        // Attempt 1 fails → backoff 1 s ±20%; attempt 2 fails → 2 s ±20%; attempt 3 fails → dead.
        const qint64 expectedBackoff[] = {1000, 2000};
        for (int attempt = 1; attempt <= 3; ++attempt) {
            QD_AWAIT(leased, engine().lease({reg.workerId, 1, 0}));
            QCOMPARE(leased.size(), 1);
            QCOMPARE(leased[0].attempt, attempt);
            const qint64 failedAt = m_f->clock().nowMs();
            QD_AWAIT(outcomes, engine().complete(
                                   {reg.workerId,
                                    {},
                                    {{task.id, leased[0].leaseId, QStringLiteral("boom"), true}}}));
            QVERIFY(!outcomes[0].error);
            QD_AWAIT(after, engine().task(task.id));
            QCOMPARE(after.lastError, QStringLiteral("boom"));
            if (attempt == 3) {
                QCOMPARE(outcomes[0].state, TaskState::Dead);
                QCOMPARE(after.state, TaskState::Dead);
                QCOMPARE(after.deadReason, DeadReason::AttemptsExhausted);
                break;
            }
            QCOMPARE(after.state, TaskState::Scheduled);
            const qint64 backoff = after.runAtMs - failedAt;
            QVERIFY2(backoff >= expectedBackoff[attempt - 1] * 8 / 10 &&
                         backoff <= expectedBackoff[attempt - 1] * 12 / 10,
                     qPrintable(QString::number(backoff)));
            m_f->advance(backoff);
        }
        QD_AWAIT(queue, engine().queue(m_queue));
        QCOMPARE(queue.counts.dead, qint64(1));
        // An operator retry starts it over.
        QD_AWAIT(retried, engine().retryTask(task.id));
        QCOMPARE(retried.state, TaskState::Queued);
        QCOMPARE(retried.attempts, 0);
        QD_AWAIT(leased, engine().lease({reg.workerId, 1, 0}));
        QCOMPARE(leased.size(), 1);
        QCOMPARE(leased[0].attempt, 1);
        QD_EXPECT_ERROR(engine().retryTask(task.id), ErrorCode::FailedPrecondition);
    }

    void nonRetryableGoesDead()
    {
        QVERIFY(setUp());
        QD_AWAIT(task, engine().enqueue(m_queue, job()));
        QD_AWAIT(reg, engine().registerWorker(workerOn({m_queue})));
        QD_AWAIT(leased, engine().lease({reg.workerId, 1, 0}));
        QD_AWAIT(outcomes, engine().complete({reg.workerId,
                                              {},
                                              {{task.id, leased[0].leaseId,
                                                QStringLiteral("bad input"), false}}}));
        QCOMPARE(outcomes[0].state, TaskState::Dead);
        QD_AWAIT(dead, engine().task(task.id));
        QCOMPARE(dead.deadReason, DeadReason::NonRetryable);
    }

    void maxQueuedTimeExpires()
    {
        QueueSettings settings;
        settings.maxQueuedTimeS = 10;
        QVERIFY(setUp(settings));
        QD_AWAIT(task, engine().enqueue(m_queue, job()));
        m_f->advance(9000);
        QD_AWAIT(waiting, engine().task(task.id));
        QCOMPARE(waiting.state, TaskState::Queued);
        m_f->advance(1000);
        QD_AWAIT(expired, engine().task(task.id));
        QCOMPARE(expired.state, TaskState::Dead);
        QCOMPARE(expired.deadReason, DeadReason::Expired);
        QD_AWAIT(queue, engine().queue(m_queue));
        QCOMPARE(queue.counts.queued, qint64(0));
        QCOMPARE(queue.counts.dead, qint64(1));
        QD_AWAIT(reg, engine().registerWorker(workerOn({m_queue})));
        QD_AWAIT(none, engine().lease({reg.workerId, 1, 0}));
        QVERIFY(none.isEmpty());
    }

    void lateAckRule()
    {
        QueueSettings settings;
        settings.taskTimeoutS = 10;
        settings.retry = RetryPolicy{5, 0, 2.0, 0}; // released tasks are ready again at once
        QVERIFY(setUp(settings));
        QD_AWAIT(task, engine().enqueue(m_queue, job()));
        QD_AWAIT(a, engine().registerWorker(workerOn({m_queue})));
        QD_AWAIT(b, engine().registerWorker(workerOn({m_queue})));
        QD_AWAIT(first, engine().lease({a.workerId, 1, 0}));
        m_f->advance(10001); // the lease expires: a failed attempt, back to queued
        QD_AWAIT(released, engine().task(task.id));
        QCOMPARE(released.state, TaskState::Queued);
        // Not leased again yet: the late ack is taken.
        QD_AWAIT(late, engine().complete({a.workerId, {{task.id, first[0].leaseId, {}}}, {}}));
        QVERIFY2(!late[0].error, late[0].error ? qPrintable(late[0].error->message) : "");
        QD_AWAIT(done, engine().task(task.id));
        QCOMPARE(done.state, TaskState::Succeeded);

        QD_AWAIT(task2, engine().enqueue(m_queue, job()));
        QD_AWAIT(lease1, engine().lease({a.workerId, 1, 0}));
        m_f->advance(10001);
        QD_AWAIT(lease2, engine().lease({b.workerId, 1, 0}));
        QCOMPARE(lease2.size(), 1);
        QCOMPARE(lease2[0].id, task2.id);
        QCOMPARE(lease2[0].attempt, 2);
        // Leased again by b: a's late ack is refused, b's ack is taken.
        QD_AWAIT(refused, engine().complete({a.workerId, {{task2.id, lease1[0].leaseId, {}}}, {}}));
        QVERIFY(refused[0].error);
        QCOMPARE(refused[0].error->code, ErrorCode::FailedPrecondition);
        QVERIFY(refused[0].error->message.contains(QStringLiteral("lease expired")));
        QD_AWAIT(taken, engine().complete({b.workerId, {{task2.id, lease2[0].leaseId, {}}}, {}}));
        QVERIFY(!taken[0].error);
    }

    void ackChecksOwnership()
    {
        QVERIFY(setUp());
        QD_AWAIT(task, engine().enqueue(m_queue, job()));
        QD_AWAIT(a, engine().registerWorker(workerOn({m_queue})));
        QD_AWAIT(b, engine().registerWorker(workerOn({m_queue})));
        QD_AWAIT(leased, engine().lease({a.workerId, 1, 0}));
        QD_AWAIT(other, engine().complete({b.workerId, {{task.id, leased[0].leaseId, {}}}, {}}));
        QCOMPARE(other[0].error->code, ErrorCode::PermissionDenied);
        QD_AWAIT(bad, engine().complete(
                          {a.workerId, {{QStringLiteral("t_nope"), leased[0].leaseId, {}}}, {}}));
        QCOMPARE(bad[0].error->code, ErrorCode::InvalidArgument);
        QD_AWAIT(badResult,
                 engine().complete({a.workerId, {{task.id, leased[0].leaseId, "{not json"}}, {}}));
        QCOMPARE(badResult[0].error->code, ErrorCode::InvalidArgument);
        QD_AWAIT(still, engine().task(task.id));
        QCOMPARE(still.state, TaskState::Running);
    }

    void cancelQueuedAndRunning()
    {
        QVERIFY(setUp());
        QD_AWAIT(queued, engine().enqueue(m_queue, job()));
        QD_AWAIT(cancelled, engine().cancelTask(queued.id));
        QCOMPARE(cancelled.state, TaskState::Cancelled);
        QD_EXPECT_ERROR(engine().cancelTask(queued.id), ErrorCode::FailedPrecondition);

        QD_AWAIT(task, engine().enqueue(m_queue, job()));
        QD_AWAIT(reg, engine().registerWorker(workerOn({m_queue})));
        QD_AWAIT(leased, engine().lease({reg.workerId, 5, 0}));
        QCOMPARE(leased.size(), 1); // the cancelled task was not leased
        QD_AWAIT(stop, engine().cancelTask(task.id));
        QVERIFY(stop.cancelRequested);
        QD_AWAIT(beat, engine().heartbeat(reg.workerId, {task.id}));
        QCOMPARE(beat.cancel, QStringList{task.id});
        QD_AWAIT(ack, engine().complete(
                          {reg.workerId,
                           {},
                           {{task.id, leased[0].leaseId, QStringLiteral("stopped"), true}}}));
        QCOMPARE(ack[0].state, TaskState::Cancelled);
        QD_AWAIT(finalState, engine().task(task.id));
        QCOMPARE(finalState.state, TaskState::Cancelled);
        QD_AWAIT(queue, engine().queue(m_queue));
        QCOMPARE(queue.counts.running, qint64(0));
        QCOMPARE(queue.counts.cancelled, qint64(2));
        QD_AWAIT(quiet, engine().heartbeat(reg.workerId, {}));
        QVERIFY(quiet.cancel.isEmpty());
    }

    void deleteTask()
    {
        QVERIFY(setUp());
        QD_AWAIT(task, engine().enqueue(m_queue, job()));
        QD_AWAIT(running, engine().enqueue(m_queue, job()));
        QD_AWAIT_VOID(engine().deleteTask(task.id));
        QD_EXPECT_ERROR(engine().task(task.id), ErrorCode::NotFound);
        QD_AWAIT(reg, engine().registerWorker(workerOn({m_queue})));
        QD_AWAIT(leased, engine().lease({reg.workerId, 5, 0}));
        QCOMPARE(leased.size(), 1);
        QCOMPARE(leased[0].id, running.id);
        QD_EXPECT_ERROR(engine().deleteTask(running.id), ErrorCode::FailedPrecondition);
        QD_EXPECT_ERROR(engine().deleteTask(QStringLiteral("garbage")), ErrorCode::InvalidArgument);
    }

    void concurrencyLimitAcrossWorkers()
    {
        QueueSettings settings;
        settings.concurrency = 2;
        QVERIFY(setUp(settings));
        QD_AWAIT(ids, engine().enqueueBatch(m_queue, {job(), job(), job(), job()}));
        QD_AWAIT(a, engine().registerWorker(workerOn({m_queue})));
        QD_AWAIT(b, engine().registerWorker(workerOn({m_queue})));
        QD_AWAIT(first, engine().lease({a.workerId, 5, 0}));
        QCOMPARE(first.size(), 2);
        QD_AWAIT(second, engine().lease({b.workerId, 5, 0}));
        QCOMPARE(second.size(), 0);
        QD_AWAIT(acked, engine().complete({a.workerId, {{first[0].id, first[0].leaseId, {}}}, {}}));
        QD_AWAIT(third, engine().lease({b.workerId, 5, 0}));
        QCOMPARE(third.size(), 1);
    }

    void maxPerKeyAndRoundRobin()
    {
        QueueSettings settings;
        settings.maxPerKey = 1;
        QVERIFY(setUp(settings));
        QList<EnqueueRequest> batch;
        for (const char *key : {"a", "a", "a", "b"}) {
            auto request = job();
            request.concurrencyKey = QString::fromLatin1(key);
            batch.append(request);
        }
        QD_AWAIT(ids, engine().enqueueBatch(m_queue, batch));
        QD_AWAIT(reg, engine().registerWorker(workerOn({m_queue})));
        QD_AWAIT(leased, engine().lease({reg.workerId, 10, 0}));
        QCOMPARE(leased.size(), 2); // one of a, one of b
        QCOMPARE(leased[0].id, ids[0]);
        QCOMPARE(leased[1].id, ids[3]);
        QD_AWAIT(acked,
                 engine().complete({reg.workerId, {{leased[0].id, leased[0].leaseId, {}}}, {}}));
        QD_AWAIT(next, engine().lease({reg.workerId, 10, 0}));
        QCOMPARE(next.size(), 1);
        QCOMPARE(next[0].id, ids[1]);
    }

    void rateLimitOnClock()
    {
        QueueSettings settings;
        settings.rateLimit = 2; // 2 per second, burst 2
        QVERIFY(setUp(settings));
        QList<EnqueueRequest> batch(10, job());
        QD_AWAIT(ids, engine().enqueueBatch(m_queue, batch));
        QD_AWAIT(reg, engine().registerWorker(workerOn({m_queue})));
        QD_AWAIT(burst, engine().lease({reg.workerId, 10, 0}));
        QCOMPARE(burst.size(), 2);
        QD_AWAIT(empty, engine().lease({reg.workerId, 10, 0}));
        QCOMPARE(empty.size(), 0);
        m_f->advance(500);
        QD_AWAIT(one, engine().lease({reg.workerId, 10, 0}));
        QCOMPARE(one.size(), 1);
        m_f->advance(3000);
        QD_AWAIT(refilled, engine().lease({reg.workerId, 10, 0}));
        QCOMPARE(refilled.size(), 2); // the bucket holds at most 2
    }

    void pausedQueueDispatchesNothing()
    {
        QVERIFY(setUp());
        QueuePatch pause;
        pause.paused = true;
        QD_AWAIT(paused, engine().updateQueue(m_queue, pause));
        QD_AWAIT(task, engine().enqueue(m_queue, job())); // enqueue still accepted
        QD_AWAIT(reg, engine().registerWorker(workerOn({m_queue})));
        QD_AWAIT(none, engine().lease({reg.workerId, 1, 0}));
        QVERIFY(none.isEmpty());
        // A parked lease is answered when the queue resumes.
        auto parked = engine().lease({reg.workerId, 1, 30000});
        QueuePatch resume;
        resume.paused = false;
        QD_AWAIT(resumed, engine().updateQueue(m_queue, resume));
        QD_AWAIT(leased, parked);
        QCOMPARE(leased.size(), 1);
        QCOMPARE(leased[0].id, task.id);
    }

    void routingByLabelsAndWorker()
    {
        QVERIFY(setUp());
        auto gpu = job();
        gpu.requiredLabels.insert(QStringLiteral("gpu"), QStringLiteral("true"));
        QD_AWAIT(gpuTask, engine().enqueue(m_queue, gpu));
        QD_AWAIT(plain, engine().registerWorker(workerOn({m_queue})));
        QD_AWAIT(withGpu, engine().registerWorker(workerOn(
                              {m_queue}, {{QStringLiteral("gpu"), QStringLiteral("true")}})));
        auto named = job();
        named.workerId = plain.workerId;
        QD_AWAIT(namedTask, engine().enqueue(m_queue, named));
        QD_AWAIT(gpuLease, engine().lease({withGpu.workerId, 10, 0}));
        QCOMPARE(gpuLease.size(), 1);
        QCOMPARE(gpuLease[0].id, gpuTask.id);
        QD_AWAIT(plainLease, engine().lease({plain.workerId, 10, 0}));
        QCOMPARE(plainLease.size(), 1);
        QCOMPARE(plainLease[0].id, namedTask.id);
    }

    void queuePriorityAcrossQueues()
    {
        QVERIFY(setUp());
        QueueSettings urgentSettings;
        urgentSettings.priority = 10;
        QD_AWAIT(urgent, engine().createQueue(QStringLiteral("default"), QStringLiteral("urgent"),
                                              urgentSettings));
        QD_AWAIT(low, engine().enqueueBatch(m_queue, {job(), job()}));
        QD_AWAIT(high, engine().enqueueBatch(urgent.id, {job(), job()}));
        QD_AWAIT(reg, engine().registerWorker(workerOn({m_queue, urgent.id})));
        QD_AWAIT(leased, engine().lease({reg.workerId, 3, 0}));
        QCOMPARE(leased.size(), 3);
        QCOMPARE(leased[0].queueId, urgent.id);
        QCOMPARE(leased[1].queueId, urgent.id);
        QCOMPARE(leased[2].queueId, m_queue);
    }

    void parkedLeaseWakesOnEnqueue()
    {
        QVERIFY(setUp());
        QD_AWAIT(reg, engine().registerWorker(workerOn({m_queue})));
        auto parked = engine().lease({reg.workerId, 4, 60000});
        QVERIFY(!parked.isFinished());
        QD_AWAIT(task, engine().enqueue(m_queue, job()));
        // No time passes on the manual clock: only the enqueue can answer the parked lease.
        QD_AWAIT(leased, parked);
        QCOMPARE(leased.size(), 1);
        QCOMPARE(leased[0].id, task.id);
    }

    void parkedLeaseTimesOut()
    {
        QVERIFY(setUp());
        QD_AWAIT(reg, engine().registerWorker(workerOn({m_queue})));
        auto parked = engine().lease({reg.workerId, 1, 2000});
        m_f->advance(1999);
        QVERIFY(!parked.isFinished());
        m_f->advance(1);
        QD_AWAIT(leased, parked);
        QVERIFY(leased.isEmpty());
        QD_EXPECT_ERROR(engine().lease({reg.workerId, 0, 0}), ErrorCode::InvalidArgument);
        QD_EXPECT_ERROR(engine().lease({reg.workerId, 1, 120000}), ErrorCode::InvalidArgument);
    }

    void extendNeverPastDeadline()
    {
        QueueSettings settings;
        settings.taskTimeoutS = 60;
        QVERIFY(setUp(settings));
        auto request = job();
        request.deadlineMs = m_f->clock().nowMs() + 90000;
        QD_AWAIT(task, engine().enqueue(m_queue, request));
        QD_AWAIT(reg, engine().registerWorker(workerOn({m_queue})));
        QD_AWAIT(leased, engine().lease({reg.workerId, 1, 0}));
        QD_AWAIT(running, engine().task(task.id));
        QCOMPARE(*running.leaseExpiresAtMs, m_f->clock().nowMs() + 60000);
        for (int i = 0; i < 10; ++i) { // the worker heartbeats while its task runs
            m_f->advance(5000);
            QD_AWAIT(beat, engine().heartbeat(reg.workerId, {task.id}));
            QVERIFY(beat.cancel.isEmpty());
        }
        QD_AWAIT(extended, engine().extendLease(reg.workerId, task.id, leased[0].leaseId));
        QCOMPARE(extended, *request.deadlineMs); // not now + 60 s
        QD_EXPECT_ERROR(
            engine().extendLease(reg.workerId, task.id, QStringLiteral("l_0000000000001")),
            ErrorCode::FailedPrecondition);
    }

    void retentionDeletesOldFinished()
    {
        QueueSettings settings;
        settings.retentionS = 3600;
        QVERIFY(setUp(settings));
        QD_AWAIT(task, engine().enqueue(m_queue, job()));
        QD_AWAIT(reg, engine().registerWorker(workerOn({m_queue})));
        QD_AWAIT(leased, engine().lease({reg.workerId, 1, 0}));
        QD_AWAIT(acked, engine().complete({reg.workerId, {{task.id, leased[0].leaseId, {}}}, {}}));
        for (int i = 0; i < 59; ++i)
            m_f->advance(60000); // 59 minutes: kept
        QD_AWAIT(kept, engine().task(task.id));
        QCOMPARE(kept.state, TaskState::Succeeded);
        m_f->advance(120000);
        QD_EXPECT_ERROR(engine().task(task.id), ErrorCode::NotFound);
        QD_AWAIT(queue, engine().queue(m_queue));
        QCOMPARE(queue.counts.succeeded, qint64(0));
    }

    void logsOfARunningTask()
    {
        QVERIFY(setUp());
        QD_AWAIT(task, engine().enqueue(m_queue, job()));
        QD_AWAIT(reg, engine().registerWorker(workerOn({m_queue})));
        QD_AWAIT(other, engine().registerWorker(workerOn({m_queue})));
        QD_AWAIT(leased, engine().lease({reg.workerId, 1, 0}));
        QD_AWAIT_VOID(engine().appendLogs(
            reg.workerId, task.id, leased[0].leaseId,
            {{0, 0, QStringLiteral("stdout"), QStringLiteral("starting")},
             {0, 0, QStringLiteral("stderr"), QStringLiteral("warning: slow")}}));
        QD_AWAIT(lines, engine().taskLogs(task.id, 0, 100));
        QCOMPARE(lines.size(), 2);
        QCOMPARE(lines[0].text, QStringLiteral("starting"));
        QCOMPARE(lines[1].stream, QStringLiteral("stderr"));
        QD_AWAIT(after, engine().taskLogs(task.id, lines[0].id, 100));
        QCOMPARE(after.size(), 1);
        QD_EXPECT_ERROR(engine().appendLogs(other.workerId, task.id, leased[0].leaseId,
                                            {{0, 0, {}, QStringLiteral("x")}}),
                        ErrorCode::PermissionDenied);
        QD_EXPECT_ERROR(engine().appendLogs(reg.workerId, task.id,
                                            QStringLiteral("l_0000000000001"),
                                            {{0, 0, {}, QStringLiteral("x")}}),
                        ErrorCode::FailedPrecondition);
        // Past 1 MiB per task the oldest lines go.
        QList<LogLine> big;
        for (int i = 0; i < 300; ++i)
            big.append({0, 0, {}, QString(8000, QLatin1Char('a' + i % 26))});
        QD_AWAIT_VOID(engine().appendLogs(reg.workerId, task.id, leased[0].leaseId, big));
        QD_AWAIT(capped, engine().taskLogs(task.id, 0, 10000));
        qint64 bytes = 0;
        for (const LogLine &line : capped)
            bytes += line.text.size();
        QVERIFY2(bytes <= 1 << 20, qPrintable(QString::number(bytes)));
        QVERIFY(capped.size() < 302);
        QCOMPARE(capped.last().text, big.last().text); // the newest kept
        QVERIFY(capped.first().text != QStringLiteral("starting"));
        // The lines go with their task.
        QD_AWAIT(acked, engine().complete({reg.workerId, {{task.id, leased[0].leaseId, {}}}, {}}));
        QD_AWAIT_VOID(engine().deleteTask(task.id));
        QD_EXPECT_ERROR(engine().taskLogs(task.id, 0, 10), ErrorCode::NotFound);
    }

    void listAndSearch()
    {
        QVERIFY(setUp());
        auto email = job(R"({"to":"ada@example.com"})");
        email.type = QStringLiteral("email");
        QD_AWAIT(a, engine().enqueue(m_queue, email));
        QD_AWAIT(b, engine().enqueue(m_queue, job(R"({"n":2})")));
        QD_AWAIT(c, engine().enqueue(m_queue, job(R"({"n":3})")));
        TaskFilter byType;
        byType.type = QStringLiteral("email");
        QD_AWAIT(emails, engine().listTasks(m_queue, byType));
        QCOMPARE(emails.items.size(), 1);
        QCOMPARE(emails.items[0].id, a.id);
        TaskFilter byText;
        byText.text = QStringLiteral("ada@");
        QD_AWAIT(found, engine().listTasks(m_queue, byText));
        QCOMPARE(found.items.size(), 1);
        TaskFilter byId;
        byId.text = c.id;
        QD_AWAIT(one, engine().listTasks(m_queue, byId));
        QCOMPARE(one.items.size(), 1);
        QCOMPARE(one.items[0].id, c.id);
        TaskFilter page;
        page.limit = 2;
        QD_AWAIT(first, engine().listTasks(m_queue, page));
        QCOMPARE(first.items.size(), 2);
        QCOMPARE(first.items[0].id, c.id); // newest first
        QVERIFY(!first.nextCursor.isEmpty());
        page.cursor = first.nextCursor;
        QD_AWAIT(second, engine().listTasks(m_queue, page));
        QCOMPARE(second.items.size(), 1);
        QCOMPARE(second.items[0].id, a.id);
        QVERIFY(second.nextCursor.isEmpty());
        TaskFilter byState;
        byState.state = TaskState::Running;
        QD_AWAIT(noneRunning, engine().listTasks(m_queue, byState));
        QVERIFY(noneRunning.items.isEmpty());
        page.limit = 0;
        QD_EXPECT_ERROR(engine().listTasks(m_queue, page), ErrorCode::InvalidArgument);
    }
};

QTEST_GUILESS_MAIN(TestEngineTasks)
#include "tst_enginetasks.moc"
