// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "metricsrecorder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace QueueDeck {

namespace {

// A rollup row's data: {"g": gauges, "c": counters, "w": wait, "r": run, "y": types}.
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
    if (!types.isEmpty())
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
    sample.failureRate = counters.failureRate();
    sample.waitP50Ms = counters.wait.quantileMs(0.50);
    sample.waitP95Ms = counters.wait.quantileMs(0.95);
    sample.waitP99Ms = counters.wait.quantileMs(0.99);
    sample.runP50Ms = counters.run.quantileMs(0.50);
    sample.runP95Ms = counters.run.quantileMs(0.95);
    sample.runP99Ms = counters.run.quantileMs(0.99);
    return sample;
}

void setPercentiles(MetricSeries &series, const PeriodCounters &summary)
{
    series.waitP50Ms = summary.wait.quantileMs(0.50);
    series.waitP95Ms = summary.wait.quantileMs(0.95);
    series.waitP99Ms = summary.wait.quantileMs(0.99);
    series.runP50Ms = summary.run.quantileMs(0.50);
    series.runP95Ms = summary.run.quantileMs(0.95);
    series.runP99Ms = summary.run.quantileMs(0.99);
}

const std::deque<MetricSample> s_noSamples;

} // namespace

void PeriodCounters::merge(const PeriodCounters &other)
{
    added += other.added;
    dispatched += other.dispatched;
    succeeded += other.succeeded;
    failedAttempts += other.failedAttempts;
    finishedAttempts += other.finishedAttempts;
    wait.merge(other.wait);
    run.merge(other.run);
}

double PeriodCounters::failureRate() const
{
    return finishedAttempts > 0 ? double(failedAttempts) / double(finishedAttempts) : 0.0;
}

MetricsRecorder::Window &MetricsRecorder::window(int queueNum)
{
    return queueNum == Total ? m_total : m_queues[queueNum];
}

const MetricsRecorder::Window *MetricsRecorder::find(int queueNum) const
{
    if (queueNum == Total)
        return &m_total;
    const auto it = m_queues.find(queueNum);
    return it == m_queues.end() ? nullptr : &it->second;
}

void MetricsRecorder::recordAdded(int queueNum, qint64 count)
{
    window(queueNum).second.added += count;
    m_total.second.added += count;
}

void MetricsRecorder::recordStart(int queueNum, const QString &type, qint64 waitMs)
{
    Window &queue = window(queueNum);
    queue.second.dispatched += 1;
    queue.second.wait.record(waitMs);
    queue.typesMinute.recordStart(type, waitMs);
    m_total.second.dispatched += 1;
    m_total.second.wait.record(waitMs);
    m_total.typesMinute.recordStart(type, waitMs);
}

void MetricsRecorder::recordFinish(int queueNum, const QString &type, qint64 runMs, bool failed)
{
    for (Window *counted : {&window(queueNum), &m_total}) {
        (failed ? counted->second.failedAttempts : counted->second.succeeded) += 1;
        counted->second.finishedAttempts += 1;
        counted->second.run.record(runMs);
        counted->typesMinute.recordFinish(type, runMs, failed);
    }
}

void MetricsRecorder::sample(int queueNum, const MetricSample &gauges)
{
    Window &sampled = window(queueNum);
    sampled.samples.push_back(withCounters(gauges, sampled.second, 1.0));
    if (sampled.samples.size() > SamplesKept)
        sampled.samples.pop_front();
    sampled.minute.merge(sampled.second);
    sampled.second = PeriodCounters{};
    sampled.lastMinuteGauges = gauges;
}

std::vector<RollupRow> MetricsRecorder::closeMinute(qint64 next)
{
    const qint64 minute = m_currentMinute;
    std::vector<RollupRow> rows;
    rows.reserve(m_queues.size() + 1);
    auto close = [&](int num, Window &closed) {
        closed.minutes.emplace_back(minute, closed.minute);
        if (closed.minutes.size() > MinutesKept)
            closed.minutes.pop_front();
        rows.push_back(RollupRow{
            num, minute, encodeRollup(closed.lastMinuteGauges, closed.minute, closed.typesMinute)});
        closed.minute = PeriodCounters{};
        closed.typeMinutes.emplace_back(minute, std::move(closed.typesMinute));
        if (closed.typeMinutes.size() > MinutesKept)
            closed.typeMinutes.pop_front();
        closed.typesMinute = TypeCounters{};
    };
    for (auto &[num, queue] : m_queues)
        close(num, queue);
    close(Total, m_total);
    m_currentMinute = next;
    return rows;
}

