// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// Tasks: enqueue, the waiting-task index, lookups, cancel, operator retry and delete.
#include "batchedengine.h"

#include "ids.h"
#include "validation.h"

#include <QRandomGenerator>

#include <algorithm>
#include <cmath>

namespace QueueDeck {

void BatchedEngine::markDirty(int queueNum)
{
    // A short sorted list, not a hash set: a set cleared after each batch allocated its room
    // again for the next enqueue (three allocations per request).
    const auto at = std::lower_bound(m_dirtyQueues.begin(), m_dirtyQueues.end(), queueNum);
    if (at == m_dirtyQueues.end() || *at != queueNum)
        m_dirtyQueues.insert(at, queueNum);
}

void BatchedEngine::addToReady(QueueState &queue, const ReadyTask &task, const Routing *routing)
{
    queue.ready.insert(task, routing);
    markDirty(queue.row.num);
}

// Puts a waiting row into memory: the ready index, or the schedule when its run_at is ahead.
void BatchedEngine::indexWaiting(const TaskRow &row)
{
    QueueState &queue = m_queues.at(row.queueNum);
    if (row.isRouted())
        m_taskIndex.setRouting(row.seq, Routing{row.requiredLabels, row.targetWorkerId});
    if (row.expireAtMs)
        m_taskIndex.addExpiry(*row.expireAtMs, row.seq);
    if (row.state == TaskState::Scheduled) {
        ++queue.scheduled;
        m_taskIndex.schedule(row.runAtMs, row.seq,
                             ScheduledTask{row.queueNum, row.priority, row.concurrencyKey});
        return;
    }
    ++queue.queued;
    addToReady(queue, ReadyTask{row.seq, row.readyOrderMs(), row.priority, row.concurrencyKey},
               m_taskIndex.routing(row.seq));
}

// Takes a waiting row out of memory (it is cancelled, deleted, expired or retried elsewhere).
void BatchedEngine::unindexWaiting(const TaskRow &row)
{
    QueueState &queue = m_queues.at(row.queueNum);
    if (row.expireAtMs)
        m_taskIndex.removeExpiry(*row.expireAtMs, row.seq);
    if (row.state == TaskState::Scheduled) {
        if (m_taskIndex.unschedule(row.runAtMs, row.seq))
            --queue.scheduled;
    } else if (row.state == TaskState::Queued) {
        // In the ready index, or among the roots max_active_runs holds back.
        const ReadyTask task{row.seq, row.readyOrderMs(), row.priority, row.concurrencyKey};
        bool found = queue.ready.erase(task);
        if (!found)
            forgetHeldRoot(queue, task, found);
        if (found)
            --queue.queued;
    }
    m_taskIndex.forgetRouting(row.seq);
    if (!row.idempotencyKey.isEmpty())
        m_taskIndex.forgetKey(row.queueNum, row.idempotencyKey);
}

Result<TaskRow> BatchedEngine::buildTask(const QueueState &queue, const EnqueueRequest &r,
                                         qint64 seq) const
{
    if (auto valid = Validation::enqueue(r, m_options.maxPayloadBytes); !valid)
        return std::unexpected(valid.error());
    const qint64 t = now();
    TaskRow row;
    row.seq = seq;
    row.queueNum = queue.row.num;
    row.type = r.type;
    row.payload = r.payload;
    row.priority = r.priority;
    row.enqueuedAtMs = t;
    row.runAtMs = r.runAtMs ? *r.runAtMs : t + r.delayMs.value_or(0);
    row.state = row.runAtMs > t ? TaskState::Scheduled : TaskState::Queued;
    row.maxAttempts = r.maxAttempts;
    row.timeoutS = r.timeoutS;
    row.deadlineMs = r.deadlineMs;
    const qint64 maxQueuedS = r.maxQueuedTimeS.value_or(queue.row.settings.maxQueuedTimeS);
    if (maxQueuedS > 0)
        row.expireAtMs = qMax(row.runAtMs, t) + maxQueuedS * 1000;
    if (r.deadlineMs)
        row.expireAtMs = row.expireAtMs ? qMin(*row.expireAtMs, *r.deadlineMs) : *r.deadlineMs;
    if (row.deadlineMs && *row.deadlineMs <= t)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("deadline is in the past; give a time after now"),
                         QJsonObject{{QStringLiteral("field"), QStringLiteral("deadline")}});
    row.idempotencyKey = r.idempotencyKey;
    row.concurrencyKey = r.concurrencyKey;
    row.requiredLabels = r.requiredLabels;
    row.targetWorkerId = r.workerId;
    return row;
}

