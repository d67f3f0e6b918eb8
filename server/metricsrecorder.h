// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "latencyhistogram.h"
#include "protocol/metrictypes.h"
#include "protocol/typemetrics.h"
#include "storetypes.h"
#include "typecounters.h"

#include <QList>
#include <QString>

#include <deque>
#include <unordered_map>
#include <utility>
#include <vector>

namespace QueueDeck {

// Counters of one queue (or the whole server) over a period.
struct PeriodCounters
{
    qint64 added = 0;
    qint64 dispatched = 0;
    qint64 succeeded = 0;
    qint64 failedAttempts = 0;   // fails, lost leases, expiries of running tasks
    qint64 finishedAttempts = 0; // succeeded + failed attempts
    LatencyHistogram wait;
    LatencyHistogram run;

    void merge(const PeriodCounters &other);
    // failedAttempts / finishedAttempts, 0 when nothing finished.
    double failureRate() const;
};

// The engine's metrics (design §8): what happened to tasks, counted per queue and for the whole
// server, sampled once a second into the last 15 minutes and closed per minute into rollups that
// the store keeps for 7 days. The recorder counts and reads; the engine tells it what happened,
// gives it the gauges (depth, workers, …) it keeps itself, and writes the rollups it hands back.
//
// Queue numbers are the store's (1…); 0 names the whole server, as in the rollup rows. A queue's
// window exists from its first event or sample until forgetQueue(); windows are not part of the
// store's truth, so they survive the engine reloading its state from the store.
//
// Thread rule: not thread-safe. The engine owns it and uses it on the engine thread only.
class MetricsRecorder final
{
public:
    static constexpr int Total = 0; // the number of the whole server's window
    static constexpr int SamplesKept = 15 * 60;
    static constexpr int MinutesKept = 15;
    static constexpr qint64 RollupDays = 7;

    // --- events (each counts for its queue and for the whole server) ---
    void recordAdded(int queueNum, qint64 count);
    // A task was leased after waiting waitMs.
    void recordStart(int queueNum, const QString &type, qint64 waitMs);
    // A running attempt ended after runMs: succeeded, or failed (a fail, a lost lease, an expiry).
    void recordFinish(int queueNum, const QString &type, qint64 runMs, bool failed);

    // --- time ---
    // Closes the current second of a queue (or Total) into a sample with these gauges: rates and
    // percentiles come from what was recorded since the last sample.
    void sample(int queueNum, const MetricSample &gauges);
    // The minute that accumulates now (minutes since the epoch).
    qint64 currentMinute() const { return m_currentMinute; }
    void startMinute(qint64 minute) { m_currentMinute = minute; }
    // Closes the current minute of every window and starts `next`; the rollup rows to store, one
    // per window. next may equal the current minute (the engine stopping).
    std::vector<RollupRow> closeMinute(qint64 next);

    // --- queues ---
    void forgetQueue(int queueNum);
    // Forgets every queue window but these (after a reload: queues deleted meanwhile).
    void keepOnly(const std::vector<int> &queueNums);

    // --- reading ---
    // Counters of the last `minutes` closed minutes plus what accumulates now.
    PeriodCounters recent(int queueNum, int minutes) const;
    // One sample per second, oldest first, the last SamplesKept.
    const std::deque<MetricSample> &samples(int queueNum) const;
    // Mean add and completion rates of the last `seconds` samples (0 without samples).
    std::pair<double, double> meanRates(int queueNum, int seconds) const;
    // The last 5 minutes, one point a second, with the percentiles of that range.
    MetricSeries liveSeries(int queueNum) const;
    // Task types of the last `minutes` closed minutes plus the current one.
    TypeCounters recentTypes(int queueNum, int minutes) const;

    // --- rollups (the store's rows, read back for the longer ranges) ---
    // The points of a range from its rollup rows, oldest first (7 days: 10-minute points).
    static MetricSeries seriesFromRollups(const QList<RollupRow> &rows, MetricRange range);
    static TypeCounters typesFromRollups(const QList<RollupRow> &rows);
    // How many minutes back a range reaches.
    static qint64 rangeMinutes(MetricRange range);

private:
    struct Window
    {
        PeriodCounters second;                                 // accumulating now
        PeriodCounters minute;                                 // accumulating now
        std::deque<MetricSample> samples;                      // one per second, last 15 minutes
        std::deque<std::pair<qint64, PeriodCounters>> minutes; // closed, last 15, by minute
        MetricSample lastMinuteGauges;
        // Per task type: accumulating this minute, and the closed minutes of the last 15.
        TypeCounters typesMinute;
        std::deque<std::pair<qint64, TypeCounters>> typeMinutes;
    };
    Window &window(int queueNum);
    const Window *find(int queueNum) const;

    Window m_total;
    std::unordered_map<int, Window> m_queues;
    qint64 m_currentMinute = 0;
};

} // namespace QueueDeck
