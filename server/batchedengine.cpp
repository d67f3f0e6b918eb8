// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "batchedengine.h"

#include "clock.h"
#include "ids.h"
#include "sqlitebackup.h"
#include "storefactory.h"

#include <QDir>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QStorageInfo>
#include <QThread>
#include <QTimer>

Q_LOGGING_CATEGORY(lcEngine, "queuedeck.engine", QtInfoMsg) // debug: on request

namespace QueueDeck {

namespace {

void stopThread(QThread *thread)
{
    if (!thread)
        return;
    thread->quit();
    thread->wait();
    delete thread;
}

Error unavailable()
{
    return Error{ErrorCode::Unavailable,
                 QStringLiteral("the queue server is stopping or not started; try again"),
                 {}};
}

} // namespace

BatchedEngine::BatchedEngine(EngineOptions options, Clock *clock)
    : m_options(std::move(options)), m_clock(clock), m_thread(nullptr, &stopThread),
      m_scheduler(std::make_unique<Scheduler>(*this))
{
    if (!m_clock) {
        m_ownedClock = std::make_unique<SystemClock>();
        m_clock = m_ownedClock.get();
    }
    if (m_options.databasePath.isEmpty())
        m_options.databasePath =
            QDir(m_options.dataDirectory).filePath(QStringLiteral("queuedeck.db"));
}

BatchedEngine::~BatchedEngine()
{
    stop();
}

qint64 BatchedEngine::now() const
{
    return m_clock->nowMs();
}

Result<void> BatchedEngine::start()
{
    if (m_thread)
        return makeError(ErrorCode::FailedPrecondition,
                         QStringLiteral("the engine is already started"));
    if (m_options.dataDirectory.isEmpty())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("no data directory given"));
    if (!QDir().mkpath(m_options.dataDirectory))
        return makeError(
            ErrorCode::Unavailable,
            QStringLiteral("cannot create the data directory %1; check its permissions")
                .arg(m_options.dataDirectory));
    m_lock = std::make_unique<QLockFile>(
        QDir(m_options.dataDirectory).filePath(QStringLiteral("queuedeck.lock")));
    m_lock->setStaleLockTime(0);
    if (!m_lock->tryLock(0)) {
        const QLockFile::LockError why = m_lock->error();
        // A lock file left by a process that is gone is taken over, unless the directory cannot
        // be written: that is the trouble to report then, not the old process.
        if (why != QLockFile::LockFailedError || !QFileInfo(m_options.dataDirectory).isWritable()) {
            m_lock.reset();
            return makeError(
                ErrorCode::Unavailable,
                QStringLiteral("cannot write to the data directory %1 (%2); the server needs "
                               "write access to it: run it as the directory's owner, fix its "
                               "permissions, or choose another --data-dir")
                    .arg(m_options.dataDirectory,
                         QStorageInfo(m_options.dataDirectory).isReadOnly()
                             ? QStringLiteral("it is on a read-only file system")
                         : why == QLockFile::PermissionError
                             ? QStringLiteral("permission denied")
                             : QStringLiteral("its lock file could not be written")));
        }
        qint64 pid = 0;
        QString host;
        QString app;
        m_lock->getLockInfo(&pid, &host, &app);
        m_lock.reset();
        return makeError(
            ErrorCode::FailedPrecondition,
            QStringLiteral("the data directory %1 is in use by another QueueDeck server (pid %2); "
                           "stop it or choose another --data-dir")
                .arg(m_options.dataDirectory)
                .arg(pid));
    }

    m_thread.reset(new QThread);
    m_thread->setObjectName(QStringLiteral("queuedeck-engine"));
    m_context = new QObject;
    m_context->moveToThread(m_thread.get());
    QObject::connect(m_thread.get(), &QThread::finished, m_context, &QObject::deleteLater);
    m_thread->start();

    Result<void> opened;
    QMetaObject::invokeMethod(
        m_context, [this, &opened] { opened = openOnThread(); }, Qt::BlockingQueuedConnection);
    if (!opened) {
        m_thread.reset();
        m_context = nullptr;
        m_lock.reset();
    }
    return opened;
}

