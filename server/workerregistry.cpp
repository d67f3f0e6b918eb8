// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "workerregistry.h"

namespace QueueDeck {

void WorkerRegistry::taskStarted(const QString &workerId, qint64 seq)
{
    if (WorkerEntry *worker = find(workerId))
        worker->running.insert(seq);
}

void WorkerRegistry::taskStopped(const QString &workerId, qint64 seq)
{
    if (WorkerEntry *worker = find(workerId))
        worker->running.remove(seq);
}

void WorkerRegistry::heardFrom(const QString &workerId, qint64 nowMs)
{
    if (WorkerEntry *worker = find(workerId))
        worker->lastHeartbeatMs = nowMs;
}

QHash<QString, qint64> WorkerRegistry::heartbeats() const
{
    QHash<QString, qint64> out;
    for (auto it = m_workers.cbegin(); it != m_workers.cend(); ++it)
        out.insert(it.key(), it->lastHeartbeatMs);
    return out;
}

std::pair<int, int> WorkerRegistry::countOnlineAndLost() const
{
    int online = 0;
    int lost = 0;
    for (const WorkerEntry &worker : m_workers)
        ++(worker.lost ? lost : online);
    return {online, lost};
}

WorkerInfo WorkerRegistry::describe(const WorkerEntry &worker)
{
    WorkerInfo info;
    info.id = worker.row.id;
    info.queueIds = worker.row.queueIds;
    info.hostname = worker.row.hostname;
    info.pid = worker.row.pid;
    info.version = worker.row.version;
    info.concurrency = worker.row.concurrency;
    info.labels = worker.row.labels;
    info.capabilities = worker.row.capabilities;
    info.status = worker.status;
    info.registeredAtMs = worker.row.registeredAtMs;
    info.lastHeartbeatMs = worker.lastHeartbeatMs;
    info.running = int(worker.running.size());
    info.done = worker.row.done;
    info.failed = worker.row.failed;
    if (worker.lost)
        info.state = WorkerState::Lost;
    else if (worker.row.draining)
        info.state = WorkerState::Draining;
    else
        info.state = worker.running.isEmpty() ? WorkerState::Idle : WorkerState::Active;
    return info;
}

} // namespace QueueDeck
