// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "intakelog.h"
#include "store.h"

#include <functional>
#include <memory>
#include <vector>

namespace QueueDeck {

// A SQLite store with an intake log (IntakeLog) in front of its task inserts.
//
// A batch that does nothing but add tasks writes them to the log, one write for the batch, and
// opens no database transaction: an enqueue costs a record of its own size in the log instead of
// a transaction, a page written to the database's log and its bookkeeping. The logged tasks stay
// in memory too, and go into the database in one transaction, ahead of everything else, as soon as
// anything else writes: the first other write of a batch (a lease, an ack, a heartbeat), or a
// backup, opens the database's transaction and writes them first. Once they reach FlushRows tasks
// or FlushBytes of payload, the next task added opens it, and closing the store writes them too.
// Reads, the task listings included, answer from the database and the tasks not yet in it
// together, without writing: the engine can read its state back while the disk is full.
//
// Durable as the database is: a batch's tasks are written (and, at Durability::Full, synced)
// before its commit returns. After a crash, opening the store writes the logged tasks into the
// database before anything reads it. The database's meta table keeps which of the log's epochs it
// has taken in full (intake_epoch, written in the transaction that took them) and the id of the
// log that belongs to it (intake_database): a log of an epoch already taken is not read again,
// and a log of another database is moved aside, not read.
//
// The database ":memory:" gets no log: every call goes straight through.
class IntakeStore final : public Store
{
    Q_DISABLE_COPY_MOVE(IntakeStore)
public:
    explicit IntakeStore(std::unique_ptr<Store> database);
    ~IntakeStore() override;

    static constexpr std::size_t FlushRows = 1024;
    static constexpr qint64 FlushBytes = 4 << 20;
    // A batch whose payloads reach this goes straight to the database, logged tasks first.
    static constexpr qint64 DirectBatchBytes = 1 << 20;

    // What the log did since the store opened, for tests and benchmarks.
    struct Stats
    {
        qint64 logged = 0;    // tasks written to the log
        qint64 flushes = 0;   // transactions that took logged tasks into the database
        qint64 recovered = 0; // tasks read back from the log when the store opened
    };
    const Stats &stats() const { return m_stats; }
    // The tasks logged and not yet in the database.
    std::size_t pendingTasks() const { return m_logged.size(); }
    Store &database() { return *m_database; }

    Result<void> open(const StoreOptions &options) override;
    void close() override;

    Result<void> beginBatch() override;
    Result<void> commitBatch() override;
    void rollbackBatch() override;
    Result<void> beginOperation() override;
    void endOperation(bool keep) override;
    void commitWithLease() override;

    Result<qint64> maxTaskSeq() override;
    Result<QByteArray> metaValue(const QString &key) override;
    Result<void> setMetaValue(const QString &key, const QByteArray &value) override;
    Result<void> releaseLease(qint64 seq) override;

    Result<QList<EnvironmentInfo>> loadEnvironments() override;
    Result<void> insertEnvironment(const EnvironmentInfo &environment) override;
    Result<void> deleteEnvironment(const QString &name) override;

    Result<QList<QueueRow>> loadQueues() override;
    Result<void> insertQueue(const QueueRow &queue) override;
    Result<void> updateQueue(const QueueRow &queue) override;
    Result<void> deleteQueue(int queueNum) override;

    Result<void> insertTask(const TaskRow &task) override;
    Result<std::optional<TaskRow>> loadTask(qint64 seq) override;
    Result<std::optional<LeasedRow>> markLeased(qint64 seq, qint64 leaseValue,
                                                const QString &workerId, qint64 startedAtMs,
                                                qint64 defaultTimeoutS) override;
    Result<std::vector<std::optional<LeasedRow>>>
    markLeasedMany(const std::vector<LeaseMark> &marks, const QString &workerId,
                   qint64 startedAtMs) override;
    Result<void> extendLease(qint64 seq, qint64 expiresAtMs) override;
    Result<void> markFinished(qint64 seq, TaskState state, qint64 finishedAtMs,
                              const QByteArray &result, const QString &error,
                              DeadReason reason) override;
    Result<void> markWaiting(qint64 seq, TaskState state, qint64 runAtMs, const QString &error,
                             bool operatorRetry) override;
    Result<int> deleteWaiting(int queueNum, qint64 maxSeq, int limit) override;
    Result<int> deleteFinishedBefore(int queueNum, TaskState state, qint64 beforeMs,
                                     int limit) override;
    Result<void> markCancelRequested(qint64 seq) override;
    Result<void> deleteTask(qint64 seq) override;

