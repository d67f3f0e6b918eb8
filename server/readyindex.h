// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/wiretypes.h"

#include <QHash>

#include <functional>
#include <map>
#include <set>
#include <unordered_map>

namespace QueueDeck {

// A task that is ready to run, as the index orders it.
struct ReadyTask
{
    qint64 seq = 0;
    qint64 orderMs = 0; // max(enqueued_at, run_at)
    int priority = 0;
    QString concurrencyKey;
};

struct Routing
{
    Labels requiredLabels;
    QString workerId;
};

// The leasable tasks of one queue, in memory (the store stays the truth). Order: higher priority
// first; among equal priorities, lanes take turns — each concurrency key is a lane, and tasks
// without a key share one lane — and each lane is FIFO. Routed tasks (required labels or a named
// worker) sit apart and are offered only to matching workers. Lanes whose key has max_per_key
// tasks running are skipped. Engine thread only.
class ReadyIndex final
{
public:
    void insert(const ReadyTask &task, const Routing *routing = nullptr);
    bool erase(const ReadyTask &task);

    // Takes the next task for a worker, or nothing. runningForKey says how many tasks of a key run.
    std::optional<ReadyTask> take(const QString &workerId, const Labels &workerLabels,
                                  int maxPerKey,
                                  const std::function<int(const QString &)> &runningForKey);

    // A key's running count dropped below max_per_key, or a lane may have become eligible again.
    void keyReleased(const QString &key);
    // max_per_key changed: every parked lane is offered again.
    void unblockAll();

    qint64 size() const { return m_size; }
    bool isEmpty() const { return m_size == 0; }
    qint64 oldestOrderMs() const;
    void clear();

private:
    struct Key
    {
        int priority;
        qint64 orderMs;
        qint64 seq;
        bool operator<(const Key &other) const
        {
            if (priority != other.priority)
                return priority > other.priority;
            if (orderMs != other.orderMs)
                return orderMs < other.orderMs;
            return seq < other.seq;
        }
    };
    struct Lane
    {
        std::set<Key> tasks;
        quint64 servedTick = 0;
        bool blocked = false; // key at max_per_key: out of m_heads until a task of it ends
    };
    struct Head
    {
        int priority;
        quint64 servedTick;
        qint64 orderMs;
        QString key;
        bool operator<(const Head &other) const
        {
            if (priority != other.priority)
                return priority > other.priority;
            if (servedTick != other.servedTick)
                return servedTick < other.servedTick;
            if (orderMs != other.orderMs)
                return orderMs < other.orderMs;
            return key < other.key;
        }
    };
    struct RoutedEntry
    {
        QString key;
        Routing routing;
    };

    Head headOf(const QString &key, const Lane &lane) const;
    void removeHead(const QString &key, const Lane &lane);
    void addHead(const QString &key, const Lane &lane);
    void noteAge(qint64 orderMs, int delta);

    std::unordered_map<QString, Lane> m_lanes;
    std::set<Head> m_heads; // the current head of every non-empty, unblocked lane
    std::set<Key> m_routed;
    std::unordered_map<qint64, RoutedEntry> m_routing;
    std::map<qint64, qint64> m_ages; // orderMs → tasks ready since then, for the oldest age
    quint64 m_tick = 0;
    qint64 m_size = 0;
};

bool labelsMatch(const Labels &required, const Labels &offered);

} // namespace QueueDeck
