// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

// The nodes of a cluster (design §11, docs/design/scale-out.md): what GET /api/v1/nodes
// answers, for the server and its clients.

#include <QList>
#include <QString>

namespace QueueDeck {

// One `qdeck serve` process. A server on SQLite is one node with the role "standalone"; on
// PostgreSQL every node upserts its row every ~2 s, and one of them holds the cluster's lease.
struct NodeInfo
{
    QString nodeId;
    QString address; // the URL it advertises (--advertise-url, default: where it listens)
    QString version;
    qint64 startedAtMs = 0;
    qint64 uptimeSeconds = 0;
    QString role; // "leader", "follower" or "standalone"
    int connections = 0;
    double requestsPerSecond = 0;
    qint64 lastSeenAtMs = 0; // on the database's clock
    bool alive = true;       // seen within the last few seconds

    bool operator==(const NodeInfo &) const = default;
};

namespace NodeRole {
inline constexpr const char *Leader = "leader";
inline constexpr const char *Follower = "follower";
inline constexpr const char *Standalone = "standalone";
} // namespace NodeRole

} // namespace QueueDeck
