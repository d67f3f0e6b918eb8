// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/error.h"

#include <QString>
#include <QUrl>

namespace QueueDeck::Ui {

// How the embedded server listens: loopback only, or the network with a public URL.
struct NetworkSettings
{
    bool acceptRemoteWorkers = false;
    quint16 port = 7070;
    QString publicUrl;   // what connect commands advertise; empty: http(s)://<host name>:<port>
    QString tlsCertPath; // both set: HTTPS
    QString tlsKeyPath;
    // Faktory's work protocol beside the API (docs/faktory.md): on the API's interfaces, always
    // with its password, over TLS whenever the API serves HTTPS.
    bool faktory = false;
    quint16 faktoryPort = 7419;
};

// The server this process embeds, as the window sees it (the app implements it; the window
// never touches the server itself).
class EmbeddedServer
{
public:
    virtual ~EmbeddedServer() = default;
    virtual QUrl url() const = 0;
    virtual QString adminToken() const = 0;
    // Listens again as told; an error says what to change.
    virtual QString applyNetwork(const NetworkSettings &settings) = 0;
    virtual NetworkSettings network() const = 0;
    // A plain warning when it listens beyond loopback without TLS, else empty.
    virtual QString securityWarning() const = 0;
    // The Faktory listener's URL without its password (tcp://host:port or tcp+tls://…), empty
    // when it is off; its password; a new password (the old one is refused from then on).
    virtual QString faktoryUrl() const = 0;
    virtual Result<QString> faktoryPassword() = 0;
    virtual Result<QString> rotateFaktoryPassword() = 0;
};

} // namespace QueueDeck::Ui
