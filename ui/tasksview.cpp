// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "tasksview.h"

#include "runview.h"

#include "queuechoices.h"
#include "queuedeckclient.h"
#include "tasksmodel.h"

#include <QComboBox>
#include <QDateTime>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <memory>

namespace QueueDeck::Ui {

namespace {

QString prettyJson(const QByteArray &text)
{
    const QJsonDocument document = QJsonDocument::fromJson(text);
    return document.isNull()
               ? QString::fromUtf8(text)
               : QString::fromUtf8(document.toJson(QJsonDocument::Indented)).trimmed();
}

QString timeText(std::optional<qint64> ms)
{
    return ms && *ms > 0 ? QDateTime::fromMSecsSinceEpoch(*ms).toString(Qt::ISODateWithMs)
                         : QStringLiteral("—");
}

QString actionVerb(BulkAction action)
{
    switch (action) {
    case BulkAction::Retry:
        return TasksView::tr("Retry");
    case BulkAction::Cancel:
        return TasksView::tr("Cancel");
    case BulkAction::Delete:
        return TasksView::tr("Delete");
    }
    return {};
}

} // namespace

TasksView::TasksView(Client::QueueDeckClient *client, QWidget *parent)
    : QWidget(parent), m_client(client), m_model(new TasksModel(this)),
      m_queue(new QComboBox(this)), m_state(new QComboBox(this)), m_type(new QLineEdit(this)),
      m_text(new QLineEdit(this)), m_table(new QTableView(this)),
      m_more(new QPushButton(tr("Load more"), this)), m_retry(new QPushButton(tr("Retry"), this)),
      m_cancel(new QPushButton(tr("Cancel"), this)), m_delete(new QPushButton(tr("Delete"), this)),
      m_all(new QPushButton(tr("All matching"), this)), m_progress(new QProgressBar(this)),
      m_status(new QLabel(this)), m_detail(new QPlainTextEdit(this)),
      m_logs(new QPlainTextEdit(this)), m_runView(new RunView(client, this)),
      m_poll(new QTimer(this))
{
    m_queue->setObjectName(QStringLiteral("taskQueue"));
    m_queue->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_state->addItem(tr("Any state"), QString());
    const std::pair<QString, QString> states[] = {{tr("Queued"), QStringLiteral("queued")},
                                                  {tr("Scheduled"), QStringLiteral("scheduled")},
                                                  {tr("Running"), QStringLiteral("running")},
                                                  {tr("Succeeded"), QStringLiteral("succeeded")},
                                                  {tr("Dead letters"), QStringLiteral("dead")},
                                                  {tr("Cancelled"), QStringLiteral("cancelled")}};
    for (const auto &[label, name] : states)
        m_state->addItem(label, name);
    m_type->setPlaceholderText(tr("Type"));
    m_type->setClearButtonEnabled(true);
    m_queue->setAccessibleName(tr("Queue of the tasks shown"));
    m_state->setAccessibleName(tr("State of the tasks shown"));
    m_type->setAccessibleName(tr("Task type searched"));
    m_text->setAccessibleName(tr("Search tasks by id or payload text"));
    m_table->setAccessibleName(tr("Tasks list"));
    m_detail->setAccessibleName(tr("Details of the selected task"));
    m_logs->setAccessibleName(tr("Log of the selected task"));
    m_delete->setAccessibleName(tr("Delete the selected tasks"));
    m_text->setObjectName(QStringLiteral("taskSearch"));
    m_text->setPlaceholderText(tr("Task id or payload text"));
    m_text->setClearButtonEnabled(true);
    // Not a default button (Enter in the fields searches already): one that looks focused
    // always would hide where the keyboard is.
    auto *searchButton = new QPushButton(tr("Search"), this);

    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(TasksModel::Id, 250);
    m_table->setColumnWidth(TasksModel::Type, 130);
    m_table->setColumnWidth(TasksModel::Enqueued, 150);
    m_table->setColumnWidth(TasksModel::Finished, 150);

    for (QPlainTextEdit *text : {m_detail, m_logs}) {
        text->setReadOnly(true);
        text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    }
    m_detail->setPlaceholderText(
        tr("Select a task to see its payload, attempts, error and result."));
    m_logs->setPlaceholderText(tr("The task's log lines appear here as its worker sends them."));
    m_logs->setMaximumBlockCount(20000);
    m_progress->setVisible(false);
    m_progress->setMaximumWidth(200);
    m_more->setVisible(false);
    m_retry->setToolTip(tr("Run the selected dead, cancelled or finished tasks again"));
    m_cancel->setToolTip(tr("Cancel the selected tasks; running ones are stopped by their worker"));
    m_delete->setToolTip(tr("Delete the selected tasks for good"));

    auto *allMenu = new QMenu(m_all);
    for (BulkAction action : {BulkAction::Retry, BulkAction::Cancel, BulkAction::Delete}) {
        allMenu->addAction(tr("%1 everything that matches…").arg(actionVerb(action)), this,
                           [this, action] { confirm(action, true); });
    }
    m_all->setMenu(allMenu);
    m_all->setToolTip(tr("Act on every task of the queue that matches the search, not only the "
                         "loaded ones"));

    connect(searchButton, &QPushButton::clicked, this, &TasksView::search);
    connect(m_text, &QLineEdit::returnPressed, this, &TasksView::search);
    connect(m_type, &QLineEdit::returnPressed, this, &TasksView::search);
    connect(m_queue, &QComboBox::activated, this, &TasksView::search);
    connect(m_state, &QComboBox::activated, this, &TasksView::search);
    connect(m_more, &QPushButton::clicked, this, [this] { loadPage(true); });
    connect(m_retry, &QPushButton::clicked, this, [this] { confirm(BulkAction::Retry, false); });
    connect(m_cancel, &QPushButton::clicked, this, [this] { confirm(BulkAction::Cancel, false); });
    connect(m_delete, &QPushButton::clicked, this, [this] { confirm(BulkAction::Delete, false); });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &TasksView::showDetail);
    connect(m_poll, &QTimer::timeout, this, &TasksView::pollDetail);
    m_poll->setInterval(1000);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_queue);
    bar->addWidget(m_state);
    bar->addWidget(m_type);
    bar->addWidget(m_text, 1);
    bar->addWidget(searchButton);
    auto *actions = new QHBoxLayout;
    actions->addWidget(m_retry);
    actions->addWidget(m_cancel);
    actions->addWidget(m_delete);
    actions->addWidget(m_all);
    actions->addStretch(1);
    actions->addWidget(m_progress);
    actions->addWidget(m_status);
    actions->addWidget(m_more);

    auto *top = new QWidget(this);
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(m_table, 1);
    topLayout->addLayout(actions);
    auto *bottom = new QSplitter(Qt::Horizontal, this);
    bottom->setObjectName(QStringLiteral("taskDetailSplitter"));
    bottom->addWidget(m_detail);
    bottom->addWidget(m_logs);
    bottom->addWidget(m_runView); // the selected task's run (runview.h)
    auto *split = new QSplitter(Qt::Vertical, this);
    split->setObjectName(QStringLiteral("taskSplitter"));
    split->addWidget(top);
    split->addWidget(bottom);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(split, 1);
    setBusy(false);
}

