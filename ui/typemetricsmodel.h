// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/typemetrics.h"

#include <QAbstractTableModel>

namespace QueueDeck::Ui {

// The rows of a metrics-per-task-type report: one per type, "other" last. Shown text is in units
// a person reads; SortRole holds the number behind it, so a proxy sorts by value.
class TypeMetricsModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TypeMetricsModel)
public:
    enum Column {
        Type,
        Processed,
        Failed,
        RunP50,
        RunP95,
        RunP99,
        WaitP50,
        WaitP95,
        WaitP99,
        Count
    };
    static constexpr int SortRole = Qt::UserRole;
    static constexpr int TypeRole = Qt::UserRole + 1; // the type's name; empty for "other"

    explicit TypeMetricsModel(QObject *parent = nullptr);

    // Updates the rows in place when the types are the same, else replaces them.
    void setRows(const QList<TypeMetricsRow> &rows);
    const TypeMetricsRow *row(int index) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<TypeMetricsRow> m_rows;
};

} // namespace QueueDeck::Ui
