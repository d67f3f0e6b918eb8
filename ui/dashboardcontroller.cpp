// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "dashboardcontroller.h"

#include "dashboardview.h"
#include "eventstream.h"
#include "protocol/codec.h"
#include "serverlist.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QScopeGuard>
#include <QTimer>
#include <QUrl>

#include <ctime>

namespace QueueDeck::Ui {

namespace {

// CPU time of the calling thread where the system tells it (what the work cost, whatever else
// the machine does meanwhile), else wall time.
qint64 threadTimeNs()
{
#if defined(Q_OS_UNIX)
    timespec t{};
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t) == 0)
        return qint64(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
#endif
    static QElapsedTimer wall;
    if (!wall.isValid())
        wall.start();
    return wall.nsecsElapsed();
}

} // namespace

DashboardController::DashboardController(Client::ClientOptions options, DashboardView *view,
                                         QObject *parent)
    : QObject(parent), m_view(view), m_options(options),
      m_client(std::make_unique<Client::QueueDeckClient>(options)),
      m_events(new Client::EventStream(options, this))
{
    // Queue changes come with the stats each second, and of those only the cards that changed:
    // with hundreds of queues, most seconds bring few. Task changes come on a stream of their
    // own while someone looks at tasks (followTasks).
    setEnvironment({});
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
    m_started = true;
    refreshNow();
    m_events->open();
}

void DashboardController::setEnvironment(const QString &environment)
{
    const bool changed = environment != m_environment;
    m_environment = environment;
    QByteArray query("topics=stats,worker&cards=changed");
    if (!environment.isEmpty())
        query += "&environment=" + QUrl::toPercentEncoding(environment);
    m_events->setQuery(query);
    if (!changed || !m_started)
        return;
    m_cardJson.clear();
    m_events->open(); // a new stream: its first stats event brings every card of the choice
    refreshNow();
}

void DashboardController::refreshNow()
{
    const QString environment = m_environment;
    m_client->dashboard(environment)
        .then(this, [this, environment](const Result<DashboardSnapshot> &snapshot) {
            if (environment != m_environment)
                return; // asked before the choice changed
            if (snapshot)
                show(*snapshot);
            else if (m_view)
                m_view->setConnected(false, snapshot.error().message);
        });
}

void DashboardController::handleEvent(const QByteArray &name, const QByteArray &data)
{
    const qint64 startNs = threadTimeNs(); // a stats event's whole handling, parsing included
    const QJsonObject object = QJsonDocument::fromJson(data).object();
    const bool removed = object.value(QLatin1StringView("removed")).toBool();
    const QString id = object.value(QLatin1StringView("id")).toString();
    if (name == "stats") {
        const auto measured = qScopeGuard([&] { m_lastUpdateNs = threadTimeNs() - startNs; });
        if (object.value(QLatin1StringView("changed_only")).toBool()) {
            if (auto snapshot = merged(object))
                show(*snapshot);
        } else if (auto snapshot = Codec::dashboardFromJson(object)) {
            show(*snapshot);
        }
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

std::optional<DashboardSnapshot> DashboardController::merged(QJsonObject event)
{
    const QJsonArray parts = event.take(QLatin1StringView("cards")).toArray();
    auto decoded = Codec::dashboardFromJson(event); // the KPIs
    if (!decoded)
        return std::nullopt;
    DashboardSnapshot snapshot = std::move(*decoded);
    // New cards come whole, changed ones as their id and what changed: complete them from what
    // came before, and decode only those.
    QHash<QString, QueueCard> changed;
    for (const QJsonValue &value : parts) {
        const QJsonObject part = value.toObject();
        const QString id = part.value(QLatin1StringView("id")).toString();
        QJsonObject &whole = m_cardJson[id];
        for (auto it = part.constBegin(); it != part.constEnd(); ++it)
            whole.insert(it.key(), it.value());
        if (auto card = Codec::queueCardFromJson(whole))
            changed.insert(id, *card);
    }
    QHash<QString, qsizetype> previous;
    for (qsizetype i = 0; i < m_last.cards.size(); ++i)
        previous.insert(m_last.cards[i].queue.id, i);
    const QJsonObject samples = event.value(QLatin1StringView("samples")).toObject();
    const QJsonArray ids = event.value(QLatin1StringView("queue_ids")).toArray();
    QSet<QString> present;
    snapshot.cards.reserve(ids.size());
    for (const QJsonValue &value : ids) {
        const QString id = value.toString();
        present.insert(id);
        if (const auto it = changed.constFind(id); it != changed.cend())
            snapshot.cards.append(*it);
        else if (const auto old = previous.constFind(id); old != previous.cend())
            snapshot.cards.append(m_last.cards[*old]);
        else
            continue; // not known yet: it comes whole with a later event
        // The newest second: depth, running, wait p50 / p95 / p99.
        const QJsonArray sample = samples.value(id).toArray();
        MetricSample &last = snapshot.cards.last().last;
        last.atMs = snapshot.total.atMs;
        last.depth = sample.at(0).toInteger();
        last.running = sample.at(1).toInteger();
        last.waitP50Ms = sample.at(2).toInteger();
        last.waitP95Ms = sample.at(3).toInteger();
        last.waitP99Ms = sample.at(4).toInteger();
    }
    m_cardJson.removeIf([&present](const auto &entry) { return !present.contains(entry.key()); });
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

void DashboardController::setNodeAddresses(const QList<QUrl> &nodes)
{
    if (nodes == m_nodes)
        return;
    m_nodes = nodes;
    for (const QString &key : QSet<QString>(m_commandsAsked))
        refreshCommand(key.section(u'/', 0, 0), key.section(u'/', 1));
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
            m_view->setConnectCommand(queueId, Client::withAllNodes(*command, m_nodes), platform);
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
