// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "postgresstore.h"

#include "clusterlease.h"
#include "ids.h"
#include "postgresconnection.h"
#include "postgresschedulestore.h"
#include "postgresschema.h"
#include "postgreswritebuffer.h"
#include "storecodec.h"

namespace QueueDeck {

namespace {

using Params = PostgresParams;

// Columns of a task row, in the order readTaskRow() expects; the bodies (payload, result) are
// left out of scans that do not need them.
#define PG_TASK_HEAD "seq, queue, state, type, "
#define PG_TASK_MIDDLE                                                                             \
    ", priority, enqueued_at, run_at, attempts, max_attempts, timeout_s, expire_at, deadline, "    \
    "idempotency_key, concurrency_key, required_labels, target_worker, lease, leased_by, "         \
    "lease_expires, started_at, finished_at, error, "
#define PG_TASK_TAIL ", dead_reason, cancel_requested, parent_id, run_id"
#define PG_TASK_COLUMNS PG_TASK_HEAD "payload" PG_TASK_MIDDLE "result" PG_TASK_TAIL
#define PG_TASK_COLUMNS_NO_BODIES PG_TASK_HEAD "NULL" PG_TASK_MIDDLE "NULL" PG_TASK_TAIL

// Unfinished tasks read at a time by scanUnfinished (keyset pages, so that no transaction stays
// open over the whole scan and memory stays bounded).
constexpr int ScanPage = 20000;

TaskRow readTaskRow(const PostgresResult &r, int i)
{
    TaskRow row;
    row.seq = r.integer(i, 0);
    row.queueNum = int(r.integer(i, 1));
    row.state = TaskState(r.integer(i, 2));
    row.type = r.text(i, 3);
    if (!r.isNull(i, 4))
        row.payload = r.bytes(i, 4);
    row.priority = int(r.integer(i, 5));
    row.enqueuedAtMs = r.integer(i, 6);
    row.runAtMs = r.integer(i, 7);
    row.attempts = int(r.integer(i, 8));
    if (auto v = r.optionalInteger(i, 9))
        row.maxAttempts = int(*v);
    row.timeoutS = r.optionalInteger(i, 10);
    row.expireAtMs = r.optionalInteger(i, 11);
    row.deadlineMs = r.optionalInteger(i, 12);
    row.idempotencyKey = r.text(i, 13);
    row.concurrencyKey = r.text(i, 14);
    if (!r.isNull(i, 15))
        row.requiredLabels = StoreCodec::decodeLabels(r.bytes(i, 15));
    row.targetWorkerId = r.text(i, 16);
    row.leaseValue = r.integer(i, 17);
    row.leasedBy = r.text(i, 18);
    row.leaseExpiresAtMs = r.optionalInteger(i, 19);
    row.startedAtMs = r.optionalInteger(i, 20);
    row.finishedAtMs = r.optionalInteger(i, 21);
    row.lastError = r.text(i, 22);
    if (!r.isNull(i, 23))
        row.result = r.bytes(i, 23);
    row.deadReason = DeadReason(r.integer(i, 24));
    row.cancelRequested = r.integer(i, 25) != 0;
    row.parentId = r.text(i, 26);
    row.runId = r.text(i, 27);
    return row;
}

template <typename T> std::unexpected<Error> errorOf(const Result<T> &result)
{
    return std::unexpected(result.error());
}

} // namespace

PostgresStore::PostgresStore()
    : m_connection(std::make_unique<PostgresConnection>()),
      m_writes(std::make_unique<PostgresWriteBuffer>(*m_connection))
{}

PostgresStore::~PostgresStore()
{
    close();
}

Result<void> PostgresStore::open(const StoreOptions &options)
{
    close();
    auto cipher = TokenCipher::fromKey(options.clusterKey);
    if (!cipher)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("a PostgreSQL store needs the cluster key its join "
                                        "tokens are encrypted with: %1")
                             .arg(cipher.error().message));
    m_cipher = *cipher;
    // Both durability levels commit synchronously: on PostgreSQL "normal" already survives the
    // database server losing power.
    // One server per database until queues have owners (docs/design/scale-out.md): the lock
    // ends with the session, so a server that died leaves the database free at once.
    // In a cluster the leader's lease takes the lock's place: it names one writer, and its
    // fencing token, confirmed by every commit, refuses a deposed leader's late writes.
    const std::optional<qint64> lock =
        options.fence ? std::nullopt : std::optional<qint64>(PostgresSchema::ServerLock);
    if (auto opened = m_connection->open(options.databasePath, lock); !opened)
        return opened;
    if (options.fence) {
        m_fence = std::make_unique<ClusterLease>(*m_connection, options.fence->lease,
                                                 options.fence->holder, 0);
        m_fenceToken = options.fence->token;
    }
    if (auto migrated = PostgresSchema::migrate(*m_connection, *m_cipher); !migrated) {
        m_connection->close();
        return migrated;
    }
    m_schedules = std::make_unique<PostgresScheduleStore>(*m_connection);
    return {};
}

