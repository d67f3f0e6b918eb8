// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/error.h"

#include <QString>
#include <QStringList>

namespace QueueDeck::Api {

struct ServerCertificate
{
    QString certificatePath; // <data-dir>/tls/server.crt (PEM)
    QString keyPath;         // <data-dir>/tls/server.key (PEM, 0600)
    QString fingerprint;     // sha256:AB:CD:… of the certificate
    bool made = false;       // a new certificate was made (first start, or the hosts changed)
};

// The certificate a server uses when it listens beyond loopback and was given none: self-signed,
// ECDSA P-256, valid for ten years, with every name in `hosts` (DNS names or IP addresses) in its
// subjectAltName. It is kept in the data directory and reused while it covers all of `hosts`;
// otherwise a new one is made (and its fingerprint changes). Made with OpenSSL's library, in
// process; the key is written readable by its owner only.
Result<ServerCertificate> prepareServerCertificate(const QString &dataDirectory,
                                                   const QStringList &hosts);

// The hosts a server's certificate should name: the public URL's host, the listen address when
// it is a specific one, this machine's host name, and the loopback names.
QStringList certificateHosts(const QString &publicUrl, const QString &listenAddress);

} // namespace QueueDeck::Api
