// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "faktorylistener.h"

#include "engine.h"
#include "faktoryserver.h"

#include <QDir>
#include <QFile>

namespace QueueDeck::Cli {

namespace {

Result<void> writeSecretFile(const QString &path, const QString &secret)
{
    QFile::remove(path);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly) ||
        !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner) ||
        file.write(secret.toUtf8() + '\n') < 0)
        return makeError(ErrorCode::Internal,
                         QStringLiteral("cannot write the Faktory password to %1: %2")
                             .arg(path, file.errorString()));
    return {};
}

} // namespace

Result<FaktoryListener> startFaktoryListener(Engine &engine,
                                             const FaktoryListenerSettings &settings)
{
    Faktory::FaktoryOptions options;
    const qsizetype colon = settings.listen.lastIndexOf(u':');
    bool portOk = false;
    const uint port = colon > 0 ? settings.listen.mid(colon + 1).toUInt(&portOk) : 0;
    QString host = colon > 0 ? settings.listen.left(colon) : QString();
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    options.address = QHostAddress(host);
    if (!portOk || port > 65535 || options.address.isNull())
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("--faktory-listen must be an address and port like "
                                        "127.0.0.1:7419 (got %1)")
                             .arg(settings.listen));
    options.port = quint16(port);
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
        options.password = *password;
        out.passwordPath =
            QDir(settings.dataDirectory).filePath(QStringLiteral("faktory-password"));
        if (auto written = writeSecretFile(out.passwordPath, *password); !written)
            return std::unexpected(written.error());
    }
    // The environment must exist; queues in it are made on demand.
    auto environments = engine.listEnvironments().result();
    if (!environments)
        return std::unexpected(environments.error());
    const bool known = std::any_of(environments->cbegin(), environments->cend(),
                                   [&](const EnvironmentInfo &environment) {
                                       return environment.name == options.environment;
                                   });
    if (!known) {
        EnvironmentInfo environment;
        environment.name = options.environment;
        environment.description = QStringLiteral("Faktory queues");
        if (auto made = engine.createEnvironment(environment).result(); !made)
            return std::unexpected(made.error());
    }
    out.server = std::make_unique<Faktory::FaktoryServer>(engine, options);
    if (const QString error = out.server->start(); !error.isEmpty())
        return makeError(ErrorCode::Unavailable, error);
    out.port = out.server->port();
    return out;
}

} // namespace QueueDeck::Cli
