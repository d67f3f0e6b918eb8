// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "clientoptions.h"
#include "protocol/error.h"
#include "protocol/metrictypes.h"
#include "protocol/nodetypes.h"
#include "protocol/wiretypes.h"

#include <QFuture>
#include <QJsonObject>
#include <QUrl>

#include <memory>

namespace QueueDeck::Client {

class ClientTransport;

// Typed asynchronous client of the QueueDeck HTTP API: the only code of the project that speaks
// HTTP to a server. Thread-safe: calls may come from any thread; the network work runs on the
// client's own thread and futures finish there (or on the caller's, see ClientOptions::blocking).
// Server errors arrive as Error with the server's code and message; an unreachable server is
// UNAVAILABLE.
class QueueDeckClient final
{
    Q_DISABLE_COPY_MOVE(QueueDeckClient)
public:
    template <typename T> using Reply = QFuture<Result<T>>;

    explicit QueueDeckClient(ClientOptions options);
    ~QueueDeckClient();

    void setToken(const QString &token);
    QUrl server() const;

    // Any route: method, path under the server (with query), JSON body. 2xx → the JSON object.
    Reply<QJsonObject> call(const QByteArray &method, const QString &path,
                            const QJsonObject &body = {}, CallOptions options = {});
    // The raw body of a 2xx answer (Prometheus text, scripts).
    Reply<QByteArray> callText(const QByteArray &method, const QString &path,
                               CallOptions options = {});

    Reply<QueueInfo> createQueue(const QString &environment, const QString &name,
                                 const QueueSettings &settings = {});
    Reply<QList<QueueInfo>> listQueues(const QString &environment = {});
    Reply<QueueInfo> queue(const QString &queueId);
    Reply<QueueInfo> updateQueue(const QString &queueId, const QueuePatch &patch);
    Reply<QJsonObject> workerCommand(const QString &queueId);

    Reply<TaskInfo> enqueue(const QString &queueId, const EnqueueRequest &request);
    // As enqueue(), answered with the new task's id only (Prefer: return=minimal): what a producer
    // that needs no more asks for, sparing both ends the task's text.
    Reply<QString> enqueueId(const QString &queueId, const EnqueueRequest &request);
    Reply<QStringList> enqueueBatch(const QString &queueId, const QList<EnqueueRequest> &requests);
    Reply<TaskInfo> task(const QString &taskId, double waitS = 0);

    Reply<Registration> registerWorker(const RegisterRequest &request);
    // status: a short word the worker reports (shown in worker lists), e.g. "ok", "draining".
    Reply<HeartbeatReply> heartbeat(const QString &workerId, const QStringList &running,
                                    const QString &status = QStringLiteral("ok"));
    Reply<QList<LeasedTask>> lease(const QString &workerId, int max, qint64 waitMs);
    Reply<QList<ItemOutcome>> complete(const QString &workerId, const QList<TaskAck> &acks,
                                       const QList<TaskFail> &fails = {});
    // Acknowledges and fails, then leases up to max (waiting up to waitMs), in one round trip.
    Reply<CompleteAndLease> completeAndLease(const QString &workerId, const QList<TaskAck> &acks,
                                             const QList<TaskFail> &fails, int max, qint64 waitMs);
    Reply<QList<WorkerInfo>> listWorkers(const QString &queueId = {});
    Reply<void> deregisterWorker(const QString &workerId);
    Reply<WorkerInfo> drainWorker(const QString &workerId);

    Reply<QList<EnvironmentInfo>> listEnvironments();
    Reply<EnvironmentInfo> createEnvironment(const EnvironmentInfo &environment);
    // Refused for `default` and while the environment holds queues.
    Reply<void> deleteEnvironment(const QString &name);
    Reply<void> deleteQueue(const QString &queueId, bool force = false);
    Reply<QueueInfo> pauseQueue(const QString &queueId);
    Reply<QueueInfo> resumeQueue(const QString &queueId);
    Reply<qint64> purgeQueue(const QString &queueId); // how many waiting tasks went
    Reply<QueueInfo> rotateJoinToken(const QString &queueId);
    Reply<QString> installScript(const QString &queueId, const QString &platform);

    Reply<TaskPage> listTasks(const QString &queueId, const TaskFilter &filter = {});
    Reply<TaskInfo> cancelTask(const QString &taskId);
    Reply<TaskInfo> retryTask(const QString &taskId);
    Reply<void> deleteTask(const QString &taskId);
    Reply<qint64> bulkTasks(const QString &queueId, const BulkRequest &request); // affected
    // Log lines after the line with id afterId; the page's cursor is the last id.
    Reply<QList<LogLine>> taskLogs(const QString &taskId, qint64 afterId = 0, int limit = 1000);
    Reply<int> appendLogs(const QString &taskId, const QString &leaseId,
                          const QList<LogLine> &lines);
    Reply<qint64> extendLease(const QString &taskId, const QString &leaseId); // new expiry, ms

    Reply<ProducerToken> createProducerToken(const QString &name, const QStringList &queueIds);
    Reply<QList<ProducerToken>> listProducerTokens();
    Reply<void> revokeProducerToken(const QString &name);
    Reply<QList<AuditEntry>> listAudit(qint64 beforeId = 0, int limit = 100);

    // environment empty: the whole server; else that environment's cards and KPIs.
    Reply<DashboardSnapshot> dashboard(const QString &environment = {});
    // Time series of one queue, or of the whole server when queueId is empty.
    Reply<MetricSeries> metrics(const QString &queueId,
                                const QString &range = QStringLiteral("5m"));
    // The nodes of the cluster the server belongs to (itself alone, "standalone", on SQLite).
    Reply<QList<NodeInfo>> listNodes();

private:
    // call() without reading the answer: its raw 2xx body.
    Reply<QByteArray> send(const QByteArray &method, const QString &path, const QJsonObject &body,
                           CallOptions options);
    // The same with a body already written as JSON text.
    Reply<QByteArray> sendText(const QByteArray &method, const QString &path,
                               const QByteArray &body, CallOptions options);

    std::unique_ptr<ClientTransport> m_transport;
};

} // namespace QueueDeck::Client
