// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "serverdialogs.h"

#include "certificateprobe.h"
#include "faktorysection.h"
#include "queuedeckclient.h"
#include "savedtokens.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include <memory>

namespace QueueDeck::Ui {

namespace {

const QString UrlsKey = QStringLiteral("servers/urls");
const QString FingerprintsKey = QStringLiteral("servers/fingerprints");
constexpr int EmbeddedRole = Qt::UserRole + 1;

} // namespace

ServersDialog::ServersDialog(bool hasEmbedded, QWidget *parent)
    : QDialog(parent), m_list(new QListWidget(this)), m_url(new QLineEdit(this)),
      m_token(new QLineEdit(this)), m_error(new QLabel(this)),
      m_connect(new QPushButton(tr("Connect"), this))
{
    m_list->setAccessibleName(tr("Servers"));
    m_askTrust = [this](const QString &url, const QString &fingerprint) {
        return QMessageBox::question(
                   this, tr("Trust this server?"),
                   tr("%1 presents a certificate that no authority on this computer vouches "
                      "for, such as the one `qdeck serve` makes for itself.\n\nIts "
                      "fingerprint is\n%2\n\nTrust it only if it is the fingerprint the server "
                      "printed when it started (or that its connect command carries). It is "
                      "remembered with the server; a different one later is refused.")
                       .arg(url, fingerprint),
                   QMessageBox::Yes | QMessageBox::No, QMessageBox::No) == QMessageBox::Yes;
    };
    setWindowTitle(tr("Servers"));
    if (hasEmbedded) {
        auto *item = new QListWidgetItem(tr("This computer (embedded server)"), m_list);
        item->setData(EmbeddedRole, true);
    }
    for (const QString &url : remembered())
        new QListWidgetItem(url, m_list);
    m_url->setPlaceholderText(QStringLiteral("https://deck.example:7070"));
    m_token->setPlaceholderText(
        tr("qda_… (the server's admin-token file), or a qdv_… viewer token to only watch"));
    m_token->setEchoMode(QLineEdit::Password);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #d64545"));
    m_error->setVisible(false);
    auto *forgetButton = new QPushButton(tr("Forget"), this);

    // Picked by the user only (not by focus moving into the list): it fills the fields.
    connect(m_list, &QListWidget::itemClicked, this, [this](QListWidgetItem *item) {
        m_error->setVisible(false);
        if (!item || item->data(EmbeddedRole).toBool()) {
            m_url->clear();
            m_token->clear();
            return;
        }
        m_url->setText(item->text());
        m_token->clear();
        SavedTokens().read(item->text(), this, [this, url = item->text()](const QString &token) {
            if (m_url->text() == url)
                m_token->setText(token);
        });
    });
    connect(forgetButton, &QPushButton::clicked, this, [this] {
        QListWidgetItem *item = m_list->currentItem();
        if (!item || item->data(EmbeddedRole).toBool())
            return;
        forget(item->text());
        SavedTokens().remove(item->text());
        delete item;
    });
    connect(m_connect, &QPushButton::clicked, this, &ServersDialog::tryConnect);

    auto *form = new QFormLayout;
    form->addRow(tr("Server URL:"), m_url);
    form->addRow(tr("Admin or viewer token:"), m_token);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_connect, QDialogButtonBox::AcceptRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *listButtons = new QHBoxLayout;
    listButtons->addStretch(1);
    listButtons->addWidget(forgetButton);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Remembered servers:"), this));
    layout->addWidget(m_list, 1);
    layout->addLayout(listButtons);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    resize(520, 420);
}

QStringList ServersDialog::remembered()
{
    return QSettings().value(UrlsKey).toStringList();
}

void ServersDialog::remember(const QString &url)
{
    QStringList urls = remembered();
    urls.removeAll(url);
    urls.prepend(url);
    QSettings().setValue(UrlsKey, urls);
}

void ServersDialog::forget(const QString &url)
{
    QStringList urls = remembered();
    urls.removeAll(url);
    QSettings().setValue(UrlsKey, urls);
    rememberFingerprint(url, {});
}

QString ServersDialog::rememberedFingerprint(const QString &url)
{
    return QSettings().value(FingerprintsKey).toMap().value(url).toString();
}

void ServersDialog::rememberFingerprint(const QString &url, const QString &fingerprint)
{
    QSettings settings;
    QVariantMap fingerprints = settings.value(FingerprintsKey).toMap();
    if (fingerprint.isEmpty())
        fingerprints.remove(url);
    else
        fingerprints.insert(url, fingerprint);
    settings.setValue(FingerprintsKey, fingerprints);
}

QString ServersDialog::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

void ServersDialog::showError(const QString &message)
{
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
}

void ServersDialog::tryConnect()
{
    // What is typed wins; an empty URL with this computer chosen means the embedded server.
    if (QListWidgetItem *item = m_list->currentItem();
        m_url->text().trimmed().isEmpty() && item && item->data(EmbeddedRole).toBool()) {
        Q_EMIT embeddedChosen();
        QDialog::accept();
        return;
    }
    const QUrl url = QUrl::fromUserInput(m_url->text().trimmed());
    if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https") ||
        url.host().isEmpty())
        return showError(tr("Type the server's URL, e.g. https://deck.example:7070."));
    const QString token = m_token->text().trimmed();
    if (!token.startsWith(u"qda_") && !token.startsWith(u"qdv_"))
        return showError(tr("Paste the server's admin token (it starts with qda_; `qdeck token "
                            "show` prints it on the server), or a viewer token (qdv_) to watch "
                            "without changing anything."));
    showError({});
    const QString key = url.toString(QUrl::StripTrailingSlash);
    const QString pinned = rememberedFingerprint(key);
    if (url.scheme() != u"https" || !pinned.isEmpty())
        return connectWith(url, token, pinned);
    // First contact over https: look at the certificate before any token goes out.
    m_connect->setEnabled(false);
    Client::probeServerCertificate(url).then(
        this, [this, url, token](const Result<Client::ServerCertificateInfo> &probe) {
            m_connect->setEnabled(true);
            if (!probe)
                return showError(probe.error().message);
            if (probe->trustedBySystem)
                return connectWith(url, token, {});
            if (!m_askTrust(url.toString(), probe->fingerprint))
                return showError(tr("Not connected: the certificate of %1 (%2) was not trusted.")
                                     .arg(url.toString(), probe->fingerprint));
            connectWith(url, token, probe->fingerprint);
        });
}

