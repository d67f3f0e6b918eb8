// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/wiretypes.h"

#include <QAbstractTableModel>
#include <QHash>

namespace QueueDeck::Ui {

// A page of tasks (a search's answer, growing as more pages load): id, type, state, attempts,
// times and the last error. States follow the server's task events in place.
class TasksModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TasksModel)
public:
    enum Column { Id, Type, State, Reason, Attempts, Enqueued, Finished, Error, ColumnCount };

    explicit TasksModel(QObject *parent = nullptr);

    void setTasks(const QList<TaskInfo> &tasks);
    void appendTasks(const QList<TaskInfo> &tasks);
    void updateTask(const TaskInfo &task);
    // A state seen in the event stream ("deleted" drops the row).
    void setState(const QString &taskId, const QString &state);
    const TaskInfo *taskAt(int row) const;
    int rowOf(const QString &taskId) const { return m_rowOf.value(taskId, -1); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    void reindex();

    QList<TaskInfo> m_tasks;
    QHash<QString, int> m_rowOf;
};

} // namespace QueueDeck::Ui
