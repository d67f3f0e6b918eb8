// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/wiretypes.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QTreeWidget;

namespace QueueDeck::Client {
class QueueDeckClient;
}

namespace QueueDeck::Ui {

// Producer tokens: the list (name, queues, created), create one for some queues (its secret is
// shown once, with Copy), revoke.
class TokensDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TokensDialog)
public:
    TokensDialog(Client::QueueDeckClient *client, const QList<QueueInfo> &queues,
                 QWidget *parent = nullptr);
    ~TokensDialog() override;

    void reload();
    // Without asking (tests, and after the confirmation).
    void create(const QString &name, const QStringList &queueIds);
    void revoke(const QString &name);

    QStringList names() const;
    QString shownSecret() const;
    QString errorText() const;

private:
    void showError(const QString &message);

    Client::QueueDeckClient *m_client;
    QHash<QString, QString> m_queueNames;
    QTreeWidget *m_list;
    QLineEdit *m_name;
    QListWidget *m_queues;
    QLineEdit *m_secret;
    QPushButton *m_copy;
    QLabel *m_secretNote;
    QLabel *m_error;
};

} // namespace QueueDeck::Ui
