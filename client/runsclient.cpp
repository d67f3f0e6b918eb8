// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "runsclient.h"

#include "protocol/codec.h"
#include "protocol/runcodec.h"
#include "queuedeckclient.h"

#include <QUrl>

namespace QueueDeck::Client {

namespace {

QString encode(const QString &segment)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(segment));
}

} // namespace

RunsClient::RunsClient(QueueDeckClient &client) : m_client(client) {}

RunsClient::Reply<RunInfo> RunsClient::run(const QString &runId, double waitS)
{
    CallOptions options;
    QString path = QStringLiteral("/api/v1/runs/%1").arg(encode(runId));
    if (waitS > 0) {
        options.parkedLane = QStringLiteral("wait");
        options.extraTimeoutMs = qint64(waitS * 1000);
        path += QStringLiteral("?wait_s=%1").arg(waitS);
    }
    return m_client.call("GET", path, {}, options)
        .then([](const Result<QJsonObject> &object) -> Result<RunInfo> {
            if (!object)
                return std::unexpected(object.error());
            return Codec::runFromJson(*object);
        });
}

RunsClient::Reply<qint64> RunsClient::cancel(const QString &runId)
{
    return m_client.call("POST", QStringLiteral("/api/v1/runs/%1/cancel").arg(encode(runId)))
        .then([](const Result<QJsonObject> &object) -> Result<qint64> {
            if (!object)
                return std::unexpected(object.error());
            return object->value(QLatin1StringView("cancelled")).toInteger();
        });
}

RunsClient::Reply<TaskInfo> RunsClient::enqueueChild(const ChildEnqueue &request)
{
    return m_client
        .call("POST", QStringLiteral("/api/v1/tasks/%1/children").arg(encode(request.parentId)),
              Codec::toJson(request))
        .then([](const Result<QJsonObject> &object) -> Result<TaskInfo> {
            if (!object)
                return std::unexpected(object.error());
            return Codec::taskFromJson(*object);
        });
}

} // namespace QueueDeck::Client
