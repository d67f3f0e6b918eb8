// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "engine.h"

#include "batchedengine.h"

namespace QueueDeck {

using Kind = BatchedEngine::Kind;

Engine::Engine(EngineOptions options, Clock *clock, QObject *parent)
    : QObject(parent), m_core(std::make_unique<BatchedEngine>(std::move(options), clock))
{}

Engine::~Engine() = default;

Result<void> Engine::start()
{
    return m_core->start();
}

void Engine::stop()
{
    m_core->stop();
}

QThread *Engine::thread() const
{
    return m_core->engineThread();
}

Scheduler &Engine::scheduler()
{
    return m_core->scheduler();
}

const EngineOptions &Engine::options() const
{
    return m_core->options();
}

Engine::Reply<QList<EnvironmentInfo>> Engine::listEnvironments()
{
    return m_core->run<QList<EnvironmentInfo>>(
        Kind::Read, [core = m_core.get()] { return core->listEnvironments(); });
}

Engine::Reply<EnvironmentInfo> Engine::createEnvironment(EnvironmentInfo environment)
{
    return m_core->run<EnvironmentInfo>(Kind::Write, [core = m_core.get(), environment] {
        return core->createEnvironment(environment);
    });
}

Engine::Reply<void> Engine::deleteEnvironment(QString name)
{
    return m_core->run<void>(Kind::Write,
                             [core = m_core.get(), name] { return core->deleteEnvironment(name); });
}

Engine::Reply<QueueInfo> Engine::createQueue(QString environment, QString name,
                                             QueueSettings settings)
{
    return m_core->run<QueueInfo>(Kind::Write, [core = m_core.get(), environment, name, settings] {
        return core->createQueue(environment, name, settings);
    });
}

Engine::Reply<QueueInfo> Engine::queue(QString queueId)
{
    return m_core->run<QueueInfo>(
        Kind::Read, [core = m_core.get(), queueId] { return core->queueInfo(queueId); });
}

Engine::Reply<QueueInfo> Engine::queueByName(QString environment, QString name)
{
    return m_core->run<QueueInfo>(Kind::Read, [core = m_core.get(), environment, name] {
        return core->queueByName(environment, name);
    });
}

Engine::Reply<QList<QueueInfo>> Engine::listQueues(QString environment)
{
    return m_core->run<QList<QueueInfo>>(
        Kind::Read, [core = m_core.get(), environment] { return core->listQueues(environment); });
}

Engine::Reply<QueueInfo> Engine::updateQueue(QString queueId, QueuePatch patch)
{
    return m_core->run<QueueInfo>(Kind::Write, [core = m_core.get(), queueId, patch] {
        return core->updateQueue(queueId, patch);
    });
}

Engine::Reply<void> Engine::deleteQueue(QString queueId, bool force)
{
    return m_core->run<void>(Kind::Write, [core = m_core.get(), queueId, force] {
        return core->deleteQueue(queueId, force);
    });
}

Engine::Reply<qint64> Engine::purgeQueue(QString queueId)
{
    return m_core->purge(std::move(queueId));
}

Engine::Reply<QueueInfo> Engine::rotateJoinToken(QString queueId)
{
    return m_core->run<QueueInfo>(
        Kind::Write, [core = m_core.get(), queueId] { return core->rotateJoinToken(queueId); });
}

Engine::Reply<TaskInfo> Engine::enqueue(QString queueId, EnqueueRequest request)
{
    return futureOf<TaskInfo>([&](Done<TaskInfo> done) {
        enqueue(std::move(queueId), std::move(request), std::move(done));
    });
}

void Engine::enqueue(QString queueId, EnqueueRequest request, Done<TaskInfo> done)
{
    m_core->runThen<TaskInfo>(
        Kind::Write,
        [core = m_core.get(), queueId = std::move(queueId), request = std::move(request)] {
            return core->enqueue(queueId, request);
        },
        std::move(done));
}

void Engine::enqueueId(QString queueId, EnqueueRequest request, Done<EnqueuedTask> done)
{
    m_core->runThen<EnqueuedTask>(
        Kind::Write,
        [core = m_core.get(), queueId = std::move(queueId), request = std::move(request)] {
            return core->enqueueId(queueId, request);
        },
        std::move(done));
}

Engine::Reply<QStringList> Engine::enqueueBatch(QString queueId, QList<EnqueueRequest> requests)
{
    return m_core->run<QStringList>(Kind::Write, [core = m_core.get(), queueId, requests] {
        return core->enqueueBatch(queueId, requests);
    });
}

Engine::Reply<TaskInfo> Engine::enqueueByName(QString environment, QString queueName,
                                              EnqueueRequest request)
{
    return m_core->run<TaskInfo>(Kind::Write,
                                 [core = m_core.get(), environment, queueName, request] {
                                     return core->enqueueByName(environment, queueName, request);
                                 });
}

Engine::Reply<TaskInfo> Engine::task(QString taskId)
{
    return m_core->run<TaskInfo>(Kind::Read,
                                 [core = m_core.get(), taskId] { return core->task(taskId); });
}

Engine::Reply<TaskPage> Engine::listTasks(QString queueId, TaskFilter filter)
{
    return m_core->run<TaskPage>(Kind::Read, [core = m_core.get(), queueId, filter] {
        return core->listTasks(queueId, filter);
    });
}

Engine::Reply<TaskInfo> Engine::cancelTask(QString taskId)
{
    return m_core->run<TaskInfo>(
        Kind::Write, [core = m_core.get(), taskId] { return core->cancelTask(taskId); });
}

Engine::Reply<TaskInfo> Engine::retryTask(QString taskId)
{
    return m_core->run<TaskInfo>(Kind::Write,
                                 [core = m_core.get(), taskId] { return core->retryTask(taskId); });
}

Engine::Reply<void> Engine::deleteTask(QString taskId)
{
    return m_core->run<void>(Kind::Write,
                             [core = m_core.get(), taskId] { return core->deleteTask(taskId); });
}

Engine::Reply<qint64> Engine::bulkTasks(QString queueId, BulkRequest request)
{
    return m_core->bulk(std::move(queueId), std::move(request));
}

Engine::Reply<Registration> Engine::registerWorker(RegisterRequest request,
                                                   RegisterAuthority authority)
{
    request.joinTokens.clear(); // checked by the caller; never kept
    return m_core->run<Registration>(Kind::Write, [core = m_core.get(), request, authority] {
        return core->registerWorker(request, authority);
    });
}

Engine::Reply<HeartbeatReply> Engine::heartbeat(QString workerId, QStringList running,
                                                QString status)
{
    return futureOf<HeartbeatReply>([&](Done<HeartbeatReply> done) {
        heartbeat(std::move(workerId), std::move(running), std::move(status), std::move(done));
    });
}

void Engine::heartbeat(QString workerId, QStringList running, QString status,
                       Done<HeartbeatReply> done)
{
    m_core->runThen<HeartbeatReply>(
        Kind::Read,
        [core = m_core.get(), workerId = std::move(workerId), running = std::move(running),
         status = std::move(status)] { return core->heartbeat(workerId, running, status); },
        std::move(done));
}

Engine::Reply<QList<LeasedTask>> Engine::lease(LeaseRequest request, LeaseWithdrawal withdrawn)
{
    return m_core->lease(std::move(request), std::move(withdrawn));
}

Engine::Reply<QList<ItemOutcome>> Engine::complete(CompleteRequest request)
{
    return m_core->run<QList<ItemOutcome>>(
        Kind::Write, [core = m_core.get(), request] { return core->complete(request); });
}

Engine::Reply<qint64> Engine::extendLease(QString workerId, QString taskId, QString leaseId)
{
    return m_core->run<qint64>(Kind::Write, [core = m_core.get(), workerId, taskId, leaseId] {
        return core->extendLease(workerId, taskId, leaseId);
    });
}

Engine::Reply<WorkerInfo> Engine::drainWorker(QString workerId)
{
    return m_core->run<WorkerInfo>(
        Kind::Write, [core = m_core.get(), workerId] { return core->drainWorker(workerId); });
}

Engine::Reply<void> Engine::abandonLeases(QString workerId, QList<LeasedTask> tasks)
{
    return m_core->run<void>(Kind::Write, [core = m_core.get(), workerId, tasks] {
        return core->abandonLeases(workerId, tasks);
    });
}

Engine::Reply<TaskInfo> Engine::enqueueChild(ChildEnqueue request)
{
    return m_core->run<TaskInfo>(Kind::Write, [core = m_core.get(), request = std::move(request)] {
        return core->enqueueChild(request);
    });
}

Engine::Reply<RunInfo> Engine::run(QString runId)
{
    return m_core->run<RunInfo>(Kind::Read,
                                [core = m_core.get(), runId] { return core->runInfo(runId); });
}

Engine::Reply<RunState> Engine::runState(QString runId)
{
    return m_core->run<RunState>(Kind::Read,
                                 [core = m_core.get(), runId] { return core->runState(runId); });
}

Engine::Reply<qint64> Engine::cancelRun(QString runId)
{
    return m_core->run<qint64>(Kind::Write,
                               [core = m_core.get(), runId] { return core->cancelRun(runId); });
}

Engine::Reply<RunInfo> Engine::awaitRun(QString runId, qint64 waitMs)
{
    return m_core->awaitRun(std::move(runId), waitMs);
}

Engine::Reply<TaskInfo> Engine::awaitTask(QString taskId, qint64 waitMs)
{
    return m_core->awaitTask(std::move(taskId), waitMs);
}

Engine::Reply<QString> Engine::initAdminToken(bool reset)
{
    return m_core->run<QString>(
        Kind::Write, [core = m_core.get(), reset] { return core->initAdminToken(reset); });
}

Engine::Reply<QString> Engine::faktoryPassword(bool rotate)
{
    return m_core->run<QString>(
        Kind::Write, [core = m_core.get(), rotate] { return core->faktoryPassword(rotate); });
}

const CredentialIndex &Engine::credentials() const
{
    return m_core->credentials();
}

Engine::Reply<void> Engine::deregisterWorker(QString workerId)
{
    return m_core->run<void>(
        Kind::Write, [core = m_core.get(), workerId] { return core->deregisterWorker(workerId); });
}

Engine::Reply<QList<WorkerInfo>> Engine::listWorkers(QString queueId)
{
    return m_core->run<QList<WorkerInfo>>(
        Kind::Read, [core = m_core.get(), queueId] { return core->listWorkers(queueId); });
}

Engine::Reply<void> Engine::appendLogs(QString workerId, QString taskId, QString leaseId,
                                       QList<LogLine> lines)
{
    return m_core->run<void>(Kind::Write, [core = m_core.get(), workerId, taskId, leaseId, lines] {
        return core->appendLogs(workerId, taskId, leaseId, lines);
    });
}

Engine::Reply<QList<LogLine>> Engine::taskLogs(QString taskId, qint64 afterId, int limit)
{
    return m_core->run<QList<LogLine>>(Kind::Read, [core = m_core.get(), taskId, afterId, limit] {
        return core->taskLogs(taskId, afterId, limit);
    });
}

Engine::Reply<ProducerToken> Engine::createProducerToken(QString name, QStringList queueIds)
{
    return m_core->run<ProducerToken>(Kind::Write, [core = m_core.get(), name, queueIds] {
        return core->createProducerToken(name, queueIds);
    });
}

Engine::Reply<QList<ProducerToken>> Engine::listProducerTokens()
{
    return m_core->run<QList<ProducerToken>>(
        Kind::Read, [core = m_core.get()] { return core->listProducerTokens(); });
}

Engine::Reply<void> Engine::revokeProducerToken(QString name)
{
    return m_core->run<void>(
        Kind::Write, [core = m_core.get(), name] { return core->revokeProducerToken(name); });
}

Engine::Reply<ProducerToken> Engine::createViewerToken(QString name)
{
    return m_core->run<ProducerToken>(
        Kind::Write, [core = m_core.get(), name] { return core->createViewerToken(name); });
}

Engine::Reply<QList<ProducerToken>> Engine::listViewerTokens()
{
    return m_core->run<QList<ProducerToken>>(
        Kind::Read, [core = m_core.get()] { return core->listViewerTokens(); });
}

Engine::Reply<void> Engine::revokeViewerToken(QString name)
{
    return m_core->run<void>(Kind::Write,
                             [core = m_core.get(), name] { return core->revokeViewerToken(name); });
}

Engine::Reply<void> Engine::recordAudit(AuditEntry entry)
{
    return m_core->run<void>(Kind::Write,
                             [core = m_core.get(), entry] { return core->recordAudit(entry); });
}

Engine::Reply<QList<AuditEntry>> Engine::listAudit(qint64 beforeId, int limit)
{
    return m_core->run<QList<AuditEntry>>(Kind::Read, [core = m_core.get(), beforeId, limit] {
        return core->listAudit(beforeId, limit);
    });
}

Engine::Reply<DashboardSnapshot> Engine::dashboard(QString environment)
{
    return m_core->run<DashboardSnapshot>(
        Kind::Read, [core = m_core.get(), environment] { return core->dashboard(environment); });
}

Engine::Reply<ChangeSet> Engine::takeChanges()
{
    return m_core->run<ChangeSet>(Kind::Read,
                                  [core = m_core.get()] { return core->takeChanges(); });
}

Engine::Reply<DashboardChanges> Engine::dashboardChanges(QString environment)
{
    return m_core->run<DashboardChanges>(Kind::Read, [core = m_core.get(), environment] {
        return core->dashboardChanges(environment);
    });
}

Engine::Reply<MetricSeries> Engine::metrics(QString queueId, MetricRange range)
{
    return m_core->run<MetricSeries>(Kind::Read, [core = m_core.get(), queueId, range] {
        return core->metrics(queueId, range);
    });
}

Engine::Reply<TypeMetricsReport> Engine::typeMetrics(QString queueId, MetricRange range)
{
    return m_core->run<TypeMetricsReport>(Kind::Read, [core = m_core.get(), queueId, range] {
        return core->typeMetrics(queueId, range);
    });
}

Engine::Reply<BackupStatus> Engine::startBackup()
{
    return m_core->run<BackupStatus>(Kind::Read,
                                     [core = m_core.get()] { return core->backups().start(); });
}

Engine::Reply<BackupStatus> Engine::backupStatus(QString id)
{
    return m_core->run<BackupStatus>(
        Kind::Read, [core = m_core.get(), id] { return core->backups().status(id); });
}

Engine::Reply<void> Engine::deleteBackup(QString id)
{
    return m_core->run<void>(Kind::Read,
                             [core = m_core.get(), id] { return core->backups().remove(id); });
}

} // namespace QueueDeck
