// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "postgresschedulestore.h"

#include "postgresconnection.h"
#include "protocol/schedulecodec.h"

#include <QJsonDocument>

#include <limits>

namespace QueueDeck {

namespace {

using Params = PostgresParams;

#define PG_FIRE_COLUMNS "schedule, fire_time, kind, outcome, reason, task_id, recorded_at"

ScheduleFire readFire(const PostgresResult &r, int i)
{
    ScheduleFire fire;
    fire.scheduleId = r.text(i, 0);
    fire.fireTimeMs = r.integer(i, 1);
    fire.kind = r.text(i, 2);
    fire.outcome = r.text(i, 3);
    fire.reason = r.text(i, 4);
    fire.taskId = r.text(i, 5);
    fire.recordedAtMs = r.integer(i, 6);
    return fire;
}

QString definitionText(const ScheduleDefinition &definition)
{
    return QString::fromUtf8(
        QJsonDocument(ScheduleCodec::toJson(definition)).toJson(QJsonDocument::Compact));
}

template <typename T> std::unexpected<Error> errorOf(const Result<T> &result)
{
    return std::unexpected(result.error());
}

} // namespace

PostgresScheduleStore::PostgresScheduleStore(PostgresConnection &connection)
    : m_connection(connection)
{}

Result<QList<ScheduleRow>> PostgresScheduleStore::loadSchedules()
{
    auto r = m_connection.run("SELECT id, definition, cursor, created_at, updated_at FROM "
                              "schedules ORDER BY created_at, id",
                              "load the schedules");
    if (!r)
        return errorOf(r);
    QList<ScheduleRow> rows;
    for (int i = 0; i < r->rows(); ++i) {
        ScheduleRow row;
        row.id = r->text(i, 0);
        const QJsonObject object = QJsonDocument::fromJson(r->text(i, 1).toUtf8()).object();
        auto definition = ScheduleCodec::definitionFromJson(object);
        if (!definition)
            return makeError(ErrorCode::Internal,
                             QStringLiteral("schedule %1 in the store cannot be read: %2")
                                 .arg(row.id, definition.error().message));
        row.definition = *definition;
        row.cursorMs = r->integer(i, 2);
        row.createdAtMs = r->integer(i, 3);
        row.updatedAtMs = r->integer(i, 4);
        rows.append(row);
    }
    return rows;
}

Result<void> PostgresScheduleStore::insertSchedule(const ScheduleRow &row)
{
    auto r = m_connection.run("INSERT INTO schedules(id, name, definition, cursor, created_at, "
                              "updated_at) VALUES($1, $2, $3, $4, $5, $6)",
                              Params()
                                  .add(row.id)
                                  .add(row.definition.name)
                                  .add(definitionText(row.definition))
                                  .add(row.cursorMs)
                                  .add(row.createdAtMs)
                                  .add(row.updatedAtMs),
                              "save the schedule");
    if (!r)
        return errorOf(r);
    return {};
}

Result<void> PostgresScheduleStore::updateSchedule(const ScheduleRow &row)
{
    auto r = m_connection.run("UPDATE schedules SET name=$1, definition=$2, cursor=$3, "
                              "updated_at=$4 WHERE id=$5",
                              Params()
                                  .add(row.definition.name)
                                  .add(definitionText(row.definition))
                                  .add(row.cursorMs)
                                  .add(row.updatedAtMs)
                                  .add(row.id),
                              "save the schedule");
    if (!r)
        return errorOf(r);
    return {};
}

Result<void> PostgresScheduleStore::setCursor(const QString &scheduleId, qint64 cursorMs)
{
    auto r =
        m_connection.run("UPDATE schedules SET cursor=$1 WHERE id=$2",
                         Params().add(cursorMs).add(scheduleId), "save the schedule's progress");
    if (!r)
        return errorOf(r);
    return {};
}

Result<void> PostgresScheduleStore::deleteSchedule(const QString &scheduleId)
{
    for (const char *sql :
         {"DELETE FROM schedule_fires WHERE schedule=$1", "DELETE FROM schedules WHERE id=$1"}) {
        if (auto r = m_connection.run(sql, Params().add(scheduleId), "delete the schedule"); !r)
            return errorOf(r);
    }
    return {};
}

Result<bool> PostgresScheduleStore::insertFire(const ScheduleFire &fire)
{
    // The unique (schedule, fire_time) makes a fire happen once, whichever node tries it again.
    auto r = m_connection.run("INSERT INTO schedule_fires(" PG_FIRE_COLUMNS ") VALUES($1, $2, $3, "
                              "$4, $5, $6, $7) ON CONFLICT(schedule, fire_time) DO NOTHING",
                              Params()
                                  .add(fire.scheduleId)
                                  .add(fire.fireTimeMs)
                                  .add(fire.kind)
                                  .add(fire.outcome)
                                  .add(fire.reason)
                                  .addOptional(fire.taskId)
                                  .add(fire.recordedAtMs),
                              "record the fire");
    if (!r)
        return errorOf(r);
    return r->affected() == 1;
}

Result<void> PostgresScheduleStore::updateFire(const ScheduleFire &fire)
{
    auto r = m_connection.run("UPDATE schedule_fires SET kind=$1, outcome=$2, reason=$3, "
                              "task_id=$4, recorded_at=$5 WHERE schedule=$6 AND fire_time=$7",
                              Params()
                                  .add(fire.kind)
                                  .add(fire.outcome)
                                  .add(fire.reason)
                                  .addOptional(fire.taskId)
                                  .add(fire.recordedAtMs)
                                  .add(fire.scheduleId)
                                  .add(fire.fireTimeMs),
                              "record the fire");
    if (!r)
        return errorOf(r);
    return {};
}

Result<std::optional<ScheduleFire>> PostgresScheduleStore::loadFire(const QString &scheduleId,
                                                                    qint64 fireTimeMs)
{
    auto r = m_connection.run("SELECT " PG_FIRE_COLUMNS " FROM schedule_fires WHERE schedule=$1 "
                              "AND fire_time=$2",
                              Params().add(scheduleId).add(fireTimeMs), "read a fire");
    if (!r)
        return errorOf(r);
    if (r->rows() == 0)
        return std::optional<ScheduleFire>();
    return std::optional<ScheduleFire>(readFire(*r, 0));
}

Result<QList<ScheduleFire>> PostgresScheduleStore::listFires(const QString &scheduleId,
                                                             std::optional<qint64> beforeMs,
                                                             int limit)
{
    auto r = m_connection.run("SELECT " PG_FIRE_COLUMNS " FROM schedule_fires WHERE schedule=$1 "
                              "AND fire_time<$2 ORDER BY fire_time DESC LIMIT $3",
                              Params()
                                  .add(scheduleId)
                                  .add(beforeMs.value_or(std::numeric_limits<qint64>::max()))
                                  .add(limit),
                              "list the fires");
    if (!r)
        return errorOf(r);
    QList<ScheduleFire> fires;
    for (int i = 0; i < r->rows(); ++i)
        fires.append(readFire(*r, i));
    return fires;
}

Result<std::optional<ScheduleFire>> PostgresScheduleStore::latestFire(const QString &scheduleId,
                                                                      const QString &outcome)
{
    Result<PostgresResult> r;
    if (outcome.isEmpty())
        r = m_connection.run("SELECT " PG_FIRE_COLUMNS " FROM schedule_fires WHERE schedule=$1 "
                             "ORDER BY fire_time DESC LIMIT 1",
                             Params().add(scheduleId), "read the latest fire");
    else if (outcome == u"task")
        r = m_connection.run("SELECT " PG_FIRE_COLUMNS " FROM schedule_fires WHERE schedule=$1 "
                             "AND task_id IS NOT NULL ORDER BY fire_time DESC LIMIT 1",
                             Params().add(scheduleId), "read the latest fire");
    else
        r = m_connection.run("SELECT " PG_FIRE_COLUMNS " FROM schedule_fires WHERE schedule=$1 "
                             "AND outcome=$2 ORDER BY fire_time DESC LIMIT 1",
                             Params().add(scheduleId).add(outcome), "read the latest fire");
    if (!r)
        return errorOf(r);
    if (r->rows() == 0)
        return std::optional<ScheduleFire>();
    return std::optional<ScheduleFire>(readFire(*r, 0));
}

Result<int> PostgresScheduleStore::deleteFiresBefore(qint64 fireTimeMs)
{
    auto r =
        m_connection.run("DELETE FROM schedule_fires WHERE fire_time<$1 AND outcome<>'buffered'",
                         Params().add(fireTimeMs), "forget old fires");
    if (!r)
        return errorOf(r);
    return int(r->affected());
}

} // namespace QueueDeck
