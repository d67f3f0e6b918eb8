// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "protocol/typemetrics.h"

#include "codecfields.h"

#include <QJsonArray>

namespace QueueDeck::Codec {

using namespace Detail;

namespace {

QString rangeName(MetricRange range)
{
    switch (range) {
    case MetricRange::FiveMinutes:
        return QStringLiteral("5m");
    case MetricRange::Hour:
        return QStringLiteral("1h");
    case MetricRange::Day:
        return QStringLiteral("24h");
    case MetricRange::Week:
        return QStringLiteral("7d");
    }
    return QStringLiteral("5m");
}

} // namespace

QJsonObject toJson(const TypeMetricsReport &report)
{
    QJsonArray types;
    for (const TypeMetricsRow &row : report.types) {
        QJsonArray histogram;
        for (const HistogramBucket &bucket : row.runHistogram)
            histogram.append(QJsonObject{{QStringLiteral("up_to_ms"), bucket.upToMs},
                                         {QStringLiteral("count"), bucket.count}});
        types.append(QJsonObject{{QStringLiteral("type"), row.type},
                                 {QStringLiteral("other"), row.other},
                                 {QStringLiteral("processed"), row.processed},
                                 {QStringLiteral("failed"), row.failed},
                                 {QStringLiteral("started"), row.started},
                                 {QStringLiteral("run_p50_ms"), row.runP50Ms},
                                 {QStringLiteral("run_p95_ms"), row.runP95Ms},
                                 {QStringLiteral("run_p99_ms"), row.runP99Ms},
                                 {QStringLiteral("wait_p50_ms"), row.waitP50Ms},
                                 {QStringLiteral("wait_p95_ms"), row.waitP95Ms},
                                 {QStringLiteral("wait_p99_ms"), row.waitP99Ms},
                                 {QStringLiteral("run_histogram"), histogram}});
    }
    return QJsonObject{
        {QStringLiteral("queue_id"),
         report.queueId.isEmpty() ? QJsonValue() : QJsonValue(report.queueId)},
        {QStringLiteral("range"), rangeName(report.range)},
        {QStringLiteral("max_types"), report.maxTypes},
        {QStringLiteral("types"), types},
    };
}

Result<TypeMetricsReport> typeMetricsFromJson(const QJsonObject &o)
{
    TypeMetricsReport report;
    report.queueId = o.value(QLatin1StringView("queue_id")).toString();
    const auto range = metricRangeFromName(o.value(QLatin1StringView("range")).toString());
    if (!range)
        return std::unexpected(Error{
            ErrorCode::Internal, QStringLiteral("the server named an unknown metrics range"), {}});
    report.range = *range;
    report.maxTypes = int(integerAt(o, "max_types"));
    for (const QJsonValue &value : o.value(QLatin1StringView("types")).toArray()) {
        const QJsonObject t = value.toObject();
        TypeMetricsRow row;
        row.type = t.value(QLatin1StringView("type")).toString();
        row.other = t.value(QLatin1StringView("other")).toBool();
        row.processed = integerAt(t, "processed");
        row.failed = integerAt(t, "failed");
        row.started = integerAt(t, "started");
        row.runP50Ms = integerAt(t, "run_p50_ms");
        row.runP95Ms = integerAt(t, "run_p95_ms");
        row.runP99Ms = integerAt(t, "run_p99_ms");
        row.waitP50Ms = integerAt(t, "wait_p50_ms");
        row.waitP95Ms = integerAt(t, "wait_p95_ms");
        row.waitP99Ms = integerAt(t, "wait_p99_ms");
        for (const QJsonValue &bucket : t.value(QLatin1StringView("run_histogram")).toArray()) {
            const QJsonObject b = bucket.toObject();
            row.runHistogram.append({integerAt(b, "up_to_ms"), integerAt(b, "count")});
        }
        report.types.append(row);
    }
    return report;
}

} // namespace QueueDeck::Codec
