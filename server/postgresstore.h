// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "store.h"
#include "tokencipher.h"

#include <memory>

namespace QueueDeck {

class ClusterLease;
class PostgresConnection;
class PostgresWriteBuffer;

// The store on a PostgreSQL database (issue "Scale out"; docs/design/scale-out.md), through
// libpq: the same tables and meanings as SqliteStore, so the engine runs on it unchanged. A batch
// is one transaction, an operation a savepoint; statements are prepared once per connection.
// Writes that answer nothing are held back and sent as multi-row statements in the round trip of
// the next statement or the commit (PostgresWriteBuffer); a store error then fails its batch.
// synchronous_commit is on for the session whatever the cluster's default, so an answered write
// survives a crash of the database server. StoreOptions::databasePath is a postgresql:// URL;
// the password comes from PGPASSWORD or PGPASSFILE, never from logs.
//
// Backups: qdeck admin backup copies SQLite files; a PostgreSQL database is backed up with the
// database's own tools (pg_dump, base backups), and startBackup says so.
class PostgresStore final : public Store
{
    Q_DISABLE_COPY_MOVE(PostgresStore)
public:
    PostgresStore();
    ~PostgresStore() override;

    Result<void> open(const StoreOptions &options) override;
    void close() override;

    Result<void> beginBatch() override;
    Result<void> commitBatch() override;
    void rollbackBatch() override;
    Result<void> beginOperation() override;
    void endOperation(bool keep) override;
    void commitWithLease() override { m_commitWithLease = true; }

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
    std::unique_ptr<PostgresConnection> m_connection;
    std::unique_ptr<PostgresWriteBuffer> m_writes; // declared after the connection it uses
    std::unique_ptr<ScheduleStore> m_schedules;
    std::unique_ptr<ClusterLease> m_fence; // the lease each commit confirms, when fenced
    qint64 m_fenceToken = 0;
    std::optional<TokenCipher> m_cipher; // seals join tokens; set by open()
    bool m_commitWithLease = false;
    // A commit sent with a lease's statement that failed, and its SQLSTATE: commitBatch()
    // reports it.
    std::optional<std::pair<Error, QByteArray>> m_earlyCommitFailure;

    // Queues the fence's confirmation, which goes just before COMMIT, after what is deferred.
    void deferConfirm();
    // What commitBatch() answers, and the batch's end, when its COMMIT failed with `state`.
    Result<void> refuseCommit(const Error &error, const QByteArray &state);
};

} // namespace QueueDeck
