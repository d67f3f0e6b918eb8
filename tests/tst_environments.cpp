// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// Environments through the HTTP API: deleting one (refused for default and while it holds
// queues), and the `environment` filter of the dashboard (its cards and KPIs), the queue list and
// the event stream.

#include "apifixture.h"
#include "eventstream.h"
#include "queuedeckclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>

using namespace QueueDeck;
using namespace QueueDeck::Client;
using namespace QueueDeck::Testing;

class TestEnvironments final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void deleteIsRefusedWhileQueuesExist()
    {
        ApiFixture server;
        QVERIFY(server.start());
        QueueDeckClient client({server.url(), server.token()});
        QD_AWAIT(staging, client.createEnvironment({QStringLiteral("staging"),
                                                    QStringLiteral("pre-release"), false, 0}));
        QCOMPARE(staging.description, QStringLiteral("pre-release"));
        QVERIFY(!staging.autoCreate);
        QD_AWAIT(queue, client.createQueue(QStringLiteral("staging"), QStringLiteral("mail")));

        auto refused = client.deleteEnvironment(QStringLiteral("staging")).result();
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, ErrorCode::FailedPrecondition);
        QVERIFY2(refused.error().message.contains(u"mail") &&
                     refused.error().message.contains(u"delete them first"),
                 qPrintable(refused.error().message));
        auto defaultRefused = client.deleteEnvironment(QStringLiteral("default")).result();
        QVERIFY(!defaultRefused);
        QCOMPARE(defaultRefused.error().code, ErrorCode::FailedPrecondition);
        auto unknown = client.deleteEnvironment(QStringLiteral("nowhere")).result();
        QVERIFY(!unknown);
        QCOMPARE(unknown.error().code, ErrorCode::NotFound);

        QD_AWAIT_VOID(client.deleteQueue(queue.id));
        QD_AWAIT_VOID(client.deleteEnvironment(QStringLiteral("staging")));
        QD_AWAIT(left, client.listEnvironments());
        QCOMPARE(left.size(), 1);
        QCOMPARE(left.first().name, QStringLiteral("default"));
        // Gone for good: a restart does not bring it back.
        QD_AWAIT(again, client.createEnvironment({QStringLiteral("staging"), {}, true, 0}));
        QCOMPARE(again.name, QStringLiteral("staging"));
    }

    void dashboardAndQueueListFilterByEnvironment()
    {
        ApiFixture server;
        QVERIFY(server.start());
        QueueDeckClient client({server.url(), server.token()});
        QD_AWAIT_VOID(client.createEnvironment({QStringLiteral("prod"), {}, true, 0}));
        QD_AWAIT(mail, client.createQueue(QStringLiteral("prod"), QStringLiteral("mail")));
        QueueSettings unlimited;
        unlimited.maxWorkers = 3;
        QD_AWAIT(video,
                 client.createQueue(QStringLiteral("prod"), QStringLiteral("video"), unlimited));
        QD_AWAIT_VOID(client.enqueue(mail.id, job()));

        QD_AWAIT(all, client.dashboard());
        QCOMPARE(all.queueCount, 3); // default/default too
        QD_AWAIT(prod, client.dashboard(QStringLiteral("prod")));
        QCOMPARE(prod.queueCount, 2);
        QCOMPARE(prod.cards.size(), 2);
        for (const QueueCard &card : prod.cards)
            QCOMPARE(card.queue.environment, QStringLiteral("prod"));
        QCOMPARE(prod.capacity, 10 + 3);
        QD_AWAIT(other, client.dashboard(QStringLiteral("default")));
        QCOMPARE(other.queueCount, 1);
        auto missing = client.dashboard(QStringLiteral("nowhere")).result();
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, ErrorCode::NotFound);

        QD_AWAIT(listed,
                 client.call("GET", QStringLiteral("/api/v1/worker-queues?environment=prod")));
        QCOMPARE(listed.value(QStringLiteral("items")).toArray().size(), 2);
        QD_AWAIT(everything, client.call("GET", QStringLiteral("/api/v1/worker-queues")));
        QCOMPARE(everything.value(QStringLiteral("items")).toArray().size(), 3);
    }

    void eventStreamFiltersByEnvironment()
    {
        ApiFixture server;
        QVERIFY(server.start());
        QueueDeckClient client({server.url(), server.token()});
        QD_AWAIT_VOID(client.createEnvironment({QStringLiteral("prod"), {}, true, 0}));
        QD_AWAIT(mail, client.createQueue(QStringLiteral("prod"), QStringLiteral("mail")));
        EventStream stream(ClientOptions{server.url(), server.token()});
        stream.setQuery("topics=stats,queue&environment=prod");
        QList<std::pair<QByteArray, QJsonObject>> events;
        connect(&stream, &EventStream::event, this,
                [&events](const QByteArray &name, const QByteArray &data) {
                    events.append({name, QJsonDocument::fromJson(data).object()});
                });
        stream.open();
        QTRY_VERIFY_WITH_TIMEOUT(!events.isEmpty(), 10000);
        // A queue of another environment changes: not told; one of prod: told.
        QD_AWAIT(elsewhere, client.createQueue(QStringLiteral("default"), QStringLiteral("other")));
        QD_AWAIT(reports, client.createQueue(QStringLiteral("prod"), QStringLiteral("reports")));
        const auto sawQueue = [&events](const QString &id) {
            for (const auto &[name, object] : events) {
                if (name == "queue" && object.value(QStringLiteral("id")).toString() == id)
                    return true;
            }
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(sawQueue(reports.id), 10000);
        const qsizetype seen = events.size();
        QTRY_VERIFY_WITH_TIMEOUT(events.size() >= seen + 2, 10000); // two more seconds of stats
        QVERIFY(!sawQueue(elsewhere.id));
        for (const auto &[name, object] : events) {
            if (name != "stats")
                continue;
            const QJsonArray cards = object.value(QStringLiteral("cards")).toArray();
            QCOMPARE(object.value(QStringLiteral("queues")).toInt(), int(cards.size()));
            for (const QJsonValue &card : cards)
                QCOMPARE(card.toObject().value(QStringLiteral("environment")).toString(),
                         QStringLiteral("prod"));
        }
        QCOMPARE(events.last().second.value(QStringLiteral("queues")).toInt(), 2);
        Q_UNUSED(mail);
    }
};

QTEST_GUILESS_MAIN(TestEnvironments)
#include "tst_environments.moc"