void ServersDialog::connectWith(const QUrl &url, const QString &token, const QString &fingerprint)
{
    m_connect->setEnabled(false);
    // Ask the server something before switching to it, so a typo is caught here.
    Client::ClientOptions options{url, token};
    options.serverFingerprint = fingerprint;
    options.retries = 0;
    auto client = std::make_shared<Client::QueueDeckClient>(options);
    client->dashboard().then(
        this, [this, client, url, token, fingerprint](const Result<DashboardSnapshot> &answer) {
            m_connect->setEnabled(true);
            const QString key = url.toString(QUrl::StripTrailingSlash);
            if (!answer && answer.error().details.value(QStringLiteral("reason")).toString() ==
                               u"tls_certificate_refused")
                return showError(
                    tr("Refused: the certificate of %1 is not the one trusted before (%2). If "
                       "the server made a new certificate on purpose, Forget the server and "
                       "connect again to check its new fingerprint.")
                        .arg(url.toString(), answer.error().message));
            if (!answer)
                return showError(tr("%1 answered: %2").arg(url.toString(), answer.error().message));
            remember(key);
            rememberFingerprint(key, fingerprint);
            ServerTarget target{url, token, false};
            target.fingerprint = fingerprint;
            Q_EMIT chosen(target);
            // Kept for next time; if it cannot be, the dialog stays open to say so.
            SavedTokens().write(key, token, this, [this](const QString &, const QString &error) {
                if (error.isEmpty())
                    return QDialog::accept();
                showError(
                    tr("Connected, but the token could not be kept for next time: %1").arg(error));
            });
        });
}

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