void PostgresStore::close()
{
    m_fence.reset();
    m_schedules.reset();
    m_connection->close();
}

ScheduleStore &PostgresStore::schedules()
{
    return *m_schedules;
}

Result<std::unique_ptr<StoreBackup>> PostgresStore::startBackup(const QString &)
{
    return makeError(ErrorCode::FailedPrecondition,
                     QStringLiteral("this server keeps its data in PostgreSQL, which QueueDeck "
                                    "does not copy itself: back the database up with pg_dump or "
                                    "the database's base backups"));
}

Result<void> PostgresStore::beginBatch()
{
    if (auto connected = m_connection->reconnectIfBroken(); !connected)
        return connected;
    m_connection->takeDeferredFailed();
    m_commitWithLease = false;
    m_earlyCommitFailure.reset();
    m_writes->beginBatch(); // BEGIN goes with the batch's first statement
    return {};
}

void PostgresStore::deferConfirm()
{
    // The lease row is share-locked from its confirmation to the commit, both in one round trip:
    // a takeover waits for this batch, and once it happened the batch is refused.
    if (m_fence)
        m_fence->deferConfirm(m_fenceToken);
}

Result<void> PostgresStore::refuseCommit(const Error &error, const QByteArray &state)
{
    m_writes->clear();
    if (m_connection->inTransaction())
        m_connection->execute("ROLLBACK", "roll back");
    if (m_fence && state == ClusterLease::NotHeldState)
        return makeError(ErrorCode::Unavailable,
                         QStringLiteral("this node no longer leads the cluster (its lease %1 with "
                                        "token %2 was taken over); nothing of this batch was "
                                        "written, retry on the leader")
                             .arg(m_fence->name())
                             .arg(m_fenceToken));
    return std::unexpected(error);
}

Result<void> PostgresStore::commitBatch()
{
    m_commitWithLease = false;
    if (auto failure = std::exchange(m_earlyCommitFailure, {}))
        return refuseCommit(failure->first, failure->second);
    if (m_writes->batchIsEmpty()) { // nothing written, or committed with a lease already
        m_writes->clear();
        return {};
    }
    if (m_connection->takeDeferredFailed())
        return refuseCommit(Error{ErrorCode::Unavailable,
                                  QStringLiteral("a write of this batch failed in the database; "
                                                 "nothing of the batch was written, try again")},
                            {});
    m_writes->place(); // the batch's writes first, then the confirmation, then COMMIT
    deferConfirm();
    auto committed = m_connection->execute("COMMIT", "commit");
    m_connection->takeDeferredFailed();
    if (committed)
        return committed;
    return refuseCommit(committed.error(), m_connection->lastState());
}

void PostgresStore::rollbackBatch()
{
    m_commitWithLease = false;
    m_earlyCommitFailure.reset();
    m_writes->clear();
    if (m_connection->inTransaction())
        m_connection->execute("ROLLBACK", "roll back");
}

Result<void> PostgresStore::beginOperation()
{
    if (m_connection->inFailedTransaction())
        return makeError(ErrorCode::Unavailable,
                         QStringLiteral("the database rolled back the transaction after an error; "
                                        "try again"));
    m_writes->beginOperation(); // its SAVEPOINT goes with its first statement, if any
    return {};
}

void PostgresStore::endOperation(bool keep)
{
    m_commitWithLease = false;
    m_writes->endOperation(keep);
}

Result<qint64> PostgresStore::maxTaskSeq()
{
    auto r = m_connection->run("SELECT coalesce(max(seq), 0) FROM tasks", "read the task sequence");
    if (!r)
        return errorOf(r);
    return r->integer(0, 0);
}

Result<QByteArray> PostgresStore::metaValue(const QString &key)
{
    auto r = m_connection->run("SELECT value FROM meta WHERE key=$1", Params().add(key),
                               "read server settings");
    if (!r)
        return errorOf(r);
    return r->rows() ? r->bytes(0, 0) : QByteArray();
}

