// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

// Private to the engine: the state and rules behind Engine. Everything here but post() and the
// start/stop calls runs on the engine thread.
//
// BatchedEngine runs the batches (one store transaction each, a savepoint per operation), applies
// the rules and keeps the order of effects. Its state is kept in parts, each engine-thread only:
// the queues (below), TaskIndex (schedule, expiries, routing, idempotency keys of waiting tasks),
// LeaseBook (running tasks, lease expiries, parked lease requests), WorkerRegistry (workers),
// ChangeFeed (what the event stream has not seen yet), CardChangeFeed (which dashboard cards
// changed since the event stream last looked) and MetricsRecorder (counts, samples
// and minute rollups).

#include "backupjobs.h"
#include "cardchangefeed.h"
#include "changefeed.h"
#include "credentialindex.h"
#include "engine.h"
#include "leasebook.h"
#include "metricsrecorder.h"
#include "protocol/runtypes.h"
#include "readyindex.h"
#include "scheduler.h"
#include "store.h"
#include "taskindex.h"
#include "workerregistry.h"

#include <QHash>
#include <QLockFile>
#include <QPromise>
#include <QSet>
#include <QThread>

#include <deque>
#include <functional>
#include <list>
#include <mutex>
#include <set>
#include <tuple>
#include <unordered_map>
#include <vector>

class QTimer;

namespace QueueDeck {

class Clock;

struct QueueState
{
    QueueRow row;
    ReadyIndex ready;
    qint64 queued = 0;
    qint64 scheduled = 0;
    qint64 running = 0;
    FinishedCounts finished;
    QHash<QString, int> runningPerKey;
    QSet<QString> workers; // attached worker ids, online or lost
    double tokens = 0;     // rate limit bucket
    qint64 tokensAtMs = 0;
    // Runs rooted in this queue (design §10): started and unfinished, or waiting to start.
    qint64 activeRuns = 0;
    qint64 waitingRuns = 0;
    // Queued roots held back by max_active_runs, out of the ready index until a run ends; they
    // still count as queued. Keyed like the index: (−priority, order time, seq).
    std::map<std::tuple<int, qint64, qint64>, ReadyTask> heldRoots;

