// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "readyindex.h"

#include <QHash>
#include <QPair>
#include <QString>

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <utility>

namespace QueueDeck {

// A scheduled task as the schedule keeps it until its run_at.
struct ScheduledTask
{
    int queueNum = 0;
    int priority = 0;
    QString concurrencyKey;
};

// Waiting tasks in memory beyond each queue's ready index (the store stays the truth): the
// schedule of tasks whose run_at is ahead, the expiry times of waiting tasks (max_queued_time,
// deadline), the routing of routed tasks, and the idempotency keys of unfinished tasks.
//
// Thread rule: not thread-safe. The engine owns it and uses it on the engine thread only.
class TaskIndex final
{
public:
    struct DueTask
    {
        qint64 runAtMs = 0;
        qint64 seq = 0;
        ScheduledTask task;
    };

    // --- the schedule: (run_at, seq) → task ---
    void schedule(qint64 runAtMs, qint64 seq, ScheduledTask task)
    {
        m_scheduled.emplace(std::pair{runAtMs, seq}, std::move(task));
    }
    // False when the task was not in the schedule.
    bool unschedule(qint64 runAtMs, qint64 seq) { return m_scheduled.erase({runAtMs, seq}) > 0; }
    // The earliest scheduled task whose run_at is at or before nowMs, taken out of the schedule.
    std::optional<DueTask> takeDueScheduled(qint64 nowMs);
    void unscheduleQueue(int queueNum);
    qsizetype scheduledCount() const { return qsizetype(m_scheduled.size()); }

    // --- expiries of waiting tasks: (expire_at, seq) ---
    void addExpiry(qint64 atMs, qint64 seq) { m_expiries.insert({atMs, seq}); }
    void removeExpiry(qint64 atMs, qint64 seq) { m_expiries.erase({atMs, seq}); }
    // The task of the earliest expiry at or before nowMs, the expiry taken out.
    std::optional<qint64> takeDueExpiry(qint64 nowMs);
    qsizetype expiryCount() const { return qsizetype(m_expiries.size()); }

    // --- routing of routed waiting tasks ---
    void setRouting(qint64 seq, Routing routing) { m_routing.insert(seq, std::move(routing)); }
    // nullptr: the task is not routed.
    const Routing *routing(qint64 seq) const
    {
        const auto it = m_routing.constFind(seq);
        return it == m_routing.cend() ? nullptr : &*it;
    }
    void forgetRouting(qint64 seq) { m_routing.remove(seq); }

    // --- idempotency keys of unfinished tasks, per queue ---
    std::optional<qint64> taskWithKey(int queueNum, const QString &key) const
    {
        const auto it = m_idempotency.constFind({queueNum, key});
        return it == m_idempotency.cend() ? std::nullopt : std::optional<qint64>(*it);
    }
    bool hasKey(int queueNum, const QString &key) const
    {
        return m_idempotency.contains({queueNum, key});
    }
    void rememberKey(int queueNum, const QString &key, qint64 seq)
    {
        m_idempotency.insert({queueNum, key}, seq);
    }
    void forgetKey(int queueNum, const QString &key) { m_idempotency.remove({queueNum, key}); }
    // Forgets the key the task holds, if any (the task's row need not be at hand).
    void forgetKeyOf(int queueNum, qint64 seq);
    // Forgets the keys of a queue's tasks, but those for which keep() answers true.
    void forgetKeysOfQueue(int queueNum, const std::function<bool(qint64 seq)> &keep = {});

    // The earliest time something here falls due: a scheduled run_at or an expiry.
    std::optional<qint64> nextDueMs() const;
    void clear();

private:
    std::map<std::pair<qint64, qint64>, ScheduledTask> m_scheduled; // (run_at, seq)
    std::set<std::pair<qint64, qint64>> m_expiries;                 // (expire_at, seq)
    QHash<qint64, Routing> m_routing;                               // routed waiting tasks
    QHash<QPair<int, QString>, qint64> m_idempotency;               // unfinished tasks only
};

} // namespace QueueDeck
