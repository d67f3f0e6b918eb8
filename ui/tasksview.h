// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/metrictypes.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTableView;
class QTimer;

namespace QueueDeck::Client {
class QueueDeckClient;
}

namespace QueueDeck::Ui {

class RunView;
class TasksModel;

// The task and dead-letter browser of one queue: search by state, type and text (id or payload),
// pages that load on demand, a detail pane with payload, attempts, error, result and the task's
// logs as they stream in; retry, cancel or delete the selection, or everything that matches
// (done by the server in chunks), with progress.
class TasksView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TasksView)
public:
    TasksView(Client::QueueDeckClient *client, QWidget *parent = nullptr);
    ~TasksView() override;

    void setQueues(const QList<std::pair<QString, QString>> &queues); // id → label
    // Read-only (a viewer token): retry, cancel and delete stay disabled, and say why.
    void setReadOnly(bool readOnly);
    // Shows a queue's tasks in a state ("" any, "dead" the dead letters).
    void showQueue(const QString &queueId, const QString &state = {});
    void applyTaskChanges(const QList<TaskChange> &changes);
    void search();

    TasksModel *model() const { return m_model; }
    RunView *runView() const { return m_runView; }
    QString detailText() const;
    QString logText() const;
    QString statusText() const;
    void selectRow(int row);
    // Without asking (tests, and after the confirmation).
    void runOnSelection(BulkAction action);
    void runOnAllMatching(BulkAction action);

protected:
    void showEvent(QShowEvent *event) override;

private:
    TaskFilter filter() const;
    QStringList selectedIds() const;
    void loadPage(bool more);
    void showDetail();
    void pollDetail();
    void confirm(BulkAction action, bool everything);
    void setBusy(bool busy);

    Client::QueueDeckClient *m_client;
    TasksModel *m_model;
    QComboBox *m_queue;
    QComboBox *m_state;
    QLineEdit *m_type;
    QLineEdit *m_text;
    QTableView *m_table;
    QPushButton *m_more;
    QPushButton *m_retry;
    QPushButton *m_cancel;
    QPushButton *m_delete;
    QPushButton *m_all;
    QProgressBar *m_progress;
    QLabel *m_status;
    QPlainTextEdit *m_detail;
    QPlainTextEdit *m_logs;
    RunView *m_runView;
    QTimer *m_poll;
    QString m_cursor;
    QString m_lastResult; // what the last action did
    QString m_shownTask;
    qint64 m_logCursor = 0;
    quint64 m_searchNumber = 0; // answers to older searches are dropped
    bool m_busy = false;
    bool m_readOnly = false;
};

} // namespace QueueDeck::Ui
