// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/wiretypes.h"

#include <QAbstractTableModel>
#include <QHash>

namespace QueueDeck::Ui {

// The workers table: one row per worker, kept in place across updates (rows change, appear and
// go without a reset, so a selection and the scroll position survive the updates of every
// second). Sort with SortRole (numbers and times as numbers) through a QSortFilterProxyModel.
class WorkersModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WorkersModel)
public:
    enum Column {
        Id,
        Host,
        Queues,
        State,
        Status,
        Heartbeat,
        Running,
        Done,
        Failed,
        Labels,
        Capabilities,
        ColumnCount
    };
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit WorkersModel(QObject *parent = nullptr);

    void setWorkers(const QList<WorkerInfo> &workers);
    // Changed or new workers, and the ids of those that left.
    void applyChanges(const QList<WorkerInfo> &changed, const QStringList &removed);
    // Queue id → what the Queues column shows for it (the id when unknown).
    void setQueueNames(const QHash<QString, QString> &names);
    // Moves the heartbeat ages on without new data (called each second).
    void setNow(qint64 nowMs);
    const WorkerInfo *workerAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QString ageText(qint64 ms) const;

    QList<WorkerInfo> m_workers;
    QHash<QString, int> m_rowOf; // worker id → row
    QHash<QString, QString> m_queueNames;
    qint64 m_nowMs = 0;
};

} // namespace QueueDeck::Ui
