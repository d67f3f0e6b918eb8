// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/nodetypes.h"

#include <QAbstractTableModel>
#include <QUrl>

namespace QueueDeck::Ui {

// The nodes table: one row per `qdeck serve` node of the server (one for a standalone server),
// kept in place across the updates of every poll (rows change, appear and go without a reset).
// Sort with SortRole (numbers and times as numbers) through a QSortFilterProxyModel. The node
// the window talks to is shown in bold.
class NodesModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NodesModel)
public:
    enum Column {
        Id,
        Address,
        Version,
        Uptime,
        Role,
        Connections,
        RequestsPerSecond,
        Seen,
        ColumnCount
    };
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit NodesModel(QObject *parent = nullptr);

    void setNodes(const QList<NodeInfo> &nodes);
    // The address the window is connected to: that node's row is bold.
    void setCurrentAddress(const QUrl &address);
    // Moves the "last seen" ages on without new data.
    void setNow(qint64 nowMs);
    const NodeInfo *nodeAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QString roleText(const QString &role) const;
    QString seenText(const NodeInfo &node) const;

    QList<NodeInfo> m_nodes;
    QUrl m_current;
    qint64 m_nowMs = 0;
};

} // namespace QueueDeck::Ui
