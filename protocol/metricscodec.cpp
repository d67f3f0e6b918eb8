// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The dashboard and metric series.
#include "protocol/codec.h"

#include "protocol/codecfields.h"
#include "protocol/fieldreader.h"
#include "protocol/jsontext.h"

#include <QDateTime>
#include <QJsonDocument>

namespace QueueDeck::Codec {

using namespace Detail;

namespace {

QJsonObject sampleToJson(const MetricSample &p)
{
    return QJsonObject{
        {QStringLiteral("at"), timeValue(p.atMs)},
        {QStringLiteral("depth"), p.depth},
        {QStringLiteral("scheduled"), p.scheduled},
        {QStringLiteral("running"), p.running},
        {QStringLiteral("dead"), p.dead},
        {QStringLiteral("oldest_queued_age_ms"), p.oldestQueuedAgeMs},
        {QStringLiteral("add_rate"), p.addRate},
        {QStringLiteral("dispatch_rate"), p.dispatchRate},
        {QStringLiteral("completion_rate"), p.completionRate},
        {QStringLiteral("failure_rate"), p.failureRate},
        {QStringLiteral("wait_p50_ms"), p.waitP50Ms},
        {QStringLiteral("wait_p95_ms"), p.waitP95Ms},
        {QStringLiteral("wait_p99_ms"), p.waitP99Ms},
        {QStringLiteral("run_p50_ms"), p.runP50Ms},
        {QStringLiteral("run_p95_ms"), p.runP95Ms},
        {QStringLiteral("run_p99_ms"), p.runP99Ms},
        {QStringLiteral("workers_online"), p.workersOnline},
        {QStringLiteral("workers_lost"), p.workersLost},
        {QStringLiteral("slots_used"), p.slotsUsed},
        {QStringLiteral("capacity"), p.capacity},
    };
}

MetricSample sampleFromJson(const QJsonObject &p)
{
    MetricSample s;
    s.atMs = timeFrom(p.value(QLatin1StringView("at")));
    s.depth = integerAt(p, "depth");
    s.scheduled = integerAt(p, "scheduled");
    s.running = integerAt(p, "running");
    s.dead = integerAt(p, "dead");
    s.oldestQueuedAgeMs = integerAt(p, "oldest_queued_age_ms");
    s.addRate = numberAt(p, "add_rate");
    s.dispatchRate = numberAt(p, "dispatch_rate");
    s.completionRate = numberAt(p, "completion_rate");
    s.failureRate = numberAt(p, "failure_rate");
    s.waitP50Ms = integerAt(p, "wait_p50_ms");
    s.waitP95Ms = integerAt(p, "wait_p95_ms");
    s.waitP99Ms = integerAt(p, "wait_p99_ms");
    s.runP50Ms = integerAt(p, "run_p50_ms");
    s.runP95Ms = integerAt(p, "run_p95_ms");
    s.runP99Ms = integerAt(p, "run_p99_ms");
    s.workersOnline = int(integerAt(p, "workers_online"));
    s.workersLost = int(integerAt(p, "workers_lost"));
    s.slotsUsed = int(integerAt(p, "slots_used"));
    s.capacity = int(integerAt(p, "capacity"));
    return s;
}

} // namespace

QJsonObject toJson(const DashboardSnapshot &d)
{
    QJsonArray cards;
    for (const QueueCard &card : d.cards) {
        QJsonObject queue = toJson(card.queue);
        queue.insert(QStringLiteral("add_rate"), card.addRate);
        queue.insert(QStringLiteral("completion_rate"), card.completionRate);
        queue.insert(QStringLiteral("failure_rate"), card.failureRate);
        queue.insert(QStringLiteral("wait_p95_ms"), card.waitP95Ms);
        queue.insert(QStringLiteral("last"), sampleToJson(card.last));
        cards.append(queue);
    }
    return QJsonObject{
        {QStringLiteral("active_workers"), d.activeWorkers},
        {QStringLiteral("queues"), d.queueCount},
        {QStringLiteral("slots_used"), d.slotsUsed},
        {QStringLiteral("capacity"), d.capacity},
        {QStringLiteral("capacity_unlimited"), d.capacityUnlimited},
        {QStringLiteral("throughput"), d.throughput},
        {QStringLiteral("error_rate"), d.errorRate},
        {QStringLiteral("updated_at"), timeValue(d.updatedAtMs)},
        {QStringLiteral("total"), sampleToJson(d.total)},
        {QStringLiteral("cards"), cards},
    };
}

QJsonObject toJson(const MetricSeries &series)
{
    QJsonArray points;
    for (const MetricSample &p : series.points) {
        points.append(sampleToJson(p));
    }
    return QJsonObject{{QStringLiteral("queue_id"),
                        series.queueId.isEmpty() ? QJsonValue() : QJsonValue(series.queueId)},
                       {QStringLiteral("step_ms"), series.stepMs},
                       {QStringLiteral("points"), points},
                       {QStringLiteral("wait_p50_ms"), series.waitP50Ms},
                       {QStringLiteral("wait_p95_ms"), series.waitP95Ms},
                       {QStringLiteral("wait_p99_ms"), series.waitP99Ms},
                       {QStringLiteral("run_p50_ms"), series.runP50Ms},
                       {QStringLiteral("run_p95_ms"), series.runP95Ms},
                       {QStringLiteral("run_p99_ms"), series.runP99Ms}};
}

Result<DashboardSnapshot> dashboardFromJson(const QJsonObject &o)
{
    DashboardSnapshot d;
    d.activeWorkers = int(integerAt(o, "active_workers"));
    d.queueCount = int(integerAt(o, "queues"));
    d.slotsUsed = int(integerAt(o, "slots_used"));
    d.capacity = int(integerAt(o, "capacity"));
    d.capacityUnlimited = o.value(QLatin1StringView("capacity_unlimited")).toBool();
    d.throughput = numberAt(o, "throughput");
    d.errorRate = numberAt(o, "error_rate");
    d.updatedAtMs = timeFrom(o.value(QLatin1StringView("updated_at")));
    d.total = sampleFromJson(o.value(QLatin1StringView("total")).toObject());
    for (const QJsonValue &value : o.value(QLatin1StringView("cards")).toArray()) {
        auto card = queueCardFromJson(value.toObject());
        if (!card)
            return std::unexpected(card.error());
        d.cards.append(*card);
    }
    return d;
}

Result<QueueCard> queueCardFromJson(const QJsonObject &card)
{
    auto queue = queueFromJson(card);
    if (!queue)
        return std::unexpected(queue.error());
    return QueueCard{*queue,
                     numberAt(card, "add_rate"),
                     numberAt(card, "completion_rate"),
                     numberAt(card, "failure_rate"),
                     integerAt(card, "wait_p95_ms"),
                     sampleFromJson(card.value(QLatin1StringView("last")).toObject())};
}

Result<MetricSeries> metricSeriesFromJson(const QJsonObject &o)
{
    MetricSeries series;
    series.queueId = o.value(QLatin1StringView("queue_id")).toString();
    series.stepMs = integerAt(o, "step_ms");
    series.waitP50Ms = integerAt(o, "wait_p50_ms");
    series.waitP95Ms = integerAt(o, "wait_p95_ms");
    series.waitP99Ms = integerAt(o, "wait_p99_ms");
    series.runP50Ms = integerAt(o, "run_p50_ms");
    series.runP95Ms = integerAt(o, "run_p95_ms");
    series.runP99Ms = integerAt(o, "run_p99_ms");
    for (const QJsonValue &value : o.value(QLatin1StringView("points")).toArray()) {
        series.points.append(sampleFromJson(value.toObject()));
    }
    return series;
}

} // namespace QueueDeck::Codec
