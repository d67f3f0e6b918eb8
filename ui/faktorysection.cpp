// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "faktorysection.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>

namespace QueueDeck::Ui {

FaktorySection::FaktorySection(EmbeddedServer *server, const NetworkSettings &current,
                               QWidget *parent)
    : QGroupBox(tr("Faktory"), parent), m_server(server), m_enabled(new QCheckBox(this)),
      m_port(new QSpinBox(this)), m_url(new QLabel(this)), m_password(new QLineEdit(this)),
      m_show(new QPushButton(tr("Show"), this)), m_rotate(new QPushButton(tr("Rotate"), this)),
      m_error(new QLabel(this))
{
    m_enabled->setObjectName(QStringLiteral("faktoryEnabled"));
    m_port->setObjectName(QStringLiteral("faktoryPort"));
    m_password->setObjectName(QStringLiteral("faktoryPassword"));
    m_rotate->setObjectName(QStringLiteral("faktoryRotate"));
    m_show->setObjectName(QStringLiteral("faktoryShow"));
    m_url->setObjectName(QStringLiteral("faktoryUrl"));
    m_port->setAccessibleName(tr("Faktory port"));
    m_password->setAccessibleName(tr("Faktory password"));
    m_show->setAccessibleName(tr("Show the Faktory password"));
    m_rotate->setAccessibleName(tr("Rotate the Faktory password"));
    m_enabled->setText(tr("Speak Faktory for Faktory clients and workers"));
    m_enabled->setChecked(current.faktory);
    m_port->setRange(1, 65535);
    m_port->setValue(current.faktoryPort);
    m_url->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_password->setReadOnly(true);
    m_password->setEchoMode(QLineEdit::Password);
    m_show->setCheckable(true);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #d64545"));
    m_error->setVisible(false);

    const QString url = server ? server->faktoryUrl() : QString();
    const bool listening = !url.isEmpty();
    m_url->setText(listening ? url : tr("Not listening"));
    if (listening)
        showPassword(server->faktoryPassword());
    m_show->setEnabled(listening);
    m_rotate->setEnabled(listening);
    connect(m_show, &QPushButton::toggled, this, [this](bool shown) {
        m_password->setEchoMode(shown ? QLineEdit::Normal : QLineEdit::Password);
    });
    connect(m_rotate, &QPushButton::clicked, this, [this] {
        if (QMessageBox::question(this, tr("Rotate the Faktory password"),
                                  tr("Faktory clients with the old password are refused when "
                                     "they connect again. Make a new password?")) !=
            QMessageBox::Yes)
            return;
        showPassword(m_server->rotateFaktoryPassword());
    });

    auto *passwordRow = new QHBoxLayout;
    passwordRow->addWidget(m_password, 1);
    passwordRow->addWidget(m_show);
    passwordRow->addWidget(m_rotate);
    auto *form = new QFormLayout(this);
    form->addRow(m_enabled);
    form->addRow(tr("Port:"), m_port);
    form->addRow(tr("Address:"), m_url);
    form->addRow(tr("Password:"), passwordRow);
    form->addRow(m_error);
}

void FaktorySection::apply(NetworkSettings &settings) const
{
    settings.faktory = m_enabled->isChecked();
    settings.faktoryPort = quint16(m_port->value());
}

void FaktorySection::showPassword(const Result<QString> &password)
{
    m_error->setVisible(!password);
    if (!password) {
        m_error->setText(tr("The password could not be read: %1").arg(password.error().message));
        return;
    }
    m_password->setText(*password);
}

} // namespace QueueDeck::Ui
