// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "nodecodec.h"

#include "fieldreader.h"

#include <QDateTime>
#include <QJsonArray>

namespace QueueDeck::NodeCodec {

namespace {

QJsonValue timeValue(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

bool isRole(const QString &role)
{
    return role == QLatin1StringView(NodeRole::Leader) ||
           role == QLatin1StringView(NodeRole::Follower) ||
           role == QLatin1StringView(NodeRole::Standalone);
}

} // namespace

QJsonObject toJson(const NodeInfo &node)
{
    return QJsonObject{{QStringLiteral("node_id"), node.nodeId},
                       {QStringLiteral("address"), node.address},
                       {QStringLiteral("version"), node.version},
                       {QStringLiteral("started_at"), timeValue(node.startedAtMs)},
                       {QStringLiteral("uptime_seconds"), node.uptimeSeconds},
                       {QStringLiteral("role"), node.role},
                       {QStringLiteral("connections"), node.connections},
                       {QStringLiteral("requests_per_second"), node.requestsPerSecond},
                       {QStringLiteral("last_seen_at"), timeValue(node.lastSeenAtMs)},
                       {QStringLiteral("alive"), node.alive}};
}

QJsonObject toJson(const QList<NodeInfo> &nodes)
{
    QJsonArray items;
    for (const NodeInfo &node : nodes)
        items.append(toJson(node));
    return QJsonObject{{QStringLiteral("nodes"), items}};
}

Result<NodeInfo> nodeFromJson(const QJsonObject &object)
{
    Codec::Detail::FieldReader reader(object, QStringLiteral("node"));
    NodeInfo node;
    node.nodeId = reader.string("node_id", true).value_or(QString());
    node.address = reader.string("address", true).value_or(QString());
    node.version = reader.string("version", true).value_or(QString());
    node.startedAtMs = reader.time("started_at").value_or(0);
    node.uptimeSeconds = reader.integer<qint64>("uptime_seconds", true).value_or(0);
    node.role = reader.string("role", true).value_or(QString());
    node.connections = reader.integer<int>("connections", true).value_or(0);
    node.requestsPerSecond = reader.number("requests_per_second").value_or(0);
    node.lastSeenAtMs = reader.time("last_seen_at").value_or(0);
    node.alive = reader.boolean("alive").value_or(true);
    if (auto error = reader.finish())
        return std::unexpected(*error);
    if (!isRole(node.role))
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("node.role must be leader, follower or standalone (got %1)")
                             .arg(node.role));
    return node;
}

Result<QList<NodeInfo>> nodesFromJson(const QJsonObject &object)
{
    Codec::Detail::FieldReader reader(object);
    const auto items = reader.array("nodes");
    if (auto error = reader.finish())
        return std::unexpected(*error);
    if (!items)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("nodes is required"));
    QList<NodeInfo> nodes;
    for (const QJsonValue &item : *items) {
        if (!item.isObject())
            return makeError(ErrorCode::InvalidArgument,
                             QStringLiteral("each item of nodes must be an object"));
        auto node = nodeFromJson(item.toObject());
        if (!node)
            return std::unexpected(node.error());
        nodes.append(*node);
    }
    return nodes;
}

} // namespace QueueDeck::NodeCodec
