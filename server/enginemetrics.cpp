// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// Housekeeping once a second: lost workers, metric samples, minute rollups, retention.
#include "enginecore.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace QueueDeck {

namespace {

constexpr int SamplesKept = 15 * 60;
constexpr int MinutesKept = 15;
constexpr qint64 RollupDays = 7;
constexpr qint64 DeadRetentionMs = 30LL * 24 * 3600 * 1000;
constexpr int RetentionChunk = 5000;

QByteArray encodeRollup(const MetricSample &gauges, const PeriodCounters &counters,
                        const TypeCounters &types)
{
    QJsonObject object{
        {QStringLiteral("g"),
         QJsonArray{gauges.depth, gauges.scheduled, gauges.running, gauges.dead,
                    gauges.oldestQueuedAgeMs, gauges.workersOnline, gauges.workersLost,
                    gauges.slotsUsed, gauges.capacity}},
        {QStringLiteral("c"), QJsonArray{counters.added, counters.dispatched, counters.succeeded,
                                         counters.failedAttempts, counters.finishedAttempts}},
        {QStringLiteral("w"), QString::fromLatin1(counters.wait.encode())},
        {QStringLiteral("r"), QString::fromLatin1(counters.run.encode())},
    };
    if (!types.isEmpty()) // per task type (enginetypemetrics.cpp reads it)
        object.insert(QStringLiteral("y"), types.encode());
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

bool decodeRollup(const QByteArray &data, MetricSample &gauges, PeriodCounters &counters)
{
    const QJsonObject object = QJsonDocument::fromJson(data).object();
    const QJsonArray g = object.value(QLatin1StringView("g")).toArray();
    const QJsonArray c = object.value(QLatin1StringView("c")).toArray();
    if (g.size() != 9 || c.size() != 5)
        return false;
    gauges.depth = g[0].toInteger();
    gauges.scheduled = g[1].toInteger();
    gauges.running = g[2].toInteger();
    gauges.dead = g[3].toInteger();
    gauges.oldestQueuedAgeMs = g[4].toInteger();
    gauges.workersOnline = int(g[5].toInteger());
    gauges.workersLost = int(g[6].toInteger());
    gauges.slotsUsed = int(g[7].toInteger());
    gauges.capacity = int(g[8].toInteger());
    counters.added = c[0].toInteger();
    counters.dispatched = c[1].toInteger();
    counters.succeeded = c[2].toInteger();
    counters.failedAttempts = c[3].toInteger();
    counters.finishedAttempts = c[4].toInteger();
    const auto wait =
        LatencyHistogram::decode(object.value(QLatin1StringView("w")).toString().toLatin1());
    const auto run =
        LatencyHistogram::decode(object.value(QLatin1StringView("r")).toString().toLatin1());
    if (!wait || !run)
        return false;
    counters.wait = *wait;
    counters.run = *run;
    return true;
}

// Rates and percentiles of a period of `seconds` on top of the gauges.
MetricSample withCounters(MetricSample sample, const PeriodCounters &counters, double seconds)
{
    sample.addRate = double(counters.added) / seconds;
    sample.dispatchRate = double(counters.dispatched) / seconds;
    sample.completionRate = double(counters.succeeded) / seconds;
    sample.failureRate = counters.finishedAttempts > 0
                             ? double(counters.failedAttempts) / double(counters.finishedAttempts)
                             : 0.0;
    sample.waitP50Ms = counters.wait.quantileMs(0.50);
    sample.waitP95Ms = counters.wait.quantileMs(0.95);
    sample.waitP99Ms = counters.wait.quantileMs(0.99);
    sample.runP50Ms = counters.run.quantileMs(0.50);
    sample.runP95Ms = counters.run.quantileMs(0.95);
    sample.runP99Ms = counters.run.quantileMs(0.99);
    return sample;
}

// Counters of the last `minutes` closed minutes plus what accumulates now.
PeriodCounters recent(const MetricsWindow &window, qint64 currentMinute, int minutes)
{
    PeriodCounters total = window.minute;
    total.merge(window.second);
    for (const auto &[minute, counters] : window.minutes) {
        if (minute >= currentMinute - minutes)
            total.merge(counters);
    }
    return total;
}

} // namespace

void EngineCore::housekeeping(qint64 t)
{
    // A clock that jumped far ahead is not replayed second by second.
    m_nextHousekeepingMs = t - m_nextHousekeepingMs > 5000 ? t + 1000 : m_nextHousekeepingMs + 1000;
    m_changes.stopIfUnread(t);

    // A worker parked in a lease is alive: its connection is open and waiting for work.
    for (const LeaseWaiter &waiter : m_leases.waiters()) {
        if (waiter.isWithdrawn())
            continue;
        m_workers.heardFrom(waiter.workerId, t);
    }
    for (WorkerEntry &worker : m_workers) {
        if (worker.lost)
            continue;
        qint64 timeoutS = 0; // the most patient of its queues decides
        for (const QString &queueId : std::as_const(worker.row.queueIds)) {
            if (const QueueState *queue = findQueue(queueId))
                timeoutS = qMax(timeoutS, queue->row.settings.workerTimeoutS);
        }
        if (timeoutS == 0)
            timeoutS = QueueSettings{}.workerTimeoutS;
        if (t - worker.lastHeartbeatMs > timeoutS * 1000) {
            worker.lost = true;
            loseWorker(worker,
                       QStringLiteral("the worker was lost (no heartbeat for %1 s)").arg(timeoutS));
        }
    }

    sampleMetrics(t);
    const qint64 minute = t / 60000;
    if (minute != m_currentMinute) {
        closeMinute(m_currentMinute);
        m_currentMinute = minute;
    }
    if (t >= m_nextRetentionMs) {
        m_nextRetentionMs = t + 60000;
        runRetention(t);
    }
}

void EngineCore::sampleMetrics(qint64 t)
{
    MetricSample total;
    total.atMs = t;
    for (auto &[num, queue] : m_queues) {
        MetricSample gauges;
        gauges.atMs = t;
        gauges.depth = queue.queued;
        gauges.scheduled = queue.scheduled;
        gauges.running = queue.running;
        gauges.dead = queue.finished.dead;
        gauges.oldestQueuedAgeMs =
            queue.ready.isEmpty() ? 0 : qMax<qint64>(0, t - queue.ready.oldestOrderMs());
        for (const QString &workerId : std::as_const(queue.workers)) {
            const auto *worker = m_workers.find(workerId);
            if (worker)
                ++(worker->lost ? gauges.workersLost : gauges.workersOnline);
        }
        gauges.slotsUsed = gauges.workersOnline;
        gauges.capacity = queue.row.settings.maxWorkers;

        MetricsWindow &window = queue.metrics;
        window.samples.push_back(withCounters(gauges, window.second, 1.0));
        if (window.samples.size() > SamplesKept)
            window.samples.pop_front();
        window.minute.merge(window.second);
        window.second = PeriodCounters{};
        window.lastMinuteGauges = gauges;

        total.depth += gauges.depth;
        total.scheduled += gauges.scheduled;
        total.running += gauges.running;
        total.dead += gauges.dead;
        total.oldestQueuedAgeMs = qMax(total.oldestQueuedAgeMs, gauges.oldestQueuedAgeMs);
        total.slotsUsed += gauges.slotsUsed;
        total.capacity += gauges.capacity;
    }
    std::tie(total.workersOnline, total.workersLost) = m_workers.countOnlineAndLost();
    m_totals.samples.push_back(withCounters(total, m_totals.second, 1.0));
    if (m_totals.samples.size() > SamplesKept)
        m_totals.samples.pop_front();
    m_totals.minute.merge(m_totals.second);
    m_totals.second = PeriodCounters{};
    m_totals.lastMinuteGauges = total;
}

void EngineCore::closeMinute(qint64 minute)
{
    auto close = [&](int num, MetricsWindow &window) {
        window.minutes.emplace_back(minute, window.minute);
        if (window.minutes.size() > MinutesKept)
            window.minutes.pop_front();
        failed(m_store->upsertRollup(
            RollupRow{num, minute,
                      encodeRollup(window.lastMinuteGauges, window.minute, window.typesMinute)}));
        window.minute = PeriodCounters{};
        window.typeMinutes.emplace_back(minute, std::move(window.typesMinute));
        if (window.typeMinutes.size() > MinutesKept)
            window.typeMinutes.pop_front();
        window.typesMinute = TypeCounters{};
    };
    for (auto &[num, queue] : m_queues)
        close(num, queue.metrics);
    close(0, m_totals);
    if (minute % 60 == 0)
        failed(m_store->deleteRollupsBefore(minute - RollupDays * 24 * 60));
}

Result<void> EngineCore::runRetention(qint64 t)
{
    for (auto &[num, queue] : m_queues) {
        const qint64 keepMs = queue.row.settings.retentionS * 1000;
        const std::pair<TaskState, qint64> rules[] = {{TaskState::Succeeded, keepMs},
                                                      {TaskState::Cancelled, keepMs},
                                                      {TaskState::Dead, DeadRetentionMs}};
        for (const auto &[state, keep] : rules) {
            auto deleted = m_store->deleteFinishedBefore(num, state, t - keep, RetentionChunk);
            if (failed(deleted))
                return std::unexpected(deleted.error());
            qint64 &count = state == TaskState::Succeeded ? queue.finished.succeeded
                            : state == TaskState::Dead    ? queue.finished.dead
                                                          : queue.finished.cancelled;
            count = qMax<qint64>(0, count - *deleted);
            // More than a chunk is left: come back in a second rather than hold the writer.
            if (*deleted == RetentionChunk)
                m_nextRetentionMs = t + 1000;
        }
    }
    return {};
}

Result<DashboardSnapshot> EngineCore::dashboard(const QString &environment) const
{
    DashboardSnapshot snapshot;
    const qint64 t = now();
    snapshot.updatedAtMs = t;
    auto queues = listQueues(environment);
    if (!queues)
        return std::unexpected(queues.error());
    QSet<QString> queueIds;
    for (const QueueInfo &info : *queues)
        queueIds.insert(info.id);
    for (const WorkerEntry &worker : m_workers) {
        if (worker.lost)
            continue;
        if (environment.isEmpty() ||
            std::any_of(worker.row.queueIds.cbegin(), worker.row.queueIds.cend(),
                        [&queueIds](const QString &id) { return queueIds.contains(id); }))
            ++snapshot.activeWorkers;
    }
    PeriodCounters environmentFive; // the error rate of the environment's queues alone
    for (const QueueInfo &info : *queues) {
        const QueueState &queue = m_queues.at(m_queueNumById.value(info.id));
        QueueCard card;
        card.queue = info;
        const PeriodCounters lastFive = recent(queue.metrics, m_currentMinute, 5);
        double tenSecondsAdded = 0;
        double tenSecondsSucceeded = 0;
        const auto &samples = queue.metrics.samples;
        const int n = int(qMin<size_t>(10, samples.size()));
        for (int i = 0; i < n; ++i) {
            tenSecondsAdded += samples[samples.size() - 1 - i].addRate;
            tenSecondsSucceeded += samples[samples.size() - 1 - i].completionRate;
        }
        card.addRate = n > 0 ? tenSecondsAdded / n : 0;
        card.completionRate = n > 0 ? tenSecondsSucceeded / n : 0;
        card.failureRate = lastFive.finishedAttempts > 0
                               ? double(lastFive.failedAttempts) / double(lastFive.finishedAttempts)
                               : 0;
        card.waitP95Ms = lastFive.wait.quantileMs(0.95);
        if (!samples.empty())
            card.last = samples.back();
        snapshot.slotsUsed += info.counts.workersOnline;
        if (info.settings.maxWorkers > 0)
            snapshot.capacity += info.settings.maxWorkers;
        else
            snapshot.capacityUnlimited = true;
        snapshot.throughput += card.completionRate;
        environmentFive.finishedAttempts += lastFive.finishedAttempts;
        environmentFive.failedAttempts += lastFive.failedAttempts;
        snapshot.cards.append(card);
    }
    snapshot.queueCount = int(snapshot.cards.size());
    if (!m_totals.samples.empty())
        snapshot.total = m_totals.samples.back();
    const PeriodCounters lastFive =
        environment.isEmpty() ? recent(m_totals, m_currentMinute, 5) : environmentFive;
    snapshot.errorRate = lastFive.finishedAttempts > 0
                             ? double(lastFive.failedAttempts) / double(lastFive.finishedAttempts)
                             : 0;
    return snapshot;
}

Result<MetricSeries> EngineCore::metrics(const QString &queueId, MetricRange range)
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
    MetricSeries series;
    series.queueId = queueId;
    series.range = range;
    PeriodCounters summary;
    const qint64 t = now();