void BatchedEngine::stop()
{
    if (!m_thread)
        return;
    QMetaObject::invokeMethod(
        m_context, [this] { closeOnThread(); }, Qt::BlockingQueuedConnection);
    // Whatever arrived after the close is refused.
    std::vector<Operation> late;
    {
        std::lock_guard lock(m_inboxMutex);
        m_context = nullptr;
        late.swap(m_inbox);
    }
    m_thread.reset();
    m_lock.reset();
    const Error stopped = unavailable();
    for (auto &operation : late)
        operation(&stopped);
}

Result<void> BatchedEngine::openOnThread()
{
    if (!m_options.restoreFrom.isEmpty()) {
        if (auto restored = SqliteBackup::restore(m_options.restoreFrom, m_options.databasePath);
            !restored)
            return restored;
    }
    m_store = StoreFactory::create(m_options.databasePath);
    StoreOptions storeOptions{m_options.databasePath, m_options.durability, m_options.fence,
                              m_options.clusterKey};
    if (auto opened = m_store->open(storeOptions); !opened)
        return opened;
    m_backups = std::make_unique<BackupJobs>(
        *m_store, QDir(m_options.dataDirectory).filePath(QStringLiteral("backups")), m_context,
        *m_clock);
    if (auto loaded = loadState(); !loaded)
        return loaded;
    if (auto defaults = ensureDefaults(); !defaults)
        return defaults;

    m_batchTimer = new QTimer(m_context);
    m_batchTimer->setSingleShot(true);
    m_batchTimer->setInterval(0);
    QObject::connect(m_batchTimer, &QTimer::timeout, m_context, [this] { runBatch(); });
    m_timer = new QTimer(m_context);
    m_timer->setSingleShot(true);
    m_timer->setTimerType(Qt::PreciseTimer);
    QObject::connect(m_timer, &QTimer::timeout, m_context, [this] { processDueWork(); });
    // A manual clock's advance() returns only once the due work is posted, so that what the caller
    // does next is ordered after it.
    QObject::connect(
        m_clock, &Clock::advanced, m_context, [this] { processDueWork(); },
        m_clock->isManual() ? Qt::BlockingQueuedConnection : Qt::AutoConnection);
    m_nextHousekeepingMs = now() + 1000;
    m_metrics.startMinute(now() / 60000);
    m_nextRetentionMs = now() + 1000;
    m_open = true;
    armTimer();
    qCInfo(lcEngine) << "store open at" << m_options.databasePath << "with" << m_queues.size()
                     << "queues";
    return {};
}

void BatchedEngine::closeOnThread()
{
    runBatch(); // what was accepted before the stop is still carried out
    m_open = false;
    for (auto &waiter : m_leases.waiters()) {
        waiter.promise->addResult(Result<QList<LeasedTask>>(std::unexpected(unavailable())));
        waiter.promise->finish();
    }
    m_leases.waiters().clear();
    for (auto &[seq, waiter] : m_taskWaiters) {
        waiter.promise->addResult(Result<TaskInfo>(std::unexpected(unavailable())));
        waiter.promise->finish();
    }
    m_taskWaiters.clear();
    for (auto &[root, waiter] : m_runWaiters) {
        waiter.promise->addResult(Result<RunInfo>(std::unexpected(unavailable())));
        waiter.promise->finish();
    }
    m_runWaiters.clear();
    m_backups.reset();
    if (m_store) {
        closeMinute(m_metrics.currentMinute());
        m_store->close();
        m_store.reset();
    }
    delete m_timer;
    m_timer = nullptr;
    {
        std::lock_guard lock(m_inboxMutex);
        delete m_batchTimer;
        m_batchTimer = nullptr;
    }
}

