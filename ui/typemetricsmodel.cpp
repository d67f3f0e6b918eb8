// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "typemetricsmodel.h"

#include "durationformat.h"

#include <QLocale>

namespace QueueDeck::Ui {

TypeMetricsModel::TypeMetricsModel(QObject *parent) : QAbstractTableModel(parent) {}

void TypeMetricsModel::setRows(const QList<TypeMetricsRow> &rows)
{
    const auto sameTypes = [&] {
        if (rows.size() != m_rows.size())
            return false;
        for (qsizetype i = 0; i < rows.size(); ++i) {
            if (rows[i].type != m_rows[i].type || rows[i].other != m_rows[i].other)
                return false;
        }
        return true;
    };
    if (sameTypes()) {
        m_rows = rows;
        if (!m_rows.isEmpty())
            Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, Count - 1));
        return;
    }
    beginResetModel();
    m_rows = rows;
    endResetModel();
}

const TypeMetricsRow *TypeMetricsModel::row(int index) const
{
    return index >= 0 && index < m_rows.size() ? &m_rows[index] : nullptr;
}

int TypeMetricsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int TypeMetricsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : Count;
}

QVariant TypeMetricsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const TypeMetricsRow &r = m_rows[index.row()];
    const qint64 durations[] = {r.runP50Ms,  r.runP95Ms,  r.runP99Ms,
                                r.waitP50Ms, r.waitP95Ms, r.waitP99Ms};
    if (role == TypeRole)
        return r.other ? QString() : r.type;
    if (role == Qt::TextAlignmentRole)
        return index.column() == Type ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                      : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == SortRole) {
        switch (index.column()) {
        case Type:
            // "other" sorts after every named type, whichever way.
            return r.other ? QStringLiteral("\uffff") : r.type;
        case Processed:
            return r.processed;
        case Failed:
            return r.failedShare();
        default:
            return durations[index.column() - RunP50];
        }
    }
    if (role == Qt::ToolTipRole && index.column() == Type && r.other)
        return tr("Task types beyond the busiest ones of each queue, together");
    if (role != Qt::DisplayRole)
        return {};
    const QLocale locale;
    switch (index.column()) {
    case Type:
        return r.other ? tr("other") : r.type;
    case Processed:
        return locale.toString(r.processed);
    case Failed:
        return r.processed == 0 ? QStringLiteral("–")
                                : tr("%1 %").arg(locale.toString(100.0 * r.failedShare(), 'f', 1));
    default: {
        const bool run = index.column() <= RunP99;
        if ((run && r.processed == 0) || (!run && r.started == 0))
            return QStringLiteral("–");
        return DurationFormat::format(durations[index.column() - RunP50]);
    }
    }
}

QVariant TypeMetricsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Type:
        return tr("Task type");
    case Processed:
        return tr("Processed");
    case Failed:
        return tr("Failed");
    case RunP50:
        return tr("Run p50");
    case RunP95:
        return tr("Run p95");
    case RunP99:
        return tr("Run p99");
    case WaitP50:
        return tr("Wait p50");
    case WaitP95:
        return tr("Wait p95");
    case WaitP99:
        return tr("Wait p99");
    default:
        return {};
    }
}

} // namespace QueueDeck::Ui
