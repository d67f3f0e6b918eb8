// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "metricsrecorder.h"

#include <QTest>

using namespace QueueDeck;

namespace {

MetricSample gauges(qint64 atMs, qint64 depth)
{
    MetricSample sample;
    sample.atMs = atMs;
    sample.depth = depth;
    return sample;
}

} // namespace

class TestMetricsRecorder final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void eventsCountForTheirQueueAndTheTotal()
    {
        MetricsRecorder recorder;
        recorder.recordAdded(1, 3);
        recorder.recordAdded(2, 1);
        recorder.recordStart(1, QStringLiteral("mail"), 40);
        recorder.recordFinish(1, QStringLiteral("mail"), 100, false);
        recorder.recordFinish(2, QStringLiteral("pdf"), 200, true);

        const PeriodCounters one = recorder.recent(1, 5);
        QCOMPARE(one.added, 3);
        QCOMPARE(one.dispatched, 1);
        QCOMPARE(one.succeeded, 1);
        QCOMPARE(one.failedAttempts, 0);
        QCOMPARE(one.finishedAttempts, 1);
        const PeriodCounters two = recorder.recent(2, 5);
        QCOMPARE(two.added, 1);
        QCOMPARE(two.failedAttempts, 1);
        QCOMPARE(two.failureRate(), 1.0);
        const PeriodCounters total = recorder.recent(MetricsRecorder::Total, 5);
        QCOMPARE(total.added, 4);
        QCOMPARE(total.finishedAttempts, 2);
        QCOMPARE(total.failureRate(), 0.5);
        // A queue never heard of reads as nothing, without a window being made for it.
        QCOMPARE(recorder.recent(9, 5).added, 0);
        QVERIFY(recorder.samples(9).empty());
    }

    void aSampleClosesTheSecondWithItsRates()
    {
        MetricsRecorder recorder;
        recorder.recordAdded(1, 4);
        recorder.recordFinish(1, QStringLiteral("t"), 10, false);
        recorder.recordFinish(1, QStringLiteral("t"), 10, true);
        recorder.sample(1, gauges(1000, 7));
        recorder.sample(1, gauges(2000, 5)); // a quiet second
        const auto &samples = recorder.samples(1);
        QCOMPARE(samples.size(), size_t(2));
        QCOMPARE(samples[0].depth, 7);
        QCOMPARE(samples[0].addRate, 4.0);
        QCOMPARE(samples[0].completionRate, 1.0);
        QCOMPARE(samples[0].failureRate, 0.5);
        QCOMPARE(samples[1].addRate, 0.0);
        QCOMPARE(samples[1].depth, 5);
        // The mean of the last two seconds.
        QCOMPARE(recorder.meanRates(1, 10), (std::pair{2.0, 0.5}));
        // The sampled second went into the minute: still counted as recent.
        QCOMPARE(recorder.recent(1, 5).added, 4);
    }

    void samplesKeepTheLastFifteenMinutes()
    {
        MetricsRecorder recorder;
        for (int i = 0; i < MetricsRecorder::SamplesKept + 10; ++i)
            recorder.sample(1, gauges(i * 1000, i));
        const auto &samples = recorder.samples(1);
        QCOMPARE(samples.size(), size_t(MetricsRecorder::SamplesKept));
        QCOMPARE(samples.front().depth, 10);
        const MetricSeries live = recorder.liveSeries(1);
        QCOMPARE(live.points.size(), 300);
        QCOMPARE(live.stepMs, 1000);
        QCOMPARE(live.points.back().depth, MetricsRecorder::SamplesKept + 9);
    }

    void closedMinutesLeaveTheRecentRangeInOrder()
    {
        MetricsRecorder recorder;
        recorder.startMinute(100);
        recorder.recordAdded(1, 1);
        recorder.sample(1, gauges(0, 0));
        QCOMPARE(recorder.closeMinute(101).size(), size_t(2)); // queue 1 and the total
        QCOMPARE(recorder.currentMinute(), 101);
        recorder.recordAdded(1, 10);
        // Minute 100 is within the last 5 minutes of minute 101, not within the last 0.
        QCOMPARE(recorder.recent(1, 5).added, 11);
        QCOMPARE(recorder.recent(1, 0).added, 10);
        recorder.startMinute(110);
        QCOMPARE(recorder.recent(1, 5).added, 10);
    }

    void rollupsReadBackAsTheSeriesOfARange()
    {
        MetricsRecorder recorder;
        QList<RollupRow> rows;
        for (qint64 minute = 1000; minute < 1003; ++minute) {
            recorder.startMinute(minute);
            recorder.recordAdded(1, 60); // one a second
            recorder.recordStart(1, QStringLiteral("mail"), 250);
            recorder.recordFinish(1, QStringLiteral("mail"), 500, minute == 1002);
            recorder.sample(1, gauges(minute * 60000, minute - 990));
            for (const RollupRow &row : recorder.closeMinute(minute + 1)) {
                if (row.queueNum == 1)
                    rows.append(row);
            }
        }
        QCOMPARE(rows.size(), 3);
        QCOMPARE(rows.front().minute, 1000);

        const MetricSeries hour = MetricsRecorder::seriesFromRollups(rows, MetricRange::Hour);
        QCOMPARE(hour.stepMs, 60000);
        QCOMPARE(hour.points.size(), 3);
        QCOMPARE(hour.points[0].atMs, 1000 * 60000);
        QCOMPARE(hour.points[0].depth, 10);
        QCOMPARE(hour.points[0].addRate, 1.0);
        QCOMPARE(hour.points[2].failureRate, 1.0);
        QVERIFY(hour.waitP95Ms > 0);
        QVERIFY(hour.runP95Ms >= hour.waitP95Ms);

        // A week reads 10-minute points: the three minutes fall into one, its gauges the last's.
        const MetricSeries week = MetricsRecorder::seriesFromRollups(rows, MetricRange::Week);
        QCOMPARE(week.stepMs, 600000);
        QCOMPARE(week.points.size(), 1);
        QCOMPARE(week.points[0].depth, 12);
        QCOMPARE(week.points[0].addRate, 180.0 / 600.0);

        // A row that does not decode is skipped.
        rows.append(RollupRow{1, 1003, QByteArrayLiteral("{}")});
        QCOMPARE(MetricsRecorder::seriesFromRollups(rows, MetricRange::Hour).points.size(), 3);

        // The task types ride in the same rows.
        const QList<TypeMetricsRow> types = MetricsRecorder::typesFromRollups(rows).report();
        QCOMPARE(types.size(), 1);
        QCOMPARE(types[0].type, QStringLiteral("mail"));
        QCOMPARE(types[0].processed, 3);
        QCOMPARE(types[0].failed, 1);
    }

    void taskTypesOfRecentMinutes()
    {
        MetricsRecorder recorder;
        recorder.startMinute(50);
        recorder.recordStart(1, QStringLiteral("a"), 1);
        recorder.recordFinish(1, QStringLiteral("a"), 1, false);
        recorder.closeMinute(51);
        recorder.recordFinish(1, QStringLiteral("b"), 1, false);
        QCOMPARE(recorder.recentTypes(1, 5).typeCount(), 2);
        QCOMPARE(recorder.recentTypes(1, 0).typeCount(), 1);
        QCOMPARE(recorder.recentTypes(MetricsRecorder::Total, 5).typeCount(), 2);
    }

    void forgottenQueuesLoseTheirWindows()
    {
        MetricsRecorder recorder;
        recorder.recordAdded(1, 1);
        recorder.recordAdded(2, 1);
        recorder.recordAdded(3, 1);
        recorder.forgetQueue(2);
        QCOMPARE(recorder.recent(2, 5).added, 0);
        recorder.keepOnly({3});
        QCOMPARE(recorder.recent(1, 5).added, 0);
        QCOMPARE(recorder.recent(3, 5).added, 1);
        // The total keeps what was counted.
        QCOMPARE(recorder.recent(MetricsRecorder::Total, 5).added, 3);
        // Only the windows kept are rolled up.
        QCOMPARE(recorder.closeMinute(1).size(), size_t(2));
    }
};

QTEST_GUILESS_MAIN(TestMetricsRecorder)
#include "tst_metricsrecorder.moc"
