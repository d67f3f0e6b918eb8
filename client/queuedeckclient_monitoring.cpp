// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// QueueDeckClient's calls on what the server shows of itself (the dashboard, metric series, the
// cluster's nodes).
#include "queuedeckclient.h"

#include "clientreplies.h"
#include "protocol/codec.h"
#include "protocol/nodecodec.h"

namespace QueueDeck::Client {

using namespace Replies;

QueueDeckClient::Reply<DashboardSnapshot> QueueDeckClient::dashboard(const QString &environment)
{
    const QString query =
        environment.isEmpty() ? QString() : QStringLiteral("?environment=") + encode(environment);
    return mapped<DashboardSnapshot>(call("GET", QStringLiteral("/api/v1/dashboard") + query),
                                     &Codec::dashboardFromJson);
}

QueueDeckClient::Reply<MetricSeries> QueueDeckClient::metrics(const QString &queueId,
                                                              const QString &range)
{
    const QString path =
        queueId.isEmpty() ? QStringLiteral("/api/v1/metrics") : queuePath(queueId, "/metrics");
    return mapped<MetricSeries>(call("GET", path + QStringLiteral("?range=") + encode(range)),
                                &Codec::metricSeriesFromJson);
}

QueueDeckClient::Reply<QList<NodeInfo>> QueueDeckClient::listNodes()
{
    return mapped<QList<NodeInfo>>(call("GET", QStringLiteral("/api/v1/nodes")),
                                   &NodeCodec::nodesFromJson);
}

} // namespace QueueDeck::Client