Result<QList<BatchedEngine::Enqueued>>
BatchedEngine::writeTasks(QueueState &queue, const QList<EnqueueRequest> &requests,
                          const QString &parentId, const QString &runId)
{
    if (requests.isEmpty())
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("tasks is empty; send at least one task"));
    if (requests.size() > Validation::MaxEnqueueBatch)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("a batch holds at most %1 tasks; split it")
                             .arg(Validation::MaxEnqueueBatch));
    const qint64 maxDepth = queue.row.settings.maxDepth;
    const qint64 unfinished = queue.unfinished();
    if (maxDepth > 0 && unfinished + requests.size() > maxDepth)
        return makeError(
            ErrorCode::ResourceExhausted,
            QStringLiteral("queue \"%1\" is full: %2 unfinished tasks, max_depth %3; wait for "
                           "workers to catch up or raise max_depth")
                .arg(queue.row.name)
                .arg(unfinished)
                .arg(maxDepth),
            QJsonObject{{QStringLiteral("max_depth"), maxDepth},
                        {QStringLiteral("unfinished"), unfinished}});

    // Validate and write everything first; memory changes only once every row is written.
    QList<Enqueued> out;
    out.reserve(requests.size());
    QHash<QString, qsizetype> keysInBatch; // idempotency key → index in out
    qint64 seq = m_nextSeq;
    for (qsizetype i = 0; i < requests.size(); ++i) {
        const EnqueueRequest &request = requests.at(i);
        if (!request.idempotencyKey.isEmpty()) {
            if (const auto existing =
                    m_taskIndex.taskWithKey(queue.row.num, request.idempotencyKey)) {
                auto row = m_store->loadTask(*existing);
                if (failed(row))
                    return std::unexpected(row.error());
                if (row->has_value()) {
                    out.append(Enqueued{**row, false});
                    continue;
                }
            }
            if (const auto inBatch = keysInBatch.constFind(request.idempotencyKey);
                inBatch != keysInBatch.cend()) {
                out.append(Enqueued{out.at(*inBatch).row, false});
                continue;
            }
        }
        auto row = buildTask(queue, request, seq);
        if (!row) {
            Error error = row.error();
            if (requests.size() > 1) {
                error.message = QStringLiteral("task %1: %2").arg(i).arg(error.message);
                error.details.insert(QStringLiteral("index"), i);
            }
            return std::unexpected(error);
        }
        row->parentId = parentId;
        row->runId = runId;
        if (auto inserted = m_store->insertTask(*row); failed(inserted))
            return std::unexpected(inserted.error());
        noteTask(row->seq, row->queueNum, row->state);
        if (!request.idempotencyKey.isEmpty())
            keysInBatch.insert(request.idempotencyKey, out.size());
        out.append(Enqueued{std::move(*row), true});
        ++seq;
    }
    m_nextSeq = seq;
    qint64 created = 0;
    for (const Enqueued &item : std::as_const(out)) {
        if (!item.created)
            continue;
        ++created;
        if (!item.row.idempotencyKey.isEmpty())
            m_taskIndex.rememberKey(item.row.queueNum, item.row.idempotencyKey, item.row.seq);
        indexWaiting(item.row);
        runTaskAdded(item.row);
    }
    m_metrics.recordAdded(queue.row.num, created);
    return out;
}