    if (range == MetricRange::FiveMinutes) {
        series.stepMs = 1000;
        const size_t count = qMin<size_t>(300, window->samples.size());
        for (size_t i = window->samples.size() - count; i < window->samples.size(); ++i)
            series.points.append(window->samples[i]);
        summary = recent(*window, m_currentMinute, 5);
    } else {
        const qint64 minutes = range == MetricRange::Hour  ? 60
                               : range == MetricRange::Day ? 24 * 60
                                                           : 7 * 24 * 60;
        const qint64 perPoint = range == MetricRange::Week ? 10 : 1; // 7 days: 10-minute points
        series.stepMs = perPoint * 60000;
        auto rollups = m_store->loadRollups(num, t / 60000 - minutes, t / 60000);
        if (failed(rollups))
            return std::unexpected(rollups.error());
        MetricSample gauges;
        PeriodCounters bucket;
        qint64 bucketStart = -1;
        auto flush = [&] {
            if (bucketStart < 0)
                return;
            MetricSample point = withCounters(gauges, bucket, double(perPoint) * 60.0);
            point.atMs = bucketStart * 60000;
            series.points.append(point);
            summary.merge(bucket);
            bucket = PeriodCounters{};
        };
        for (const RollupRow &row : *rollups) {
            MetricSample rowGauges;
            PeriodCounters rowCounters;
            if (!decodeRollup(row.data, rowGauges, rowCounters))
                continue;
            const qint64 start = row.minute - row.minute % perPoint;
            if (start != bucketStart) {
                flush();
                bucketStart = start;
            }
            gauges = rowGauges; // the last minute of a point gives its gauges
            bucket.merge(rowCounters);
        }
        flush();
    }
    series.waitP50Ms = summary.wait.quantileMs(0.50);
    series.waitP95Ms = summary.wait.quantileMs(0.95);
    series.waitP99Ms = summary.wait.quantileMs(0.99);
    series.runP50Ms = summary.run.quantileMs(0.50);
    series.runP95Ms = summary.run.quantileMs(0.95);
    series.runP99Ms = summary.run.quantileMs(0.99);
    return series;
}

} // namespace QueueDeck
