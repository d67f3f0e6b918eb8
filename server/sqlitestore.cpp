// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "sqlitestore.h"

#include "ids.h"
#include "sqlitebackup.h"
#include "sqlitequery.h"
#include "sqliteschedulestore.h"
#include "sqliteschema.h"
#include "sqlitetaskrow.h"
#include "storecodec.h"

#include <QDir>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QSqlDriver>
#include <QSqlError>
#include <QUuid>

#include <sqlite3.h>

Q_LOGGING_CATEGORY(lcStore, "queuedeck.store", QtInfoMsg) // debug: on request

namespace QueueDeck {

SqliteStore::SqliteStore()
    : m_connectionName(QStringLiteral("queuedeck-store-") +
                       QUuid::createUuid().toString(QUuid::WithoutBraces))
{}

SqliteStore::~SqliteStore()
{
    close();
}

std::unexpected<Error> SqliteStore::failure(const char *what) const
{
    const QString detail =
        m_db ? QString::fromUtf8(sqlite3_errmsg(m_db)) : QStringLiteral("no database");
    const int code = m_db ? sqlite3_extended_errcode(m_db) & 0xff : 0;
    qCWarning(lcStore) << what << "failed:" << detail;
    // A full or failing disk is the server's trouble, not the caller's: UNAVAILABLE (503), which
    // clients retry, and a hint for the operator.
    QString hint;
    if (code == SQLITE_FULL)
        hint =
            QStringLiteral(" (free disk space on the data directory; writes resume by themselves)");
    else if (code == SQLITE_IOERR)
        hint = QStringLiteral(" (check the disk of the data directory)");
    else if (code == SQLITE_READONLY || code == SQLITE_CANTOPEN || code == SQLITE_PERM)
        hint =
            QStringLiteral(" (the server needs write access to the data directory and its files)");
    return makeError(ErrorCode::Unavailable, QStringLiteral("the database could not %1: %2%3")
                                                 .arg(QString::fromLatin1(what), detail, hint));
}

Result<void> SqliteStore::open(const StoreOptions &options)
{
    close();
    const QFileInfo info(options.databasePath);
    if (!QDir().mkpath(info.absolutePath()))
        return makeError(ErrorCode::Unavailable,
                         QStringLiteral("cannot create the directory %1; check its permissions")
                             .arg(info.absolutePath()));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
        if (!db.isValid())
            return makeError(
                ErrorCode::Unavailable,
                QStringLiteral("the Qt SQLite driver is missing; install libqt6sql6-sqlite"));
        // SQLite's count of the memory it holds takes a lock and updates statistics at every
        // allocation (3% of a one-by-one enqueue's instructions), and nothing here reads it. Tried
        // once per process, at the first store's opening: only possible before SQLite is first
        // used (usually the case then); later, SQLite refuses and goes on counting.
        [[maybe_unused]] static const int memoryStatisticsOff =
            sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
        db.setDatabaseName(options.databasePath);
        if (!db.open())
            return makeError(ErrorCode::Unavailable,
                             QStringLiteral("cannot open %1: %2; check that this user may read "
                                            "and write it and its directory")
                                 .arg(options.databasePath, db.lastError().driverText()));
        m_db = *static_cast<sqlite3 *const *>(db.driver()->handle().constData());
    }
    if (!m_db)
        return makeError(ErrorCode::Internal,
                         QStringLiteral("the SQLite driver gave no connection handle"));
    // SQLite falls back to reading a file it may not write; a server on it would refuse every
    // write later, so it does not start.
    if (sqlite3_db_readonly(m_db, "main") == 1) {
        close();
        return makeError(ErrorCode::Unavailable,
                         QStringLiteral("the database %1 is read-only for this user; the server "
                                        "needs write access to it and to its directory: run it as "
                                        "their owner or fix their permissions")
                             .arg(options.databasePath));
    }
    QFile::setPermissions(options.databasePath, QFileDevice::ReadOwner | QFileDevice::WriteOwner);

