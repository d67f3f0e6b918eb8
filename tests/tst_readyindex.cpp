// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "readyindex.h"

#include <QTest>

using namespace QueueDeck;

namespace {

QList<qint64> drain(ReadyIndex &index, const QString &worker = QStringLiteral("w"),
                    const Labels &labels = {}, int maxPerKey = 0,
                    QHash<QString, int> *running = nullptr)
{
    QList<qint64> order;
    while (auto task = index.take(worker, labels, maxPerKey, [running](const QString &key) {
        return running ? running->value(key) : 0;
    })) {
        order.append(task->seq);
        if (running && !task->concurrencyKey.isEmpty())
            ++(*running)[task->concurrencyKey];
    }
    return order;
}

} // namespace

class TestReadyIndex final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void priorityThenFifo()
    {
        ReadyIndex index;
        index.insert({1, 100, 0, {}});
        index.insert({2, 50, 0, {}});
        index.insert({3, 200, 5, {}});
        index.insert({4, 300, -5, {}});
        index.insert({5, 100, 0, {}});
        QCOMPARE(index.size(), 5);
        QCOMPARE(index.oldestOrderMs(), qint64(50));
        QCOMPARE(drain(index), (QList<qint64>{3, 2, 1, 5, 4}));
        QVERIFY(index.isEmpty());
    }
    void keysTakeTurns()
    {
        ReadyIndex index;
        // Customer a sends 4 tasks before b sends 2: a and b alternate instead of a going first.
        index.insert({1, 10, 0, QStringLiteral("a")});
        index.insert({2, 11, 0, QStringLiteral("a")});
        index.insert({3, 12, 0, QStringLiteral("a")});
        index.insert({4, 13, 0, QStringLiteral("a")});
        index.insert({5, 14, 0, QStringLiteral("b")});
        index.insert({6, 15, 0, QStringLiteral("b")});
        QCOMPARE(drain(index), (QList<qint64>{1, 5, 2, 6, 3, 4}));
    }
    void maxPerKeyParksLane()
    {
        ReadyIndex index;
        index.insert({1, 10, 0, QStringLiteral("a")});
        index.insert({2, 11, 0, QStringLiteral("a")});
        index.insert({3, 12, 0, QStringLiteral("b")});
        QHash<QString, int> running;
        // With max_per_key 1 only one task of a key runs: a's second task waits.
        QCOMPARE(drain(index, QStringLiteral("w"), {}, 1, &running), (QList<qint64>{1, 3}));
        QCOMPARE(index.size(), 1);
        running[QStringLiteral("a")] = 0;
        index.keyReleased(QStringLiteral("a"));
        QCOMPARE(drain(index, QStringLiteral("w"), {}, 1, &running), (QList<qint64>{2}));
    }
    void eraseKeepsOrder()
    {
        ReadyIndex index;
        index.insert({1, 10, 0, {}});
        index.insert({2, 11, 0, {}});
        index.insert({3, 12, 0, {}});
        QVERIFY(index.erase({2, 11, 0, {}}));
        QVERIFY(!index.erase({2, 11, 0, {}}));
        QCOMPARE(drain(index), (QList<qint64>{1, 3}));
    }
    void routedTasksGoToMatchingWorkers()
    {
        ReadyIndex index;
        Routing gpu{{{QStringLiteral("gpu"), QStringLiteral("true")}}, {}};
        Routing named{{}, QStringLiteral("host-7")};
        index.insert({1, 10, 0, {}}, &gpu);
        index.insert({2, 11, 0, {}}, &named);
        index.insert({3, 12, 0, {}});
        // A plain worker gets only the unrouted task.
        QCOMPARE(drain(index, QStringLiteral("plain")), (QList<qint64>{3}));
        QCOMPARE(index.size(), 2);
        QCOMPARE(drain(index, QStringLiteral("host-7")), (QList<qint64>{2}));
        QCOMPARE(
            drain(index, QStringLiteral("x"), {{QStringLiteral("gpu"), QStringLiteral("false")}}),
            QList<qint64>{});
        QCOMPARE(
            drain(index, QStringLiteral("x"), {{QStringLiteral("gpu"), QStringLiteral("true")}}),
            QList<qint64>{1});
    }
    void labelMatching()
    {
        QVERIFY(labelsMatch({}, {{QStringLiteral("a"), QStringLiteral("1")}}));
        QVERIFY(labelsMatch({{QStringLiteral("a"), QStringLiteral("1")}},
                            {{QStringLiteral("a"), QStringLiteral("1")},
                             {QStringLiteral("b"), QStringLiteral("2")}}));
        QVERIFY(!labelsMatch({{QStringLiteral("a"), QStringLiteral("1")}},
                             {{QStringLiteral("a"), QStringLiteral("2")}}));
        QVERIFY(!labelsMatch({{QStringLiteral("a"), QStringLiteral("1")}}, {}));
    }
};

QTEST_GUILESS_MAIN(TestReadyIndex)
#include "tst_readyindex.moc"
