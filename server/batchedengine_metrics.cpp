// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// BatchedEngine, once a second: lost workers, metric samples and minute rollups (MetricsRecorder),
// retention; and the reads of the dashboard and the metric series.
#include "batchedengine.h"

namespace QueueDeck {

namespace {

constexpr qint64 DeadRetentionMs = 30LL * 24 * 3600 * 1000;
constexpr int RetentionChunk = 5000;

} // namespace

void BatchedEngine::housekeeping(qint64 t)
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
    if (const qint64 minute = t / 60000; minute != m_metrics.currentMinute())
        closeMinute(minute);
    if (t >= m_nextRetentionMs) {
        m_nextRetentionMs = t + 60000;
        runRetention(t);
    }
}

void BatchedEngine::sampleMetrics(qint64 t)
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

        m_metrics.sample(num, gauges);

        total.depth += gauges.depth;
        total.scheduled += gauges.scheduled;
        total.running += gauges.running;
        total.dead += gauges.dead;
        total.oldestQueuedAgeMs = qMax(total.oldestQueuedAgeMs, gauges.oldestQueuedAgeMs);
        total.slotsUsed += gauges.slotsUsed;
        total.capacity += gauges.capacity;
    }
    std::tie(total.workersOnline, total.workersLost) = m_workers.countOnlineAndLost();
    m_metrics.sample(MetricsRecorder::Total, total);
}

void BatchedEngine::closeMinute(qint64 next)
{
    const qint64 minute = m_metrics.currentMinute();
    for (const RollupRow &row : m_metrics.closeMinute(next))
        failed(m_store->upsertRollup(row));
    if (minute % 60 == 0)
        failed(m_store->deleteRollupsBefore(minute - MetricsRecorder::RollupDays * 24 * 60));
}

Result<void> BatchedEngine::runRetention(qint64 t)
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

Result<DashboardSnapshot> BatchedEngine::dashboard(const QString &environment) const
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
        const PeriodCounters lastFive = m_metrics.recent(queue.row.num, 5);
        std::tie(card.addRate, card.completionRate) = m_metrics.meanRates(queue.row.num, 10);
        card.failureRate = lastFive.failureRate();
        card.waitP95Ms = lastFive.wait.quantileMs(0.95);
        if (const auto &samples = m_metrics.samples(queue.row.num); !samples.empty())
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
    if (const auto &total = m_metrics.samples(MetricsRecorder::Total); !total.empty())
        snapshot.total = total.back();
    const PeriodCounters lastFive =
        environment.isEmpty() ? m_metrics.recent(MetricsRecorder::Total, 5) : environmentFive;
    snapshot.errorRate = lastFive.failureRate();
    return snapshot;
}

Result<MetricSeries> BatchedEngine::metrics(const QString &queueId, MetricRange range)
{
    int num = MetricsRecorder::Total;
    if (!queueId.isEmpty()) {
        const QueueState *queue = findQueue(queueId);
        if (!queue)
            return std::unexpected(missingQueue(queueId));
        num = queue->row.num;
    }
    MetricSeries series;
    if (range == MetricRange::FiveMinutes) {
        series = m_metrics.liveSeries(num);
    } else {
        const qint64 nowMinute = now() / 60000;
        auto rollups =
            m_store->loadRollups(num, nowMinute - MetricsRecorder::rangeMinutes(range), nowMinute);
        if (failed(rollups))
            return std::unexpected(rollups.error());
        series = MetricsRecorder::seriesFromRollups(*rollups, range);
    }
    series.queueId = queueId;
    return series;
}

Result<TypeMetricsReport> BatchedEngine::typeMetrics(const QString &queueId, MetricRange range)
{
    int num = MetricsRecorder::Total;
    if (!queueId.isEmpty()) {
        const QueueState *queue = findQueue(queueId);
        if (!queue)
            return std::unexpected(missingQueue(queueId));
        num = queue->row.num;
    }
    TypeCounters merged;
    if (range == MetricRange::FiveMinutes) {
        merged = m_metrics.recentTypes(num, 5);
    } else {
        const qint64 nowMinute = now() / 60000;
        auto rollups =
            m_store->loadRollups(num, nowMinute - MetricsRecorder::rangeMinutes(range), nowMinute);
        if (failed(rollups))
            return std::unexpected(rollups.error());
        merged = MetricsRecorder::typesFromRollups(*rollups);
    }
    TypeMetricsReport report;
    report.queueId = queueId;
    report.range = range;
    report.maxTypes = TypeCounters::MaxTypes;
    report.types = merged.report();
    return report;
}

} // namespace QueueDeck
