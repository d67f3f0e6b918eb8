// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// Runs (design §10): children enqueued by the worker holding their parent, the run counts that
// max_active_runs holds roots back by, a run's tree, its outcome, cancel and waits.
//
// A run is a root (a task a producer enqueued) and every task enqueued as its descendant. Memory
// keeps one entry per unfinished run (m_runs, by the root's seq): its root's queue, how many of
// its tasks are unfinished, and whether its root has started. A run counts as active for
// max_active_runs once its root has been leased, until its last task finishes; before that it is
// waiting. Finished runs live only in the store: a child row carries parent_id and run_id, a root
// neither.
#include "batchedengine.h"

#include "ids.h"

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcEngine)

namespace QueueDeck {

namespace {

// The most tasks one answer about a run lists (a cancel reaches this many too; run it again for
// the rest).
constexpr int MaxRunTasks = 10000;

std::tuple<int, qint64, qint64> heldKey(const ReadyTask &task)
{
    return {-task.priority, task.orderMs, task.seq};
}

} // namespace

qint64 BatchedEngine::runSeqOf(qint64 seq, const QString &runId) const
{
    if (runId.isEmpty())
        return seq;
    const auto parts = Ids::parseTaskId(runId);
    return parts ? parts->seq : seq;
}

// --- counting -------------------------------------------------------------------------------

void BatchedEngine::countRunTask(const TaskRow &row)
{
    const qint64 root = runSeqOf(row.seq, row.runId);
    RunEntry &run = m_runs[root];
    ++run.unfinished;
    if (root == row.seq) {
        run.queueNum = row.queueNum;
        // A root that ran once (retrying now) or runs has started its run.
        if (row.state == TaskState::Running || row.attempts > 0)
            run.started = true;
    } else {
        run.started = true; // a child exists only once its root has run
    }
}

Result<void> BatchedEngine::settleRunCounts()
{
    for (auto &[num, queue] : m_queues) {
        queue.activeRuns = 0;
        queue.waitingRuns = 0;
    }
    for (auto &[root, run] : m_runs) {
        if (run.queueNum == 0) {
            // The root has finished while descendants have not: its row names the queue.
            auto row = m_store->loadTask(root);
            if (!row)
                return std::unexpected(row.error());
            if (row->has_value())
                run.queueNum = (*row)->queueNum;
            run.started = true;
        }
        if (auto queue = m_queues.find(run.queueNum); queue != m_queues.end())
            ++(run.started ? queue->second.activeRuns : queue->second.waitingRuns);
    }
    return {};
}

Result<void> BatchedEngine::rebuildRuns()
{
    m_runs.clear();
    auto scanned = m_store->scanUnfinished([this](const TaskRow &row) { countRunTask(row); });
    if (failed(scanned))
        return scanned;
    auto settled = settleRunCounts();
    if (failed(settled))
        return settled;
    for (auto &[num, queue] : m_queues)
        releaseHeldRoots(queue);
    return {};
}

void BatchedEngine::runTaskAdded(const TaskRow &row)
{
    const qint64 root = runSeqOf(row.seq, row.runId);
    if (root == row.seq) {
        m_runs[root] = RunEntry{row.queueNum, 1, false};
        ++m_queues.at(row.queueNum).waitingRuns;
        return;
    }
    auto run = m_runs.find(root);
    if (run == m_runs.end()) {
        // Not reachable through enqueueChild (the parent runs, so its run is unfinished); kept
        // safe for rows that come back some other way.
        qCWarning(lcEngine) << "a child of a finished run" << row.runId << "was added";
        return;
    }
    ++run->second.unfinished;
}

void BatchedEngine::runTaskFinished(qint64 runSeq)
{
    auto run = m_runs.find(runSeq);
    if (run == m_runs.end() || --run->second.unfinished > 0)
        return;
    const RunEntry entry = run->second;
    m_runs.erase(run);
    if (m_runWaiters.count(runSeq) > 0)
        m_finishedRunsWithWaiters.append(runSeq);
    auto queue = m_queues.find(entry.queueNum);
    if (queue == m_queues.end())
        return;
    if (entry.started) {
        --queue->second.activeRuns;
        releaseHeldRoots(queue->second);
    } else {
        --queue->second.waitingRuns;
    }
}

Result<void> BatchedEngine::runTaskReopened(const TaskRow &row)
{
    const qint64 root = runSeqOf(row.seq, row.runId);
    if (auto run = m_runs.find(root); run != m_runs.end()) {
        ++run->second.unfinished;
        return {};
    }
    // The run had finished: it is unfinished again. A retried root waits to start again; a
    // retried descendant makes its run active at once.
    RunEntry run{row.queueNum, 1, root != row.seq};
    if (root != row.seq) {
        auto rootRow = m_store->loadTask(root);
        if (failed(rootRow))
            return std::unexpected(rootRow.error());
        run.queueNum = rootRow->has_value() ? (*rootRow)->queueNum : 0;
    }
    m_runs.emplace(root, run);
    if (auto queue = m_queues.find(run.queueNum); queue != m_queues.end())
        ++(run.started ? queue->second.activeRuns : queue->second.waitingRuns);
    return {};
}

bool BatchedEngine::runRootStarted(qint64 seq)
{
    auto run = m_runs.find(seq);
    if (run == m_runs.end() || run->second.started)
        return false;
    run->second.started = true;
    if (auto queue = m_queues.find(run->second.queueNum); queue != m_queues.end()) {
        --queue->second.waitingRuns;
        ++queue->second.activeRuns;
    }
    return true;
}

void BatchedEngine::runRootReturned(qint64 seq)
{
    // A root whose lease never reached its worker: as if never started, unless descendants run.
    auto run = m_runs.find(seq);
    if (run == m_runs.end() || !run->second.started || run->second.unfinished != 1)
        return;
    run->second.started = false;
    if (auto queue = m_queues.find(run->second.queueNum); queue != m_queues.end()) {
        --queue->second.activeRuns;
        ++queue->second.waitingRuns;
        releaseHeldRoots(queue->second);
    }
}

// --- max_active_runs ------------------------------------------------------------------------

bool BatchedEngine::holdRoot(QueueState &queue, const ReadyTask &task)
{
    const int maxActive = queue.row.settings.maxActiveRuns;
    if (maxActive <= 0 || queue.activeRuns < maxActive)
        return false;
    const auto run = m_runs.find(task.seq);
    if (run == m_runs.end() || run->second.started)
        return false; // a child, or a root whose run is active already (a retry)
    queue.heldRoots.emplace(heldKey(task), task);
    return true;
}

void BatchedEngine::releaseHeldRoots(QueueState &queue)
{
    const int maxActive = queue.row.settings.maxActiveRuns;
    // As many roots go back to the index as runs may start now, in index order (priority, then
    // FIFO); the rest stay held until further runs end.
    qint64 free = maxActive <= 0 ? qint64(queue.heldRoots.size()) : maxActive - queue.activeRuns;
    while (free-- > 0 && !queue.heldRoots.empty()) {
        const ReadyTask task = queue.heldRoots.begin()->second;
        queue.heldRoots.erase(queue.heldRoots.begin());
        addToReady(queue, task, m_taskIndex.routing(task.seq));
    }
}

void BatchedEngine::forgetHeldRoot(QueueState &queue, const ReadyTask &task, bool &found)
{
    found = queue.heldRoots.erase(heldKey(task)) > 0;
}

// --- operations -----------------------------------------------------------------------------

Result<TaskInfo> BatchedEngine::enqueueChild(const ChildEnqueue &request)
{
    const auto parent = Ids::parseTaskId(request.parentId);
    if (!parent)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("\"%1\" is not a task id; name the task this worker holds")
                             .arg(request.parentId));
    const auto lease = Ids::parseLeaseId(request.leaseId);
    if (!lease)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("give lease_id: the lease this worker holds on task %1")
                             .arg(request.parentId),
                         QJsonObject{{QStringLiteral("field"), QStringLiteral("lease_id")}});
    if (!request.workerId.isEmpty()) {
        if (auto alive = touchWorker(request.workerId); !alive)
            return std::unexpected(alive.error());
    }
    const auto *running = m_leases.find(parent->seq);
    if (!running || running->leaseValue != *lease)
        return makeError(
            ErrorCode::FailedPrecondition,
            QStringLiteral("task %1 is not running under that lease (it finished, or its lease "
                           "expired); children are enqueued by the worker holding their "
                           "parent, while it runs")
                .arg(request.parentId),
            QJsonObject{{QStringLiteral("reason"), QStringLiteral("no_live_lease")}});
    const RunningTask &holder = *running;
    if (!request.workerId.isEmpty() && holder.workerId != request.workerId)
        return makeError(
            ErrorCode::PermissionDenied,
            QStringLiteral("task %1 is leased by another worker").arg(request.parentId));
    if (holder.cancelRequested)
        return makeError(ErrorCode::FailedPrecondition,
                         QStringLiteral("task %1 was cancelled; its worker is stopping it and "
                                        "may enqueue no children")
                             .arg(request.parentId));
    QueueState &parentQueue = m_queues.at(holder.queueNum);
    QueueState *target = &parentQueue;
    if (!request.queueId.isEmpty() && request.queueId != parentQueue.row.id) {
        if (!parentQueue.row.settings.childQueues.contains(request.queueId))
            return makeError(
                ErrorCode::PermissionDenied,
                QStringLiteral("children of tasks of queue \"%1\" may go into that queue or the "
                               "queues in its child_queues setting, and %2 is not one of them; "
                               "add it to child_queues or leave queue_id out")
                    .arg(parentQueue.row.name, request.queueId),
                QJsonObject{{QStringLiteral("field"), QStringLiteral("queue_id")}});
        auto found = requireQueue(request.queueId);
        if (!found)
            return std::unexpected(found.error());
        target = *found;
    }
    // The run of the parent: its root's id (the parent's own for a root).
    QString runId;
    if (holder.runSeq == parent->seq) {
        runId = request.parentId;
    } else {
        auto parentRow = m_store->loadTask(parent->seq);
        if (failed(parentRow))
            return std::unexpected(parentRow.error());
        if (!parentRow->has_value())
            return makeError(ErrorCode::NotFound,
                             QStringLiteral("no task with id %1").arg(request.parentId));
        runId = (*parentRow)->runId;
    }
    auto written = writeTasks(*target, {request.task}, request.parentId, runId);
    if (!written)
        return std::unexpected(written.error());
    TaskInfo info = describe(written->front().row);
    info.created = written->front().created;
    return info;
}

