// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// Workers and leases: register, heartbeat, lease (with parked waits), complete, extend, drain,
// deregister, lost workers.
#include "enginecore.h"

#include "credentialindex.h"
#include "ids.h"
#include "validation.h"

#include <QJsonArray>
#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcEngine)

namespace QueueDeck {

namespace {

std::unexpected<Error> unknownWorker(const QString &workerId)
{
    return makeError(
        ErrorCode::NotFound,
        QStringLiteral("worker %1 is not registered; register it again").arg(workerId));
}

} // namespace

// Every call a worker makes with its credential is a sign of life (design §3). A worker already
// declared lost comes back when each of its queues still has a free slot; otherwise the call is
// refused with NOT_FOUND and details.reason "worker_lost", on which the worker registers again.
Result<WorkerEntry *> EngineCore::touchWorker(const QString &workerId)
{
    auto *it = m_workers.find(workerId);
    if (!it)
        return unknownWorker(workerId);
    WorkerEntry &worker = *it;
    if (worker.lost) {
        for (const QString &queueId : std::as_const(worker.row.queueIds)) {
            const QueueState *queue = findQueue(queueId);
            if (queue && queue->row.settings.maxWorkers > 0 &&
                onlineWorkers(*queue) >= queue->row.settings.maxWorkers)
                return makeError(
                    ErrorCode::NotFound,
                    QStringLiteral("worker %1 was declared lost (no sign of life within its "
                                   "queues' worker_timeout_s) and its slot on queue %2 is taken; "
                                   "register it again")
                        .arg(workerId, queueId),
                    QJsonObject{{QStringLiteral("reason"), QStringLiteral("worker_lost")},
                                {QStringLiteral("worker_id"), workerId}});
        }
        worker.lost = false;
        for (const QString &queueId : std::as_const(worker.row.queueIds)) {
            if (const QueueState *queue = findQueue(queueId))
                markDirty(queue->row.num);
        }
    }
    worker.lastHeartbeatMs = now();
    return &worker;
}

Result<Registration> EngineCore::registerWorker(const RegisterRequest &request,
                                                const RegisterAuthority &authority)
{
    if (auto valid = Validation::workerId(request.workerId); !valid)
        return std::unexpected(valid.error());
    if (auto valid = Validation::labels(request.labels, "labels"); !valid)
        return std::unexpected(valid.error());
    if (request.queueIds.isEmpty())
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("name at least one queue to work on"));
    if (request.concurrency < 1 || request.concurrency > 10000)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("concurrency must be between 1 and 10000 (got %1)")
                             .arg(request.concurrency));
    const QString workerId = request.workerId.isEmpty() ? Ids::newWorkerId() : request.workerId;
    const auto *existing = m_workers.find(workerId);
    const bool takingOver = existing;
    if (!authority.admin) {
        const bool itself = takingOver && authority.workerId == workerId;
        // Taking over an existing worker id: every queue it holds must be the caller's.
        if (takingOver && !itself) {
            QStringList foreign;
            for (const QString &queueId : std::as_const(existing->row.queueIds)) {
                if (findQueue(queueId) && !authority.queueIds.contains(queueId))
                    foreign.append(queueId);
            }
            if (!foreign.isEmpty())
                return makeError(
                    ErrorCode::AlreadyExists,
                    QStringLiteral("worker id %1 is already registered on queue %2; to take it "
                                   "over register with its own credential, the admin token or a "
                                   "join token of each of its queues (qdeck worker start "
                                   "--token-file), or choose another worker id (--name)")
                        .arg(workerId, foreign.join(QStringLiteral(", "))),
                    QJsonObject{
                        {QStringLiteral("worker_id"), workerId},
                        {QStringLiteral("queue_ids"), QJsonArray::fromStringList(foreign)}});
        }
        // Every queue asked for: a join token of it, or held already by the worker itself.
        for (const QString &queueId : request.queueIds) {
            if (authority.queueIds.contains(queueId) ||
                (itself && existing->row.queueIds.contains(queueId)))
                continue;
            return makeError(ErrorCode::PermissionDenied,
                             QStringLiteral("this token may not register on queue %1; present "
                                            "that queue's join token (join_tokens, or a line in "
                                            "--token-file)")
                                 .arg(queueId));
        }
    }

    QList<QueueState *> queues;
    for (const QString &queueId : request.queueIds) {
        auto queue = requireQueue(queueId);
        if (!queue)
            return std::unexpected(queue.error());
        QueueState &q = **queue;
        const int maxWorkers = q.row.settings.maxWorkers;
        // The same worker id registering again takes over its own slot.
        const bool holdsSlot = takingOver && !existing->lost && q.workers.contains(workerId);
        const int used = onlineWorkers(q) - (holdsSlot ? 1 : 0);
        if (maxWorkers > 0 && used >= maxWorkers)
            return makeError(
                ErrorCode::ResourceExhausted,
                QStringLiteral("no capacity: queue \"%1\" (%2) has max_workers %3 and %4 workers "
                               "online; raise Max Workers or stop a worker")
                    .arg(q.row.name, q.row.id)
                    .arg(maxWorkers)
                    .arg(used),
                QJsonObject{{QStringLiteral("queue_id"), q.row.id},
                            {QStringLiteral("max_workers"), maxWorkers},
                            {QStringLiteral("workers_online"), used}});
        queues.append(&q);
    }

    WorkerRow row = takingOver ? existing->row : WorkerRow{};
    row.id = workerId;
    row.queueIds = request.queueIds;
    row.queueIds.removeDuplicates();
    row.hostname = request.hostname;
    row.pid = request.pid;
    row.version = request.version;
    row.concurrency = request.concurrency;
    row.capabilities = request.capabilities;
    row.labels = request.labels;
    row.draining = false;
    if (!takingOver)
        row.registeredAtMs = now();
    // A new credential each time: registering again replaces the old one.
    const QString credential = Ids::newSecret(u"qdw_");
    row.credentialHash = CredentialIndex::hash(credential.toUtf8());
    if (auto saved = m_store->upsertWorker(row); failed(saved))
        return std::unexpected(saved.error());

    WorkerEntry &worker = m_workers.insert(workerId);
    if (takingOver) {
        for (const QString &queueId : worker.row.queueIds) {
            if (auto *queue = findQueue(queueId))
                queue->workers.remove(workerId);
        }
    }
    worker.row = row;
    worker.lost = false;
    worker.lastHeartbeatMs = now();
    qint64 timeoutS = 0;
    for (QueueState *queue : std::as_const(queues)) {
        queue->workers.insert(workerId);
        timeoutS = qMax(timeoutS, queue->row.settings.workerTimeoutS);
    }
    m_credentials.setWorker(workerId, row.credentialHash);
    return Registration{workerId, credential, 5, timeoutS};
}

