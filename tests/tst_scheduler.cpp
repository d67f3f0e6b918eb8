// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// Schedules on the engine's manual clock: fires on time and once, overlap policies with a long
// task, catch-up after a restart within and beyond the window, jitter bounds, start and end,
// pause, trigger, backfill, daylight-saving days, clock jumps, and refusals.

#include "enginefixture.h"
#include "scheduler.h"

#include <QDateTime>
#include <QSet>
#include <QTest>

using namespace QueueDeck;
using namespace QueueDeck::Testing;

namespace {

qint64 at(const char *iso)
{
    return QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODate).toMSecsSinceEpoch();
}

ScheduleDefinition every(const QString &queueId, const QString &spec,
                         OverlapPolicy overlap = OverlapPolicy::AllowAll)
{
    ScheduleDefinition definition;
    definition.name = QStringLiteral("nightly");
    definition.spec = spec;
    definition.queueId = queueId;
    definition.task = job(R"({"n": 1})");
    definition.task.type = QStringLiteral("report");
    definition.overlap = overlap;
    return definition;
}

// Oldest first.
QList<ScheduleFire> firesOf(Engine &engine, const QString &scheduleId)
{
    auto fires = await(engine.scheduler().fires(scheduleId, std::nullopt, 100000));
    if (!fires)
        return {};
    QList<ScheduleFire> out(fires->crbegin(), fires->crend());
    return out;
}

QStringList texts(std::initializer_list<const char *> values)
{
    QStringList out;
    for (const char *value : values)
        out.append(QString::fromLatin1(value));
    return out;
}

QStringList outcomes(const QList<ScheduleFire> &fires)
{
    QStringList out;
    for (const ScheduleFire &fire : fires)
        out.append(fire.outcome);
    return out;
}

} // namespace

class TestScheduler final : public QObject
{
    Q_OBJECT

    // An engine whose clock starts at 2027-01-15T08:00:00Z, on a whole minute.
    std::unique_ptr<EngineFixture> m_fx;
    QString m_queue;

    Engine &engine() { return m_fx->engine(); }
    qint64 now() const { return m_fx->clock().nowMs(); }

    QString create(ScheduleDefinition definition)
    {
        auto made = await(engine().scheduler().create(definition));
        if (!made) {
            qWarning("%s", messageOf(made.error()));
            return {};
        }
        return made->id;
    }

    // A worker takes every task the queue holds and finishes it.
    void finishAll()
    {
        auto worker = await(engine().registerWorker(workerOn({m_queue})));
        QVERIFY(worker);
        auto leased = await(engine().lease(LeaseRequest{worker->workerId, 100, 0}));
        QVERIFY(leased);
        CompleteRequest done;
        done.workerId = worker->workerId;
        for (const LeasedTask &task : *leased)
            done.acks.append(TaskAck{task.id, task.leaseId, {}});
        QVERIFY(await(engine().complete(done)));
        QVERIFY(await(engine().deregisterWorker(worker->workerId)));
    }

private Q_SLOTS:
    void init()
    {
        m_fx = std::make_unique<EngineFixture>();
        QVERIFY(m_fx->start());
        auto queue = await(engine().createQueue(QStringLiteral("default"), QStringLiteral("batch"),
                                                QueueSettings{}));
        QVERIFY(queue);
        m_queue = queue->id;
    }
    void cleanup() { m_fx.reset(); }

