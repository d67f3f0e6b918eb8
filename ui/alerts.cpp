// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "alerts.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QSettings>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace QueueDeck::Ui {

AlertMonitor::AlertMonitor(QObject *parent) : QObject(parent) {}

AlertRule AlertMonitor::rule(const QString &queueId) const
{
    return m_rules.value(queueId);
}

void AlertMonitor::setRule(const QString &queueId, const AlertRule &rule)
{
    m_rules.insert(queueId, rule);
}

void AlertMonitor::load(QSettings &settings)
{
    settings.beginGroup(QStringLiteral("alerts"));
    const QStringList queues = settings.childGroups();
    for (const QString &queueId : queues) {
        settings.beginGroup(queueId);
        AlertRule rule;
        rule.depthAbove = settings.value(QStringLiteral("depthAbove"), 0).toLongLong();
        rule.oldestQueuedAboveS =
            settings.value(QStringLiteral("oldestQueuedAboveS"), 0).toLongLong();
        rule.workerLost = settings.value(QStringLiteral("workerLost"), true).toBool();
        m_rules.insert(queueId, rule);
        settings.endGroup();
    }
    settings.endGroup();
}

void AlertMonitor::save(QSettings &settings) const
{
    settings.beginGroup(QStringLiteral("alerts"));
    settings.remove(QString());
    for (auto it = m_rules.cbegin(); it != m_rules.cend(); ++it) {
        if (it.value() == AlertRule{})
            continue; // the defaults need no entry
        settings.beginGroup(it.key());
        settings.setValue(QStringLiteral("depthAbove"), it->depthAbove);
        settings.setValue(QStringLiteral("oldestQueuedAboveS"), it->oldestQueuedAboveS);
        settings.setValue(QStringLiteral("workerLost"), it->workerLost);
        settings.endGroup();
    }
    settings.endGroup();
}

void AlertMonitor::check(const DashboardSnapshot &snapshot)
{
    for (const QueueCard &card : snapshot.cards) {
        const QueueInfo &q = card.queue;
        const AlertRule r = rule(q.id);
        const bool known = m_armed.contains(q.id);
        Armed &armed = m_armed[q.id];
        if (!known)
            armed.lostSeen = q.counts.workersLost; // lost before we looked: not news
        const QString name = q.settings.displayName.isEmpty() ? q.name : q.settings.displayName;

        const bool deep = r.depthAbove > 0 && q.counts.depth() > r.depthAbove;
        if (deep && armed.depth)
            Q_EMIT raised(
                q.id, tr("%1: tasks are piling up").arg(name),
                tr("%1 tasks are waiting (alert above %2).")
                    .arg(QLocale().toString(q.counts.depth()), QLocale().toString(r.depthAbove)));
        armed.depth = !deep;

        const qint64 ageS = q.counts.oldestQueuedAgeMs / 1000;
        const bool old = r.oldestQueuedAboveS > 0 && ageS > r.oldestQueuedAboveS;
        if (old && armed.age)
            Q_EMIT raised(q.id, tr("%1: tasks wait too long").arg(name),
                          tr("The oldest waiting task has waited %1 s (alert above %2 s).")
                              .arg(ageS)
                              .arg(r.oldestQueuedAboveS));
        armed.age = !old;

        if (r.workerLost && q.counts.workersLost > armed.lostSeen)
            Q_EMIT raised(q.id, tr("%1: worker lost").arg(name),
                          tr("%n worker(s) stopped answering; their tasks go back to the queue.",
                             nullptr, q.counts.workersLost - armed.lostSeen));
        armed.lostSeen = q.counts.workersLost;
    }
}

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