Result<HeartbeatReply> EngineCore::heartbeat(const QString &workerId, const QStringList &running,
                                             const QString &status)
{
    auto alive = touchWorker(workerId);
    if (!alive)
        return std::unexpected(alive.error());
    WorkerEntry &worker = **alive;
    worker.status = status.left(200);
    HeartbeatReply reply;
    reply.command = worker.row.draining ? WorkerCommand::Drain : WorkerCommand::Run;
    // Stop: its own tasks that were cancelled, and tasks it reports that are no longer its own
    // (cancelled, or given to another worker after its lease expired).
    QSet<qint64> cancel;
    for (qint64 seq : std::as_const(worker.running)) {
        const auto *task = m_leases.find(seq);
        if (task && task->cancelRequested)
            cancel.insert(seq);
    }
    for (const QString &taskId : running) {
        const auto parts = Ids::parseTaskId(taskId);
        if (!parts)
            continue;
        const auto *task = m_leases.find(parts->seq);
        if (!task || task->workerId != workerId || task->cancelRequested) {
            if (!cancel.contains(parts->seq))
                reply.cancel.append(taskId);
        }
    }
    for (qint64 seq : std::as_const(cancel)) {
        auto row = m_store->loadTask(seq);
        if (!failed(row) && row->has_value())
            reply.cancel.append(Ids::taskId((*row)->enqueuedAtMs, m_options.node, seq));
    }
    return reply;
}

void EngineCore::refillTokens(QueueState &queue, qint64 nowMs)
{
    const double rate = queue.row.settings.rateLimit;
    if (rate <= 0)
        return;
    const double capacity = qMax(1.0, rate);
    queue.tokens = qMin(capacity, queue.tokens + double(nowMs - queue.tokensAtMs) * rate / 1000.0);
    queue.tokensAtMs = nowMs;
}

