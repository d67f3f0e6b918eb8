// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "nodestats.h"

#include <QDateTime>

namespace QueueDeck::Api {

NodeStats::NodeStats(QString nodeId, qint64 startedAtMs)
    : m_nodeId(std::move(nodeId)), m_startedAtMs(startedAtMs), m_sampleAtMs(startedAtMs)
{}

double NodeStats::requestsPerSecond() const
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 count = requests();
    QMutexLocker lock(&m_rateMutex);
    const qint64 elapsed = now - m_sampleAtMs;
    if (elapsed >= 1000) {
        m_rate = double(count - m_sampleRequests) * 1000.0 / double(elapsed);
        m_sampleAtMs = now;
        m_sampleRequests = count;
    }
    return m_rate;
}

NodeInfo NodeStats::self(const QString &address, const QString &role) const
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    NodeInfo node;
    node.nodeId = m_nodeId;
    node.address = address;
    node.version = QStringLiteral(QUEUEDECK_VERSION);
    node.startedAtMs = m_startedAtMs;
    node.uptimeSeconds = (now - m_startedAtMs) / 1000;
    node.role = role;
    node.connections = connections();
    node.requestsPerSecond = requestsPerSecond();
    node.lastSeenAtMs = now;
    node.alive = true;
    return node;
}

} // namespace QueueDeck::Api
