// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "serversdialog.h"

#include "certificateprobe.h"
#include "queuedeckclient.h"
#include "savedtokens.h"

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

} // namespace QueueDeck::Ui