    Result<void> scanUnfinished(const std::function<void(const TaskRow &)> &visit) override;
    Result<QHash<int, FinishedCounts>> countFinished() override;
    Result<QList<TaskRow>> loadRunChildren(const QString &runId, int limit) override;
    Result<QList<TaskRow>> listTasks(int queueNum, const TaskFilter &filter, qint64 beforeSeq,
                                     int limit) override;

    Result<void> appendLogs(qint64 seq, const QList<LogLine> &lines, qint64 capBytes) override;
    Result<QList<LogLine>> loadLogs(qint64 seq, qint64 afterId, int limit) override;
    Result<QList<ProducerTokenRow>> loadProducerTokens() override;
    Result<void> insertProducerToken(const ProducerTokenRow &token) override;
    Result<bool> deleteProducerToken(const QString &name) override;
    Result<QList<ProducerTokenRow>> loadViewerTokens() override;
    Result<void> insertViewerToken(const ProducerTokenRow &token) override;
    Result<bool> deleteViewerToken(const QString &name) override;
    Result<void> insertAudit(const AuditRow &entry) override;
    Result<QList<AuditRow>> listAudit(qint64 beforeId, int limit) override;

    Result<QList<WorkerRow>> loadWorkers() override;
    Result<void> upsertWorker(const WorkerRow &worker) override;
    Result<void> deleteWorker(const QString &workerId) override;

    Result<void> upsertRollup(const RollupRow &rollup) override;
    Result<QList<RollupRow>> loadRollups(int queueNum, qint64 fromMinute, qint64 toMinute) override;
    Result<void> deleteRollupsBefore(qint64 minute) override;

    ScheduleStore &schedules() override;

    Result<std::unique_ptr<StoreBackup>> startBackup(const QString &path) override;

private:
    class SettledSchedules;

    // Before a write: the logged tasks and the batch's own go into the database, in the batch's
    // transaction (opened now) or, outside a batch, in one of their own.
    Result<void> settle();
    Result<void> openDatabaseTransaction();
    Result<void> takeLoggedOutsideBatch();
    // Forgets the batch: its database transaction rolled back, its own tasks dropped.
    void abandonBatch();
    // After a commit that took the logged tasks: the log starts its next epoch.
    void startNextEpoch();
    Result<void> recover(const StoreOptions &options);
    // A task not yet in the database (logged, or added by this batch), or null.
    const TaskRow *pendingTask(qint64 seq) const;
    // The tasks not yet in the database that `keeps` accepts, in ascending order of seq; none
    // while the batch's transaction is open (they are in it).
    std::vector<const TaskRow *>
    pendingTasksWhere(const std::function<bool(const TaskRow &)> &keeps) const;
    // New tasks may go to the log: it is in use, can be written, holds no leftovers of a failed
    // write, and has room.
    bool logTakesTasks() const
    {
        return m_useLog && !m_logBroken && !m_epochSpoiled && m_logged.size() < FlushRows &&
               m_loggedBytes < FlushBytes;
    }

    std::unique_ptr<Store> m_database;
    std::unique_ptr<SettledSchedules> m_schedules;
    IntakeLog m_log;
    bool m_useLog = false;    // open, on a database file, and the log writable
    bool m_logBroken = false; // a new epoch could not be started: tasks go to the database
    // An append failed: records of it may be in the file. The epoch ends at the next commit that
    // writes the database (which new tasks then go to).
    bool m_epochSpoiled = false;
    quint64 m_databaseId = 0;
    quint64 m_epoch = 0; // of the log's records

    std::vector<TaskRow> m_logged; // in the log, not yet in the database, oldest first
    qint64 m_loggedBytes = 0;      // their payloads

    // The batch.
    bool m_inBatch = false;
    bool m_transactionOpen = false; // the batch opened the database's transaction
    bool m_tookLogged = false;      // and wrote the logged tasks in it
    // Writing the logged tasks into the transaction failed: the batch cannot commit.
    bool m_takeFailed = false;
    std::vector<TaskRow> m_batchRows;      // the batch's tasks while it has no transaction
    qint64 m_batchBytes = 0;               // their payloads
    std::vector<std::size_t> m_operations; // open operations: where each one's tasks begin

    Stats m_stats;
};

} // namespace QueueDeck
