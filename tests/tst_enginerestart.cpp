// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "enginefixture.h"

#include "ids.h"

#include <QFile>
#include <QStandardPaths>

using namespace QueueDeck;
using namespace QueueDeck::Testing;
using namespace Qt::StringLiterals;

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

    // A database written by the first release (schema version 1, tests/data/schema-v1.db) opens
    // with everything in it: settings, waiting tasks, results; and takes the later tables.
    void opensASchemaVersion1Database()
    {
        if (testsOnPostgres())
            QSKIP("a SQLite file of the first release; PostgreSQL's schema starts at its own "
                  "version 1");
        EngineFixture f;
        QVERIFY(QFile::copy(QStringLiteral(SCHEMA_V1_DB), f.path() + u"/queuedeck.db"_qs));
        QFile::setPermissions(f.path() + u"/queuedeck.db"_qs,
                              QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        QVERIFY(f.start());
        QD_AWAIT(queues, f.engine().listQueues({}));
        const auto mail = std::find_if(queues.cbegin(), queues.cend(),
                                       [](const QueueInfo &q) { return q.name == u"mail"; });
        QVERIFY(mail != queues.cend());
        QCOMPARE(mail->id, QStringLiteral("q_oldmail0001"));
        QCOMPARE(mail->settings.description, QStringLiteral("old mail"));
        QCOMPARE(mail->settings.maxWorkers, 4);
        // The lease of a worker that no longer exists has long expired: the attempt counts as
        // failed, and the task is back after its backoff (1 s ± 20%).
        f.advance(1000);
        f.advance(2000);
        QD_AWAIT(info, f.engine().queue(mail->id));
        QCOMPARE(info.counts.queued, qint64(4));
        QCOMPARE(info.counts.running, qint64(0));
        QCOMPARE(info.counts.succeeded, qint64(1));

        QD_AWAIT(done, f.engine().task(Ids::taskId(1763800000000 + 5, 0, 5)));
        QCOMPARE(done.state, TaskState::Succeeded);
        QCOMPARE(done.result, QByteArray(R"({"sent":true})"));
        // Schema step 5 (runs): every old task is the root of a run of its own.
        QCOMPARE(done.runId, done.id);
        QVERIFY(done.parentId.isEmpty());
        QCOMPARE(info.counts.activeRuns + info.counts.waitingRuns, qint64(4));

        QD_AWAIT(reg, f.engine().registerWorker(workerOn({mail->id})));
        QD_AWAIT(leased, f.engine().lease({reg.workerId, 10, 0}));
        QCOMPARE(leased.size(), 4);
        QStringList payloads;
        for (const LeasedTask &task : leased)
            payloads.append(QString::fromUtf8(task.payload));
        payloads.sort();
        QCOMPARE(payloads,
                 QStringList({QStringLiteral(R"({"n":1})"), QStringLiteral(R"({"n":2})"),
                              QStringLiteral(R"({"n":3})"), QStringLiteral(R"({"n":4})")}));
        // Tables of later versions are there: task logs (v3) and producer tokens (v2).
        QD_AWAIT_VOID(
            f.engine().appendLogs(reg.workerId, leased[0].id, leased[0].leaseId,
                                  {{0, 0, QStringLiteral("stdout"), QStringLiteral("migrated")}}));
        QD_AWAIT(token, f.engine().createProducerToken(QStringLiteral("old-app"), {mail->id}));
        QVERIFY(!token.token.isEmpty());
        // And the migrated file opens again as it is now.
        QVERIFY(f.restart());
        QD_AWAIT(again, f.engine().queue(mail->id));
        QCOMPARE(again.counts.running, qint64(4));
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
