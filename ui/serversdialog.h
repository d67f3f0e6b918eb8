// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "servertarget.h"

#include <QDialog>

#include <functional>

class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace QueueDeck::Ui {

// Which server the window manages: this computer's embedded one, or a remembered or new remote
// `qdeck serve` (URL and an admin or viewer token). Connect tries the server first and says what
// is wrong. An https server whose certificate no system authority vouches for is shown by its
// fingerprint on first contact and trusted only when the user says so; the fingerprint is
// remembered with the server, and a server that later presents another one is refused.
class ServersDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServersDialog)
public:
    ServersDialog(bool hasEmbedded, QWidget *parent = nullptr);

    // The remembered remote servers (QSettings "servers/urls").
    static QStringList remembered();
    static void remember(const QString &url);
    static void forget(const QString &url);
    // The certificate fingerprint trusted for a server (QSettings "servers/fingerprints").
    static QString rememberedFingerprint(const QString &url);
    static void rememberFingerprint(const QString &url, const QString &fingerprint);

    // Asks whether to trust a certificate (url, fingerprint); a message box unless replaced.
    using TrustQuestion = std::function<bool(const QString &, const QString &)>;
    void setTrustQuestion(TrustQuestion question) { m_askTrust = std::move(question); }
    QString errorText() const;

Q_SIGNALS:
    void chosen(const QueueDeck::Ui::ServerTarget &target);
    void embeddedChosen();

private:
    void tryConnect();
    // Connects to url with token, pinning fingerprint when it is not empty.
    void connectWith(const QUrl &url, const QString &token, const QString &fingerprint);
    void showError(const QString &message);

    TrustQuestion m_askTrust;
    QListWidget *m_list;
    QLineEdit *m_url;
    QLineEdit *m_token;
    QLabel *m_error;
    QPushButton *m_connect;
};

} // namespace QueueDeck::Ui
