// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// BatchedEngine, the end of an attempt: acks and fails of running tasks (retry with backoff or
// dead), lease extensions.
#include "batchedengine.h"

#include "ids.h"
#include "validation.h"

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcEngine)

namespace QueueDeck {

// Forgets a running task in memory: slot counts, key counts, the worker's set (the lease book
// forgets the task and its lease expiry).
void BatchedEngine::finishRunning(qint64 seq, RunningTask &running)
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

Result<TaskState> BatchedEngine::failAttempt(qint64 seq, const QString &error, bool retryable)
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

Result<QList<ItemOutcome>> BatchedEngine::complete(const CompleteRequest &request)
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

Result<qint64> BatchedEngine::extendLease(const QString &workerId, const QString &taskId,
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

} // namespace QueueDeck