void BatchedEngine::post(Operation operation)
{
    std::unique_lock lock(m_inboxMutex);
    if (!m_context) {
        lock.unlock();
        const Error stopped = unavailable();
        operation(&stopped);
        return;
    }
    m_inbox.push_back(std::move(operation));
    if (!m_batchPosted) {
        m_batchPosted = true;
        if (m_batchTimer && QThread::currentThread() == m_context->thread()) {
            // From the engine's own thread (the API runs there): a zero timer fires in the same
            // turn of the event loop, after every request that turn read, and costs no wake-up.
            m_batchTimer->start();
        } else {
            // Under the lock: stop() clears m_context under it before the context goes away.
            QMetaObject::invokeMethod(
                m_context, [this] { runBatch(); }, Qt::QueuedConnection);
        }
    }
}

namespace {

// A batch's vector, handed back emptied but with its room when the batch is done: the next
// batch's vector then needs no allocation.
template <typename T> class Recycled
{
public:
    explicit Recycled(std::vector<T> &spare) : m_spare(spare) {}
    ~Recycled()
    {
        items.clear();
        if (items.capacity() > m_spare.capacity())
            m_spare.swap(items);
    }
    Q_DISABLE_COPY_MOVE(Recycled)
    std::vector<T> items;

private:
    std::vector<T> &m_spare;
};

// The keys of the waiters whose deadline is not after t, once per waiter.
template <typename Waiters> QList<qint64> keysDueBy(const Waiters &waiters, qint64 t)
{
    QList<qint64> due;
    for (const auto &[key, waiter] : waiters) {
        if (waiter.deadlineMs <= t)
            due.append(key);
    }
    return due;
}

} // namespace

void BatchedEngine::runBatch()
{
    Recycled<Operation> batch(m_spareOperations);
    std::vector<Operation> &operations = batch.items;
    {
        std::lock_guard lock(m_inboxMutex);
        operations.swap(m_inbox);
        m_inbox.swap(m_spareOperations); // room for what arrives meanwhile
        m_batchPosted = false;
    }
    if (operations.empty())
        return;
    if (!m_open || !m_store) {
        const Error stopped = unavailable();
        for (auto &operation : operations)
            operation(&stopped);
        return;
    }
    if (auto began = m_store->beginBatch(); !began) {
        for (auto &operation : operations)
            operation(&began.error());
        return;
    }
    // A reload that failed (the database unreachable then) is tried again before anything runs
    // on a state that may be half empty; until it succeeds, nothing is answered from it.
    if (m_stateStale) {
        if (auto reloaded = loadState(); !reloaded) {
            m_store->rollbackBatch();
            const Error error{ErrorCode::Unavailable,
                              QStringLiteral("the server could not read its state back from the "
                                             "store after an error (%1); try again")
                                  .arg(reloaded.error().message),
                              {}};
            for (auto &operation : operations)
                operation(&error);
            armTimer(); // the due work tries again
            return;
        }
        m_stateStale = false;
        qCInfo(lcEngine) << "the state was read back from the store";
    }
    for (std::size_t i = 0; i < operations.size(); ++i) {
        m_lastOfBatch = i + 1 == operations.size();
        operations[i](nullptr);
    }
    m_lastOfBatch = false;
    // Workers parked in long polls take what this batch made ready in the same commit: one
    // durable write, not two, before a new task reaches a waiting worker.
    // Not after an operation failed: the state is reloaded first, and they are served after.
    if (!m_reloadAfterBatch && !m_dirtyQueues.empty() && !m_leases.waiters().empty())
        serveWaiters();
    auto committed = m_store->commitBatch();
    Recycled<Delivery> delivered(m_spareDeliveries);
    std::vector<Delivery> &deliveries = delivered.items;
    deliveries.swap(m_deliveries);
    m_deliveries.swap(m_spareDeliveries);
    if (!committed) {
        m_store->rollbackBatch();
        for (auto &delivery : deliveries)
            delivery(&committed.error());
        m_reloadAfterBatch = true;
    } else {
        for (auto &delivery : deliveries)
            delivery(nullptr);
    }
    if (m_reloadAfterBatch) {
        qCWarning(lcEngine) << "a store operation failed; reloading the state from the store";
        m_reloadAfterBatch = false;
        if (auto reloaded = loadState(); !reloaded) {
            qCCritical(lcEngine) << "reloading the state failed:" << reloaded.error().message
                                 << "(tried again with the next batch)";
            m_stateStale = true;
        }
    }
    afterCommit();
}

