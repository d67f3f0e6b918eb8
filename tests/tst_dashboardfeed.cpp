// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The client's dashboard feed fed a scripted sequence of events: the typed changes it says, a
// removed queue, a reconnect that brings every card again, and the change events it gathers.

#include "dashboardfeed.h"

#include "protocol/codec.h"
#include "protocol/dashboarddelta.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace QueueDeck;
using namespace QueueDeck::Client;

namespace {

QueueCard card(const QString &id, qint64 queued = 0)
{
    QueueCard c;
    c.queue.id = id;
    c.queue.environment = QStringLiteral("default");
    c.queue.name = id.mid(2);
    c.queue.createdAtMs = 1'700'000'000'000;
    c.queue.counts.queued = queued;
    return c;
}

DashboardSnapshot snapshotOf(const QList<QueueCard> &cards, qint64 second)
{
    DashboardSnapshot s;
    s.queueCount = int(cards.size());
    s.total.atMs = 1'700'000'000'000 + second * 1000;
    s.updatedAtMs = s.total.atMs;
    s.cards = cards;
    for (QueueCard &c : s.cards) {
        c.last.atMs = s.total.atMs;
        c.last.depth = c.queue.counts.queued;
    }
    return s;
}

// The server's event for `now` after `before` (nullptr: a new reader, every card whole).
QByteArray statsEvent(const DashboardSnapshot &now, const DashboardSnapshot *before)
{
    QList<QJsonObject> parts;
    for (const QueueCard &c : now.cards) {
        const QueueCard *old = nullptr;
        if (before) {
            for (const QueueCard &b : before->cards) {
                if (b.queue.id == c.queue.id)
                    old = &b;
            }
        }
        QJsonObject part = DashboardDelta::cardPart(c, old);
        if (!part.isEmpty())
            parts.append(part);
    }
    return DashboardDelta::encode(now, parts);
}

QStringList idsOf(const QList<QueueCard> &cards)
{
    QStringList ids;
    for (const QueueCard &c : cards)
        ids.append(c.queue.id);
    return ids;
}

} // namespace

class TestDashboardFeed final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void mergesIntoTypedChanges()
    {
        DashboardFeed feed(ClientOptions{QUrl(QStringLiteral("http://127.0.0.1:1"))});
        QList<DashboardUpdate> updates;
        connect(&feed, &DashboardFeed::dashboardUpdated, this,
                [&updates](const DashboardUpdate &update) { updates.append(update); });

        // A new reader: every card whole.
        const DashboardSnapshot first =
            snapshotOf({card(QStringLiteral("q_a")), card(QStringLiteral("q_b"))}, 1);
        feed.handleEvent("stats", statsEvent(first, nullptr));
        QCOMPARE(updates.size(), 1);
        QCOMPARE(idsOf(updates[0].added),
                 (QStringList{QStringLiteral("q_a"), QStringLiteral("q_b")}));
        QVERIFY(updates[0].changed.isEmpty());
        QVERIFY(updates[0].orderChanged);
        QCOMPARE(idsOf(feed.snapshot().cards), idsOf(first.cards));

        // Nothing changed: no card is reported, the samples still move on.
        const DashboardSnapshot quiet = snapshotOf(first.cards, 2);
        feed.handleEvent("stats", statsEvent(quiet, &first));
        QCOMPARE(updates.size(), 2);
        QVERIFY(updates[1].added.isEmpty() && updates[1].changed.isEmpty() &&
                updates[1].removed.isEmpty());
        QVERIFY(!updates[1].orderChanged);
        QCOMPARE(feed.snapshot().cards[0].last.atMs, quiet.total.atMs);

        // b got work: b alone changed, decoded whole from its part.
        const DashboardSnapshot busy =
            snapshotOf({card(QStringLiteral("q_a")), card(QStringLiteral("q_b"), 5)}, 3);
        feed.handleEvent("stats", statsEvent(busy, &quiet));
        QCOMPARE(idsOf(updates[2].changed), QStringList{QStringLiteral("q_b")});
        QCOMPARE(updates[2].changed[0].queue.counts.queued, 5);
        QCOMPARE(updates[2].changed[0].queue.name, QStringLiteral("b"));
        QCOMPARE(feed.snapshot().cards[1].last.depth, 5);

        // a was deleted, c created.
        const DashboardSnapshot moved =
            snapshotOf({card(QStringLiteral("q_b"), 5), card(QStringLiteral("q_c"))}, 4);
        feed.handleEvent("stats", statsEvent(moved, &busy));
        QCOMPARE(updates[3].removed, QStringList{QStringLiteral("q_a")});
        QCOMPARE(idsOf(updates[3].added), QStringList{QStringLiteral("q_c")});
        QVERIFY(updates[3].changed.isEmpty());
        QVERIFY(updates[3].orderChanged);
        QCOMPARE(idsOf(feed.snapshot().cards), idsOf(moved.cards));

        // A reconnect: the new stream brings every card whole. Only what differs from what was
        // known is reported: c changed meanwhile, b did not, d is new, nothing else is gone.
        const DashboardSnapshot again =
            snapshotOf({card(QStringLiteral("q_b"), 5), card(QStringLiteral("q_c"), 2),
                        card(QStringLiteral("q_d"))},
                       9);
        feed.handleEvent("stats", statsEvent(again, nullptr));
        QCOMPARE(idsOf(updates[4].changed), QStringList{QStringLiteral("q_c")});
        QCOMPARE(idsOf(updates[4].added), QStringList{QStringLiteral("q_d")});
        QVERIFY(updates[4].removed.isEmpty());

        // A whole event (a reader of every card) is read the same way: b removed.
        const DashboardSnapshot whole =
            snapshotOf({card(QStringLiteral("q_c"), 2), card(QStringLiteral("q_d"))}, 10);
        feed.handleEvent("stats", QJsonDocument(Codec::toJson(whole)).toJson());
        QCOMPARE(updates[5].removed, QStringList{QStringLiteral("q_b")});
        QVERIFY(updates[5].changed.isEmpty() && updates[5].added.isEmpty());
        QCOMPARE(feed.snapshot().cards.size(), 2);
    }

    // queue, worker and task events of one look come as one ChangeSet; overflow on its own.
    void gathersChangeEvents()
    {
        DashboardFeed feed(ClientOptions{QUrl(QStringLiteral("http://127.0.0.1:1"))});
        QSignalSpy changes(&feed, &DashboardFeed::changesArrived);
        QSignalSpy overflowed(&feed, &DashboardFeed::overflowed);
        feed.handleEvent("worker", R"({"id":"w1","removed":true})");
        feed.handleEvent("task", R"({"id":"t_1","queue_id":"q_a","state":"queued"})");
        feed.handleEvent("queue", R"({"id":"q_a","removed":true})");
        feed.handleEvent("overflow", R"({"dropped_tasks":3})");
        QCOMPARE(overflowed.size(), 1);
        QTRY_COMPARE(changes.size(), 1);
        const auto set = changes.first().first().value<ChangeSet>();
        QCOMPARE(set.removedWorkers, QStringList{QStringLiteral("w1")});
        QCOMPARE(set.removedQueues, QStringList{QStringLiteral("q_a")});
        QCOMPARE(set.tasks.size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestDashboardFeed)
#include "tst_dashboardfeed.moc"
