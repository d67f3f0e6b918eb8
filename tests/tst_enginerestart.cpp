// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "enginefixture.h"

#include <QStandardPaths>

using namespace QueueDeck;
using namespace QueueDeck::Testing;

namespace {} // namespace

class TestEngineRestart final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void everythingResumes()
    {
        EngineFixture f;
        QVERIFY(f.start());
        QueueSettings settings;
        settings.taskTimeoutS = 60;
        settings.retry = RetryPolicy{5, 0, 2.0, 0};
        QD_AWAIT(queue,
                 f.engine().createQueue(QStringLiteral("default"), QStringLiteral("q"), settings));
        QD_AWAIT(ids, f.engine().enqueueBatch(
                          queue.id, {job(R"({"i":1})"), job(R"({"i":2})"), job(R"({"i":3})")}));
        auto delayed = job();
        delayed.delayMs = 10000;
        auto keyed = job();
        keyed.idempotencyKey = QStringLiteral("k1");
        QD_AWAIT(later, f.engine().enqueue(queue.id, delayed));
        QD_AWAIT(withKey, f.engine().enqueue(queue.id, keyed));
        QD_AWAIT(reg,
                 f.engine().registerWorker(
                     {QStringLiteral("w-1"), {queue.id}, QStringLiteral("h"), 1, {}, 1, {}, {}}));
        QD_AWAIT(leased, f.engine().lease({reg.workerId, 2, 0}));
        QCOMPARE(leased.size(), 2);
        QD_AWAIT(acked, f.engine().complete(
                            {reg.workerId, {{leased[0].id, leased[0].leaseId, R"({"r":1})"}}, {}}));

        QVERIFY(f.restart());
        QD_AWAIT(info, f.engine().queue(queue.id));
        QCOMPARE(info.counts.queued, qint64(2));    // ids[2] and the keyed task
        QCOMPARE(info.counts.scheduled, qint64(1)); // the delayed task
        QCOMPARE(info.counts.running, qint64(1));   // leased[1] keeps its lease
        QCOMPARE(info.counts.succeeded, qint64(1));
        QCOMPARE(info.counts.workersOnline, 1); // the worker is remembered
        QD_AWAIT(result, f.engine().task(leased[0].id));
        QCOMPARE(result.result, QByteArray(R"({"r":1})"));
        // The idempotency key still points at its unfinished task.
        QD_AWAIT(same, f.engine().enqueue(queue.id, keyed));
        QVERIFY(!same.created);
        QCOMPARE(same.id, withKey.id);
        // The running task's lease still works after the restart.
        QD_AWAIT(ack,
                 f.engine().complete({reg.workerId, {{leased[1].id, leased[1].leaseId, {}}}, {}}));
        QVERIFY(!ack[0].error);
        // New ids continue after the old ones.
        QD_AWAIT(fresh, f.engine().enqueue(queue.id, job()));
        QVERIFY(fresh.id > withKey.id);
        // The delayed task becomes ready on time.
        f.advance(10000);
        QD_AWAIT(ready, f.engine().task(later.id));
        QCOMPARE(ready.state, TaskState::Queued);
    }

    void expiredLeaseHandledAfterRestart()
    {
        EngineFixture f;
        QVERIFY(f.start());
        QueueSettings settings;
        settings.taskTimeoutS = 30;
        settings.retry = RetryPolicy{1, 0, 2.0, 0};
        QD_AWAIT(queue,
                 f.engine().createQueue(QStringLiteral("default"), QStringLiteral("q"), settings));
        QD_AWAIT(ids, f.engine().enqueueBatch(queue.id, {job(), job()}));
        QD_AWAIT(reg, f.engine().registerWorker(
                          {{}, {queue.id}, QStringLiteral("h"), 1, {}, 1, {}, {}}));
        QD_AWAIT(leased, f.engine().lease({reg.workerId, 1, 0}));
        f.stop();
        f.clock().advance(31000); // the server was down while the lease ran out
        QVERIFY(f.start());
        f.advance(1);
        QD_AWAIT(task, f.engine().task(leased[0].id));
        QCOMPARE(task.state, TaskState::Dead); // one attempt allowed: the expiry used it
        QCOMPARE(task.deadReason, DeadReason::AttemptsExhausted);
        QD_AWAIT(other, f.engine().task(ids[1]));
        QCOMPARE(other.state, TaskState::Queued);
    }
};

QTEST_GUILESS_MAIN(TestEngineRestart)
#include "tst_enginerestart.moc"
