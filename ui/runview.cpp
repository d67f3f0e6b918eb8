// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "runview.h"

#include "runsclient.h"

#include <QHeaderView>
#include <QLabel>
#include <QStandardItemModel>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

namespace QueueDeck::Ui {

namespace {

QString durationText(const std::optional<qint64> &ms)
{
    if (!ms)
        return QStringLiteral("–");
    if (*ms < 1000)
        return RunView::tr("%1 ms").arg(*ms);
    if (*ms < 60'000)
        return RunView::tr("%1 s").arg(double(*ms) / 1000.0, 0, 'f', 1);
    return RunView::tr("%1 min %2 s").arg(*ms / 60'000).arg((*ms % 60'000) / 1000);
}

QString runStateText(RunState state)
{
    switch (state) {
    case RunState::Waiting:
        return RunView::tr("waiting to start");
    case RunState::Active:
        return RunView::tr("active");
    case RunState::Succeeded:
        return RunView::tr("succeeded");
    case RunState::Failed:
        return RunView::tr("failed");
    }
    return {};
}

} // namespace

RunView::RunView(Client::QueueDeckClient *client, QWidget *parent)
    : QWidget(parent), m_runs(std::make_unique<Client::RunsClient>(*client)),
      m_summary(new QLabel(this)), m_tree(new QTreeView(this)),
      m_model(new QStandardItemModel(this)), m_poll(new QTimer(this))
{
    setObjectName(QStringLiteral("runView"));
    m_summary->setObjectName(QStringLiteral("runSummary"));
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setText(tr("Select a task to see its run."));
    m_tree->setObjectName(QStringLiteral("runTree"));
    m_tree->setModel(m_model);
    m_tree->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_tree->setUniformRowHeights(true);
    m_tree->setAccessibleName(tr("Run tree"));
    m_model->setHorizontalHeaderLabels(
        {tr("Task"), tr("Type"), tr("State"), tr("Attempts"), tr("Run time"), tr("Error")});
    m_tree->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_poll->setInterval(2000);
    connect(m_poll, &QTimer::timeout, this, &RunView::refresh);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_summary);
    layout->addWidget(m_tree, 1);
}

RunView::~RunView() = default;

QString RunView::summaryText() const
{
    return m_summary->text();
}

void RunView::showRun(const QString &runId)
{
    if (runId == m_runId)
        return;
    m_runId = runId;
    m_model->removeRows(0, m_model->rowCount());
    m_poll->stop();
    if (runId.isEmpty()) {
        m_summary->setText(tr("Select a task to see its run."));
        return;
    }
    m_summary->setText(tr("Loading run %1…").arg(runId));
    refresh();
}

void RunView::refresh()
{
    const QString runId = m_runId;
    if (runId.isEmpty())
        return;
    m_runs->run(runId).then(this, [this, runId](const Result<RunInfo> &run) {
        if (runId != m_runId)
            return; // another run was chosen meanwhile
        if (!run) {
            m_summary->setText(tr("Could not load run %1: %2").arg(runId, run.error().message));
            m_poll->stop();
            return;
        }
        present(*run);
        if (isFinished(run->state))
            m_poll->stop();
        else if (!m_poll->isActive())
            m_poll->start();
        Q_EMIT runShown();
    });
}

void RunView::present(const RunInfo &run)
{
    m_summary->setText(tr("Run %1: %2 — %3 of %4 tasks succeeded, %5 failed, %6 unfinished; %7")
                           .arg(run.id, runStateText(run.state))
                           .arg(run.succeeded)
                           .arg(run.total)
                           .arg(run.failed)
                           .arg(run.unfinished)
                           .arg(durationText(run.durationMs)));
    // Rebuilt whole: a run's answer is bounded, and rows keep their place (root first, then in
    // enqueue order), so the expansion is restored by id.
    QSet<QString> collapsed;
    std::function<void(const QModelIndex &)> note = [&](const QModelIndex &parent) {
        for (int row = 0; row < m_model->rowCount(parent); ++row) {
            const QModelIndex index = m_model->index(row, 0, parent);
            if (m_model->hasChildren(index) && !m_tree->isExpanded(index))
                collapsed.insert(index.data().toString());
            note(index);
        }
    };
    note({});
    m_model->removeRows(0, m_model->rowCount());
    QHash<QString, QStandardItem *> byId;
    for (const RunTask &task : run.tasks) {
        QList<QStandardItem *> row{new QStandardItem(task.id),
                                   new QStandardItem(task.type),
                                   new QStandardItem(taskStateName(task.state)),
                                   new QStandardItem(QString::number(task.attempts)),
                                   new QStandardItem(durationText(task.durationMs)),
                                   new QStandardItem(task.lastError.left(200))};
        QStandardItem *parent = byId.value(task.parentId);
        if (parent)
            parent->appendRow(row);
        else
            m_model->appendRow(row);
        byId.insert(task.id, row.front());
    }
    for (auto it = byId.cbegin(); it != byId.cend(); ++it) {
        if (it.value()->hasChildren() && !collapsed.contains(it.key()))
            m_tree->setExpanded(it.value()->index(), true);
    }
}

} // namespace QueueDeck::Ui
