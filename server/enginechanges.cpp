// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The change feed behind the event stream's queue, worker and task events.
#include "enginecore.h"

#include "ids.h"
#include "storecodec.h"

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

Result<ChangeSet> EngineCore::takeChanges()
{
    ChangeSet out;
    // The first look only takes the picture everything later is compared with.
    const bool baseline = !m_changes.tracking;
    m_changes.tracking = true;
    m_changes.lastTakeMs = now();

    QSet<int> queuesSeen;
    for (const auto &[num, queue] : m_queues) {
        QueueInfo info = describe(queue);
        QByteArray print = fingerprint(info);
        queuesSeen.insert(num);
        auto &known = m_changes.queues[num];
        if (known.second != print) {
            known = {info.id, std::move(print)};
            if (!baseline)
                out.queues.append(std::move(info));
        }
    }
    for (auto it = m_changes.queues.begin(); it != m_changes.queues.end();) {
        if (queuesSeen.contains(it.key())) {
            ++it;
            continue;
        }
        out.removedQueues.append(it->first);
        it = m_changes.queues.erase(it);
    }

    QSet<QString> workersSeen;
    for (const WorkerEntry &worker : std::as_const(m_workers)) {
        WorkerInfo info = describe(worker);
        QByteArray print = fingerprint(info);
        workersSeen.insert(info.id);
        QByteArray &known = m_changes.workers[info.id];
        if (known != print) {
            known = std::move(print);
            if (!baseline)
                out.workers.append(std::move(info));
        }
    }
    for (auto it = m_changes.workers.begin(); it != m_changes.workers.end();) {
        if (workersSeen.contains(it.key())) {
            ++it;
            continue;
        }
        out.removedWorkers.append(it.key());
        it = m_changes.workers.erase(it);
    }

    for (const qint64 seq : std::as_const(m_changes.order)) {
        const ChangeTracker::Note &note = m_changes.tasks.value(seq);
        const auto queue = m_queues.find(note.queueNum);
        const QString queueId = queue != m_queues.end() ? queue->second.row.id : QString();
        if (!note.state) {
            out.tasks.append({note.deletedId, queueId, QStringLiteral("deleted")});
            continue;
        }
        auto row = m_store->loadTask(seq);
        if (!row || !row->has_value())
            continue; // deleted since; its own note says so
        out.tasks.append({Ids::taskId((*row)->enqueuedAtMs, m_options.node, seq), queueId,
                          taskStateName(*note.state)});
    }
    out.droppedTasks = std::exchange(m_changes.dropped, 0);
    m_changes.tasks.clear();
    m_changes.order.clear();
    return out;
}

} // namespace QueueDeck
