// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// Environments and queues: creation, settings, pause, purge, deletion, join tokens.
#include "batchedengine.h"

#include "ids.h"
#include "validation.h"

namespace QueueDeck {

namespace {
constexpr int PurgeChunk = 5000;
} // namespace

QueueState *BatchedEngine::findQueue(const QString &queueId)
{
    const auto it = m_queueNumById.constFind(queueId);
    if (it == m_queueNumById.cend())
        return nullptr;
    return &m_queues.at(*it);
}

const QueueState *BatchedEngine::findQueue(const QString &queueId) const
{
    return const_cast<BatchedEngine *>(this)->findQueue(queueId);
}

Error BatchedEngine::missingQueue(const QString &queueId) const
{
    if (!Ids::isQueueId(queueId))
        return Error{ErrorCode::InvalidArgument,
                     QStringLiteral("\"%1\" is not a queue id; queue ids look like q_8k2m4xa9bc")
                         .arg(queueId),
                     {}};
    return Error{ErrorCode::NotFound, QStringLiteral("no queue with id %1").arg(queueId), {}};
}

Result<QueueState *> BatchedEngine::requireQueue(const QString &queueId)
{
    if (auto *queue = findQueue(queueId))
        return queue;
    return std::unexpected(missingQueue(queueId));
}

int BatchedEngine::onlineWorkers(const QueueState &queue) const
{
    int online = 0;
    for (const QString &workerId : queue.workers) {
        const auto *it = m_workers.find(workerId);
        if (it && !it->lost)
            ++online;
    }
    return online;
}

QueueStatus BatchedEngine::statusOf(const QueueState &queue) const
{
    if (queue.row.settings.paused)
        return QueueStatus::Paused;
    return onlineWorkers(queue) > 0 ? QueueStatus::Active : QueueStatus::Idle;
}

QueueInfo BatchedEngine::describe(const QueueState &queue) const
{
    QueueInfo info;
    info.id = queue.row.id;
    info.environment = queue.row.environment;
    info.name = queue.row.name;
    info.settings = queue.row.settings;
    info.joinToken = queue.row.joinToken;
    info.createdAtMs = queue.row.createdAtMs;
    info.counts.queued = queue.queued;
    info.counts.scheduled = queue.scheduled;
    info.counts.running = queue.running;
    info.counts.succeeded = queue.finished.succeeded;
    info.counts.dead = queue.finished.dead;
    info.counts.cancelled = queue.finished.cancelled;
    for (const QString &workerId : queue.workers) {
        const auto *it = m_workers.find(workerId);
        if (!it)
            continue;
        ++(it->lost ? info.counts.workersLost : info.counts.workersOnline);
    }
    if (!queue.ready.isEmpty())
        info.counts.oldestQueuedAgeMs = qMax<qint64>(0, now() - queue.ready.oldestOrderMs());
    info.counts.activeRuns = queue.activeRuns;
    info.counts.waitingRuns = queue.waitingRuns;
    info.status = statusOf(queue);
    return info;
}

Result<QList<EnvironmentInfo>> BatchedEngine::listEnvironments() const
{
    return m_environments.values();
}

Result<EnvironmentInfo> BatchedEngine::createEnvironment(EnvironmentInfo environment)
{
    if (auto valid = Validation::name(environment.name, "name"); !valid)
        return std::unexpected(valid.error());
    if (environment.description.size() > Validation::MaxDescriptionLength)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("description is too long; use at most %1 characters")
                             .arg(Validation::MaxDescriptionLength));
    if (m_environments.contains(environment.name))
        return makeError(
            ErrorCode::AlreadyExists,
            QStringLiteral("an environment named \"%1\" exists already").arg(environment.name));
    environment.createdAtMs = now();
    if (auto inserted = m_store->insertEnvironment(environment); failed(inserted))
        return std::unexpected(inserted.error());
    m_environments.insert(environment.name, environment);
    return environment;
}

