// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "apidispatcher.h"
#include "engine.h"
#include "faktorylistener.h"

#include <QObject>
#include <QThread>

#include <memory>

namespace QueueDeck {
class ClusterNode;
namespace Api {
class ApiHost;
class Forwarder;
class NodeStats;
} // namespace Api
namespace Faktory {
class FaktoryRelay;
}
} // namespace QueueDeck

namespace QueueDeck::Cli {

// `qdeck serve --database postgresql://…` as one node of a cluster (docs/design/scale-out.md):
// while this node holds the cluster's lease it runs the engine and the API on the listen address;
// otherwise it forwards every request there to the leader. Changes of role swap one for the other
// on the same port. With a Faktory listener, the same on its port: the leader serves Faktory with
// its engine, a follower passes each connection through to the leader's Faktory listener.
//
// Thread affinity: the thread that runs the application's event loop.
class ClusterServe final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ClusterServe)
public:
    // faktory.listen empty: no Faktory listener.
    ClusterServe(EngineOptions engineOptions, Api::ApiOptions apiOptions, QString advertiseUrl,
                 bool resetAdminToken, FaktoryListenerSettings faktory = {},
                 QObject *parent = nullptr);
    ~ClusterServe() override;

    // Starts as a follower and joins the cluster; an error message, or empty.
    QString start();
    void stop();
    QString address() const { return m_advertiseUrl; }
    quint16 port() const { return m_apiOptions.port; }
    // The Faktory listener's port (0 without one), and host:port the other nodes reach it at.
    quint16 faktoryPort() const { return m_faktoryPort; }
    QString faktoryAddress() const { return m_faktoryAddress; }
    QString nodeId() const;
    // The first round with the database is over: this node leads, or knows its leader.
    bool hasRole() const { return m_engine != nullptr || !m_leaderAddress.isEmpty(); }

private:
    void handleLeadershipGained(qint64 token);
    void handleLeadershipLost();
    void handleLeaderAddressChanged(const QString &address);
    void handleLeaderFaktoryAddressChanged(const QString &address);
    QString startForwarder();
    QString startFaktoryRelay();
    QString prepareFaktory();
    QString checkClusterKey() const;
    void stopLeading();

    EngineOptions m_engineOptions;
    Api::ApiOptions m_apiOptions;
    QString m_advertiseUrl;
    bool m_resetAdminToken;
    std::shared_ptr<Api::NodeStats> m_stats;
    QThread m_nodeThread;
    ClusterNode *m_node = nullptr; // lives on m_nodeThread
    Api::Forwarder *m_forwarder = nullptr;
    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<Api::ApiHost> m_api;
    QString m_leaderAddress;
    FaktoryListenerSettings m_faktory;
    quint16 m_faktoryPort = 0;
    QString m_faktoryAddress;
    Faktory::FaktoryRelay *m_faktoryRelay = nullptr; // while following
    FaktoryListener m_faktoryListener;               // while leading
};

} // namespace QueueDeck::Cli
