// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/error.h"

#include <QHostAddress>
#include <QString>

#include <memory>

namespace QueueDeck {
class Engine;
namespace Faktory {
class FaktoryServer;
}
} // namespace QueueDeck

namespace QueueDeck::Cli {

// What `qdeck serve` was told about the Faktory listener (flags or the config file).
struct FaktoryListenerSettings
{
    QString listen; // host:port
    QString environment = QStringLiteral("default");
    QString dataDirectory;
    bool noPassword = false; // loopback only
    bool allowFlush = false;
    bool rotatePassword = false;
    QString certificatePath; // both set: TLS, clients use tcp+tls://
    QString keyPath;
};

struct FaktoryListener
{
    std::unique_ptr<Faktory::FaktoryServer> server;
    quint16 port = 0;
    QString passwordPath; // empty when the listener takes no password
};

// The address and port of --faktory-listen host:port.
Result<std::pair<QHostAddress, quint16>> faktoryListenAddress(const QString &listen);

// Starts the Faktory listener on the engine's thread. Its password is kept in the store (made on
// first use, new with rotatePassword) and written to <data-dir>/faktory-password (0600) for the
// operator to read.
Result<FaktoryListener> startFaktoryListener(Engine &engine,
                                             const FaktoryListenerSettings &settings);

} // namespace QueueDeck::Cli
