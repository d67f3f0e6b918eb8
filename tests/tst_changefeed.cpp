// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "changefeed.h"

#include <QTest>

using namespace QueueDeck;

namespace {

QueueInfo queue(const QString &id, qint64 queued = 0)
{
    QueueInfo info;
    info.id = id;
    info.name = id;
    info.counts.queued = queued;
    return info;
}

WorkerInfo worker(const QString &id, int running = 0)
{
    WorkerInfo info;
    info.id = id;
    info.running = running;
    return info;
}

QString queueIdOf(int num)
{
    return QStringLiteral("q%1").arg(num);
}

std::optional<QString> taskIdOf(qint64 seq)
{
    if (seq < 0)
        return std::nullopt; // its row is gone
    return QStringLiteral("t%1").arg(seq);
}

ChangeSet take(ChangeFeed &feed, qint64 nowMs,
               const std::vector<std::pair<int, QueueInfo>> &queues = {},
               const QList<WorkerInfo> &workers = {})
{
    return feed.take(nowMs, queues, workers, queueIdOf, taskIdOf);
}

} // namespace

class TestChangeFeed final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void nothingIsNotedBeforeTheFirstLook()
    {
        ChangeFeed feed;
        QVERIFY(!feed.isTracking());
        feed.noteTask(1, 1, TaskState::Queued);
        const ChangeSet first =
            take(feed, 0, {{1, queue(QStringLiteral("q1"))}}, {worker(QStringLiteral("w1"))});
        // The first look is the picture later looks compare with: it reports nothing.
        QVERIFY(first.queues.isEmpty());
        QVERIFY(first.workers.isEmpty());
        QVERIFY(first.tasks.isEmpty());
        QVERIFY(feed.isTracking());
    }

    void onlyChangedQueuesAndWorkersAreReported()
    {
        ChangeFeed feed;
        take(feed, 0, {{1, queue(QStringLiteral("q1"))}, {2, queue(QStringLiteral("q2"))}},
             {worker(QStringLiteral("w1")), worker(QStringLiteral("w2"))});
        const ChangeSet next = take(
            feed, 1000, {{1, queue(QStringLiteral("q1"), 5)}, {2, queue(QStringLiteral("q2"))}},
            {worker(QStringLiteral("w1")), worker(QStringLiteral("w2"), 1)});
        QCOMPARE(next.queues.size(), 1);
        QCOMPARE(next.queues.first().id, QStringLiteral("q1"));
        QCOMPARE(next.queues.first().counts.queued, 5);
        QCOMPARE(next.workers.size(), 1);
        QCOMPARE(next.workers.first().id, QStringLiteral("w2"));
        const ChangeSet same = take(
            feed, 2000, {{1, queue(QStringLiteral("q1"), 5)}, {2, queue(QStringLiteral("q2"))}},
            {worker(QStringLiteral("w1")), worker(QStringLiteral("w2"), 1)});
        QVERIFY(same.queues.isEmpty());
        QVERIFY(same.workers.isEmpty());
    }

    void removalsAreReported()
    {
        ChangeFeed feed;
        take(feed, 0, {{1, queue(QStringLiteral("q1"))}, {2, queue(QStringLiteral("q2"))}},
             {worker(QStringLiteral("w1"))});
        const ChangeSet next = take(feed, 1000, {{2, queue(QStringLiteral("q2"))}}, {});
        QCOMPARE(next.removedQueues, QStringList{QStringLiteral("q1")});
        QCOMPARE(next.removedWorkers, QStringList{QStringLiteral("w1")});
        QVERIFY(take(feed, 2000, {{2, queue(QStringLiteral("q2"))}}).removedQueues.isEmpty());
    }

    void eachTaskOnceInItsLatestState()
    {
        ChangeFeed feed;
        take(feed, 0);
        feed.noteTask(7, 1, TaskState::Queued);
        feed.noteTask(8, 2, TaskState::Queued);
        feed.noteTask(7, 1, TaskState::Running);
        feed.noteTask(9, 1, std::nullopt, QStringLiteral("t9-deleted"));
        feed.noteTask(-1, 1, TaskState::Succeeded); // gone by the time the feed is read
        const ChangeSet changes = take(feed, 1000);
        QCOMPARE(changes.tasks.size(), 3);
        QCOMPARE(changes.tasks[0].id, QStringLiteral("t7"));
        QCOMPARE(changes.tasks[0].queueId, QStringLiteral("q1"));
        QCOMPARE(changes.tasks[0].state, QStringLiteral("running"));
        QCOMPARE(changes.tasks[1].id, QStringLiteral("t8"));
        QCOMPARE(changes.tasks[1].queueId, QStringLiteral("q2"));
        QCOMPARE(changes.tasks[2].id, QStringLiteral("t9-deleted"));
        QCOMPARE(changes.tasks[2].state, QStringLiteral("deleted"));
        QVERIFY(take(feed, 2000).tasks.isEmpty());
    }

    void tasksBeyondTheCapAreCounted()
    {
        ChangeFeed feed;
        take(feed, 0);
        for (qint64 seq = 1; seq <= ChangeFeed::MaxTasks + 20; ++seq)
            feed.noteTask(seq, 1, TaskState::Queued);
        const ChangeSet changes = take(feed, 1000);
        QCOMPARE(changes.tasks.size(), ChangeFeed::MaxTasks);
        QCOMPARE(changes.droppedTasks, 20);
        QCOMPARE(take(feed, 2000).droppedTasks, 0);
    }

    void aFeedNobodyReadsStops()
    {
        ChangeFeed feed;
        take(feed, 0, {{1, queue(QStringLiteral("q1"))}});
        feed.stopIfUnread(ChangeFeed::UnreadAfterMs);
        QVERIFY(feed.isTracking());
        feed.stopIfUnread(ChangeFeed::UnreadAfterMs + 1);
        QVERIFY(!feed.isTracking());
        feed.noteTask(1, 1, TaskState::Queued);
        // Tracking starts over: the next look is a baseline again.
        const ChangeSet again = take(feed, 20'000, {{1, queue(QStringLiteral("q1"), 3)}});
        QVERIFY(again.queues.isEmpty());
        QVERIFY(again.tasks.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestChangeFeed)
#include "tst_changefeed.moc"
