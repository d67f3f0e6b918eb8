// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "dashboardcontroller.h"

#include "dashboardfeed.h"
#include "dashboardview.h"
#include "eventstream.h"
#include "serverlist.h"

#include <QElapsedTimer>

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
      m_feed(new Client::DashboardFeed(options, this))
{
    // Queue changes come with the stats each second, and of those only the cards that changed:
    // with hundreds of queues, most seconds bring few. Task changes come on a stream of their
    // own while someone looks at tasks (followTasks).
    connect(m_feed, &Client::DashboardFeed::dashboardUpdated, this,
            &DashboardController::handleDashboardUpdate);
    connect(m_feed, &Client::DashboardFeed::changesArrived, this,
            &DashboardController::changesArrived);
    connect(m_feed, &Client::DashboardFeed::overflowed, this, &DashboardController::overflowed);
    connect(m_feed, &Client::DashboardFeed::connectionChanged, this,
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
    connect(m_taskEvents, &Client::EventStream::event, m_feed, &Client::DashboardFeed::handleEvent);
    m_taskEvents->open();
}

void DashboardController::start()
{
    m_started = true;
    refreshNow();
    m_feed->open();
}

void DashboardController::setEnvironment(const QString &environment)
{
    const bool changed = environment != m_environment;
    m_environment = environment;
    m_feed->setEnvironment(environment);
    if (!changed || !m_started)
        return;
    m_feed->open(); // a new stream: its first stats event brings every card of the choice
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

void DashboardController::handleDashboardUpdate(const Client::DashboardUpdate &update)
{
    const qint64 startNs = threadTimeNs();
    m_last = m_feed->snapshot();
    if (m_view)
        m_view->applyUpdate(m_last, update);
    Q_EMIT snapshotArrived(m_last);
    if (!update.added.isEmpty() || std::exchange(m_commandsFailed, false))
        askCommands(m_last);
    m_lastUpdateNs = m_feed->lastMergeNs() + (threadTimeNs() - startNs);
}

void DashboardController::show(const DashboardSnapshot &snapshot)
{
    m_last = snapshot;
    if (m_view)
        m_view->setSnapshot(snapshot);
    Q_EMIT snapshotArrived(snapshot);
    askCommands(snapshot);
}

void DashboardController::askCommands(const DashboardSnapshot &snapshot)
{
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
            m_commandsAsked.remove(key); // asked again with the next update
            m_commandsFailed = true;
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
