// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "clusternode.h"

#include "clusterlease.h"
#include "postgresconnection.h"
#include "postgresschema.h"
#include "tokencipher.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QTimer>

Q_LOGGING_CATEGORY(lcCluster, "queuedeck.cluster", QtInfoMsg) // debug: on request

namespace QueueDeck {

namespace {
constexpr qint64 AliveWithinMs = 6000;
} // namespace

ClusterNode::ClusterNode(Settings settings, QObject *parent)
    : QObject(parent), m_settings(std::move(settings)),
      m_connection(std::make_unique<PostgresConnection>()),
      // The holder names this process, not just the node: a node restarted under the same id
      // takes the lease over with a new fencing token instead of renewing its predecessor's.
      m_holder(m_settings.nodeId + u'#' +
               QString::number(QRandomGenerator::system()->generate64() & 0xffffffffffff, 16))
{}

ClusterNode::~ClusterNode() = default;

void ClusterNode::start()
{
    m_lease = std::make_unique<ClusterLease>(*m_connection, QString::fromLatin1(LeaderLease),
                                             m_holder, m_settings.leaseTtlMs);
    m_timer = new QTimer(this);
    m_timer->setInterval(m_settings.tickMs);
    connect(m_timer, &QTimer::timeout, this, &ClusterNode::tick);
    m_timer->start();
    tick();
}

void ClusterNode::stop()
{
    if (m_timer)
        m_timer->stop();
    if (m_leader && m_connection->isOpen()) {
        if (auto released = m_lease->release(); !released)
            qCWarning(lcCluster) << "cannot give the cluster's lease up:"
                                 << released.error().message;
        m_connection->run("DELETE FROM cluster_nodes WHERE node_id=$1",
                          PostgresParams().add(m_settings.nodeId), "leave the cluster");
    }
    m_leader = false;
    m_connection->close();
}

QList<NodeInfo> ClusterNode::nodes() const
{
    QMutexLocker lock(&m_mutex);
    return m_nodes;
}

QString ClusterNode::leaseHolder() const
{
    return m_holder;
}

QString ClusterNode::leaderAddress() const
{
    QMutexLocker lock(&m_mutex);
    return m_leaderAddress;
}

QString ClusterNode::leaderFaktoryAddress() const
{
    QMutexLocker lock(&m_mutex);
    return m_leaderFaktoryAddress;
}

void ClusterNode::becomeFollower()
{
    if (!m_leader)
        return;
    m_leader = false;
    qCWarning(lcCluster) << "this node no longer leads the cluster; it forwards to the leader";
    Q_EMIT leadershipLost();
}

void ClusterNode::tick()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (!m_connection->isOpen()) {
        auto opened = m_connection->open(m_settings.databaseUrl);
        if (opened) {
            auto cipher = TokenCipher::fromKey(m_settings.clusterKey);
            opened = cipher ? PostgresSchema::migrate(*m_connection, *cipher)
                            : Result<void>(std::unexpected(cipher.error()));
        }
        if (!opened) {
            qCWarning(lcCluster) << "cannot use the database:" << opened.error().message;
            m_connection->close();
            // A leader that cannot renew steps down before its lease can expire elsewhere.
            if (m_leader && now - m_lastRenewMs > m_settings.leaseTtlMs / 2)
                becomeFollower();
            return;
        }
    } else if (auto reconnected = m_connection->reconnectIfBroken(); !reconnected) {
        if (m_leader && now - m_lastRenewMs > m_settings.leaseTtlMs / 2)
            becomeFollower();
        return;
    }

    auto token = m_lease->acquireOrRenew();
    if (!token) {
        qCWarning(lcCluster) << "cannot renew the cluster's lease:" << token.error().message;
        if (m_leader && now - m_lastRenewMs > m_settings.leaseTtlMs / 2)
            becomeFollower();
    } else if (*token) {
        m_lastRenewMs = now;
        if (!m_leader || **token != m_token) {
            m_leader = true;
            m_token = **token;
            qCInfo(lcCluster) << "this node leads the cluster (fencing token" << m_token << ")";
            Q_EMIT leadershipGained(m_token);
        }
    } else {
        becomeFollower();
    }
    // The row every ~2 s, and every tick while the leader is unknown or just changed.
    const QString role = QString::fromLatin1(m_leader ? NodeRole::Leader : NodeRole::Follower);
    if (m_ticks++ % 2 == 0 || role != m_publishedRole || leaderAddress().isEmpty()) {
        m_publishedRole = role;
        publish(role);
    }
}

