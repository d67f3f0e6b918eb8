// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The intake log in front of the SQLite store: a batch that only adds tasks writes the log and
// not the database; any other write, or a listing, first writes the logged tasks into the
// database; reads see the logged tasks without writing anything; an undone
// operation's tasks are in neither, also when the database's transaction opens in its middle; a
// batch rolled back keeps the tasks logged before it; the log's tasks are in the database after a
// crash (the files copied as a kill leaves them) and after a close; a log whose epoch the
// database took is not taken again, and another database's log is moved aside.
#include "faultyvfs.h"
#include "intakestore.h"
#include "sqlitestore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace QueueDeck;
using namespace QueueDeck::Testing;

namespace {

TaskRow taskRow(qint64 seq)
{
    TaskRow row;
    row.seq = seq;
    row.queueNum = 1;
    row.type = QStringLiteral("job");
    row.payload = QByteArray(R"({"n":)") + QByteArray::number(seq) + "}";
    row.enqueuedAtMs = 1'700'000'000'000 + seq;
    row.runAtMs = row.enqueuedAtMs;
    row.idempotencyKey = QStringLiteral("k%1").arg(seq);
    row.requiredLabels.insert(QStringLiteral("gpu"), QStringLiteral("true"));
    return row;
}

QString failureText(const Result<void> &result)
{
    return result ? QString() : result.error().message;
}

// The database's own view, past the log: the highest task seq it holds.
qint64 databaseMaxSeq(IntakeStore &store)
{
    auto max = store.database().maxTaskSeq();
    return max ? *max : -1;
}

} // namespace

