// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The changed-cards `stats` event (protocol/dashboarddelta.h): what of a card goes out when it
// changed, and that what the server encodes the client reads back to the same cards.

#include "protocol/dashboarddelta.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <functional>

using namespace QueueDeck;

namespace {

QueueCard card(const QString &id, const QString &name)
{
    QueueCard c;
    c.queue.id = id;
    c.queue.environment = QStringLiteral("default");
    c.queue.name = name;
    c.queue.createdAtMs = 1'700'000'000'000;
    c.queue.settings.maxWorkers = 10;
    c.last.atMs = 1'700'000'100'000;
    return c;
}

using Change = std::function<void(QueueCard &)>;

} // namespace

Q_DECLARE_METATYPE(Change)

class TestDashboardDelta final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // What a reader that knew a card gets of it after a change: its id and the changed fields.
    void cardPart_data()
    {
        QTest::addColumn<Change>("change");
        QTest::addColumn<QStringList>("fields"); // besides "id"; empty: nothing is sent
        QTest::newRow("nothing") << Change([](QueueCard &) {}) << QStringList();
        QTest::newRow("only its newest second")
            << Change([](QueueCard &c) { c.last.depth = 7; }) << QStringList();
        QTest::newRow("only the join token, not on the card")
            << Change([](QueueCard &c) { c.queue.joinToken = QStringLiteral("qdj_x"); })
            << QStringList();
        QTest::newRow("queued") << Change([](QueueCard &c) { c.queue.counts.queued = 3; })
                                << QStringList{QStringLiteral("counts")};
        QTest::newRow("a worker came") << Change([](QueueCard &c) {
            c.queue.counts.workersOnline = 1;
            c.queue.status = QueueStatus::Active;
        }) << QStringList{QStringLiteral("status"), QStringLiteral("workers")};
        QTest::newRow("max workers")
            << Change([](QueueCard &c) { c.queue.settings.maxWorkers = 4; })
            << QStringList{QStringLiteral("max_workers"), QStringLiteral("workers")};
        QTest::newRow("renamed") << Change([](QueueCard &c) { c.queue.name = QStringLiteral("b"); })
                                 << QStringList{QStringLiteral("name")};
        QTest::newRow("rates") << Change([](QueueCard &c) {
            c.addRate = 2.5;
            c.waitP95Ms = 40;
        }) << QStringList{QStringLiteral("add_rate"), QStringLiteral("wait_p95_ms")};
    }
    void cardPart()
    {
        QFETCH(Change, change);
        QFETCH(QStringList, fields);
        const QueueCard before = card(QStringLiteral("q_a"), QStringLiteral("a"));
        QueueCard now = before;
        change(now);
        const QJsonObject part = DashboardDelta::cardPart(now, &before);
        if (fields.isEmpty()) {
            QVERIFY2(part.isEmpty(), QJsonDocument(part).toJson().constData());
            return;
        }
        QStringList keys = part.keys();
        QVERIFY(keys.removeOne(QStringLiteral("id")));
        fields.sort();
        QCOMPARE(keys, fields);
        // The reader completes it from the card it knew.
        auto read = DashboardDelta::card(part, &before);
        QVERIFY(read);
        now.last = {};
        now.queue.joinToken.clear();
        QVERIFY(DashboardDelta::sameCard(*read, now));
    }

    // A new card goes whole, without its sample; every card's sample is in "samples".
    void encodesAndDecodes()
    {
        DashboardSnapshot snapshot;
        snapshot.activeWorkers = 2;
        snapshot.queueCount = 2;
        snapshot.total.atMs = 1'700'000'100'000;
        snapshot.updatedAtMs = snapshot.total.atMs;
        QueueCard a = card(QStringLiteral("q_a"), QStringLiteral("a"));
        QueueCard b = card(QStringLiteral("q_b"), QStringLiteral("b"));
        b.last.depth = 4;
        b.last.running = 1;
        b.last.waitP95Ms = 30;
        snapshot.cards = {a, b};
        const QByteArray text =
            DashboardDelta::encode(snapshot, {DashboardDelta::cardPart(b, nullptr)});
        const QJsonObject event = QJsonDocument::fromJson(text).object();
        QVERIFY(event.value(QStringLiteral("changed_only")).toBool());
        QCOMPARE(event.value(QStringLiteral("queue_ids")).toArray(),
                 (QJsonArray{QStringLiteral("q_a"), QStringLiteral("q_b")}));
        QCOMPARE(event.value(QStringLiteral("samples")).toObject().value(QStringLiteral("q_b")),
                 QJsonValue(QJsonArray{4, 1, 0, 30, 0}));
        QVERIFY(!event.value(QStringLiteral("cards"))
                     .toArray()
                     .first()
                     .toObject()
                     .contains(QStringLiteral("last")));

        auto delta = DashboardDelta::decode(event);
        QVERIFY(delta);
        QCOMPARE(delta->kpis.activeWorkers, 2);
        QVERIFY(delta->kpis.cards.isEmpty());
        QCOMPARE(delta->queueIds, (QStringList{QStringLiteral("q_a"), QStringLiteral("q_b")}));
        QCOMPARE(delta->cards.size(), 1);
        QCOMPARE(delta->samples.value(QStringLiteral("q_b")).depth, 4);
        QCOMPARE(delta->samples.value(QStringLiteral("q_b")).atMs, snapshot.total.atMs);
        auto read = DashboardDelta::card(delta->cards.first(), nullptr);
        QVERIFY(read);
        QVERIFY(DashboardDelta::sameCard(*read, b));
        // A changed part of a card the reader never knew cannot be read.
        QVERIFY(!DashboardDelta::card(QJsonObject{{QStringLiteral("id"), QStringLiteral("q_c")},
                                                  {QStringLiteral("name"), QStringLiteral("c")}},
                                      nullptr));
    }
};

QTEST_GUILESS_MAIN(TestDashboardDelta)
#include "tst_dashboarddelta.moc"
