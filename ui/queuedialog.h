// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/error.h"
#include "protocol/wiretypes.h"

#include <QDialog>
#include <QFuture>
#include <QHash>

#include <functional>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace QueueDeck::Ui {
class DurationField;
}

namespace QueueDeck::Ui {

// What the queue dialog asks for.
struct QueueDraft
{
    QString environment;
    QString name;
    QueueSettings settings;
};

// New Queue, or Configure of an existing one: every setting of a queue, grouped. OK sends the
// draft through `submit` and stays open until the server answers; a refusal is shown next to
// the field it names (or above the fields), so nothing typed is lost.
class QueueDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(QueueDialog)
public:
    using Submit = std::function<QFuture<Result<QueueInfo>>(const QueueDraft &)>;

    // New Queue in one of `environments` (the first is chosen).
    QueueDialog(Submit submit, const QStringList &environments, QWidget *parent = nullptr);
    // Configure `queue`.
    QueueDialog(Submit submit, const QueueInfo &queue, QWidget *parent = nullptr);
    ~QueueDialog() override;

    QueueDraft draft() const;
    void setDraft(const QueueDraft &draft);
    // The queue as the server answered OK.
    const QueueInfo &queue() const { return m_answer; }
    // The error shown for a field (wire name, e.g. "max_workers"), or above the fields ("").
    QString errorText(const QString &field) const;

    // The changes from `from` to `to`, for PATCH.
    static QueuePatch patchBetween(const QueueInfo &from, const QueueDraft &to);

public Q_SLOTS:
    void accept() override;

private:
    void build(const QStringList &environments, bool creating);
    void showError(const QString &field, const QString &message);
    void clearErrors();
    bool checkLocally();

    Submit m_submit;
    QueueInfo m_answer;
    QComboBox *m_environment = nullptr;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_displayName = nullptr;
    QLineEdit *m_description = nullptr;
    QSpinBox *m_maxWorkers = nullptr;
    QSpinBox *m_maxActiveRuns = nullptr;
    QLineEdit *m_childQueues = nullptr;
    QSpinBox *m_concurrency = nullptr;
    QSpinBox *m_maxPerKey = nullptr;
    QSpinBox *m_maxDepth = nullptr;
    QDoubleSpinBox *m_rateLimit = nullptr;
    QSpinBox *m_priority = nullptr;
    DurationField *m_maxQueuedTime = nullptr;
    DurationField *m_taskTimeout = nullptr;
    DurationField *m_workerTimeout = nullptr;
    QSpinBox *m_maxAttempts = nullptr;
    DurationField *m_initialBackoff = nullptr;
    QDoubleSpinBox *m_multiplier = nullptr;
    DurationField *m_maxBackoff = nullptr;
    DurationField *m_retention = nullptr;
    QCheckBox *m_paused = nullptr;
    QLabel *m_generalError = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    QHash<QString, QLabel *> m_errors; // by wire field name
    QHash<QString, QWidget *> m_fields;
    bool m_busy = false;
};

} // namespace QueueDeck::Ui