Result<QList<LeasedTask>> EngineCore::tryLease(const QString &workerId, int max,
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

    const qint64 t = now();
    for (QueueState *queue : std::as_const(queues)) {
        const QueueSettings &settings = queue->row.settings;
        if (settings.paused)
            continue;
        while (out.size() < max && !queue->ready.isEmpty()) {
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
            const qint64 leaseValue = Ids::newLeaseValue();
            auto leased =
                m_store->markLeased(picked->seq, leaseValue, workerId, t, settings.taskTimeoutS);
            if (failed(leased))
                return std::unexpected(leased.error());
            noteTask(picked->seq, queue->row.num, TaskState::Running);
            --queue->queued;
            m_taskIndex.forgetRouting(picked->seq);
            if (!leased->has_value()) {
                qCWarning(lcEngine)
                    << "task" << picked->seq << "was in the ready index but not waiting";
                continue;
            }
            const LeasedRow &row = **leased;
            RunningTask running;
            running.queueNum = queue->row.num;
            running.workerId = workerId;
            running.leaseValue = leaseValue;
            running.expiresAtMs = row.leaseExpiresAtMs;
            running.startedAtMs = t;
            running.concurrencyKey = picked->concurrencyKey;
            running.attempts = row.attempts;
            running.maxAttempts = row.maxAttempts;
            running.timeoutS = row.timeoutS;
            running.deadlineMs = row.deadlineMs;
            running.runSeq = runSeqOf(picked->seq, row.runId);
            running.type = row.type;
            runRootStarted(picked->seq);
            if (row.expireAtMs)
                m_taskIndex.removeExpiry(*row.expireAtMs, picked->seq);
            ++queue->running;
            if (!picked->concurrencyKey.isEmpty())
                ++queue->runningPerKey[picked->concurrencyKey];
            worker.running.insert(picked->seq);
            if (settings.rateLimit > 0)
                queue->tokens -= 1.0;
            const qint64 waitMs = t - picked->orderMs;
            m_metrics.recordStart(queue->row.num, row.type, waitMs);

            LeasedTask task;
            task.id = Ids::taskId(row.enqueuedAtMs, m_options.node, picked->seq);
            task.leaseId = Ids::leaseId(leaseValue);
            task.queueId = queue->row.id;
            task.type = row.type;
            task.payload = row.payload;
            task.attempt = row.attempts;
            task.timeoutS = row.timeoutS.value_or(settings.taskTimeoutS);
            task.deadlineMs = row.deadlineMs;
            m_leases.add(picked->seq, std::move(running));
            out.append(std::move(task));
        }
        if (out.size() >= max)
            break;
    }
    if (!out.isEmpty())
        qCDebug(lcEngine).nospace().noquote()
            << "leased " << out.size() << " to " << workerId << ": it runs "
            << worker.running.size() << " of concurrency " << worker.row.concurrency;
    return out;
}

QFuture<Result<QList<LeasedTask>>> EngineCore::lease(LeaseRequest request,
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
    post(Operation{
        [this, promise, request, withdrawn]() {
            if (auto began = m_store->beginOperation(); !began) {
                deliverAfterCommit<QList<LeasedTask>>(promise, std::unexpected(began.error()));
                return;
            }
            m_storeFailed = false;
            auto alive = touchWorker(request.workerId);
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
        }});
    return future;
}

