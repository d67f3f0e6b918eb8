// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "enqueuedialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace QueueDeck::Ui {

EnqueueDialog::EnqueueDialog(Submit submit, const QList<QueueInfo> &queues, const QString &queueId,
                             QWidget *parent)
    : QDialog(parent), m_submit(std::move(submit)), m_queue(new QComboBox(this)),
      m_type(new QLineEdit(this)), m_payload(new QPlainTextEdit(this)),
      m_priority(new QSpinBox(this)), m_delay(new QSpinBox(this)),
      m_idempotencyKey(new QLineEdit(this)), m_error(new QLabel(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Enqueue a Task"));
    m_queue->setObjectName(QStringLiteral("queue"));
    for (const QueueInfo &queue : queues)
        m_queue->addItem(queueLabel(queue), queue.id);
    if (const int index = m_queue->findData(queueId); index >= 0)
        m_queue->setCurrentIndex(index);
    m_type->setObjectName(QStringLiteral("type"));
    m_type->setPlaceholderText(tr("e.g. send-email"));
    m_payload->setObjectName(QStringLiteral("payload"));
    m_payload->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_payload->setPlainText(QStringLiteral("{}"));
    m_payload->setTabChangesFocus(true);
    m_priority->setRange(-1000, 1000);
    m_delay->setRange(0, 366 * 24 * 3600);
    m_delay->setSuffix(tr(" s"));
    m_delay->setSpecialValueText(tr("none: run now"));
    m_idempotencyKey->setPlaceholderText(tr("optional: the same key enqueues once"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #d64545"));
    m_error->setVisible(false);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Enqueue"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &EnqueueDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &EnqueueDialog::reject);
    connect(m_payload, &QPlainTextEdit::textChanged, this, &EnqueueDialog::checkPayload);

    auto *form = new QFormLayout;
    form->addRow(tr("Queue:"), m_queue);
    form->addRow(tr("Type:"), m_type);
    form->addRow(tr("Payload (JSON):"), m_payload);
    form->addRow(tr("Priority:"), m_priority);
    form->addRow(tr("Delay:"), m_delay);
    form->addRow(tr("Idempotency key:"), m_idempotencyKey);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);
    resize(520, 420);
    if (queues.isEmpty())
        showError(tr("There is no queue yet: create one first."));
}

EnqueueDialog::~EnqueueDialog() = default;

QString EnqueueDialog::queueLabel(const QueueInfo &q)
{
    const QString capacity =
        q.settings.maxWorkers > 0
            ? tr("%1 / %2 workers").arg(q.counts.workersOnline).arg(q.settings.maxWorkers)
            : tr("%n worker(s), no limit", nullptr, q.counts.workersOnline);
    return tr("%1 (%2) — %3").arg(q.name, q.environment, capacity) +
           (q.counts.workersOnline == 0 ? tr(", none online: tasks will wait") : QString());
}

QString EnqueueDialog::queueId() const
{
    return m_queue->currentData().toString();
}

EnqueueRequest EnqueueDialog::request() const
{
    EnqueueRequest r;
    r.type = m_type->text().trimmed();
    r.payload = m_payload->toPlainText().trimmed().toUtf8();
    r.priority = m_priority->value();
    if (m_delay->value() > 0)
        r.delayMs = qint64(m_delay->value()) * 1000;
    r.idempotencyKey = m_idempotencyKey->text().trimmed();
    return r;
}

QString EnqueueDialog::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

void EnqueueDialog::showError(const QString &message)
{
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
}

void EnqueueDialog::checkPayload()
{
    QJsonParseError error;
    QJsonDocument::fromJson(m_payload->toPlainText().toUtf8(), &error);
    showError(error.error == QJsonParseError::NoError
                  ? QString()
                  : tr("The payload is not valid JSON: %1 at character %2")
                        .arg(error.errorString())
                        .arg(error.offset));
}

void EnqueueDialog::accept()
{
    if (m_busy)
        return;
    if (queueId().isEmpty())
        return showError(tr("There is no queue yet: create one first."));
    if (m_type->text().trimmed().isEmpty()) {
        m_type->setFocus();
        return showError(tr("Give the task a type, e.g. send-email."));
    }
    checkPayload();
    if (!errorText().isEmpty())
        return;
    m_busy = true;
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    m_submit(queueId(), request()).then(this, [this](const Result<TaskInfo> &answer) {
        m_busy = false;
        m_buttons->button(QDialogButtonBox::Ok)->setEnabled(true);
        if (!answer)
            return showError(answer.error().message);
        m_task = *answer;
        QDialog::accept();
    });
}

} // namespace QueueDeck::Ui