void MetricsRecorder::forgetQueue(int queueNum)
{
    m_queues.erase(queueNum);
}

void MetricsRecorder::keepOnly(const std::vector<int> &queueNums)
{
    std::erase_if(m_queues, [&queueNums](const auto &entry) {
        return std::find(queueNums.cbegin(), queueNums.cend(), entry.first) == queueNums.cend();
    });
}

PeriodCounters MetricsRecorder::recent(int queueNum, int minutes) const
{
    const Window *read = find(queueNum);
    if (!read)
        return {};
    PeriodCounters total = read->minute;
    total.merge(read->second);
    for (const auto &[minute, counters] : read->minutes) {
        if (minute >= m_currentMinute - minutes)
            total.merge(counters);
    }
    return total;
}

const std::deque<MetricSample> &MetricsRecorder::samples(int queueNum) const
{
    const Window *read = find(queueNum);
    return read ? read->samples : s_noSamples;
}

std::pair<double, double> MetricsRecorder::meanRates(int queueNum, int seconds) const
{
    const std::deque<MetricSample> &all = samples(queueNum);
    const int n = int(std::min<size_t>(size_t(seconds), all.size()));
    double added = 0;
    double succeeded = 0;
    for (int i = 0; i < n; ++i) {
        added += all[all.size() - 1 - i].addRate;
        succeeded += all[all.size() - 1 - i].completionRate;
    }
    return n > 0 ? std::pair{added / n, succeeded / n} : std::pair{0.0, 0.0};
}

MetricSeries MetricsRecorder::liveSeries(int queueNum) const
{
    MetricSeries series;
    series.range = MetricRange::FiveMinutes;
    series.stepMs = 1000;
    const std::deque<MetricSample> &all = samples(queueNum);
    const size_t count = std::min<size_t>(300, all.size());
    for (size_t i = all.size() - count; i < all.size(); ++i)
        series.points.append(all[i]);
    setPercentiles(series, recent(queueNum, 5));
    return series;
}

TypeCounters MetricsRecorder::recentTypes(int queueNum, int minutes) const
{
    TypeCounters merged;
    const Window *read = find(queueNum);
    if (!read)
        return merged;
    merged.merge(read->typesMinute);
    for (const auto &[minute, types] : read->typeMinutes) {
        if (minute >= m_currentMinute - minutes)
            merged.merge(types);
    }
    return merged;
}

qint64 MetricsRecorder::rangeMinutes(MetricRange range)
{
    switch (range) {
    case MetricRange::FiveMinutes:
        return 5;
    case MetricRange::Hour:
        return 60;
    case MetricRange::Day:
        return 24 * 60;
    case MetricRange::Week:
        return 7 * 24 * 60;
    }
    return 5;
}

MetricSeries MetricsRecorder::seriesFromRollups(const QList<RollupRow> &rows, MetricRange range)
{
    MetricSeries series;
    series.range = range;
    const qint64 perPoint = range == MetricRange::Week ? 10 : 1; // 7 days: 10-minute points
    series.stepMs = perPoint * 60000;
    PeriodCounters summary;
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
    for (const RollupRow &row : rows) {
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
    setPercentiles(series, summary);
    return series;
}

TypeCounters MetricsRecorder::typesFromRollups(const QList<RollupRow> &rows)
{
    TypeCounters merged;
    for (const RollupRow &row : rows) {
        const QJsonValue types = QJsonDocument::fromJson(row.data).object().value(u"y");
        if (!types.isObject())
            continue; // a minute without tasks, or written before types were kept
        if (auto decoded = TypeCounters::decode(types.toObject()))
            merged.merge(*decoded);
    }
    return merged;
}

} // namespace QueueDeck
