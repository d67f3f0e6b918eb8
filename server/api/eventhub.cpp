// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "eventhub.h"

#include "engine.h"
#include "protocol/codec.h"
#include "protocol/dashboarddelta.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTimer>

namespace QueueDeck::Api {

namespace {
constexpr int StatsIntervalMs = 1000;
constexpr int ChangesIntervalMs = 250;

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}
} // namespace

EventHub::EventHub(Engine &engine, QObject *parent)
    : QObject(parent), m_engine(engine), m_statsTimer(new QTimer(this)),
      m_changesTimer(new QTimer(this))
{
    m_statsTimer->setInterval(StatsIntervalMs);
    connect(m_statsTimer, &QTimer::timeout, this, &EventHub::broadcastStats);
    m_changesTimer->setInterval(ChangesIntervalMs);
    connect(m_changesTimer, &QTimer::timeout, this, &EventHub::broadcastChanges);
}

EventHub::~EventHub() = default;

void EventHub::addReader(const Http::HttpResponder &stream, QList<QByteArray> topics,
                         bool changedCardsOnly, const QString &environment)
{
    stream.startEventStream();
    m_readers.append(Reader{stream, std::move(topics), changedCardsOnly, environment, true});
    if (!m_running) {
        start();
        broadcastChanges(); // the first look is the baseline later changes are measured from
    }
    broadcastStats();
}

void EventHub::start()
{
    m_running = true;
    m_statsTimer->start();
    m_changesTimer->start();
}

void EventHub::stop()
{
    m_running = false;
    m_statsTimer->stop();
    m_changesTimer->stop();
}

void EventHub::broadcastStats()
{
    m_readers.removeIf([](const Reader &reader) { return !reader.stream.isOpen(); });
    if (m_readers.isEmpty()) {
        stop();
        return;
    }
    QSet<QString> environments;
    QSet<QString> changedOnly; // the environments with readers of changed cards
    for (const Reader &reader : std::as_const(m_readers)) {
        if (!reader.wants("stats"))
            continue;
        environments.insert(reader.environment);
        if (reader.changedCardsOnly)
            changedOnly.insert(reader.environment);
    }
    for (const QString &environment : std::as_const(environments)) {
        if (changedOnly.contains(environment)) {
            // The engine says which cards changed since this environment's previous tick.
            m_engine.dashboardChanges(environment)
                .then(this, [this, environment](const Result<DashboardChanges> &changes) {
                    if (changes)
                        sendStats(changes->now, &changes->changed, environment);
                });
        } else {
            m_engine.dashboard(environment)
                .then(this, [this, environment](const Result<DashboardSnapshot> &snapshot) {
                    if (snapshot)
                        sendStats(*snapshot, nullptr, environment);
                });
        }
    }
}

void EventHub::sendStats(const DashboardSnapshot &snapshot, const QList<ChangedCard> *changed,
                         const QString &environment)
{
    QByteArray fullData;     // every card with its sample: for readers of every card
    QByteArray changedData;  // the cards changed since the previous tick, made once
    QByteArray allCardsData; // every card whole, for a reader that just came
    const auto ofThisStats = [&environment](const Reader &reader) {
        return reader.wants("stats") && reader.environment == environment;
    };
    for (Reader &reader : m_readers) {
        // A reader of changed cards takes its cards from the engine's looks only (it came after
        // this tick asked the engine): the deltas after them are measured from those looks.
        if (!ofThisStats(reader) || (reader.changedCardsOnly && !changed))
            continue;
        if (!reader.changedCardsOnly) {
            if (fullData.isEmpty())
                fullData = compact(Codec::toJson(snapshot));
            reader.stream.sendEvent("stats", fullData);
        } else if (reader.wantsAllCards) {
            if (allCardsData.isEmpty()) {
                QList<QJsonObject> all;
                all.reserve(snapshot.cards.size());
                for (const QueueCard &card : snapshot.cards)
                    all.append(DashboardDelta::cardObject(card));
                allCardsData = DashboardDelta::encode(snapshot, all);
            }
            reader.wantsAllCards = false;
            reader.stream.sendEvent("stats", allCardsData);
        } else {
            if (changedData.isEmpty()) {
                // Only the cards the engine named are encoded, each as the fields that changed.
                QList<QJsonObject> parts;
                parts.reserve(changed->size());
                for (const ChangedCard &card : *changed) {
                    const QueueCard &now = snapshot.cards.at(card.index);
                    QJsonObject part =
                        DashboardDelta::cardPart(now, card.before ? &*card.before : nullptr);
                    if (!part.isEmpty())
                        parts.append(std::move(part));
                }
                changedData = DashboardDelta::encode(snapshot, parts);
            }
            reader.stream.sendEvent("stats", changedData);
        }
    }
}

// One event per queue, worker and task that changed. A removed queue or worker comes as
// {"id", "removed": true}; task changes beyond the engine's cap per look come as one `overflow`
// event, after which a client reloads its task lists.
void EventHub::broadcastChanges()
{
    if (m_readers.isEmpty())
        return;
    m_engine.takeChanges().then(this, [this](const Result<ChangeSet> &changes) {
        if (!changes)
            return;
        QList<std::pair<QByteArray, QByteArray>> events;
        QList<QString> eventEnvironment; // of each event: a queue's environment, else empty
        const auto removed = [](const QString &id) {
            return compact(
                QJsonObject{{QStringLiteral("id"), id}, {QStringLiteral("removed"), true}});
        };
        for (const QueueInfo &queue : changes->queues) {
            events.append({"queue", compact(Codec::toJson(queue))});
            eventEnvironment.resize(events.size() - 1);
            eventEnvironment.append(queue.environment);
        }
        for (const QString &id : changes->removedQueues)
            events.append({"queue", removed(id)});
        for (const WorkerInfo &worker : changes->workers)
            events.append({"worker", compact(Codec::toJson(worker))});
        for (const QString &id : changes->removedWorkers)
            events.append({"worker", removed(id)});
        for (const TaskChange &task : changes->tasks)
            events.append({"task", compact(QJsonObject{{QStringLiteral("id"), task.id},
                                                       {QStringLiteral("queue_id"), task.queueId},
                                                       {QStringLiteral("state"), task.state}})});
        if (changes->droppedTasks > 0)
            events.append({"overflow", compact(QJsonObject{{QStringLiteral("dropped_tasks"),
                                                            changes->droppedTasks}})});
        eventEnvironment.resize(events.size());
        for (const Reader &reader : std::as_const(m_readers)) {
            for (qsizetype i = 0; i < events.size(); ++i) {
                const auto &[event, data] = events.at(i);
                if (!reader.wants(event))
                    continue;
                if (!reader.environment.isEmpty() && !eventEnvironment.at(i).isEmpty() &&
                    eventEnvironment.at(i) != reader.environment)
                    continue;
                reader.stream.sendEvent(event, data);
            }
        }
    });
}

} // namespace QueueDeck::Api
