// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QUrl>

namespace QueueDeck::Ui {

// A server the window manages: the embedded one, or a remote `qdeck serve`.
struct ServerTarget
{
    QUrl url;
    QString token;
    bool embedded = false;
    bool verifyTls = true; // off for the embedded server over loopback: it is this process
    QString fingerprint;   // the server's certificate, pinned; empty: the system's authorities
    // A viewer token reads everything and changes nothing: the window disables every action.
    bool readOnly() const { return token.startsWith(QStringLiteral("qdv_")); }
};

} // namespace QueueDeck::Ui
