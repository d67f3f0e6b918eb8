// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The engine's side of the change feed (changefeed.h): what it shows of queues, workers and tasks.
#include "batchedengine.h"

#include "ids.h"

namespace QueueDeck {

Result<ChangeSet> BatchedEngine::takeChanges()
{
    std::vector<std::pair<int, QueueInfo>> queues;
    queues.reserve(m_queues.size());
    for (const auto &[num, queue] : m_queues)
        queues.emplace_back(num, describe(queue));
    QList<WorkerInfo> workers;
    workers.reserve(m_workers.size());
    for (const WorkerEntry &worker : std::as_const(m_workers))
        workers.append(describe(worker));
    return m_changes.take(
        now(), queues, workers,
        [this](int queueNum) {
            const auto queue = m_queues.find(queueNum);
            return queue != m_queues.end() ? queue->second.row.id : QString();
        },
        [this](qint64 seq) -> std::optional<QString> {
            auto row = m_store->loadTask(seq);
            if (!row || !row->has_value())
                return std::nullopt;
            return Ids::taskId((*row)->enqueuedAtMs, m_options.node, seq);
        });
}

} // namespace QueueDeck