Result<void> PostgresStore::setMetaValue(const QString &key, const QByteArray &value)
{
    auto r = m_connection->run("INSERT INTO meta(key, value) VALUES($1, $2) ON CONFLICT(key) DO "
                               "UPDATE SET value=excluded.value",
                               Params().add(key).addBytes(value), "save server settings");
    if (!r)
        return errorOf(r);
    return {};
}

Result<void> PostgresStore::releaseLease(qint64 seq)
{
    auto r = m_connection->run(
        "UPDATE tasks SET state=1, attempts=greatest(attempts-1, 0), lease_expires=NULL, "
        "leased_by=NULL, started_at=NULL WHERE seq=$1 AND state=2",
        Params().add(seq), "release the lease");
    if (!r)
        return errorOf(r);
    return {};
}

Result<QList<EnvironmentInfo>> PostgresStore::loadEnvironments()
{
    auto r = m_connection->run(
        "SELECT name, description, auto_create, created_at FROM environments ORDER BY name",
        "load environments");
    if (!r)
        return errorOf(r);
    QList<EnvironmentInfo> out;
    for (int i = 0; i < r->rows(); ++i)
        out.append({r->text(i, 0), r->text(i, 1), r->integer(i, 2) != 0, r->integer(i, 3)});
    return out;
}

Result<void> PostgresStore::insertEnvironment(const EnvironmentInfo &e)
{
    auto r = m_connection->run(
        "INSERT INTO environments(name, description, auto_create, "
        "created_at) VALUES($1, $2, $3, $4)",
        Params().add(e.name).add(e.description).add(int(e.autoCreate)).add(e.createdAtMs),
        "save the environment");
    if (!r)
        return errorOf(r);
    return {};
}

Result<void> PostgresStore::deleteEnvironment(const QString &name)
{
    auto r = m_connection->run("DELETE FROM environments WHERE name=$1", Params().add(name),
                               "delete the environment");
    if (!r)
        return errorOf(r);
    return {};
}

Result<QList<QueueRow>> PostgresStore::loadQueues()
{
    auto r = m_connection->run("SELECT num, id, environment, name, settings, join_token, "
                               "created_at FROM queues ORDER BY num",
                               "load queues");
    if (!r)
        return errorOf(r);
    QList<QueueRow> out;
    for (int i = 0; i < r->rows(); ++i) {
        QueueRow row;
        row.num = int(r->integer(i, 0));
        row.id = r->text(i, 1);
        row.environment = r->text(i, 2);
        row.name = r->text(i, 3);
        row.settings = StoreCodec::decodeSettings(r->text(i, 4).toUtf8());
        auto token = m_cipher->open(r->text(i, 5), row.id);
        if (!token)
            return std::unexpected(token.error());
        row.joinToken = *token;
        row.createdAtMs = r->integer(i, 6);
        out.append(row);
    }
    return out;
}

Result<void> PostgresStore::insertQueue(const QueueRow &row)
{
    auto sealed = m_cipher->seal(row.joinToken, row.id);
    if (!sealed)
        return std::unexpected(sealed.error());
    auto r = m_connection->run(
        "INSERT INTO queues(num, id, environment, name, settings, join_token, created_at) "
        "VALUES($1, $2, $3, $4, $5, $6, $7)",
        Params()
            .add(row.num)
            .add(row.id)
            .add(row.environment)
            .add(row.name)
            .add(QString::fromUtf8(StoreCodec::encodeSettings(row.settings)))
            .add(*sealed)
            .add(row.createdAtMs),
        "save the queue");
    if (!r)
        return errorOf(r);
    return {};
}

Result<void> PostgresStore::updateQueue(const QueueRow &row)
{
    auto sealed = m_cipher->seal(row.joinToken, row.id);
    if (!sealed)
        return std::unexpected(sealed.error());
    auto r = m_connection->run("UPDATE queues SET name=$2, settings=$3, join_token=$4 WHERE num=$1",
                               Params()
                                   .add(row.num)
                                   .add(row.name)
                                   .add(QString::fromUtf8(StoreCodec::encodeSettings(row.settings)))
                                   .add(*sealed),
                               "update the queue");
    if (!r)
        return errorOf(r);
    return {};
}

Result<void> PostgresStore::deleteQueue(int queueNum)
{
    for (const char *sql :
         {"DELETE FROM tasks WHERE queue=$1", "DELETE FROM metrics_minute WHERE queue=$1",
          "DELETE FROM queues WHERE num=$1"}) {
        if (auto r = m_connection->run(sql, Params().add(queueNum), "delete the queue"); !r)
            return errorOf(r);
    }
    return {};
}

