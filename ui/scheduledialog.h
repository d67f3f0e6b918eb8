// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/scheduletypes.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;
class QTimer;

namespace QueueDeck::Client {
class QueueDeckClient;
}

namespace QueueDeck::Ui {

// Creates or changes a schedule: name, spec, time zone, target queue, task type and payload,
// overlap, catch-up window, jitter. While the spec or zone is typed, the server previews the next
// fire times and the spec in words, or shows the error beside the field; saving shows the
// server's refusal the same way.
class ScheduleDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ScheduleDialog)
public:
    // existing: the schedule to change, or nullptr to create one.
    ScheduleDialog(Client::QueueDeckClient *client,
                   const QList<std::pair<QString, QString>> &queues,
                   const ScheduleInfo *existing = nullptr, QWidget *parent = nullptr);

    QLineEdit *nameField() const { return m_name; }
    QLineEdit *specField() const { return m_spec; }
    QComboBox *zoneField() const { return m_zone; }
    QLineEdit *typeField() const { return m_type; }
    QString previewText() const;
    QString errorText() const;
    // The schedule as saved, once accept() went through.
    const ScheduleInfo &saved() const { return m_saved; }

    void accept() override; // saves through the server; closes only when it agreed

Q_SIGNALS:
    void previewed(); // the preview or its error is shown

private:
    void requestPreview();
    ScheduleDefinition definition(QString *problem) const;

    Client::QueueDeckClient *m_client;
    QString m_existingId;
    QLineEdit *m_name;
    QLineEdit *m_spec;
    QComboBox *m_zone;
    QComboBox *m_queue;
    QLineEdit *m_type;
    QPlainTextEdit *m_payload;
    QComboBox *m_overlap;
    QSpinBox *m_catchup;
    QSpinBox *m_jitter;
    QLabel *m_words;
    QLabel *m_preview;
    QLabel *m_error;
    QTimer *m_debounce;
    quint64 m_previewNumber = 0;
    ScheduleInfo m_saved;
};

} // namespace QueueDeck::Ui
