// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "queuedialog.h"

#include "accessiblenames.h"
#include "durationfield.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QVBoxLayout>

namespace QueueDeck::Ui {

namespace {

QSpinBox *spin(int low, int high, const QString &suffix = {}, const QString &zero = {})
{
    auto *box = new QSpinBox;
    box->setRange(low, high);
    box->setSuffix(suffix);
    box->setSpecialValueText(zero); // shown for the lowest value
    box->setAccelerated(true);
    box->setMinimumWidth(140);
    return box;
}

DurationField *duration(qint64 unitMs, qint64 lowMs, qint64 highMs, const QString &zero = {})
{
    auto *field = new DurationField(unitMs);
    field->setRange(lowMs, highMs);
    field->setZeroText(zero);
    field->setMinimumWidth(140);
    return field;
}

constexpr qint64 Second = 1000;
constexpr qint64 Day = 24 * 3600 * Second;

// "q_a, q_b" or "q_a q_b" → the ids, without empties.
QStringList childQueueIds(const QString &text)
{
    static const QRegularExpression separators(QStringLiteral("[,;\\s]+"));
    return text.split(separators, Qt::SkipEmptyParts);
}

} // namespace

QueueDialog::QueueDialog(Submit submit, const QStringList &environments, QWidget *parent)
    : QDialog(parent), m_submit(std::move(submit))
{
    setWindowTitle(tr("New Queue"));
    build(environments, true);
    setDraft(QueueDraft{environments.value(0, QStringLiteral("default")), {}, QueueSettings{}});
}

QueueDialog::QueueDialog(Submit submit, const QueueInfo &queue, QWidget *parent)
    : QDialog(parent), m_submit(std::move(submit)), m_answer(queue)
{
    setWindowTitle(tr("Configure %1").arg(queue.name));
    build({queue.environment}, false);
    setDraft(QueueDraft{queue.environment, queue.name, queue.settings});
}

QueueDialog::~QueueDialog() = default;

void QueueDialog::build(const QStringList &environments, bool creating)
{
    m_environment = new QComboBox;
    m_environment->setEditable(creating);
    m_environment->addItems(environments);
    m_environment->setEnabled(creating);
    m_name = new QLineEdit;
    m_name->setPlaceholderText(tr("e.g. emails"));
    m_name->setMaxLength(64);
    m_displayName = new QLineEdit;
    m_displayName->setPlaceholderText(tr("shown on the card; the name when empty"));
    m_description = new QLineEdit;
    m_maxWorkers = spin(0, 100000, {}, tr("unlimited"));
    m_concurrency = spin(0, 1000000, {}, tr("unlimited"));
    m_maxPerKey = spin(0, 1000000, {}, tr("unlimited"));
    m_maxDepth = spin(0, 2000000000, {}, tr("unlimited"));
    m_rateLimit = new QDoubleSpinBox;
    m_rateLimit->setRange(0, 1000000);
    m_rateLimit->setDecimals(1);
    m_rateLimit->setSuffix(tr(" /s"));
    m_rateLimit->setSpecialValueText(tr("unlimited"));
    m_priority = spin(-100, 100);
    m_maxActiveRuns = spin(0, 1000000, {}, tr("unlimited"));
    m_childQueues = new QLineEdit;
    m_childQueues->setPlaceholderText(tr("queue ids, e.g. q_8k2m4xa9bc, q_3jv0c1pd7t"));
    m_maxQueuedTime = duration(Second, 0, 366 * Day, tr("never"));
    m_taskTimeout = duration(Second, Second, 7 * Day);
    m_workerTimeout = duration(Second, 5 * Second, 3600 * Second);
    m_maxAttempts = spin(1, 1000);
    m_initialBackoff = duration(1, 0, Day);
    m_multiplier = new QDoubleSpinBox;
    m_multiplier->setRange(1, 100);
    m_multiplier->setDecimals(1);
    m_multiplier->setPrefix(QStringLiteral("× "));
    m_maxBackoff = duration(1, 0, 7 * Day);
    m_retention = duration(Second, 0, 366 * Day, tr("not kept"));
    m_paused = new QCheckBox(tr("Paused: accept tasks but dispatch none"));

    m_generalError = new QLabel;
    m_generalError->setWordWrap(true);
    m_generalError->setStyleSheet(QStringLiteral("color: #d64545"));
    m_generalError->setVisible(false);

    // Each field sits above its own error line, hidden until the server or a check names it.
    auto row = [this](QFormLayout *form, const QString &label, const QString &field,
                      QWidget *widget, const QString &help = {}) {
        auto *box = new QWidget;
        auto *layout = new QVBoxLayout(box);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->setSpacing(2);
        layout->addWidget(widget);
        auto *error = new QLabel;
        error->setWordWrap(true);
        error->setStyleSheet(QStringLiteral("color: #d64545"));
        error->setVisible(false);
        error->setObjectName(QStringLiteral("error_") + field);
        layout->addWidget(error);
        widget->setObjectName(field);
        if (!help.isEmpty())
            widget->setToolTip(help);
        form->addRow(label, box);
        m_errors.insert(field, error);
        m_fields.insert(field, widget);
    };

    auto group = [](const QString &title, QFormLayout *&form) {
        auto *box = new QGroupBox(title);
        form = new QFormLayout(box);
        form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
        return box;
    };
    QFormLayout *identity = nullptr;
    QFormLayout *limits = nullptr;
    QFormLayout *timing = nullptr;
    QFormLayout *retries = nullptr;
    QGroupBox *identityBox = group(tr("Queue"), identity);
    QGroupBox *limitsBox = group(tr("Limits"), limits);
    QGroupBox *timingBox = group(tr("Time"), timing);
    QGroupBox *retriesBox = group(tr("Retries"), retries);

    row(identity, tr("Environment:"), QStringLiteral("environment"), m_environment);
    row(identity, tr("Name:"), QStringLiteral("name"), m_name,
        tr("Letters, digits, '-', '_' and '.'; unique in its environment"));
    row(identity, tr("Display name:"), QStringLiteral("display_name"), m_displayName);
    row(identity, tr("Description:"), QStringLiteral("description"), m_description);
    row(limits, tr("Max workers:"), QStringLiteral("max_workers"), m_maxWorkers,
        tr("Workers that may attach at once; one more is refused with \"no capacity\""));
    row(limits, tr("Concurrency:"), QStringLiteral("concurrency"), m_concurrency,
        tr("Tasks of this queue running at once, over all workers"));
    row(limits, tr("Max per key:"), QStringLiteral("max_per_key"), m_maxPerKey,
        tr("Running tasks per concurrency key"));
    row(limits, tr("Max depth:"), QStringLiteral("max_depth"), m_maxDepth,
        tr("Unfinished tasks; an enqueue beyond it is refused at once"));
    row(limits, tr("Rate limit:"), QStringLiteral("rate_limit"), m_rateLimit,
        tr("Tasks dispatched per second, over all workers"));
    row(limits, tr("Priority:"), QStringLiteral("priority"), m_priority,
        tr("Workers of several queues lease from higher priorities first"));
    row(limits, tr("Max active runs:"), QStringLiteral("max_active_runs"), m_maxActiveRuns,
        tr("Runs rooted in this queue that may be active at once; their children are never "
           "held back"));
    row(limits, tr("Child queues:"), QStringLiteral("child_queues"), m_childQueues,
        tr("Queues besides this one where its tasks may enqueue children"));
    row(timing, tr("Task timeout:"), QStringLiteral("task_timeout_s"), m_taskTimeout,
        tr("How long a lease lasts unless the worker extends it"));
    row(timing, tr("Worker timeout:"), QStringLiteral("worker_timeout_s"), m_workerTimeout,
        tr("Silence after which a worker is lost (workers heartbeat every 5 s)"));
    row(timing, tr("Max queued time:"), QStringLiteral("max_queued_time_s"), m_maxQueuedTime,
        tr("A task still waiting after this long goes to the dead letters"));
    row(timing, tr("Keep finished tasks:"), QStringLiteral("retention_s"), m_retention);
    row(retries, tr("Attempts:"), QStringLiteral("max_attempts"), m_maxAttempts);
    row(retries, tr("First backoff:"), QStringLiteral("initial_backoff_ms"), m_initialBackoff);
    row(retries, tr("Multiplier:"), QStringLiteral("multiplier"), m_multiplier);
    row(retries, tr("Longest backoff:"), QStringLiteral("max_backoff_ms"), m_maxBackoff);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    m_buttons->button(QDialogButtonBox::Ok)->setText(creating ? tr("Create") : tr("Save"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QueueDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QueueDialog::reject);

    auto *left = new QVBoxLayout;
    left->addWidget(identityBox);
    left->addWidget(limitsBox);
    left->addStretch(1);
    auto *right = new QVBoxLayout;
    right->addWidget(timingBox);
    right->addWidget(retriesBox);
    right->addWidget(m_paused);
    right->addStretch(1);
    auto *columns = new QHBoxLayout;
    columns->addLayout(left, 1);
    columns->addLayout(right, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_generalError);
    layout->addLayout(columns);
    layout->addWidget(m_buttons);
    setMinimumWidth(760);
    AccessibleNames::nameFromLabels(this); // each field by its row's label
}

QueueDraft QueueDialog::draft() const
{
    QueueDraft d;
    d.environment = m_environment->currentText().trimmed();
    d.name = m_name->text().trimmed();
    QueueSettings &s = d.settings;
    s = m_answer.settings; // what the dialog does not show (runner name) stays as it was
    s.displayName = m_displayName->text().trimmed();
    s.description = m_description->text().trimmed();
    s.maxWorkers = m_maxWorkers->value();
    s.concurrency = m_concurrency->value();
    s.maxPerKey = m_maxPerKey->value();
    s.maxDepth = m_maxDepth->value();
    s.rateLimit = m_rateLimit->value();
    s.priority = m_priority->value();
    s.maxQueuedTimeS = (m_maxQueuedTime->value() + Second / 2) / Second;
    s.taskTimeoutS = (m_taskTimeout->value() + Second / 2) / Second;
    s.workerTimeoutS = (m_workerTimeout->value() + Second / 2) / Second;
    s.retry.maxAttempts = m_maxAttempts->value();
    s.retry.initialBackoffMs = m_initialBackoff->value();
    s.retry.multiplier = m_multiplier->value();
    s.retry.maxBackoffMs = m_maxBackoff->value();
    s.retentionS = (m_retention->value() + Second / 2) / Second;
    s.maxActiveRuns = m_maxActiveRuns->value();
    s.childQueues = childQueueIds(m_childQueues->text());
    s.paused = m_paused->isChecked();
    return d;
}

void QueueDialog::setDraft(const QueueDraft &d)
{
    m_environment->setCurrentText(d.environment);
    m_name->setText(d.name);
    const QueueSettings &s = d.settings;
    m_displayName->setText(s.displayName);
    m_description->setText(s.description);
    m_maxWorkers->setValue(s.maxWorkers);
    m_concurrency->setValue(s.concurrency);
    m_maxPerKey->setValue(s.maxPerKey);
    m_maxDepth->setValue(int(qMin<qint64>(s.maxDepth, m_maxDepth->maximum())));
    m_rateLimit->setValue(s.rateLimit);
    m_priority->setValue(s.priority);
    m_maxQueuedTime->setValue(s.maxQueuedTimeS * Second);
    m_taskTimeout->setValue(s.taskTimeoutS * Second);
    m_workerTimeout->setValue(s.workerTimeoutS * Second);
    m_maxAttempts->setValue(s.retry.maxAttempts);
    m_initialBackoff->setValue(s.retry.initialBackoffMs);
    m_multiplier->setValue(s.retry.multiplier);
    m_maxBackoff->setValue(s.retry.maxBackoffMs);
    m_retention->setValue(s.retentionS * Second);
    m_maxActiveRuns->setValue(s.maxActiveRuns);
    m_childQueues->setText(s.childQueues.join(QStringLiteral(", ")));
    m_paused->setChecked(s.paused);
}

QString QueueDialog::errorText(const QString &field) const
{
    const QLabel *label = field.isEmpty() ? m_generalError : m_errors.value(field);
    return label && !label->isHidden() ? label->text() : QString();
}

QueuePatch QueueDialog::patchBetween(const QueueInfo &from, const QueueDraft &to)
{
    QueuePatch p;
    const QueueSettings &a = from.settings;
    const QueueSettings &b = to.settings;
    auto set = [](auto &target, const auto &before, const auto &after) {
        if (before != after)
            target = after;
    };
    set(p.name, from.name, to.name);
    set(p.displayName, a.displayName, b.displayName);
    set(p.description, a.description, b.description);
    set(p.runnerName, a.runnerName, b.runnerName);
    set(p.maxWorkers, a.maxWorkers, b.maxWorkers);
    set(p.concurrency, a.concurrency, b.concurrency);
    set(p.maxPerKey, a.maxPerKey, b.maxPerKey);
    set(p.maxDepth, a.maxDepth, b.maxDepth);
    set(p.rateLimit, a.rateLimit, b.rateLimit);
    set(p.priority, a.priority, b.priority);
    set(p.maxQueuedTimeS, a.maxQueuedTimeS, b.maxQueuedTimeS);
    set(p.taskTimeoutS, a.taskTimeoutS, b.taskTimeoutS);
    set(p.workerTimeoutS, a.workerTimeoutS, b.workerTimeoutS);
    set(p.maxAttempts, a.retry.maxAttempts, b.retry.maxAttempts);
    set(p.initialBackoffMs, a.retry.initialBackoffMs, b.retry.initialBackoffMs);
    set(p.multiplier, a.retry.multiplier, b.retry.multiplier);
    set(p.maxBackoffMs, a.retry.maxBackoffMs, b.retry.maxBackoffMs);
    set(p.retentionS, a.retentionS, b.retentionS);
    set(p.paused, a.paused, b.paused);
    set(p.maxActiveRuns, a.maxActiveRuns, b.maxActiveRuns);
    set(p.childQueues, a.childQueues, b.childQueues);
    return p;
}

void QueueDialog::clearErrors()
{
    m_generalError->setVisible(false);
    for (QLabel *label : std::as_const(m_errors))
        label->setVisible(false);
}

void QueueDialog::showError(const QString &field, const QString &message)
{
    QLabel *label = m_errors.value(field, m_generalError);
    label->setText(message);
    label->setVisible(true);
    if (QWidget *widget = m_fields.value(field))
        widget->setFocus();
}

bool QueueDialog::checkLocally()
{
    const QueueDraft d = draft();
    if (d.environment.isEmpty()) {
        showError(QStringLiteral("environment"), tr("Choose or type an environment."));
        return false;
    }
    if (d.name.isEmpty()) {
        showError(QStringLiteral("name"), tr("Give the queue a name, e.g. emails."));
        return false;
    }
    const std::pair<const char *, DurationField *> durations[] = {
        {"task_timeout_s", m_taskTimeout},        {"worker_timeout_s", m_workerTimeout},
        {"max_queued_time_s", m_maxQueuedTime},   {"retention_s", m_retention},
        {"initial_backoff_ms", m_initialBackoff}, {"max_backoff_ms", m_maxBackoff}};
    for (const auto &[field, widget] : durations) {
        if (const QString error = widget->errorText(); !error.isEmpty()) {
            showError(QString::fromLatin1(field), error);
            return false;
        }
    }
    static const QRegularExpression queueId(QStringLiteral("^q_[0-9a-z]{10}$"));
    for (const QString &id : d.settings.childQueues) {
        if (!queueId.match(id).hasMatch()) {
            showError(QStringLiteral("child_queues"),
                      tr("\"%1\" is not a queue id; list ids such as q_8k2m4xa9bc, separated by "
                         "commas (a queue's id is on its card).")
                          .arg(id));
            return false;
        }
    }
    if (d.settings.childQueues.size() > 100) {
        showError(QStringLiteral("child_queues"), tr("List at most 100 child queues."));
        return false;
    }
    if (d.settings.retry.maxBackoffMs < d.settings.retry.initialBackoffMs) {
        showError(QStringLiteral("max_backoff_ms"),
                  tr("The longest backoff must not be shorter than the first."));
        return false;
    }
    return true;
}

void QueueDialog::accept()
{
    if (m_busy)
        return;
    clearErrors();
    if (!checkLocally())
        return;
    m_busy = true;
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    m_submit(draft()).then(this, [this](const Result<QueueInfo> &answer) {
        m_busy = false;
        m_buttons->button(QDialogButtonBox::Ok)->setEnabled(true);
        if (answer) {
            m_answer = *answer;
            QDialog::accept();
            return;
        }
        QString field = answer.error().details.value(QStringLiteral("field")).toString();
        if (field.isEmpty() && answer.error().code == ErrorCode::AlreadyExists)
            field = QStringLiteral("name");
        showError(m_errors.contains(field) ? field : QString(), answer.error().message);
    });
}

} // namespace QueueDeck::Ui