    // What max_depth limits (design §1).
    qint64 unfinished() const { return queued + scheduled + running; }
};

// An unfinished run, by its root's seq.
struct RunEntry
{
    int queueNum = 0;      // the root's queue (0: the root is gone)
    qint64 unfinished = 0; // tasks of the run not finished
    bool started = false;  // its root has been leased
};

struct RunWaiter
{
    qint64 deadlineMs = 0;
    std::shared_ptr<QPromise<Result<RunInfo>>> promise;
};

struct TaskWaiter
{
    qint64 deadlineMs = 0;
    std::shared_ptr<QPromise<Result<TaskInfo>>> promise;
};

class BatchedEngine final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BatchedEngine)
public:
    BatchedEngine(EngineOptions options, Clock *clock);
    ~BatchedEngine() override;

    Result<void> start();
    void stop();
    const EngineOptions &options() const { return m_options; }
    QThread *engineThread() const { return m_thread.get(); }

    enum class Kind { Read, Write };
    // Takes an operation's result after its batch is committed (or the error that undid it), on
    // the engine thread; when the engine is not running, at once on the caller's.
    template <typename T> using Done = std::function<void(Result<T>)>;
    // Runs fn on the engine thread inside a batch and hands its result to done after the commit.
    template <typename T, typename Fn> void runThen(Kind kind, Fn fn, Done<T> done);
    // The same, as a future fulfilled after the commit.
    template <typename T> QFuture<Result<T>> run(Kind kind, std::function<Result<T>()> fn);
    QFuture<Result<QList<LeasedTask>>> lease(LeaseRequest request, LeaseWithdrawal withdrawn);
    // The task once it is finished, or as it is when waitMs runs out.
    QFuture<Result<TaskInfo>> awaitTask(QString taskId, qint64 waitMs);
    const CredentialIndex &credentials() const { return m_credentials; }
    // Online backups of the store (engine thread, while started).
    BackupJobs &backups() { return *m_backups; }
    // Schedules (scheduler.h): their own thread-safe calls, run on the engine thread.
    Scheduler &scheduler() { return *m_scheduler; }
    // Removes every waiting task of a queue in chunks; the future carries how many.
    QFuture<Result<qint64>> purge(QString queueId);
    QFuture<Result<qint64>> bulk(QString queueId, BulkRequest request);

    // --- operations (engine thread, inside a batch) ---
    Result<QList<EnvironmentInfo>> listEnvironments() const;
    Result<EnvironmentInfo> createEnvironment(EnvironmentInfo environment);
    Result<void> deleteEnvironment(const QString &name);
    Result<QueueInfo> createQueue(const QString &environment, const QString &name,
                                  QueueSettings settings);
    Result<QueueInfo> queueInfo(const QString &queueId) const;
    Result<QueueInfo> queueByName(const QString &environment, const QString &name) const;
    Result<QList<QueueInfo>> listQueues(const QString &environment) const;
    Result<QueueInfo> updateQueue(const QString &queueId, const QueuePatch &patch);
    Result<void> deleteQueue(const QString &queueId, bool force);
    Result<QueueInfo> rotateJoinToken(const QString &queueId);

    Result<TaskInfo> enqueue(const QString &queueId, const EnqueueRequest &request);
    Result<EnqueuedTask> enqueueId(const QString &queueId, const EnqueueRequest &request);
    Result<QStringList> enqueueBatch(const QString &queueId, const QList<EnqueueRequest> &requests);
    Result<TaskInfo> enqueueByName(const QString &environment, const QString &name,
                                   const EnqueueRequest &request);
    Result<TaskInfo> task(const QString &taskId);
    Result<TaskPage> listTasks(const QString &queueId, const TaskFilter &filter);
    Result<TaskInfo> cancelTask(const QString &taskId);
    Result<TaskInfo> retryTask(const QString &taskId);
    Result<void> deleteTask(const QString &taskId);

    Result<Registration> registerWorker(const RegisterRequest &request,
                                        const RegisterAuthority &authority);
    Result<HeartbeatReply> heartbeat(const QString &workerId, const QStringList &running,
                                     const QString &status);
    Result<QList<LeasedTask>> tryLease(const QString &workerId, int max,
                                       const QStringList &queueOrder = {});
    Result<QList<ItemOutcome>> complete(const CompleteRequest &request);
    Result<qint64> extendLease(const QString &workerId, const QString &taskId,
                               const QString &leaseId);
    Result<WorkerInfo> drainWorker(const QString &workerId);
    Result<void> abandonLeases(const QString &workerId, const QList<LeasedTask> &tasks);
    // Makes a new admin token when there is none or reset is set; returns it, or "" when kept.
    Result<QString> faktoryPassword(bool rotate);
    Result<QString> initAdminToken(bool reset);
    Result<void> deregisterWorker(const QString &workerId);
    Result<QList<WorkerInfo>> listWorkers(const QString &queueId) const;

    // Runs (batchedengine_runs.cpp).
    Result<TaskInfo> enqueueChild(const ChildEnqueue &request);
    Result<RunInfo> runInfo(const QString &runId);
    // Waiting, active, succeeded or failed: unfinished runs answer from memory.
    Result<RunState> runState(const QString &runId);
    // Cancels every unfinished task of the run; answers how many.
    Result<qint64> cancelRun(const QString &runId);
    // The run once it is finished, or as it is when waitMs runs out.
    QFuture<Result<RunInfo>> awaitRun(QString runId, qint64 waitMs);

    Result<void> appendLogs(const QString &workerId, const QString &taskId, const QString &leaseId,
                            const QList<LogLine> &lines);
    Result<QList<LogLine>> taskLogs(const QString &taskId, qint64 afterId, int limit);
    Result<ProducerToken> createProducerToken(const QString &name, const QStringList &queueIds);
    Result<QList<ProducerToken>> listProducerTokens();
    Result<void> revokeProducerToken(const QString &name);
    Result<ProducerToken> createViewerToken(const QString &name);
    Result<QList<ProducerToken>> listViewerTokens();
    Result<void> revokeViewerToken(const QString &name);
    Result<void> recordAudit(AuditEntry entry);
    Result<QList<AuditEntry>> listAudit(qint64 beforeId, int limit);

    Result<DashboardSnapshot> dashboard(const QString &environment = {}) const;
    Result<ChangeSet> takeChanges();
    Result<DashboardChanges> dashboardChanges(const QString &environment);
    Result<MetricSeries> metrics(const QString &queueId, MetricRange range);
    Result<TypeMetricsReport> typeMetrics(const QString &queueId, MetricRange range);

