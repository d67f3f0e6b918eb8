// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/nodetypes.h"

namespace QueueDeck::Api {

// Where GET /api/v1/nodes reads the nodes of a cluster (the cluster_nodes table, as the node's
// heartbeat last read it). Without one, a server shows itself alone as "standalone".
//
// nodes() is called on the API thread and must not block: it answers a snapshot.
class NodeDirectory
{
public:
    virtual ~NodeDirectory() = default;
    virtual QList<NodeInfo> nodes() const = 0;
};

} // namespace QueueDeck::Api
