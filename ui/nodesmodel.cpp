// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "nodesmodel.h"

#include "durationformat.h"

#include <QDateTime>
#include <QFont>
#include <QLocale>
#include <QSet>

namespace QueueDeck::Ui {

NodesModel::NodesModel(QObject *parent)
    : QAbstractTableModel(parent), m_nowMs(QDateTime::currentMSecsSinceEpoch())
{}

void NodesModel::setNodes(const QList<NodeInfo> &nodes)
{
    QSet<QString> kept;
    for (const NodeInfo &node : nodes)
        kept.insert(node.nodeId);
    // Gone first (from the bottom, so rows ahead keep their numbers), then changed, then new.
    for (int row = int(m_nodes.size()) - 1; row >= 0; --row) {
        if (kept.contains(m_nodes[row].nodeId))
            continue;
        beginRemoveRows({}, row, row);
        m_nodes.removeAt(row);
        endRemoveRows();
    }
    for (const NodeInfo &node : nodes) {
        const auto it = std::find_if(m_nodes.begin(), m_nodes.end(), [&node](const NodeInfo &n) {
            return n.nodeId == node.nodeId;
        });
        if (it != m_nodes.end()) {
            if (*it == node)
                continue;
            *it = node;
            const int row = int(it - m_nodes.begin());
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
            continue;
        }
        const int row = int(m_nodes.size());
        beginInsertRows({}, row, row);
        m_nodes.append(node);
        endInsertRows();
    }
}

void NodesModel::setCurrentAddress(const QUrl &address)
{
    if (address == m_current)
        return;
    m_current = address;
    if (!m_nodes.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_nodes.size()) - 1, ColumnCount - 1),
                           {Qt::FontRole});
}

void NodesModel::setNow(qint64 nowMs)
{
    m_nowMs = nowMs;
    if (!m_nodes.isEmpty())
        Q_EMIT dataChanged(index(0, Seen), index(int(m_nodes.size()) - 1, Seen));
}

const NodeInfo *NodesModel::nodeAt(int row) const
{
    return row >= 0 && row < m_nodes.size() ? &m_nodes[row] : nullptr;
}

int NodesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_nodes.size());
}

int NodesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString NodesModel::roleText(const QString &role) const
{
    if (role == QLatin1String(NodeRole::Leader))
        return tr("Leader");
    if (role == QLatin1String(NodeRole::Follower))
        return tr("Follower");
    if (role == QLatin1String(NodeRole::Standalone))
        return tr("Standalone");
    return role;
}

QString NodesModel::seenText(const NodeInfo &node) const
{
    if (node.alive)
        return tr("Alive");
    if (node.lastSeenAtMs <= 0)
        return tr("Gone");
    return tr("Gone, last seen %1 ago")
        .arg(DurationFormat::format(qMax<qint64>(0, m_nowMs - node.lastSeenAtMs) / 1000 * 1000));
}

QVariant NodesModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const NodeInfo &n = m_nodes[index.row()];
    if (role == Qt::FontRole) {
        if (m_current.isEmpty() || QUrl(n.address).adjusted(QUrl::StripTrailingSlash) !=
                                       m_current.adjusted(QUrl::StripTrailingSlash))
            return {};
        QFont font;
        font.setBold(true);
        return font;
    }
    if (role == Qt::TextAlignmentRole &&
        (index.column() == Connections || index.column() == RequestsPerSecond ||
         index.column() == Uptime))
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != SortRole && role != Qt::ToolTipRole)
        return {};
    const bool sort = role == SortRole;
    switch (Column(index.column())) {
    case Id:
        return n.nodeId;
    case Address:
        return n.address;
    case Version:
        return n.version;
    case Uptime:
        if (role == Qt::ToolTipRole)
            return tr("Started %1")
                .arg(QDateTime::fromMSecsSinceEpoch(n.startedAtMs).toString(Qt::ISODate));
        return sort ? QVariant(n.uptimeSeconds)
                    : QVariant(DurationFormat::format(n.uptimeSeconds * 1000));
    case Role:
        return roleText(n.role);
    case Connections:
        return sort ? QVariant(n.connections) : QVariant(QString::number(n.connections));
    case RequestsPerSecond:
        return sort ? QVariant(n.requestsPerSecond)
                    : QVariant(QLocale().toString(n.requestsPerSecond, 'f', 1));
    case Seen:
        if (role == Qt::ToolTipRole)
            return n.lastSeenAtMs > 0 ? tr("Last seen %1")
                                            .arg(QDateTime::fromMSecsSinceEpoch(n.lastSeenAtMs)
                                                     .toString(Qt::ISODate))
                                      : QString();
        return sort ? QVariant(n.alive ? m_nowMs : n.lastSeenAtMs) : QVariant(seenText(n));
    case ColumnCount:
        break;
    }
    return {};
}

QVariant NodesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Id:
        return tr("Node");
    case Address:
        return tr("Address");
    case Version:
        return tr("Version");
    case Uptime:
        return tr("Uptime");
    case Role:
        return tr("Role");
    case Connections:
        return tr("Connections");
    case RequestsPerSecond:
        return tr("Requests/s");
    case Seen:
        return tr("Alive");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace QueueDeck::Ui