void ClusterNode::publish(const QString &role)
{
    const Load load = m_settings.load ? m_settings.load() : Load{};
    auto upserted = m_connection->run(
        "INSERT INTO cluster_nodes(node_id, address, version, started_at, last_seen, role, "
        "connections, requests_per_second, faktory_address) VALUES($1, $2, $3, "
        "to_timestamp($4::bigint / 1000.0), clock_timestamp(), $5, $6, $7::double precision, $8) "
        "ON CONFLICT(node_id) DO UPDATE SET address=excluded.address, version=excluded.version, "
        "started_at=excluded.started_at, last_seen=excluded.last_seen, role=excluded.role, "
        "connections=excluded.connections, requests_per_second=excluded.requests_per_second, "
        "faktory_address=excluded.faktory_address",
        PostgresParams()
            .add(m_settings.nodeId)
            .add(m_settings.address)
            .add(QStringLiteral(QUEUEDECK_VERSION))
            .add(m_settings.startedAtMs)
            .add(role)
            .add(load.connections)
            .add(QString::number(load.requestsPerSecond, 'f', 2))
            .add(m_settings.faktoryAddress),
        "publish this node");
    if (!upserted) {
        qCWarning(lcCluster) << "cannot publish this node:" << upserted.error().message;
        return;
    }
    // Nodes gone for an hour leave the list; the leader's role is what the lease says.
    if (m_leader)
        m_connection->run("DELETE FROM cluster_nodes WHERE last_seen < clock_timestamp() - "
                          "interval '1 hour'",
                          "forget nodes gone long ago");
    auto rows = m_connection->run(
        "SELECT n.node_id, n.address, n.version, (extract(epoch FROM n.started_at) * "
        "1000)::bigint, (extract(epoch FROM n.last_seen) * 1000)::bigint, n.connections, "
        "n.requests_per_second::text, n.last_seen > clock_timestamp() - $1::bigint * interval "
        "'1 millisecond', l.holder IS NOT NULL, (extract(epoch FROM clock_timestamp()) * "
        "1000)::bigint, n.faktory_address FROM cluster_nodes n LEFT JOIN cluster_leases l ON "
        "l.name='leader' AND "
        "split_part(l.holder, '#', 1)=n.node_id AND l.expires_at > clock_timestamp() ORDER BY "
        "n.node_id",
        PostgresParams().add(AliveWithinMs), "read the nodes");
    if (!rows) {
        qCWarning(lcCluster) << "cannot read the nodes:" << rows.error().message;
        return;
    }
    QList<NodeInfo> nodes;
    QString leaderAddress;
    QString leaderFaktoryAddress;
    for (int row = 0; row < rows->rows(); ++row) {
        NodeInfo node;
        node.nodeId = rows->text(row, 0);
        node.address = rows->text(row, 1);
        node.version = rows->text(row, 2);
        node.startedAtMs = rows->integer(row, 3);
        node.lastSeenAtMs = rows->integer(row, 4);
        node.connections = int(rows->integer(row, 5));
        node.requestsPerSecond = rows->text(row, 6).toDouble();
        node.alive = rows->text(row, 7) == u"t";
        const bool leads = rows->text(row, 8) == u"t";
        node.role = QString::fromLatin1(leads ? NodeRole::Leader : NodeRole::Follower);
        node.uptimeSeconds = node.alive ? (rows->integer(row, 9) - node.startedAtMs) / 1000
                                        : (node.lastSeenAtMs - node.startedAtMs) / 1000;
        if (leads) {
            leaderAddress = node.address;
            leaderFaktoryAddress = rows->text(row, 10);
        }
        nodes.append(node);
    }
    bool changed = false;
    bool faktoryChanged = false;
    {
        QMutexLocker lock(&m_mutex);
        m_nodes = nodes;
        changed = m_leaderAddress != leaderAddress;
        m_leaderAddress = leaderAddress;
        faktoryChanged = m_leaderFaktoryAddress != leaderFaktoryAddress;
        m_leaderFaktoryAddress = leaderFaktoryAddress;
    }
    if (changed)
        Q_EMIT leaderAddressChanged(leaderAddress);
    if (faktoryChanged)
        Q_EMIT leaderFaktoryAddressChanged(leaderFaktoryAddress);
}

} // namespace QueueDeck
