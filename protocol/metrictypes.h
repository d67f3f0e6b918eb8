// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

// Metrics of design §8 as the engine reports them.

#include "protocol/wiretypes.h"

namespace QueueDeck {

struct MetricSample
{
    qint64 atMs = 0;
    qint64 depth = 0; // queued
    qint64 scheduled = 0;
    qint64 running = 0;
    qint64 dead = 0;
    qint64 oldestQueuedAgeMs = 0;
    double addRate = 0;        // tasks/s
    double dispatchRate = 0;   // tasks/s
    double completionRate = 0; // succeeded/s
    double failureRate = 0;    // failed attempts / finished attempts, 0…1
    qint64 waitP50Ms = 0, waitP95Ms = 0, waitP99Ms = 0;
    qint64 runP50Ms = 0, runP95Ms = 0, runP99Ms = 0;
    int workersOnline = 0;
    int workersLost = 0;
    int slotsUsed = 0;
    int capacity = 0; // 0 = unlimited
};

enum class MetricRange { FiveMinutes, Hour, Day, Week };
std::optional<MetricRange> metricRangeFromName(QStringView name);

struct MetricSeries
{
    QString queueId; // empty: the whole server
    MetricRange range = MetricRange::FiveMinutes;
    qint64 stepMs = 1000;
    QList<MetricSample> points;
    // Percentiles over the whole range, read from merged histograms.
    qint64 waitP50Ms = 0, waitP95Ms = 0, waitP99Ms = 0;
    qint64 runP50Ms = 0, runP95Ms = 0, runP99Ms = 0;
};

struct QueueCard
{
    QueueInfo queue;
    double addRate = 0;
    double completionRate = 0;
    double failureRate = 0;
    qint64 waitP95Ms = 0;
    MetricSample last; // the latest one-second sample: what live charts add
};

struct DashboardSnapshot
{
    int activeWorkers = 0;
    int queueCount = 0;
    int slotsUsed = 0;
    int capacity = 0;               // sum of limited queues' max_workers
    bool capacityUnlimited = false; // at least one queue has no max_workers
    double throughput = 0;          // succeeded tasks/s over the last 10 s
    double errorRate = 0;           // failed / finished attempts over the last 5 minutes
    qint64 updatedAtMs = 0;
    MetricSample total; // the whole server's latest one-second sample
    QList<QueueCard> cards;
};

// What changed since the last look, for the event stream's `queue`, `worker` and `task` events.
struct TaskChange
{
    QString id;
    QString queueId;
    QString state; // a task state, or "deleted"
};

struct ChangeSet
{
    QList<QueueInfo> queues; // created or changed: settings, status, counts or workers
    QStringList removedQueues;
    QList<WorkerInfo> workers; // registered or changed: state, running, done, failed
    QStringList removedWorkers;
    QList<TaskChange> tasks; // each task once, in its latest state
    qint64 droppedTasks = 0; // task changes beyond the cap of one look
};

} // namespace QueueDeck