Result<void> BatchedEngine::deleteEnvironment(const QString &name)
{
    if (!m_environments.contains(name))
        return makeError(ErrorCode::NotFound, QStringLiteral("no environment \"%1\"").arg(name));
    if (name == u"default")
        return makeError(ErrorCode::FailedPrecondition,
                         QStringLiteral("the default environment cannot be deleted: work sent "
                                        "without an environment goes there"));
    QStringList queues;
    for (const auto &[num, queue] : m_queues) {
        if (queue.row.environment == name)
            queues.append(queue.row.name);
    }
    if (!queues.isEmpty()) {
        queues.sort();
        return makeError(ErrorCode::FailedPrecondition,
                         QStringLiteral("environment \"%1\" still has %2 queue(s) (%3); delete "
                                        "them first")
                             .arg(name)
                             .arg(queues.size())
                             .arg(queues.join(QStringLiteral(", "))),
                         QJsonObject{{QStringLiteral("queues"), qint64(queues.size())}});
    }
    if (auto deleted = m_store->deleteEnvironment(name); failed(deleted))
        return std::unexpected(deleted.error());
    m_environments.remove(name);
    return {};
}

Result<QueueState *> BatchedEngine::insertQueue(const QString &environment, const QString &name,
                                                const QueueSettings &settings)
{
    QueueRow row;
    row.num = m_nextQueueNum;
    do {
        row.id = Ids::newQueueId();
    } while (m_queueNumById.contains(row.id));
    row.environment = environment;
    row.name = name;
    row.settings = settings;
    row.joinToken = Ids::newSecret(u"qdj_");
    row.createdAtMs = now();
    if (auto inserted = m_store->insertQueue(row); failed(inserted))
        return std::unexpected(inserted.error());
    ++m_nextQueueNum;
    QueueState &queue = m_queues[row.num];
    queue = QueueState{};
    queue.row = row;
    queue.tokens = qMax(1.0, settings.rateLimit);
    queue.tokensAtMs = row.createdAtMs;
    m_queueNumById.insert(row.id, row.num);
    m_credentials.setJoinToken(row.id, row.joinToken);
    return &queue;
}

Result<QueueInfo> BatchedEngine::createQueue(const QString &environment, const QString &name,
                                             QueueSettings settings)
{
    if (auto valid = Validation::name(name, "name"); !valid)
        return std::unexpected(valid.error());
    if (auto valid = Validation::settings(settings); !valid)
        return std::unexpected(valid.error());
    if (!m_environments.contains(environment))
        return makeError(
            ErrorCode::NotFound,
            QStringLiteral("no environment named \"%1\"; create it first").arg(environment));
    if (queueByName(environment, name))
        return makeError(
            ErrorCode::AlreadyExists,
            QStringLiteral("a queue named \"%1\" exists already in environment \"%2\"; "
                           "choose another name")
                .arg(name, environment));
    auto queue = insertQueue(environment, name, settings);
    if (!queue)
        return std::unexpected(queue.error());
    return describe(**queue);
}

Result<QueueInfo> BatchedEngine::queueInfo(const QString &queueId) const
{
    const QueueState *queue = findQueue(queueId);
    if (!queue)
        return std::unexpected(missingQueue(queueId));
    return describe(*queue);
}

Result<QueueInfo> BatchedEngine::queueByName(const QString &environment, const QString &name) const
{
    for (const auto &[num, queue] : m_queues) {
        if (queue.row.environment == environment && queue.row.name == name)
            return describe(queue);
    }
    return makeError(
        ErrorCode::NotFound,
        QStringLiteral("no queue named \"%1\" in environment \"%2\"").arg(name, environment));
}

Result<QList<QueueInfo>> BatchedEngine::listQueues(const QString &environment) const
{
    if (!environment.isEmpty() && !m_environments.contains(environment))
        return makeError(ErrorCode::NotFound,
                         QStringLiteral("no environment named \"%1\"").arg(environment));
    QList<const QueueState *> selected;
    for (const auto &[num, queue] : m_queues) {
        if (environment.isEmpty() || queue.row.environment == environment)
            selected.append(&queue);
    }
    std::sort(selected.begin(), selected.end(), [](const QueueState *a, const QueueState *b) {
        return std::tie(a->row.environment, a->row.name) <
               std::tie(b->row.environment, b->row.name);
    });
    QList<QueueInfo> out;
    out.reserve(selected.size());
    for (const QueueState *queue : selected)
        out.append(describe(*queue));
    return out;
}