void EngineCore::serveWaiters()
{
    const QSet<int> dirty = std::exchange(m_dirtyQueues, {});
    if (auto began = m_store->beginOperation(); !began)
        return;
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
                if (!queue || !dirty.contains(queue->row.num))
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

void EngineCore::releaseWaitersOf(const QString &workerId)
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

// Forgets a running task in memory: slot counts, key counts, the worker's set (the lease book
// forgets the task and its lease expiry).
void EngineCore::finishRunning(qint64 seq, RunningTask &running)
{
    QueueState &queue = m_queues.at(running.queueNum);
    --queue.running;
    if (!running.concurrencyKey.isEmpty()) {
        auto count = queue.runningPerKey.find(running.concurrencyKey);
        if (count != queue.runningPerKey.end() && --*count <= 0)
            queue.runningPerKey.erase(count);
        queue.ready.keyReleased(running.concurrencyKey);
    }
    m_workers.taskStopped(running.workerId, seq);
    markDirty(queue.row.num);
}

Result<TaskState> EngineCore::failAttempt(qint64 seq, const QString &error, bool retryable)
{
    auto *it = m_leases.find(seq);
    if (!it)
        return makeError(ErrorCode::FailedPrecondition, QStringLiteral("the task is not running"));
    RunningTask running = *it;
    QueueState &queue = m_queues.at(running.queueNum);
    const qint64 t = now();
    const RetryPolicy &policy = queue.row.settings.retry;
    const int maxAttempts = running.maxAttempts.value_or(policy.maxAttempts);

    TaskState next;
    if (running.cancelRequested) {
        next = TaskState::Cancelled; // the row says cancelled already: nothing to write
    } else if (!retryable || running.attempts >= maxAttempts) {
        next = TaskState::Dead;
        const DeadReason reason =
            retryable ? DeadReason::AttemptsExhausted : DeadReason::NonRetryable;
        if (auto finished = m_store->markFinished(seq, TaskState::Dead, t, {}, error, reason);
            failed(finished))
            return std::unexpected(finished.error());
    } else {
        const qint64 runAt = t + backoffMs(policy, running.attempts);
        next = runAt > t ? TaskState::Scheduled : TaskState::Queued;
        if (auto waiting = m_store->markWaiting(seq, next, runAt, error, false); failed(waiting))
            return std::unexpected(waiting.error());
    }
    noteTask(seq, running.queueNum, next);

    finishRunning(seq, running);
    m_leases.remove(seq);
    m_metrics.recordFinish(queue.row.num, running.type, t - running.startedAtMs, true);
    if (auto *worker = m_workers.find(running.workerId); worker)
        ++worker->row.failed;

    if (next == TaskState::Dead || next == TaskState::Cancelled) {
        if (next == TaskState::Dead) {
            ++queue.finished.dead;
            runTaskFinished(running.runSeq);
        }
        noteFinished(seq);
        m_taskIndex.forgetKeyOf(running.queueNum, seq);
        return next;
    }
    // Back to waiting: the row in memory needs its order fields, which a reload gives exactly.
    auto row = m_store->loadTask(seq);
    if (failed(row))
        return std::unexpected(row.error());
    if (row->has_value())
        indexWaiting(**row);
    return next;
}

Result<QList<ItemOutcome>> EngineCore::complete(const CompleteRequest &request)
{
    if (!request.workerId.isEmpty()) {
        if (auto alive = touchWorker(request.workerId); !alive)
            return std::unexpected(alive.error());
    }
    QList<ItemOutcome> outcomes;
    outcomes.reserve(request.acks.size() + request.fails.size());
    const qint64 t = now();

    auto resolve = [&](const QString &taskId, const QString &leaseId, qint64 &seq,
                       qint64 &leaseValue) -> std::optional<Error> {
        const auto parts = Ids::parseTaskId(taskId);
        if (!parts)
            return Error{ErrorCode::InvalidArgument,
                         QStringLiteral("\"%1\" is not a task id").arg(taskId),
                         {}};
        const auto lease = Ids::parseLeaseId(leaseId);
        if (!lease)
            return Error{
                ErrorCode::InvalidArgument,
                QStringLiteral("\"%1\" is not a lease id; send the lease_id the lease gave")
                    .arg(leaseId),
                {}};
        seq = parts->seq;
        leaseValue = *lease;
        return std::nullopt;
    };
    auto leaseLost = [](const QString &taskId) {
        return Error{
            ErrorCode::FailedPrecondition,
            QStringLiteral("lease expired; the task was given to another worker (%1)").arg(taskId),
            {}};
    };

    // The late path: the task is not running under this lease any more.
    auto lateAck = [&](qint64 seq, qint64 leaseValue, const TaskAck &ack) -> ItemOutcome {
        ItemOutcome outcome{ack.taskId, std::nullopt, TaskState::Succeeded};
        auto loaded = m_store->loadTask(seq);
        if (failed(loaded)) {
            outcome.error = loaded.error();
            return outcome;
        }
        if (!loaded->has_value()) {
            outcome.error = Error{
                ErrorCode::NotFound, QStringLiteral("no task with id %1").arg(ack.taskId), {}};
            return outcome;
        }
        const TaskRow &row = **loaded;
        if (row.leaseValue != leaseValue || row.state == TaskState::Running) {
            outcome.error = leaseLost(ack.taskId);
            return outcome;
        }
        outcome.state = row.state;
        if (row.state == TaskState::Succeeded || row.state == TaskState::Cancelled)
            return outcome; // the same ack again, or cancelled meanwhile: nothing to do
        // Released after its lease expired but not leased again: the work is done, take it.
        if (auto finished = m_store->markFinished(seq, TaskState::Succeeded, t, ack.result, {},
                                                  DeadReason::None);
            failed(finished)) {
            outcome.error = finished.error();
            return outcome;
        }
        noteTask(seq, row.queueNum, TaskState::Succeeded);
        QueueState &queue = m_queues.at(row.queueNum);
        if (row.state == TaskState::Dead) {
            --queue.finished.dead;
        } else {
            unindexWaiting(row);
            runTaskFinished(runSeqOf(seq, row.runId));
        }
        ++queue.finished.succeeded;
        noteFinished(seq);
        outcome.state = TaskState::Succeeded;
        return outcome;
    };

    for (const TaskAck &ack : request.acks) {
        qint64 seq = 0;
        qint64 leaseValue = 0;
        if (auto invalid = resolve(ack.taskId, ack.leaseId, seq, leaseValue)) {
            outcomes.append({ack.taskId, invalid, TaskState::Running});
            continue;
        }
        if (!ack.result.isEmpty()) {
            if (auto valid = Validation::json(ack.result, "result", Validation::MaxResultBytes);
                !valid) {
                outcomes.append({ack.taskId, valid.error(), TaskState::Running});
                continue;
            }
        }
        auto *it = m_leases.find(seq);
        if (!it || it->leaseValue != leaseValue) {
            outcomes.append(lateAck(seq, leaseValue, ack));
            continue;
        }
        RunningTask running = *it;
        if (!request.workerId.isEmpty() && running.workerId != request.workerId) {
            outcomes.append(
                {ack.taskId,
                 Error{ErrorCode::PermissionDenied,
                       QStringLiteral("task %1 is leased by another worker").arg(ack.taskId),
                       {}},
                 TaskState::Running});
            continue;
        }
        QueueState &queue = m_queues.at(running.queueNum);
        TaskState state = TaskState::Succeeded;
        if (running.cancelRequested) {
            state = TaskState::Cancelled; // the row says cancelled already: nothing to write
        } else {
            if (auto written = m_store->markFinished(seq, TaskState::Succeeded, t, ack.result, {},
                                                     DeadReason::None);
                failed(written))
                return std::unexpected(written.error());
            ++queue.finished.succeeded;
            runTaskFinished(running.runSeq);
        }
        noteTask(seq, running.queueNum, state);
        finishRunning(seq, running);
        m_leases.remove(seq);
        const qint64 runMs = t - running.startedAtMs;
        m_metrics.recordFinish(queue.row.num, running.type, runMs, false);
        if (auto *worker = m_workers.find(running.workerId); worker)
            ++worker->row.done;
        noteFinished(seq);
        if (state == TaskState::Succeeded)
            m_taskIndex.forgetKeyOf(running.queueNum, seq);
        outcomes.append({ack.taskId, std::nullopt, state});
    }

    for (const TaskFail &fail : request.fails) {
        qint64 seq = 0;
        qint64 leaseValue = 0;
        if (auto invalid = resolve(fail.taskId, fail.leaseId, seq, leaseValue)) {
            outcomes.append({fail.taskId, invalid, TaskState::Running});
            continue;
        }
        auto *it = m_leases.find(seq);
        if (!it || it->leaseValue != leaseValue) {
            // A fail for a lease that ended already changes nothing; say what the task is now.
            auto loaded = m_store->loadTask(seq);
            if (failed(loaded))
                return std::unexpected(loaded.error());
            if (!loaded->has_value())
                outcomes.append({fail.taskId,
                                 Error{ErrorCode::NotFound,
                                       QStringLiteral("no task with id %1").arg(fail.taskId),
                                       {}},
                                 TaskState::Running});
            else if ((*loaded)->leaseValue != leaseValue || (*loaded)->state == TaskState::Running)
                outcomes.append({fail.taskId, leaseLost(fail.taskId), (*loaded)->state});
            else
                outcomes.append({fail.taskId, std::nullopt, (*loaded)->state});
            continue;
        }
        if (!request.workerId.isEmpty() && it->workerId != request.workerId) {
            outcomes.append(
                {fail.taskId,
                 Error{ErrorCode::PermissionDenied,
                       QStringLiteral("task %1 is leased by another worker").arg(fail.taskId),
                       {}},
                 TaskState::Running});
            continue;
        }
        QString error = fail.error.left(64 * 1024);
        if (error.isEmpty())
            error = QStringLiteral("failed without a message");
        auto next = failAttempt(seq, error, fail.retryable);
        if (!next)
            return std::unexpected(next.error());
        outcomes.append({fail.taskId, std::nullopt, *next});
    }
    return outcomes;
}

Result<qint64> EngineCore::extendLease(const QString &workerId, const QString &taskId,
                                       const QString &leaseId)
{
    const auto parts = Ids::parseTaskId(taskId);
    const auto lease = Ids::parseLeaseId(leaseId);
    if (!parts || !lease)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("give the task_id and lease_id the lease gave"));
    if (!workerId.isEmpty()) {
        if (auto alive = touchWorker(workerId); !alive)
            return std::unexpected(alive.error());
    }
    auto *it = m_leases.find(parts->seq);
    if (!it || it->leaseValue != *lease)
        return makeError(
            ErrorCode::FailedPrecondition,
            QStringLiteral("lease expired; the task was given to another worker (%1)").arg(taskId));
    RunningTask &running = *it;
    if (!workerId.isEmpty() && running.workerId != workerId)
        return makeError(ErrorCode::PermissionDenied,
                         QStringLiteral("task %1 is leased by another worker").arg(taskId));
    const QueueState &queue = m_queues.at(running.queueNum);
    qint64 expires = now() + running.timeoutS.value_or(queue.row.settings.taskTimeoutS) * 1000;
    if (running.deadlineMs)
        expires = qMin(expires, *running.deadlineMs); // never past the deadline
    if (auto written = m_store->extendLease(parts->seq, expires); failed(written))
        return std::unexpected(written.error());
    m_leases.extend(parts->seq, expires);
    return expires;
}