    // Exclusive locking mode before anything reads the database: the log's index then never goes
    // to a shared-memory file, and the file locks are taken once, not around every transaction.
    // No wait for a lock at first: a database held by another process is refused at once.
    sqlite3_busy_timeout(m_db, 0);
    // Before anything writes the file: a database made now gets pages of NewDatabasePageSize; one
    // that exists keeps its own.
    if (auto sized = exec(QByteArray("PRAGMA page_size=")
                              .append(QByteArray::number(NewDatabasePageSize))
                              .constData());
        !sized)
        return sized;
    if (auto exclusive = exec("PRAGMA locking_mode=EXCLUSIVE"); !exclusive)
        return exclusive;
    if (auto taken = exec("BEGIN IMMEDIATE"); !taken) {
        const bool held = (sqlite3_extended_errcode(m_db) & 0xff) == SQLITE_BUSY;
        close();
        if (held)
            return makeError(ErrorCode::Unavailable,
                             QStringLiteral("the database %1 is in use by another process (another "
                                            "QueueDeck server?); stop that process, or give this "
                                            "server a data directory of its own")
                                 .arg(options.databasePath));
        return taken;
    }
    if (auto released = exec("COMMIT"); !released)
        return released;
    sqlite3_busy_timeout(m_db, 5000);
    const char *synchronous = options.durability == Durability::Full ? "PRAGMA synchronous=FULL"
                                                                     : "PRAGMA synchronous=NORMAL";
    // A small page cache on purpose: SQLite scans its page-cache hash at every commit, so a big
    // cache slows every commit on big databases (measured: 1M queued tasks drained 25% slower with
    // 64 MiB than with 8 MiB). The operating system caches the file anyway.
    for (const char *pragma :
         {"PRAGMA journal_mode=WAL", synchronous, "PRAGMA foreign_keys=ON",
          "PRAGMA wal_autocheckpoint=0", "PRAGMA cache_size=-8192", "PRAGMA temp_store=MEMORY"}) {
        if (auto result = exec(pragma); !result)
            return result;
    }
    if (Query q(statement("PRAGMA page_size")); q.step() == SQLITE_ROW)
        m_pageSize = q.integer(0);
    if (auto result = exec(QByteArray("PRAGMA journal_size_limit=")
                               .append(QByteArray::number(logSizeLimit()))
                               .constData());
        !result)
        return result;
    if (auto result = SqliteSchema::migrate(m_db); !result)
        return result;
    m_schedules = std::make_unique<SqliteScheduleStore>(m_db);
    sqlite3_wal_hook(
        m_db,
        [](void *context, sqlite3 *, const char *, int pages) {
            static_cast<SqliteStore *>(context)->noteWalPages(pages);
            return SQLITE_OK;
        },
        this);
    return {};
}

qint64 SqliteStore::pageSize() const
{
    return m_pageSize;
}

qint64 SqliteStore::logSizeLimit() const
{
    // The log restarts after each checkpoint and is then written again from its beginning. Kept
    // at the length it reaches between two checkpoints, it is overwritten in place: pages the
    // kernel already holds. Cut to nothing at each restart, every commit grew the file again and
    // the kernel gave it a new page and block each time: about a sixth of the server's CPU per
    // one-by-one enqueue (docs/performance.md). A log that a long transaction grew beyond that is
    // cut back to it. The cost: a log whose pages the kernel dropped while the server was quiet
    // is read back, a block per frame, during the first round after.
    constexpr qint64 FrameHeader = 24;
    return (CheckpointEveryPages + CheckpointEveryPages / 4) * (m_pageSize + FrameHeader);
}