Result<QStringList> BatchedEngine::enqueueBatch(const QString &queueId,
                                                const QList<EnqueueRequest> &requests)
{
    auto found = requireQueue(queueId);
    if (!found)
        return std::unexpected(found.error());
    auto written = writeTasks(**found, requests);
    if (!written)
        return std::unexpected(written.error());
    QStringList ids;
    ids.reserve(written->size());
    for (const Enqueued &item : std::as_const(*written))
        ids.append(Ids::taskId(item.row.enqueuedAtMs, m_options.node, item.row.seq));
    return ids;
}

Result<BatchedEngine::Enqueued> BatchedEngine::enqueueOne(const QString &queueId,
                                                          const EnqueueRequest &request)
{
    auto found = requireQueue(queueId);
    if (!found)
        return std::unexpected(found.error());
    auto written = writeTasks(**found, {request});
    if (!written)
        return std::unexpected(written.error());
    return std::move(written->front());
}

Result<TaskInfo> BatchedEngine::enqueue(const QString &queueId, const EnqueueRequest &request)
{
    const auto written = enqueueOne(queueId, request);
    if (!written)
        return std::unexpected(written.error());
    TaskInfo info = describe(written->row);
    info.created = written->created;
    return info;
}

Result<EnqueuedTask> BatchedEngine::enqueueId(const QString &queueId, const EnqueueRequest &request)
{
    const auto written = enqueueOne(queueId, request);
    if (!written)
        return std::unexpected(written.error());
    return EnqueuedTask{Ids::taskId(written->row.enqueuedAtMs, m_options.node, written->row.seq),
                        written->created};
}

Result<TaskInfo> BatchedEngine::enqueueByName(const QString &environment, const QString &name,
                                              const EnqueueRequest &request)
{
    auto queue = queueByName(environment, name);
    if (!queue) {
        const auto env = m_environments.constFind(environment);
        if (env == m_environments.cend())
            return makeError(ErrorCode::NotFound,
                             QStringLiteral("no environment named \"%1\"").arg(environment));
        if (!env->autoCreate)
            return makeError(
                ErrorCode::NotFound,
                QStringLiteral(
                    "no queue named \"%1\" in environment \"%2\", and the environment does "
                    "not create queues on demand; create the queue first")
                    .arg(name, environment));
        queue = createQueue(environment, name, QueueSettings{});
        if (!queue)
            return std::unexpected(queue.error());
    }
    return enqueue(queue->id, request);
}

Result<std::optional<TaskRow>> BatchedEngine::loadTask(const QString &taskId, qint64 *seq)
{
    const auto parts = Ids::parseTaskId(taskId);
    if (!parts)
        return makeError(
            ErrorCode::InvalidArgument,
            QStringLiteral("\"%1\" is not a task id; task ids start with t_ and have 26 more "
                           "characters")
                .arg(taskId));
    if (seq)
        *seq = parts->seq;
    auto row = m_store->loadTask(parts->seq);
    if (failed(row))
        return std::unexpected(row.error());
    // The id must match the row exactly, not just its sequence number.
    if (row->has_value() && Ids::taskId((*row)->enqueuedAtMs, m_options.node, parts->seq) != taskId)
        return std::optional<TaskRow>();
    return row;
}

