// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "schedulestore.h"

#include <QHash>

struct sqlite3;
struct sqlite3_stmt;

namespace QueueDeck {

// ScheduleStore on the SQLite store's connection (tables schedules and schedule_fires, schema
// version 5). Owned by SqliteStore, which opens and closes the connection.
class SqliteScheduleStore final : public ScheduleStore
{
    Q_DISABLE_COPY_MOVE(SqliteScheduleStore)
public:
    explicit SqliteScheduleStore(sqlite3 *db);
    ~SqliteScheduleStore() override;

    Result<QList<ScheduleRow>> loadSchedules() override;
    Result<void> insertSchedule(const ScheduleRow &row) override;
    Result<void> updateSchedule(const ScheduleRow &row) override;
    Result<void> setCursor(const QString &scheduleId, qint64 cursorMs) override;
    Result<void> deleteSchedule(const QString &scheduleId) override;
    Result<bool> insertFire(const ScheduleFire &fire) override;
    Result<void> updateFire(const ScheduleFire &fire) override;
    Result<std::optional<ScheduleFire>> loadFire(const QString &scheduleId,
                                                 qint64 fireTimeMs) override;
    Result<QList<ScheduleFire>> listFires(const QString &scheduleId, std::optional<qint64> beforeMs,
                                          int limit) override;
    Result<std::optional<ScheduleFire>> latestFire(const QString &scheduleId,
                                                   const QString &outcome) override;
    Result<int> deleteFiresBefore(qint64 fireTimeMs) override;

private:
    class Statement;
    sqlite3_stmt *prepare(const char *sql);
    std::unexpected<Error> failure(const char *what) const;

    sqlite3 *m_db;
    QHash<const char *, sqlite3_stmt *> m_statements;
};

} // namespace QueueDeck
