// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// QueueDeckClient's calls on producer tokens and the audit log.
#include "queuedeckclient.h"

#include "clientreplies.h"
#include "protocol/codec.h"

namespace QueueDeck::Client {

using namespace Replies;

QueueDeckClient::Reply<ProducerToken>
QueueDeckClient::createProducerToken(const QString &name, const QStringList &queueIds)
{
    return mapped<ProducerToken>(
        call("POST", QStringLiteral("/api/v1/producer-tokens"),
             QJsonObject{{QStringLiteral("name"), name},
                         {QStringLiteral("queue_ids"), QJsonArray::fromStringList(queueIds)}}),
        &Codec::producerTokenFromJson);
}

QueueDeckClient::Reply<QList<ProducerToken>> QueueDeckClient::listProducerTokens()
{
    return mapped<QList<ProducerToken>>(call("GET", QStringLiteral("/api/v1/producer-tokens")),
                                        itemsOf<ProducerToken>(&Codec::producerTokenFromJson));
}

QueueDeckClient::Reply<void> QueueDeckClient::revokeProducerToken(const QString &name)
{
    return mapped<void>(call("DELETE",
                             QStringLiteral("/api/v1/producer-tokens/%1").arg(encode(name)), {},
                             CallOptions{true, {}, 0}),
                        &nothing);
}

QueueDeckClient::Reply<QList<AuditEntry>> QueueDeckClient::listAudit(qint64 beforeId, int limit)
{
    QString path = QStringLiteral("/api/v1/audit?limit=%1").arg(limit);
    if (beforeId > 0)
        path += QStringLiteral("&cursor=%1").arg(beforeId);
    return mapped<QList<AuditEntry>>(call("GET", path), itemsOf<AuditEntry>(&Codec::auditFromJson));
}

} // namespace QueueDeck::Client
