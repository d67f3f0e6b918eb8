// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/error.h"
#include "schedulestore.h"
#include "storebackup.h"
#include "storetypes.h"

#include <QHash>

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace QueueDeck {

// The durable truth behind the engine. Implementations: SqliteStore (embedded, one node) and,
// later, a PostgreSQL store shared by several servers.
//
// Thread affinity: an instance is created, opened, used and closed on one thread (the engine's).
// Writes happen only between beginBatch() and commitBatch(); each operation of a batch runs inside
// beginOperation()/endOperation() so one failed operation is undone without sinking the batch.
class Store
{
public:
    virtual ~Store() = default;

    virtual Result<void> open(const StoreOptions &options) = 0;
    virtual void close() = 0;

    virtual Result<void> beginBatch() = 0;
    virtual Result<void> commitBatch() = 0;
    virtual void rollbackBatch() = 0;
    virtual Result<void> beginOperation() = 0;
    // keep = false undoes everything the operation wrote.
    virtual void endOperation(bool keep) = 0;
    // A promise for the running operation: it is its batch's last, and once its markLeasedMany()
    // answered, it writes nothing more and keeps what it wrote. A store whose commit costs a round
    // trip may then send the batch's commit with that statement, and commitBatch() only reports
    // how it went. Should something be written after all (a lease that found none of its picks
    // still waiting parks, and the parked are served after it), it goes to a transaction of its
    // own that commitBatch() commits. Forgotten when the operation ends.
    virtual void commitWithLease() {}

    virtual Result<qint64> maxTaskSeq() = 0;
    // Small named values of the server (the admin token's hash, …); empty when unset.
    virtual Result<QByteArray> metaValue(const QString &key) = 0;
    virtual Result<void> setMetaValue(const QString &key, const QByteArray &value) = 0;
    // Running → queued as if never leased: the attempt is given back (its answer never reached
    // the worker).
    virtual Result<void> releaseLease(qint64 seq) = 0;

    virtual Result<QList<EnvironmentInfo>> loadEnvironments() = 0;
    virtual Result<void> insertEnvironment(const EnvironmentInfo &environment) = 0;
    virtual Result<void> deleteEnvironment(const QString &name) = 0;

    virtual Result<QList<QueueRow>> loadQueues() = 0;
    virtual Result<void> insertQueue(const QueueRow &queue) = 0;
    virtual Result<void> updateQueue(const QueueRow &queue) = 0;
    // Deletes the queue, its tasks and its metrics.
    virtual Result<void> deleteQueue(int queueNum) = 0;

    virtual Result<void> insertTask(const TaskRow &task) = 0;
    // The tasks in order, as insertTask() each; a store may write them in fewer statements.
    virtual Result<void> insertTasks(std::span<const TaskRow> tasks)
    {
        for (const TaskRow &task : tasks) {
            if (auto inserted = insertTask(task); !inserted)
                return inserted;
        }
        return {};
    }
    virtual Result<std::optional<TaskRow>> loadTask(qint64 seq) = 0;
    // Waiting → running, the lease ending after the task's timeout (or defaultTimeoutS) but never
    // past its deadline; returns what a worker needs, or nothing when the row is not waiting.
    virtual Result<std::optional<LeasedRow>> markLeased(qint64 seq, qint64 leaseValue,
                                                        const QString &workerId, qint64 startedAtMs,
                                                        qint64 defaultTimeoutS) = 0;
    // markLeased for several tasks given to one worker at once, the answers in the marks' order.
    // A store whose statements cost a round trip each does it in one.
    virtual Result<std::vector<std::optional<LeasedRow>>>
    markLeasedMany(const std::vector<LeaseMark> &marks, const QString &workerId, qint64 startedAtMs)
    {
        std::vector<std::optional<LeasedRow>> rows;
        rows.reserve(marks.size());
        for (const LeaseMark &mark : marks) {
            auto row =
                markLeased(mark.seq, mark.leaseValue, workerId, startedAtMs, mark.defaultTimeoutS);
            if (!row)
                return std::unexpected(row.error());
            rows.push_back(std::move(*row));
        }
        return rows;
    }
    virtual Result<void> extendLease(qint64 seq, qint64 expiresAtMs) = 0;
    virtual Result<void> markFinished(qint64 seq, TaskState state, qint64 finishedAtMs,
                                      const QByteArray &result, const QString &error,
                                      DeadReason reason) = 0;
    // Back to waiting (scheduled or queued) at runAtMs, keeping the last lease for late acks.
    // operatorRetry: a dead or cancelled task starts over (attempts, expiry and error cleared).
    virtual Result<void> markWaiting(qint64 seq, TaskState state, qint64 runAtMs,
                                     const QString &error, bool operatorRetry) = 0;
    // Deletes up to `limit` waiting tasks of a queue with seq ≤ maxSeq; returns how many.
    virtual Result<int> deleteWaiting(int queueNum, qint64 maxSeq, int limit) = 0;
    // Deletes up to `limit` tasks of a queue in `state` finished before the time; returns how many.
    virtual Result<int> deleteFinishedBefore(int queueNum, TaskState state, qint64 beforeMs,
                                             int limit) = 0;
    virtual Result<void> markCancelRequested(qint64 seq) = 0;
    virtual Result<void> deleteTask(qint64 seq) = 0;

    // Every unfinished task without payload or result, in sequence order, to rebuild the index.
    virtual Result<void> scanUnfinished(const std::function<void(const TaskRow &)> &visit) = 0;
    virtual Result<QHash<int, FinishedCounts>> countFinished() = 0;
    // The descendants of a run (tasks whose run_id is runId), without payload or result, in
    // sequence order, at most limit of them. The root is loadTask(its seq).
    virtual Result<QList<TaskRow>> loadRunChildren(const QString &runId, int limit) = 0;
    // Tasks of a queue (0 = all) with seq below beforeSeq (0 = no bound), newest first.
    virtual Result<QList<TaskRow>> listTasks(int queueNum, const TaskFilter &filter,
                                             qint64 beforeSeq, int limit) = 0;

    // Appends a task's log lines, then drops its oldest lines while it holds more than capBytes.
    virtual Result<void> appendLogs(qint64 seq, const QList<LogLine> &lines, qint64 capBytes) = 0;
    virtual Result<QList<LogLine>> loadLogs(qint64 seq, qint64 afterId, int limit) = 0;

    virtual Result<QList<ProducerTokenRow>> loadProducerTokens() = 0;
    virtual Result<void> insertProducerToken(const ProducerTokenRow &token) = 0;
    // False when no token had that name.
    virtual Result<bool> deleteProducerToken(const QString &name) = 0;
    // Viewer tokens: a name, the token's hash and when it was made (queueIds stay empty).
    virtual Result<QList<ProducerTokenRow>> loadViewerTokens() = 0;
    virtual Result<void> insertViewerToken(const ProducerTokenRow &token) = 0;
    // False when no token had that name.
    virtual Result<bool> deleteViewerToken(const QString &name) = 0;
    virtual Result<void> insertAudit(const AuditRow &entry) = 0;
    // Newest first, ids below beforeId (0 = no bound).
    virtual Result<QList<AuditRow>> listAudit(qint64 beforeId, int limit) = 0;

    virtual Result<QList<WorkerRow>> loadWorkers() = 0;
    virtual Result<void> upsertWorker(const WorkerRow &worker) = 0;
    virtual Result<void> deleteWorker(const QString &workerId) = 0;

    virtual Result<void> upsertRollup(const RollupRow &rollup) = 0;
    virtual Result<QList<RollupRow>> loadRollups(int queueNum, qint64 fromMinute,
                                                 qint64 toMinute) = 0;
    virtual Result<void> deleteRollupsBefore(qint64 minute) = 0;

    // The schedules' tables, written inside this store's batches (valid while open).
    virtual ScheduleStore &schedules() = 0;

    // Starts a consistent copy of the whole store into a new file at path, made in steps.
    virtual Result<std::unique_ptr<StoreBackup>> startBackup(const QString &path) = 0;
};

} // namespace QueueDeck
