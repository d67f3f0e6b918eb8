// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "store.h"

#include <QHash>

#include <memory>

struct sqlite3;
struct sqlite3_stmt;

namespace QueueDeck {

class SqliteQuery;

// What the store's checkpoints did, for tests and benchmarks.
struct WalStats
{
    qint64 checkpoints = 0;  // checkpoints that ran to the end (SQLITE_OK)
    qint64 framesCopied = 0; // frames they copied into the database file
    qint64 failures = 0;     // checkpoints that failed
    int lastLogFrames = 0;   // frames in the log at the last checkpoint
    int lastCopiedFrames = 0;
};

// The embedded store: one SQLite database in WAL mode, opened through Qt SQL, with hot statements
// prepared once on the raw connection. Durability Normal = synchronous=NORMAL (survives the process
// dying), Full = synchronous=FULL (survives power loss). The connection is the database file's
// only one and holds it in exclusive locking mode: no file lock is taken or released per
// transaction, and the log's index lives in the process's memory instead of a shared file. Its
// checkpoints run on the same connection, right after a commit once the log has grown by
// CheckpointEveryPages. Another process cannot open the database while the store holds it.
class SqliteStore final : public Store
{
    Q_DISABLE_COPY_MOVE(SqliteStore)
public:
    SqliteStore();
    ~SqliteStore() override;

    Result<void> open(const StoreOptions &options) override;
    void close() override;

    Result<void> beginBatch() override;
    Result<void> commitBatch() override;
    void rollbackBatch() override;
    Result<void> beginOperation() override;
    void endOperation(bool keep) override;

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
    Result<void> insertTasks(std::span<const TaskRow> tasks) override;
    Result<std::optional<TaskRow>> loadTask(qint64 seq) override;
    Result<std::optional<LeasedRow>> markLeased(qint64 seq, qint64 leaseValue,
                                                const QString &workerId, qint64 startedAtMs,
                                                qint64 defaultTimeoutS) override;
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

    // The log's size (pages) after which a commit is followed by a checkpoint. 4,096 pages of
    // 2 KiB: a log of about 8 MiB at most, one database sync per that much written.
    static constexpr int CheckpointEveryPages = 4096;
    // The page size of a database the store makes. Every commit writes a frame of a page or more
    // to the log, and SQLite checksums each; a single enqueue writes one frame, which at 2 KiB
    // costs the server about a tenth less CPU than at SQLite's 4 KiB, while draining, batches and
    // 4 KB payloads cost no more (docs/performance.md). A database made before keeps its size.
    static constexpr int NewDatabasePageSize = 2048;

    // The store's thread only.
    WalStats walStats() const;
    // The length (bytes) the log keeps when it restarts after a checkpoint: it is written again in
    // place, and a log a long transaction grew beyond it is cut back to it.
    qint64 logSizeLimit() const;
    // The database's page size (bytes).
    qint64 pageSize() const;

private:
    using Query = SqliteQuery;

    Result<void> exec(const char *sql);
    sqlite3_stmt *statement(const char *sql);
    std::unexpected<Error> failure(const char *what) const;
    void noteWalPages(int pages);

    QString m_connectionName;
    sqlite3 *m_db = nullptr;
    QHash<const char *, sqlite3_stmt *> m_statements;
    std::unique_ptr<ScheduleStore> m_schedules;
    WalStats m_walStats;
    bool m_checkpointFailing = false;
    qint64 m_pageSize = 4096;
    bool m_inBatch = false;
    // Operations of the batch not ended yet; and whether the outermost one runs without a
    // savepoint (see beginOperation()).
    int m_openOperations = 0;
    bool m_unguardedOperation = false;
    qint64 m_changesAtBegin = 0; // sqlite3_total_changes64 when the batch began
};

} // namespace QueueDeck