TaskInfo BatchedEngine::describe(const TaskRow &row) const
{
    TaskInfo info;
    info.id = Ids::taskId(row.enqueuedAtMs, m_options.node, row.seq);
    const auto queue = m_queues.find(row.queueNum);
    if (queue != m_queues.end())
        info.queueId = queue->second.row.id;
    info.state = row.state;
    info.type = row.type;
    info.payload = row.payload;
    info.priority = row.priority;
    info.enqueuedAtMs = row.enqueuedAtMs;
    info.runAtMs = row.runAtMs;
    info.attempts = row.attempts;
    const RetryPolicy policy =
        queue != m_queues.end() ? queue->second.row.settings.retry : RetryPolicy{};
    info.maxAttempts = row.maxAttempts.value_or(policy.maxAttempts);
    const qint64 defaultTimeout =
        queue != m_queues.end() ? queue->second.row.settings.taskTimeoutS : 600;
    info.timeoutS = row.timeoutS.value_or(defaultTimeout);
    info.deadlineMs = row.deadlineMs;
    info.expiresAtMs = row.expireAtMs;
    info.idempotencyKey = row.idempotencyKey;
    info.concurrencyKey = row.concurrencyKey;
    info.requiredLabels = row.requiredLabels;
    info.targetWorkerId = row.targetWorkerId;
    if (row.leaseValue != 0)
        info.leaseId = Ids::leaseId(row.leaseValue);
    info.leasedBy = row.leasedBy;
    info.leaseExpiresAtMs = row.leaseExpiresAtMs;
    info.startedAtMs = row.startedAtMs;
    info.finishedAtMs = row.finishedAtMs;
    info.lastError = row.lastError;
    info.result = row.result;
    info.deadReason = row.deadReason;
    info.cancelRequested = row.cancelRequested;
    info.parentId = row.parentId;
    info.runId = row.runId.isEmpty() ? info.id : row.runId;
    return info;
}

Result<TaskInfo> BatchedEngine::task(const QString &taskId)
{
    auto row = loadTask(taskId);
    if (!row)
        return std::unexpected(row.error());
    if (!row->has_value())
        return makeError(ErrorCode::NotFound, QStringLiteral("no task with id %1").arg(taskId));
    return describe(**row);
}

Result<TaskPage> BatchedEngine::listTasks(const QString &queueId, const TaskFilter &filter)
{
    int queueNum = 0;
    if (!queueId.isEmpty()) {
        auto found = requireQueue(queueId);
        if (!found)
            return std::unexpected(found.error());
        queueNum = (*found)->row.num;
    }
    if (filter.limit < 1 || filter.limit > 1000)
        return makeError(
            ErrorCode::InvalidArgument,
            QStringLiteral("limit must be between 1 and 1000 (got %1)").arg(filter.limit));
    qint64 beforeSeq = 0;
    if (!filter.cursor.isEmpty()) {
        const auto parts = Ids::parseTaskId(filter.cursor);
        if (!parts)
            return makeError(
                ErrorCode::InvalidArgument,
                QStringLiteral("cursor is not one this server gave out; start without a cursor"));
        beforeSeq = parts->seq;
    }
    auto rows = m_store->listTasks(queueNum, filter, beforeSeq, filter.limit + 1);
    if (failed(rows))
        return std::unexpected(rows.error());
    TaskPage page;
    for (const TaskRow &row : *rows) {
        if (page.items.size() == filter.limit) {
            page.nextCursor = page.items.back().id;
            break;
        }
        page.items.append(describe(row));
    }
    return page;
}

Result<TaskInfo> BatchedEngine::cancelTask(const QString &taskId)
{
    qint64 seq = 0;
    auto loaded = loadTask(taskId, &seq);
    if (!loaded)
        return std::unexpected(loaded.error());
    if (!loaded->has_value())
        return makeError(ErrorCode::NotFound, QStringLiteral("no task with id %1").arg(taskId));
    TaskRow row = **loaded;
    if (isFinished(row.state))
        return makeError(
            ErrorCode::FailedPrecondition,
            QStringLiteral("task %1 is %2 already; only unfinished tasks can be cancelled")
                .arg(taskId, taskStateName(row.state)));
    const qint64 t = now();
    if (auto finished = m_store->markFinished(seq, TaskState::Cancelled, t, {},
                                              QStringLiteral("cancelled"), DeadReason::None);
        failed(finished))
        return std::unexpected(finished.error());
    noteTask(seq, row.queueNum, TaskState::Cancelled);
    QueueState &queue = m_queues.at(row.queueNum);
    if (row.state == TaskState::Running) {
        // The worker is told at its next heartbeat; the slot stays taken until it stops the task.
        if (failed(m_store->markCancelRequested(seq)))
            return makeError(ErrorCode::Unavailable, QStringLiteral("could not record the cancel"));
        if (auto *running = m_leases.find(seq); running)
            running->cancelRequested = true;
        row.cancelRequested = true;
    } else {
        unindexWaiting(row);
    }
    ++queue.finished.cancelled;
    noteFinished(seq);
    runTaskFinished(runSeqOf(seq, row.runId));
    row.state = TaskState::Cancelled;
    row.finishedAtMs = t;
    return describe(row);
}

