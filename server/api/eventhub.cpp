// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "eventhub.h"

#include "engine.h"
#include "protocol/codec.h"

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
    m_readers.append(Reader{stream, std::move(topics), changedCardsOnly, environment, {}});
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
    for (const Reader &reader : std::as_const(m_readers)) {
        if (reader.wants("stats"))
            environments.insert(reader.environment);
    }
    for (const QString &environment : std::as_const(environments)) {
        m_engine.dashboard(environment)
            .then(this, [this, environment](const Result<DashboardSnapshot> &snapshot) {
                if (snapshot)
                    sendStats(*snapshot, environment);
            });
    }
}

void EventHub::sendStats(const DashboardSnapshot &snapshot, const QString &environment)
{
    {
        QJsonObject full = Codec::toJson(snapshot);
        QByteArray fullData; // made once, when a reader wants every card
        // Readers of changed cards only get the KPIs, every queue id in order, each queue's
        // newest sample as [depth, running, wait p50, p95, p99], and of the cards (without their
        // sample) only what differs from what they were sent: a new card whole, a changed one
        // as its id and the fields that changed.
        QList<std::pair<QString, QJsonObject>> cards;
        QJsonArray ids;
        QJsonObject samples;
        const bool anyChangedOnly =
            std::any_of(m_readers.cbegin(), m_readers.cend(), [&environment](const Reader &r) {
                return r.changedCardsOnly && r.wants("stats") && r.environment == environment;
            });
        if (anyChangedOnly) {
            for (const QueueCard &card : snapshot.cards) {
                const MetricSample &last = card.last;
                samples.insert(card.queue.id, QJsonArray{last.depth, last.running, last.waitP50Ms,
                                                         last.waitP95Ms, last.waitP99Ms});
            }
            for (const QJsonValue &value : full.value(QStringLiteral("cards")).toArray()) {
                QJsonObject object = value.toObject();
                object.remove(QStringLiteral("last"));
                const QString id = object.value(QStringLiteral("id")).toString();
                ids.append(id);
                cards.append({id, object});
            }
        }
        for (Reader &reader : m_readers) {
            if (!reader.wants("stats") || reader.environment != environment)
                continue;
            if (!reader.changedCardsOnly) {
                if (fullData.isEmpty())
                    fullData = compact(full);
                reader.stream.sendEvent("stats", fullData);
                continue;
            }
            QJsonArray changed;
            QHash<QString, QJsonObject> sent;
            sent.reserve(cards.size());
            for (const auto &[id, object] : std::as_const(cards)) {
                const auto before = reader.sentCards.constFind(id);
                if (before == reader.sentCards.cend()) {
                    changed.append(object);
                } else if (*before != object) {
                    QJsonObject part{{QStringLiteral("id"), id}};
                    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
                        if (before->value(it.key()) != it.value())
                            part.insert(it.key(), it.value());
                    }
                    changed.append(part);
                }
                sent.insert(id, object);
            }
            reader.sentCards = std::move(sent);
            QJsonObject delta = full;
            delta.insert(QStringLiteral("cards"), changed);
            delta.insert(QStringLiteral("queue_ids"), ids);
            delta.insert(QStringLiteral("samples"), samples);
            delta.insert(QStringLiteral("changed_only"), true);
            reader.stream.sendEvent("stats", compact(delta));
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
