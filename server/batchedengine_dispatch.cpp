// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// BatchedEngine, dispatch: leasing tasks to a worker (routing, limits, rate buckets), lease
// requests parked until work arrives, and leases handed back unused.
#include "batchedengine.h"

#include "ids.h"
#include "validation.h"

#include <QLoggingCategory>

#include <algorithm>

Q_DECLARE_LOGGING_CATEGORY(lcEngine)

namespace QueueDeck {

namespace {

// A rate bucket holds a second's worth of tokens, and at least one.
double bucketCapacity(const QueueSettings &settings)
{
    return qMax(1.0, settings.rateLimit);
}

} // namespace

void BatchedEngine::refillTokens(QueueState &queue, qint64 nowMs)
{
    const double rate = queue.row.settings.rateLimit;
    if (rate <= 0)
        return;
    queue.tokens = qMin(bucketCapacity(queue.row.settings),
                        queue.tokens + double(nowMs - queue.tokensAtMs) * rate / 1000.0);
    queue.tokensAtMs = nowMs;
}

Result<QList<LeasedTask>> BatchedEngine::tryLease(const QString &workerId, int max,
                                                  const QStringList &queueOrder)
{
    auto *workerIt = m_workers.find(workerId);
    if (!workerIt)
        return unknownWorker(workerId);
    WorkerEntry &worker = *workerIt;
    QList<LeasedTask> out;
    if (worker.lost || worker.row.draining)
        return out;

    // Queues in priority order; equal priorities take turns from one lease to the next.
    QList<QueueState *> queues;
    if (!queueOrder.isEmpty()) {
        // The caller's order, strictly; queues the worker does not hold are skipped.
        for (const QString &queueId : queueOrder) {
            if (!worker.row.queueIds.contains(queueId))
                continue;
            if (auto *queue = findQueue(queueId))
                queues.append(queue);
        }
    } else {
        for (const QString &queueId : std::as_const(worker.row.queueIds)) {
            if (auto *queue = findQueue(queueId))
                queues.append(queue);
        }
    }
    if (queueOrder.isEmpty() && queues.size() > 1) {
        const quint32 shift = worker.rotation++ % quint32(queues.size());
        std::rotate(queues.begin(), queues.begin() + shift, queues.end());
        std::stable_sort(queues.begin(), queues.end(),
                         [](const QueueState *a, const QueueState *b) {
                             return a->row.settings.priority > b->row.settings.priority;
                         });
    }

    // First the picks, each reserved at once so that the limits of the next count it
    // (concurrency, max_per_key, the rate bucket, max_active_runs); then one store call marks
    // them all leased and answers what the worker needs.
    struct Pick
    {
        QueueState *queue;
        ReadyTask task;
        bool startedRun; // runRootStarted changed something, to undo if the row is not waiting
    };
    std::vector<Pick> picks;
    std::vector<LeaseMark> marks;
    const qint64 t = now();
    for (QueueState *queue : std::as_const(queues)) {
        const QueueSettings &settings = queue->row.settings;
        if (settings.paused)
            continue;
        while (int(picks.size()) < max && !queue->ready.isEmpty()) {
            if (settings.concurrency > 0 && queue->running >= settings.concurrency)
                break;
            if (settings.rateLimit > 0) {
                refillTokens(*queue, t);
                if (queue->tokens < 1.0) {
                    const qint64 wait =
                        qint64((1.0 - queue->tokens) * 1000.0 / settings.rateLimit) + 1;
                    m_rateWakeups.insert({t + wait, queue->row.num});
                    break;
                }
            }
            const auto picked = queue->ready.take(
                workerId, worker.row.labels, settings.maxPerKey,
                [queue](const QString &key) { return queue->runningPerKey.value(key); });
            if (!picked)
                break;
            if (holdRoot(*queue, *picked))
                continue; // max_active_runs: the root waits; children may still go
            noteTask(picked->seq, queue->row.num, TaskState::Running);
            --queue->queued;
            m_taskIndex.forgetRouting(picked->seq);
            const bool startedRun = runRootStarted(picked->seq);
            ++queue->running;
            if (!picked->concurrencyKey.isEmpty())
                ++queue->runningPerKey[picked->concurrencyKey];
            worker.running.insert(picked->seq);
            if (settings.rateLimit > 0)
                queue->tokens -= 1.0;
            picks.push_back(Pick{queue, *picked, startedRun});
            marks.push_back(LeaseMark{picked->seq, Ids::newLeaseValue(), settings.taskTimeoutS});
        }
        if (int(picks.size()) >= max)
            break;
    }
    if (picks.empty())
        return out;
    auto rows = m_store->markLeasedMany(marks, workerId, t);
    if (failed(rows))
        return std::unexpected(rows.error()); // the batch reloads the state from the store

    for (std::size_t i = 0; i < picks.size(); ++i) {
        QueueState *queue = picks[i].queue;
        const ReadyTask &picked = picks[i].task;
        RunningTask running;
        running.queueNum = queue->row.num;
        running.workerId = workerId;
        running.leaseValue = marks[i].leaseValue;
        running.startedAtMs = t;
        running.concurrencyKey = picked.concurrencyKey;
        if (!(*rows)[i].has_value()) {
            qCWarning(lcEngine) << "task" << picked.seq << "was in the ready index but not waiting";
            finishRunning(picked.seq, running); // the reservation is given back
            if (picks[i].startedRun)
                runRootReturned(picked.seq);
            if (queue->row.settings.rateLimit > 0)
                queue->tokens = qMin(bucketCapacity(queue->row.settings), queue->tokens + 1.0);
            continue;
        }
        const LeasedRow &row = *(*rows)[i];
        running.expiresAtMs = row.leaseExpiresAtMs;
        running.attempts = row.attempts;
        running.maxAttempts = row.maxAttempts;
        running.timeoutS = row.timeoutS;
        running.deadlineMs = row.deadlineMs;
        running.runSeq = runSeqOf(picked.seq, row.runId);
        running.type = row.type;
        if (row.expireAtMs)
            m_taskIndex.removeExpiry(*row.expireAtMs, picked.seq);
        m_metrics.recordStart(queue->row.num, row.type, t - picked.orderMs);

        LeasedTask task;
        task.id = Ids::taskId(row.enqueuedAtMs, m_options.node, picked.seq);
        task.leaseId = Ids::leaseId(running.leaseValue);
        task.queueId = queue->row.id;
        task.type = row.type;
        task.payload = row.payload;
        task.attempt = row.attempts;
        task.timeoutS = row.timeoutS.value_or(queue->row.settings.taskTimeoutS);
        task.deadlineMs = row.deadlineMs;
        m_leases.add(picked.seq, std::move(running));
        out.append(std::move(task));
    }
    if (!out.isEmpty())
        qCDebug(lcEngine).nospace().noquote()
            << "leased " << out.size() << " to " << workerId << ": it runs "
            << worker.running.size() << " of concurrency " << worker.row.concurrency;
    return out;
}

QFuture<Result<QList<LeasedTask>>> BatchedEngine::lease(LeaseRequest request,
                                                        LeaseWithdrawal withdrawn)
{
    using Reply = Result<QList<LeasedTask>>;
    auto promise = std::make_shared<QPromise<Reply>>();
    promise->start();
    QFuture<Reply> future = promise->future();
    if (request.max < 1 || request.max > Validation::MaxLeaseBatch || request.waitMs < 0 ||
        request.waitMs > Validation::MaxLeaseWaitMs) {
        promise->addResult(Reply(makeError(
            ErrorCode::InvalidArgument,
            QStringLiteral("max must be 1 to %1 and wait_ms 0 to %2 (got max %3, wait_ms %4)")
                .arg(Validation::MaxLeaseBatch)
                .arg(Validation::MaxLeaseWaitMs)
                .arg(request.max)
                .arg(request.waitMs))));
        promise->finish();
        return future;
    }
    post(operation(
        [this, promise, request, withdrawn]() {
            if (auto began = m_store->beginOperation(); !began) {
                deliverAfterCommit<QList<LeasedTask>>(promise, std::unexpected(began.error()));
                return;
            }
            m_storeFailed = false;
            auto alive = touchWorker(request.workerId);
            // Last in its batch, with no parked worker to serve after it, and nothing written
            // after the lease: the store may commit with the lease's own statement.
            if (alive && m_lastOfBatch && m_leases.waiters().empty())
                m_store->commitWithLease();
            Reply result = alive ? tryLease(request.workerId, request.max, request.queueOrder)
                                 : Reply(std::unexpected(alive.error()));
            m_store->endOperation(result.has_value());
            if (m_storeFailed)
                m_reloadAfterBatch = true;
            const WorkerEntry *worker = m_workers.find(request.workerId);
            const bool park = result && result->isEmpty() && request.waitMs > 0 &&
                              !(worker && worker->row.draining);
            if (!park) {
                deliverAfterCommit<QList<LeasedTask>>(promise, std::move(result));
                return;
            }
            m_leases.park(LeaseWaiter{request.workerId, request.max, now() + request.waitMs,
                                      promise, withdrawn, request.queueOrder});
        },
        [promise](const Error &error) {
            promise->addResult(Reply(std::unexpected(error)));
            promise->finish();
        }));
    return future;
}

void BatchedEngine::serveWaiters()
{
    if (auto began = m_store->beginOperation(); !began)
        return; // the queues stay marked: the next batch serves them
    std::vector<int> dirty;
    dirty.swap(m_dirtyQueues);
    m_storeFailed = false;
    for (auto it = m_leases.waiters().begin(); it != m_leases.waiters().end();) {
        if (it->isWithdrawn()) { // its client left: it takes nothing
            deliverAfterCommit<QList<LeasedTask>>(it->promise, QList<LeasedTask>());
            it = m_leases.waiters().erase(it);
            continue;
        }
        const auto *worker = m_workers.find(it->workerId);
        bool relevant = false;
        bool anyReady = false;
        if (worker) {
            for (const QString &queueId : worker->row.queueIds) {
                const QueueState *queue = findQueue(queueId);
                if (!queue || !std::binary_search(dirty.begin(), dirty.end(), queue->row.num))
                    continue;
                relevant = true;
                anyReady = anyReady || !queue->ready.isEmpty();
            }
        }
        if (!relevant || !anyReady) {
            ++it;
            continue;
        }
        auto result = tryLease(it->workerId, it->max, it->queueOrder);
        if (result && result->isEmpty()) {
            ++it;
            continue;
        }
        deliverAfterCommit<QList<LeasedTask>>(it->promise, std::move(result));
        it = m_leases.waiters().erase(it);
    }
    m_store->endOperation(!m_storeFailed);
    if (m_storeFailed)
        m_reloadAfterBatch = true;
}

void BatchedEngine::releaseWaitersOf(const QString &workerId)
{
    for (auto it = m_leases.waiters().begin(); it != m_leases.waiters().end();) {
        if (it->workerId == workerId) {
            deliverAfterCommit<QList<LeasedTask>>(it->promise, QList<LeasedTask>());
            it = m_leases.waiters().erase(it);
        } else {
            ++it;
        }
    }
}

Result<void> BatchedEngine::abandonLeases(const QString &workerId, const QList<LeasedTask> &tasks)
{
    for (const LeasedTask &task : tasks) {
        const auto parts = Ids::parseTaskId(task.id);
        const auto lease = Ids::parseLeaseId(task.leaseId);
        if (!parts || !lease)
            continue;
        auto *it = m_leases.find(parts->seq);
        if (!it || it->leaseValue != *lease || it->workerId != workerId)
            continue;
        if (auto released = m_store->releaseLease(parts->seq); failed(released))
            return released;
        RunningTask running = *it;
        noteTask(parts->seq, running.queueNum, TaskState::Queued);
        finishRunning(parts->seq, running);
        m_leases.remove(parts->seq);
        auto row = m_store->loadTask(parts->seq);
        if (failed(row))
            return std::unexpected(row.error());
        if (row->has_value())
            indexWaiting(**row);
        runRootReturned(parts->seq);
    }
    return {};
}

} // namespace QueueDeck
