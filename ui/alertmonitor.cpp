// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "alertmonitor.h"

#include <QLocale>
#include <QSettings>

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

} // namespace QueueDeck::Ui
