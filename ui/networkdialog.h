// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "embeddedserver.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace QueueDeck::Ui {

class FaktorySection;

// "Accept workers from other machines": the embedded server on the network, with the URL that
// connect commands advertise, and TLS when a certificate is given.
class NetworkDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NetworkDialog)
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
    FaktorySection *m_faktory;
};

} // namespace QueueDeck::Ui