class TestIntakeStore final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_databases = 0;

    QString newDatabase()
    {
        const QString dir = QDir(m_dir.path()).filePath(QStringLiteral("d%1").arg(++m_databases));
        QDir().mkpath(dir);
        return QDir(dir).filePath(QStringLiteral("queuedeck.db"));
    }

    static std::unique_ptr<IntakeStore> openStore(const QString &path)
    {
        auto store = std::make_unique<IntakeStore>(std::make_unique<SqliteStore>());
        auto opened = store->open({path, Durability::Normal});
        if (!opened) {
            qWarning() << opened.error().message;
            return nullptr;
        }
        return store;
    }

    // One batch of one operation that adds the tasks.
    static bool enqueue(Store &store, qint64 from, qint64 to)
    {
        if (!store.beginBatch() || !store.beginOperation())
            return false;
        for (qint64 seq = from; seq <= to; ++seq) {
            if (!store.insertTask(taskRow(seq)))
                return false;
        }
        store.endOperation(true);
        return store.commitBatch().has_value();
    }

    static bool exists(Store &store, qint64 seq)
    {
        auto row = store.loadTask(seq);
        return row && row->has_value();
    }

    // A write of another kind (a metadata value): it takes the logged tasks into the database
    // first.
    static bool settleByWrite(Store &store)
    {
        return store.setMetaValue(QStringLiteral("test_write"), "1").has_value();
    }

    static QList<qint64> seqsOf(const Result<QList<TaskRow>> &rows)
    {
        QList<qint64> seqs;
        if (rows) {
            for (const TaskRow &row : *rows)
                seqs.append(row.seq);
        }
        return seqs;
    }

    // What a kill leaves: the files as they are now, copied while the store holds them.
    QString copyAsCrashed(const QString &path, bool withLog)
    {
        const QString copy = newDatabase();
        for (const QString &suffix : {QStringLiteral(""), QStringLiteral("-wal")}) {
            if (QFile::exists(path + suffix) && !QFile::copy(path + suffix, copy + suffix))
                return {};
        }
        if (withLog && !QFile::copy(IntakeLog::pathFor(path), IntakeLog::pathFor(copy)))
            return {};
        return copy;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        // Before any store opens: the database and its log go through it.
        QVERIFY(FaultyVfs::install());
    }
    void cleanup() { FaultyVfs::setFault(FaultyVfs::Fault::None); }

    void addingTasksWritesTheLogNotTheDatabase()
    {
        auto store = openStore(newDatabase());
        QVERIFY(store);
        for (qint64 seq = 1; seq <= 5; ++seq)
            QVERIFY(enqueue(*store, seq, seq));
        QVERIFY(enqueue(*store, 6, 10)); // a batch of several: one write
        QCOMPARE(store->stats().logged, qint64(10));
        QCOMPARE(store->pendingTasks(), std::size_t(10));
        QCOMPARE(databaseMaxSeq(*store), qint64(0));
        QCOMPARE(store->stats().flushes, qint64(0));

        // A listing takes them: every one is in the database, in one transaction.
        QVERIFY(settleByWrite(*store));
        QCOMPARE(store->pendingTasks(), std::size_t(0));
        QCOMPARE(store->stats().flushes, qint64(1));
        QCOMPARE(databaseMaxSeq(*store), qint64(10));
        auto row = store->database().loadTask(7);
        QVERIFY(row && row->has_value());
        QCOMPARE((*row)->payload, taskRow(7).payload);
        QCOMPARE((*row)->idempotencyKey, QStringLiteral("k7"));
        QCOMPARE((*row)->requiredLabels, taskRow(7).requiredLabels);
    }

    // What the engine reads back after a failed batch, possibly on a full disk: no write.
    void readsSeeTheLoggedTasksWithoutWriting()
    {
        auto store = openStore(newDatabase());
        QVERIFY(store);
        QVERIFY(enqueue(*store, 1, 2)); // into the database
        QVERIFY(settleByWrite(*store));
        QVERIFY(enqueue(*store, 3, 5)); // logged
        QVERIFY(store->beginBatch());
        QVERIFY(store->insertTask(taskRow(6))); // this batch's own
        auto row = store->loadTask(6);
        QVERIFY(row && row->has_value());
        QCOMPARE((*row)->payload, taskRow(6).payload);
        row = store->loadTask(4);
        QVERIFY(row && row->has_value());
        QCOMPARE((*row)->idempotencyKey, QStringLiteral("k4"));
        QVERIFY(exists(*store, 1));
        QVERIFY(!exists(*store, 7));
        auto max = store->maxTaskSeq();
        QVERIFY(max);
        QCOMPARE(*max, qint64(6));
        QList<qint64> scanned;
        QVERIFY(store->scanUnfinished([&](const TaskRow &task) {
            scanned.append(task.seq);
            QVERIFY(task.payload.isEmpty());
        }));
        QCOMPARE(scanned, (QList<qint64>{1, 2, 3, 4, 5, 6}));
        // Listings merge them with the database's, filters, order and limits as the database's.
        QCOMPARE(seqsOf(store->listTasks(0, TaskFilter{}, 0, 10)),
                 (QList<qint64>{6, 5, 4, 3, 2, 1}));
        QCOMPARE(seqsOf(store->listTasks(1, TaskFilter{}, 0, 4)), (QList<qint64>{6, 5, 4, 3}));
        QCOMPARE(seqsOf(store->listTasks(1, TaskFilter{}, 5, 3)), (QList<qint64>{4, 3, 2}));
        QCOMPARE(seqsOf(store->listTasks(2, TaskFilter{}, 0, 10)), QList<qint64>());
        TaskFilter byText;
        byText.text = QStringLiteral(R"("n":4})");
        QCOMPARE(seqsOf(store->listTasks(0, byText, 0, 10)), QList<qint64>{4});
        byText.text = QStringLiteral(R"("n":)");
        QCOMPARE(seqsOf(store->listTasks(0, byText, 0, 10)), (QList<qint64>{6, 5, 4, 3, 2, 1}));
        TaskFilter byState;
        byState.state = TaskState::Scheduled;
        QCOMPARE(seqsOf(store->listTasks(0, byState, 0, 10)), QList<qint64>());
        TaskFilter byType;
        byType.type = QStringLiteral("other");
        QCOMPARE(seqsOf(store->listTasks(0, byType, 0, 10)), QList<qint64>());
        byType.type = QStringLiteral("job");
        QCOMPARE(seqsOf(store->listTasks(0, byType, 0, 2)), (QList<qint64>{6, 5}));
        const auto listed = store->listTasks(0, TaskFilter{}, 0, 10);
        QCOMPARE(listed->at(1).payload, taskRow(5).payload);
        // None of it wrote: the database still holds 1 and 2 only.
        QCOMPARE(databaseMaxSeq(*store), qint64(2));
        QCOMPARE(store->stats().flushes, qint64(1));
        QVERIFY(store->commitBatch());
        QCOMPARE(store->pendingTasks(), std::size_t(4));
    }

    void anotherCallOfABatchTakesTheLoggedTasksFirst()
    {
        auto store = openStore(newDatabase());
        QVERIFY(store);
        QVERIFY(enqueue(*store, 1, 3));
        QVERIFY(store->beginBatch());
        QVERIFY(store->beginOperation());
        QVERIFY(store->insertTask(taskRow(4)));
        QVERIFY(store->markLeased(1, 1, QStringLiteral("w"), 1'700'000'100'000, 60));
        store->endOperation(true);
        QVERIFY(store->commitBatch());
        QCOMPARE(store->pendingTasks(), std::size_t(0));
        QCOMPARE(databaseMaxSeq(*store), qint64(4));
        auto leased = store->loadTask(1);
        QVERIFY(leased && leased->has_value());
        QCOMPARE((*leased)->state, TaskState::Running);
    }

    void anUndoneOperationLeavesNoTask()
    {
        auto store = openStore(newDatabase());
        QVERIFY(store);
        // Undone before anything opened the database's transaction.
        QVERIFY(store->beginBatch());
        QVERIFY(store->beginOperation());
        QVERIFY(store->insertTask(taskRow(1)));
        store->endOperation(false);
        QVERIFY(store->beginOperation());
        QVERIFY(store->insertTask(taskRow(2)));
        store->endOperation(true);
        QVERIFY(store->commitBatch());
        QCOMPARE(store->stats().logged, qint64(1));

        // Undone after a read opened it in the middle of the operation: the savepoint covers the
        // operation's task added before the read, and not the tasks logged before the batch.
        QVERIFY(store->beginBatch());
        QVERIFY(store->beginOperation());
        QVERIFY(store->insertTask(taskRow(3)));
        store->endOperation(true);
        QVERIFY(store->beginOperation());
        QVERIFY(store->insertTask(taskRow(4)));
        QVERIFY(settleByWrite(*store));
        QVERIFY(store->insertTask(taskRow(5)));
        store->endOperation(false);
        QVERIFY(store->commitBatch());

        QVERIFY(!exists(*store, 1));
        QVERIFY(exists(*store, 2));
        QVERIFY(exists(*store, 3));
        QVERIFY(!exists(*store, 4));
        QVERIFY(!exists(*store, 5));
    }

    void aRolledBackBatchKeepsWhatWasLoggedBefore()
    {
        auto store = openStore(newDatabase());
        QVERIFY(store);
        QVERIFY(enqueue(*store, 1, 2));
        QVERIFY(store->beginBatch());
        QVERIFY(store->insertTask(taskRow(3)));
        QVERIFY(settleByWrite(*store)); // opens the transaction with 1 and 2 in it
        store->rollbackBatch();
        QCOMPARE(store->pendingTasks(), std::size_t(2));
        QCOMPARE(databaseMaxSeq(*store), qint64(0));
        QVERIFY(settleByWrite(*store)); // outside a batch: taken in a transaction of their own
        QCOMPARE(store->pendingTasks(), std::size_t(0));
        QCOMPARE(databaseMaxSeq(*store), qint64(2));
        QVERIFY(!exists(*store, 3));
    }

    void theLogCarriesTasksThroughACrash()
    {
        const QString path = newDatabase();
        auto store = openStore(path);
        QVERIFY(store);
        QVERIFY(enqueue(*store, 1, 4));
        QVERIFY(settleByWrite(*store)); // 1–4 in the database, the log restarted
        QVERIFY(enqueue(*store, 5, 9));
        QCOMPARE(store->pendingTasks(), std::size_t(5));

        const QString crashed = copyAsCrashed(path, true);
        QVERIFY(!crashed.isEmpty());
        auto reopened = openStore(crashed);
        QVERIFY(reopened);
        QCOMPARE(reopened->stats().recovered, qint64(5));
        QCOMPARE(databaseMaxSeq(*reopened), qint64(9));
        for (qint64 seq = 1; seq <= 9; ++seq)
            QVERIFY2(exists(*reopened, seq), qPrintable(QString::number(seq)));
        auto row = reopened->loadTask(8);
        QCOMPARE((*row)->payload, taskRow(8).payload);
        QCOMPARE((*row)->requiredLabels, taskRow(8).requiredLabels);
        // New tasks after the recovery are logged, and taken, as before.
        QVERIFY(enqueue(*reopened, 10, 10));
        QCOMPARE(reopened->pendingTasks(), std::size_t(1));
        QVERIFY(settleByWrite(*reopened));
        QCOMPARE(databaseMaxSeq(*reopened), qint64(10));

        // Without its log, the same files hold only what the database took: the log is what
        // carried the rest.
        const QString withoutLog = copyAsCrashed(path, false);
        auto bare = openStore(withoutLog);
        QVERIFY(bare);
        QCOMPARE(bare->stats().recovered, qint64(0));
        QCOMPARE(databaseMaxSeq(*bare), qint64(4));
    }

    void closingTakesTheLoggedTasks()
    {
        const QString path = newDatabase();
        {
            auto store = openStore(path);
            QVERIFY(store);
            QVERIFY(enqueue(*store, 1, 3));
            store->close();
        }
        // The log holds no task to take (its next epoch began; the old records stay behind it).
        IntakeLog log;
        auto contents = log.open(IntakeLog::pathFor(path), false);
        QVERIFY(contents && contents->header);
        QVERIFY(contents->rows.empty());
        QVERIFY(QFileInfo(IntakeLog::pathFor(path)).size() > IntakeLog::HeaderBytes);
        log.close();
        SqliteStore database;
        QVERIFY(database.open({path, Durability::Normal}));
        auto max = database.maxTaskSeq();
        QVERIFY(max);
        QCOMPARE(*max, qint64(3));
    }

    void anEpochTheDatabaseTookIsNotTakenAgain()
    {
        const QString path = newDatabase();
        auto store = openStore(path);
        QVERIFY(store);
        QVERIFY(enqueue(*store, 1, 3));
        // The log as it was before the database took its tasks…
        const QString staleLog = QDir(m_dir.path()).filePath(QStringLiteral("stale-intake"));
        QVERIFY(QFile::copy(IntakeLog::pathFor(path), staleLog));
        QVERIFY(settleByWrite(*store));
        // …beside the database after it did: a crash between the commit and the log's restart.
        const QString crashed = copyAsCrashed(path, false);
        QVERIFY(QFile::copy(staleLog, IntakeLog::pathFor(crashed)));
        auto reopened = openStore(crashed);
        QVERIFY2(reopened, "a taken epoch read again fails on the tasks' keys");
        QCOMPARE(reopened->stats().recovered, qint64(0));
        QCOMPARE(databaseMaxSeq(*reopened), qint64(3));
    }

    void anotherDatabasesLogIsMovedAside()
    {
        const QString first = newDatabase();
        auto store = openStore(first);
        QVERIFY(store);
        QVERIFY(enqueue(*store, 1, 2));
        const QString crashed = copyAsCrashed(first, true);

        const QString second = newDatabase();
        {
            auto other = openStore(second);
            QVERIFY(other);
        }
        QVERIFY(QFile::remove(IntakeLog::pathFor(second)));
        QVERIFY(QFile::copy(IntakeLog::pathFor(crashed), IntakeLog::pathFor(second)));
        auto reopened = openStore(second);
        QVERIFY(reopened);
        QCOMPARE(reopened->stats().recovered, qint64(0));
        QCOMPARE(databaseMaxSeq(*reopened), qint64(0));
        const QStringList aside = QFileInfo(second).dir().entryList(
            {QStringLiteral("queuedeck.db-intake.foreign-*")}, QDir::Files);
        QCOMPARE(aside.size(), 1);
    }

    void aFullLogIsTakenByTheNextBatch()
    {
        auto store = openStore(newDatabase());
        QVERIFY(store);
        const qint64 rows = qint64(IntakeStore::FlushRows);
        QVERIFY(enqueue(*store, 1, rows));
        QCOMPARE(store->stats().flushes, qint64(0));
        QVERIFY(enqueue(*store, rows + 1, rows + 1));
        QCOMPARE(store->stats().flushes, qint64(1));
        QCOMPARE(databaseMaxSeq(*store), rows + 1);
        QCOMPARE(store->pendingTasks(), std::size_t(0));
    }

    void aLargeBatchGoesStraightToTheDatabase()
    {
        auto store = openStore(newDatabase());
        QVERIFY(store);
        QVERIFY(enqueue(*store, 1, 1)); // logged
        QVERIFY(store->beginBatch());
        QVERIFY(store->beginOperation());
        const qint64 rows = IntakeStore::DirectBatchBytes / 4096 + 1;
        for (qint64 seq = 2; seq <= rows + 1; ++seq) {
            TaskRow row = taskRow(seq);
            row.payload = QByteArray(4096, 'p');
            QVERIFY(store->insertTask(row));
        }
        store->endOperation(true);
        QVERIFY(store->commitBatch());
        QCOMPARE(store->stats().logged, qint64(1));
        QCOMPARE(store->stats().flushes, qint64(1));
        QCOMPARE(store->pendingTasks(), std::size_t(0));
        QCOMPARE(databaseMaxSeq(*store), rows + 1);
    }

    // The bytes of a failed append reach the file and cannot be cut off: none is read back, and
    // the epoch ends as soon as the database can be written.
    void aFailedAppendIsNeverReadBack_data()
    {
        QTest::addColumn<bool>("databaseWritableAtOnce");
        QTest::newRow("epoch ends at the rollback") << true;
        QTest::newRow("epoch ends with the next write") << false;
    }
    void aFailedAppendIsNeverReadBack()
    {
        QFETCH(bool, databaseWritableAtOnce);
        const QString path = newDatabase();
        auto store = openStore(path);
        QVERIFY(store);
        QVERIFY(enqueue(*store, 1, 1));
        FaultyVfs::setFault(FaultyVfs::Fault::WrittenThenIoError);
        QVERIFY(store->beginBatch());
        QVERIFY(store->insertTask(taskRow(2)));
        const auto refused = store->commitBatch();
        QVERIFY(!refused);
        if (databaseWritableAtOnce)
            FaultyVfs::setFault(FaultyVfs::Fault::None);
        store->rollbackBatch();
        FaultyVfs::setFault(FaultyVfs::Fault::None);
        if (databaseWritableAtOnce) {
            QCOMPARE(store->pendingTasks(), std::size_t(0));
            QCOMPARE(databaseMaxSeq(*store), qint64(1));
        } else {
            // The refused record is in the file: a crash now would read it, until the epoch
            // ends. The next task goes to the database and ends it.
            QCOMPARE(store->pendingTasks(), std::size_t(1));
            QVERIFY(enqueue(*store, 3, 3));
            QCOMPARE(store->pendingTasks(), std::size_t(0));
            QCOMPARE(store->stats().logged, qint64(1));
        }
        const QString crashed = copyAsCrashed(path, true);
        auto reopened = openStore(crashed);
        QVERIFY(reopened);
        QCOMPARE(reopened->stats().recovered, qint64(0));
        QVERIFY(exists(*reopened, 1));
        QVERIFY(!exists(*reopened, 2));
        QCOMPARE(exists(*reopened, 3), !databaseWritableAtOnce);
        // The log takes tasks again.
        QVERIFY(enqueue(*store, 4, 4));
        QCOMPARE(store->pendingTasks(), std::size_t(1));
    }

    // A log that cannot start its next epoch (its header cannot be written) takes no task: new
    // tasks go straight to the database until a later batch starts the log again, and then
    // every task, either way, outlives a crash.
    void aLogThatCannotStartAgainSendsTasksToTheDatabase()
    {
        const QString path = newDatabase();
        auto store = openStore(path);
        QVERIFY(store);
        QVERIFY(enqueue(*store, 1, 3));
        QCOMPARE(store->pendingTasks(), std::size_t(3));
        FaultyVfs::setFault(FaultyVfs::Fault::IoError, FaultyVfs::Files::IntakeLog);
        // The database takes 1–3; the log cannot start its next epoch.
        QVERIFY(settleByWrite(*store));
        QCOMPARE(databaseMaxSeq(*store), qint64(3));
        QVERIFY(enqueue(*store, 4, 5));
        QCOMPARE(store->pendingTasks(), std::size_t(0));
        QCOMPARE(databaseMaxSeq(*store), qint64(5));
        QCOMPARE(store->stats().logged, qint64(3));

        FaultyVfs::setFault(FaultyVfs::Fault::None);
        QVERIFY(enqueue(*store, 6, 7)); // the batch starts the log again, and it takes 6–7
        QCOMPARE(store->pendingTasks(), std::size_t(2));
        QCOMPARE(databaseMaxSeq(*store), qint64(5));
        QCOMPARE(store->stats().logged, qint64(5));

        const QString crashed = copyAsCrashed(path, true);
        QVERIFY(!crashed.isEmpty());
        auto reopened = openStore(crashed);
        QVERIFY(reopened);
        QCOMPARE(reopened->stats().recovered, qint64(2));
        for (qint64 seq = 1; seq <= 7; ++seq)
            QVERIFY2(exists(*reopened, seq), qPrintable(QString::number(seq)));
    }

    // A log that cannot be written at all when the store opens fails the open with a message
    // that names the file, and leaves the database as it was.
    void aLogThatCannotBeWrittenFailsTheOpen()
    {
        const QString path = newDatabase();
        {
            auto store = openStore(path);
            QVERIFY(store);
            QVERIFY(enqueue(*store, 1, 2));
        }
        FaultyVfs::setFault(FaultyVfs::Fault::IoError, FaultyVfs::Files::IntakeLog);
        IntakeStore store(std::make_unique<SqliteStore>());
        const auto opened = store.open({path, Durability::Normal});
        FaultyVfs::setFault(FaultyVfs::Fault::None);
        QVERIFY(!opened);
        QVERIFY2(opened.error().message.contains(u"intake"), qPrintable(opened.error().message));
        auto reopened = openStore(path);
        QVERIFY(reopened);
        QCOMPARE(databaseMaxSeq(*reopened), qint64(2));
    }

    // The listings read the logged tasks beside the database's and write nothing, so they work
    // on a full disk; a run's children come oldest first and without their bodies, as the
    // database's do.
    void listingsWorkOnAFullDisk()
    {
        auto store = openStore(newDatabase());
        QVERIFY(store);
        const auto add = [&store](std::initializer_list<std::pair<qint64, const char *>> rows) {
            if (!store->beginBatch())
                return false;
            for (const auto &[seq, run] : rows) {
                TaskRow row = taskRow(seq);
                row.runId = QString::fromLatin1(run);
                row.parentId = row.runId;
                if (!store->insertTask(row))
                    return false;
            }
            return store->commitBatch().has_value();
        };
        QVERIFY(add({{1, "t_run"}, {2, "t_run"}}));
        QVERIFY(settleByWrite(*store)); // 1–2 in the database
        QVERIFY(add({{3, "t_run"}, {4, "t_run"}, {5, "t_other"}}));
        QCOMPARE(store->pendingTasks(), std::size_t(3));

        FaultyVfs::setFault(FaultyVfs::Fault::Full);
        const auto children = store->loadRunChildren(QStringLiteral("t_run"), 10);
        const auto firstThree = store->loadRunChildren(QStringLiteral("t_run"), 3);
        const auto listed = store->listTasks(0, TaskFilter{}, 0, 10);
        FaultyVfs::setFault(FaultyVfs::Fault::None);
        QCOMPARE(seqsOf(children), (QList<qint64>{1, 2, 3, 4}));
        for (const TaskRow &row : *children)
            QVERIFY(row.payload.isEmpty());
        QCOMPARE(seqsOf(firstThree), (QList<qint64>{1, 2, 3}));
        QCOMPARE(seqsOf(listed), (QList<qint64>{5, 4, 3, 2, 1}));
        QCOMPARE(store->pendingTasks(), std::size_t(3));
        QCOMPARE(databaseMaxSeq(*store), qint64(2));
    }

    // Reads write nothing, even with a full log: they work while the disk is full.
    void readsWorkOnAFullDiskWithAFullLog()
    {
        auto store = openStore(newDatabase());
        QVERIFY(store);
        const qint64 rows = qint64(IntakeStore::FlushRows);
        QVERIFY(enqueue(*store, 1, rows));
        FaultyVfs::setFault(FaultyVfs::Fault::Full);
        const qint64 refusedBefore = FaultyVfs::refusedWrites();
        QVERIFY(store->beginBatch());
        QVERIFY(exists(*store, rows));
        auto max = store->maxTaskSeq();
        QVERIFY(max);
        QCOMPARE(*max, rows);
        QVERIFY(store->loadWorkers());
        QVERIFY(store->commitBatch());
        QCOMPARE(FaultyVfs::refusedWrites(), refusedBefore);
        // A task added now needs the database: refused, and the logged ones stay logged.
        QVERIFY(store->beginBatch());
        const bool stored =
            store->insertTask(taskRow(rows + 1)).has_value() && store->commitBatch().has_value();
        QVERIFY(!stored);
        store->rollbackBatch();
        QCOMPARE(store->pendingTasks(), std::size_t(rows));
        FaultyVfs::setFault(FaultyVfs::Fault::None);
        QVERIFY(enqueue(*store, rows + 1, rows + 1));
        QCOMPARE(databaseMaxSeq(*store), rows + 1);
    }

    // A log whose tasks the database has, with an epoch it has not recorded (its file replaced by
    // a copy of itself): the tasks are kept as the database has them, and the store opens.
    void tasksTheDatabaseHasAreNotTakenAgain()
    {
        const QString path = newDatabase();
        auto store = openStore(path);
        QVERIFY(store);
        QVERIFY(enqueue(*store, 1, 3));
        const QString staleLog = QDir(m_dir.path()).filePath(QStringLiteral("stale-intake-2"));
        QVERIFY(QFile::copy(IntakeLog::pathFor(path), staleLog));
        QVERIFY(settleByWrite(*store));
        QVERIFY(store->beginBatch());
        QVERIFY(store->database().setMetaValue(QStringLiteral("intake_epoch"), "0"));
        QVERIFY(store->commitBatch());
        const QString crashed = copyAsCrashed(path, false);
        QVERIFY(QFile::copy(staleLog, IntakeLog::pathFor(crashed)));
        auto reopened = openStore(crashed);
        QVERIFY(reopened);
        QCOMPARE(reopened->stats().recovered, qint64(0));
        QCOMPARE(databaseMaxSeq(*reopened), qint64(3));
    }

    void schedulesJoinTheBatchsTransaction()
    {
        auto store = openStore(newDatabase());
        QVERIFY(store);
        QVERIFY(enqueue(*store, 1, 2));
        QVERIFY(store->beginBatch());
        ScheduleRow schedule;
        schedule.id = QStringLiteral("s_1");
        schedule.definition.name = QStringLiteral("nightly");
        schedule.definition.spec = QStringLiteral("@daily");
        schedule.definition.queueId = QStringLiteral("q_1");
        const auto inserted = store->schedules().insertSchedule(schedule);
        QVERIFY2(inserted, qPrintable(failureText(inserted)));
        QCOMPARE(databaseMaxSeq(*store), qint64(2));
        store->rollbackBatch();
        auto schedules = store->schedules().loadSchedules();
        QVERIFY(schedules);
        QVERIFY(schedules->isEmpty());
    }

    void anInMemoryDatabaseHasNoLog()
    {
        IntakeStore store(std::make_unique<SqliteStore>());
        QVERIFY(store.open({QStringLiteral(":memory:"), Durability::Normal}));
        QVERIFY(enqueue(store, 1, 1));
        QCOMPARE(store.stats().logged, qint64(0));
        QCOMPARE(databaseMaxSeq(store), qint64(1));
    }
};

QTEST_GUILESS_MAIN(TestIntakeStore)
#include "tst_intakestore.moc"
