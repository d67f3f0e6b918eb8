// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// A full or failing disk under the engine, through a SQLite VFS that fails writes on command:
// writes are refused with UNAVAILABLE, nothing is acknowledged that is not stored, reads go on,
// and service comes back by itself once writes succeed again.

#include "enginefixture.h"
#include "faultyvfs.h"

#include <QSet>
#include <QStandardPaths>

using namespace QueueDeck;
using namespace QueueDeck::Testing;

Q_DECLARE_METATYPE(QueueDeck::Testing::FaultyVfs::Fault)

namespace {

// Every task id of the queue, as the store has it.
QSet<QString> storedIds(Engine &engine, const QString &queueId)
{
    QSet<QString> ids;
    TaskFilter filter;
    filter.limit = 1000;
    auto page = await(engine.listTasks(queueId, filter));
    if (!page)
        return {QStringLiteral("<list failed: %1>").arg(page.error().message)};
    for (const TaskInfo &task : page->items)
        ids.insert(task.id);
    return ids;
}

} // namespace

class TestDiskFaults final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(FaultyVfs::install());
    }
    void cleanup() { FaultyVfs::setFault(FaultyVfs::Fault::None); }

    void writesRefusedThenBack_data()
    {
        QTest::addColumn<FaultyVfs::Fault>("fault");
        QTest::addColumn<QString>("hint");
        QTest::newRow("disk full") << FaultyVfs::Fault::Full << QStringLiteral("disk space");
        QTest::newRow("I/O error") << FaultyVfs::Fault::IoError << QStringLiteral("disk");
    }

    void writesRefusedThenBack()
    {
        QFETCH(FaultyVfs::Fault, fault);
        QFETCH(QString, hint);
        EngineFixture f;
        QVERIFY(f.start());
        QD_AWAIT(queue, f.engine().createQueue(QStringLiteral("default"), QStringLiteral("q"), {}));
        QSet<QString> acknowledged;
        for (int i = 0; i < 10; ++i) {
            QD_AWAIT(task, f.engine().enqueue(queue.id, job()));
            acknowledged.insert(task.id);
        }
        QD_AWAIT(reg, f.engine().registerWorker(workerOn({queue.id})));
        QD_AWAIT(leased, f.engine().lease({reg.workerId, 1, 0}));
        QCOMPARE(leased.size(), 1);

        const qint64 refusedBefore = FaultyVfs::refusedWrites();
        FaultyVfs::setFault(fault);
        for (int i = 0; i < 5; ++i) {
            auto single = await(f.engine().enqueue(queue.id, job()));
            QVERIFY2(!single, "an enqueue was acknowledged while no write could succeed");
            QCOMPARE(errorCodeName(single.error().code), errorCodeName(ErrorCode::Unavailable));
            QVERIFY2(single.error().message.contains(hint), qPrintable(single.error().message));
            auto batch = await(f.engine().enqueueBatch(queue.id, {job(), job(), job()}));
            QVERIFY(!batch);
            QCOMPARE(errorCodeName(batch.error().code), errorCodeName(ErrorCode::Unavailable));
        }
        // An ack that cannot be stored is not confirmed either.
        auto ack =
            await(f.engine().complete({reg.workerId, {{leased[0].id, leased[0].leaseId, {}}}, {}}));
        QVERIFY2(!ack || (ack->size() == 1 && ack->at(0).error),
                 "an ack was confirmed while no write could succeed");
        QVERIFY(FaultyVfs::refusedWrites() > refusedBefore);
        // Reads still work, and show only what was stored.
        QD_AWAIT(during, f.engine().queue(queue.id));
        QCOMPARE(during.counts.queued, qint64(9));
        QCOMPARE(during.counts.running, qint64(1));

        // Writes succeed again: service is back without a restart.
        FaultyVfs::setFault(FaultyVfs::Fault::None);
        QD_AWAIT(after, f.engine().enqueue(queue.id, job()));
        acknowledged.insert(after.id);
        QD_AWAIT(afterBatch, f.engine().enqueueBatch(queue.id, {job(), job()}));
        for (const QString &id : afterBatch)
            acknowledged.insert(id);
        QD_AWAIT(acked,
                 f.engine().complete({reg.workerId, {{leased[0].id, leased[0].leaseId, {}}}, {}}));
        QCOMPARE(acked.size(), 1);
        QVERIFY(!acked[0].error);

        // Reopened, the store holds exactly what was acknowledged.
        QVERIFY(f.restart());
        QCOMPARE(storedIds(f.engine(), queue.id), acknowledged);
        QD_AWAIT(done, f.engine().task(leased[0].id));
        QCOMPARE(done.state, TaskState::Succeeded);
    }
};

QTEST_GUILESS_MAIN(TestDiskFaults)
#include "tst_diskfaults.moc"