Result<TaskInfo> BatchedEngine::retryTask(const QString &taskId)
{
    qint64 seq = 0;
    auto loaded = loadTask(taskId, &seq);
    if (!loaded)
        return std::unexpected(loaded.error());
    if (!loaded->has_value())
        return makeError(ErrorCode::NotFound, QStringLiteral("no task with id %1").arg(taskId));
    TaskRow row = **loaded;
    if (row.state != TaskState::Dead && row.state != TaskState::Cancelled)
        return makeError(
            ErrorCode::FailedPrecondition,
            QStringLiteral("task %1 is %2; only dead or cancelled tasks can be retried")
                .arg(taskId, taskStateName(row.state)));
    if (m_leases.contains(seq))
        return makeError(
            ErrorCode::FailedPrecondition,
            QStringLiteral("task %1 is still stopping on its worker; retry it once it has stopped")
                .arg(taskId));
    if (!row.idempotencyKey.isEmpty() && m_taskIndex.hasKey(row.queueNum, row.idempotencyKey))
        return makeError(ErrorCode::AlreadyExists,
                         QStringLiteral("another unfinished task uses idempotency key \"%1\"")
                             .arg(row.idempotencyKey));
    const qint64 t = now();
    if (auto waiting = m_store->markWaiting(seq, TaskState::Queued, t, {}, true); failed(waiting))
        return std::unexpected(waiting.error());
    noteTask(seq, row.queueNum, TaskState::Queued);
    QueueState &queue = m_queues.at(row.queueNum);
    if (row.state == TaskState::Dead)
        --queue.finished.dead;
    else
        --queue.finished.cancelled;
    row.state = TaskState::Queued;
    row.runAtMs = t;
    row.attempts = 0;
    row.expireAtMs.reset();
    row.deadlineMs.reset();
    row.lastError.clear();
    row.result.clear();
    row.finishedAtMs.reset();
    row.deadReason = DeadReason::None;
    row.cancelRequested = false;
    if (!row.idempotencyKey.isEmpty())
        m_taskIndex.rememberKey(row.queueNum, row.idempotencyKey, seq);
    if (auto reopened = runTaskReopened(row); !reopened)
        return std::unexpected(reopened.error());
    indexWaiting(row);
    return describe(row);
}

Result<void> BatchedEngine::deleteTask(const QString &taskId)
{
    qint64 seq = 0;
    auto loaded = loadTask(taskId, &seq);
    if (!loaded)
        return std::unexpected(loaded.error());
    if (!loaded->has_value())
        return makeError(ErrorCode::NotFound, QStringLiteral("no task with id %1").arg(taskId));
    const TaskRow &row = **loaded;
    if (row.state == TaskState::Running || m_leases.contains(seq))
        return makeError(ErrorCode::FailedPrecondition,
                         QStringLiteral("task %1 is running; cancel it first").arg(taskId));
    if (auto deleted = m_store->deleteTask(seq); failed(deleted))
        return std::unexpected(deleted.error());
    noteTask(seq, row.queueNum, std::nullopt, taskId);
    QueueState &queue = m_queues.at(row.queueNum);
    switch (row.state) {
    case TaskState::Queued:
    case TaskState::Scheduled:
        unindexWaiting(row);
        runTaskFinished(runSeqOf(seq, row.runId));
        break;
    case TaskState::Succeeded:
        --queue.finished.succeeded;
        break;
    case TaskState::Dead:
        --queue.finished.dead;
        break;
    case TaskState::Cancelled:
        --queue.finished.cancelled;
        break;
    case TaskState::Running:
        break;
    }
    return {};
}

