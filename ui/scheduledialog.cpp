// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "scheduledialog.h"

#include "queuedeckclient.h"
#include "scheduleclient.h"

#include <QComboBox>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QSpinBox>
#include <QTimer>
#include <QTimeZone>
#include <QVBoxLayout>

namespace QueueDeck::Ui {

ScheduleDialog::ScheduleDialog(Client::QueueDeckClient *client,
                               const QList<std::pair<QString, QString>> &queues,
                               const ScheduleInfo *existing, QWidget *parent)
    : QDialog(parent), m_client(client), m_name(new QLineEdit(this)), m_spec(new QLineEdit(this)),
      m_zone(new QComboBox(this)), m_queue(new QComboBox(this)), m_type(new QLineEdit(this)),
      m_payload(new QPlainTextEdit(this)), m_overlap(new QComboBox(this)),
      m_catchup(new QSpinBox(this)), m_jitter(new QSpinBox(this)), m_words(new QLabel(this)),
      m_preview(new QLabel(this)), m_error(new QLabel(this)), m_debounce(new QTimer(this))
{
    setWindowTitle(existing ? tr("Change schedule") : tr("New schedule"));
    m_spec->setPlaceholderText(tr("0 2 * * *, @daily or every 15m"));
    m_zone->setEditable(true);
    m_zone->addItem(QStringLiteral("UTC"));
    const QByteArray system = QTimeZone::systemTimeZoneId();
    if (!system.isEmpty() && system != "UTC")
        m_zone->addItem(QString::fromUtf8(system));
    for (const char *zone : {"Europe/Berlin", "Europe/London", "America/New_York",
                             "America/Los_Angeles", "Asia/Tokyo"})
        if (m_zone->findText(QString::fromLatin1(zone)) < 0)
            m_zone->addItem(QString::fromLatin1(zone));
    for (const auto &[id, label] : queues)
        m_queue->addItem(label, id);
    m_payload->setPlainText(QStringLiteral("{}"));
    m_payload->setMaximumHeight(80);
    m_overlap->addItem(tr("Skip while the previous run is active"), QStringLiteral("skip"));
    m_overlap->addItem(tr("Buffer one fire"), QStringLiteral("buffer_one"));
    m_overlap->addItem(tr("Allow all"), QStringLiteral("allow_all"));
    m_catchup->setRange(0, 366 * 86400);
    m_catchup->setValue(300);
    m_catchup->setSuffix(tr(" s"));
    m_jitter->setRange(0, 86400);
    m_jitter->setSuffix(tr(" s"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c0392b"));
    m_error->setAccessibleName(tr("Schedule error"));
    m_preview->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_preview->setAccessibleName(tr("Next fire times"));
    m_name->setAccessibleName(tr("Schedule name"));
    m_spec->setAccessibleName(tr("Schedule spec"));

    auto *form = new QFormLayout;
    form->addRow(tr("Name"), m_name);
    form->addRow(tr("Spec"), m_spec);
    form->addRow(tr("Time zone"), m_zone);
    form->addRow(QString(), m_words);
    form->addRow(tr("Next fires"), m_preview);
    form->addRow(QString(), m_error);
    form->addRow(tr("Queue"), m_queue);
    form->addRow(tr("Task type"), m_type);
    form->addRow(tr("Payload (JSON)"), m_payload);
    form->addRow(tr("Overlap"), m_overlap);
    form->addRow(tr("Catch-up window"), m_catchup);
    form->addRow(tr("Jitter"), m_jitter);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &ScheduleDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &ScheduleDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);

    if (existing) {
        m_existingId = existing->id;
        const ScheduleDefinition &d = existing->definition;
        m_name->setText(d.name);
        m_spec->setText(d.spec);
        m_zone->setCurrentText(d.timeZone);
        m_queue->setCurrentIndex(qMax(0, m_queue->findData(d.queueId)));
        m_type->setText(d.task.type);
        m_payload->setPlainText(QString::fromUtf8(d.task.payload));
        m_overlap->setCurrentIndex(qMax(0, m_overlap->findData(overlapPolicyName(d.overlap))));
        m_catchup->setValue(int(d.catchupWindowS));
        m_jitter->setValue(int(d.jitterS));
    }

    m_debounce->setSingleShot(true);
    m_debounce->setInterval(250);
    connect(m_debounce, &QTimer::timeout, this, &ScheduleDialog::requestPreview);
    connect(m_spec, &QLineEdit::textChanged, m_debounce, qOverload<>(&QTimer::start));
    connect(m_zone, &QComboBox::currentTextChanged, m_debounce, qOverload<>(&QTimer::start));
    if (!m_spec->text().isEmpty())
        m_debounce->start();
}

QString ScheduleDialog::previewText() const
{
    return m_words->text() + u'\n' + m_preview->text();
}

QString ScheduleDialog::errorText() const
{
    return m_error->text();
}

void ScheduleDialog::requestPreview()
{
    const quint64 number = ++m_previewNumber;
    if (m_spec->text().trimmed().isEmpty()) {
        m_words->clear();
        m_preview->clear();
        m_error->clear();
        Q_EMIT previewed();
        return;
    }
    SchedulePreviewRequest request;
    request.spec = m_spec->text();
    request.timeZone = m_zone->currentText();
    QPointer<ScheduleDialog> self(this);
    Client::ScheduleClient(*m_client).preview(request).then(
        this, [self, number](const Result<SchedulePreview> &preview) {
            if (!self || number != self->m_previewNumber)
                return; // a newer spec was typed meanwhile
            if (!preview) {
                self->m_words->clear();
                self->m_preview->clear();
                self->m_error->setText(preview.error().message);
            } else {
                self->m_error->clear();
                self->m_words->setText(preview->description);
                QStringList lines;
                const QString zone = self->m_zone->currentText();
                const QTimeZone timeZone(zone.toUtf8());
                for (qint64 ms : preview->nextFiresMs)
                    lines.append(QDateTime::fromMSecsSinceEpoch(
                                     ms, timeZone.isValid() ? timeZone : QTimeZone::utc())
                                     .toString(QStringLiteral("ddd yyyy-MM-dd HH:mm:ss t")));
                self->m_preview->setText(lines.isEmpty() ? tr("never fires again")
                                                         : lines.join(u'\n'));
            }
            Q_EMIT self->previewed();
        });
}

ScheduleDefinition ScheduleDialog::definition(QString *problem) const
{
    ScheduleDefinition d;
    d.name = m_name->text().trimmed();
    d.spec = m_spec->text().trimmed();
    d.timeZone = m_zone->currentText().trimmed();
    d.queueId = m_queue->currentData().toString();
    d.task.type = m_type->text().trimmed();
    const QByteArray payload = m_payload->toPlainText().trimmed().toUtf8();
    QJsonParseError error;
    if (QJsonDocument::fromJson(payload.isEmpty() ? QByteArray("{}") : payload, &error).isNull() &&
        payload != "null")
        *problem = tr("The payload is not JSON: %1").arg(error.errorString());
    d.task.payload = payload.isEmpty() ? QByteArrayLiteral("{}") : payload;
    d.overlap =
        overlapPolicyFromName(m_overlap->currentData().toString()).value_or(OverlapPolicy::Skip);
    d.catchupWindowS = m_catchup->value();
    d.jitterS = m_jitter->value();
    if (d.queueId.isEmpty())
        *problem = tr("Choose the queue the schedule enqueues into.");
    return d;
}

void ScheduleDialog::accept()
{
    QString problem;
    const ScheduleDefinition d = definition(&problem);
    if (!problem.isEmpty()) {
        m_error->setText(problem);
        return;
    }
    Client::ScheduleClient schedules(*m_client);
    QFuture<Result<ScheduleInfo>> saving;
    if (m_existingId.isEmpty()) {
        saving = schedules.create(d);
    } else {
        SchedulePatch patch;
        patch.name = d.name;
        patch.spec = d.spec;
        patch.timeZone = d.timeZone;
        patch.queueId = d.queueId;
        patch.task = d.task;
        patch.overlap = d.overlap;
        patch.catchupWindowS = d.catchupWindowS;
        patch.jitterS = d.jitterS;
        saving = schedules.update(m_existingId, patch);
    }
    QPointer<ScheduleDialog> self(this);
    saving.then(this, [self](const Result<ScheduleInfo> &saved) {
        if (!self)
            return;
        if (!saved) {
            self->m_error->setText(saved.error().message);
            return;
        }
        self->m_saved = *saved;
        self->QDialog::accept();
    });
}

} // namespace QueueDeck::Ui
