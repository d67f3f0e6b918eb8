// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// QueueDeckClient's calls on worker queues (create, read, change, pause and resume, purge, delete;
// join token, worker command, install script).
#include "queuedeckclient.h"

#include "clientreplies.h"
#include "protocol/codec.h"

namespace QueueDeck::Client {

using namespace Replies;

QueueDeckClient::Reply<QueueInfo> QueueDeckClient::createQueue(const QString &environment,
                                                               const QString &name,
                                                               const QueueSettings &settings)
{
    QJsonObject body = Codec::settingsToJson(settings);
    body.insert(QStringLiteral("name"), name);
    return mapped<QueueInfo>(
        call("POST",
             QStringLiteral("/api/v1/environments/%1/worker-queues").arg(encode(environment)),
             body),
        &Codec::queueFromJson);
}

QueueDeckClient::Reply<QList<QueueInfo>> QueueDeckClient::listQueues(const QString &environment)
{
    const QString path =
        environment.isEmpty()
            ? QStringLiteral("/api/v1/worker-queues")
            : QStringLiteral("/api/v1/environments/%1/worker-queues").arg(encode(environment));
    return mapped<QList<QueueInfo>>(call("GET", path), [](const QJsonObject &o) {
        return listOf<QueueInfo>(o.value(QLatin1StringView("items")).toArray(),
                                 &Codec::queueFromJson);
    });
}

QueueDeckClient::Reply<QueueInfo> QueueDeckClient::queue(const QString &queueId)
{
    return mapped<QueueInfo>(
        call("GET", QStringLiteral("/api/v1/worker-queues/%1").arg(encode(queueId))),
        &Codec::queueFromJson);
}

QueueDeckClient::Reply<QueueInfo> QueueDeckClient::updateQueue(const QString &queueId,
                                                               const QueuePatch &patch)
{
    return mapped<QueueInfo>(call("PATCH",
                                  QStringLiteral("/api/v1/worker-queues/%1").arg(encode(queueId)),
                                  Codec::toJson(patch), CallOptions{true, {}, 0}),
                             &Codec::queueFromJson);
}

QueueDeckClient::Reply<QJsonObject> QueueDeckClient::workerCommand(const QString &queueId)
{
    return call("GET",
                QStringLiteral("/api/v1/worker-queues/%1/worker-command").arg(encode(queueId)));
}

QueueDeckClient::Reply<void> QueueDeckClient::deleteQueue(const QString &queueId, bool force)
{
    return mapped<void>(call("DELETE", queuePath(queueId, force ? "?force=true" : ""), {},
                             CallOptions{true, {}, 0}),
                        &nothing);
}

QueueDeckClient::Reply<QueueInfo> QueueDeckClient::pauseQueue(const QString &queueId)
{
    return mapped<QueueInfo>(
        call("POST", queuePath(queueId, "/pause"), {}, CallOptions{true, {}, 0}),
        &Codec::queueFromJson);
}

QueueDeckClient::Reply<QueueInfo> QueueDeckClient::resumeQueue(const QString &queueId)
{
    return mapped<QueueInfo>(
        call("POST", queuePath(queueId, "/resume"), {}, CallOptions{true, {}, 0}),
        &Codec::queueFromJson);
}

QueueDeckClient::Reply<qint64> QueueDeckClient::purgeQueue(const QString &queueId)
{
    return mapped<qint64>(call("POST", queuePath(queueId, "/purge")),
                          [](const QJsonObject &o) -> Result<qint64> {
                              return o.value(QLatin1StringView("purged")).toInteger();
                          });
}

QueueDeckClient::Reply<QueueInfo> QueueDeckClient::rotateJoinToken(const QString &queueId)
{
    return mapped<QueueInfo>(call("POST", queuePath(queueId, "/rotate-token")),
                             &Codec::queueFromJson);
}

QueueDeckClient::Reply<QString> QueueDeckClient::installScript(const QString &queueId,
                                                               const QString &platform)
{
    return callText("GET", queuePath(queueId, "/install-script?platform=") + encode(platform))
        .then([](const Result<QByteArray> &text) -> Result<QString> {
            if (!text)
                return std::unexpected(text.error());
            return QString::fromUtf8(*text);
        });
}

} // namespace QueueDeck::Client
