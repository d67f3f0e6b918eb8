// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/metrictypes.h"

#include <QHash>
#include <QObject>

class QSettings;

namespace QueueDeck::Ui {

// When a queue deserves the operator's attention. 0 turns a threshold off.
struct AlertRule
{
    qint64 depthAbove = 0;         // queued tasks
    qint64 oldestQueuedAboveS = 0; // age of the oldest queued task
    bool workerLost = true;        // a worker of the queue stopped answering

    friend bool operator==(const AlertRule &, const AlertRule &) = default;
};

// Checks every dashboard snapshot against the rules and raises an alert once when a threshold is
// crossed; it is raised again only after the queue went back under the threshold. Rules live in
// QSettings under "alerts/<queue id>/…".
class AlertMonitor final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AlertMonitor)
public:
    explicit AlertMonitor(QObject *parent = nullptr);

    AlertRule rule(const QString &queueId) const;
    void setRule(const QString &queueId, const AlertRule &rule);
    void load(QSettings &settings);
    void save(QSettings &settings) const;

    void check(const DashboardSnapshot &snapshot);

Q_SIGNALS:
    void raised(const QString &queueId, const QString &title, const QString &message);

private:
    struct Armed
    {
        bool depth = true;
        bool age = true;
        int lostSeen = 0;
    };
    QHash<QString, AlertRule> m_rules;
    QHash<QString, Armed> m_armed;
};

} // namespace QueueDeck::Ui
