// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "schedulesview.h"

#include "queuedeckclient.h"
#include "scheduleclient.h"
#include "scheduledialog.h"
#include "schedulesmodel.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace QueueDeck::Ui {

SchedulesView::SchedulesView(Client::QueueDeckClient *client, QWidget *parent)
    : QWidget(parent), m_client(client), m_model(new SchedulesModel(this)),
      m_sorted(new QSortFilterProxyModel(this)), m_table(new QTableView(this)),
      m_new(new QPushButton(tr("New schedule…"), this)),
      m_change(new QPushButton(tr("Change…"), this)),
      m_trigger(new QPushButton(tr("Trigger now"), this)),
      m_pause(new QPushButton(tr("Pause"), this)), m_delete(new QPushButton(tr("Delete"), this)),
      m_status(new QLabel(this)), m_refresh(new QTimer(this))
{
    m_sorted->setSourceModel(m_model);
    m_table->setModel(m_sorted);
    m_table->setAccessibleName(tr("Schedules list"));
    m_delete->setAccessibleName(tr("Delete the selected schedule"));
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(SchedulesModel::Name, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setAccessibleName(tr("Schedules"));

    auto *buttons = new QHBoxLayout;
    for (QPushButton *button : {m_new, m_change, m_trigger, m_pause, m_delete})
        buttons->addWidget(button);
    buttons->addStretch();
    buttons->addWidget(m_status);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(m_table);

    connect(m_new, &QPushButton::clicked, this, [this] { openDialog(false); });
    connect(m_change, &QPushButton::clicked, this, [this] { openDialog(true); });
    connect(m_trigger, &QPushButton::clicked, this, &SchedulesView::triggerSelected);
    connect(m_pause, &QPushButton::clicked, this, &SchedulesView::togglePausedSelected);
    connect(m_delete, &QPushButton::clicked, this, [this] {
        const QString id = selectedId();
        if (id.isEmpty())
            return;
        if (QMessageBox::question(this, tr("Delete schedule"),
                                  tr("Delete this schedule and its fire history? Tasks it "
                                     "enqueued stay.")) == QMessageBox::Yes)
            deleteSelected();
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &SchedulesView::updateButtons);
    connect(m_model, &QAbstractItemModel::modelReset, this, &SchedulesView::updateButtons);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &SchedulesView::updateButtons);
    // Every 5 s while shown, every 30 s otherwise (the queue cards' "next:" line).
    m_refresh->setInterval(30000);
    connect(m_refresh, &QTimer::timeout, this, &SchedulesView::reload);
    m_refresh->start();
    QTimer::singleShot(0, this, &SchedulesView::reload);
    updateButtons();
}

QHash<QString, QString> SchedulesView::nextFireNotes() const
{
    QHash<QString, std::pair<qint64, QString>> soonest;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const ScheduleInfo *s = m_model->scheduleAt(row);
        if (!s->nextFireMs || s->definition.paused)
            continue;
        auto it = soonest.find(s->definition.queueId);
        if (it == soonest.end() || *s->nextFireMs < it->first)
            soonest.insert(s->definition.queueId, {*s->nextFireMs, s->definition.name});
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QHash<QString, QString> notes;
    for (auto it = soonest.cbegin(); it != soonest.cend(); ++it) {
        const qint64 seconds = qMax<qint64>(0, (it->first - now) / 1000);
        const QString in = seconds < 60       ? tr("%n s", nullptr, int(seconds))
                           : seconds < 3600   ? tr("%n min", nullptr, int(seconds / 60))
                           : seconds < 172800 ? tr("%n h", nullptr, int(seconds / 3600))
                                              : tr("%n d", nullptr, int(seconds / 86400));
        notes.insert(it.key(), tr("next: %1 in %2").arg(it->second, in));
    }
    return notes;
}

void SchedulesView::setQueues(const QList<std::pair<QString, QString>> &queues)
{
    m_queues = queues;
    QHash<QString, QString> names;
    for (const auto &[id, label] : queues)
        names.insert(id, label);
    m_model->setQueueNames(names);
}

void SchedulesView::setReadOnly(bool readOnly)
{
    m_readOnly = readOnly;
    updateButtons();
}

QString SchedulesView::statusText() const
{
    return m_status->text();
}

void SchedulesView::selectRow(int row)
{
    m_table->selectRow(row);
}

QString SchedulesView::selectedId() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return {};
    return rows.first().data(SchedulesModel::IdRole).toString();
}

