// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "engine.h"

#include <QPromise>
#include <QString>
#include <QStringList>

#include <functional>
#include <list>
#include <memory>
#include <optional>
#include <set>
#include <unordered_map>
#include <utility>

namespace QueueDeck {

// A task leased to a worker, as the engine keeps it in memory while it runs.
struct RunningTask
{
    int queueNum = 0;
    QString workerId;
    qint64 leaseValue = 0;
    qint64 expiresAtMs = 0;
    qint64 startedAtMs = 0;
    QString concurrencyKey;
    int attempts = 0;
    std::optional<int> maxAttempts;
    std::optional<qint64> timeoutS;
    std::optional<qint64> deadlineMs;
    bool cancelRequested = false;
    qint64 runSeq = 0; // the root's seq (its own for a root)
    QString type;      // for the metrics per task type
};

// A lease request parked until work arrives or its wait ends.
struct LeaseWaiter
{
    QString workerId;
    int max = 1;
    qint64 deadlineMs = 0;
    std::shared_ptr<QPromise<Result<QList<LeasedTask>>>> promise;
    LeaseWithdrawal withdrawn;
    QStringList queueOrder; // as in LeaseRequest
    bool isWithdrawn() const { return withdrawn && withdrawn->load(); }
};

// The running side of the engine's memory: every leased task with its lease's expiry, and the
// lease requests parked for work. A running task and its expiry come and go together.
//
// Thread rule: not thread-safe. The engine owns it and uses it on the engine thread only; a
// parked waiter's promise is fulfilled by the engine after the commit of its batch.
class LeaseBook final
{
public:
    // --- running tasks, by seq ---
    RunningTask *find(qint64 seq)
    {
        const auto it = m_running.find(seq);
        return it == m_running.end() ? nullptr : &it->second;
    }
    const RunningTask *find(qint64 seq) const
    {
        const auto it = m_running.find(seq);
        return it == m_running.end() ? nullptr : &it->second;
    }
    bool contains(qint64 seq) const { return m_running.contains(seq); }
    qsizetype runningCount() const { return qsizetype(m_running.size()); }
    // The task runs under its lease until task.expiresAtMs.
    void add(qint64 seq, RunningTask task)
    {
        m_expiries.insert({task.expiresAtMs, seq});
        m_running.emplace(seq, std::move(task));
    }
    // Forgets a running task and its lease's expiry.
    void remove(qint64 seq)
    {
        const auto it = m_running.find(seq);
        if (it == m_running.end())
            return;
        m_expiries.erase({it->second.expiresAtMs, seq});
        m_running.erase(it);
    }
    // Moves a running task's lease expiry.
    void extend(qint64 seq, qint64 expiresAtMs);
    // Forgets every running task of a queue, each shown to forget() first.
    void removeQueue(int queueNum,
                     const std::function<void(qint64 seq, const RunningTask &task)> &forget);
    // The task of the earliest lease expiry at or before nowMs, the expiry taken out (the task
    // stays: the engine decides what an expired lease means).
    std::optional<qint64> takeDueExpiry(qint64 nowMs);
    std::optional<qint64> nextExpiryMs() const;
    // Forgets every running task (the parked waiters stay).
    void clearRunning();

    // --- parked lease requests, oldest first ---
    void park(LeaseWaiter waiter) { m_waiters.push_back(std::move(waiter)); }
    std::list<LeaseWaiter> &waiters() { return m_waiters; }
    const std::list<LeaseWaiter> &waiters() const { return m_waiters; }

private:
    std::unordered_map<qint64, RunningTask> m_running;
    std::set<std::pair<qint64, qint64>> m_expiries; // (expires_at, seq)
    std::list<LeaseWaiter> m_waiters;
};

} // namespace QueueDeck
