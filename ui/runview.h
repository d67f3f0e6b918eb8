// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/runtypes.h"

#include <QWidget>

class QLabel;
class QStandardItemModel;
class QTimer;
class QTreeView;

namespace QueueDeck::Client {
class QueueDeckClient;
class RunsClient;
} // namespace QueueDeck::Client

namespace QueueDeck::Ui {

// The run of the task shown in the Tasks tab (docs/runs.md): its tree — the root, the children
// its workers enqueued, their children — with each task's state, attempts and run time, and the
// run's state and counts above it. Refreshed every two seconds while the run is unfinished.
class RunView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunView)
public:
    explicit RunView(Client::QueueDeckClient *client, QWidget *parent = nullptr);
    ~RunView() override;

    // Shows the run with this id (its root task's id); empty clears the view.
    void showRun(const QString &runId);
    QString runId() const { return m_runId; }
    QStandardItemModel *model() const { return m_model; }
    QString summaryText() const;

Q_SIGNALS:
    void runShown(); // the answer for the current run arrived and is shown

private:
    void refresh();
    void present(const RunInfo &run);

    std::unique_ptr<Client::RunsClient> m_runs;
    QLabel *m_summary;
    QTreeView *m_tree;
    QStandardItemModel *m_model;
    QTimer *m_poll;
    QString m_runId;
};

} // namespace QueueDeck::Ui
