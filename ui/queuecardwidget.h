// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/metrictypes.h"
#include "queuetrend.h"

#include <QFrame>
#include <QHash>

class QComboBox;
class QLabel;
class QProgressBar;
class QToolButton;

namespace QueueDeck::Ui {

class Sparkline;
class CommandView;

// One queue on the dashboard: name, environment and description; Active / Idle / Paused; the
// capacity bar ("3 / 10 workers", coloured by use; a count alone when unlimited); depth,
// running, rates and p95 wait; a warning that says the fix; the connect command with Copy and
// a platform switch (local command, Docker script, Kubernetes manifest); the queue's actions.
class QueueCardWidget final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(QueueCardWidget)
public:
    enum class Action {
        Configure,
        Workers,
        Tasks,
        Charts,
        Enqueue,
        Pause,
        Resume,
        Purge,
        RotateToken,
        Delete
    };
    Q_ENUM(Action)

    explicit QueueCardWidget(QWidget *parent = nullptr);

    // show false: keep the data, draw it later (refreshIfStale) — for cards scrolled out of view,
    // whose text layout would cost time for nothing.
    void setCard(const QueueCard &card, bool show = true);
    // How often setCard was called: the dashboard sets only cards that changed.
    int cardsSet() const { return m_cardsSet; }
    // A second passed with the card's figures unchanged (so the card was not sent again): the trend
    // moves on to atMs, and the sparkline, balance and note are redrawn only if that changed them.
    void advanceTrend(qint64 atMs);
    void refreshIfStale();
    // What Copy puts on the clipboard for a platform ("local", "docker", "kubernetes").
    void setConnectCommand(const QString &command,
                           const QString &platform = QStringLiteral("local"));
    QString platform() const;
    void setPlatform(const QString &platform);
    QString connectCommand() const;

    // Read-only (a viewer token): every action that changes the queue is disabled, and says why.
    void setReadOnly(bool readOnly);
    // A line under the figures, e.g. "next: nightly in 3 h" (the queue's schedules); hidden when
    // empty.
    void setScheduleNote(const QString &note);
    QString scheduleNote() const;

    QString queueId() const { return m_card.queue.id; }
    // What the card says, for tests and accessibility.
    QString capacityText() const;
    QString statusText() const;
    QString warningText() const;
    // Health at a glance: depth over the last five minutes, the add-vs-done balance, and a note
    // when the backlog has been growing for a minute.
    const QueueTrend &trend() const { return m_trend; }
    QString balanceText() const;
    QString trendText() const;
    Sparkline *sparkline() const { return m_sparkline; }

    // The fraction of Max Workers in use, 0 when unlimited.
    static double capacityUse(const QueueInfo &queue);
    // The warning a queue deserves, with its fix; empty when all is well.
    static QString warningFor(const QueueInfo &queue);

Q_SIGNALS:
    void actionRequested(const QString &queueId, QueueDeck::Ui::QueueCardWidget::Action action);
    // The platform switch moved to one whose command is not known yet.
    void commandWanted(const QString &queueId, const QString &platform);

private:
    void copyCommand();
    void refresh();
    void showCommand();
    void nameControls(); // accessible names that say which queue

    QueueCard m_card;
    bool m_stale = false;
    int m_cardsSet = 0;
    bool m_readOnly = false;
    QHash<QString, QString> m_commands; // by platform
    QLabel *m_name;
    QLabel *m_status;
    QLabel *m_details;
    QProgressBar *m_capacityBar;
    QLabel *m_capacity;
    QLabel *m_stats;
    QLabel *m_warning;
    QLabel *m_scheduleNote;
    CommandView *m_commandLine;
    QToolButton *m_copy;
    QComboBox *m_platform;
    QLabel *m_commandHint;
    QToolButton *m_pauseResume;
    QueueTrend m_trend;
    Sparkline *m_sparkline;
    QLabel *m_balance;
    QLabel *m_trendNote;
};

} // namespace QueueDeck::Ui
