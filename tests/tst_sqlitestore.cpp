// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The SQLite store directly: a new task row reads back as written, field by field (what a
// lease and its end add comes with them); an undone
// operation leaves nothing; a lease and its end change the row; what was committed is there
// after the store is opened again; a task's log keeps only its newest lines past the cap.
#include "sqlitestore.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include <algorithm>

using namespace QueueDeck;

namespace {

TaskRow taskRow(qint64 seq, int variant = 0)
{
    TaskRow row;
    row.seq = seq;
    row.queueNum = 1;
    row.type = QStringLiteral("job ü");
    row.payload = QByteArray(R"({"n":)") + QByteArray::number(seq) + "}";
    row.enqueuedAtMs = 1'700'000'000'000 + seq;
    row.runAtMs = row.enqueuedAtMs;
    if (variant >= 1) {
        row.state = TaskState::Scheduled;
        row.priority = -3;
        row.runAtMs = row.enqueuedAtMs + 60'000;
        row.maxAttempts = 5;
        row.timeoutS = 90;
        row.expireAtMs = row.enqueuedAtMs + 3'600'000;
        row.deadlineMs = row.enqueuedAtMs + 7'200'000;
        row.idempotencyKey = QStringLiteral("idem");
        row.concurrencyKey = QStringLiteral("customer-7");
        row.requiredLabels.insert(QStringLiteral("gpu"), QStringLiteral("true"));
        row.targetWorkerId = QStringLiteral("w_target");
    }
    if (variant >= 2) // the store keeps whatever state it is given
        row.state = TaskState::Dead;
    return row;
}

} // namespace

