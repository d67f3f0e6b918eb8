// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "typemetricsclient.h"

#include "queuedeckclient.h"

#include <QUrl>

namespace QueueDeck::Client {

TypeMetricsClient::TypeMetricsClient(QueueDeckClient &client) : m_client(client) {}

TypeMetricsClient::Reply<TypeMetricsReport> TypeMetricsClient::typeMetrics(const QString &queueId,
                                                                           const QString &range)
{
    const QString path = queueId.isEmpty()
                             ? QStringLiteral("/api/v1/type-metrics")
                             : QStringLiteral("/api/v1/worker-queues/%1/type-metrics")
                                   .arg(QString::fromLatin1(QUrl::toPercentEncoding(queueId)));
    return m_client
        .call("GET", path + QStringLiteral("?range=") +
                         QString::fromLatin1(QUrl::toPercentEncoding(range)))
        .then([](const Result<QJsonObject> &object) -> Result<TypeMetricsReport> {
            if (!object)
                return std::unexpected(object.error());
            return Codec::typeMetricsFromJson(*object);
        });
}

} // namespace QueueDeck::Client