Result<void> PostgresStore::insertTask(const TaskRow &t)
{
    // Held back and sent with others as one statement (PostgresWriteBuffer).
    m_writes->insertTask(Params()
                             .add(t.seq)
                             .add(t.queueNum)
                             .add(int(t.state))
                             .add(t.type)
                             .addBytes(t.payload)
                             .add(t.priority)
                             .add(t.enqueuedAtMs)
                             .add(t.runAtMs)
                             .add(t.maxAttempts)
                             .add(t.timeoutS)
                             .add(t.expireAtMs)
                             .add(t.deadlineMs)
                             .addOptional(t.idempotencyKey)
                             .addOptional(t.concurrencyKey)
                             .addBytes(StoreCodec::encodeLabels(t.requiredLabels), true)
                             .addOptional(t.targetWorkerId)
                             .addOptional(t.parentId)
                             .addOptional(t.runId));
    return {};
}

Result<std::optional<TaskRow>> PostgresStore::loadTask(qint64 seq)
{
    auto r = m_connection->run("SELECT " PG_TASK_COLUMNS " FROM tasks WHERE seq=$1",
                               Params().add(seq), "read the task");
    if (!r)
        return errorOf(r);
    if (r->rows() == 0)
        return std::optional<TaskRow>();
    return std::optional<TaskRow>(readTaskRow(*r, 0));
}

Result<std::optional<LeasedRow>> PostgresStore::markLeased(qint64 seq, qint64 leaseValue,
                                                           const QString &workerId,
                                                           qint64 startedAtMs,
                                                           qint64 defaultTimeoutS)
{
    // One round trip: the update answers with what the worker needs.
    auto r = m_connection->run(
        "UPDATE tasks SET state=2, lease=$2, leased_by=$3, started_at=$4, "
        "lease_expires=least(coalesce(deadline, 9223372036854775807), "
        "$4::bigint + coalesce(timeout_s, $5::bigint)*1000), attempts=attempts+1 "
        "WHERE seq=$1 AND state<2 RETURNING type, payload, attempts, max_attempts, timeout_s, "
        "deadline, enqueued_at, run_at, lease_expires, expire_at, run_id",
        Params().add(seq).add(leaseValue).add(workerId).add(startedAtMs).add(defaultTimeoutS),
        "lease the task");
    if (!r)
        return errorOf(r);
    if (r->rows() == 0)
        return std::optional<LeasedRow>();
    LeasedRow row;
    row.type = r->text(0, 0);
    row.payload = r->bytes(0, 1);
    row.attempts = int(r->integer(0, 2));
    if (auto v = r->optionalInteger(0, 3))
        row.maxAttempts = int(*v);
    row.timeoutS = r->optionalInteger(0, 4);
    row.deadlineMs = r->optionalInteger(0, 5);
    row.enqueuedAtMs = r->integer(0, 6);
    row.runAtMs = r->integer(0, 7);
    row.leaseExpiresAtMs = r->integer(0, 8);
    row.expireAtMs = r->optionalInteger(0, 9);
    row.runId = r->text(0, 10);
    return std::optional<LeasedRow>(std::move(row));
}