Result<RunInfo> BatchedEngine::describeRun(qint64 rootSeq, const QString &runId)
{
    auto root = loadTask(runId);
    if (!root)
        return std::unexpected(root.error());
    if (!root->has_value() || !(*root)->runId.isEmpty())
        return makeError(
            ErrorCode::NotFound,
            QStringLiteral("no run with id %1; a run's id is its root task's id").arg(runId));
    auto children = m_store->loadRunChildren(runId, MaxRunTasks);
    if (failed(children))
        return std::unexpected(children.error());
    const qint64 t = now();
    RunInfo run;
    run.id = runId;
    QList<TaskRow> rows{**root};
    rows.append(*children);
    run.truncated = children->size() >= MaxRunTasks;
    for (const TaskRow &row : std::as_const(rows)) {
        RunTask task;
        task.id =
            row.seq == rootSeq ? runId : Ids::taskId(row.enqueuedAtMs, m_options.node, row.seq);
        task.parentId = row.parentId;
        if (const auto queue = m_queues.find(row.queueNum); queue != m_queues.end())
            task.queueId = queue->second.row.id;
        task.type = row.type;
        task.state = row.state;
        task.attempts = row.attempts;
        task.enqueuedAtMs = row.enqueuedAtMs;
        task.startedAtMs = row.startedAtMs;
        task.finishedAtMs = row.finishedAtMs;
        if (row.startedAtMs) {
            const qint64 end = isFinished(row.state) && row.finishedAtMs ? *row.finishedAtMs : t;
            task.durationMs = qMax<qint64>(0, end - *row.startedAtMs);
            run.startedAtMs =
                run.startedAtMs ? qMin(*run.startedAtMs, *row.startedAtMs) : *row.startedAtMs;
        }
        if (row.finishedAtMs)
            run.finishedAtMs =
                run.finishedAtMs ? qMax(*run.finishedAtMs, *row.finishedAtMs) : *row.finishedAtMs;
        task.lastError = row.lastError;
        task.deadReason = row.deadReason;
        ++run.total;
        if (!isFinished(row.state))
            ++run.unfinished;
        else if (row.state == TaskState::Succeeded)
            ++run.succeeded;
        else
            ++run.failed;
        run.tasks.append(std::move(task));
    }
    run.queueId = run.tasks.front().queueId;
    const auto entry = m_runs.find(rootSeq);
    if (entry != m_runs.end() || run.unfinished > 0) {
        run.state =
            entry == m_runs.end() || entry->second.started ? RunState::Active : RunState::Waiting;
        run.finishedAtMs.reset();
    } else {
        run.state = run.failed > 0 ? RunState::Failed : RunState::Succeeded;
    }
    if (run.startedAtMs)
        run.durationMs = qMax<qint64>(0, run.finishedAtMs.value_or(t) - *run.startedAtMs);
    return run;
}

