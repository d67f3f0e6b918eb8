// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "alertsdialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace QueueDeck::Ui {

AlertsDialog::AlertsDialog(AlertMonitor *monitor, const QList<QueueInfo> &queues, QWidget *parent)
    : QDialog(parent), m_monitor(monitor), m_queues(queues), m_table(new QTableWidget(this))
{
    setWindowTitle(tr("Alerts"));
    m_table->setColumnCount(4);
    m_table->setHorizontalHeaderLabels(
        {tr("Queue"), tr("Depth above"), tr("Oldest waiting above"), tr("Worker lost")});
    m_table->setRowCount(int(queues.size()));
    m_table->verticalHeader()->setVisible(false);
    m_table->setAccessibleName(tr("Alert thresholds per queue"));
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    for (int row = 0; row < queues.size(); ++row) {
        const QueueInfo &q = queues[row];
        const AlertRule r = monitor->rule(q.id);
        auto *name = new QTableWidgetItem(tr("%1 (%2)").arg(q.name, q.environment));
        name->setFlags(Qt::ItemIsEnabled);
        m_table->setItem(row, 0, name);
        auto *depth = new QSpinBox;
        depth->setRange(0, 2000000000);
        depth->setSpecialValueText(tr("off"));
        depth->setValue(int(qMin<qint64>(r.depthAbove, depth->maximum())));
        depth->setAccessibleName(tr("Alert when %1 has more tasks waiting than").arg(name->text()));
        m_table->setCellWidget(row, 1, depth);
        auto *age = new QSpinBox;
        age->setRange(0, 30 * 24 * 3600);
        age->setSuffix(tr(" s"));
        age->setSpecialValueText(tr("off"));
        age->setValue(int(r.oldestQueuedAboveS));
        age->setAccessibleName(
            tr("Alert when the oldest task of %1 waits longer than").arg(name->text()));
        m_table->setCellWidget(row, 2, age);
        auto *lost = new QCheckBox;
        lost->setChecked(r.workerLost);
        lost->setAccessibleName(tr("Alert when a worker of %1 is lost").arg(name->text()));
        m_table->setCellWidget(row, 3, lost);
    }
    auto *note = new QLabel(
        tr("An alert is shown once when a queue crosses its threshold, and again only after it "
           "went back under it."),
        this);
    note->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &AlertsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &AlertsDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(note);
    layout->addWidget(m_table, 1);
    layout->addWidget(buttons);
    resize(680, 420);
}

void AlertsDialog::accept()
{
    for (int row = 0; row < m_queues.size(); ++row) {
        AlertRule r;
        r.depthAbove = static_cast<QSpinBox *>(m_table->cellWidget(row, 1))->value();
        r.oldestQueuedAboveS = static_cast<QSpinBox *>(m_table->cellWidget(row, 2))->value();
        r.workerLost = static_cast<QCheckBox *>(m_table->cellWidget(row, 3))->isChecked();
        m_monitor->setRule(m_queues[row].id, r);
    }
    QDialog::accept();
}

} // namespace QueueDeck::Ui