Result<std::vector<std::optional<LeasedRow>>>
PostgresStore::markLeasedMany(const std::vector<LeaseMark> &marks, const QString &workerId,
                              qint64 startedAtMs)
{
    // As markLeased, a chunk of tasks per statement: $1 the worker, $2 the start, then
    // (seq, lease, the queue's timeout) per task. RETURNING names the seq: rows come in any order.
    static const std::array<QByteArray, PostgresWriteBuffer::ChunkRows.size()> sql = [] {
        static const char *const casts[] = {"::bigint", "::bigint", "::bigint"};
        std::array<QByteArray, PostgresWriteBuffer::ChunkRows.size()> out;
        for (std::size_t i = 0; i < out.size(); ++i)
            out[i] =
                "UPDATE tasks SET state=2, lease=v.lease, leased_by=$1, started_at=$2, "
                "lease_expires=least(coalesce(tasks.deadline, 9223372036854775807), "
                "$2::bigint + coalesce(tasks.timeout_s, v.default_timeout)*1000), "
                "attempts=tasks.attempts+1 FROM (VALUES " +
                PostgresWriteBuffer::valuesList(PostgresWriteBuffer::ChunkRows[i], 3, casts, 3) +
                ") AS v(seq, lease, default_timeout) WHERE tasks.seq=v.seq AND "
                "tasks.state<2 RETURNING tasks.seq, type, payload, attempts, max_attempts, "
                "timeout_s, deadline, enqueued_at, run_at, lease_expires, expire_at, run_id";
        return out;
    }();
    QHash<qint64, std::size_t> at;
    for (std::size_t i = 0; i < marks.size(); ++i)
        at.insert(marks[i].seq, i);
    std::vector<std::optional<LeasedRow>> rows(marks.size());
    for (std::size_t from = 0; from < marks.size();) {
        const std::size_t chunk = PostgresWriteBuffer::chunkFor(marks.size() - from);
        Params params;
        params.add(workerId).add(startedAtMs);
        for (int i = 0; i < PostgresWriteBuffer::ChunkRows[chunk]; ++i) {
            const LeaseMark &mark = marks[from + std::size_t(i)];
            params.add(mark.seq).add(mark.leaseValue).add(mark.defaultTimeoutS);
        }
        from += std::size_t(PostgresWriteBuffer::ChunkRows[chunk]);
        // The batch's last statement when the engine promised so: its commit goes with it, one
        // round trip less per lease (not after a held-back write failed: that batch is refused).
        const bool commits = from == marks.size() && std::exchange(m_commitWithLease, false) &&
                             !m_connection->deferredFailed();
        if (commits) {
            m_writes->place();
            m_connection->markTrailer();
            deferConfirm();
            m_connection->defer("COMMIT");
        }
        auto r = m_connection->run(sql[chunk].constData(), params, "lease the tasks");
        if (!r)
            return errorOf(r); // the commit was not run: the transaction goes on
        if (commits) {
            if (auto outcome = m_connection->takeTrailerOutcome(); outcome && outcome->result)
                m_writes->committed(); // whatever else comes begins a transaction of its own
            else if (outcome)
                m_earlyCommitFailure.emplace(outcome->result.error(), outcome->state);
        }
        for (int i = 0; i < r->rows(); ++i) {
            const auto index = at.constFind(r->integer(i, 0));
            if (index == at.cend())
                continue;
            LeasedRow row;
            row.type = r->text(i, 1);
            row.payload = r->bytes(i, 2);
            row.attempts = int(r->integer(i, 3));
            if (auto v = r->optionalInteger(i, 4))
                row.maxAttempts = int(*v);
            row.timeoutS = r->optionalInteger(i, 5);
            row.deadlineMs = r->optionalInteger(i, 6);
            row.enqueuedAtMs = r->integer(i, 7);
            row.runAtMs = r->integer(i, 8);
            row.leaseExpiresAtMs = r->integer(i, 9);
            row.expireAtMs = r->optionalInteger(i, 10);
            row.runId = r->text(i, 11);
            rows[*index] = std::move(row);
        }
    }
    return rows;
}

Result<void> PostgresStore::extendLease(qint64 seq, qint64 expiresAtMs)
{
    auto r = m_connection->run("UPDATE tasks SET lease_expires=$2 WHERE seq=$1",
                               Params().add(seq).add(expiresAtMs), "extend the lease");
    if (!r)
        return errorOf(r);
    return {};
}

Result<void> PostgresStore::markFinished(qint64 seq, TaskState state, qint64 finishedAtMs,
                                         const QByteArray &result, const QString &error,
                                         DeadReason reason)
{
    // Held back and sent with others as one statement (PostgresWriteBuffer).
    m_writes->finishTask(seq, Params()
                                  .add(seq)
                                  .add(int(state))
                                  .add(finishedAtMs)
                                  .addBytes(result, true)
                                  .addOptional(error)
                                  .add(int(reason)));
    return {};
}

Result<void> PostgresStore::markWaiting(qint64 seq, TaskState state, qint64 runAtMs,
                                        const QString &error, bool operatorRetry)
{
    if (operatorRetry) {
        auto r = m_connection->run(
            "UPDATE tasks SET state=$2, run_at=$3, attempts=0, expire_at=NULL, deadline=NULL, "
            "error=NULL, result=NULL, lease_expires=NULL, finished_at=NULL, dead_reason=0, "
            "cancel_requested=0 WHERE seq=$1",
            Params().add(seq).add(int(state)).add(runAtMs), "retry the task");
        if (!r)
            return errorOf(r);
        return {};
    }
    auto r = m_connection->run("UPDATE tasks SET state=$2, run_at=$3, error=coalesce($4, error), "
                               "lease_expires=NULL WHERE seq=$1",
                               Params().add(seq).add(int(state)).add(runAtMs).addOptional(error),
                               "reschedule the task");
    if (!r)
        return errorOf(r);
    return {};
}

