// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QWidget>

class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;
class QTimer;

namespace QueueDeck::Client {
class QueueDeckClient;
}

namespace QueueDeck::Ui {

class SchedulesModel;

// The Schedules tab: every schedule with its spec in words, next fire, last outcome, target
// queue and state; New, Change, Trigger now, Pause/Resume and Delete. Reloads every few seconds
// while shown.
class SchedulesView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SchedulesView)
public:
    explicit SchedulesView(Client::QueueDeckClient *client, QWidget *parent = nullptr);

    void setQueues(const QList<std::pair<QString, QString>> &queues); // id → label
    // Read-only (a viewer token): the actions stay disabled, and say why.
    void setReadOnly(bool readOnly);
    void reload();

    SchedulesModel *model() const { return m_model; }
    // For each queue with an active schedule, its soonest fire: "next: nightly in 3 h".
    QHash<QString, QString> nextFireNotes() const;
    QString statusText() const;
    void selectRow(int row);
    // The actions on the selected schedule, without asking (tests, and after the confirmation).
    void triggerSelected();
    void togglePausedSelected();
    void deleteSelected();

Q_SIGNALS:
    void reloaded();

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    QString selectedId() const;
    void updateButtons();
    void openDialog(bool change);

    Client::QueueDeckClient *m_client;
    SchedulesModel *m_model;
    QSortFilterProxyModel *m_sorted;
    QTableView *m_table;
    QPushButton *m_new;
    QPushButton *m_change;
    QPushButton *m_trigger;
    QPushButton *m_pause;
    QPushButton *m_delete;
    QLabel *m_status;
    QTimer *m_refresh;
    QList<std::pair<QString, QString>> m_queues;
    bool m_readOnly = false;
};

} // namespace QueueDeck::Ui