TasksView::~TasksView() = default;

void TasksView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    // Task changes are followed only while the view is in front: what happened meanwhile comes
    // with a fresh page.
    if (m_model->rowCount() > 0)
        loadPage(false);
}

void TasksView::setQueues(const QList<std::pair<QString, QString>> &queues)
{
    const bool wasEmpty = m_queue->count() == 0;
    // The queue shown is gone, or the first arrived: show what is selected now.
    if (setQueueChoices(m_queue, queues, 0) || (wasEmpty && m_queue->count() > 0))
        search();
}

void TasksView::showQueue(const QString &queueId, const QString &state)
{
    m_queue->setCurrentIndex(qMax(0, m_queue->findData(queueId)));
    m_state->setCurrentIndex(qMax(0, m_state->findData(state)));
    search();
}

TaskFilter TasksView::filter() const
{
    TaskFilter f;
    f.state = taskStateFromName(m_state->currentData().toString());
    f.type = m_type->text().trimmed();
    f.text = m_text->text().trimmed();
    f.limit = 200;
    return f;
}

void TasksView::search()
{
    m_lastResult.clear();
    m_cursor.clear();
    loadPage(false);
}

void TasksView::loadPage(bool more)
{
    const QString queueId = m_queue->currentData().toString();
    if (queueId.isEmpty()) {
        m_model->setTasks({});
        return;
    }
    TaskFilter f = filter();
    f.cursor = more ? m_cursor : QString();
    const quint64 number = ++m_searchNumber;
    m_status->setText(tr("Searching…"));
    m_client->listTasks(queueId, f).then(this, [this, more, number](const Result<TaskPage> &page) {
        if (number != m_searchNumber)
            return; // a newer search is under way
        if (!page) {
            m_status->setText(tr("Search failed: %1").arg(page.error().message));
            return;
        }
        if (more)
            m_model->appendTasks(page->items);
        else
            m_model->setTasks(page->items);
        m_cursor = page->nextCursor;
        m_more->setVisible(!m_cursor.isEmpty());
        const QString count =
            m_cursor.isEmpty() ? tr("%n task(s)", nullptr, m_model->rowCount())
                               : tr("%n task(s) loaded, more match", nullptr, m_model->rowCount());
        // What the last action did stays in view until the next search.
        m_status->setText(m_lastResult.isEmpty() ? count
                                                 : m_lastResult + QStringLiteral(" · ") + count);
    });
}

