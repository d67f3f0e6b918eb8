// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "faktorylistener.h"

#include "engine.h"
#include "faktoryserver.h"

namespace QueueDeck::Cli {

Result<std::pair<QHostAddress, quint16>> faktoryListenAddress(const QString &listen)
{
    const qsizetype colon = listen.lastIndexOf(u':');
    bool portOk = false;
    const uint port = colon > 0 ? listen.mid(colon + 1).toUInt(&portOk) : 0;
    QString host = colon > 0 ? listen.left(colon) : QString();
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    const QHostAddress address(host);
    if (!portOk || port > 65535 || address.isNull())
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("--faktory-listen must be an address and port like "
                                        "127.0.0.1:7419 (got %1)")
                             .arg(listen));
    return std::pair{address, quint16(port)};
}

Result<FaktoryListener> startFaktoryListener(Engine &engine,
                                             const FaktoryListenerSettings &settings)
{
    Faktory::FaktoryOptions options;
    auto address = faktoryListenAddress(settings.listen);
    if (!address)
        return std::unexpected(address.error());
    options.address = address->first;
    const uint port = address->second;
    options.port = quint16(port);
    options.certificatePath = settings.certificatePath;
    options.keyPath = settings.keyPath;
    options.environment = settings.environment;
    options.allowFlush = settings.allowFlush;
    if (settings.noPassword && !options.address.isLoopback())
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("--faktory-no-password is for loopback only: a Faktory "
                                        "listener on %1 needs its password")
                             .arg(settings.listen));

    FaktoryListener out;
    if (!settings.noPassword) {
        auto password = engine.faktoryPassword(settings.rotatePassword).result();
        if (!password)
            return std::unexpected(password.error());
        options.requirePassword = true;
        auto written = Faktory::FaktoryServer::writePasswordFile(settings.dataDirectory, *password);
        if (!written)
            return std::unexpected(written.error());
        out.passwordPath = *written;
    }
    out.server = std::make_unique<Faktory::FaktoryServer>(engine, options);
    if (const QString error = out.server->start(); !error.isEmpty())
        return makeError(ErrorCode::Unavailable, error);
    out.port = out.server->port();
    return out;
}

} // namespace QueueDeck::Cli
