// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/error.h"

#include <QFuture>
#include <QUrl>

namespace QueueDeck::Client {

// What an https server presents, learnt from one handshake that sends nothing.
struct ServerCertificateInfo
{
    QString fingerprint;          // sha256:AB:CD:… of its certificate
    bool trustedBySystem = false; // a system authority vouches for it, for that host name
};

// Connects once to an https server to learn its certificate, so that a user can be asked whether
// to trust a self-signed one before any token is sent to it. Runs on the calling thread's event
// loop; the future finishes there. An unreachable server is UNAVAILABLE.
QFuture<Result<ServerCertificateInfo>> probeServerCertificate(const QUrl &server,
                                                              int timeoutMs = 10'000);

} // namespace QueueDeck::Client
