// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "networkdialog.h"

#include "faktorysection.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

namespace QueueDeck::Ui {

NetworkDialog::NetworkDialog(EmbeddedServer *server, QWidget *parent)
    : QDialog(parent), m_server(server), m_accept(new QCheckBox(this)), m_port(new QSpinBox(this)),
      m_publicUrl(new QLineEdit(this)), m_cert(new QLineEdit(this)), m_key(new QLineEdit(this)),
      m_warning(new QLabel(this)), m_error(new QLabel(this))
{
    setWindowTitle(tr("Embedded Server"));
    m_accept->setText(tr("Accept workers from other machines"));
    m_accept->setToolTip(tr("Listen on every network interface instead of this computer only"));
    m_port->setRange(1, 65535);
    m_publicUrl->setObjectName(QStringLiteral("publicUrl"));
    m_cert->setObjectName(QStringLiteral("tlsCert"));
    m_key->setObjectName(QStringLiteral("tlsKey"));
    m_cert->setAccessibleName(tr("TLS certificate file"));
    m_key->setAccessibleName(tr("TLS private key file"));
    m_publicUrl->setPlaceholderText(tr("e.g. https://deck.example:7070 (what connect commands "
                                       "advertise)"));
    m_cert->setPlaceholderText(tr("PEM certificate for HTTPS (optional)"));
    m_key->setPlaceholderText(tr("PEM private key"));
    m_warning->setWordWrap(true);
    m_warning->setStyleSheet(QStringLiteral("color: #b7791f"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #d64545"));
    m_error->setVisible(false);

    const NetworkSettings current = server ? server->network() : load();
    m_accept->setChecked(current.acceptRemoteWorkers);
    m_port->setValue(current.port);
    m_publicUrl->setText(current.publicUrl);
    m_cert->setText(current.tlsCertPath);
    m_key->setText(current.tlsKeyPath);

    auto browse = [this](QLineEdit *target, const QString &title) {
        auto *button = new QToolButton(this);
        button->setText(QStringLiteral("…"));
        button->setAccessibleName(tr("Choose the file: %1").arg(title));
        connect(button, &QToolButton::clicked, this, [this, target, title] {
            const QString path = QFileDialog::getOpenFileName(this, title, target->text());
            if (!path.isEmpty())
                target->setText(path);
        });
        auto *row = new QHBoxLayout;
        row->addWidget(target, 1);
        row->addWidget(button);
        return row;
    };
    auto *form = new QFormLayout;
    form->addRow(m_accept);
    form->addRow(tr("Port:"), m_port);
    form->addRow(tr("Public URL:"), m_publicUrl);
    form->addRow(tr("TLS certificate:"), browse(m_cert, tr("TLS certificate")));
    form->addRow(tr("TLS key:"), browse(m_key, tr("TLS private key")));
    m_faktory = new FaktorySection(server, current, this);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &NetworkDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_faktory);
    layout->addWidget(m_warning);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    for (QLineEdit *edit : {m_publicUrl, m_cert, m_key})
        connect(edit, &QLineEdit::textChanged, this, &NetworkDialog::update);
    connect(m_accept, &QCheckBox::toggled, this, &NetworkDialog::update);
    update();
    resize(560, 300);
}

NetworkSettings NetworkDialog::load()
{
    QSettings s;
    NetworkSettings n;
    n.acceptRemoteWorkers = s.value(QStringLiteral("network/acceptRemoteWorkers"), false).toBool();
    n.port = quint16(s.value(QStringLiteral("network/port"), 7070).toUInt());
    n.publicUrl = s.value(QStringLiteral("network/publicUrl")).toString();
    n.tlsCertPath = s.value(QStringLiteral("network/tlsCert")).toString();
    n.tlsKeyPath = s.value(QStringLiteral("network/tlsKey")).toString();
    n.faktory = s.value(QStringLiteral("network/faktory"), false).toBool();
    n.faktoryPort = quint16(s.value(QStringLiteral("network/faktoryPort"), 7419).toUInt());
    return n;
}

void NetworkDialog::save(const NetworkSettings &n)
{
    QSettings s;
    s.setValue(QStringLiteral("network/acceptRemoteWorkers"), n.acceptRemoteWorkers);
    s.setValue(QStringLiteral("network/port"), n.port);
    s.setValue(QStringLiteral("network/publicUrl"), n.publicUrl);
    s.setValue(QStringLiteral("network/tlsCert"), n.tlsCertPath);
    s.setValue(QStringLiteral("network/tlsKey"), n.tlsKeyPath);
    s.setValue(QStringLiteral("network/faktory"), n.faktory);
    s.setValue(QStringLiteral("network/faktoryPort"), n.faktoryPort);
}

NetworkSettings NetworkDialog::settings() const
{
    NetworkSettings n;
    n.acceptRemoteWorkers = m_accept->isChecked();
    n.port = quint16(m_port->value());
    n.publicUrl = m_publicUrl->text().trimmed();
    n.tlsCertPath = m_cert->text().trimmed();
    n.tlsKeyPath = m_key->text().trimmed();
    m_faktory->apply(n);
    return n;
}

QString NetworkDialog::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

void NetworkDialog::update()
{
    const NetworkSettings n = settings();
    for (QWidget *widget : {static_cast<QWidget *>(m_publicUrl), static_cast<QWidget *>(m_cert),
                            static_cast<QWidget *>(m_key)})
        widget->setEnabled(n.acceptRemoteWorkers);
    const bool tls = !n.tlsCertPath.isEmpty() && !n.tlsKeyPath.isEmpty();
    m_warning->setText(n.acceptRemoteWorkers && !tls
                           ? tr("Without a certificate of your own, the server makes a "
                                "self-signed one and serves HTTPS; the connect commands carry "
                                "its fingerprint, which workers pin.")
                           : QString());
    m_warning->setVisible(!m_warning->text().isEmpty());
}

void NetworkDialog::accept()
{
    const NetworkSettings n = settings();
    if (n.acceptRemoteWorkers && !n.publicUrl.isEmpty()) {
        const QUrl url(n.publicUrl);
        if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https") ||
            url.host().isEmpty()) {
            m_error->setText(tr("The public URL must look like https://deck.example:7070."));
            m_error->setVisible(true);
            return;
        }
    }
    if (n.tlsCertPath.isEmpty() != n.tlsKeyPath.isEmpty()) {
        m_error->setText(tr("Give both the certificate and its key, or neither."));
        m_error->setVisible(true);
        return;
    }
    if (m_server) {
        if (const QString error = m_server->applyNetwork(n); !error.isEmpty()) {
            m_error->setText(error);
            m_error->setVisible(true);
            return;
        }
    }
    save(n);
    QDialog::accept();
}

} // namespace QueueDeck::Ui