Result<QueueInfo> BatchedEngine::updateQueue(const QString &queueId, const QueuePatch &patch)
{
    auto found = requireQueue(queueId);
    if (!found)
        return std::unexpected(found.error());
    QueueState &queue = **found;
    QueueRow row = queue.row;
    row.settings = applyPatch(row.settings, patch);
    if (patch.name && *patch.name != row.name) {
        if (auto valid = Validation::name(*patch.name, "name"); !valid)
            return std::unexpected(valid.error());
        if (queueByName(row.environment, *patch.name))
            return makeError(
                ErrorCode::AlreadyExists,
                QStringLiteral("a queue named \"%1\" exists already in environment \"%2\"")
                    .arg(*patch.name, row.environment));
        row.name = *patch.name;
    }
    if (auto valid = Validation::settings(row.settings); !valid)
        return std::unexpected(valid.error());
    if (auto updated = m_store->updateQueue(row); failed(updated))
        return std::unexpected(updated.error());
    const bool limitsChanged = row.settings.maxPerKey != queue.row.settings.maxPerKey ||
                               row.settings.rateLimit != queue.row.settings.rateLimit;
    const bool runLimitChanged = row.settings.maxActiveRuns != queue.row.settings.maxActiveRuns;
    queue.row = row;
    if (runLimitChanged)
        releaseHeldRoots(queue);
    if (limitsChanged) {
        queue.ready.unblockAll();
        queue.tokens = qMax(1.0, row.settings.rateLimit);
        queue.tokensAtMs = now();
    }
    markDirty(queue.row.num); // resumed, or limits raised: parked workers may lease now
    return describe(queue);
}

Result<void> BatchedEngine::deleteQueue(const QString &queueId, bool force)
{
    auto found = requireQueue(queueId);
    if (!found)
        return std::unexpected(found.error());
    QueueState &queue = **found;
    if (queue.row.environment == u"default" && queue.row.name == u"default")
        return makeError(
            ErrorCode::FailedPrecondition,
            QStringLiteral(
                "the default queue cannot be deleted: work sent without a queue goes there"));
    const qint64 unfinished = queue.unfinished();
    const int online = onlineWorkers(queue);
    if (!force && (unfinished > 0 || online > 0))
        return makeError(
            ErrorCode::FailedPrecondition,
            QStringLiteral("queue \"%1\" has %2 unfinished tasks and %3 online workers; purge and "
                           "stop them first, or delete with force=true")
                .arg(queue.row.name)
                .arg(unfinished)
                .arg(online),
            QJsonObject{{QStringLiteral("unfinished"), unfinished},
                        {QStringLiteral("workers"), online}});
    if (auto deleted = m_store->deleteQueue(queue.row.num); failed(deleted))
        return std::unexpected(deleted.error());
    // Detach workers and forget every task of the queue.
    for (const QString &workerId : std::as_const(queue.workers)) {
        auto *worker = m_workers.find(workerId);
        if (!worker)
            continue;
        worker->row.queueIds.removeAll(queueId);
        if (failed(m_store->upsertWorker(worker->row)))
            return makeError(ErrorCode::Unavailable,
                             QStringLiteral("could not update the queue's workers"));
    }
    const int num = queue.row.num;
    m_leases.removeQueue(num, [this](qint64 seq, const RunningTask &task) {
        if (auto *worker = m_workers.find(task.workerId); worker)
            worker->running.remove(seq);
    });
    m_taskIndex.unscheduleQueue(num);
    m_taskIndex.forgetKeysOfQueue(num);
    // Expiry entries and routing of the queue's tasks are skipped lazily: their rows are gone.
    m_queueNumById.remove(queueId);
    m_credentials.removeJoinToken(queueId);
    m_queues.erase(num);
    m_metrics.forgetQueue(num);
    return rebuildRuns(); // runs with tasks in the queue, or rooted there, are counted again
}

