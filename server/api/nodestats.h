// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/nodetypes.h"

#include <QMutex>
#include <QString>

#include <atomic>

namespace QueueDeck::Api {

// What this node tells about itself in GET /api/v1/nodes and, in a cluster, in its row of
// cluster_nodes: its id, start time, open connections and requests per second.
//
// Thread-safe: the HTTP front counts on its thread, the cluster's heartbeat and the nodes route
// read on theirs.
class NodeStats final
{
    Q_DISABLE_COPY_MOVE(NodeStats)
public:
    NodeStats(QString nodeId, qint64 startedAtMs);

    // One request served; `connections` is the number of connections open now.
    void countRequest(int connections)
    {
        m_requests.fetch_add(1, std::memory_order_relaxed);
        m_connections.store(connections, std::memory_order_relaxed);
    }
    void setConnections(int connections)
    {
        m_connections.store(connections, std::memory_order_relaxed);
    }

    const QString &nodeId() const { return m_nodeId; }
    qint64 startedAtMs() const { return m_startedAtMs; }
    int connections() const { return m_connections.load(std::memory_order_relaxed); }
    qint64 requests() const { return m_requests.load(std::memory_order_relaxed); }
    // Requests per second since the previous reading at least a second ago.
    double requestsPerSecond() const;
    // This node alone, as a server without a cluster shows itself.
    NodeInfo self(const QString &address, const QString &role) const;

private:
    const QString m_nodeId;
    const qint64 m_startedAtMs;
    std::atomic<qint64> m_requests{0};
    std::atomic<int> m_connections{0};
    mutable QMutex m_rateMutex;
    mutable qint64 m_sampleAtMs;
    mutable qint64 m_sampleRequests = 0;
    mutable double m_rate = 0;
};

} // namespace QueueDeck::Api
