// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The event stream of the real `qdeck serve` over HTTP: stats, change events, chosen topics and
// changed cards, and what a refused token does to the stream.

#include "apitestsupport.h"
#include "enginefixture.h"
#include "eventstream.h"
#include "runsclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>

using namespace QueueDeck;
using namespace QueueDeck::Client;
using namespace QueueDeck::Testing;
using namespace Qt::StringLiterals;

class TestApiEvents final : public QObject
{
    Q_OBJECT

    ServerProcess m_server;
    std::unique_ptr<QueueDeckClient> m_admin;

private:
    // Opens the stream and waits (10 s at most) for its first refusal: why, and whether it
    // tries again.
    std::pair<QString, bool> firstRefusal(EventStream &stream)
    {
        QString reason;
        bool retrying = true;
        connect(&stream, &EventStream::connectionChanged, this,
                [&](bool connected, const QString &why, bool again) {
                    if (!connected && reason.isEmpty()) {
                        reason = why;
                        retrying = again;
                    }
                });
        stream.open();
        if (!QTest::qWaitFor([&] { return !reason.isEmpty(); }, 10000))
            return {QStringLiteral("(no refusal within 10 s)"), true};
        return {reason, retrying};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QFile::remove(QStringLiteral(RESPONSE_LOG));
        QVERIFY(m_server.start());
        m_admin = clientFor(m_server, m_server.adminToken());
    }