void SqliteStore::noteWalPages(int pages)
{
    if (pages < CheckpointEveryPages)
        return;
    // Called right after a commit, between two transactions of the only connection: the
    // checkpoint copies the whole log into the database file and syncs it, and the next
    // transaction writes the log again from its beginning, over the frames of the last round
    // (logSizeLimit()).
    int logFrames = 0;
    int copiedFrames = 0;
    const int rc = sqlite3_wal_checkpoint_v2(m_db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &logFrames,
                                             &copiedFrames);
    if (rc != SQLITE_OK) {
        // Tried again after the next commit; said once per streak of failures (a full disk).
        ++m_walStats.failures;
        if (!m_checkpointFailing)
            qCWarning(lcStore) << "checkpoint failed:" << sqlite3_errmsg(m_db);
        m_checkpointFailing = true;
        return;
    }
    if (m_checkpointFailing)
        qCInfo(lcStore) << "checkpoints work again";
    m_checkpointFailing = false;
    ++m_walStats.checkpoints;
    m_walStats.framesCopied += qMax(0, copiedFrames);
    m_walStats.lastLogFrames = logFrames;
    m_walStats.lastCopiedFrames = copiedFrames;
}

Result<std::unique_ptr<StoreBackup>> SqliteStore::startBackup(const QString &path)
{
    auto backup = SqliteBackup::start(m_db, path);
    if (!backup)
        return std::unexpected(backup.error());
    return std::unique_ptr<StoreBackup>(std::move(*backup));
}

WalStats SqliteStore::walStats() const
{
    return m_walStats;
}

ScheduleStore &SqliteStore::schedules()
{
    return *m_schedules;
}