Result<RunInfo> BatchedEngine::runInfo(const QString &runId)
{
    const auto parts = Ids::parseTaskId(runId);
    if (!parts)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("\"%1\" is not a run id; a run's id is its root task's id "
                                        "(t_ and 26 more characters)")
                             .arg(runId));
    return describeRun(parts->seq, runId);
}

Result<RunState> BatchedEngine::runState(const QString &runId)
{
    const auto parts = Ids::parseTaskId(runId);
    if (!parts)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("\"%1\" is not a run id").arg(runId));
    if (const auto run = m_runs.find(parts->seq); run != m_runs.end()) {
        // Unfinished: no store read. (The id's time part is checked against the row below only
        // for finished runs; an unfinished run's seq names exactly one root.)
        return run->second.started ? RunState::Active : RunState::Waiting;
    }
    auto run = describeRun(parts->seq, runId);
    if (!run)
        return std::unexpected(run.error());
    return run->state;
}

Result<qint64> BatchedEngine::cancelRun(const QString &runId)
{
    auto run = runInfo(runId);
    if (!run)
        return std::unexpected(run.error());
    qint64 cancelled = 0;
    // Descendants first, newest first, so that no parent's cancel races a child being made.
    for (auto it = run->tasks.crbegin(); it != run->tasks.crend(); ++it) {
        if (isFinished(it->state))
            continue;
        auto done = cancelTask(it->id);
        if (!done) {
            if (m_storeFailed)
                return std::unexpected(done.error());
            continue; // finished meanwhile
        }
        ++cancelled;
    }
    return cancelled;
}