    void firesOnTimeOnceEach()
    {
        const QString id = create(every(m_queue, QStringLiteral("*/10 * * * * *")));
        QVERIFY(!id.isEmpty());
        QD_AWAIT(info, engine().scheduler().get(id));
        QCOMPARE(info.nextFireMs.value_or(0), now() + 10'000);
        QCOMPARE(info.description, QStringLiteral("Every 10 seconds, UTC"));
        m_fx->advance(9'999);
        QCOMPARE(firesOf(engine(), id).size(), 0);
        m_fx->advance(1);
        m_fx->advance(25'000);
        const auto fires = firesOf(engine(), id);
        QCOMPARE(fires.size(), 3);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(fires[i].fireTimeMs, at("2027-01-15T08:00:10Z") + i * 10'000);
            QCOMPARE(fires[i].outcome, QStringLiteral("started"));
            QCOMPARE(fires[i].kind, QStringLiteral("scheduled"));
            QD_AWAIT(task, engine().task(fires[i].taskId));
            QCOMPARE(task.type, QStringLiteral("report"));
            QCOMPARE(task.payload, QByteArray(R"({"n": 1})"));
            QCOMPARE(task.queueId, m_queue);
        }
        QD_AWAIT(after, engine().scheduler().get(id));
        QCOMPARE(after.lastFire->fireTimeMs, fires[2].fireTimeMs);
        QCOMPARE(after.nextFireMs.value_or(0), at("2027-01-15T08:00:40Z"));
    }

    // skip: the fire is recorded skipped while the previous fire's task is unfinished.
    void overlapSkip()
    {
        const QString id = create(every(m_queue, QStringLiteral("every 10s"), OverlapPolicy::Skip));
        m_fx->advance(10'000);
        m_fx->advance(10'000);
        m_fx->advance(10'000);
        QCOMPARE(outcomes(firesOf(engine(), id)),
                 texts({"started", "skipped_overlap", "skipped_overlap"}));
        QVERIFY(firesOf(engine(), id)[1].reason.contains(firesOf(engine(), id)[0].taskId));
        finishAll();
        m_fx->advance(10'000);
        QCOMPARE(outcomes(firesOf(engine(), id)).last(), QStringLiteral("started"));
    }

    // buffer_one: one fire waits for the long task and starts when it ends; more are skipped.
    void overlapBufferOne()
    {
        const QString id =
            create(every(m_queue, QStringLiteral("every 10s"), OverlapPolicy::BufferOne));
        m_fx->advance(10'000);
        m_fx->advance(10'000);
        m_fx->advance(10'000);
        QCOMPARE(outcomes(firesOf(engine(), id)),
                 texts({"started", "buffered", "skipped_overlap"}));
        finishAll();
        m_fx->advance(1'000);
        const auto fires = firesOf(engine(), id);
        QCOMPARE(outcomes(fires), texts({"started", "started", "skipped_overlap"}));
        QVERIFY(!fires[1].taskId.isEmpty());
        QVERIFY(fires[1].taskId != fires[0].taskId);
        // The buffered task now runs: the next fire is skipped again.
        m_fx->advance(9'000);
        QCOMPARE(outcomes(firesOf(engine(), id)).last(), QStringLiteral("buffered"));
    }

    void overlapAllowAll()
    {
        const QString id = create(every(m_queue, QStringLiteral("every 10s")));
        for (int i = 0; i < 3; ++i)
            m_fx->advance(10'000);
        const auto fires = firesOf(engine(), id);
        QCOMPARE(outcomes(fires), texts({"started", "started", "started"}));
        QCOMPARE(QSet<QString>({fires[0].taskId, fires[1].taskId, fires[2].taskId}).size(), 3);
    }

    void jitterStaysWithinBounds()
    {
        ScheduleDefinition definition = every(m_queue, QStringLiteral("every 10s"));
        definition.jitterS = 5;
        const QString id = create(definition);
        for (int i = 0; i < 20; ++i)
            m_fx->advance(10'000);
        QSet<qint64> spreads;
        for (const ScheduleFire &fire : firesOf(engine(), id)) {
            QD_AWAIT(task, engine().task(fire.taskId));
            const qint64 spread = task.runAtMs - fire.fireTimeMs;
            QVERIFY2(spread >= 0 && spread <= 5'000, qPrintable(QString::number(spread)));
            spreads.insert(spread);
        }
        QCOMPARE(firesOf(engine(), id).size(), 20);
        QVERIFY(spreads.size() > 10); // spread out, not one delay for all
    }

    void startAndEnd()
    {
        ScheduleDefinition definition = every(m_queue, QStringLiteral("every 10s"));
        definition.startAtMs = now() + 35'000;
        definition.endAtMs = now() + 70'000;
        const QString id = create(definition);
        QD_AWAIT(info, engine().scheduler().get(id));
        QCOMPARE(info.nextFireMs.value_or(0), now() + 40'000);
        for (int i = 0; i < 12; ++i)
            m_fx->advance(10'000);
        QList<qint64> times;
        for (const ScheduleFire &fire : firesOf(engine(), id))
            times.append(fire.fireTimeMs - (now() - 120'000));
        QCOMPARE(times, (QList<qint64>{40'000, 50'000, 60'000, 70'000}));
        QD_AWAIT(done, engine().scheduler().get(id));
        QVERIFY(!done.nextFireMs);
    }

    // Down 45 s with a 60 s window: the four fires missed run once each, oldest first.
    void catchUpWithinTheWindow()
    {
        ScheduleDefinition definition = every(m_queue, QStringLiteral("every 10s"));
        definition.catchupWindowS = 60;
        const QString id = create(definition);
        m_fx->stop();
        m_fx->clock().advance(45'000);
        QVERIFY(m_fx->restart());
        m_fx->advance(0);
        const auto fires = firesOf(engine(), id);
        QCOMPARE(outcomes(fires), texts({"started", "started", "started", "started"}));
        for (int i = 1; i < fires.size(); ++i) {
            QVERIFY(fires[i].fireTimeMs > fires[i - 1].fireTimeMs);
            QVERIFY(fires[i].taskId > fires[i - 1].taskId); // enqueued oldest first
        }
    }

    // Down 65 s with a 20 s window: the fires older than 20 s are recorded missed.
    void catchUpBeyondTheWindow()
    {
        ScheduleDefinition definition = every(m_queue, QStringLiteral("every 10s"));
        definition.catchupWindowS = 20;
        const QString id = create(definition);
        m_fx->stop();
        m_fx->clock().advance(65'000);
        QVERIFY(m_fx->restart());
        m_fx->advance(0);
        const auto fires = firesOf(engine(), id);
        QCOMPARE(outcomes(fires),
                 texts({"missed", "missed", "missed", "missed", "started", "started"}));
        QVERIFY(fires[0].taskId.isEmpty());
        QVERIFY(fires[0].reason.contains(QStringLiteral("catch-up window")));

        // A backfill over the range starts the missed ones and leaves the others.
        QD_AWAIT(result, engine().scheduler().backfill(
                             id, BackfillRequest{fires[0].fireTimeMs, fires[5].fireTimeMs}));
        QCOMPARE(result.started, 4);
        QCOMPARE(result.alreadyRecorded, 2);
        const auto after = firesOf(engine(), id);
        QCOMPARE(after.size(), 6);
        QCOMPARE(outcomes(after), QStringList(6, QStringLiteral("started")));
        QCOMPARE(after[0].kind, QStringLiteral("backfill"));
        QD_EXPECT_ERROR(engine().scheduler().backfill(id, BackfillRequest{now(), now() + 60'000}),
                        ErrorCode::InvalidArgument);
    }

    // A restart, and the clock going back, fire nothing twice.
    void restartsAndClockJumpsFireOnce()
    {
        const QString id = create(every(m_queue, QStringLiteral("every 10s")));
        for (int i = 0; i < 3; ++i)
            m_fx->advance(10'000);
        QVERIFY(m_fx->restart());
        m_fx->advance(0);
        QCOMPARE(firesOf(engine(), id).size(), 3);
        m_fx->advance(-25'000);
        m_fx->advance(10'000);
        m_fx->advance(10'000);
        QCOMPARE(firesOf(engine(), id).size(), 3);
        m_fx->advance(20'000);
        QCOMPARE(firesOf(engine(), id).size(), 4);
        QD_AWAIT(page, engine().listTasks(m_queue, TaskFilter{}));
        QCOMPARE(page.items.size(), 4);
    }

    void pauseResumeAndTrigger()
    {
        const QString id = create(every(m_queue, QStringLiteral("every 10s"), OverlapPolicy::Skip));
        QD_AWAIT(paused, engine().scheduler().pause(id));
        QVERIFY(paused.definition.paused);
        QVERIFY(!paused.nextFireMs);
        for (int i = 0; i < 3; ++i)
            m_fx->advance(10'000);
        QCOMPARE(firesOf(engine(), id).size(), 0);
        // Trigger now works on a paused schedule and ignores the overlap policy.
        QD_AWAIT(manual, engine().scheduler().trigger(id));
        QCOMPARE(manual.kind, QStringLiteral("manual"));
        QCOMPARE(manual.outcome, QStringLiteral("started"));
        QCOMPARE(manual.fireTimeMs, now());
        QD_AWAIT(again, engine().scheduler().trigger(id));
        QCOMPARE(again.outcome, QStringLiteral("started"));
        QCOMPARE(again.fireTimeMs, now() + 1);
        // Resumed: no catch-up of the paused time.
        QD_AWAIT(resumed, engine().scheduler().resume(id));
        QCOMPARE(resumed.nextFireMs.value_or(0), now() + 10'000);
        finishAll();
        m_fx->advance(10'000);
        QCOMPARE(outcomes(firesOf(engine(), id)), texts({"started", "started", "started"}));
    }

    void failedEnqueueIsRecorded()
    {
        QueuePatch full;
        full.maxDepth = 1;
        QVERIFY(await(engine().updateQueue(m_queue, full)));
        const QString id = create(every(m_queue, QStringLiteral("every 10s")));
        m_fx->advance(10'000);
        m_fx->advance(10'000);
        const auto fires = firesOf(engine(), id);
        QCOMPARE(outcomes(fires), texts({"started", "failed_to_enqueue"}));
        QVERIFY2(fires[1].reason.contains(QStringLiteral("max_depth")),
                 qPrintable(fires[1].reason));
        QVERIFY(fires[1].taskId.isEmpty());
    }

    void refusals()
    {
        ScheduleDefinition bad = every(m_queue, QStringLiteral("0 25 * * *"));
        auto refused = await(engine().scheduler().create(bad));
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, ErrorCode::InvalidArgument);
        QVERIFY2(refused.error().message.contains(
                     QStringLiteral("field 2 (hour): 25 is out of range 0-23")),
                 qPrintable(refused.error().message));
        QCOMPARE(refused.error().details.value(QStringLiteral("field")).toString(),
                 QStringLiteral("spec"));
        bad = every(m_queue, QStringLiteral("@daily"));
        bad.timeZone = QStringLiteral("Europe/Berln");
        QD_EXPECT_ERROR(engine().scheduler().create(bad), ErrorCode::InvalidArgument);
        bad = every(QStringLiteral("q_aaaaaaaaaa"), QStringLiteral("@daily"));
        QD_EXPECT_ERROR(engine().scheduler().create(bad), ErrorCode::NotFound);
        bad = every(m_queue, QStringLiteral("@daily"));
        bad.task.type.clear();
        QD_EXPECT_ERROR(engine().scheduler().create(bad), ErrorCode::InvalidArgument);
        bad = every(m_queue, QStringLiteral("@daily"));
        bad.startAtMs = now() + 10;
        bad.endAtMs = now();
        QD_EXPECT_ERROR(engine().scheduler().create(bad), ErrorCode::InvalidArgument);
        QVERIFY(!create(every(m_queue, QStringLiteral("@daily"))).isEmpty());
        QD_EXPECT_ERROR(engine().scheduler().create(every(m_queue, QStringLiteral("@hourly"))),
                        ErrorCode::AlreadyExists);
        QD_EXPECT_ERROR(engine().scheduler().get(QStringLiteral("s_nothere")), ErrorCode::NotFound);
    }

    void updateAndDelete()
    {
        const QString id = create(every(m_queue, QStringLiteral("every 10s")));
        m_fx->advance(10'000);
        SchedulePatch patch;
        patch.spec = QStringLiteral("every 1m");
        patch.name = QStringLiteral("minutely");
        QD_AWAIT(changed, engine().scheduler().update(id, patch));
        QCOMPARE(changed.definition.name, QStringLiteral("minutely"));
        QCOMPARE(changed.nextFireMs.value_or(0), at("2027-01-15T08:01:00Z"));
        QVERIFY(m_fx->restart());
        QD_AWAIT(reloaded, engine().scheduler().get(id));
        QCOMPARE(reloaded.definition.spec, QStringLiteral("every 1m"));
        QD_AWAIT_VOID(engine().scheduler().remove(id));
        QD_EXPECT_ERROR(engine().scheduler().get(id), ErrorCode::NotFound);
        QD_AWAIT(list, engine().scheduler().list());
        QCOMPARE(list.size(), 0);
    }

    void preview()
    {
        SchedulePreviewRequest request;
        request.spec = QStringLiteral("30 2 * * *");
        request.timeZone = QStringLiteral("Europe/Berlin");
        request.afterMs = at("2026-03-27T12:00:00Z");
        QD_AWAIT(preview, engine().scheduler().preview(request));
        QCOMPARE(preview.description, QStringLiteral("At 02:30 every day, Europe/Berlin"));
        QCOMPARE(preview.nextFiresMs,
                 (QList<qint64>{at("2026-03-28T01:30:00Z"), at("2026-03-29T01:00:00Z"),
                                at("2026-03-30T00:30:00Z"), at("2026-03-31T00:30:00Z"),
                                at("2026-04-01T00:30:00Z")}));
        request.spec = QStringLiteral("0 0 * FOO *");
        QD_EXPECT_ERROR(engine().scheduler().preview(request), ErrorCode::InvalidArgument);
    }
};

// The daylight-saving days need a clock of their own, set before them.
class TestSchedulerDaylightSaving final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // A 02:30 Europe/Berlin job fires once on both change days of 2026, stepping by the hour.
    void onceOnBothChangeDays_data()
    {
        QTest::addColumn<qint64>("start");
        QTest::addColumn<QList<qint64>>("expected");
        QTest::newRow("spring-forward")
            << at("2026-03-27T12:00:00Z")
            << QList<qint64>{at("2026-03-28T01:30:00Z"), at("2026-03-29T01:00:00Z"),
                             at("2026-03-30T00:30:00Z")};
        QTest::newRow("fall-back")
            << at("2026-10-23T12:00:00Z")
            << QList<qint64>{at("2026-10-24T00:30:00Z"), at("2026-10-25T00:30:00Z"),
                             at("2026-10-26T01:30:00Z")};
    }
    void onceOnBothChangeDays()
    {
        QFETCH(qint64, start);
        QFETCH(QList<qint64>, expected);
        QTemporaryDir dir;
        ManualClock clock(start);
        EngineOptions options;
        options.dataDirectory = dir.path();
        if (testsOnPostgres()) {
            options.databasePath = newPostgresDatabase();
            options.clusterKey = testClusterKey();
            QVERIFY(!options.databasePath.isEmpty());
        }
        Engine engine(options, &clock);
        QVERIFY(engine.start());
        QD_AWAIT(queue, engine.createQueue(QStringLiteral("default"), QStringLiteral("b"), {}));
        ScheduleDefinition definition = every(queue.id, QStringLiteral("30 2 * * *"));
        definition.timeZone = QStringLiteral("Europe/Berlin");
        QD_AWAIT(schedule, engine.scheduler().create(definition));
        for (int hour = 0; hour < 3 * 24 + 1; ++hour) {
            clock.advance(3600 * 1000);
            QVERIFY(await(engine.listEnvironments()));
        }
        QList<qint64> times;
        for (const ScheduleFire &fire : firesOf(engine, schedule.id))
            times.append(fire.fireTimeMs);
        QCOMPARE(times, expected);
    }
};

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    TestScheduler scheduler;
    TestSchedulerDaylightSaving daylightSaving;
    int failures = QTest::qExec(&scheduler, argc, argv);
    failures += QTest::qExec(&daylightSaving, argc, argv);
    return failures;
}

#include "tst_scheduler.moc"