void TasksView::applyTaskChanges(const QList<TaskChange> &changes)
{
    for (const TaskChange &change : changes)
        m_model->setState(change.id, change.state);
}

QStringList TasksView::selectedIds() const
{
    QStringList ids;
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    for (const QModelIndex &row : rows) {
        if (const TaskInfo *task = m_model->taskAt(row.row()))
            ids.append(task->id);
    }
    return ids;
}

void TasksView::selectRow(int row)
{
    m_table->selectRow(row);
}

QString TasksView::detailText() const
{
    return m_detail->toPlainText();
}

QString TasksView::logText() const
{
    return m_logs->toPlainText();
}

QString TasksView::statusText() const
{
    return m_status->text();
}

void TasksView::showDetail()
{
    const QStringList ids = selectedIds();
    setBusy(m_busy);
    if (ids.size() != 1) {
        m_poll->stop();
        m_shownTask.clear();
        m_detail->clear();
        m_logs->clear();
        return;
    }
    if (ids.first() == m_shownTask)
        return;
    m_shownTask = ids.first();
    m_logCursor = 0;
    m_logs->clear();
    m_detail->clear();
    pollDetail();
    m_poll->start();
}

void TasksView::pollDetail()
{
    const QString id = m_shownTask;
    if (id.isEmpty())
        return;
    m_client->task(id).then(this, [this, id](const Result<TaskInfo> &task) {
        if (id != m_shownTask)
            return;
        if (!task) {
            m_detail->setPlainText(tr("Could not load %1: %2").arg(id, task.error().message));
            m_poll->stop();
            return;
        }
        m_model->updateTask(*task);
        m_runView->showRun(task->runId);
        const TaskInfo &t = *task;
        QString text;
        text += tr("Task:       %1\n").arg(t.id);
        text += tr("Type:       %1\n").arg(t.type);
        text += tr("State:      %1").arg(taskStateName(t.state));
        if (t.deadReason != DeadReason::None)
            text += tr(" (%1)").arg(deadReasonName(t.deadReason));
        text += u'\n';
        text += tr("Attempts:   %1 of %2\n").arg(t.attempts).arg(t.maxAttempts);
        text += tr("Enqueued:   %1\n").arg(timeText(t.enqueuedAtMs));
        text += tr("Started:    %1\n").arg(timeText(t.startedAtMs));
        text += tr("Finished:   %1\n").arg(timeText(t.finishedAtMs));
        if (!t.leasedBy.isEmpty())
            text += tr("Worker:     %1\n").arg(t.leasedBy);
        if (!t.lastError.isEmpty())
            text += tr("\nError:\n%1\n").arg(t.lastError);
        if (!t.result.isEmpty())
            text += tr("\nResult:\n%1\n").arg(prettyJson(t.result));
        text += tr("\nPayload:\n%1\n").arg(prettyJson(t.payload));
        if (m_detail->toPlainText() != text)
            m_detail->setPlainText(text);
        if (isFinished(t.state))
            m_poll->stop(); // nothing more will come; the logs asked with this look are the last
    });
    m_client->taskLogs(id, m_logCursor).then(this, [this, id](const Result<QList<LogLine>> &lines) {
        if (id != m_shownTask || !lines)
            return;
        for (const LogLine &line : *lines) {
            const QString time =
                QDateTime::fromMSecsSinceEpoch(line.atMs).toString(QStringLiteral("HH:mm:ss.zzz"));
            m_logs->appendPlainText(line.stream == u"stderr"
                                        ? QStringLiteral("%1 ! %2").arg(time, line.text)
                                        : QStringLiteral("%1   %2").arg(time, line.text));
            m_logCursor = line.id;
        }
    });
}

