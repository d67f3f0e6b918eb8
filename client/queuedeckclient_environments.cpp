// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// QueueDeckClient's calls on environments (list, create, delete).
#include "queuedeckclient.h"

#include "clientreplies.h"
#include "protocol/codec.h"

namespace QueueDeck::Client {

using namespace Replies;

QueueDeckClient::Reply<QList<EnvironmentInfo>> QueueDeckClient::listEnvironments()
{
    return mapped<QList<EnvironmentInfo>>(
        call("GET", QStringLiteral("/api/v1/environments")),
        itemsOf<EnvironmentInfo>(&Codec::environmentInfoFromJson));
}

QueueDeckClient::Reply<EnvironmentInfo>
QueueDeckClient::createEnvironment(const EnvironmentInfo &environment)
{
    return mapped<EnvironmentInfo>(
        call("POST", QStringLiteral("/api/v1/environments"),
             QJsonObject{{QStringLiteral("name"), environment.name},
                         {QStringLiteral("description"), environment.description},
                         {QStringLiteral("auto_create"), environment.autoCreate}}),
        &Codec::environmentInfoFromJson);
}

QueueDeckClient::Reply<void> QueueDeckClient::deleteEnvironment(const QString &name)
{
    return mapped<void>(call("DELETE", QStringLiteral("/api/v1/environments/") + encode(name), {},
                             CallOptions{true, {}, 0}),
                        &nothing);
}

} // namespace QueueDeck::Client
