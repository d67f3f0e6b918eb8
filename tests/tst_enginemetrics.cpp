// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "enginefixture.h"

#include <QStandardPaths>

using namespace QueueDeck;
using namespace QueueDeck::Testing;

class TestEngineMetrics final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void samplesRatesAndLatency()
    {
        EngineFixture f;
        QVERIFY(f.start());
        QueueSettings settings;
        settings.maxWorkers = 4;
        QD_AWAIT(queue,
                 f.engine().createQueue(QStringLiteral("default"), QStringLiteral("q"), settings));
        QD_AWAIT(reg, f.engine().registerWorker(
                          {{}, {queue.id}, QStringLiteral("h"), 1, {}, 1, {}, {}}));
        // Each second: 10 tasks in; they wait 200 ms, run 50 ms; one of them fails.
        for (int second = 0; second < 5; ++second) {
            QList<EnqueueRequest> batch(10, EnqueueRequest{});
            for (auto &request : batch)
                request.type = QStringLiteral("job");
            QD_AWAIT(ids, f.engine().enqueueBatch(queue.id, batch));
            f.clock().advance(200);
            QD_AWAIT(leased, f.engine().lease({reg.workerId, 10, 0}));
            QCOMPARE(leased.size(), 10);
            f.clock().advance(50);
            CompleteRequest complete{reg.workerId, {}, {}};
            for (int i = 0; i < 9; ++i)
                complete.acks.append({leased[i].id, leased[i].leaseId, {}});
            complete.fails.append({leased[9].id, leased[9].leaseId, QStringLiteral("x"), false});
            QD_AWAIT(outcomes, f.engine().complete(complete));
            f.advance(750);
        }
        QD_AWAIT(series, f.engine().metrics(queue.id, MetricRange::FiveMinutes));
        QVERIFY(series.points.size() >= 4);
        const MetricSample &last = series.points.last();
        QCOMPARE(last.addRate, 10.0);
        QCOMPARE(last.dispatchRate, 10.0);
        QCOMPARE(last.completionRate, 9.0);
        QCOMPARE(last.failureRate, 0.1);
        QCOMPARE(last.workersOnline, 1);
        QCOMPARE(last.capacity, 4);
        QVERIFY2(series.waitP95Ms >= 200 && series.waitP95Ms <= 250,
                 qPrintable(QString::number(series.waitP95Ms)));
        QVERIFY2(series.runP50Ms >= 50 && series.runP50Ms <= 63,
                 qPrintable(QString::number(series.runP50Ms)));

        QD_AWAIT(dashboard, f.engine().dashboard());
        QCOMPARE(dashboard.queueCount, 2);
        QCOMPARE(dashboard.activeWorkers, 1);
        QCOMPARE(dashboard.slotsUsed, 1);
        QCOMPARE(dashboard.capacity, 14); // 10 (default queue) + 4
        QVERIFY(qAbs(dashboard.errorRate - 0.1) < 1e-9);
        QVERIFY(dashboard.throughput > 0);
        const auto card = std::find_if(dashboard.cards.cbegin(), dashboard.cards.cend(),
                                       [&](const QueueCard &c) { return c.queue.id == queue.id; });
        QVERIFY(card != dashboard.cards.cend());
        QCOMPARE(card->queue.counts.dead, qint64(5));
        QVERIFY(card->waitP95Ms >= 200);
    }

    void historySurvivesRestart()
    {
        EngineFixture f;
        QVERIFY(f.start());
        QD_AWAIT(queue, f.engine().createQueue(QStringLiteral("default"), QStringLiteral("q"), {}));
        QD_AWAIT(reg, f.engine().registerWorker(
                          {{}, {queue.id}, QStringLiteral("h"), 1, {}, 1, {}, {}}));
        for (int minute = 0; minute < 3; ++minute) {
            EnqueueRequest request;
            request.type = QStringLiteral("job");
            QD_AWAIT(task, f.engine().enqueue(queue.id, request));
            f.clock().advance(1500);
            QD_AWAIT(leased, f.engine().lease({reg.workerId, 1, 0}));
            QCOMPARE(leased.size(), 1);
            QD_AWAIT(outcomes, f.engine().complete(
                                   {reg.workerId, {{leased[0].id, leased[0].leaseId, {}}}, {}}));
            for (int second = 0; second < 60; ++second) {
                f.advance(1000);
                if (second % 5 == 0) {
                    QD_AWAIT(beat, f.engine().heartbeat(reg.workerId, {}));
                    QCOMPARE(beat.command, WorkerCommand::Run);
                }
            }
        }
        QVERIFY(f.restart());
        QD_AWAIT(hour, f.engine().metrics(queue.id, MetricRange::Hour));
        QVERIFY2(hour.points.size() >= 3, qPrintable(QString::number(hour.points.size())));
        QCOMPARE(hour.stepMs, qint64(60000));
        double added = 0;
        for (const auto &point : hour.points)
            added += point.addRate * 60.0;
        QCOMPARE(qRound(added), 3);
        QVERIFY2(hour.waitP50Ms >= 1500 && hour.waitP50Ms <= 1900,
                 qPrintable(QString::number(hour.waitP50Ms)));
        QD_AWAIT(week, f.engine().metrics(QString(), MetricRange::Week));
        QVERIFY(!week.points.isEmpty());
        QCOMPARE(week.stepMs, qint64(600000));
    }
};

QTEST_GUILESS_MAIN(TestEngineMetrics)
#include "tst_enginemetrics.moc"
