// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// QueueDeckClient's calls on tasks (enqueue, read and list, cancel, retry, delete, bulk actions;
// their logs and leases).
#include "queuedeckclient.h"

#include "clientreplies.h"
#include "protocol/codec.h"

#include <QDateTime>

namespace QueueDeck::Client {

using namespace Replies;

QueueDeckClient::Reply<TaskInfo> QueueDeckClient::enqueue(const QString &queueId,
                                                          const EnqueueRequest &request)
{
    // Retried only with an idempotency key: without one a retry could enqueue twice.
    const CallOptions options{!request.idempotencyKey.isEmpty(), {}, 0};
    return mapped<TaskInfo>(
        sendText("POST", QStringLiteral("/api/v1/worker-queues/%1/tasks").arg(encode(queueId)),
                 Codec::enqueueText(request), options),
        &Codec::taskFromText);
}

QueueDeckClient::Reply<QString> QueueDeckClient::enqueueId(const QString &queueId,
                                                           const EnqueueRequest &request)
{
    CallOptions options{!request.idempotencyKey.isEmpty(), {}, 0, "Prefer: return=minimal\r\n"};
    return mapped<QString>(
        sendText("POST", QStringLiteral("/api/v1/worker-queues/%1/tasks").arg(encode(queueId)),
                 Codec::enqueueText(request), std::move(options)),
        &Codec::taskIdFromText);
}

QueueDeckClient::Reply<QStringList>
QueueDeckClient::enqueueBatch(const QString &queueId, const QList<EnqueueRequest> &requests)
{
    QByteArrayList tasks;
    tasks.reserve(requests.size());
    for (const EnqueueRequest &request : requests)
        tasks.append(Codec::enqueueText(request));
    return mapped<QStringList>(
        sendText("POST",
                 QStringLiteral("/api/v1/worker-queues/%1/tasks:batch").arg(encode(queueId)),
                 "{\"tasks\":[" + tasks.join(',') + "]}", {})
            .then(&Replies::asObject),
        [](const QJsonObject &o) -> Result<QStringList> {
            QStringList ids;
            for (const QJsonValue &id : o.value(QLatin1StringView("ids")).toArray())
                ids.append(id.toString());
            return ids;
        });
}

QueueDeckClient::Reply<TaskInfo> QueueDeckClient::task(const QString &taskId, double waitS)
{
    CallOptions options;
    if (waitS > 0) {
        options.parkedLane = QStringLiteral("wait");
        options.extraTimeoutMs = qint64(waitS * 1000);
    }
    const QString path =
        waitS > 0 ? QStringLiteral("/api/v1/tasks/%1?wait_s=%2").arg(encode(taskId)).arg(waitS)
                  : QStringLiteral("/api/v1/tasks/%1").arg(encode(taskId));
    return mapped<TaskInfo>(send("GET", path, {}, options), &Codec::taskFromText);
}

QueueDeckClient::Reply<TaskPage> QueueDeckClient::listTasks(const QString &queueId,
                                                            const TaskFilter &filter)
{
    QString query = QStringLiteral("limit=%1").arg(filter.limit);
    if (filter.state)
        query += QStringLiteral("&state=") + taskStateName(*filter.state);
    if (!filter.type.isEmpty())
        query += QStringLiteral("&type=") + encode(filter.type);
    if (!filter.text.isEmpty())
        query += QStringLiteral("&q=") + encode(filter.text);
    if (!filter.cursor.isEmpty())
        query += QStringLiteral("&cursor=") + encode(filter.cursor);
    return mapped<TaskPage>(
        call("GET", queuePath(queueId, "/tasks?") + query),
        [](const QJsonObject &o) -> Result<TaskPage> {
            auto items = listOf<TaskInfo>(o.value(QLatin1StringView("items")).toArray(),
                                          &Codec::taskFromJson);
            if (!items)
                return std::unexpected(items.error());
            return TaskPage{*items, o.value(QLatin1StringView("next_cursor")).toString()};
        });
}

QueueDeckClient::Reply<TaskInfo> QueueDeckClient::cancelTask(const QString &taskId)
{
    return mapped<TaskInfo>(send("POST", taskPath(taskId, "/cancel"), {}, {}),
                            &Codec::taskFromText);
}

QueueDeckClient::Reply<TaskInfo> QueueDeckClient::retryTask(const QString &taskId)
{
    return mapped<TaskInfo>(send("POST", taskPath(taskId, "/retry"), {}, {}), &Codec::taskFromText);
}

QueueDeckClient::Reply<void> QueueDeckClient::deleteTask(const QString &taskId)
{
    return mapped<void>(call("DELETE", taskPath(taskId), {}, CallOptions{true, {}, 0}), &nothing);
}

QueueDeckClient::Reply<qint64> QueueDeckClient::bulkTasks(const QString &queueId,
                                                          const BulkRequest &request)
{
    return mapped<qint64>(call("POST", queuePath(queueId, "/tasks:bulk"), Codec::toJson(request)),
                          [](const QJsonObject &o) -> Result<qint64> {
                              return o.value(QLatin1StringView("affected")).toInteger();
                          });
}

QueueDeckClient::Reply<QList<LogLine>> QueueDeckClient::taskLogs(const QString &taskId,
                                                                 qint64 afterId, int limit)
{
    return mapped<QList<LogLine>>(
        call("GET", taskPath(taskId, "/logs") +
                        QStringLiteral("?after=%1&limit=%2").arg(afterId).arg(limit)),
        itemsOf<LogLine>(&Codec::logLineFromJson));
}

QueueDeckClient::Reply<int> QueueDeckClient::appendLogs(const QString &taskId,
                                                        const QString &leaseId,
                                                        const QList<LogLine> &lines)
{
    QJsonArray items;
    for (const LogLine &line : lines)
        items.append(QJsonObject{{QStringLiteral("stream"),
                                  line.stream.isEmpty() ? QStringLiteral("stdout") : line.stream},
                                 {QStringLiteral("line"), line.text}});
    return mapped<int>(
        call("POST", taskPath(taskId, "/logs"),
             QJsonObject{{QStringLiteral("lease_id"), leaseId}, {QStringLiteral("lines"), items}}),
        [](const QJsonObject &o) -> Result<int> {
            return int(o.value(QLatin1StringView("appended")).toInteger());
        });
}

QueueDeckClient::Reply<qint64> QueueDeckClient::extendLease(const QString &taskId,
                                                            const QString &leaseId)
{
    return mapped<qint64>(
        call("POST", taskPath(taskId, "/extend"),
             QJsonObject{{QStringLiteral("lease_id"), leaseId}}, CallOptions{true, {}, 0}),
        [](const QJsonObject &o) -> Result<qint64> {
            return QDateTime::fromString(o.value(QLatin1StringView("lease_expires_at")).toString(),
                                         Qt::ISODateWithMs)
                .toMSecsSinceEpoch();
        });
}

} // namespace QueueDeck::Client