Result<void> BatchedEngine::appendLogs(const QString &workerId, const QString &taskId,
                                       const QString &leaseId, const QList<LogLine> &lines)
{
    const auto parts = Ids::parseTaskId(taskId);
    const auto lease = Ids::parseLeaseId(leaseId);
    if (!parts || !lease)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("give the task id and the lease_id of its lease"));
    if (!workerId.isEmpty()) {
        if (auto alive = touchWorker(workerId); !alive)
            return std::unexpected(alive.error());
    }
    if (lines.size() > 10000)
        return makeError(
            ErrorCode::InvalidArgument,
            QStringLiteral("send at most 10000 lines a call (got %1)").arg(lines.size()));
    const auto *running = m_leases.find(parts->seq);
    if (!running || running->leaseValue != *lease)
        return makeError(
            ErrorCode::FailedPrecondition,
            QStringLiteral(
                "task %1 is not running under that lease; logs come from its current lease")
                .arg(taskId));
    if (!workerId.isEmpty() && running->workerId != workerId)
        return makeError(ErrorCode::PermissionDenied,
                         QStringLiteral("task %1 is leased by another worker").arg(taskId));
    QList<LogLine> stamped = lines;
    const qint64 t = now();
    for (LogLine &line : stamped) {
        line.text.truncate(Validation::MaxLogLineLength);
        if (line.stream != u"stderr")
            line.stream = QStringLiteral("stdout");
        if (line.atMs <= 0)
            line.atMs = t;
    }
    if (auto appended = m_store->appendLogs(parts->seq, stamped, Validation::MaxLogBytesPerTask);
        failed(appended))
        return appended;
    return {};
}

Result<QList<LogLine>> BatchedEngine::taskLogs(const QString &taskId, qint64 afterId, int limit)
{
    if (limit < 1 || limit > 10000)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("limit must be between 1 and 10000 (got %1)").arg(limit));
    qint64 seq = 0;
    auto row = loadTask(taskId, &seq);
    if (!row)
        return std::unexpected(row.error());
    if (!row->has_value())
        return makeError(ErrorCode::NotFound, QStringLiteral("no task with id %1").arg(taskId));
    auto lines = m_store->loadLogs(seq, afterId, limit);
    if (failed(lines))
        return std::unexpected(lines.error());
    return *lines;
}

void BatchedEngine::noteFinished(qint64 seq)
{
    if (m_taskWaiters.count(seq) > 0)
        m_finishedWithWaiters.append(seq);
}

QFuture<Result<TaskInfo>> BatchedEngine::awaitTask(QString taskId, qint64 waitMs)
{
    auto promise = std::make_shared<QPromise<Result<TaskInfo>>>();
    promise->start();
    QFuture<Result<TaskInfo>> future = promise->future();
    post(operation(
        [this, promise, taskId, waitMs] {
            qint64 seq = 0;
            auto row = loadTask(taskId, &seq);
            if (!row) {
                deliverAfterCommit<TaskInfo>(promise, std::unexpected(row.error()));
                return;
            }
            if (!row->has_value()) {
                deliverAfterCommit<TaskInfo>(
                    promise, makeError(ErrorCode::NotFound,
                                       QStringLiteral("no task with id %1").arg(taskId)));
                return;
            }
            if (isFinished((*row)->state) || waitMs <= 0) {
                deliverAfterCommit<TaskInfo>(promise, describe(**row));
                return;
            }
            m_taskWaiters.emplace(seq, TaskWaiter{now() + waitMs, promise});
        },
        [promise](const Error &error) {
            promise->addResult(Result<TaskInfo>(std::unexpected(error)));
            promise->finish();
        }));
    return future;
}

