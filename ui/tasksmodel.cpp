// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "tasksmodel.h"

#include <QColor>
#include <QDateTime>

namespace QueueDeck::Ui {

namespace {

QString timeText(qint64 ms)
{
    return ms > 0
               ? QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
               : QString();
}

} // namespace

TasksModel::TasksModel(QObject *parent) : QAbstractTableModel(parent) {}

void TasksModel::setTasks(const QList<TaskInfo> &tasks)
{
    beginResetModel();
    m_tasks = tasks;
    reindex();
    endResetModel();
}

void TasksModel::appendTasks(const QList<TaskInfo> &tasks)
{
    QList<TaskInfo> fresh;
    for (const TaskInfo &task : tasks) {
        if (!m_rowOf.contains(task.id))
            fresh.append(task);
    }
    if (fresh.isEmpty())
        return;
    const int first = int(m_tasks.size());
    beginInsertRows({}, first, first + int(fresh.size()) - 1);
    m_tasks.append(fresh);
    reindex();
    endInsertRows();
}

void TasksModel::updateTask(const TaskInfo &task)
{
    const int row = rowOf(task.id);
    if (row < 0)
        return;
    m_tasks[row] = task;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void TasksModel::setState(const QString &taskId, const QString &state)
{
    const int row = rowOf(taskId);
    if (row < 0)
        return;
    if (state == u"deleted") {
        beginRemoveRows({}, row, row);
        m_tasks.removeAt(row);
        reindex();
        endRemoveRows();
        return;
    }
    const auto parsed = taskStateFromName(state);
    if (!parsed || *parsed == m_tasks[row].state)
        return;
    m_tasks[row].state = *parsed;
    Q_EMIT dataChanged(index(row, State), index(row, State));
}

const TaskInfo *TasksModel::taskAt(int row) const
{
    return row >= 0 && row < m_tasks.size() ? &m_tasks[row] : nullptr;
}

void TasksModel::reindex()
{
    m_rowOf.clear();
    for (int row = 0; row < m_tasks.size(); ++row)
        m_rowOf.insert(m_tasks[row].id, row);
}

int TasksModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_tasks.size());
}

int TasksModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TasksModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const TaskInfo &t = m_tasks[index.row()];
    if (role == Qt::ForegroundRole && index.column() == State) {
        switch (t.state) {
        case TaskState::Dead:
            return QColor(0xd6, 0x45, 0x45);
        case TaskState::Succeeded:
            return QColor(0x3a, 0x9d, 0x5d);
        case TaskState::Running:
            return QColor(0x3b, 0x82, 0xf6);
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole && index.column() == Error && !t.lastError.isEmpty())
        return t.lastError;
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(index.column())) {
    case Id:
        return t.id;
    case Type:
        return t.type;
    case State:
        return taskStateName(t.state);
    case Reason: // why a dead letter died, beside its state rather than in it
        if (t.state != TaskState::Dead)
            return QString();
        switch (t.deadReason) {
        case DeadReason::AttemptsExhausted:
            return tr("attempts used up");
        case DeadReason::NonRetryable:
            return tr("non-retryable");
        case DeadReason::Expired:
            return tr("expired");
        case DeadReason::None:
            break;
        }
        return QString();
    case Attempts:
        return tr("%1 of %2").arg(t.attempts).arg(t.maxAttempts);
    case Enqueued:
        return timeText(t.enqueuedAtMs);
    case Finished:
        return timeText(t.finishedAtMs.value_or(0));
    case Error:
        return t.lastError.section(u'\n', 0, 0);
    case ColumnCount:
        break;
    }
    return {};
}

QVariant TasksModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Id:
        return tr("Task");
    case Type:
        return tr("Type");
    case State:
        return tr("State");
    case Reason:
        return tr("Reason");
    case Attempts:
        return tr("Attempts");
    case Enqueued:
        return tr("Enqueued");
    case Finished:
        return tr("Finished");
    case Error:
        return tr("Last error");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace QueueDeck::Ui