Result<int> PostgresStore::deleteWaiting(int queueNum, qint64 maxSeq, int limit)
{
    auto r = m_connection->run(
        "DELETE FROM tasks WHERE seq IN (SELECT seq FROM tasks WHERE queue=$1 AND state<2 AND "
        "finished_at IS NULL AND seq<=$2 LIMIT $3)",
        Params().add(queueNum).add(maxSeq).add(limit), "purge tasks");
    if (!r)
        return errorOf(r);
    return int(r->affected());
}

Result<int> PostgresStore::deleteFinishedBefore(int queueNum, TaskState state, qint64 beforeMs,
                                                int limit)
{
    // "finished_at IS NOT NULL" lets the planner use the partial index of finished tasks.
    auto r = m_connection->run(
        "DELETE FROM tasks WHERE seq IN (SELECT seq FROM tasks WHERE queue=$1 AND state=$2 AND "
        "finished_at IS NOT NULL AND finished_at<$3 LIMIT $4)",
        Params().add(queueNum).add(int(state)).add(beforeMs).add(limit), "delete old tasks");
    if (!r)
        return errorOf(r);
    return int(r->affected());
}

Result<void> PostgresStore::markCancelRequested(qint64 seq)
{
    auto r = m_connection->run("UPDATE tasks SET cancel_requested=1 WHERE seq=$1",
                               Params().add(seq), "cancel the task");
    if (!r)
        return errorOf(r);
    return {};
}

Result<void> PostgresStore::deleteTask(qint64 seq)
{
    auto r =
        m_connection->run("DELETE FROM tasks WHERE seq=$1", Params().add(seq), "delete the task");
    if (!r)
        return errorOf(r);
    return {};
}

Result<void> PostgresStore::scanUnfinished(const std::function<void(const TaskRow &)> &visit)
{
    qint64 after = -1;
    for (;;) {
        auto r = m_connection->run("SELECT " PG_TASK_COLUMNS_NO_BODIES " FROM tasks WHERE "
                                   "finished_at IS NULL AND seq>$1 ORDER BY seq LIMIT $2",
                                   Params().add(after).add(ScanPage), "scan unfinished tasks");
        if (!r)
            return errorOf(r);
        for (int i = 0; i < r->rows(); ++i) {
            const TaskRow row = readTaskRow(*r, i);
            after = row.seq;
            visit(row);
        }
        if (r->rows() < ScanPage)
            return {};
    }
}

Result<QHash<int, FinishedCounts>> PostgresStore::countFinished()
{
    auto r = m_connection->run(
        "SELECT queue, state, count(*) FROM tasks WHERE finished_at IS NOT NULL GROUP BY queue, "
        "state",
        "count finished tasks");
    if (!r)
        return errorOf(r);
    QHash<int, FinishedCounts> out;
    for (int i = 0; i < r->rows(); ++i) {
        FinishedCounts &counts = out[int(r->integer(i, 0))];
        const qint64 count = r->integer(i, 2);
        switch (TaskState(r->integer(i, 1))) {
        case TaskState::Succeeded:
            counts.succeeded = count;
            break;
        case TaskState::Dead:
            counts.dead = count;
            break;
        case TaskState::Cancelled:
            counts.cancelled = count;
            break;
        default:
            break;
        }
    }
    return out;
}

Result<QList<TaskRow>> PostgresStore::loadRunChildren(const QString &runId, int limit)
{
    auto r = m_connection->run("SELECT " PG_TASK_COLUMNS_NO_BODIES " FROM tasks WHERE run_id=$1 "
                               "ORDER BY seq LIMIT $2",
                               Params().add(runId).add(limit), "read the run's tasks");
    if (!r)
        return errorOf(r);
    QList<TaskRow> rows;
    for (int i = 0; i < r->rows(); ++i)
        rows.append(readTaskRow(*r, i));
    return rows;
}