private:
    friend class Scheduler; // fires write through the store and enqueue inside its batches

    // An operation of a batch, called with nullptr to run it, or with the error that keeps it
    // from running. One callable, not a pair: each is an allocation per request.
    using Operation = std::function<void(const Error *refused)>;
    template <typename Run, typename Refuse> static Operation operation(Run run, Refuse refuse)
    {
        return [run = std::move(run), refuse = std::move(refuse)](const Error *refused) mutable {
            if (refused)
                refuse(*refused);
            else
                run();
        };
    }
    // An operation whose refusal needs no answer (the engine's own work).
    template <typename Run> static Operation operation(Run run)
    {
        return operation(std::move(run), [](const Error &) {});
    }
    // An answer that waits for the commit: called with nullptr once the batch is committed, or
    // with the error that undid it.
    using Delivery = std::function<void(const Error *failed)>;

    void post(Operation operation);
    void purgeChunk(std::shared_ptr<QPromise<Result<qint64>>> promise, int queueNum, qint64 maxSeq,
                    qint64 removed);
    void bulkChunk(std::shared_ptr<QPromise<Result<qint64>>> promise, QString queueId,
                   BulkRequest request, qint64 affected);
    void runBatch();
    template <typename T> void deliverAfterCommit(Done<T> done, Result<T> result);
    template <typename T>
    void deliverAfterCommit(std::shared_ptr<QPromise<Result<T>>> promise, Result<T> result);
    void afterCommit();

    // Loading (engine thread).
    Result<void> openOnThread();
    void closeOnThread();
    Result<void> loadState();
    void clearState();

    // Failure bookkeeping: a store call that fails marks the memory state for a reload.
    template <typename T> bool failed(const Result<T> &result)
    {
        if (!result)
            m_storeFailed = true;
        return !result;
    }

    qint64 now() const;
    QueueState *findQueue(const QString &queueId);
    const QueueState *findQueue(const QString &queueId) const;
    Result<QueueState *> requireQueue(const QString &queueId);
    Error missingQueue(const QString &queueId) const;
    QueueInfo describe(const QueueState &queue) const;
    QueueStatus statusOf(const QueueState &queue) const;
    int onlineWorkers(const QueueState &queue) const;
    Result<QueueState *> insertQueue(const QString &environment, const QString &name,
                                     const QueueSettings &settings);
    Result<void> ensureDefaults();

    // Tasks in memory.
    struct Enqueued
    {
        TaskRow row;
        bool created = true; // false: an idempotency key named an existing task
    };
    // parentId, runId: the lineage of a child (empty for roots).
    Result<QList<Enqueued>> writeTasks(QueueState &queue, const QList<EnqueueRequest> &requests,
                                       const QString &parentId = {}, const QString &runId = {});
    // A one-by-one enqueue's task, written.
    Result<Enqueued> enqueueOne(const QString &queueId, const EnqueueRequest &request);
    Result<TaskRow> buildTask(const QueueState &queue, const EnqueueRequest &request,
                              qint64 seq) const;
    void indexWaiting(const TaskRow &row);
    void unindexWaiting(const TaskRow &row);
    void addToReady(QueueState &queue, const ReadyTask &task, const Routing *routing);
    Result<std::optional<TaskRow>> loadTask(const QString &taskId, qint64 *seq = nullptr);
    TaskInfo describe(const TaskRow &row) const;
    void finishRunning(qint64 seq, RunningTask &running);
    // A running task's attempt failed: retry with backoff or go dead. Writes and updates memory.
    Result<TaskState> failAttempt(qint64 seq, const QString &error, bool retryable);
    qint64 backoffMs(const RetryPolicy &policy, int attempts) const;
    void markDirty(int queueNum);
    // A task reached a final state: whoever waits for it hears after the commit.
    void noteFinished(qint64 seq);
    // A task's new state for the change feed (changefeed.h).
    void noteTask(qint64 seq, int queueNum, std::optional<TaskState> state,
                  const QString &deletedId = {})
    {
        m_changes.noteTask(seq, queueNum, state, deletedId);
    }
    void resolveTaskWaiters(const QList<qint64> &seqs, bool onlyExpired);

    // Runs in memory (batchedengine_runs.cpp).
    qint64 runSeqOf(qint64 seq, const QString &runId) const;
    void countRunTask(const TaskRow &row); // while loading: one unfinished task
    Result<void> settleRunCounts();        // after loading: root queues and per-queue counts
    Result<void> rebuildRuns();            // from the store, after purges and deletions
    void runTaskAdded(const TaskRow &row);
    void runTaskFinished(qint64 runSeq);
    Result<void> runTaskReopened(const TaskRow &row);
    // True when this started the run (false for a child or a run already started).
    bool runRootStarted(qint64 seq);
    void runRootReturned(qint64 seq);
    // A root of a queue at max_active_runs is held back (true); anything else goes on.
    bool holdRoot(QueueState &queue, const ReadyTask &task);
    void releaseHeldRoots(QueueState &queue);
    void forgetHeldRoot(QueueState &queue, const ReadyTask &task, bool &found);
    Result<RunInfo> describeRun(qint64 rootSeq, const QString &runId);
    void resolveRunWaiters(const QList<qint64> &roots, bool onlyExpired);

    // Workers.
    WorkerInfo describe(const WorkerEntry &worker) const
    {
        return WorkerRegistry::describe(worker);
    }
    static std::unexpected<Error> unknownWorker(const QString &workerId);
    Result<WorkerEntry *> touchWorker(const QString &workerId);
    Result<void> loseWorker(WorkerEntry &worker, const QString &reason);
    void releaseWaitersOf(const QString &workerId);

    // Time.
    void processDueWork();
    void armTimer();
    void housekeeping(qint64 nowMs);
    void sampleMetrics(qint64 nowMs);
    void closeMinute(qint64 next); // writes the rollups of the minute that ends
    Result<void> runRetention(qint64 nowMs);
    void serveWaiters();
    void refillTokens(QueueState &queue, qint64 nowMs);

    EngineOptions m_options;
    Clock *m_clock = nullptr;
    std::unique_ptr<Clock> m_ownedClock;
    std::unique_ptr<QThread, void (*)(QThread *)> m_thread;
    QObject *m_context = nullptr; // lives on the engine thread
    QTimer *m_timer = nullptr;
    qint64 m_timerDueMs = 0;        // when m_timer fires, while it is active (engine clock)
    QTimer *m_batchTimer = nullptr; // guarded by m_inboxMutex
    std::unique_ptr<QLockFile> m_lock;
    std::unique_ptr<Store> m_store;
    bool m_open = false;

    std::mutex m_inboxMutex;
    std::vector<Operation> m_inbox;
    std::vector<Operation> m_spareOperations; // engine thread: runBatch() keeps the room here
    bool m_batchPosted = false;

    std::vector<Delivery> m_deliveries;
    std::vector<Delivery> m_spareDeliveries;
    bool m_storeFailed = false;
    std::unique_ptr<BackupJobs> m_backups; // while the store is open
    bool m_reloadAfterBatch = false;
    bool m_lastOfBatch = false; // the running operation is its batch's last
    bool m_stateStale = false;  // a reload failed: the state is read again before the next batch

    // State (engine thread).
    QMap<QString, EnvironmentInfo> m_environments;
    std::unordered_map<int, QueueState> m_queues;

    ChangeFeed m_changes;         // what changed since the event stream last looked
    CardChangeFeed m_cardChanges; // which dashboard cards changed since it last looked
    QHash<QString, int> m_queueNumById;
    int m_nextQueueNum = 1;
    qint64 m_nextSeq = 1;
    TaskIndex m_taskIndex;    // schedule, expiries, routing, idempotency keys of waiting tasks
    WorkerRegistry m_workers; // registered workers by id
    LeaseBook m_leases;       // running tasks, their lease expiries, parked lease requests
    std::unordered_multimap<qint64, TaskWaiter> m_taskWaiters;
    QList<qint64> m_finishedWithWaiters;
    std::unordered_map<qint64, RunEntry> m_runs; // unfinished runs by root seq
    std::unordered_multimap<qint64, RunWaiter> m_runWaiters;
    QList<qint64> m_finishedRunsWithWaiters;
    CredentialIndex m_credentials;
    std::vector<int> m_dirtyQueues; // sorted queue numbers; emptied, not freed, after a batch
    std::set<std::pair<qint64, int>> m_rateWakeups; // (time, queue)
    MetricsRecorder m_metrics; // counts, samples and minute rollups per queue and in total
    qint64 m_nextHousekeepingMs = 0;
    qint64 m_nextRetentionMs = 0;
    std::unique_ptr<Scheduler> m_scheduler;
};

