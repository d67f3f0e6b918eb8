// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "mainwindow.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;

namespace QueueDeck::Ui {

// Which server the window manages: this computer's embedded one, or a remembered or new remote
// `qdeck serve` (URL and admin token). Connect tries the server first and says what is wrong.
class ServersDialog final : public QDialog
{
    Q_OBJECT
public:
    ServersDialog(bool hasEmbedded, QWidget *parent = nullptr);

    // The remembered remote servers (QSettings "servers/urls").
    static QStringList remembered();
    static void remember(const QString &url);
    static void forget(const QString &url);

Q_SIGNALS:
    void chosen(const QueueDeck::Ui::ServerTarget &target);
    void embeddedChosen();

private:
    void tryConnect();
    void showError(const QString &message);

    QListWidget *m_list;
    QLineEdit *m_url;
    QLineEdit *m_token;
    QLabel *m_error;
    QPushButton *m_connect;
};

// "Accept workers from other machines": the embedded server on the network, with the URL that
// connect commands advertise, and TLS when a certificate is given.
class NetworkDialog final : public QDialog
{
    Q_OBJECT
public:
    NetworkDialog(EmbeddedServer *server, QWidget *parent = nullptr);

    static NetworkSettings load();
    static void save(const NetworkSettings &settings);
    NetworkSettings settings() const;
    QString errorText() const;

public Q_SLOTS:
    void accept() override;

private:
    void update();

    EmbeddedServer *m_server;
    QCheckBox *m_accept;
    QSpinBox *m_port;
    QLineEdit *m_publicUrl;
    QLineEdit *m_cert;
    QLineEdit *m_key;
    QLabel *m_warning;
    QLabel *m_error;
};

} // namespace QueueDeck::Ui
