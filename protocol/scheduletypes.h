// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

// Value types of schedules (design §10, docs/schedules.md). Plain data: safe to copy across
// threads.

#include "protocol/wiretypes.h"

#include <QList>
#include <QString>

#include <optional>

namespace QueueDeck {

// What a fire does while the run the schedule's previous fire started is still active.
enum class OverlapPolicy {
    Skip,      // the fire is recorded as skipped_overlap (the default)
    BufferOne, // one fire waits and starts when the previous run ends; further ones are skipped
    AllowAll,  // every fire starts
};
QString overlapPolicyName(OverlapPolicy policy);
std::optional<OverlapPolicy> overlapPolicyFromName(QStringView name);

// Everything a schedule is told: what an operator creates and changes.
struct ScheduleDefinition
{
    QString name;
    QString spec;                             // see ScheduleSpec
    QString timeZone = QStringLiteral("UTC"); // IANA name
    std::optional<qint64> startAtMs;          // no fire before
    std::optional<qint64> endAtMs;            // no fire after
    qint64 jitterS = 0; // each task's run_at is 0..jitterS later than its fire
    QString queueId;
    EnqueueRequest task; // the template: every enqueue option but run_at and deadline
    OverlapPolicy overlap = OverlapPolicy::Skip;
    qint64 catchupWindowS = 300; // fires missed while down, at most this old, still run
    bool paused = false;
};

// A change of a schedule: only the fields that are set change.
struct SchedulePatch
{
    std::optional<QString> name;
    std::optional<QString> spec;
    std::optional<QString> timeZone;
    std::optional<std::optional<qint64>> startAtMs; // set to nullopt: no start
    std::optional<std::optional<qint64>> endAtMs;
    std::optional<qint64> jitterS;
    std::optional<QString> queueId;
    std::optional<EnqueueRequest> task;
    std::optional<OverlapPolicy> overlap;
    std::optional<qint64> catchupWindowS;
    std::optional<bool> paused;
};
ScheduleDefinition applyPatch(ScheduleDefinition definition, const SchedulePatch &patch);

// One (schedule, fire time): recorded exactly once.
struct ScheduleFire
{
    QString scheduleId;
    qint64 fireTimeMs = 0;
    QString kind;    // scheduled | manual | backfill
    QString outcome; // started | skipped_overlap | missed | failed_to_enqueue | buffered
    QString reason;
    QString taskId; // the task the fire enqueued (the root of its run)
    qint64 recordedAtMs = 0;
};

struct ScheduleInfo
{
    QString id;
    ScheduleDefinition definition;
    QString description; // "At 02:00 every day, Europe/Berlin"
    qint64 createdAtMs = 0;
    qint64 updatedAtMs = 0;
    std::optional<qint64> nextFireMs;
    std::optional<ScheduleFire> lastFire;
};

struct SchedulePreviewRequest
{
    QString spec;
    QString timeZone = QStringLiteral("UTC");
    std::optional<qint64> startAtMs;
    std::optional<qint64> endAtMs;
    std::optional<qint64> afterMs; // default: now
    int count = 5;
};

struct SchedulePreview
{
    QString description;
    QList<qint64> nextFiresMs;
};

struct BackfillRequest
{
    qint64 fromMs = 0;
    qint64 toMs = 0;
};

struct BackfillResult
{
    int started = 0;         // fires that enqueued a task
    int alreadyRecorded = 0; // fire times that had a record already (left as they were)
    int failed = 0;          // failed_to_enqueue
};

} // namespace QueueDeck
