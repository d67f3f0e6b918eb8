// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// Metrics per task type (GET /type-metrics): counts and percentiles of tasks run with known run
// times on the injected clock, live and from the rollups after a restart, and the bound on types.
#include "enginefixture.h"
#include "typecounters.h"

#include <QStandardPaths>

using namespace QueueDeck;
using namespace QueueDeck::Testing;

namespace {

const TypeMetricsRow *rowOf(const TypeMetricsReport &report, const QString &type)
{
    for (const TypeMetricsRow &row : report.types) {
        if (row.type == type && !row.other)
            return &row;
    }
    return nullptr;
}

} // namespace

class TestTypeMetrics final : public QObject
{
    Q_OBJECT

    // Runs `count` tasks of `type` that wait `waitMs` and run `runMs`; the last `failures` fail.
    void runTasks(EngineFixture &f, const QString &queueId, const QString &workerId,
                  const QString &type, int count, qint64 waitMs, qint64 runMs, int failures)
    {
        QList<EnqueueRequest> batch(count, EnqueueRequest{});
        for (auto &request : batch)
            request.type = type;
        QD_AWAIT(ids, f.engine().enqueueBatch(queueId, batch));
        f.clock().advance(waitMs);
        QD_AWAIT(leased, f.engine().lease({workerId, count, 0}));
        QCOMPARE(leased.size(), count);
        f.clock().advance(runMs);
        CompleteRequest complete{workerId, {}, {}};
        for (int i = 0; i < count; ++i) {
            if (i < count - failures)
                complete.acks.append({leased[i].id, leased[i].leaseId, {}});
            else
                complete.fails.append(
                    {leased[i].id, leased[i].leaseId, QStringLiteral("x"), false});
        }
        QD_AWAIT(outcomes, f.engine().complete(complete));
    }

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void matchesKnownRunTimes()
    {
        EngineFixture f;
        QVERIFY(f.start());
        QueueSettings settings;
        settings.maxWorkers = 2;
        QD_AWAIT(queue,
                 f.engine().createQueue(QStringLiteral("default"), QStringLiteral("q"), settings));
        QD_AWAIT(reg, f.engine().registerWorker(workerOn({queue.id})));
        runTasks(f, queue.id, reg.workerId, QStringLiteral("resize"), 10, 100, 400, 0);
        runTasks(f, queue.id, reg.workerId, QStringLiteral("email"), 6, 2000, 30, 2);
        f.advance(1000);

        for (const QString &scope : {queue.id, QString()}) {
            QD_AWAIT(live, f.engine().typeMetrics(scope, MetricRange::FiveMinutes));
            QCOMPARE(live.types.size(), 2);
            QCOMPARE(live.types.first().type, QStringLiteral("resize")); // most processed first
            const TypeMetricsRow *resize = rowOf(live, QStringLiteral("resize"));
            const TypeMetricsRow *email = rowOf(live, QStringLiteral("email"));
            QVERIFY(resize && email);
            QCOMPARE(resize->processed, qint64(10));
            QCOMPARE(resize->failed, qint64(0));
            QCOMPARE(resize->started, qint64(10));
            QCOMPARE(resize->runP50Ms, qint64(400));
            QCOMPARE(resize->runP99Ms, qint64(400));
            QCOMPARE(resize->waitP95Ms, qint64(100));
            QCOMPARE(email->processed, qint64(6));
            QCOMPARE(email->failed, qint64(2));
            QCOMPARE(email->failedShare(), 2.0 / 6.0);
            QCOMPARE(email->runP50Ms, qint64(30));
            QCOMPARE(email->waitP50Ms, qint64(2000));
            // The histogram holds every run in the bucket of 400 ms.
            qint64 histogramTotal = 0;
            for (const HistogramBucket &bucket : resize->runHistogram) {
                histogramTotal += bucket.count;
                QVERIFY(bucket.upToMs >= 400);
            }
            QCOMPARE(histogramTotal, qint64(10));
        }

        // Past the minute's end the rollup holds the same figures, and a restart keeps them.
        for (int second = 0; second < 65; ++second)
            f.advance(1000);
        QVERIFY(f.restart());
        QD_AWAIT(hour, f.engine().typeMetrics(queue.id, MetricRange::Hour));
        const TypeMetricsRow *resize = rowOf(hour, QStringLiteral("resize"));
        const TypeMetricsRow *email = rowOf(hour, QStringLiteral("email"));
        QVERIFY(resize && email);
        QCOMPARE(resize->processed, qint64(10));
        QCOMPARE(resize->runP95Ms, qint64(400));
        QCOMPARE(email->failed, qint64(2));
        QCOMPARE(email->waitP99Ms, qint64(2000));
        QD_AWAIT(week, f.engine().typeMetrics(QString(), MetricRange::Week));
        QVERIFY(rowOf(week, QStringLiteral("email")));
    }

    void boundedTypesGoToOther()
    {
        EngineFixture f;
        QVERIFY(f.start());
        QD_AWAIT(queue, f.engine().createQueue(QStringLiteral("default"), QStringLiteral("q"), {}));
        QD_AWAIT(reg, f.engine().registerWorker(workerOn({queue.id})));
        const int types = TypeCounters::MaxTypes + 5;
        for (int i = 0; i < types; ++i)
            runTasks(f, queue.id, reg.workerId, QStringLiteral("type-%1").arg(i), 1, 10, 10, 0);
        QD_AWAIT(live, f.engine().typeMetrics(queue.id, MetricRange::FiveMinutes));
        QCOMPARE(live.types.size(), TypeCounters::MaxTypes + 1);
        QVERIFY(live.types.last().other);
        QCOMPARE(live.types.last().processed, qint64(5));
        qint64 processed = 0;
        for (const TypeMetricsRow &row : live.types)
            processed += row.processed;
        QCOMPARE(processed, qint64(types));
    }

    void unknownQueueIsNotFound()
    {
        EngineFixture f;
        QVERIFY(f.start());
        QD_EXPECT_ERROR(f.engine().typeMetrics(QStringLiteral("q_aaaaaaaaaa"), MetricRange::Hour),
                        ErrorCode::NotFound);
    }
};

QTEST_GUILESS_MAIN(TestTypeMetrics)
#include "tst_typemetrics.moc"