Result<QList<TaskRow>> PostgresStore::listTasks(int queueNum, const TaskFilter &filter,
                                                qint64 beforeSeq, int limit)
{
    // One statement covers every filter: an unset filter binds NULL and matches everything.
    Params params;
    params.add(queueNum);
    params.add(filter.state ? std::optional<int>(int(*filter.state)) : std::nullopt);
    params.addOptional(filter.type);
    params.add(beforeSeq);
    if (!filter.text.isEmpty()) {
        params.addBytes(filter.text.toUtf8());
        const auto parts = Ids::parseTaskId(filter.text);
        params.add(parts ? parts->seq : qint64(-1));
    } else {
        params.addNull().addNull();
    }
    params.add(limit);
    auto r = m_connection->run(
        "SELECT " PG_TASK_COLUMNS " FROM tasks WHERE ($1::integer=0 OR queue=$1) AND "
        "($2::smallint IS NULL OR state=$2) AND ($3::text IS NULL OR type=$3) AND "
        "($4::bigint=0 OR seq<$4) AND ($5::bytea IS NULL OR seq=$6::bigint OR "
        "position($5 in payload)>0) ORDER BY seq DESC LIMIT $7",
        params, "list tasks");
    if (!r)
        return errorOf(r);
    QList<TaskRow> out;
    for (int i = 0; i < r->rows(); ++i)
        out.append(readTaskRow(*r, i));
    return out;
}

Result<void> PostgresStore::appendLogs(qint64 seq, const QList<LogLine> &lines, qint64 capBytes)
{
    for (const LogLine &line : lines) {
        auto r = m_connection->run(
            "INSERT INTO task_logs(seq, at, stream, line) VALUES($1, $2, $3, $4)",
            Params().add(seq).add(line.atMs).add(line.stream).add(line.text), "save log lines");
        if (!r)
            return errorOf(r);
    }
    // Over the cap, the oldest lines go: a line stays while it and every newer line fit.
    auto r = m_connection->run(
        "DELETE FROM task_logs WHERE id IN (SELECT id FROM (SELECT id, sum(length(line)) OVER "
        "(ORDER BY id DESC) AS kept FROM task_logs WHERE seq=$1) AS sized WHERE kept>$2)",
        Params().add(seq).add(capBytes), "trim the task's log");
    if (!r)
        return errorOf(r);
    return {};
}

Result<QList<LogLine>> PostgresStore::loadLogs(qint64 seq, qint64 afterId, int limit)
{
    auto r = m_connection->run("SELECT id, at, stream, line FROM task_logs WHERE seq=$1 AND "
                               "id>$2 ORDER BY id LIMIT $3",
                               Params().add(seq).add(afterId).add(limit), "read the task's log");
    if (!r)
        return errorOf(r);
    QList<LogLine> out;
    for (int i = 0; i < r->rows(); ++i)
        out.append({r->integer(i, 0), r->integer(i, 1), r->text(i, 2), r->text(i, 3)});
    return out;
}

Result<QList<ProducerTokenRow>> PostgresStore::loadProducerTokens()
{
    auto r = m_connection->run("SELECT name, token_sha256, queue_ids, created_at FROM "
                               "producer_tokens ORDER BY name",
                               "load producer tokens");
    if (!r)
        return errorOf(r);
    QList<ProducerTokenRow> out;
    for (int i = 0; i < r->rows(); ++i)
        out.append({r->text(i, 0), r->bytes(i, 1), r->text(i, 2).split(u',', Qt::SkipEmptyParts),
                    r->integer(i, 3)});
    return out;
}

Result<void> PostgresStore::insertProducerToken(const ProducerTokenRow &token)
{
    auto r = m_connection->run("INSERT INTO producer_tokens(name, token_sha256, queue_ids, "
                               "created_at) VALUES($1, $2, $3, $4)",
                               Params()
                                   .add(token.name)
                                   .addBytes(token.tokenHash)
                                   .add(token.queueIds.join(u','))
                                   .add(token.createdAtMs),
                               "save the producer token");
    if (!r)
        return errorOf(r);
    return {};
}

Result<bool> PostgresStore::deleteProducerToken(const QString &name)
{
    auto r = m_connection->run("DELETE FROM producer_tokens WHERE name=$1", Params().add(name),
                               "revoke the producer token");
    if (!r)
        return errorOf(r);
    return r->affected() > 0;
}

Result<QList<ProducerTokenRow>> PostgresStore::loadViewerTokens()
{
    auto r =
        m_connection->run("SELECT name, token_sha256, created_at FROM viewer_tokens ORDER BY name",
                          "load viewer tokens");
    if (!r)
        return errorOf(r);
    QList<ProducerTokenRow> out;
    for (int i = 0; i < r->rows(); ++i)
        out.append({r->text(i, 0), r->bytes(i, 1), {}, r->integer(i, 2)});
    return out;
}