void SchedulesView::updateButtons()
{
    const QString id = selectedId();
    const ScheduleInfo *selected = nullptr;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        if (m_model->scheduleAt(row)->id == id)
            selected = m_model->scheduleAt(row);
    }
    const QString why = m_readOnly ? tr("Read-only: connected with a viewer token") : QString();
    m_new->setEnabled(!m_readOnly);
    for (QPushButton *button : {m_change, m_trigger, m_pause, m_delete}) {
        button->setEnabled(!m_readOnly && selected);
        button->setToolTip(why);
    }
    m_new->setToolTip(why);
    m_pause->setText(selected && selected->definition.paused ? tr("Resume") : tr("Pause"));
}

void SchedulesView::reload()
{
    QPointer<SchedulesView> self(this);
    Client::ScheduleClient(*m_client).list().then(
        this, [self](const Result<QList<ScheduleInfo>> &list) {
            if (!self)
                return;
            if (!list) {
                self->m_status->setText(list.error().message);
            } else {
                const QString selected = self->selectedId();
                self->m_model->setSchedules(*list);
                for (int row = 0; row < self->m_sorted->rowCount(); ++row) {
                    if (self->m_sorted->index(row, 0).data(SchedulesModel::IdRole) == selected)
                        self->m_table->selectRow(row);
                }
                self->m_status->setText(tr("%n schedule(s)", nullptr, int(list->size())));
            }
            Q_EMIT self->reloaded();
        });
}

void SchedulesView::triggerSelected()
{
    const QString id = selectedId();
    if (id.isEmpty())
        return;
    QPointer<SchedulesView> self(this);
    Client::ScheduleClient(*m_client).trigger(id).then(
        this, [self](const Result<ScheduleFire> &fire) {
            if (!self)
                return;
            self->m_status->setText(fire ? tr("Fired: %1 %2").arg(fire->outcome, fire->taskId)
                                         : fire.error().message);
            self->reload();
        });
}

void SchedulesView::togglePausedSelected()
{
    const QString id = selectedId();
    if (id.isEmpty())
        return;
    bool paused = false;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        if (m_model->scheduleAt(row)->id == id)
            paused = m_model->scheduleAt(row)->definition.paused;
    }
    Client::ScheduleClient schedules(*m_client);
    QPointer<SchedulesView> self(this);
    (paused ? schedules.resume(id) : schedules.pause(id))
        .then(this, [self](const Result<ScheduleInfo> &info) {
            if (!self)
                return;
            if (!info)
                self->m_status->setText(info.error().message);
            self->reload();
        });
}

void SchedulesView::deleteSelected()
{
    const QString id = selectedId();
    if (id.isEmpty())
        return;
    QPointer<SchedulesView> self(this);
    Client::ScheduleClient(*m_client).remove(id).then(this, [self](const Result<void> &done) {
        if (!self)
            return;
        if (!done)
            self->m_status->setText(done.error().message);
        self->reload();
    });
}

void SchedulesView::openDialog(bool change)
{
    const QString id = selectedId();
    const ScheduleInfo *existing = nullptr;
    for (int row = 0; change && row < m_model->rowCount(); ++row) {
        if (m_model->scheduleAt(row)->id == id)
            existing = m_model->scheduleAt(row);
    }
    auto *dialog = new ScheduleDialog(m_client, m_queues, existing, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, &SchedulesView::reload);
    dialog->open();
}

void SchedulesView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    reload();
    m_refresh->start(5000);
}

void SchedulesView::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_refresh->start(30000);
}

} // namespace QueueDeck::Ui
