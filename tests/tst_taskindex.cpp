// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "taskindex.h"

#include <QTest>

using namespace QueueDeck;

class TestTaskIndex final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void scheduledTasksFallDueInRunAtOrder()
    {
        TaskIndex index;
        index.schedule(300, 1, {1, 0, {}});
        index.schedule(100, 2, {1, 5, QStringLiteral("k")});
        index.schedule(100, 3, {2, 0, {}});
        QCOMPARE(index.scheduledCount(), 3);
        QVERIFY(!index.takeDueScheduled(99));
        const auto first = index.takeDueScheduled(200);
        QVERIFY(first);
        QCOMPARE(first->seq, 2);
        QCOMPARE(first->runAtMs, 100);
        QCOMPARE(first->task.priority, 5);
        QCOMPARE(first->task.concurrencyKey, QStringLiteral("k"));
        QCOMPARE(index.takeDueScheduled(200)->seq, 3);
        QVERIFY(!index.takeDueScheduled(200));
        QCOMPARE(index.scheduledCount(), 1);
    }

    void unscheduling()
    {
        TaskIndex index;
        index.schedule(100, 1, {1, 0, {}});
        index.schedule(200, 2, {2, 0, {}});
        index.schedule(300, 3, {1, 0, {}});
        QVERIFY(index.unschedule(100, 1));
        QVERIFY(!index.unschedule(100, 1));
        QVERIFY(!index.unschedule(999, 2)); // another run_at: not that entry
        index.unscheduleQueue(1);
        QCOMPARE(index.scheduledCount(), 1);
        QCOMPARE(index.takeDueScheduled(1000)->seq, 2);
    }

    void expiries()
    {
        TaskIndex index;
        index.addExpiry(500, 1);
        index.addExpiry(200, 2);
        index.addExpiry(300, 3);
        index.removeExpiry(300, 3);
        QCOMPARE(index.expiryCount(), 2);
        QVERIFY(!index.takeDueExpiry(199));
        QCOMPARE(index.takeDueExpiry(1000), std::optional<qint64>(2));
        QCOMPARE(index.takeDueExpiry(1000), std::optional<qint64>(1));
        QVERIFY(!index.takeDueExpiry(1000));
    }

    void nextDueIsTheEarliestOfScheduleAndExpiries()
    {
        TaskIndex index;
        QVERIFY(!index.nextDueMs());
        index.schedule(400, 1, {1, 0, {}});
        QCOMPARE(index.nextDueMs(), std::optional<qint64>(400));
        index.addExpiry(250, 2);
        QCOMPARE(index.nextDueMs(), std::optional<qint64>(250));
        index.schedule(100, 3, {1, 0, {}});
        QCOMPARE(index.nextDueMs(), std::optional<qint64>(100));
        index.clear();
        QVERIFY(!index.nextDueMs());
    }

    void routing()
    {
        TaskIndex index;
        QCOMPARE(index.routing(1), nullptr);
        index.setRouting(
            1, Routing{{{QStringLiteral("gpu"), QStringLiteral("true")}}, QStringLiteral("w1")});
        QVERIFY(index.routing(1));
        QCOMPARE(index.routing(1)->workerId, QStringLiteral("w1"));
        index.forgetRouting(1);
        QCOMPARE(index.routing(1), nullptr);
    }

    void idempotencyKeysArePerQueue()
    {
        TaskIndex index;
        index.rememberKey(1, QStringLiteral("a"), 10);
        index.rememberKey(2, QStringLiteral("a"), 20);
        index.rememberKey(1, QStringLiteral("b"), 11);
        QCOMPARE(index.taskWithKey(1, QStringLiteral("a")), std::optional<qint64>(10));
        QCOMPARE(index.taskWithKey(2, QStringLiteral("a")), std::optional<qint64>(20));
        QVERIFY(!index.taskWithKey(3, QStringLiteral("a")));
        index.forgetKey(1, QStringLiteral("a"));
        QVERIFY(!index.hasKey(1, QStringLiteral("a")));
        QVERIFY(index.hasKey(2, QStringLiteral("a")));
        index.forgetKeyOf(2, 20);
        QVERIFY(!index.hasKey(2, QStringLiteral("a")));
        index.forgetKeyOf(2, 11); // another queue's task: kept
        QVERIFY(index.hasKey(1, QStringLiteral("b")));
    }

    void forgettingAQueuesKeysKeepsWhatTheCallerKeeps()
    {
        TaskIndex index;
        index.rememberKey(1, QStringLiteral("a"), 10);
        index.rememberKey(1, QStringLiteral("b"), 11);
        index.rememberKey(2, QStringLiteral("c"), 20);
        index.forgetKeysOfQueue(1, [](qint64 seq) { return seq == 11; });
        QVERIFY(!index.hasKey(1, QStringLiteral("a")));
        QVERIFY(index.hasKey(1, QStringLiteral("b")));
        QVERIFY(index.hasKey(2, QStringLiteral("c")));
        index.forgetKeysOfQueue(1);
        QVERIFY(!index.hasKey(1, QStringLiteral("b")));
        QVERIFY(index.hasKey(2, QStringLiteral("c")));
    }
};

QTEST_GUILESS_MAIN(TestTaskIndex)
#include "tst_taskindex.moc"