Result<void> PostgresStore::insertViewerToken(const ProducerTokenRow &token)
{
    auto r = m_connection->run(
        "INSERT INTO viewer_tokens(name, token_sha256, created_at) VALUES($1, $2, $3)",
        Params().add(token.name).addBytes(token.tokenHash).add(token.createdAtMs),
        "save the viewer token");
    if (!r)
        return errorOf(r);
    return {};
}

Result<bool> PostgresStore::deleteViewerToken(const QString &name)
{
    auto r = m_connection->run("DELETE FROM viewer_tokens WHERE name=$1", Params().add(name),
                               "revoke the viewer token");
    if (!r)
        return errorOf(r);
    return r->affected() > 0;
}

Result<void> PostgresStore::insertAudit(const AuditRow &entry)
{
    auto r = m_connection->run(
        "INSERT INTO audit(at, actor_kind, actor, action, target) VALUES($1, $2, $3, $4, $5)",
        Params()
            .add(entry.atMs)
            .add(entry.actorKind)
            .add(entry.actor)
            .add(entry.action)
            .add(entry.target),
        "write the audit log");
    if (!r)
        return errorOf(r);
    return {};
}

Result<QList<AuditRow>> PostgresStore::listAudit(qint64 beforeId, int limit)
{
    auto r = m_connection->run("SELECT id, at, actor_kind, actor, action, target FROM audit "
                               "WHERE ($1::bigint=0 OR id<$1) ORDER BY id DESC LIMIT $2",
                               Params().add(beforeId).add(limit), "read the audit log");
    if (!r)
        return errorOf(r);
    QList<AuditRow> out;
    for (int i = 0; i < r->rows(); ++i)
        out.append({r->integer(i, 0), r->integer(i, 1), r->text(i, 2), r->text(i, 3), r->text(i, 4),
                    r->text(i, 5)});
    return out;
}

Result<QList<WorkerRow>> PostgresStore::loadWorkers()
{
    auto r = m_connection->run("SELECT id, data FROM workers ORDER BY id", "load workers");
    if (!r)
        return errorOf(r);
    QList<WorkerRow> out;
    for (int i = 0; i < r->rows(); ++i) {
        WorkerRow row = StoreCodec::decodeWorker(r->text(i, 1).toUtf8());
        row.id = r->text(i, 0);
        out.append(row);
    }
    return out;
}

Result<void> PostgresStore::upsertWorker(const WorkerRow &worker)
{
    auto r = m_connection->run(
        "INSERT INTO workers(id, data) VALUES($1, $2) ON CONFLICT(id) DO "
        "UPDATE SET data=excluded.data",
        Params().add(worker.id).add(QString::fromUtf8(StoreCodec::encodeWorker(worker))),
        "save the worker");
    if (!r)
        return errorOf(r);
    return {};
}

Result<void> PostgresStore::deleteWorker(const QString &workerId)
{
    auto r = m_connection->run("DELETE FROM workers WHERE id=$1", Params().add(workerId),
                               "delete the worker");
    if (!r)
        return errorOf(r);
    return {};
}

Result<void> PostgresStore::upsertRollup(const RollupRow &rollup)
{
    auto r = m_connection->run(
        "INSERT INTO metrics_minute(queue, minute, data) VALUES($1, $2, $3) ON CONFLICT(queue, "
        "minute) DO UPDATE SET data=excluded.data",
        Params().add(rollup.queueNum).add(rollup.minute).addBytes(rollup.data), "save metrics");
    if (!r)
        return errorOf(r);
    return {};
}

Result<QList<RollupRow>> PostgresStore::loadRollups(int queueNum, qint64 fromMinute,
                                                    qint64 toMinute)
{
    auto r =
        m_connection->run("SELECT minute, data FROM metrics_minute WHERE queue=$1 AND "
                          "minute>=$2 AND minute<=$3 ORDER BY minute",
                          Params().add(queueNum).add(fromMinute).add(toMinute), "load metrics");
    if (!r)
        return errorOf(r);
    QList<RollupRow> out;
    for (int i = 0; i < r->rows(); ++i)
        out.append({queueNum, r->integer(i, 0), r->bytes(i, 1)});
    return out;
}

Result<void> PostgresStore::deleteRollupsBefore(qint64 minute)
{
    auto r = m_connection->run("DELETE FROM metrics_minute WHERE minute<$1", Params().add(minute),
                               "delete old metrics");
    if (!r)
        return errorOf(r);
    return {};
}

} // namespace QueueDeck
