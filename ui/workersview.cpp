// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "workersview.h"

#include "queuechoices.h"
#include "queuedeckclient.h"
#include "workersmodel.h"

#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace QueueDeck::Ui {

// Rows of one queue, one state and some text (in any column).
class WorkersFilter final : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

    void set(const QString &queueId, const QString &state, const QString &text)
    {
        m_queueId = queueId;
        m_state = state;
        m_text = text;
        invalidateFilter();
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex &) const override
    {
        const auto *model = static_cast<const WorkersModel *>(sourceModel());
        const WorkerInfo *worker = model->workerAt(row);
        if (!worker)
            return false;
        if (!m_queueId.isEmpty() && !worker->queueIds.contains(m_queueId))
            return false;
        if (!m_state.isEmpty() && workerStateName(worker->state) != m_state)
            return false;
        if (m_text.isEmpty())
            return true;
        for (int column = 0; column < WorkersModel::ColumnCount; ++column) {
            if (model->index(row, column).data().toString().contains(m_text, Qt::CaseInsensitive))
                return true;
        }
        return false;
    }

private:
    QString m_queueId;
    QString m_state;
    QString m_text;
};

WorkersView::WorkersView(Client::QueueDeckClient *client, QWidget *parent)
    : QWidget(parent), m_client(client), m_model(new WorkersModel(this)),
      m_filter(new WorkersFilter(this)), m_queue(new QComboBox(this)), m_state(new QComboBox(this)),
      m_text(new QLineEdit(this)), m_table(new QTableView(this)),
      m_drain(new QPushButton(tr("Drain"), this)), m_remove(new QPushButton(tr("Remove"), this)),
      m_status(new QLabel(this)), m_ageTimer(new QTimer(this))
{
    m_filter->setSourceModel(m_model);
    m_filter->setSortRole(WorkersModel::SortRole);
    m_table->setModel(m_filter);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(WorkersModel::Id, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->setColumnWidth(WorkersModel::Id, 180);
    m_table->setColumnWidth(WorkersModel::Host, 140);
    m_table->setColumnWidth(WorkersModel::Queues, 160);

    m_queue->setObjectName(QStringLiteral("workerQueue"));
    m_queue->addItem(tr("All queues"), QString());
    m_queue->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_state->addItem(tr("Any state"), QString());
    m_state->addItem(tr("Active"), QStringLiteral("active"));
    m_state->addItem(tr("Idle"), QStringLiteral("idle"));
    m_state->addItem(tr("Draining"), QStringLiteral("draining"));
    m_state->addItem(tr("Lost"), QStringLiteral("lost"));
    m_queue->setAccessibleName(tr("Queue of the workers shown"));
    m_state->setAccessibleName(tr("State of the workers shown"));
    m_table->setAccessibleName(tr("Workers list"));
    m_text->setAccessibleName(tr("Filter workers"));
    m_text->setObjectName(QStringLiteral("workerFilter"));
    m_text->setPlaceholderText(tr("Filter by id, host, label…"));
    m_text->setClearButtonEnabled(true);
    m_drain->setToolTip(tr("Let the selected workers finish what they run, take nothing new, "
                           "and leave"));
    m_remove->setToolTip(tr("Remove the selected workers now and revoke their credentials; "
                            "their running tasks go back to the queue"));

    connect(m_queue, &QComboBox::currentIndexChanged, this, &WorkersView::refilter);
    connect(m_state, &QComboBox::currentIndexChanged, this, &WorkersView::refilter);
    connect(m_text, &QLineEdit::textChanged, this, &WorkersView::refilter);
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, &WorkersView::refilter);
    connect(m_filter, &QAbstractItemModel::rowsRemoved, this, &WorkersView::refilter);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &WorkersView::updateButtons);
    connect(m_drain, &QPushButton::clicked, this, [this] { confirmAndRun(true); });
    connect(m_remove, &QPushButton::clicked, this, [this] { confirmAndRun(false); });

    // Heartbeat ages move on between events, while the table is in view.
    connect(m_ageTimer, &QTimer::timeout, this,
            [this] { m_model->setNow(QDateTime::currentMSecsSinceEpoch()); });
    m_ageTimer->setInterval(1000);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_queue);
    bar->addWidget(m_state);
    bar->addWidget(m_text, 1);
    bar->addWidget(m_drain);
    bar->addWidget(m_remove);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_status);
    updateButtons();
    refilter();
}

