// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "apidispatcher.h"
#include "engine.h"

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
} // namespace QueueDeck

namespace QueueDeck::Cli {

// `qdeck serve --database postgresql://…` as one node of a cluster (docs/design/scale-out.md):
// while this node holds the cluster's lease it runs the engine and the API on the listen address;
// otherwise it forwards every request there to the leader. Changes of role swap one for the other
// on the same port.
//
// Thread affinity: the thread that runs the application's event loop.
class ClusterServe final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ClusterServe)
public:
    ClusterServe(EngineOptions engineOptions, Api::ApiOptions apiOptions, QString advertiseUrl,
                 bool resetAdminToken, QObject *parent = nullptr);
    ~ClusterServe() override;

    // Starts as a follower and joins the cluster; an error message, or empty.
    QString start();
    void stop();
    QString address() const { return m_advertiseUrl; }
    quint16 port() const { return m_apiOptions.port; }
    QString nodeId() const;
    // The first round with the database is over: this node leads, or knows its leader.
    bool hasRole() const { return m_engine != nullptr || !m_leaderAddress.isEmpty(); }

private:
    void handleLeadershipGained(qint64 token);
    void handleLeadershipLost();
    void handleLeaderAddressChanged(const QString &address);
    QString startForwarder();
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
};

} // namespace QueueDeck::Cli