QFuture<Result<RunInfo>> BatchedEngine::awaitRun(QString runId, qint64 waitMs)
{
    auto promise = std::make_shared<QPromise<Result<RunInfo>>>();
    promise->start();
    QFuture<Result<RunInfo>> future = promise->future();
    post(operation(
        [this, promise, runId, waitMs] {
            auto run = runInfo(runId);
            if (!run || isFinished(run->state) || waitMs <= 0) {
                deliverAfterCommit<RunInfo>(promise, std::move(run));
                return;
            }
            const qint64 root = Ids::parseTaskId(runId)->seq;
            m_runWaiters.emplace(root, RunWaiter{now() + waitMs, promise});
        },
        [promise](const Error &error) {
            promise->addResult(Result<RunInfo>(std::unexpected(error)));
            promise->finish();
        }));
    return future;
}

void BatchedEngine::resolveRunWaiters(const QList<qint64> &roots, bool onlyExpired)
{
    const qint64 t = now();
    for (qint64 root : roots) {
        auto [begin, end] = m_runWaiters.equal_range(root);
        if (begin == end)
            continue;
        std::optional<Result<RunInfo>> run;
        for (auto it = begin; it != end;) {
            if (onlyExpired && it->second.deadlineMs > t) {
                ++it;
                continue;
            }
            if (!run) {
                auto row = m_store->loadTask(root);
                if (!row)
                    run = Result<RunInfo>(std::unexpected(row.error()));
                else if (!row->has_value())
                    run = Result<RunInfo>(makeError(ErrorCode::NotFound,
                                                    QStringLiteral("the run's root was deleted")));
                else
                    run =
                        describeRun(root, Ids::taskId((*row)->enqueuedAtMs, m_options.node, root));
            }
            deliverAfterCommit<RunInfo>(it->second.promise, *run);
            it = m_runWaiters.erase(it);
        }
    }
}

} // namespace QueueDeck
