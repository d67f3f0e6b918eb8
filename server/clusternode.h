// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/nodetypes.h"

#include <QMutex>
#include <QObject>

#include <functional>
#include <memory>

class QTimer;

namespace QueueDeck {

class ClusterLease;
class PostgresConnection;

// One node's part in a cluster of `qdeck serve` processes on one PostgreSQL database
// (docs/design/scale-out.md): every second it takes or renews the cluster's lease ("leader",
// 6 s); every two it upserts its row of cluster_nodes and reads every node's row. The node that
// holds the lease is the leader and runs the engine; the others forward to the leader's address.
//
// Thread affinity: lives on its own thread (its own database connection; a slow database never
// stalls the API). nodes() and leaderAddress() are thread-safe snapshots.
class ClusterNode final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ClusterNode)
public:
    struct Load
    {
        int connections = 0;
        double requestsPerSecond = 0;
    };
    struct Settings
    {
        QString databaseUrl;
        QByteArray clusterKey; // ClusterKey: the migration seals join tokens with it
        QString nodeId;
        QString address;        // the URL this node advertises
        QString faktoryAddress; // host:port of this node's Faktory listener; empty: none
        qint64 startedAtMs = 0;
        qint64 leaseTtlMs = 6000;
        int tickMs = 1000;
        std::function<Load()> load; // called on this object's thread
    };
    static constexpr const char *LeaderLease = "leader";

    explicit ClusterNode(Settings settings, QObject *parent = nullptr);
    ~ClusterNode() override;

    // On this object's thread: connects, migrates the schema and starts ticking.
    void start();
    // On this object's thread: gives the lease up (when held) and stops ticking.
    void stop();

    QList<NodeInfo> nodes() const;
    QString leaderAddress() const;
    // host:port of the leader's Faktory listener; empty while no leader is known or it has none.
    QString leaderFaktoryAddress() const;
    // The holder name of this process in the lease rows (thread-safe).
    QString leaseHolder() const;

Q_SIGNALS:
    // This node took the lease with this fencing token: it is to open the engine.
    void leadershipGained(qint64 token);
    // This node no longer holds the lease (taken over, or it could not renew it in time).
    void leadershipLost();
    // The leader's advertised URL changed (empty: no leader known).
    void leaderAddressChanged(const QString &address);
    // The leader's Faktory address changed (host:port; empty: none known).
    void leaderFaktoryAddressChanged(const QString &address);

private:
    void tick();
    void publish(const QString &role);
    void becomeFollower();

    Settings m_settings;
    std::unique_ptr<PostgresConnection> m_connection;
    const QString m_holder;
    std::unique_ptr<ClusterLease> m_lease;
    QTimer *m_timer = nullptr;
    bool m_leader = false;
    qint64 m_token = 0;
    qint64 m_lastRenewMs = 0;
    int m_ticks = 0;
    QString m_publishedRole;
    mutable QMutex m_mutex;
    QList<NodeInfo> m_nodes;
    QString m_leaderAddress;
    QString m_leaderFaktoryAddress;
};

} // namespace QueueDeck