template <typename T> void BatchedEngine::deliverAfterCommit(Done<T> done, Result<T> result)
{
    m_deliveries.push_back(
        [done = std::move(done), result = std::move(result)](const Error *failed) mutable {
            if (failed)
                done(std::unexpected(*failed));
            else
                done(std::move(result));
        });
}

template <typename T>
void BatchedEngine::deliverAfterCommit(std::shared_ptr<QPromise<Result<T>>> promise,
                                       Result<T> result)
{
    m_deliveries.push_back(
        [promise = std::move(promise), result = std::move(result)](const Error *failed) mutable {
            promise->addResult(failed ? Result<T>(std::unexpected(*failed)) : std::move(result));
            promise->finish();
        });
}

template <typename T, typename Fn> void BatchedEngine::runThen(Kind kind, Fn fn, Done<T> done)
{
    post([this, kind, fn = std::move(fn), done = std::move(done)](const Error *refused) mutable {
        if (refused) {
            done(std::unexpected(*refused));
            return;
        }
        if (kind == Kind::Write) {
            if (auto began = m_store->beginOperation(); !began) {
                deliverAfterCommit<T>(std::move(done), std::unexpected(began.error()));
                return;
            }
        }
        m_storeFailed = false;
        Result<T> result = fn();
        if (kind == Kind::Write)
            m_store->endOperation(result.has_value());
        if (m_storeFailed)
            m_reloadAfterBatch = true;
        deliverAfterCommit<T>(std::move(done), std::move(result));
    });
}

// A future over a call that takes a callback: one body for both forms of an engine call.
template <typename T, typename Start> QFuture<Result<T>> futureOf(Start start)
{
    auto promise = std::make_shared<QPromise<Result<T>>>();
    promise->start();
    QFuture<Result<T>> future = promise->future();
    start([promise](Result<T> result) {
        promise->addResult(std::move(result));
        promise->finish();
    });
    return future;
}

template <typename T>
QFuture<Result<T>> BatchedEngine::run(Kind kind, std::function<Result<T>()> fn)
{
    return futureOf<T>([&](std::function<void(Result<T>)> done) {
        runThen<T>(kind, std::move(fn), std::move(done));
    });
}

} // namespace QueueDeck