void SqliteStore::close()
{
    m_schedules.reset();
    for (sqlite3_stmt *statement : std::as_const(m_statements))
        sqlite3_finalize(statement);
    m_statements.clear();
    if (m_db) {
        sqlite3_wal_checkpoint_v2(m_db, nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
        m_db = nullptr;
    }
    if (QSqlDatabase::contains(m_connectionName)) {
        QSqlDatabase::database(m_connectionName, false).close();
        QSqlDatabase::removeDatabase(m_connectionName);
    }
}

Result<void> SqliteStore::exec(const char *sql)
{
    char *message = nullptr;
    if (sqlite3_exec(m_db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        sqlite3_free(message);
        return failure(sql);
    }
    return {};
}

sqlite3_stmt *SqliteStore::statement(const char *sql)
{
    auto it = m_statements.constFind(sql);
    if (it != m_statements.cend())
        return *it;
    sqlite3_stmt *prepared = nullptr;
    if (sqlite3_prepare_v3(m_db, sql, -1, SQLITE_PREPARE_PERSISTENT, &prepared, nullptr) !=
        SQLITE_OK) {
        qCWarning(lcStore) << "prepare failed:" << sqlite3_errmsg(m_db) << sql;
        return nullptr;
    }
    m_statements.insert(sql, prepared);
    return prepared;
}

Result<void> SqliteStore::beginBatch()
{
    Query q(statement("BEGIN IMMEDIATE"));
    if (q.step() != SQLITE_DONE)
        return failure("begin a transaction");
    m_inBatch = true;
    m_openOperations = 0;
    m_unguardedOperation = false;
    m_changesAtBegin = sqlite3_total_changes64(m_db);
    return {};
}

Result<void> SqliteStore::commitBatch()
{
    if (sqlite3_get_autocommit(m_db) != 0)
        return makeError(ErrorCode::Unavailable,
                         QStringLiteral("the database rolled back the transaction after an error; "
                                        "try again"));
    Query q(statement("COMMIT"));
    if (q.step() != SQLITE_DONE)
        return failure("commit");
    m_inBatch = false;
    return {};
}

void SqliteStore::rollbackBatch()
{
    if (sqlite3_get_autocommit(m_db) == 0)
        exec("ROLLBACK");
    m_inBatch = false;
}

Result<void> SqliteStore::beginOperation()
{
    // SQLite rolls a transaction back by itself after some errors (a full disk, an I/O error);
    // the rest of the batch must not then run, and commit, outside of it.
    if (m_inBatch && sqlite3_get_autocommit(m_db) != 0)
        return makeError(ErrorCode::Unavailable,
                         QStringLiteral("the database rolled back the transaction after an error; "
                                        "try again"));
    // An operation that starts while the batch has written nothing yet (most batches hold one
    // operation) needs no savepoint: undoing it is rolling the transaction back and beginning
    // it again. (A SAVEPOINT and its RELEASE were ~6,500 of the ~118,000 instructions of an
    // enqueue.)
    if (m_inBatch && m_openOperations == 0 && sqlite3_total_changes64(m_db) == m_changesAtBegin) {
        m_openOperations = 1;
        m_unguardedOperation = true;
        return {};
    }
    Query q(statement("SAVEPOINT op"));
    if (q.step() != SQLITE_DONE)
        return failure("start an operation");
    ++m_openOperations;
    return {};
}

void SqliteStore::endOperation(bool keep)
{
    m_openOperations = qMax(0, m_openOperations - 1);
    if (m_unguardedOperation && m_openOperations == 0) {
        m_unguardedOperation = false;
        if (keep)
            return;
        // Nothing but this operation was written since the batch began. When SQLite rolled the
        // transaction back by itself (a full disk), the batch stays refused as with a savepoint.
        if (sqlite3_get_autocommit(m_db) != 0)
            return;
        if (auto undone = exec("ROLLBACK"); !undone) {
            qCWarning(lcStore) << "could not undo a failed operation:" << undone.error().message;
            return;
        }
        Query begin(statement("BEGIN IMMEDIATE"));
        if (begin.step() != SQLITE_DONE)
            qCWarning(lcStore) << "could not begin the transaction again:" << sqlite3_errmsg(m_db);
        m_changesAtBegin = sqlite3_total_changes64(m_db);
        return;
    }
    if (!keep) {
        Query rollback(statement("ROLLBACK TO op"));
        rollback.step();
    }
    Query release(statement("RELEASE op"));
    release.step();
}

Result<qint64> SqliteStore::maxTaskSeq()
{
    Query q(statement("SELECT coalesce(max(seq), 0) FROM tasks"));
    if (q.step() != SQLITE_ROW)
        return failure("read the task sequence");
    return q.integer(0);
}

Result<QByteArray> SqliteStore::metaValue(const QString &key)
{
    Query q(statement("SELECT value FROM meta WHERE key=?1"));
    q.bind(1, key);
    const int rc = q.step();
    if (rc == SQLITE_DONE)
        return QByteArray();
    if (rc != SQLITE_ROW)
        return failure("read server settings");
    return q.blob(0);
}

Result<void> SqliteStore::setMetaValue(const QString &key, const QByteArray &value)
{
    Query q(statement("INSERT INTO meta(key, value) VALUES(?1, ?2) ON CONFLICT(key) DO UPDATE SET "
                      "value=excluded.value"));
    q.bind(1, key).bindBlob(2, value);
    if (q.step() != SQLITE_DONE)
        return failure("save server settings");
    return {};
}

Result<void> SqliteStore::releaseLease(qint64 seq)
{
    Query q(statement("UPDATE tasks SET state=1, attempts=max(attempts-1, 0), lease_expires=NULL, "
                      "leased_by=NULL, "
                      "started_at=NULL WHERE seq=?1 AND state=2"));
    q.bind(1, seq);
    if (q.step() != SQLITE_DONE)
        return failure("release the lease");
    return {};
}

Result<QList<EnvironmentInfo>> SqliteStore::loadEnvironments()
{
    Query q(statement(
        "SELECT name, description, auto_create, created_at FROM environments ORDER BY name"));
    QList<EnvironmentInfo> out;
    int rc;
    while ((rc = q.step()) == SQLITE_ROW)
        out.append({q.text(0), q.text(1), q.integer(2) != 0, q.integer(3)});
    if (rc != SQLITE_DONE)
        return failure("load environments");
    return out;
}

Result<void> SqliteStore::insertEnvironment(const EnvironmentInfo &e)
{
    Query q(statement("INSERT INTO environments(name, description, auto_create, created_at) "
                      "VALUES(?1, ?2, ?3, ?4)"));
    q.bind(1, e.name).bind(2, e.description).bind(3, int(e.autoCreate)).bind(4, e.createdAtMs);
    if (q.step() != SQLITE_DONE)
        return failure("save the environment");
    return {};
}

Result<void> SqliteStore::deleteEnvironment(const QString &name)
{
    Query q(statement("DELETE FROM environments WHERE name=?1"));
    q.bind(1, name);
    if (q.step() != SQLITE_DONE)
        return failure("delete the environment");
    return {};
}

Result<QList<QueueRow>> SqliteStore::loadQueues()
{
    Query q(statement("SELECT num, id, environment, name, settings, join_token, created_at FROM "
                      "queues ORDER BY num"));
    QList<QueueRow> out;
    int rc;
    while ((rc = q.step()) == SQLITE_ROW) {
        QueueRow row;
        row.num = int(q.integer(0));
        row.id = q.text(1);
        row.environment = q.text(2);
        row.name = q.text(3);
        row.settings = StoreCodec::decodeSettings(q.blob(4));
        row.joinToken = q.text(5);
        row.createdAtMs = q.integer(6);
        out.append(row);
    }
    if (rc != SQLITE_DONE)
        return failure("load queues");
    return out;
}

Result<void> SqliteStore::insertQueue(const QueueRow &row)
{
    Query q(statement(
        "INSERT INTO queues(num, id, environment, name, settings, join_token, created_at) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
    q.bind(1, row.num).bind(2, row.id).bind(3, row.environment).bind(4, row.name);
    q.bindBlob(5, StoreCodec::encodeSettings(row.settings))
        .bind(6, row.joinToken)
        .bind(7, row.createdAtMs);
    if (q.step() != SQLITE_DONE)
        return failure("save the queue");
    return {};
}

Result<void> SqliteStore::updateQueue(const QueueRow &row)
{
    Query q(statement("UPDATE queues SET name=?2, settings=?3, join_token=?4 WHERE num=?1"));
    q.bind(1, row.num)
        .bind(2, row.name)
        .bindBlob(3, StoreCodec::encodeSettings(row.settings))
        .bind(4, row.joinToken);
    if (q.step() != SQLITE_DONE)
        return failure("update the queue");
    return {};
}

Result<void> SqliteStore::deleteQueue(int queueNum)
{
    for (const char *sql :
         {"DELETE FROM tasks WHERE queue=?1", "DELETE FROM metrics_minute WHERE queue=?1",
          "DELETE FROM queues WHERE num=?1"}) {
        Query q(statement(sql));
        q.bind(1, queueNum);
        if (q.step() != SQLITE_DONE)
            return failure("delete the queue");
    }
    return {};
}

namespace {

constexpr int TaskInsertColumns = 18;

// "INSERT INTO tasks(…) VALUES(?1, …, ?18), (?19, …), …" for `rows` rows (1, 8 or 32: a flush
// of the intake log writes up to 1,024 tasks, and one statement of 32 rows costs a third less per
// task than 32 statements of one). Built once; the pointer is the statement cache's key.
const char *taskInsertSql(int rows)
{
    static const auto build = [](int count) {
        QByteArray sql = "INSERT INTO tasks(seq, queue, state, type, payload, priority, "
                         "enqueued_at, run_at, max_attempts, timeout_s, expire_at, deadline, "
                         "idempotency_key, concurrency_key, required_labels, target_worker, "
                         "parent_id, run_id) VALUES";
        for (int row = 0; row < count; ++row) {
            sql += row ? ",(" : "(";
            for (int column = 0; column < TaskInsertColumns; ++column)
                sql += (column ? ",?" : "?") +
                       QByteArray::number(row * TaskInsertColumns + column + 1);
            sql += ')';
        }
        return sql;
    };
    static const QByteArray one = build(1);
    static const QByteArray eight = build(8);
    static const QByteArray many = build(32);
    return rows == 32 ? many.constData() : rows == 8 ? eight.constData() : one.constData();
}

// Binds one task's columns from parameter `first` + 1 on; its texts are converted into `kept`,
// which outlives the statement's step (the row's own bytes do too).
void bindTask(SqliteQuery &q, int first, const TaskRow &t, std::vector<QByteArray> &kept)
{
    const auto text = [&](int column, const QString &value, bool nullWhenEmpty) {
        if (nullWhenEmpty && value.isEmpty()) {
            q.bindNull(first + column);
            return;
        }
        kept.push_back(value.toUtf8());
        q.bindKeptText(first + column, kept.back());
    };
    q.bind(first + 1, t.seq).bind(first + 2, t.queueNum).bind(first + 3, int(t.state));
    text(4, t.type, false);
    q.bindKeptBlob(first + 5, t.payload);
    q.bind(first + 6, t.priority).bind(first + 7, t.enqueuedAtMs).bind(first + 8, t.runAtMs);
    q.bind(first + 9, t.maxAttempts).bind(first + 10, t.timeoutS);
    q.bind(first + 11, t.expireAtMs).bind(first + 12, t.deadlineMs);
    text(13, t.idempotencyKey, true);
    text(14, t.concurrencyKey, true);
    if (t.requiredLabels.isEmpty()) {
        q.bindNull(first + 15);
    } else {
        kept.push_back(StoreCodec::encodeLabels(t.requiredLabels));
        q.bindKeptBlob(first + 15, kept.back());
    }
    text(16, t.targetWorkerId, true);
    text(17, t.parentId, true);
    text(18, t.runId, true);
}

} // namespace

Result<void> SqliteStore::insertTask(const TaskRow &task)
{
    return insertTasks(std::span(&task, 1));
}

Result<void> SqliteStore::insertTasks(std::span<const TaskRow> tasks)
{
    // A QByteArray's bytes stay where they are when the vector moves it: bound pointers hold.
    std::vector<QByteArray> kept;
    while (!tasks.empty()) {
        const int rows = tasks.size() >= 32 ? 32 : tasks.size() >= 8 ? 8 : 1;
        SqliteQuery q(statement(taskInsertSql(rows)));
        if (!q.valid())
            return failure("prepare the statement that saves tasks");
        kept.clear();
        for (int row = 0; row < rows; ++row)
            bindTask(q, row * TaskInsertColumns, tasks[std::size_t(row)], kept);
        if (q.step() != SQLITE_DONE)
            return failure(rows == 1 ? "save the task" : "save the tasks");
        tasks = tasks.subspan(std::size_t(rows));
    }
    return {};
}

Result<std::optional<TaskRow>> SqliteStore::loadTask(qint64 seq)
{
    Query q(statement("SELECT " TASK_COLUMNS " FROM tasks WHERE seq=?1"));
    q.bind(1, seq);
    const int rc = q.step();
    if (rc == SQLITE_DONE)
        return std::optional<TaskRow>();
    if (rc != SQLITE_ROW)
        return failure("read the task");
    return std::optional<TaskRow>(readTaskRow(q, true));
}

Result<std::optional<LeasedRow>> SqliteStore::markLeased(qint64 seq, qint64 leaseValue,
                                                         const QString &workerId,
                                                         qint64 startedAtMs, qint64 defaultTimeoutS)
{
    {
        Query q(statement("UPDATE tasks SET state=2, lease=?2, leased_by=?3, started_at=?4, "
                          "lease_expires=min(coalesce(deadline, 9223372036854775807), ?4 + "
                          "coalesce(timeout_s, ?5)*1000), "
                          "attempts=attempts+1 WHERE seq=?1 AND state<2"));
        q.bind(1, seq)
            .bind(2, leaseValue)
            .bind(3, workerId)
            .bind(4, startedAtMs)
            .bind(5, defaultTimeoutS);
        if (q.step() != SQLITE_DONE)
            return failure("lease the task");
        if (sqlite3_changes(m_db) == 0)
            return std::optional<LeasedRow>();
    }
    Query q(statement(
        "SELECT type, payload, attempts, max_attempts, timeout_s, deadline, enqueued_at, run_at, "
        "lease_expires, expire_at, run_id FROM tasks WHERE seq=?1"));
    q.bind(1, seq);
    if (q.step() != SQLITE_ROW)
        return failure("lease the task");
    LeasedRow row;
    row.type = q.text(0);
    row.payload = q.blob(1);
    row.attempts = int(q.integer(2));
    if (auto v = q.optionalInteger(3))
        row.maxAttempts = int(*v);
    row.timeoutS = q.optionalInteger(4);
    row.deadlineMs = q.optionalInteger(5);
    row.enqueuedAtMs = q.integer(6);
    row.runAtMs = q.integer(7);
    row.leaseExpiresAtMs = q.integer(8);
    row.expireAtMs = q.optionalInteger(9);
    row.runId = q.text(10);
    return std::optional<LeasedRow>(std::move(row));
}

Result<void> SqliteStore::extendLease(qint64 seq, qint64 expiresAtMs)
{
    Query q(statement("UPDATE tasks SET lease_expires=?2 WHERE seq=?1"));
    q.bind(1, seq).bind(2, expiresAtMs);
    if (q.step() != SQLITE_DONE)
        return failure("extend the lease");
    return {};
}

Result<void> SqliteStore::markFinished(qint64 seq, TaskState state, qint64 finishedAtMs,
                                       const QByteArray &result, const QString &error,
                                       DeadReason reason)
{
    Query q(statement(
        "UPDATE tasks SET state=?2, finished_at=?3, result=?4, error=coalesce(?5, error), "
        "dead_reason=?6, lease_expires=NULL WHERE seq=?1"));
    q.bind(1, seq).bind(2, int(state)).bind(3, finishedAtMs).bindBlob(4, result, true);
    q.bindOptional(5, error).bind(6, int(reason));
    if (q.step() != SQLITE_DONE)
        return failure("finish the task");
    return {};
}

Result<void> SqliteStore::markWaiting(qint64 seq, TaskState state, qint64 runAtMs,
                                      const QString &error, bool operatorRetry)
{
    if (operatorRetry) {
        Query q(statement(
            "UPDATE tasks SET state=?2, run_at=?3, attempts=0, expire_at=NULL, deadline=NULL, "
            "error=NULL, result=NULL, lease_expires=NULL, finished_at=NULL, dead_reason=0, "
            "cancel_requested=0 WHERE seq=?1"));
        q.bind(1, seq).bind(2, int(state)).bind(3, runAtMs);
        if (q.step() != SQLITE_DONE)
            return failure("retry the task");
        return {};
    }
    Query q(statement(
        "UPDATE tasks SET state=?2, run_at=?3, error=coalesce(?4, error), lease_expires=NULL "
        "WHERE seq=?1"));
    q.bind(1, seq).bind(2, int(state)).bind(3, runAtMs).bindOptional(4, error);
    if (q.step() != SQLITE_DONE)
        return failure("reschedule the task");
    return {};
}

Result<int> SqliteStore::deleteWaiting(int queueNum, qint64 maxSeq, int limit)
{
    Query q(statement(
        "DELETE FROM tasks WHERE seq IN (SELECT seq FROM tasks WHERE queue=?1 AND state<2 "
        "AND seq<=?2 LIMIT ?3)"));
    q.bind(1, queueNum).bind(2, maxSeq).bind(3, limit);
    if (q.step() != SQLITE_DONE)
        return failure("purge tasks");
    return sqlite3_changes(m_db);
}

Result<int> SqliteStore::deleteFinishedBefore(int queueNum, TaskState state, qint64 beforeMs,
                                              int limit)
{
    // "state>=3" lets the planner use the partial index of finished tasks.
    Query q(statement(
        "DELETE FROM tasks WHERE seq IN (SELECT seq FROM tasks WHERE queue=?1 AND state=?2 "
        "AND state>=3 AND finished_at<?3 LIMIT ?4)"));
    q.bind(1, queueNum).bind(2, int(state)).bind(3, beforeMs).bind(4, limit);
    if (q.step() != SQLITE_DONE)
        return failure("delete old tasks");
    return sqlite3_changes(m_db);
}

Result<void> SqliteStore::markCancelRequested(qint64 seq)
{
    Query q(statement("UPDATE tasks SET cancel_requested=1 WHERE seq=?1"));
    q.bind(1, seq);
    if (q.step() != SQLITE_DONE)
        return failure("cancel the task");
    return {};
}

Result<void> SqliteStore::deleteTask(qint64 seq)
{
    Query q(statement("DELETE FROM tasks WHERE seq=?1"));
    q.bind(1, seq);
    if (q.step() != SQLITE_DONE)
        return failure("delete the task");
    return {};
}

Result<void> SqliteStore::scanUnfinished(const std::function<void(const TaskRow &)> &visit)
{
    Query q(statement("SELECT " TASK_COLUMNS " FROM tasks WHERE state<3 ORDER BY seq"));
    int rc;
    while ((rc = q.step()) == SQLITE_ROW)
        visit(readTaskRow(q, false));
    if (rc != SQLITE_DONE)
        return failure("scan unfinished tasks");
    return {};
}

Result<QList<TaskRow>> SqliteStore::loadRunChildren(const QString &runId, int limit)
{
    Query q(statement("SELECT " TASK_COLUMNS " FROM tasks WHERE run_id=?1 ORDER BY seq LIMIT ?2"));
    q.bind(1, runId).bind(2, limit);
    QList<TaskRow> rows;
    int rc;
    while ((rc = q.step()) == SQLITE_ROW)
        rows.append(readTaskRow(q, false));
    if (rc != SQLITE_DONE)
        return failure("read the run's tasks");
    return rows;
}

Result<QHash<int, FinishedCounts>> SqliteStore::countFinished()
{
    Query q(
        statement("SELECT queue, state, count(*) FROM tasks WHERE state>=3 GROUP BY queue, state"));
    QHash<int, FinishedCounts> out;
    int rc;
    while ((rc = q.step()) == SQLITE_ROW) {
        FinishedCounts &counts = out[int(q.integer(0))];
        switch (TaskState(q.integer(1))) {
        case TaskState::Succeeded:
            counts.succeeded = q.integer(2);
            break;
        case TaskState::Dead:
            counts.dead = q.integer(2);
            break;
        case TaskState::Cancelled:
            counts.cancelled = q.integer(2);
            break;
        default:
            break;
        }
    }
    if (rc != SQLITE_DONE)
        return failure("count finished tasks");
    return out;
}

Result<QList<TaskRow>> SqliteStore::listTasks(int queueNum, const TaskFilter &filter,
                                              qint64 beforeSeq, int limit)
{
    // One statement covers every filter: an unset filter binds NULL and matches everything.
    Query q(statement(
        "SELECT " TASK_COLUMNS " FROM tasks WHERE (?1=0 OR queue=?1) AND (?2 IS NULL OR state=?2) "
        "AND (?3 IS NULL OR type=?3) AND (?4=0 OR seq<?4) "
        "AND (?5 IS NULL OR seq=?6 OR instr(payload, ?5)>0) ORDER BY seq DESC LIMIT ?7"));
    q.bind(1, queueNum);
    q.bind(2, filter.state ? std::optional<int>(int(*filter.state)) : std::nullopt);
    q.bindOptional(3, filter.type);
    q.bind(4, beforeSeq);
    if (!filter.text.isEmpty()) {
        q.bindBlob(5, filter.text.toUtf8());
        const auto parts = Ids::parseTaskId(filter.text);
        q.bind(6, parts ? parts->seq : qint64(-1));
    }
    q.bind(7, limit);
    QList<TaskRow> out;
    int rc;
    while ((rc = q.step()) == SQLITE_ROW)
        out.append(readTaskRow(q, true));
    if (rc != SQLITE_DONE)
        return failure("list tasks");
    return out;
}

} // namespace QueueDeck