    // The event stream: stats each second, and a change event for each queue, worker and task
    // that changes; a refused token ends the stream's attempts.
    void eventStreamSendsChanges()
    {
        EventStream stream(ClientOptions{QUrl(m_server.url()), m_server.adminToken()});
        QList<std::pair<QByteArray, QJsonObject>> events;
        connect(&stream, &EventStream::event, this,
                [&events](const QByteArray &name, const QByteArray &data) {
                    events.append({name, QJsonDocument::fromJson(data).object()});
                });
        const auto seen = [&events](const char *name, const QString &key, const QString &value) {
            return std::any_of(events.cbegin(), events.cend(), [&](const auto &event) {
                return event.first == name && event.second.value(key).toString() == value;
            });
        };
        stream.open();
        QTRY_VERIFY_WITH_TIMEOUT(stream.isConnected(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(std::any_of(events.cbegin(), events.cend(),
                                             [](const auto &e) {
                                                 return e.first == "stats" &&
                                                        e.second.contains(QStringLiteral("cards"));
                                             }),
                                 10000);

        QD_AWAIT(queue, m_admin->createQueue(QStringLiteral("default"), QStringLiteral("watched")));
        QTRY_VERIFY_WITH_TIMEOUT(seen("queue", QStringLiteral("id"), queue.id), 10000);
        QD_AWAIT(command, m_admin->workerCommand(queue.id));
        auto joiner = clientFor(m_server, joinTokenOf(command));
        QD_AWAIT(registration, joiner->registerWorker(workerOn({queue.id})));
        QTRY_VERIFY_WITH_TIMEOUT(seen("worker", QStringLiteral("id"), registration.workerId),
                                 10000);
        QD_AWAIT(task, m_admin->enqueue(queue.id, job()));
        QTRY_VERIFY_WITH_TIMEOUT(seen("task", QStringLiteral("id"), task.id), 10000);
        const auto taskEvent = std::find_if(events.cbegin(), events.cend(), [&](const auto &e) {
            return e.first == "task" && e.second.value(QStringLiteral("id")).toString() == task.id;
        });
        QCOMPARE(taskEvent->second.value(QStringLiteral("queue_id")).toString(), queue.id);
        QCOMPARE(taskEvent->second.value(QStringLiteral("state")).toString(),
                 QStringLiteral("queued"));
        QD_AWAIT_VOID(m_admin->deregisterWorker(registration.workerId));
        QTRY_VERIFY_WITH_TIMEOUT(
            std::any_of(events.cbegin(), events.cend(),
                        [&](const auto &e) {
                            return e.first == "worker" &&
                                   e.second.value(QStringLiteral("removed")).toBool();
                        }),
            10000);

        EventStream refused(ClientOptions{QUrl(m_server.url()), QStringLiteral("qda_wrong")});
        const auto [reason, retrying] = firstRefusal(refused);
        QVERIFY(!reason.isEmpty());
        QVERIFY(!retrying);
    }

    void eventStreamSendsChosenTopicsAndChangedCards()
    {
        QD_AWAIT(quiet, m_admin->createQueue(QStringLiteral("default"), QStringLiteral("quiet")));
        QD_AWAIT(busy, m_admin->createQueue(QStringLiteral("default"), QStringLiteral("busy")));
        EventStream stream(ClientOptions{QUrl(m_server.url()), m_server.adminToken()});
        stream.setQuery("topics=stats&cards=changed");
        QList<std::pair<QByteArray, QJsonObject>> events;
        connect(&stream, &EventStream::event, this,
                [&events](const QByteArray &name, const QByteArray &data) {
                    events.append({name, QJsonDocument::fromJson(data).object()});
                });
        const auto cardIds = [](const QJsonObject &stats) {
            QStringList ids;
            for (const QJsonValue &card : stats.value(QStringLiteral("cards")).toArray())
                ids.append(card.toObject().value(QStringLiteral("id")).toString());
            return ids;
        };
        stream.open();
        // The first stats event has every card; the quiet ones are not sent again.
        QTRY_VERIFY_WITH_TIMEOUT(events.size() >= 3, 10000);
        const QJsonObject first = events.first().second;
        QVERIFY(first.value(QStringLiteral("changed_only")).toBool());
        const QJsonArray order = first.value(QStringLiteral("queue_ids")).toArray();
        QVERIFY(order.contains(quiet.id) && order.contains(busy.id));
        QCOMPARE(cardIds(first).size(), order.size());
        // A new queue's first one-second sample is a change; after it the quiet queue is quiet:
        // two stats events in a row without it.
        qsizetype settled = -1;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (qsizetype i = 1; i + 1 < events.size(); ++i) {
                    if (!cardIds(events[i].second).contains(quiet.id) &&
                        !cardIds(events[i + 1].second).contains(quiet.id)) {
                        settled = i;
                        return true;
                    }
                }
                return false;
            }(),
            10000);
        QD_AWAIT(task, m_admin->enqueue(busy.id, job()));
        const qsizetype before = events.size();
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (qsizetype i = before; i < events.size(); ++i) {
                    if (cardIds(events[i].second).contains(busy.id))
                        return true;
                }
                return false;
            }(),
            10000);
        // A changed card comes as its id and what changed: its counts, not its settings.
        QJsonObject busyPart;
        for (qsizetype i = before; i < events.size(); ++i) {
            for (const QJsonValue &card :
                 events[i].second.value(QStringLiteral("cards")).toArray()) {
                if (card.toObject().value(QStringLiteral("id")).toString() == busy.id &&
                    busyPart.isEmpty())
                    busyPart = card.toObject();
            }
        }
        QVERIFY(busyPart.contains(QStringLiteral("counts")));
        QVERIFY(!busyPart.contains(QStringLiteral("max_workers")));
        QVERIFY(!busyPart.contains(QStringLiteral("last")));
        // Every queue's newest second, in short: [depth, running, wait p50, p95, p99].
        const QJsonObject samples =
            events.last().second.value(QStringLiteral("samples")).toObject();
        QVERIFY(samples.contains(quiet.id));
        QCOMPARE(samples.value(busy.id).toArray().size(), 5);
        // Two more stats events: the quiet queue is not in them either.
        const qsizetype seen = events.size();
        QTRY_VERIFY_WITH_TIMEOUT(events.size() >= seen + 2, 10000);
        for (qsizetype i = 0; i < events.size(); ++i) {
            QCOMPARE(events[i].first, QByteArray("stats")); // no queue, worker, task: not asked
            if (i >= settled) {
                QVERIFY(!cardIds(events[i].second).contains(quiet.id));
                QCOMPARE(events[i].second.value(QStringLiteral("queue_ids")).toArray(), order);
            }
        }

        EventStream wrong(ClientOptions{QUrl(m_server.url()), m_server.adminToken()});
        wrong.setQuery("topics=stats,weather");
        const auto [reason, retrying] = firstRefusal(wrong);
        QVERIFY2(reason.contains(u"unknown topic weather"), qPrintable(reason));
        QVERIFY(!retrying); // a mistake in the request is not tried again
        Q_UNUSED(task);
    }

    // Two readers of changed cards get the same bytes each second; a change goes to each once,
    // in the same event, and not again while nothing else changes; the later reader first gets
    // every card whole.
    void eventHubSendsEachChangeOnceToEveryReader()
    {
        QD_AWAIT(queue, m_admin->createQueue(QStringLiteral("default"), QStringLiteral("shared")));
        EventStream first(ClientOptions{QUrl(m_server.url()), m_server.adminToken()});
        EventStream second(ClientOptions{QUrl(m_server.url()), m_server.adminToken()});
        QList<QByteArray> firstEvents, secondEvents;
        for (auto [stream, events] : {std::pair{&first, &firstEvents}, {&second, &secondEvents}}) {
            stream->setQuery("topics=stats&cards=changed");
            connect(stream, &EventStream::event, this,
                    [events](const QByteArray &, const QByteArray &data) { events->append(data); });
        }
        const auto cards = [](const QByteArray &data) {
            QStringList ids;
            for (const QJsonValue &card :
                 QJsonDocument::fromJson(data).object().value(QStringLiteral("cards")).toArray())
                ids.append(card.toObject().value(QStringLiteral("id")).toString());
            return ids;
        };
        first.open();
        QTRY_VERIFY_WITH_TIMEOUT(firstEvents.size() >= 2, 10000);
        second.open();
        QTRY_VERIFY_WITH_TIMEOUT(!secondEvents.isEmpty(), 10000);
        const QStringList everyCard = [&] {
            QStringList ids;
            for (const QJsonValue &id : QJsonDocument::fromJson(secondEvents.first())
                                            .object()
                                            .value(QStringLiteral("queue_ids"))
                                            .toArray())
                ids.append(id.toString());
            return ids;
        }();
        QCOMPARE(cards(secondEvents.first()), everyCard); // every card whole, first
        // Wait for a second without the new queue on both, then change it.
        QTRY_VERIFY_WITH_TIMEOUT(secondEvents.size() >= 2 &&
                                     !cards(secondEvents.last()).contains(queue.id) &&
                                     !cards(firstEvents.last()).contains(queue.id),
                                 10000);
        const qsizetype firstFrom = firstEvents.size(), secondFrom = secondEvents.size();
        QD_AWAIT_VOID(m_admin->pauseQueue(queue.id));
        // Three more seconds on both.
        QTRY_VERIFY_WITH_TIMEOUT(
            firstEvents.size() >= firstFrom + 3 && secondEvents.size() >= secondFrom + 3, 10000);
        const auto carrying = [&](const QList<QByteArray> &events, qsizetype from) {
            QList<QByteArray> out;
            for (qsizetype i = from; i < events.size(); ++i) {
                if (cards(events[i]).contains(queue.id))
                    out.append(events[i]);
            }
            return out;
        };
        const QList<QByteArray> toFirst = carrying(firstEvents, firstFrom);
        const QList<QByteArray> toSecond = carrying(secondEvents, secondFrom);
        QCOMPARE(toFirst.size(), 1);
        QCOMPARE(toSecond.size(), 1);
        QCOMPARE(toFirst.first(), toSecond.first()); // one encoding for both
    }
};

QTEST_GUILESS_MAIN(TestApiEvents)
#include "tst_apievents.moc"
