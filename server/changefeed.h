// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/metrictypes.h"
#include "protocol/wiretypes.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

#include <functional>
#include <optional>
#include <utility>
#include <vector>

namespace QueueDeck {

// The change feed behind the event stream's queue, worker and task events: what changed since the
// previous look. Tasks are noted as they change (each once, in its latest state, up to MaxTasks a
// look); queues and workers are compared with a fingerprint of how they looked at the previous
// look, so that only changes are reported. Nothing is noted until the first look, which only takes
// the picture later looks are compared with; a feed nobody reads for UnreadAfterMs stops.
//
// Thread rule: not thread-safe. The engine owns it and uses it on the engine thread only.
class ChangeFeed final
{
public:
    static constexpr int MaxTasks = 500;
    static constexpr qint64 UnreadAfterMs = 10'000;

    // How to name a noted task when the feed is read: its id, or nullopt when its row is gone.
    using TaskIdLookup = std::function<std::optional<QString>(qint64 seq)>;
    using QueueIdLookup = std::function<QString(int queueNum)>;

    bool isTracking() const { return m_tracking; }

    // A task's new state, while someone reads the feed; a deleted task (no state) gives its id,
    // as its row is gone when the feed is read.
    void noteTask(qint64 seq, int queueNum, std::optional<TaskState> state,
                  const QString &deletedId = {})
    {
        if (m_tracking)
            note(seq, queueNum, state, deletedId);
    }

    // Forgets everything when nobody has looked for UnreadAfterMs.
    void stopIfUnread(qint64 nowMs);

    // What changed since the previous look. queues: every queue by its number, as its card shows
    // it now; workers: every worker as the workers table shows it now.
    ChangeSet take(qint64 nowMs, const std::vector<std::pair<int, QueueInfo>> &queues,
                   const QList<WorkerInfo> &workers, const QueueIdLookup &queueIdOf,
                   const TaskIdLookup &taskIdOf);

private:
    struct Note
    {
        int queueNum = 0;
        std::optional<TaskState> state;
        QString deletedId;
    };

    void note(qint64 seq, int queueNum, std::optional<TaskState> state, const QString &deletedId);

    bool m_tracking = false;
    qint64 m_lastTakeMs = 0;
    QHash<qint64, Note> m_tasks;
    QList<qint64> m_order;
    qint64 m_dropped = 0;
    QHash<int, std::pair<QString, QByteArray>> m_queues; // num → (id, fingerprint)
    QHash<QString, QByteArray> m_workers;                // id → fingerprint
};

} // namespace QueueDeck
