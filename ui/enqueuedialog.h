// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/error.h"
#include "protocol/wiretypes.h"

#include <QDialog>
#include <QFuture>

#include <functional>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;

namespace QueueDeck::Ui {

// Enqueue a task by hand: a queue selector that shows each queue's capacity and online workers,
// the type, a JSON payload (checked as it is typed), priority, delay and idempotency key.
class EnqueueDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EnqueueDialog)
public:
    using Submit =
        std::function<QFuture<Result<TaskInfo>>(const QString &queueId, const EnqueueRequest &)>;

    EnqueueDialog(Submit submit, const QList<QueueInfo> &queues, const QString &queueId = {},
                  QWidget *parent = nullptr);
    ~EnqueueDialog() override;

    QString queueId() const;
    EnqueueRequest request() const;
    const TaskInfo &task() const { return m_task; }
    QString errorText() const;
    // "emails (default) — 1 / 10 workers, 1 online": what the selector shows for a queue.
    static QString queueLabel(const QueueInfo &queue);

public Q_SLOTS:
    void accept() override;

private:
    void checkPayload();
    void showError(const QString &message);

    Submit m_submit;
    TaskInfo m_task;
    QComboBox *m_queue;
    QLineEdit *m_type;
    QPlainTextEdit *m_payload;
    QSpinBox *m_priority;
    QSpinBox *m_delay;
    QLineEdit *m_idempotencyKey;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
    bool m_busy = false;
};

} // namespace QueueDeck::Ui