void BatchedEngine::afterCommit()
{
    if (!m_finishedWithWaiters.isEmpty()) {
        const QList<qint64> finished = std::exchange(m_finishedWithWaiters, {});
        post(operation([this, finished] { resolveTaskWaiters(finished, false); }));
    }
    if (!m_finishedRunsWithWaiters.isEmpty()) {
        const QList<qint64> finished = std::exchange(m_finishedRunsWithWaiters, {});
        post(operation([this, finished] { resolveRunWaiters(finished, false); }));
    }
    if (!m_dirtyQueues.empty() && !m_leases.waiters().empty()) {
        post(operation([this] { serveWaiters(); }));
    } else {
        m_dirtyQueues.clear();
    }
    armTimer();
}

void BatchedEngine::armTimer()
{
    if (!m_timer || m_clock->isManual())
        return;
    qint64 next = m_nextHousekeepingMs;
    if (const auto due = m_taskIndex.nextDueMs())
        next = qMin(next, *due);
    if (const auto expiry = m_leases.nextExpiryMs())
        next = qMin(next, *expiry);
    if (!m_rateWakeups.empty())
        next = qMin(next, m_rateWakeups.begin()->first);
    for (const auto &waiter : m_leases.waiters())
        next = qMin(next, waiter.deadlineMs);
    for (const auto &[seq, waiter] : m_taskWaiters)
        next = qMin(next, waiter.deadlineMs);
    if (const auto due = m_scheduler->nextDueMs())
        next = qMin(next, *due);
    for (const auto &[root, waiter] : m_runWaiters)
        next = qMin(next, waiter.deadlineMs);
    const qint64 t = now();
    const qint64 delay = qBound(qint64(0), next - t, qint64(1000));
    // Armed already to fire by then: left as it is, rather than restarted after every batch (an
    // early firing finds nothing due and arms it again).
    if (m_timer->isActive() && m_timerDueMs <= t + delay)
        return;
    m_timerDueMs = t + delay;
    m_timer->start(int(delay));
}

void BatchedEngine::processDueWork()
{
    if (!m_open)
        return;
    // Due work writes, so it runs as an operation of a batch like everything else.
    post(operation([this] {
        if (auto began = m_store->beginOperation(); !began)
            return;
        m_storeFailed = false;
        const qint64 t = now();
        // Waiting tasks that expired go dead first, then scheduled ones become ready.
        while (const auto expired = m_taskIndex.takeDueExpiry(t)) {
            const qint64 seq = *expired;
            auto row = m_store->loadTask(seq);
            if (failed(row) || !row->has_value() || isFinished((*row)->state) ||
                (*row)->state == TaskState::Running)
                continue;
            unindexWaiting(**row);
            if (failed(m_store->markFinished(seq, TaskState::Dead, t, {},
                                             QStringLiteral("expired before it could run"),
                                             DeadReason::Expired)))
                continue;
            ++m_queues.at((*row)->queueNum).finished.dead;
            noteFinished(seq);
            runTaskFinished(runSeqOf(seq, (*row)->runId));
            noteTask(seq, (*row)->queueNum, TaskState::Dead);
        }
        while (const auto due = m_taskIndex.takeDueScheduled(t)) {
            const qint64 runAt = due->runAtMs;
            const qint64 seq = due->seq;
            const ScheduledTask &info = due->task;
            if (failed(m_store->markWaiting(seq, TaskState::Queued, runAt, {}, false)))
                continue;
            noteTask(seq, info.queueNum, TaskState::Queued);
            auto &queue = m_queues.at(info.queueNum);
            --queue.scheduled;
            ++queue.queued;
            addToReady(queue, ReadyTask{seq, runAt, info.priority, info.concurrencyKey},
                       m_taskIndex.routing(seq));
        }
        while (const auto expired = m_leases.takeDueExpiry(t)) {
            const qint64 seq = *expired;
            if (m_leases.contains(seq))
                failAttempt(seq, QStringLiteral("the lease expired before the worker finished"),
                            true);
        }
        while (!m_rateWakeups.empty() && m_rateWakeups.begin()->first <= t) {
            markDirty(m_rateWakeups.begin()->second);
            m_rateWakeups.erase(m_rateWakeups.begin());
        }
        if (const QList<qint64> due = keysDueBy(m_taskWaiters, t); !due.isEmpty())
            resolveTaskWaiters(due, true);
        if (const QList<qint64> due = keysDueBy(m_runWaiters, t); !due.isEmpty())
            resolveRunWaiters(due, true);
        for (auto it = m_leases.waiters().begin(); it != m_leases.waiters().end();) {
            if (it->deadlineMs <= t || it->isWithdrawn()) {
                deliverAfterCommit<QList<LeasedTask>>(it->promise, QList<LeasedTask>());
                it = m_leases.waiters().erase(it);
            } else {
                ++it;
            }
        }
        if (t >= m_nextHousekeepingMs)
            housekeeping(t);
        m_store->endOperation(!m_storeFailed);
        if (m_storeFailed)
            m_reloadAfterBatch = true;
    }));
    // Schedules fire after the due work, each fire in an operation of its own.
    post(operation([this] { m_scheduler->runDue(); }));
}

