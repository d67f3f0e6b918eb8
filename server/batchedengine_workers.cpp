// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// BatchedEngine, workers: register, heartbeat (every call a sign of life), drain, lost workers,
// deregister, listing.
#include "batchedengine.h"

#include "credentialindex.h"
#include "ids.h"
#include "validation.h"

#include <QJsonArray>
#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcEngine)

namespace QueueDeck {

std::unexpected<Error> BatchedEngine::unknownWorker(const QString &workerId)
{
    return makeError(
        ErrorCode::NotFound,
        QStringLiteral("worker %1 is not registered; register it again").arg(workerId));
}

// Every call a worker makes with its credential is a sign of life (design §3). A worker already
// declared lost comes back when each of its queues still has a free slot; otherwise the call is
// refused with NOT_FOUND and details.reason "worker_lost", on which the worker registers again.
Result<WorkerEntry *> BatchedEngine::touchWorker(const QString &workerId)
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

Result<Registration> BatchedEngine::registerWorker(const RegisterRequest &request,
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

Result<HeartbeatReply> BatchedEngine::heartbeat(const QString &workerId, const QStringList &running,
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

Result<WorkerInfo> BatchedEngine::drainWorker(const QString &workerId)
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

Result<void> BatchedEngine::loseWorker(WorkerEntry &worker, const QString &reason)
{
    const QList<qint64> running(worker.running.cbegin(), worker.running.cend());
    for (qint64 seq : running) {
        if (auto failedAttempt = failAttempt(seq, reason, true); !failedAttempt && m_storeFailed)
            return std::unexpected(failedAttempt.error());
    }
    releaseWaitersOf(worker.row.id);
    return {};
}

Result<void> BatchedEngine::deregisterWorker(const QString &workerId)
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

Result<QList<WorkerInfo>> BatchedEngine::listWorkers(const QString &queueId) const
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