QFuture<Result<qint64>> BatchedEngine::purge(QString queueId)
{
    auto promise = std::make_shared<QPromise<Result<qint64>>>();
    promise->start();
    QFuture<Result<qint64>> future = promise->future();
    // The memory forgets the waiting tasks at once; their rows go in chunks, each chunk its own
    // operation, so the writer is never held for long. Tasks enqueued meanwhile have a larger seq
    // and are not touched. A purge cut short by a crash leaves the rest queued: purge again.
    post(operation(
        [this, promise, queueId] {
            auto found = requireQueue(queueId);
            if (!found) {
                deliverAfterCommit<qint64>(promise, std::unexpected(found.error()));
                return;
            }
            QueueState &queue = **found;
            const int num = queue.row.num;
            queue.ready.clear();
            queue.heldRoots.clear();
            m_taskIndex.unscheduleQueue(num);
            // Running tasks keep their keys: they are unfinished still.
            m_taskIndex.forgetKeysOfQueue(num,
                                          [this](qint64 seq) { return m_leases.contains(seq); });
            queue.queued = 0;
            queue.scheduled = 0;
            purgeChunk(promise, num, m_nextSeq - 1, 0);
        },
        [promise](const Error &error) {
            promise->addResult(Result<qint64>(std::unexpected(error)));
            promise->finish();
        }));
    return future;
}

void BatchedEngine::purgeChunk(std::shared_ptr<QPromise<Result<qint64>>> promise, int queueNum,
                               qint64 maxSeq, qint64 removed)
{
    if (auto began = m_store->beginOperation(); !began) {
        deliverAfterCommit<qint64>(promise, std::unexpected(began.error()));
        return;
    }
    auto deleted = m_store->deleteWaiting(queueNum, maxSeq, PurgeChunk);
    m_store->endOperation(deleted.has_value());
    if (!deleted) {
        deliverAfterCommit<qint64>(promise, std::unexpected(deleted.error()));
        return;
    }
    removed += *deleted;
    if (*deleted < PurgeChunk) {
        // The purged tasks' runs are counted again from what is left.
        if (auto recounted = rebuildRuns(); !recounted) {
            deliverAfterCommit<qint64>(promise, std::unexpected(recounted.error()));
            return;
        }
        deliverAfterCommit<qint64>(promise, removed);
        return;
    }
    post(operation([this, promise, queueNum, maxSeq,
                    removed] { purgeChunk(promise, queueNum, maxSeq, removed); },
                   [promise](const Error &error) {
                       promise->addResult(Result<qint64>(std::unexpected(error)));
                       promise->finish();
                   }));
}

Result<ProducerToken> BatchedEngine::createProducerToken(const QString &name,
                                                         const QStringList &queueIds)
{
    if (auto valid = Validation::name(name, "name"); !valid)
        return std::unexpected(valid.error());
    if (queueIds.isEmpty())
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("queue_ids is empty: name the queues this token may use"));
    for (const QString &queueId : queueIds) {
        if (!findQueue(queueId))
            return std::unexpected(missingQueue(queueId));
    }
    auto existing = m_store->loadProducerTokens();
    if (failed(existing))
        return std::unexpected(existing.error());
    for (const ProducerTokenRow &row : *existing) {
        if (row.name == name)
            return makeError(
                ErrorCode::AlreadyExists,
                QStringLiteral(
                    "a producer token named \"%1\" exists; revoke it first or pick another name")
                    .arg(name));
    }
    ProducerToken token{name, Ids::newSecret(u"qdp_"), queueIds, now()};
    const QByteArray tokenHash = CredentialIndex::hash(token.token.toUtf8());
    if (auto inserted =
            m_store->insertProducerToken({name, tokenHash, queueIds, token.createdAtMs});
        failed(inserted))
        return std::unexpected(inserted.error());
    m_credentials.setProducer(name, tokenHash, queueIds);
    return token;
}