void BatchedEngine::resolveTaskWaiters(const QList<qint64> &seqs, bool onlyExpired)
{
    const qint64 t = now();
    for (qint64 seq : seqs) {
        auto [begin, end] = m_taskWaiters.equal_range(seq);
        if (begin == end)
            continue;
        auto row = m_store->loadTask(seq);
        for (auto it = begin; it != end;) {
            if (onlyExpired && it->second.deadlineMs > t) {
                ++it;
                continue;
            }
            if (!row)
                deliverAfterCommit<TaskInfo>(it->second.promise, std::unexpected(row.error()));
            else if (!row->has_value())
                deliverAfterCommit<TaskInfo>(
                    it->second.promise,
                    makeError(ErrorCode::NotFound, QStringLiteral("the task was deleted")));
            else
                deliverAfterCommit<TaskInfo>(it->second.promise, describe(**row));
            it = m_taskWaiters.erase(it);
        }
    }
}

qint64 BatchedEngine::backoffMs(const RetryPolicy &policy, int attempts) const
{
    const double base =
        double(policy.initialBackoffMs) * std::pow(policy.multiplier, qMax(0, attempts - 1));
    const double capped = qMin(base, double(policy.maxBackoffMs));
    const double jitter = 0.8 + 0.4 * QRandomGenerator::global()->generateDouble(); // ±20%
    return qint64(capped * jitter);
}

QFuture<Result<qint64>> BatchedEngine::bulk(QString queueId, BulkRequest request)
{
    auto promise = std::make_shared<QPromise<Result<qint64>>>();
    promise->start();
    QFuture<Result<qint64>> future = promise->future();
    request.filter.cursor.clear();
    post(operation([this, promise, queueId, request] { bulkChunk(promise, queueId, request, 0); },
                   [promise](const Error &error) {
                       promise->addResult(Result<qint64>(std::unexpected(error)));
                       promise->finish();
                   }));
    return future;
}

void BatchedEngine::bulkChunk(std::shared_ptr<QPromise<Result<qint64>>> promise, QString queueId,
                              BulkRequest request, qint64 affected)
{
    constexpr int BulkChunk = 500;
    // Pages run from the newest task to the oldest: what is enqueued meanwhile lies before the
    // first page and is never reached.
    request.filter.limit = BulkChunk;
    if (auto began = m_store->beginOperation(); !began) {
        deliverAfterCommit<qint64>(promise, std::unexpected(began.error()));
        return;
    }
    m_storeFailed = false;
    auto page = listTasks(queueId, request.filter);
    if (page) {
        for (const TaskInfo &task : std::as_const(page->items)) {
            bool changed = false;
            switch (request.action) {
            case BulkAction::Retry:
                changed = retryTask(task.id).has_value();
                break;
            case BulkAction::Cancel:
                changed = cancelTask(task.id).has_value();
                break;
            case BulkAction::Delete:
                changed = deleteTask(task.id).has_value();
                break;
            }
            affected += changed ? 1 : 0;
            if (m_storeFailed)
                break;
        }
    }
    m_store->endOperation(page && !m_storeFailed);
    if (m_storeFailed) {
        m_reloadAfterBatch = true;
        deliverAfterCommit<qint64>(
            promise, makeError(ErrorCode::Unavailable,
                               QStringLiteral("the store failed after %1 tasks were changed; "
                                              "run the same action again for the rest")
                                   .arg(affected)));
        return;
    }
    if (!page) {
        deliverAfterCommit<qint64>(promise, std::unexpected(page.error()));
        return;
    }
    if (page->nextCursor.isEmpty()) {
        deliverAfterCommit<qint64>(promise, affected);
        return;
    }
    request.filter.cursor = page->nextCursor;
    post(operation([this, promise, queueId, request,
                    affected] { bulkChunk(promise, queueId, request, affected); },
                   [promise](const Error &error) {
                       promise->addResult(Result<qint64>(std::unexpected(error)));
                       promise->finish();
                   }));
}

} // namespace QueueDeck
