// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "leasebook.h"

#include <QTest>

using namespace QueueDeck;

namespace {

RunningTask running(int queueNum, qint64 expiresAtMs, const QString &workerId = QStringLiteral("w"))
{
    RunningTask task;
    task.queueNum = queueNum;
    task.workerId = workerId;
    task.expiresAtMs = expiresAtMs;
    return task;
}

} // namespace

class TestLeaseBook final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void aRunningTaskAndItsExpiryComeAndGoTogether()
    {
        LeaseBook book;
        book.add(1, running(1, 500));
        book.add(2, running(1, 300));
        QVERIFY(book.contains(1));
        QCOMPARE(book.find(2)->expiresAtMs, 300);
        QCOMPARE(book.nextExpiryMs(), std::optional<qint64>(300));
        book.remove(2);
        QVERIFY(!book.find(2));
        // Its expiry went with it.
        QCOMPARE(book.nextExpiryMs(), std::optional<qint64>(500));
        book.remove(2); // harmless
        QCOMPARE(book.runningCount(), 1);
    }

    void expiredLeasesComeDueInOrderAndTheTaskStays()
    {
        LeaseBook book;
        book.add(1, running(1, 500));
        book.add(2, running(1, 200));
        QVERIFY(!book.takeDueExpiry(199));
        QCOMPARE(book.takeDueExpiry(600), std::optional<qint64>(2));
        QVERIFY(book.contains(2)); // the engine decides what the expiry means
        QCOMPARE(book.takeDueExpiry(600), std::optional<qint64>(1));
        QVERIFY(!book.takeDueExpiry(600));
        QVERIFY(!book.nextExpiryMs());
    }

    void extendingMovesTheExpiry()
    {
        LeaseBook book;
        book.add(1, running(1, 100));
        book.extend(1, 900);
        QCOMPARE(book.find(1)->expiresAtMs, 900);
        QVERIFY(!book.takeDueExpiry(500));
        QCOMPARE(book.takeDueExpiry(900), std::optional<qint64>(1));
        book.extend(7, 100); // not running: nothing
        QVERIFY(!book.nextExpiryMs());
    }

    void removingAQueue()
    {
        LeaseBook book;
        book.add(1, running(1, 100, QStringLiteral("a")));
        book.add(2, running(2, 200, QStringLiteral("b")));
        book.add(3, running(1, 300, QStringLiteral("c")));
        QStringList seen;
        book.removeQueue(1, [&seen](qint64 seq, const RunningTask &task) {
            seen.append(QStringLiteral("%1:%2").arg(seq).arg(task.workerId));
        });
        seen.sort();
        QCOMPARE(seen, (QStringList{QStringLiteral("1:a"), QStringLiteral("3:c")}));
        QCOMPARE(book.runningCount(), 1);
        QCOMPARE(book.nextExpiryMs(), std::optional<qint64>(200));
    }

    void clearingKeepsParkedWaiters()
    {
        LeaseBook book;
        book.add(1, running(1, 100));
        LeaseWaiter waiter;
        waiter.workerId = QStringLiteral("w");
        book.park(waiter);
        book.clearRunning();
        QCOMPARE(book.runningCount(), 0);
        QVERIFY(!book.nextExpiryMs());
        QCOMPARE(book.waiters().size(), size_t(1));
        QVERIFY(!book.waiters().front().isWithdrawn());
        book.waiters().front().withdrawn = std::make_shared<std::atomic<bool>>(true);
        QVERIFY(book.waiters().front().isWithdrawn());
    }
};

QTEST_GUILESS_MAIN(TestLeaseBook)
#include "tst_leasebook.moc"
