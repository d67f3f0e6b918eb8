// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/wiretypes.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class QTimer;

namespace QueueDeck::Client {
class QueueDeckClient;
}

namespace QueueDeck::Ui {

class WorkersFilter;
class WorkersModel;

// Every worker of the server in a sortable table, filtered by queue, state and any text (id,
// host, labels); drain or remove the selected ones after a confirmation. Rows follow the
// server's worker events in place; the view asks for the full list only when it opens and
// after a reconnect.
class WorkersView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WorkersView)
public:
    WorkersView(Client::QueueDeckClient *client, QWidget *parent = nullptr);
    ~WorkersView() override;

    void setQueues(const QList<std::pair<QString, QString>> &queues); // id → label
    // Read-only (a viewer token): Drain and Remove stay disabled, and say why.
    void setReadOnly(bool readOnly);
    void showQueue(const QString &queueId);
    void setWorkers(const QList<WorkerInfo> &workers);
    void applyChanges(const QList<WorkerInfo> &changed, const QStringList &removed);
    void reload();

    WorkersModel *model() const { return m_model; }
    int visibleRows() const;
    // Without asking (tests, and after the confirmation).
    void drain(const QStringList &ids);
    void remove(const QStringList &ids);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    QStringList selectedIds() const;
    void refilter();
    void confirmAndRun(bool draining);
    void updateButtons();

    Client::QueueDeckClient *m_client;
    WorkersModel *m_model;
    WorkersFilter *m_filter;
    QComboBox *m_queue;
    QComboBox *m_state;
    QLineEdit *m_text;
    QTableView *m_table;
    bool m_readOnly = false;
    QPushButton *m_drain;
    QPushButton *m_remove;
    QLabel *m_status;
    QTimer *m_ageTimer;
};

} // namespace QueueDeck::Ui
