// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/metrictypes.h"

#include <QFrame>

class QLabel;
class QLineEdit;
class QProgressBar;
class QToolButton;

namespace QueueDeck::Ui {

// One queue on the dashboard: name, environment and description; Active / Idle / Paused; the
// capacity bar ("3 / 10 workers", coloured by use; a count alone when unlimited); depth,
// running, rates and p95 wait; a warning that says the fix; the connect command with Copy.
class QueueCardWidget final : public QFrame
{
    Q_OBJECT
public:
    explicit QueueCardWidget(QWidget *parent = nullptr);

    void setCard(const QueueCard &card);
    void setConnectCommand(const QString &command);

    QString queueId() const { return m_card.queue.id; }
    // What the card says, for tests and accessibility.
    QString capacityText() const;
    QString statusText() const;
    QString warningText() const;

    // The fraction of Max Workers in use, 0 when unlimited.
    static double capacityUse(const QueueInfo &queue);
    // The warning a queue deserves, with its fix; empty when all is well.
    static QString warningFor(const QueueInfo &queue);

private:
    void copyCommand();
    void refresh();

    QueueCard m_card;
    QString m_command;
    QLabel *m_name;
    QLabel *m_status;
    QLabel *m_details;
    QProgressBar *m_capacityBar;
    QLabel *m_capacity;
    QLabel *m_stats;
    QLabel *m_warning;
    QLineEdit *m_commandLine;
    QToolButton *m_copy;
};

} // namespace QueueDeck::Ui
