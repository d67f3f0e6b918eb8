// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "workerregistry.h"

#include <QTest>

using namespace QueueDeck;

class TestWorkerRegistry final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void insertFindRemove()
    {
        WorkerRegistry workers;
        QVERIFY(!workers.find(QStringLiteral("w1")));
        WorkerEntry &entry = workers.insert(QStringLiteral("w1"));
        entry.row.id = QStringLiteral("w1");
        QCOMPARE(workers.find(QStringLiteral("w1")), &entry);
        QCOMPARE(&workers.insert(QStringLiteral("w1")), &entry); // the same, not a new one
        QCOMPARE(workers.size(), 1);
        workers.remove(QStringLiteral("w1"));
        QVERIFY(!workers.contains(QStringLiteral("w1")));
    }

    void runningTasksOfKnownWorkersOnly()
    {
        WorkerRegistry workers;
        workers.insert(QStringLiteral("w1"));
        workers.taskStarted(QStringLiteral("w1"), 7);
        workers.taskStarted(QStringLiteral("gone"), 8); // skipped, not created
        QVERIFY(!workers.contains(QStringLiteral("gone")));
        QCOMPARE(workers.find(QStringLiteral("w1"))->running, QSet<qint64>{7});
        workers.taskStopped(QStringLiteral("w1"), 7);
        QVERIFY(workers.find(QStringLiteral("w1"))->running.isEmpty());
    }

    void signsOfLife()
    {
        WorkerRegistry workers;
        workers.insert(QStringLiteral("a")).lastHeartbeatMs = 100;
        workers.insert(QStringLiteral("b")).lastHeartbeatMs = 200;
        workers.heardFrom(QStringLiteral("a"), 900);
        workers.heardFrom(QStringLiteral("nobody"), 900);
        const QHash<QString, qint64> beats = workers.heartbeats();
        QCOMPARE(beats.size(), 2);
        QCOMPARE(beats.value(QStringLiteral("a")), 900);
        QCOMPARE(beats.value(QStringLiteral("b")), 200);
    }

    void onlineAndLost()
    {
        WorkerRegistry workers;
        workers.insert(QStringLiteral("a"));
        workers.insert(QStringLiteral("b")).lost = true;
        workers.insert(QStringLiteral("c"));
        QCOMPARE(workers.countOnlineAndLost(), std::make_pair(2, 1));
    }

    void describeGivesTheState_data()
    {
        QTest::addColumn<bool>("lost");
        QTest::addColumn<bool>("draining");
        QTest::addColumn<bool>("running");
        QTest::addColumn<WorkerState>("state");
        QTest::newRow("idle") << false << false << false << WorkerState::Idle;
        QTest::newRow("active") << false << false << true << WorkerState::Active;
        QTest::newRow("draining") << false << true << true << WorkerState::Draining;
        QTest::newRow("lost") << true << true << true << WorkerState::Lost;
    }

    void describeGivesTheState()
    {
        QFETCH(bool, lost);
        QFETCH(bool, draining);
        QFETCH(bool, running);
        QFETCH(WorkerState, state);
        WorkerEntry entry;
        entry.row.id = QStringLiteral("w1");
        entry.row.done = 4;
        entry.row.draining = draining;
        entry.lost = lost;
        entry.lastHeartbeatMs = 1234;
        if (running)
            entry.running = {1, 2};
        const WorkerInfo info = WorkerRegistry::describe(entry);
        QCOMPARE(info.state, state);
        QCOMPARE(info.id, QStringLiteral("w1"));
        QCOMPARE(info.running, running ? 2 : 0);
        QCOMPARE(info.done, 4);
        QCOMPARE(info.lastHeartbeatMs, 1234);
    }
};

QTEST_GUILESS_MAIN(TestWorkerRegistry)
#include "tst_workerregistry.moc"
