// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "changefeed.h"

#include "storecodec.h"

#include <QSet>

namespace QueueDeck {

namespace {

// What a queue card shows — status, every setting, counts — without the age of its oldest task
// (which moves every instant).
QByteArray fingerprint(const QueueInfo &q)
{
    const QueueCounts &c = q.counts;
    return QByteArray::number(int(q.status)) + ' ' + q.name.toUtf8() + ' ' +
           StoreCodec::encodeSettings(q.settings) + ' ' + QByteArray::number(c.queued) + ' ' +
           QByteArray::number(c.scheduled) + ' ' + QByteArray::number(c.running) + ' ' +
           QByteArray::number(c.succeeded) + ' ' + QByteArray::number(c.dead) + ' ' +
           QByteArray::number(c.cancelled) + ' ' + QByteArray::number(c.workersOnline) + ' ' +
           QByteArray::number(c.workersLost);
}

// A worker's row in the workers table, without its heartbeat time.
QByteArray fingerprint(const WorkerInfo &w)
{
    return QByteArray::number(int(w.state)) + ' ' + QByteArray::number(w.running) + ' ' +
           QByteArray::number(w.done) + ' ' + QByteArray::number(w.failed) + ' ' +
           QByteArray::number(w.concurrency) + ' ' + w.queueIds.join(u',').toUtf8();
}

} // namespace

void ChangeFeed::note(qint64 seq, int queueNum, std::optional<TaskState> state,
                      const QString &deletedId)
{
    if (auto it = m_tasks.find(seq); it != m_tasks.end()) {
        it->state = state;
        it->deletedId = deletedId;
        return;
    }
    if (m_tasks.size() >= MaxTasks) {
        ++m_dropped;
        return;
    }
    m_tasks.insert(seq, Note{queueNum, state, deletedId});
    m_order.append(seq);
}

void ChangeFeed::stopIfUnread(qint64 nowMs)
{
    if (m_tracking && nowMs - m_lastTakeMs > UnreadAfterMs)
        *this = ChangeFeed{};
}

ChangeSet ChangeFeed::take(qint64 nowMs, const std::vector<std::pair<int, QueueInfo>> &queues,
                           const QList<WorkerInfo> &workers, const QueueIdLookup &queueIdOf,
                           const TaskIdLookup &taskIdOf)
{
    ChangeSet out;
    // The first look only takes the picture everything later is compared with.
    const bool baseline = !m_tracking;
    m_tracking = true;
    m_lastTakeMs = nowMs;

    QSet<int> queuesSeen;
    for (const auto &[num, info] : queues) {
        QByteArray print = fingerprint(info);
        queuesSeen.insert(num);
        auto &known = m_queues[num];
        if (known.second != print) {
            known = {info.id, std::move(print)};
            if (!baseline)
                out.queues.append(info);
        }
    }
    for (auto it = m_queues.begin(); it != m_queues.end();) {
        if (queuesSeen.contains(it.key())) {
            ++it;
            continue;
        }
        out.removedQueues.append(it->first);
        it = m_queues.erase(it);
    }

    QSet<QString> workersSeen;
    for (const WorkerInfo &info : workers) {
        QByteArray print = fingerprint(info);
        workersSeen.insert(info.id);
        QByteArray &known = m_workers[info.id];
        if (known != print) {
            known = std::move(print);
            if (!baseline)
                out.workers.append(info);
        }
    }
    for (auto it = m_workers.begin(); it != m_workers.end();) {
        if (workersSeen.contains(it.key())) {
            ++it;
            continue;
        }
        out.removedWorkers.append(it.key());
        it = m_workers.erase(it);
    }

    for (const qint64 seq : std::as_const(m_order)) {
        const Note &note = m_tasks.value(seq);
        const QString queueId = queueIdOf(note.queueNum);
        if (!note.state) {
            out.tasks.append({note.deletedId, queueId, QStringLiteral("deleted")});
            continue;
        }
        const std::optional<QString> taskId = taskIdOf(seq);
        if (!taskId)
            continue; // deleted since; its own note says so
        out.tasks.append({*taskId, queueId, taskStateName(*note.state)});
    }
    out.droppedTasks = std::exchange(m_dropped, 0);
    m_tasks.clear();
    m_order.clear();
    return out;
}

} // namespace QueueDeck