void BatchedEngine::clearState()
{
    m_environments.clear();
    m_queues.clear(); // the metrics keep their windows: they are not part of the store's truth
    m_queueNumById.clear();
    m_taskIndex.clear();
    m_leases.clearRunning();
    m_runs.clear();
}

Result<void> BatchedEngine::loadState()
{
    // Heartbeat times are not stored: a worker known before keeps its time, one loaded fresh gets
    // a full worker_timeout_s from now to come back.
    const QHash<QString, qint64> heartbeats = m_workers.heartbeats();
    clearState();
    m_workers.clear();
    m_credentials.clear();
    const qint64 t = now();

    auto adminHash = m_store->metaValue(QStringLiteral("admin_token_sha256"));
    if (!adminHash)
        return std::unexpected(adminHash.error());
    if (!adminHash->isEmpty())
        m_credentials.setAdminHash(QByteArray::fromBase64(*adminHash));

    auto environments = m_store->loadEnvironments();
    if (!environments)
        return std::unexpected(environments.error());
    for (const auto &environment : *environments)
        m_environments.insert(environment.name, environment);

    auto queues = m_store->loadQueues();
    if (!queues)
        return std::unexpected(queues.error());
    for (const auto &row : *queues) {
        QueueState &queue = m_queues[row.num];
        queue.row = row;
        queue.tokens = qMax(1.0, row.settings.rateLimit);
        queue.tokensAtMs = t;
        m_queueNumById.insert(row.id, row.num);
        m_nextQueueNum = qMax(m_nextQueueNum, row.num + 1);
        m_credentials.setJoinToken(row.id, row.joinToken);
    }
    std::vector<int> loadedQueues;
    loadedQueues.reserve(m_queues.size());
    for (const auto &[num, queue] : m_queues)
        loadedQueues.push_back(num);
    m_metrics.keepOnly(loadedQueues); // the windows of queues deleted meanwhile go

    auto finished = m_store->countFinished();
    if (!finished)
        return std::unexpected(finished.error());
    for (auto it = finished->cbegin(); it != finished->cend(); ++it) {
        if (auto queue = m_queues.find(it.key()); queue != m_queues.end())
            queue->second.finished = it.value();
    }

    auto workers = m_store->loadWorkers();
    if (!workers)
        return std::unexpected(workers.error());
    for (const auto &row : *workers) {
        WorkerEntry &worker = m_workers.insert(row.id);
        worker.row = row;
        worker.lastHeartbeatMs = heartbeats.value(row.id, t);
        if (!row.credentialHash.isEmpty())
            m_credentials.setWorker(row.id, row.credentialHash);
        for (const QString &queueId : row.queueIds) {
            if (auto *queue = findQueue(queueId))
                queue->workers.insert(row.id);
        }
    }

    auto producers = m_store->loadProducerTokens();
    if (!producers)
        return std::unexpected(producers.error());
    for (const ProducerTokenRow &row : *producers)
        m_credentials.setProducer(row.name, row.tokenHash, row.queueIds);
    auto viewers = m_store->loadViewerTokens();
    if (!viewers)
        return std::unexpected(viewers.error());
    for (const ProducerTokenRow &row : *viewers)
        m_credentials.setViewer(row.name, row.tokenHash);

    auto maxSeq = m_store->maxTaskSeq();
    if (!maxSeq)
        return std::unexpected(maxSeq.error());
    m_nextSeq = *maxSeq + 1;

    if (auto schedules = m_scheduler->load(); !schedules)
        return schedules;

    auto scanned = m_store->scanUnfinished([this](const TaskRow &row) {
        auto queueIt = m_queues.find(row.queueNum);
        if (queueIt == m_queues.end())
            return;
        QueueState &queue = queueIt->second;
        countRunTask(row);
        if (!row.idempotencyKey.isEmpty())
            m_taskIndex.rememberKey(row.queueNum, row.idempotencyKey, row.seq);
        if (row.state == TaskState::Running) {
            RunningTask running;
            running.queueNum = row.queueNum;
            running.workerId = row.leasedBy;
            running.leaseValue = row.leaseValue;
            running.expiresAtMs = row.leaseExpiresAtMs.value_or(0);
            running.startedAtMs = row.startedAtMs.value_or(0);
            running.concurrencyKey = row.concurrencyKey;
            running.attempts = row.attempts;
            running.maxAttempts = row.maxAttempts;
            running.timeoutS = row.timeoutS;
            running.deadlineMs = row.deadlineMs;
            running.cancelRequested = row.cancelRequested;
            running.runSeq = runSeqOf(row.seq, row.runId);
            running.type = row.type;
            ++queue.running;
            if (!row.concurrencyKey.isEmpty())
                ++queue.runningPerKey[row.concurrencyKey];
            m_workers.taskStarted(row.leasedBy, row.seq);
            m_leases.add(row.seq, std::move(running));
            return;
        }
        indexWaiting(row);
    });
    if (!scanned)
        return std::unexpected(scanned.error());
    return settleRunCounts();
}

