// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

// Metrics per task type (GET /worker-queues/{qid}/type-metrics, GET /type-metrics): for a queue
// or the whole server and a range, each type's processed and failed attempts, run time and wait
// percentiles, and its run-time histogram.

#include "protocol/error.h"
#include "protocol/metrictypes.h"

#include <QJsonObject>
#include <QList>

namespace QueueDeck {

// One bucket of a run-time histogram: `count` attempts ran at most `upToMs`.
struct HistogramBucket
{
    qint64 upToMs = 0;
    qint64 count = 0;
};

struct TypeMetricsRow
{
    QString type; // "other" with `other` set: the types beyond the top ones, together
    bool other = false;
    qint64 processed = 0; // finished attempts: succeeded + failed
    qint64 failed = 0;    // failed attempts
    qint64 started = 0;   // dispatched attempts (whose wait was measured)
    qint64 runP50Ms = 0, runP95Ms = 0, runP99Ms = 0;
    qint64 waitP50Ms = 0, waitP95Ms = 0, waitP99Ms = 0;
    QList<HistogramBucket> runHistogram; // non-empty buckets, shortest first

    double failedShare() const { return processed > 0 ? double(failed) / double(processed) : 0; }
};

struct TypeMetricsReport
{
    QString queueId; // empty: every queue
    MetricRange range = MetricRange::FiveMinutes;
    int maxTypes = 0;            // types kept apart per queue; the rest are "other"
    QList<TypeMetricsRow> types; // most processed first
};

namespace Codec {
QJsonObject toJson(const TypeMetricsReport &report);
Result<TypeMetricsReport> typeMetricsFromJson(const QJsonObject &object);
} // namespace Codec

} // namespace QueueDeck
