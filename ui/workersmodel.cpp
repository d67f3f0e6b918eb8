// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "workersmodel.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

namespace QueueDeck::Ui {

WorkersModel::WorkersModel(QObject *parent)
    : QAbstractTableModel(parent), m_nowMs(QDateTime::currentMSecsSinceEpoch())
{}

namespace {

bool sameRow(const WorkerInfo &a, const WorkerInfo &b)
{
    return a.state == b.state && a.lastHeartbeatMs == b.lastHeartbeatMs && a.running == b.running &&
           a.done == b.done && a.failed == b.failed && a.queueIds == b.queueIds &&
           a.labels == b.labels && a.hostname == b.hostname && a.pid == b.pid &&
           a.version == b.version && a.concurrency == b.concurrency && a.status == b.status &&
           a.capabilities == b.capabilities;
}

} // namespace

void WorkersModel::setWorkers(const QList<WorkerInfo> &workers)
{
    QSet<QString> kept;
    kept.reserve(workers.size());
    for (const WorkerInfo &worker : workers)
        kept.insert(worker.id);
    QStringList gone;
    for (const WorkerInfo &worker : std::as_const(m_workers)) {
        if (!kept.contains(worker.id))
            gone.append(worker.id);
    }
    applyChanges(workers, gone);
}

void WorkersModel::applyChanges(const QList<WorkerInfo> &changed, const QStringList &removed)
{
    // Gone first (from the bottom, so rows ahead keep their numbers), then changed, then new.
    if (!removed.isEmpty()) {
        const QSet<QString> goneIds(removed.cbegin(), removed.cend());
        for (int row = int(m_workers.size()) - 1; row >= 0; --row) {
            if (!goneIds.contains(m_workers[row].id))
                continue;
            beginRemoveRows({}, row, row);
            m_workers.removeAt(row);
            endRemoveRows();
        }
        m_rowOf.clear();
    }
    if (m_rowOf.size() != m_workers.size()) {
        m_rowOf.clear();
        for (int row = 0; row < m_workers.size(); ++row)
            m_rowOf.insert(m_workers[row].id, row);
    }
    for (const WorkerInfo &worker : changed) {
        if (const auto it = m_rowOf.constFind(worker.id); it != m_rowOf.cend()) {
            WorkerInfo &row = m_workers[*it];
            if (sameRow(row, worker))
                continue; // unchanged: no signal, no re-sort
            row = worker;
            Q_EMIT dataChanged(index(*it, 0), index(*it, ColumnCount - 1));
            continue;
        }
        const int row = int(m_workers.size());
        beginInsertRows({}, row, row);
        m_workers.append(worker);
        m_rowOf.insert(worker.id, row);
        endInsertRows();
    }
}

void WorkersModel::setQueueNames(const QHash<QString, QString> &names)
{
    if (names == m_queueNames)
        return;
    m_queueNames = names;
    if (!m_workers.isEmpty())
        Q_EMIT dataChanged(index(0, Queues), index(int(m_workers.size()) - 1, Queues));
}

void WorkersModel::setNow(qint64 nowMs)
{
    m_nowMs = nowMs;
    if (!m_workers.isEmpty())
        Q_EMIT dataChanged(index(0, Heartbeat), index(int(m_workers.size()) - 1, Heartbeat));
}

const WorkerInfo *WorkersModel::workerAt(int row) const
{
    return row >= 0 && row < m_workers.size() ? &m_workers[row] : nullptr;
}

int WorkersModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_workers.size());
}

int WorkersModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString WorkersModel::ageText(qint64 ms) const
{
    if (ms <= 0)
        return QStringLiteral("—");
    const qint64 s = qMax<qint64>(0, (m_nowMs - ms) / 1000);
    if (s < 120)
        return tr("%1 s ago").arg(s);
    if (s < 7200)
        return tr("%1 min ago").arg(s / 60);
    return tr("%1 h ago").arg(s / 3600);
}

QVariant WorkersModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const WorkerInfo &w = m_workers[index.row()];
    if (role == Qt::TextAlignmentRole && index.column() >= Running && index.column() <= Failed)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != SortRole && role != Qt::ToolTipRole)
        return {};
    const bool sort = role == SortRole;
    switch (Column(index.column())) {
    case Id:
        return w.id;
    case Host:
        return w.hostname;
    case Queues: {
        QStringList names;
        for (const QString &id : w.queueIds)
            names.append(m_queueNames.value(id, id));
        return names.join(QStringLiteral(", "));
    }
    case State:
        return sort ? QVariant(int(w.state)) : QVariant(workerStateName(w.state));
    case Status: // what the worker's last heartbeat said about itself
        return w.status;
    case Heartbeat:
        if (role == Qt::ToolTipRole)
            return QDateTime::fromMSecsSinceEpoch(w.lastHeartbeatMs).toString(Qt::ISODate);
        return sort ? QVariant(w.lastHeartbeatMs) : QVariant(ageText(w.lastHeartbeatMs));
    case Running:
        return sort ? QVariant(w.running)
                    : QVariant(QStringLiteral("%1 / %2").arg(w.running).arg(w.concurrency));
    case Done:
        return sort ? QVariant(w.done) : QVariant(QString::number(w.done));
    case Failed:
        return sort ? QVariant(w.failed) : QVariant(QString::number(w.failed));
    case Labels: {
        QStringList labels;
        for (auto it = w.labels.cbegin(); it != w.labels.cend(); ++it)
            labels.append(it.key() + u'=' + it.value());
        return labels.join(u' ');
    }
    case Capabilities: {
        // Compact in the cell, one per line in the tooltip.
        QStringList capabilities;
        for (auto it = w.capabilities.constBegin(); it != w.capabilities.constEnd(); ++it) {
            const QJsonValue value = it.value();
            const QString text = value.isString()
                                     ? value.toString()
                                     : QString::fromUtf8(QJsonDocument(QJsonArray{value})
                                                             .toJson(QJsonDocument::Compact)
                                                             .chopped(1)
                                                             .mid(1));
            capabilities.append(it.key() + u'=' + text);
        }
        return capabilities.join(role == Qt::ToolTipRole ? QStringLiteral("\n")
                                                         : QStringLiteral(" "));
    }
    case ColumnCount:
        break;
    }
    return {};
}

QVariant WorkersModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Id:
        return tr("ID");
    case Host:
        return tr("Host");
    case Queues:
        return tr("Queues");
    case State:
        return tr("State");
    case Heartbeat:
        return tr("Heartbeat");
    case Running:
        return tr("Running");
    case Done:
        return tr("Done");
    case Failed:
        return tr("Failed");
    case Labels:
        return tr("Labels");
    case Status:
        return tr("Status");
    case Capabilities:
        return tr("Capabilities");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace QueueDeck::Ui