Result<QList<ProducerToken>> BatchedEngine::listProducerTokens()
{
    auto rows = m_store->loadProducerTokens();
    if (failed(rows))
        return std::unexpected(rows.error());
    QList<ProducerToken> out;
    for (const ProducerTokenRow &row : *rows)
        out.append({row.name, {}, row.queueIds, row.createdAtMs});
    return out;
}

Result<void> BatchedEngine::revokeProducerToken(const QString &name)
{
    auto deleted = m_store->deleteProducerToken(name);
    if (failed(deleted))
        return std::unexpected(deleted.error());
    if (!*deleted)
        return makeError(ErrorCode::NotFound,
                         QStringLiteral("no producer token named \"%1\"").arg(name));
    m_credentials.removeProducer(name);
    return {};
}

Result<ProducerToken> BatchedEngine::createViewerToken(const QString &name)
{
    if (auto valid = Validation::name(name, "name"); !valid)
        return std::unexpected(valid.error());
    auto existing = m_store->loadViewerTokens();
    if (failed(existing))
        return std::unexpected(existing.error());
    for (const ProducerTokenRow &row : *existing) {
        if (row.name == name)
            return makeError(
                ErrorCode::AlreadyExists,
                QStringLiteral(
                    "a viewer token named \"%1\" exists; revoke it first or pick another name")
                    .arg(name));
    }
    ProducerToken token{name, Ids::newSecret(u"qdv_"), {}, now()};
    const QByteArray tokenHash = CredentialIndex::hash(token.token.toUtf8());
    if (auto inserted = m_store->insertViewerToken({name, tokenHash, {}, token.createdAtMs});
        failed(inserted))
        return std::unexpected(inserted.error());
    m_credentials.setViewer(name, tokenHash);
    return token;
}

Result<QList<ProducerToken>> BatchedEngine::listViewerTokens()
{
    auto rows = m_store->loadViewerTokens();
    if (failed(rows))
        return std::unexpected(rows.error());
    QList<ProducerToken> out;
    for (const ProducerTokenRow &row : *rows)
        out.append({row.name, {}, {}, row.createdAtMs});
    return out;
}

Result<void> BatchedEngine::revokeViewerToken(const QString &name)
{
    auto deleted = m_store->deleteViewerToken(name);
    if (failed(deleted))
        return std::unexpected(deleted.error());
    if (!*deleted)
        return makeError(ErrorCode::NotFound,
                         QStringLiteral("no viewer token named \"%1\"").arg(name));
    m_credentials.removeViewer(name);
    return {};
}

Result<void> BatchedEngine::recordAudit(AuditEntry entry)
{
    entry.atMs = now();
    return m_store->insertAudit(
        {0, entry.atMs, entry.actorKind, entry.actor, entry.action, entry.target});
}

Result<QList<AuditEntry>> BatchedEngine::listAudit(qint64 beforeId, int limit)
{
    if (limit < 1 || limit > 1000)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("limit must be between 1 and 1000 (got %1)").arg(limit));
    auto rows = m_store->listAudit(beforeId, limit);
    if (failed(rows))
        return std::unexpected(rows.error());
    QList<AuditEntry> out;
    for (const AuditRow &row : *rows)
        out.append({row.id, row.atMs, row.actorKind, row.actor, row.action, row.target});
    return out;
}

Result<QueueInfo> BatchedEngine::rotateJoinToken(const QString &queueId)
{
    auto found = requireQueue(queueId);
    if (!found)
        return std::unexpected(found.error());
    QueueRow row = (*found)->row;
    row.joinToken = Ids::newSecret(u"qdj_");
    if (auto updated = m_store->updateQueue(row); failed(updated))
        return std::unexpected(updated.error());
    (*found)->row = row;
    m_credentials.setJoinToken(row.id, row.joinToken); // the old token stops working
    return describe(**found);
}

} // namespace QueueDeck
