// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "sqliteschedulestore.h"

#include "protocol/schedulecodec.h"

#include <QJsonDocument>

#include <sqlite3.h>

#include <limits>

namespace QueueDeck {

// A cached prepared statement in use: reset and cleared when it goes out of scope.
class SqliteScheduleStore::Statement
{
public:
    explicit Statement(sqlite3_stmt *statement) : m_statement(statement) {}
    ~Statement()
    {
        if (m_statement) {
            sqlite3_reset(m_statement);
            sqlite3_clear_bindings(m_statement);
        }
    }
    Q_DISABLE_COPY_MOVE(Statement)

    Statement &bind(int index, qint64 value)
    {
        sqlite3_bind_int64(m_statement, index, value);
        return *this;
    }
    Statement &bind(int index, const QString &value)
    {
        const QByteArray utf8 = value.toUtf8();
        sqlite3_bind_text(m_statement, index, utf8.constData(), int(utf8.size()), SQLITE_TRANSIENT);
        return *this;
    }
    Statement &bindOptional(int index, const QString &value)
    {
        if (value.isEmpty())
            sqlite3_bind_null(m_statement, index);
        else
            bind(index, value);
        return *this;
    }
    int step() { return m_statement ? sqlite3_step(m_statement) : SQLITE_ERROR; }
    qint64 integer(int column) const { return sqlite3_column_int64(m_statement, column); }
    QString text(int column) const
    {
        const auto *data = reinterpret_cast<const char *>(sqlite3_column_text(m_statement, column));
        return QString::fromUtf8(data, sqlite3_column_bytes(m_statement, column));
    }

private:
    sqlite3_stmt *m_statement;
};

namespace {

#define FIRE_COLUMNS "schedule, fire_time, kind, outcome, reason, task_id, recorded_at"

ScheduleFire readFire(const auto &q)
{
    ScheduleFire fire;
    fire.scheduleId = q.text(0);
    fire.fireTimeMs = q.integer(1);
    fire.kind = q.text(2);
    fire.outcome = q.text(3);
    fire.reason = q.text(4);
    fire.taskId = q.text(5);
    fire.recordedAtMs = q.integer(6);
    return fire;
}

QString definitionText(const ScheduleDefinition &definition)
{
    return QString::fromUtf8(
        QJsonDocument(ScheduleCodec::toJson(definition)).toJson(QJsonDocument::Compact));
}

} // namespace

SqliteScheduleStore::SqliteScheduleStore(sqlite3 *db) : m_db(db) {}

SqliteScheduleStore::~SqliteScheduleStore()
{
    for (sqlite3_stmt *statement : std::as_const(m_statements))
        sqlite3_finalize(statement);
}

sqlite3_stmt *SqliteScheduleStore::prepare(const char *sql)
{
    if (auto it = m_statements.constFind(sql); it != m_statements.cend())
        return *it;
    sqlite3_stmt *statement = nullptr;
    if (sqlite3_prepare_v3(m_db, sql, -1, SQLITE_PREPARE_PERSISTENT, &statement, nullptr) !=
        SQLITE_OK)
        return nullptr;
    m_statements.insert(sql, statement);
    return statement;
}

std::unexpected<Error> SqliteScheduleStore::failure(const char *what) const
{
    return makeError(ErrorCode::Unavailable,
                     QStringLiteral("the store could not %1: %2; try again")
                         .arg(QLatin1StringView(what), QString::fromUtf8(sqlite3_errmsg(m_db))));
}

Result<QList<ScheduleRow>> SqliteScheduleStore::loadSchedules()
{
    Statement q(prepare("SELECT id, definition, cursor, created_at, updated_at FROM schedules "
                        "ORDER BY created_at, id"));
    QList<ScheduleRow> rows;
    int rc;
    while ((rc = q.step()) == SQLITE_ROW) {
        ScheduleRow row;
        row.id = q.text(0);
        const QJsonObject object = QJsonDocument::fromJson(q.text(1).toUtf8()).object();
        auto definition = ScheduleCodec::definitionFromJson(object);
        if (!definition)
            return makeError(ErrorCode::Internal,
                             QStringLiteral("schedule %1 in the store cannot be read: %2")
                                 .arg(row.id, definition.error().message));
        row.definition = *definition;
        row.cursorMs = q.integer(2);
        row.createdAtMs = q.integer(3);
        row.updatedAtMs = q.integer(4);
        rows.append(row);
    }
    if (rc != SQLITE_DONE)
        return failure("load the schedules");
    return rows;
}

Result<void> SqliteScheduleStore::insertSchedule(const ScheduleRow &row)
{
    Statement q(prepare("INSERT INTO schedules(id, name, definition, cursor, created_at, "
                        "updated_at) VALUES(?, ?, ?, ?, ?, ?)"));
    q.bind(1, row.id)
        .bind(2, row.definition.name)
        .bind(3, definitionText(row.definition))
        .bind(4, row.cursorMs)
        .bind(5, row.createdAtMs)
        .bind(6, row.updatedAtMs);
    if (q.step() != SQLITE_DONE)
        return failure("save the schedule");
    return {};
}

Result<void> SqliteScheduleStore::updateSchedule(const ScheduleRow &row)
{
    Statement q(prepare("UPDATE schedules SET name=?, definition=?, cursor=?, updated_at=? "
                        "WHERE id=?"));
    q.bind(1, row.definition.name)
        .bind(2, definitionText(row.definition))
        .bind(3, row.cursorMs)
        .bind(4, row.updatedAtMs)
        .bind(5, row.id);
    if (q.step() != SQLITE_DONE)
        return failure("save the schedule");
    return {};
}

Result<void> SqliteScheduleStore::setCursor(const QString &scheduleId, qint64 cursorMs)
{
    Statement q(prepare("UPDATE schedules SET cursor=? WHERE id=?"));
    q.bind(1, cursorMs).bind(2, scheduleId);
    if (q.step() != SQLITE_DONE)
        return failure("save the schedule's progress");
    return {};
}

Result<void> SqliteScheduleStore::deleteSchedule(const QString &scheduleId)
{
    Statement fires(prepare("DELETE FROM schedule_fires WHERE schedule=?"));
    fires.bind(1, scheduleId);
    if (fires.step() != SQLITE_DONE)
        return failure("delete the schedule's fires");
    Statement q(prepare("DELETE FROM schedules WHERE id=?"));
    q.bind(1, scheduleId);
    if (q.step() != SQLITE_DONE)
        return failure("delete the schedule");
    return {};
}

Result<bool> SqliteScheduleStore::insertFire(const ScheduleFire &fire)
{
    // The unique (schedule, fire_time) is what makes a fire happen once: a second attempt at the
    // same fire time, after a restart or a clock jump, inserts nothing.
    Statement q(prepare("INSERT INTO schedule_fires(" FIRE_COLUMNS ") VALUES(?, ?, ?, ?, ?, ?, ?) "
                        "ON CONFLICT(schedule, fire_time) DO NOTHING"));
    q.bind(1, fire.scheduleId)
        .bind(2, fire.fireTimeMs)
        .bind(3, fire.kind)
        .bind(4, fire.outcome)
        .bind(5, fire.reason)
        .bindOptional(6, fire.taskId)
        .bind(7, fire.recordedAtMs);
    if (q.step() != SQLITE_DONE)
        return failure("record the fire");
    return sqlite3_changes(m_db) == 1;
}

Result<void> SqliteScheduleStore::updateFire(const ScheduleFire &fire)
{
    Statement q(prepare("UPDATE schedule_fires SET kind=?, outcome=?, reason=?, task_id=?, "
                        "recorded_at=? WHERE schedule=? AND fire_time=?"));
    q.bind(1, fire.kind)
        .bind(2, fire.outcome)
        .bind(3, fire.reason)
        .bindOptional(4, fire.taskId)
        .bind(5, fire.recordedAtMs)
        .bind(6, fire.scheduleId)
        .bind(7, fire.fireTimeMs);
    if (q.step() != SQLITE_DONE)
        return failure("record the fire");
    return {};
}

Result<std::optional<ScheduleFire>> SqliteScheduleStore::loadFire(const QString &scheduleId,
                                                                  qint64 fireTimeMs)
{
    Statement q(
        prepare("SELECT " FIRE_COLUMNS " FROM schedule_fires WHERE schedule=? AND fire_time=?"));
    q.bind(1, scheduleId).bind(2, fireTimeMs);
    const int rc = q.step();
    if (rc == SQLITE_ROW)
        return std::optional<ScheduleFire>(readFire(q));
    if (rc != SQLITE_DONE)
        return failure("read a fire");
    return std::optional<ScheduleFire>();
}

Result<QList<ScheduleFire>>
SqliteScheduleStore::listFires(const QString &scheduleId, std::optional<qint64> beforeMs, int limit)
{
    Statement q(prepare("SELECT " FIRE_COLUMNS " FROM schedule_fires WHERE schedule=? AND "
                        "fire_time<? ORDER BY fire_time DESC LIMIT ?"));
    q.bind(1, scheduleId)
        .bind(2, beforeMs.value_or(std::numeric_limits<qint64>::max()))
        .bind(3, qint64(limit));
    QList<ScheduleFire> fires;
    int rc;
    while ((rc = q.step()) == SQLITE_ROW)
        fires.append(readFire(q));
    if (rc != SQLITE_DONE)
        return failure("list the fires");
    return fires;
}

Result<std::optional<ScheduleFire>> SqliteScheduleStore::latestFire(const QString &scheduleId,
                                                                    const QString &outcome)
{
    const char *sql =
        outcome.isEmpty() ? "SELECT " FIRE_COLUMNS " FROM schedule_fires WHERE schedule=? "
                            "ORDER BY fire_time DESC LIMIT 1"
        : outcome == u"task"
            ? "SELECT " FIRE_COLUMNS " FROM schedule_fires WHERE schedule=? AND task_id IS NOT "
              "NULL ORDER BY fire_time DESC LIMIT 1"
            : "SELECT " FIRE_COLUMNS " FROM schedule_fires WHERE schedule=? AND outcome=? "
              "ORDER BY fire_time DESC LIMIT 1";
    Statement q(prepare(sql));
    q.bind(1, scheduleId);
    if (!outcome.isEmpty() && outcome != u"task")
        q.bind(2, outcome);
    const int rc = q.step();
    if (rc == SQLITE_ROW)
        return std::optional<ScheduleFire>(readFire(q));
    if (rc != SQLITE_DONE)
        return failure("read the latest fire");
    return std::optional<ScheduleFire>();
}

Result<int> SqliteScheduleStore::deleteFiresBefore(qint64 fireTimeMs)
{
    Statement q(prepare("DELETE FROM schedule_fires WHERE fire_time<? AND outcome<>'buffered'"));
    q.bind(1, fireTimeMs);
    if (q.step() != SQLITE_DONE)
        return failure("forget old fires");
    return sqlite3_changes(m_db);
}

} // namespace QueueDeck
