// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/wiretypes.h"
#include "storetypes.h"

#include <QHash>
#include <QSet>
#include <QString>

namespace QueueDeck {

// A registered worker as the engine keeps it in memory.
struct WorkerEntry
{
    WorkerRow row;
    qint64 lastHeartbeatMs = 0;
    bool lost = false;
    QString status; // as its last heartbeat reported it (kept in memory only)
    QSet<qint64> running;
    quint32 rotation = 0;
};

// The registered workers by id: their rows, signs of life, and the tasks each runs. The rules
// (registration, loss, leases) stay with the engine; this is what they are kept in.
//
// Thread rule: not thread-safe. The engine owns it and uses it on the engine thread only.
class WorkerRegistry final
{
public:
    using Map = QHash<QString, WorkerEntry>;

    WorkerEntry *find(const QString &workerId)
    {
        const auto it = m_workers.find(workerId);
        return it == m_workers.end() ? nullptr : &*it;
    }
    const WorkerEntry *find(const QString &workerId) const
    {
        const auto it = m_workers.constFind(workerId);
        return it == m_workers.cend() ? nullptr : &*it;
    }
    bool contains(const QString &workerId) const { return m_workers.contains(workerId); }
    // The worker, made empty when it is new.
    WorkerEntry &insert(const QString &workerId) { return m_workers[workerId]; }
    void remove(const QString &workerId) { m_workers.remove(workerId); }
    void clear() { m_workers.clear(); }
    qsizetype size() const { return m_workers.size(); }

    Map::iterator begin() { return m_workers.begin(); }
    Map::iterator end() { return m_workers.end(); }
    Map::const_iterator begin() const { return m_workers.cbegin(); }
    Map::const_iterator end() const { return m_workers.cend(); }

    // The worker started or stopped running a task (unknown workers are skipped).
    void taskStarted(const QString &workerId, qint64 seq);
    void taskStopped(const QString &workerId, qint64 seq);
    // Each parked lease of a worker is a sign of life: its connection is open, waiting for work.
    void heardFrom(const QString &workerId, qint64 nowMs);
    // Signs of life by worker id, kept across a reload (they are not stored).
    QHash<QString, qint64> heartbeats() const;
    // Online (not lost) and lost workers.
    std::pair<int, int> countOnlineAndLost() const;

    // The worker as the API shows it.
    static WorkerInfo describe(const WorkerEntry &worker);

private:
    Map m_workers;
};

} // namespace QueueDeck
