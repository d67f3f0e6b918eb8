// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "dashboardcontroller.h"

#include "dashboardview.h"
#include "eventstream.h"
#include "protocol/codec.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QScopeGuard>
#include <QTimer>

namespace QueueDeck::Ui {

DashboardController::DashboardController(Client::ClientOptions options, DashboardView *view,
                                         QObject *parent)
    : QObject(parent), m_view(view), m_options(options),
      m_client(std::make_unique<Client::QueueDeckClient>(options)),
      m_events(new Client::EventStream(options, this))
{
    // Queue changes come with the stats each second, and of those only the cards that changed:
    // with hundreds of queues, most seconds bring few. Task changes come on a stream of their
    // own while someone looks at tasks (followTasks).
    m_events->setQuery("topics=stats,worker&cards=changed");
    connect(m_events, &Client::EventStream::event, this, &DashboardController::handleEvent);
    connect(m_events, &Client::EventStream::connectionChanged, this,
            [this](bool connected, const QString &reason) {
                m_connected = connected;
                if (m_view)
                    m_view->setConnected(connected, reason);
                Q_EMIT connectionChanged(connected, reason);
            });
    if (m_view) {
        connect(m_view, &DashboardView::commandWanted, this, &DashboardController::refreshCommand);
    }
}

DashboardController::~DashboardController() = default;

void DashboardController::followTasks(bool follow)
{
    if (follow == (m_taskEvents != nullptr))
        return;
    if (!follow) {
        delete m_taskEvents;
        m_taskEvents = nullptr;
        return;
    }
    m_taskEvents = new Client::EventStream(m_options, this);
    m_taskEvents->setQuery("topics=task");
    connect(m_taskEvents, &Client::EventStream::event, this, &DashboardController::handleEvent);
    m_taskEvents->open();
}

void DashboardController::start()
{
    refreshNow();
    m_events->open();
}

void DashboardController::refreshNow()
{
    m_client->dashboard().then(this, [this](const Result<DashboardSnapshot> &snapshot) {
        if (snapshot)
            show(*snapshot);
        else if (m_view)
            m_view->setConnected(false, snapshot.error().message);
    });
}

void DashboardController::handleEvent(const QByteArray &name, const QByteArray &data)
{
    QElapsedTimer took; // a stats event's whole handling, its parsing included
    took.start();
    const QJsonObject object = QJsonDocument::fromJson(data).object();
    const bool removed = object.value(QLatin1StringView("removed")).toBool();
    const QString id = object.value(QLatin1StringView("id")).toString();
    if (name == "stats") {
        const auto measured = qScopeGuard([&] { m_lastUpdateNs = took.nsecsElapsed(); });
        if (auto snapshot = Codec::dashboardFromJson(object))
            show(object.value(QLatin1StringView("changed_only")).toBool()
                     ? merged(*snapshot, object.value(QLatin1StringView("queue_ids")).toArray())
                     : *snapshot);
        return;
    }
    if (name == "queue") {
        if (removed)
            m_pending.removedQueues.append(id);
        else if (auto queue = Codec::queueFromJson(object))
            m_pending.queues.append(*queue);
    } else if (name == "worker") {
        if (removed)
            m_pending.removedWorkers.append(id);
        else if (auto worker = Codec::workerFromJson(object))
            m_pending.workers.append(*worker);
    } else if (name == "task") {
        m_pending.tasks.append(TaskChange{id,
                                          object.value(QLatin1StringView("queue_id")).toString(),
                                          object.value(QLatin1StringView("state")).toString()});
    } else if (name == "overflow") {
        Q_EMIT overflowed();
        return;
    } else {
        return;
    }
    // A look's changes arrive together: hand them on as one set once they are read.
    if (!m_flushQueued) {
        m_flushQueued = true;
        QTimer::singleShot(0, this, &DashboardController::flushChanges);
    }
}

DashboardSnapshot DashboardController::merged(DashboardSnapshot snapshot,
                                              const QJsonArray &ids) const
{
    // Only the changed cards came: the others are as before, at this second.
    QHash<QString, qsizetype> previous;
    for (qsizetype i = 0; i < m_last.cards.size(); ++i)
        previous.insert(m_last.cards[i].queue.id, i);
    QHash<QString, qsizetype> changed;
    for (qsizetype i = 0; i < snapshot.cards.size(); ++i)
        changed.insert(snapshot.cards[i].queue.id, i);
    QList<QueueCard> cards;
    cards.reserve(ids.size());
    for (const QJsonValue &value : ids) {
        const QString id = value.toString();
        if (const auto it = changed.constFind(id); it != changed.cend()) {
            cards.append(snapshot.cards[*it]);
        } else if (const auto old = previous.constFind(id); old != previous.cend()) {
            cards.append(m_last.cards[*old]);
            cards.last().last.atMs = snapshot.total.atMs;
        }
    }
    snapshot.cards = std::move(cards);
    return snapshot;
}

void DashboardController::flushChanges()
{
    m_flushQueued = false;
    ChangeSet changes;
    std::swap(changes, m_pending);
    Q_EMIT changesArrived(changes);
}

void DashboardController::show(const DashboardSnapshot &snapshot)
{
    m_last = snapshot;
    if (m_view)
        m_view->setSnapshot(snapshot);
    Q_EMIT snapshotArrived(snapshot);
    for (const QueueCard &card : snapshot.cards) {
        if (!m_commandsAsked.contains(card.queue.id + QStringLiteral("/local")))
            refreshCommand(card.queue.id, QStringLiteral("local"));
    }
}

void DashboardController::refreshCommand(const QString &queueId, const QString &platform)
{
    const QString key = queueId + u'/' + platform;
    m_commandsAsked.insert(key);
    auto shown = [this, key, queueId, platform](const Result<QString> &command) {
        if (!command) {
            m_commandsAsked.remove(key); // asked again with the next snapshot
            return;
        }
        if (m_view)
            m_view->setConnectCommand(queueId, *command, platform);
    };
    if (platform == u"local") {
        m_client->workerCommand(queueId).then(this, [shown](const Result<QJsonObject> &answer) {
            shown(answer ? Result<QString>(answer->value(QStringLiteral("command")).toString())
                         : Result<QString>(std::unexpected(answer.error())));
        });
    } else {
        m_client->installScript(queueId, platform).then(this, shown);
    }
}

} // namespace QueueDeck::Ui
