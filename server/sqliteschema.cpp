// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "sqliteschema.h"

#include <QFileInfo>

#include <sqlite3.h>

namespace QueueDeck {

namespace {

const char *const s_schemaV1[] = {
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE environments(name TEXT PRIMARY KEY, description TEXT NOT NULL, "
    "auto_create INTEGER NOT NULL, created_at INTEGER NOT NULL)",
    "CREATE TABLE queues(num INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, "
    "environment TEXT NOT NULL REFERENCES environments(name), name TEXT NOT NULL, "
    "settings TEXT NOT NULL, join_token TEXT NOT NULL, created_at INTEGER NOT NULL, "
    "UNIQUE(environment, name))",
    "CREATE TABLE tasks(seq INTEGER PRIMARY KEY, queue INTEGER NOT NULL, state INTEGER NOT NULL, "
    "type TEXT NOT NULL, payload BLOB NOT NULL, priority INTEGER NOT NULL, "
    "enqueued_at INTEGER NOT NULL, run_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, "
    "max_attempts INTEGER, timeout_s INTEGER, expire_at INTEGER, deadline INTEGER, "
    "idempotency_key TEXT, concurrency_key TEXT, required_labels TEXT, target_worker TEXT, "
    "lease INTEGER, leased_by TEXT, lease_expires INTEGER, started_at INTEGER, finished_at "
    "INTEGER, "
    "error TEXT, result BLOB, dead_reason INTEGER NOT NULL DEFAULT 0, "
    "cancel_requested INTEGER NOT NULL DEFAULT 0)",
    // Waiting and running tasks are indexed in the engine's memory; the store indexes only
    // finished ones (listing, counts, retention), which keeps leases and acks cheap on big queues.
    "CREATE INDEX tasks_finished ON tasks(queue, state, finished_at) WHERE state>=3",
    "CREATE TABLE workers(id TEXT PRIMARY KEY, data TEXT NOT NULL)",
    "CREATE TABLE metrics_minute(queue INTEGER NOT NULL, minute INTEGER NOT NULL, "
    "data BLOB NOT NULL, PRIMARY KEY(queue, minute)) WITHOUT ROWID",
};

const char *const s_schemaV2[] = {
    "CREATE TABLE producer_tokens(name TEXT PRIMARY KEY, token_sha256 BLOB NOT NULL, queue_ids "
    "TEXT NOT NULL, "
    "created_at INTEGER NOT NULL)",
    "CREATE TABLE audit(id INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor_kind TEXT NOT NULL, "
    "actor TEXT NOT NULL, "
    "action TEXT NOT NULL, target TEXT NOT NULL)",
};

// Task logs go with their task (foreign keys are on for every connection of the store).
const char *const s_schemaV3[] = {
    "CREATE TABLE task_logs(id INTEGER PRIMARY KEY, seq INTEGER NOT NULL REFERENCES tasks(seq) ON "
    "DELETE CASCADE, "
    "at INTEGER NOT NULL, stream TEXT NOT NULL, line TEXT NOT NULL)",
    "CREATE INDEX task_logs_by_task ON task_logs(seq, id)",
};

// Read-only tokens (design §5), kept apart from producer tokens: they name no queue.
const char *const s_schemaV4[] = {
    "CREATE TABLE viewer_tokens(name TEXT PRIMARY KEY, token_sha256 BLOB NOT NULL, "
    "created_at INTEGER NOT NULL)",
};

// Schedules (docs/schedules.md): a schedule's definition is JSON (ScheduleCodec); its cursor is
// the latest fire time dealt with. Each (schedule, fire time) has at most one fire record.
const char *const s_schemaV5[] = {
    "CREATE TABLE schedules(id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, definition TEXT NOT "
    "NULL, cursor INTEGER NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)",
    "CREATE TABLE schedule_fires(id INTEGER PRIMARY KEY, schedule TEXT NOT NULL, fire_time "
    "INTEGER NOT NULL, kind TEXT NOT NULL, outcome TEXT NOT NULL, reason TEXT NOT NULL, task_id "
    "TEXT, recorded_at INTEGER NOT NULL, UNIQUE(schedule, fire_time))",
    "CREATE INDEX schedule_fires_by_time ON schedule_fires(fire_time)",
};

// Runs (design §10): a child names its parent and its run's root; a root leaves both empty (its
// run is itself). Only children are indexed, so enqueueing roots costs no extra index write.
const char *const s_schemaV6[] = {
    "ALTER TABLE tasks ADD COLUMN parent_id TEXT",
    "ALTER TABLE tasks ADD COLUMN run_id TEXT",
    "CREATE INDEX tasks_by_run ON tasks(run_id) WHERE run_id IS NOT NULL",
};

Result<void> exec(sqlite3 *db, const char *sql)
{
    char *message = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &message) == SQLITE_OK)
        return {};
    const QString detail = QString::fromUtf8(message ? message : sqlite3_errmsg(db));
    sqlite3_free(message);
    return makeError(ErrorCode::Unavailable,
                     QStringLiteral("the database could not be brought up to date (%1): %2")
                         .arg(QString::fromUtf8(sql).left(60), detail));
}

template <std::size_t N> Result<void> execAll(sqlite3 *db, const char *const (&statements)[N])
{
    for (const char *sql : statements) {
        if (auto done = exec(db, sql); !done)
            return done;
    }
    return {};
}

} // namespace

