// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "schedulestore.h"

namespace QueueDeck {

class PostgresConnection;

// ScheduleStore on the PostgreSQL store's connection (tables schedules and schedule_fires), so
// its writes join the store's transaction. Owned by PostgresStore; same thread affinity.
class PostgresScheduleStore final : public ScheduleStore
{
    Q_DISABLE_COPY_MOVE(PostgresScheduleStore)
public:
    explicit PostgresScheduleStore(PostgresConnection &connection);

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
    PostgresConnection &m_connection;
};

} // namespace QueueDeck
