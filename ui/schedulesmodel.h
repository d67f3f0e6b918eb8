// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/scheduletypes.h"

#include <QAbstractTableModel>
#include <QHash>

namespace QueueDeck::Ui {

// The schedules of a server, one row each: name, the spec in words, next fire, last outcome,
// target queue, paused. Updated in place when the same schedules come back.
class SchedulesModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SchedulesModel)
public:
    enum Column { Name, Spec, NextFire, LastOutcome, Queue, Paused, ColumnCount };
    static constexpr int IdRole = Qt::UserRole + 1;

    explicit SchedulesModel(QObject *parent = nullptr);

    void setSchedules(const QList<ScheduleInfo> &schedules);
    void setQueueNames(const QHash<QString, QString> &names); // queue id → label
    const ScheduleInfo *scheduleAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<ScheduleInfo> m_schedules;
    QHash<QString, QString> m_queueNames;
};

} // namespace QueueDeck::Ui
