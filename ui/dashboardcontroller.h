// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/metrictypes.h"
#include "queuedeckclient.h"

#include <QObject>
#include <QSet>

#include <memory>

namespace QueueDeck::Client {
class DashboardFeed;
class EventStream;
struct DashboardUpdate;
} // namespace QueueDeck::Client

namespace QueueDeck::Ui {

class DashboardView;

// One server as the app sees it, through the client library only: the dashboard at once, then
// the dashboard feed's typed updates each second (the view sets only the cards that changed) and
// its queue, worker and task changes; each queue's connect command once per platform. The GUI
// thread never waits: answers arrive as continuations, the event stream reads without blocking and
// reconnects by itself (the view shows a banner meanwhile).
class DashboardController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DashboardController)
public:
    DashboardController(Client::ClientOptions options, DashboardView *view,
                        QObject *parent = nullptr);
    ~DashboardController() override;

    void start();
    // The dashboard now, not with the next second's stats (after a change made here).
    void refreshNow();
    Client::QueueDeckClient *client() const { return m_client.get(); }
    const DashboardSnapshot &lastSnapshot() const { return m_last; }
    bool isConnected() const { return m_connected; }
    // What the last `stats` event cost this thread (its CPU time where the system tells it),
    // from its text through the feed's merge to the updated views (painting follows later): the
    // benchmark's per update.
    qint64 lastUpdateNs() const { return m_lastUpdateNs; }
    // Asks for a queue's command on a platform ("local", "docker", "kubernetes") again: after a
    // token rotation.
    void refreshCommand(const QString &queueId, const QString &platform);
    // Task changes (many under load) are read only while someone looks at tasks.
    void followTasks(bool follow);
    // Shows one environment's cards with its KPIs (empty: every environment). The server
    // filters: the dashboard and the event stream are asked again with ?environment=.
    void setEnvironment(const QString &environment);
    const QString &environment() const { return m_environment; }
    // The live nodes of a cluster (GET /nodes): connect commands and install scripts list them
    // all; those shown are asked for again when the list changes.
    void setNodeAddresses(const QList<QUrl> &nodes);

Q_SIGNALS:
    void snapshotArrived(const QueueDeck::DashboardSnapshot &snapshot);
    void changesArrived(const QueueDeck::ChangeSet &changes);
    // Task changes were too many to send: task lists should load again.
    void overflowed();
    void connectionChanged(bool connected, const QString &reason);

private:
    // A whole dashboard (GET /dashboard): every card.
    void show(const DashboardSnapshot &snapshot);
    void handleDashboardUpdate(const Client::DashboardUpdate &update);
    void askCommands(const DashboardSnapshot &snapshot);

    DashboardView *m_view;
    Client::ClientOptions m_options;
    std::unique_ptr<Client::QueueDeckClient> m_client;
    Client::DashboardFeed *m_feed;
    Client::EventStream *m_taskEvents = nullptr;
    QSet<QString> m_commandsAsked; // "queue id/platform"
    QList<QUrl> m_nodes;
    DashboardSnapshot m_last;
    QString m_environment;
    bool m_started = false;
    bool m_connected = false;
    bool m_commandsFailed = false; // a command to ask again
    qint64 m_lastUpdateNs = 0;
};

} // namespace QueueDeck::Ui