Result<void> SqliteSchema::migrate(sqlite3 *db)
{
    int version = -1;
    sqlite3_stmt *statement = nullptr;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &statement, nullptr) == SQLITE_OK &&
        sqlite3_step(statement) == SQLITE_ROW)
        version = sqlite3_column_int(statement, 0);
    sqlite3_finalize(statement);
    if (version < 0)
        return makeError(ErrorCode::Unavailable,
                         QStringLiteral("the database's schema version could not be read: %1")
                             .arg(QString::fromUtf8(sqlite3_errmsg(db))));
    if (version > Version)
        return makeError(
            ErrorCode::FailedPrecondition,
            QStringLiteral("the database has schema version %1, newer than this QueueDeck "
                           "understands (%2); run a newer QueueDeck")
                .arg(version)
                .arg(Version));
    if (version == Version)
        return {};
    if (auto began = exec(db, "BEGIN IMMEDIATE"); !began)
        return began;
    Result<void> done;
    if (version < 1)
        done = execAll(db, s_schemaV1);
    if (done && version < 2)
        done = execAll(db, s_schemaV2);
    if (done && version < 3)
        done = execAll(db, s_schemaV3);
    if (done && version < 4)
        done = execAll(db, s_schemaV4);
    if (done && version < 5)
        done = execAll(db, s_schemaV5);
    if (done && version < 6)
        done = execAll(db, s_schemaV6);
    const QByteArray setVersion = "PRAGMA user_version=" + QByteArray::number(Version);
    if (done)
        done = exec(db, setVersion.constData());
    if (!done) {
        sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
        return done;
    }
    return exec(db, "COMMIT");
}

Result<int> SqliteSchema::inspect(const QString &path)
{
    if (!QFileInfo(path).isFile())
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("%1 does not exist or is not a file").arg(path));
    sqlite3 *db = nullptr;
    const QByteArray utf8 = path.toUtf8();
    const int opened = sqlite3_open_v2(utf8.constData(), &db, SQLITE_OPEN_READONLY, nullptr);
    const auto refuse = [&](const QString &why) {
        sqlite3_close(db);
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("%1 is not a QueueDeck database this server can start "
                                        "from: %2")
                             .arg(path, why));
    };
    if (opened != SQLITE_OK)
        return refuse(QString::fromUtf8(sqlite3_errmsg(db)));
    int version = -1;
    int tables = 0;
    sqlite3_stmt *statement = nullptr;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &statement, nullptr) == SQLITE_OK &&
        sqlite3_step(statement) == SQLITE_ROW)
        version = sqlite3_column_int(statement, 0);
    sqlite3_finalize(statement);
    if (version < 0)
        return refuse(QStringLiteral("it is not a SQLite database (%1)")
                          .arg(QString::fromUtf8(sqlite3_errmsg(db))));
    if (sqlite3_prepare_v2(db,
                           "SELECT count(*) FROM sqlite_schema WHERE type='table' AND name IN "
                           "('meta', 'environments', 'queues', 'tasks', 'workers')",
                           -1, &statement, nullptr) == SQLITE_OK &&
        sqlite3_step(statement) == SQLITE_ROW)
        tables = sqlite3_column_int(statement, 0);
    sqlite3_finalize(statement);
    if (tables != 5 || version < 1)
        return refuse(QStringLiteral("it is a SQLite database without QueueDeck's tables"));
    if (version > Version) {
        sqlite3_close(db);
        return makeError(ErrorCode::FailedPrecondition,
                         QStringLiteral("%1 was written by a newer QueueDeck (schema version %2; "
                                        "this one understands up to %3); restore it with a "
                                        "newer qdeck")
                             .arg(path)
                             .arg(version)
                             .arg(Version));
    }
    QString check;
    if (sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &statement, nullptr) == SQLITE_OK &&
        sqlite3_step(statement) == SQLITE_ROW)
        check =
            QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(statement, 0)));
    sqlite3_finalize(statement);
    if (check != u"ok")
        return refuse(QStringLiteral("it is damaged (%1)")
                          .arg(check.isEmpty() ? QString::fromUtf8(sqlite3_errmsg(db)) : check));
    sqlite3_close(db);
    return version;
}

} // namespace QueueDeck
