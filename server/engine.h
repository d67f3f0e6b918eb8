// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "backupjobs.h"
#include "cardchangefeed.h"
#include "protocol/error.h"
#include "protocol/metrictypes.h"
#include "protocol/runtypes.h"
#include "protocol/typemetrics.h"
#include "protocol/wiretypes.h"
#include "storetypes.h"

#include <QFuture>
#include <QObject>

class QThread;

#include <atomic>
#include <functional>
#include <memory>

namespace QueueDeck {

class Clock;
class CredentialIndex;
class BatchedEngine;
class Scheduler;

using LeaseWithdrawal = std::shared_ptr<std::atomic<bool>>;

struct EngineOptions
{
    QString dataDirectory; // holds queuedeck.db and the lock that keeps a second server out
    QString databasePath;  // empty: <dataDirectory>/queuedeck.db
    Durability durability = Durability::Normal;
    qint64 maxPayloadBytes = 1 << 20;
    quint16 node = 0; // written into task ids
    // A backup to start from: it replaces the database (kept beside it) before the store opens,
    // once checked to be a QueueDeck database of this or an older schema.
    QString restoreFrom;
    // In a cluster on PostgreSQL: the leader's lease every committed batch confirms.
    std::optional<StoreFence> fence;
    // On PostgreSQL: the cluster key join tokens are sealed with in the database (ClusterKey).
    QByteArray clusterKey;
};

// Who asks to register a worker (design §5). A worker id that exists may register again only
// when the caller is authorised for every queue that worker holds: the admin, the worker itself
// (its own credential), or a caller holding a join token of each of those queues. New queues
// need the admin or their join token.
struct RegisterAuthority
{
    bool admin = false;
    QString workerId;     // the caller's own worker credential names this worker
    QStringList queueIds; // queues whose join token the caller presented
    static RegisterAuthority full() { return {true, {}, {}}; }
};

// The answer to an enqueue that asked for the task's id alone.
struct EnqueuedTask
{
    QString id;
    bool created = true; // false when an idempotency key returned an existing task
};

// The queue engine: the rules of design §3–§4 and §8 over a durable store.
//
// Thread-safe: every method may be called from any thread and returns at once. Work runs on the
// engine's own thread, in BatchedEngine (batchedengine.h), which owns the store; operations that
// arrive together are committed in one transaction (each in its own savepoint), and a future is
// fulfilled only after its operation is committed. A lease with waitMs parks until work arrives or
// the wait ends.
class Engine final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Engine)
public:
    template <typename T> using Reply = QFuture<Result<T>>;
    // The hot paths (enqueue, heartbeat) also take a callback instead of answering with a
    // future: done takes the result after the commit, on the engine's thread (at once on the
    // caller's when the engine is not running). No promise, future or continuation per call.
    template <typename T> using Done = std::function<void(Result<T>)>;

    // clock: not owned, must outlive the engine; nullptr = the system clock.
    explicit Engine(EngineOptions options, Clock *clock = nullptr, QObject *parent = nullptr);
    ~Engine() override; // stops the thread; parked requests are answered UNAVAILABLE

    // Takes the data directory's lock, opens the store and loads its state. Blocks until done.
    Result<void> start();
    void stop();
    const EngineOptions &options() const;
    // The engine's thread, while started. Work placed on it (the HTTP API) reaches the engine
    // without a thread switch; it must never block.
    QThread *thread() const;

    Reply<QList<EnvironmentInfo>> listEnvironments();
    Reply<EnvironmentInfo> createEnvironment(EnvironmentInfo environment);
    // Refused for `default` and while the environment holds queues (FAILED_PRECONDITION).
    Reply<void> deleteEnvironment(QString name);

    Reply<QueueInfo> createQueue(QString environment, QString name, QueueSettings settings);
    Reply<QueueInfo> queue(QString queueId);
    Reply<QueueInfo> queueByName(QString environment, QString name);
    Reply<QList<QueueInfo>> listQueues(QString environment = {});
    Reply<QueueInfo> updateQueue(QString queueId, QueuePatch patch);
    // Refused while unfinished tasks or online workers exist, unless force.
    Reply<void> deleteQueue(QString queueId, bool force);
    // Removes every waiting (queued and scheduled) task; returns how many.
    Reply<qint64> purgeQueue(QString queueId);
    Reply<QueueInfo> rotateJoinToken(QString queueId);

    Reply<TaskInfo> enqueue(QString queueId, EnqueueRequest request);
    void enqueue(QString queueId, EnqueueRequest request, Done<TaskInfo> done);
    // As enqueue, answering with the task's id alone (a producer that asked for no more).
    void enqueueId(QString queueId, EnqueueRequest request, Done<EnqueuedTask> done);
    // All or nothing; returns the ids in order.
    Reply<QStringList> enqueueBatch(QString queueId, QList<EnqueueRequest> requests);
    // Creates the queue with defaults when it is missing and the environment allows it.
    Reply<TaskInfo> enqueueByName(QString environment, QString queueName, EnqueueRequest request);
    Reply<TaskInfo> task(QString taskId);
    // queueId empty: every queue.
    Reply<TaskPage> listTasks(QString queueId, TaskFilter filter);
    Reply<TaskInfo> cancelTask(QString taskId);
    Reply<TaskInfo> retryTask(QString taskId);
    Reply<void> deleteTask(QString taskId);
    // Retries, cancels or deletes every task of the queue that matches, in chunks that are each
    // an operation of their own; tasks enqueued meanwhile are not touched. Tasks the action does
    // not apply to (a cancel of a finished task, …) are skipped. Answers how many it changed.
    Reply<qint64> bulkTasks(QString queueId, BulkRequest request);

    // authority: by default that of a trusted caller in this process (the admin's).
    Reply<Registration> registerWorker(RegisterRequest request,
                                       RegisterAuthority authority = RegisterAuthority::full());
    // running: the tasks the worker believes it runs; those it no longer owns come back in cancel.
    Reply<HeartbeatReply> heartbeat(QString workerId, QStringList running, QString status = {});
    void heartbeat(QString workerId, QStringList running, QString status,
                   Done<HeartbeatReply> done);
    // withdrawn: set it when the caller is gone; a parked lease then takes nothing more and is
    // answered empty. Tasks that reached a caller who is gone go back with abandonLeases().
    Reply<QList<LeasedTask>> lease(LeaseRequest request, LeaseWithdrawal withdrawn = {});
    Reply<QList<ItemOutcome>> complete(CompleteRequest request);
    // Returns the lease's new expiry (ms since the epoch).
    Reply<qint64> extendLease(QString workerId, QString taskId, QString leaseId);
    Reply<WorkerInfo> drainWorker(QString workerId);
    // Puts leased tasks whose answer never reached the worker back in the queue, the attempt
    // given back.
    Reply<void> abandonLeases(QString workerId, QList<LeasedTask> tasks);
    // The task once it is finished, or as it is when waitMs runs out.
    Reply<TaskInfo> awaitTask(QString taskId, qint64 waitMs);
    // Makes a new admin token when there is none or reset is set; returns it, or "" when kept.
    Reply<QString> initAdminToken(bool reset);
    // The Faktory listener's password (design §5): kept retrievable, since Faktory's salted
    // handshake needs it in the clear. Made on first use; a new one when rotate is set.
    Reply<QString> faktoryPassword(bool rotate);
    // Every token the server accepts; thread-safe, kept current by the engine.
    const CredentialIndex &credentials() const;
    Reply<void> deregisterWorker(QString workerId);
    // queueId empty: every worker.
    Reply<QList<WorkerInfo>> listWorkers(QString queueId = {});

    // Log lines of a running task, from the worker holding its lease; capped per task (oldest go).
    Reply<void> appendLogs(QString workerId, QString taskId, QString leaseId, QList<LogLine> lines);
    Reply<QList<LogLine>> taskLogs(QString taskId, qint64 afterId, int limit);

    // Producer tokens: enqueue to, and read tasks of, the queues they name. The token is shown
    // once.
    Reply<ProducerToken> createProducerToken(QString name, QStringList queueIds);
    Reply<QList<ProducerToken>> listProducerTokens();
    Reply<void> revokeProducerToken(QString name);
    // Viewer tokens (qdv_): read everything an admin can read, change nothing. Shown once, at
    // creation; named; revocable. ProducerToken::queueIds stays empty.
    Reply<ProducerToken> createViewerToken(QString name);
    Reply<QList<ProducerToken>> listViewerTokens();
    Reply<void> revokeViewerToken(QString name);
    Reply<void> recordAudit(AuditEntry entry);
    // Newest first; beforeId 0 = from the newest.
    Reply<QList<AuditEntry>> listAudit(qint64 beforeId, int limit);

    // environment empty: the whole server; else only that environment's queues, with the KPIs
    // (workers attached there, slots, throughput, error rate) of those queues alone.
    Reply<DashboardSnapshot> dashboard(QString environment = {});
    // The queues, workers and tasks that changed since the previous call. Changes are tracked
    // from the first call on, and no longer when nobody has asked for 10 s.
    Reply<ChangeSet> takeChanges();
    // The dashboard as dashboard() has it, and which of its cards changed since the previous call
    // for the same environment (cardchangefeed.h): what the event stream sends its readers of
    // changed cards.
    Reply<DashboardChanges> dashboardChanges(QString environment = {});
    // queueId empty: the whole server.
    Reply<MetricSeries> metrics(QString queueId, MetricRange range);
    // Per task type over the range (the top TypeCounters::MaxTypes, the rest as "other");
    // queueId empty: the whole server.
    Reply<TypeMetricsReport> typeMetrics(QString queueId, MetricRange range);

    // Schedules (scheduler.h): thread-safe like the engine; lives as long as the engine.
    Scheduler &scheduler();
    // Runs (design §10, docs/runs.md). A child is enqueued by the worker holding its parent's
    // live lease, into the parent's queue or one in that queue's child_queues.
    Reply<TaskInfo> enqueueChild(ChildEnqueue request);
    // The run's tree (root first) with states and durations; runId is the root task's id.
    Reply<RunInfo> run(QString runId);
    // Waiting, active, succeeded or failed (isFinished(RunState) tells the last two apart from
    // the first two). Unfinished runs answer from memory; on the engine thread the same question
    // is BatchedEngine::runState().
    Reply<RunState> runState(QString runId);
    // Cancels every unfinished task of the run; answers how many were cancelled.
    Reply<qint64> cancelRun(QString runId);
    // The run once it is finished, or as it is when waitMs runs out.
    Reply<RunInfo> awaitRun(QString runId, qint64 waitMs);

    // Online backups into <data-dir>/backups (BackupJobs): one at a time, made in steps between
    // batches; its status shows the progress.
    Reply<BackupStatus> startBackup();
    Reply<BackupStatus> backupStatus(QString id);
    Reply<void> deleteBackup(QString id);

private:
    std::unique_ptr<BatchedEngine> m_core;
};

} // namespace QueueDeck
