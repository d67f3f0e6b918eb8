// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "schedulesmodel.h"

#include <QDateTime>

namespace QueueDeck::Ui {

SchedulesModel::SchedulesModel(QObject *parent) : QAbstractTableModel(parent) {}

void SchedulesModel::setSchedules(const QList<ScheduleInfo> &schedules)
{
    bool sameRows = schedules.size() == m_schedules.size();
    for (qsizetype i = 0; sameRows && i < schedules.size(); ++i)
        sameRows = schedules[i].id == m_schedules[i].id;
    if (!sameRows) {
        beginResetModel();
        m_schedules = schedules;
        endResetModel();
        return;
    }
    m_schedules = schedules;
    if (!m_schedules.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_schedules.size()) - 1, ColumnCount - 1));
}

void SchedulesModel::setQueueNames(const QHash<QString, QString> &names)
{
    m_queueNames = names;
    if (!m_schedules.isEmpty())
        Q_EMIT dataChanged(index(0, Queue), index(int(m_schedules.size()) - 1, Queue));
}

const ScheduleInfo *SchedulesModel::scheduleAt(int row) const
{
    return row >= 0 && row < m_schedules.size() ? &m_schedules[row] : nullptr;
}

int SchedulesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_schedules.size());
}

int SchedulesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SchedulesModel::data(const QModelIndex &index, int role) const
{
    const ScheduleInfo *s = index.isValid() ? scheduleAt(index.row()) : nullptr;
    if (!s)
        return {};
    if (role == IdRole)
        return s->id;
    if (role == Qt::CheckStateRole && index.column() == Paused)
        return s->definition.paused ? Qt::Checked : Qt::Unchecked;
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (Column(index.column())) {
    case Name:
        return s->definition.name;
    case Spec:
        return role == Qt::ToolTipRole ? s->definition.spec : s->description;
    case NextFire:
        if (!s->nextFireMs)
            return s->definition.paused ? tr("paused") : tr("none");
        return QDateTime::fromMSecsSinceEpoch(*s->nextFireMs)
            .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    case LastOutcome:
        if (!s->lastFire)
            return tr("not fired yet");
        if (role == Qt::ToolTipRole)
            return s->lastFire->reason;
        return tr("%1 at %2")
            .arg(s->lastFire->outcome, QDateTime::fromMSecsSinceEpoch(s->lastFire->fireTimeMs)
                                           .toString(QStringLiteral("HH:mm:ss")));
    case Queue:
        return m_queueNames.value(s->definition.queueId, s->definition.queueId);
    case Paused:
        return s->definition.paused ? tr("paused") : tr("active");
    case ColumnCount:
        break;
    }
    return {};
}

QVariant SchedulesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Name:
        return tr("Name");
    case Spec:
        return tr("Schedule");
    case NextFire:
        return tr("Next fire");
    case LastOutcome:
        return tr("Last outcome");
    case Queue:
        return tr("Queue");
    case Paused:
        return tr("State");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace QueueDeck::Ui
