// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// QueueDeckClient's calls on workers (registration, heartbeats, leases and completions; list,
// drain, deregister).
#include "queuedeckclient.h"

#include "clientreplies.h"
#include "protocol/codec.h"

namespace QueueDeck::Client {

using namespace Replies;

QueueDeckClient::Reply<Registration> QueueDeckClient::registerWorker(const RegisterRequest &request)
{
    return mapped<Registration>(
        call("POST", QStringLiteral("/api/v1/workers/register"), Codec::toJson(request)),
        [](const QJsonObject &o) -> Result<Registration> {
            Registration r;
            r.workerId = o.value(QLatin1StringView("worker_id")).toString();
            r.credential = o.value(QLatin1StringView("credential")).toString();
            r.heartbeatIntervalS =
                int(o.value(QLatin1StringView("heartbeat_interval_s")).toInteger(5));
            r.workerTimeoutS = o.value(QLatin1StringView("worker_timeout_s")).toInteger(30);
            if (r.workerId.isEmpty() || r.credential.isEmpty())
                return makeError(
                    ErrorCode::Internal,
                    QStringLiteral("the server's registration had no worker id or credential"));
            return r;
        });
}

QueueDeckClient::Reply<HeartbeatReply> QueueDeckClient::heartbeat(const QString &workerId,
                                                                  const QStringList &running,
                                                                  const QString &status)
{
    return mapped<HeartbeatReply>(
        call("POST", QStringLiteral("/api/v1/workers/%1/heartbeat").arg(encode(workerId)),
             QJsonObject{{QStringLiteral("status"), status},
                         {QStringLiteral("running"), QJsonArray::fromStringList(running)}},
             CallOptions{true, {}, 0}),
        [](const QJsonObject &o) -> Result<HeartbeatReply> {
            HeartbeatReply reply;
            const QString state = o.value(QLatin1StringView("state")).toString();
            reply.command = state == u"drain"  ? WorkerCommand::Drain
                            : state == u"stop" ? WorkerCommand::Stop
                                               : WorkerCommand::Run;
            for (const QJsonValue &id : o.value(QLatin1StringView("cancel")).toArray())
                reply.cancel.append(id.toString());
            return reply;
        });
}

QueueDeckClient::Reply<QList<LeasedTask>> QueueDeckClient::lease(const QString &workerId, int max,
                                                                 qint64 waitMs)
{
    CallOptions options;
    if (waitMs > 0) {
        options.parkedLane = QStringLiteral("lease:") + workerId;
        options.extraTimeoutMs = waitMs;
    }
    return mapped<QList<LeasedTask>>(
        send("POST", QStringLiteral("/api/v1/workers/%1/lease").arg(encode(workerId)),
             QJsonObject{{QStringLiteral("max"), max}, {QStringLiteral("wait_ms"), waitMs}},
             options),
        [](const QByteArray &body) -> Result<QList<LeasedTask>> {
            auto answer = Codec::completeAndLeaseFromText(body);
            if (!answer)
                return std::unexpected(answer.error());
            return std::move(answer->tasks);
        });
}

QueueDeckClient::Reply<QList<ItemOutcome>> QueueDeckClient::complete(const QString &workerId,
                                                                     const QList<TaskAck> &acks,
                                                                     const QList<TaskFail> &fails)
{
    // Retrying is safe: the same ack again is harmless.
    return mapped<QList<ItemOutcome>>(
        sendText("POST", QStringLiteral("/api/v1/workers/%1/complete").arg(encode(workerId)),
                 Codec::completeText(CompleteRequest{workerId, acks, fails, std::nullopt}),
                 CallOptions{true, {}, 0})
            .then(&Replies::asObject),
        [](const QJsonObject &o) -> Result<QList<ItemOutcome>> {
            return Codec::outcomesFromJson(o);
        });
}

QueueDeckClient::Reply<CompleteAndLease>
QueueDeckClient::completeAndLease(const QString &workerId, const QList<TaskAck> &acks,
                                  const QList<TaskFail> &fails, int max, qint64 waitMs)
{
    // Not retried: a retry would lease again while the first answer's tasks may be out.
    CallOptions options;
    if (waitMs > 0) {
        options.parkedLane = QStringLiteral("lease:") + workerId;
        options.extraTimeoutMs = waitMs;
    }
    return mapped<CompleteAndLease>(
        sendText("POST", QStringLiteral("/api/v1/workers/%1/complete").arg(encode(workerId)),
                 Codec::completeText(
                     CompleteRequest{workerId, acks, fails, LeaseRequest{workerId, max, waitMs}}),
                 options),
        [](const QByteArray &body) { return Codec::completeAndLeaseFromText(body); });
}

QueueDeckClient::Reply<QList<WorkerInfo>> QueueDeckClient::listWorkers(const QString &queueId)
{
    const QString path =
        queueId.isEmpty() ? QStringLiteral("/api/v1/workers")
                          : QStringLiteral("/api/v1/worker-queues/%1/workers").arg(encode(queueId));
    return mapped<QList<WorkerInfo>>(call("GET", path), [](const QJsonObject &o) {
        return listOf<WorkerInfo>(o.value(QLatin1StringView("items")).toArray(),
                                  &Codec::workerFromJson);
    });
}

QueueDeckClient::Reply<void> QueueDeckClient::deregisterWorker(const QString &workerId)
{
    return mapped<void>(call("DELETE", QStringLiteral("/api/v1/workers/%1").arg(encode(workerId)),
                             {}, CallOptions{true, {}, 0}),
                        [](const QJsonObject &) -> Result<void> { return {}; });
}

QueueDeckClient::Reply<WorkerInfo> QueueDeckClient::drainWorker(const QString &workerId)
{
    return mapped<WorkerInfo>(call("POST",
                                   QStringLiteral("/api/v1/workers/%1/drain").arg(encode(workerId)),
                                   {}, CallOptions{true, {}, 0}),
                              &Codec::workerFromJson);
}

} // namespace QueueDeck::Client
