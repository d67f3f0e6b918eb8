// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// Metrics per task type: read from the minutes in memory (live) or from the minute rollups, where
// closeMinute() (enginemetrics.cpp) keeps each minute's TypeCounters under the key "y".
#include "enginecore.h"

#include <QJsonDocument>

namespace QueueDeck {

Result<TypeMetricsReport> EngineCore::typeMetrics(const QString &queueId, MetricRange range)
{
    int num = 0;
    const MetricsWindow *window = &m_totals;
    if (!queueId.isEmpty()) {
        const QueueState *queue = findQueue(queueId);
        if (!queue)
            return std::unexpected(missingQueue(queueId));
        num = queue->row.num;
        window = &queue->metrics;
    }
    TypeCounters merged;
    if (range == MetricRange::FiveMinutes) {
        merged.merge(window->typesMinute);
        for (const auto &[minute, types] : window->typeMinutes) {
            if (minute >= m_currentMinute - 5)
                merged.merge(types);
        }
    } else {
        const qint64 minutes = range == MetricRange::Hour  ? 60
                               : range == MetricRange::Day ? 24 * 60
                                                           : 7 * 24 * 60;
        const qint64 nowMinute = now() / 60000;
        auto rollups = m_store->loadRollups(num, nowMinute - minutes, nowMinute);
        if (failed(rollups))
            return std::unexpected(rollups.error());
        for (const RollupRow &row : *rollups) {
            const QJsonValue types = QJsonDocument::fromJson(row.data).object().value(u"y");
            if (!types.isObject())
                continue; // a minute without tasks, or written before types were kept
            if (auto decoded = TypeCounters::decode(types.toObject()))
                merged.merge(*decoded);
        }
    }
    TypeMetricsReport report;
    report.queueId = queueId;
    report.range = range;
    report.maxTypes = TypeCounters::MaxTypes;
    report.types = merged.report();
    return report;
}

} // namespace QueueDeck
