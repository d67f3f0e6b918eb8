// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "alertmonitor.h"

#include <QDialog>

class QTableWidget;

namespace QueueDeck::Ui {

// The rules of every queue in one table.
class AlertsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AlertsDialog)
public:
    AlertsDialog(AlertMonitor *monitor, const QList<QueueInfo> &queues, QWidget *parent = nullptr);

public Q_SLOTS:
    void accept() override;

private:
    AlertMonitor *m_monitor;
    QList<QueueInfo> m_queues;
    QTableWidget *m_table;
};

} // namespace QueueDeck::Ui
