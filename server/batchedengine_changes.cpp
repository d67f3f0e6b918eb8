// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The engine's side of the change feeds: what it shows of queues, workers and tasks
// (changefeed.h), and which dashboard cards changed (cardchangefeed.h).
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

Result<DashboardChanges> BatchedEngine::dashboardChanges(const QString &environment)
{
    auto snapshot = dashboard(environment);
    if (!snapshot)
        return std::unexpected(snapshot.error());
    DashboardChanges changes;
    changes.changed = m_cardChanges.take(environment, snapshot->cards, now());
    changes.now = std::move(*snapshot);
    return changes;
}

} // namespace QueueDeck