void TasksView::setReadOnly(bool readOnly)
{
    m_readOnly = readOnly;
    for (QPushButton *button : {m_retry, m_cancel, m_delete})
        button->setToolTip(readOnly ? tr("Read-only: connected with a viewer token") : QString());
    setBusy(m_busy);
}

void TasksView::setBusy(bool busy)
{
    m_busy = busy;
    const bool selected = m_table->selectionModel()->hasSelection();
    for (QPushButton *button : {m_retry, m_cancel, m_delete})
        button->setEnabled(!busy && selected && !m_readOnly);
    m_all->setEnabled(!busy && !m_readOnly);
}

void TasksView::confirm(BulkAction action, bool everything)
{
    QString question;
    if (everything) {
        const TaskFilter f = filter();
        QStringList what;
        if (f.state)
            what << tr("state %1").arg(taskStateName(*f.state));
        if (!f.type.isEmpty())
            what << tr("type %1").arg(f.type);
        if (!f.text.isEmpty())
            what << tr("text \"%1\"").arg(f.text);
        question = tr("%1 every task of %2 that matches (%3)? This may be many tasks.")
                       .arg(actionVerb(action), m_queue->currentText(),
                            what.isEmpty() ? tr("all tasks") : what.join(QStringLiteral(", ")));
    } else {
        question = tr("%1 %n selected task(s)?", nullptr, int(selectedIds().size()))
                       .arg(actionVerb(action));
    }
    if (QMessageBox::question(this, actionVerb(action), question) != QMessageBox::Yes)
        return;
    everything ? runOnAllMatching(action) : runOnSelection(action);
}

void TasksView::runOnSelection(BulkAction action)
{
    const QStringList ids = selectedIds();
    if (ids.isEmpty())
        return;
    setBusy(true);
    m_progress->setRange(0, int(ids.size()));
    m_progress->setValue(0);
    m_progress->setVisible(true);
    struct Tally
    {
        int done = 0;
        int failed = 0;
        QString firstError;
    };
    auto tally = std::make_shared<Tally>();
    const int total = int(ids.size());
    auto finishOne = [this, tally, total](const std::optional<Error> &error) {
        ++tally->done;
        if (error) {
            ++tally->failed;
            if (tally->firstError.isEmpty())
                tally->firstError = error->message;
        }
        m_progress->setValue(tally->done);
        if (tally->done < total)
            return;
        m_progress->setVisible(false);
        setBusy(false);
        m_lastResult =
            tally->failed == 0
                ? tr("Done: %n task(s)", nullptr, total)
                : tr("%1 of %2 failed: %3").arg(tally->failed).arg(total).arg(tally->firstError);
        m_status->setText(m_lastResult);
        loadPage(false);
    };
    for (const QString &id : ids) {
        switch (action) {
        case BulkAction::Retry:
            m_client->retryTask(id).then(this, [finishOne](const Result<TaskInfo> &r) {
                finishOne(r ? std::nullopt : std::optional<Error>(r.error()));
            });
            break;
        case BulkAction::Cancel:
            m_client->cancelTask(id).then(this, [finishOne](const Result<TaskInfo> &r) {
                finishOne(r ? std::nullopt : std::optional<Error>(r.error()));
            });
            break;
        case BulkAction::Delete:
            m_client->deleteTask(id).then(this, [finishOne](const Result<void> &r) {
                finishOne(r ? std::nullopt : std::optional<Error>(r.error()));
            });
            break;
        }
    }
}

void TasksView::runOnAllMatching(BulkAction action)
{
    const QString queueId = m_queue->currentData().toString();
    if (queueId.isEmpty())
        return;
    setBusy(true);
    m_progress->setRange(0, 0); // the server works in chunks and answers with the count
    m_progress->setVisible(true);
    m_status->setText(tr("Working on everything that matches…"));
    BulkRequest request;
    request.action = action;
    request.filter = filter();
    m_client->bulkTasks(queueId, request).then(this, [this](const Result<qint64> &affected) {
        m_progress->setVisible(false);
        setBusy(false);
        m_lastResult = affected
                           ? tr("Done: %n task(s)", nullptr, int(qMin<qint64>(*affected, INT_MAX)))
                           : tr("Failed: %1").arg(affected.error().message);
        m_status->setText(m_lastResult);
        loadPage(false);
    });
}

} // namespace QueueDeck::Ui
