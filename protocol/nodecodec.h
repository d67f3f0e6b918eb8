// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

// JSON shapes of GET /api/v1/nodes: `{"nodes": [{node_id, address, version, started_at,
// uptime_seconds, role, connections, requests_per_second, last_seen_at, alive}]}`. Times are
// RFC 3339 strings. Readers are strict like those of codec.h: a wrong type, a missing field or an
// unknown field is an INVALID_ARGUMENT that names the field.

#include "protocol/error.h"
#include "protocol/nodetypes.h"

#include <QJsonObject>

namespace QueueDeck::NodeCodec {

QJsonObject toJson(const NodeInfo &node);
QJsonObject toJson(const QList<NodeInfo> &nodes);

Result<NodeInfo> nodeFromJson(const QJsonObject &object);
Result<QList<NodeInfo>> nodesFromJson(const QJsonObject &object);

} // namespace QueueDeck::NodeCodec