Result<WorkerInfo> EngineCore::drainWorker(const QString &workerId)
{
    auto *it = m_workers.find(workerId);
    if (!it)
        return unknownWorker(workerId);
    WorkerRow row = it->row;
    row.draining = true;
    if (auto saved = m_store->upsertWorker(row); failed(saved))
        return std::unexpected(saved.error());
    it->row = row;
    releaseWaitersOf(workerId);
    return describe(*it);
}

Result<void> EngineCore::loseWorker(WorkerEntry &worker, const QString &reason)
{
    const QList<qint64> running(worker.running.cbegin(), worker.running.cend());
    for (qint64 seq : running) {
        if (auto failedAttempt = failAttempt(seq, reason, true); !failedAttempt && m_storeFailed)
            return std::unexpected(failedAttempt.error());
    }
    releaseWaitersOf(worker.row.id);
    return {};
}

Result<void> EngineCore::deregisterWorker(const QString &workerId)
{
    auto *it = m_workers.find(workerId);
    if (!it)
        return unknownWorker(workerId);
    if (auto deleted = m_store->deleteWorker(workerId); failed(deleted))
        return std::unexpected(deleted.error());
    if (auto released =
            loseWorker(*it, QStringLiteral("the worker was removed while running the task"));
        !released)
        return released;
    for (const QString &queueId : it->row.queueIds) {
        if (auto *queue = findQueue(queueId))
            queue->workers.remove(workerId);
    }
    m_credentials.removeWorker(workerId);
    m_workers.remove(workerId);
    return {};
}

Result<void> EngineCore::abandonLeases(const QString &workerId, const QList<LeasedTask> &tasks)
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

Result<QList<WorkerInfo>> EngineCore::listWorkers(const QString &queueId) const
{
    QList<WorkerInfo> out;
    if (!queueId.isEmpty()) {
        const QueueState *queue = findQueue(queueId);
        if (!queue)
            return std::unexpected(missingQueue(queueId));
        for (const QString &workerId : queue->workers) {
            const WorkerEntry *worker = m_workers.find(workerId);
            out.append(describe(worker ? *worker : WorkerEntry{}));
        }
    } else {
        for (const WorkerEntry &worker : m_workers)
            out.append(describe(worker));
    }
    std::sort(out.begin(), out.end(),
              [](const WorkerInfo &a, const WorkerInfo &b) { return a.id < b.id; });
    return out;
}

} // namespace QueueDeck