class TestSqliteStore final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<SqliteStore> m_store;

    bool write(const std::function<bool(SqliteStore &)> &change)
    {
        if (!m_store->beginBatch())
            return false;
        if (!change(*m_store)) {
            m_store->rollbackBatch();
            return false;
        }
        return m_store->commitBatch().has_value();
    }

    void verifySame(const TaskRow &read, const TaskRow &written)
    {
        QCOMPARE(read.seq, written.seq);
        QCOMPARE(read.queueNum, written.queueNum);
        QCOMPARE(read.state, written.state);
        QCOMPARE(read.type, written.type);
        QCOMPARE(read.payload, written.payload);
        QCOMPARE(read.priority, written.priority);
        QCOMPARE(read.enqueuedAtMs, written.enqueuedAtMs);
        QCOMPARE(read.runAtMs, written.runAtMs);
        QCOMPARE(read.attempts, written.attempts);
        QCOMPARE(read.maxAttempts, written.maxAttempts);
        QCOMPARE(read.timeoutS, written.timeoutS);
        QCOMPARE(read.expireAtMs, written.expireAtMs);
        QCOMPARE(read.deadlineMs, written.deadlineMs);
        QCOMPARE(read.idempotencyKey, written.idempotencyKey);
        QCOMPARE(read.concurrencyKey, written.concurrencyKey);
        QCOMPARE(read.requiredLabels, written.requiredLabels);
        QCOMPARE(read.targetWorkerId, written.targetWorkerId);
        QCOMPARE(read.leaseValue, written.leaseValue);
        QCOMPARE(read.leasedBy, written.leasedBy);
        QCOMPARE(read.leaseExpiresAtMs, written.leaseExpiresAtMs);
        QCOMPARE(read.startedAtMs, written.startedAtMs);
        QCOMPARE(read.finishedAtMs, written.finishedAtMs);
        QCOMPARE(read.lastError, written.lastError);
        QCOMPARE(read.result, written.result);
        QCOMPARE(read.deadReason, written.deadReason);
        QCOMPARE(read.cancelRequested, written.cancelRequested);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        m_path = QDir(m_dir.path()).filePath(QStringLiteral("queuedeck.db"));
        m_store = std::make_unique<SqliteStore>();
        auto opened = m_store->open({m_path, Durability::Normal});
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().message));
    }

    void taskRowReadsBackAsWritten_data()
    {
        QTest::addColumn<qint64>("seq");
        QTest::addColumn<int>("variant");
        QTest::newRow("queued, required fields only") << qint64(1) << 0;
        QTest::newRow("scheduled, every optional field") << qint64(2) << 1;
        QTest::newRow("dead, every optional field") << qint64(3) << 2;
    }
    void taskRowReadsBackAsWritten()
    {
        QFETCH(qint64, seq);
        QFETCH(int, variant);
        const TaskRow written = taskRow(seq, variant);
        QVERIFY(write([&](SqliteStore &s) { return s.insertTask(written).has_value(); }));
        const auto loaded = m_store->loadTask(seq);
        QVERIFY(loaded && *loaded);
        verifySame(**loaded, written);
    }

    // Tasks written together (32 rows to a statement, then 8, then one by one) read back as
    // written, each of them, with and without their optional fields.
    void tasksWrittenTogetherReadBackAsWritten()
    {
        std::vector<TaskRow> written;
        for (int i = 0; i < 45; ++i) {
            written.push_back(taskRow(100 + i, i % 3));
            if (i % 4 == 1) {
                written.back().parentId = QStringLiteral("t_parent%1").arg(i);
                written.back().runId = QStringLiteral("t_run\u00e9%1").arg(i);
            }
        }
        QVERIFY(write([&](SqliteStore &s) { return s.insertTasks(written).has_value(); }));
        for (const TaskRow &row : written) {
            const auto loaded = m_store->loadTask(row.seq);
            QVERIFY(loaded && *loaded);
            verifySame(**loaded, row);
            if (QTest::currentTestFailed())
                return;
            QCOMPARE(loaded->value().parentId, row.parentId);
            QCOMPARE(loaded->value().runId, row.runId);
        }
        // Gone again: the tests below count on the tasks they wrote alone.
        QVERIFY(write([&](SqliteStore &s) {
            return std::all_of(written.cbegin(), written.cend(),
                               [&s](const TaskRow &row) { return s.deleteTask(row.seq); });
        }));
    }

    // Tasks written together of which one cannot be stored (its seq is taken) fail the write,
    // and none of them stays: the rows of the statements before the failing one go with the
    // batch's transaction.
    void tasksWrittenTogetherFailTogether()
    {
        std::vector<TaskRow> rows;
        for (int i = 0; i < 40; ++i)
            rows.push_back(taskRow(200 + i));
        rows[35].seq = 1; // stored by taskRowReadsBackAsWritten
        QVERIFY(!write([&](SqliteStore &s) { return s.insertTasks(rows).has_value(); }));
        for (const TaskRow &row : rows) {
            if (row.seq == 1)
                continue;
            const auto loaded = m_store->loadTask(row.seq);
            QVERIFY(loaded);
            QVERIFY2(!*loaded, qPrintable(QString::number(row.seq)));
        }
    }

    // An operation undone inside a batch leaves nothing; the batch's other operations stay.
    void undoneOperationLeavesNothing()
    {
        QVERIFY(write([](SqliteStore &s) {
            if (!s.beginOperation() || !s.insertTask(taskRow(10)))
                return false;
            s.endOperation(true);
            if (!s.beginOperation() || !s.insertTask(taskRow(11)))
                return false;
            s.endOperation(false);
            return true;
        }));
        const auto kept = m_store->loadTask(10);
        QVERIFY(kept && kept->has_value());
        const auto undone = m_store->loadTask(11);
        QVERIFY(undone);
        QVERIFY(!undone->has_value());
    }

    // The first operation of a batch runs without a savepoint: undone, it leaves nothing, and the
    // batch goes on (what comes after it is kept).
    void undoneFirstOperationLeavesNothing()
    {
        QVERIFY(write([](SqliteStore &s) {
            if (!s.beginOperation() || !s.insertTask(taskRow(12)))
                return false;
            s.endOperation(false);
            if (!s.beginOperation() || !s.insertTask(taskRow(13)))
                return false;
            s.endOperation(true);
            return true;
        }));
        const auto undone = m_store->loadTask(12);
        QVERIFY(undone);
        QVERIFY(!undone->has_value());
        const auto kept = m_store->loadTask(13);
        QVERIFY(kept && kept->has_value());
    }

    // What the batch wrote outside any operation before the first one survives that operation's
    // undoing; so does the outer operation when one nested in it is undone.
    void undoingKeepsEarlierWrites()
    {
        QVERIFY(write([](SqliteStore &s) {
            if (!s.insertTask(taskRow(14)))
                return false;
            if (!s.beginOperation() || !s.insertTask(taskRow(15)))
                return false;
            s.endOperation(false);
            return true;
        }));
        const auto before = m_store->loadTask(14);
        QVERIFY(before && before->has_value());
        const auto undone = m_store->loadTask(15);
        QVERIFY(undone && !undone->has_value());
        QVERIFY(write([](SqliteStore &s) {
            if (!s.beginOperation() || !s.insertTask(taskRow(16)))
                return false;
            if (!s.beginOperation() || !s.insertTask(taskRow(17)))
                return false;
            s.endOperation(false);
            s.endOperation(true);
            return true;
        }));
        const auto outer = m_store->loadTask(16);
        QVERIFY(outer && outer->has_value());
        const auto inner = m_store->loadTask(17);
        QVERIFY(inner && !inner->has_value());
    }

    // Leased: running, its lease and start written; finished: its end and outcome.
    void leaseThenFinish()
    {
        QVERIFY(write([](SqliteStore &s) { return s.insertTask(taskRow(20)).has_value(); }));
        std::optional<LeasedRow> leased;
        QVERIFY(write([&](SqliteStore &s) {
            auto result = s.markLeased(20, 7, QStringLiteral("w_a"), 1'700'000'100'000, 30);
            if (!result)
                return false;
            leased = *result;
            return true;
        }));
        QVERIFY(leased);
        QCOMPARE(leased->payload, taskRow(20).payload);
        QCOMPARE(leased->leaseExpiresAtMs, 1'700'000'100'000 + 30'000);
        auto running = m_store->loadTask(20);
        QVERIFY(running && *running);
        QCOMPARE((*running)->state, TaskState::Running);
        QCOMPARE((*running)->leasedBy, QStringLiteral("w_a"));
        QCOMPARE((*running)->leaseValue, qint64(7));
        // A row that is not waiting is not leased again.
        QVERIFY(write([](SqliteStore &s) {
            auto again = s.markLeased(20, 8, QStringLiteral("w_b"), 1'700'000'100'001, 30);
            return again && !again->has_value();
        }));
        QVERIFY(write([](SqliteStore &s) {
            return s
                .markFinished(20, TaskState::Succeeded, 1'700'000'100'500, "1", QString(),
                              DeadReason::None)
                .has_value();
        }));
        auto done = m_store->loadTask(20);
        QVERIFY(done && *done);
        QCOMPARE((*done)->state, TaskState::Succeeded);
        QCOMPARE((*done)->finishedAtMs, std::optional<qint64>(1'700'000'100'500));
        QCOMPARE((*done)->result, QByteArray("1"));
    }

    // A task's log keeps its newest lines once it holds more than the cap.
    void logsKeepTheNewestPastTheCap()
    {
        QVERIFY(write([](SqliteStore &s) { return s.insertTask(taskRow(30)).has_value(); }));
        QList<LogLine> lines;
        for (int i = 0; i < 50; ++i)
            lines.append(
                {0, 1'700'000'000'000 + i, QStringLiteral("stdout"),
                 QStringLiteral("line %1 ").arg(i, 3, 10, QLatin1Char('0')) + QString(90, u'x')});
        QVERIFY(write([&](SqliteStore &s) { return s.appendLogs(30, lines, 1000).has_value(); }));
        const auto kept = m_store->loadLogs(30, 0, 1000);
        QVERIFY(kept);
        QVERIFY(!kept->isEmpty());
        QVERIFY(kept->size() < 50);
        QVERIFY(kept->last().text.startsWith(u"line 049"));
        qint64 bytes = 0;
        for (const LogLine &line : *kept)
            bytes += line.text.toUtf8().size();
        QVERIFY(bytes <= 1000);
    }

    // What was committed is there after the store is opened again.
    void committedRowsOutliveAReopen()
    {
        QVERIFY(write([](SqliteStore &s) {
            return s.setMetaValue(QStringLiteral("probe"), "value").has_value();
        }));
        m_store->close();
        m_store = std::make_unique<SqliteStore>();
        QVERIFY(m_store->open({m_path, Durability::Normal}));
        const auto meta = m_store->metaValue(QStringLiteral("probe"));
        QVERIFY(meta);
        QCOMPARE(*meta, QByteArray("value"));
        const auto task = m_store->loadTask(20);
        QVERIFY(task && *task);
        QCOMPARE((*task)->state, TaskState::Succeeded);
        QCOMPARE((*task)->result, QByteArray("1"));
        const auto highest = m_store->maxTaskSeq();
        QVERIFY(highest);
        QCOMPARE(*highest, qint64(30));
    }

    // A database the store makes has its page size; one made before with SQLite's default keeps
    // that, and works as well.
    void newDatabasesGetTheStoresPageSize()
    {
        QCOMPARE(m_store->pageSize(), qint64(SqliteStore::NewDatabasePageSize));
        const QString older = QDir(m_dir.path()).filePath(QStringLiteral("older.db"));
        sqlite3 *db = nullptr;
        QCOMPARE(sqlite3_open(older.toUtf8().constData(), &db), SQLITE_OK);
        QCOMPARE(
            sqlite3_exec(db, "PRAGMA page_size=4096; CREATE TABLE t(x)", nullptr, nullptr, nullptr),
            SQLITE_OK);
        sqlite3_close(db);
        SqliteStore store;
        auto opened = store.open({older, Durability::Normal});
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().message));
        QCOMPARE(store.pageSize(), qint64(4096));
        QVERIFY(store.beginBatch());
        QVERIFY(store.insertTask(taskRow(1, 1)));
        QVERIFY(store.commitBatch());
        const auto highest = store.maxTaskSeq();
        QVERIFY(highest);
        QCOMPARE(*highest, qint64(1));
    }

    // A database whose path holds characters with a meaning elsewhere (space, ?, #, %, an
    // escape-like %3F, non-ASCII) is opened at that very path, and read back from it.
    void pathsAreTakenLiterally()
    {
        const QString directory =
            QDir(m_dir.path()).filePath(QStringLiteral("odd dir?x=1#top%20é"));
        const QString path = QDir(directory).filePath(QStringLiteral("queue deck%3F.db"));
        {
            SqliteStore store;
            auto opened = store.open({path, Durability::Normal});
            QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().message));
            QVERIFY(store.beginBatch());
            QVERIFY(store.setMetaValue(QStringLiteral("probe"), "odd"));
            QVERIFY(store.commitBatch());
            store.close();
        }
        QVERIFY2(QFileInfo::exists(path), qPrintable(path));
        QCOMPARE(QDir(directory).entryList(QDir::Files),
                 QStringList{QStringLiteral("queue deck%3F.db")});
        SqliteStore again;
        QVERIFY(again.open({path, Durability::Normal}));
        const auto meta = again.metaValue(QStringLiteral("probe"));
        QVERIFY(meta);
        QCOMPARE(*meta, QByteArray("odd"));
    }

    void cleanupTestCase()
    {
        if (m_store)
            m_store->close();
    }
};

QTEST_GUILESS_MAIN(TestSqliteStore)
#include "tst_sqlitestore.moc"
