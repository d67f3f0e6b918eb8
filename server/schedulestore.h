// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/error.h"
#include "protocol/scheduletypes.h"

#include <optional>

namespace QueueDeck {

// A schedule as stored: its definition and its cursor, the latest fire time it has dealt with
// (fired, skipped or recorded as missed). Fires at or before the cursor are never looked at again.
struct ScheduleRow
{
    QString id;
    ScheduleDefinition definition;
    qint64 cursorMs = 0;
    qint64 createdAtMs = 0;
    qint64 updatedAtMs = 0;
};

// The schedules part of the store (Store::schedules()). It writes through the store's own
// connection, so its writes join the store's batch and operation: a fire's record and its task
// commit together or not at all. Same thread affinity as Store.
class ScheduleStore
{
public:
    virtual ~ScheduleStore() = default;

    virtual Result<QList<ScheduleRow>> loadSchedules() = 0;
    virtual Result<void> insertSchedule(const ScheduleRow &row) = 0;
    // Writes the definition, the cursor and the update time.
    virtual Result<void> updateSchedule(const ScheduleRow &row) = 0;
    virtual Result<void> setCursor(const QString &scheduleId, qint64 cursorMs) = 0;
    // The schedule and its fire records.
    virtual Result<void> deleteSchedule(const QString &scheduleId) = 0;

    // Records a fire; false (and nothing written) when its (schedule, fire time) has a record.
    virtual Result<bool> insertFire(const ScheduleFire &fire) = 0;
    // Rewrites the kind, outcome, reason and task of the fire's record.
    virtual Result<void> updateFire(const ScheduleFire &fire) = 0;
    virtual Result<std::optional<ScheduleFire>> loadFire(const QString &scheduleId,
                                                         qint64 fireTimeMs) = 0;
    // Newest first, fire times before beforeMs when given.
    virtual Result<QList<ScheduleFire>> listFires(const QString &scheduleId,
                                                  std::optional<qint64> beforeMs, int limit) = 0;
    // The newest fire of the schedule with this outcome ("" = any; "task" = any that enqueued).
    virtual Result<std::optional<ScheduleFire>> latestFire(const QString &scheduleId,
                                                           const QString &outcome) = 0;
    // Forgets fire records older than the time; returns how many.
    virtual Result<int> deleteFiresBefore(qint64 fireTimeMs) = 0;
};

} // namespace QueueDeck
