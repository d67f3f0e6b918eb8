// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/wiretypes.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTreeWidget;

namespace QueueDeck::Client {
class QueueDeckClient;
}

namespace QueueDeck::Ui {

// Environments: the list (name, description, auto-create, queues), create one with a
// description and auto-create, delete an empty one (the server refuses while queues exist, and
// the dialog says so). Emits `changed` after a create or a delete.
class EnvironmentsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EnvironmentsDialog)
public:
    EnvironmentsDialog(Client::QueueDeckClient *client, const QList<QueueInfo> &queues,
                       QWidget *parent = nullptr);
    ~EnvironmentsDialog() override;

    void reload();
    // Without asking (tests, and after the confirmation).
    void create(const EnvironmentInfo &environment);
    void remove(const QString &name);

    QStringList names() const;
    QString errorText() const;

Q_SIGNALS:
    void changed();

private:
    void showError(const QString &message);

    Client::QueueDeckClient *m_client;
    QHash<QString, int> m_queueCount; // by environment
    QTreeWidget *m_list;
    QLineEdit *m_name;
    QLineEdit *m_description;
    QCheckBox *m_autoCreate;
    QPushButton *m_delete;
    QLabel *m_error;
};

} // namespace QueueDeck::Ui