Result<QString> BatchedEngine::initAdminToken(bool reset)
{
    const QString key = QStringLiteral("admin_token_sha256");
    auto existing = m_store->metaValue(key);
    if (failed(existing))
        return std::unexpected(existing.error());
    if (!existing->isEmpty() && !reset)
        return QString();
    const QString token = Ids::newSecret(u"qda_");
    const QByteArray tokenHash = CredentialIndex::hash(token.toUtf8());
    if (auto saved = m_store->setMetaValue(key, tokenHash.toBase64()); failed(saved))
        return std::unexpected(saved.error());
    m_credentials.setAdminHash(tokenHash);
    return token;
}

Result<QString> BatchedEngine::faktoryPassword(bool rotate)
{
    const QString key = QStringLiteral("faktory_password");
    auto existing = m_store->metaValue(key);
    if (failed(existing))
        return std::unexpected(existing.error());
    if (!existing->isEmpty() && !rotate)
        return QString::fromUtf8(*existing);
    const QString password = Ids::newSecret(u"qdf_");
    if (auto saved = m_store->setMetaValue(key, password.toUtf8()); failed(saved))
        return std::unexpected(saved.error());
    return password;
}

Result<void> BatchedEngine::ensureDefaults()
{
    // The default environment and its default queue exist from the first start.
    const QString name = QStringLiteral("default");
    if (m_environments.contains(name))
        return {};
    if (auto began = m_store->beginBatch(); !began)
        return began;
    EnvironmentInfo environment{name, QStringLiteral("Created at first start"), true, now()};
    auto inserted = m_store->insertEnvironment(environment);
    if (!inserted) {
        m_store->rollbackBatch();
        return inserted;
    }
    m_environments.insert(name, environment);
    auto queue = insertQueue(name, name, QueueSettings{});
    if (!queue) {
        m_store->rollbackBatch();
        return std::unexpected(queue.error());
    }
    return m_store->commitBatch();
}

} // namespace QueueDeck