WorkersView::~WorkersView() = default;

void WorkersView::refilter()
{
    m_filter->set(m_queue->currentData().toString(), m_state->currentData().toString(),
                  m_text->text().trimmed());
    m_status->setText(tr("%n worker(s) shown", nullptr, m_filter->rowCount()));
}

void WorkersView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_model->setNow(QDateTime::currentMSecsSinceEpoch());
    m_ageTimer->start();
}

void WorkersView::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_ageTimer->stop();
}

void WorkersView::setQueues(const QList<std::pair<QString, QString>> &queues)
{
    QHash<QString, QString> names;
    for (const auto &[id, label] : queues)
        names.insert(id, label);
    m_model->setQueueNames(names);
    if (setQueueChoices(m_queue, queues, 1)) // the queue shown is gone: every worker
        refilter();
}

void WorkersView::showQueue(const QString &queueId)
{
    m_queue->setCurrentIndex(qMax(0, m_queue->findData(queueId)));
}

void WorkersView::setWorkers(const QList<WorkerInfo> &workers)
{
    m_model->setNow(QDateTime::currentMSecsSinceEpoch());
    m_model->setWorkers(workers);
}

void WorkersView::applyChanges(const QList<WorkerInfo> &changed, const QStringList &removed)
{
    if (changed.isEmpty() && removed.isEmpty())
        return;
    m_model->applyChanges(changed, removed);
}

void WorkersView::reload()
{
    m_client->listWorkers().then(this, [this](const Result<QList<WorkerInfo>> &workers) {
        if (workers)
            setWorkers(*workers);
    });
}

int WorkersView::visibleRows() const
{
    return m_filter->rowCount();
}

QStringList WorkersView::selectedIds() const
{
    QStringList ids;
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    for (const QModelIndex &row : rows) {
        if (const WorkerInfo *worker = m_model->workerAt(m_filter->mapToSource(row).row()))
            ids.append(worker->id);
    }
    return ids;
}

void WorkersView::setReadOnly(bool readOnly)
{
    m_readOnly = readOnly;
    for (QPushButton *button : {m_drain, m_remove})
        button->setToolTip(readOnly ? tr("Read-only: connected with a viewer token") : QString());
    updateButtons();
}

void WorkersView::updateButtons()
{
    const bool any = m_table->selectionModel()->hasSelection() && !m_readOnly;
    m_drain->setEnabled(any);
    m_remove->setEnabled(any);
}

void WorkersView::confirmAndRun(bool draining)
{
    const QStringList ids = selectedIds();
    if (ids.isEmpty())
        return;
    const QString question =
        draining ? tr("Drain %n worker(s)? They finish their running tasks and leave.", nullptr,
                      int(ids.size()))
                 : tr("Remove %n worker(s) now? Their running tasks go back to the queue and "
                      "their credentials stop working.",
                      nullptr, int(ids.size()));
    if (QMessageBox::question(this, draining ? tr("Drain workers") : tr("Remove workers"),
                              question) != QMessageBox::Yes)
        return;
    draining ? drain(ids) : remove(ids);
}

void WorkersView::drain(const QStringList &ids)
{
    for (const QString &id : ids) {
        m_client->drainWorker(id).then(this, [this, id](const Result<WorkerInfo> &answer) {
            m_status->setText(answer
                                  ? tr("Draining %1").arg(id)
                                  : tr("Could not drain %1: %2").arg(id, answer.error().message));
        });
    }
}

void WorkersView::remove(const QStringList &ids)
{
    for (const QString &id : ids) {
        m_client->deregisterWorker(id).then(this, [this, id](const Result<void> &answer) {
            m_status->setText(answer
                                  ? tr("Removed %1").arg(id)
                                  : tr("Could not remove %1: %2").arg(id, answer.error().message));
        });
    }
}

} // namespace QueueDeck::Ui
