// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "versioncompat.h"

#include <QVersionNumber>

namespace QueueDeck {

namespace {

QVersionNumber majorMinor(const QVersionNumber &version)
{
    return QVersionNumber(version.majorVersion(), version.minorVersion());
}

} // namespace

QString VersionCompat::newestAgentVersion(const QString &serverVersion)
{
    const QVersionNumber server = QVersionNumber::fromString(serverVersion);
    return QStringLiteral("%1.%2.x").arg(server.majorVersion()).arg(server.minorVersion());
}

std::optional<Error> VersionCompat::checkAgent(const QString &agentVersion,
                                               const QString &serverVersion)
{
    const QVersionNumber agent = QVersionNumber::fromString(agentVersion);
    const QVersionNumber server = QVersionNumber::fromString(serverVersion);
    if (agent.isNull() || server.isNull())
        return std::nullopt;
    const QVersionNumber oldest = QVersionNumber::fromString(QLatin1StringView(OldestAgentVersion));
    QString upgrade;
    QString message;
    if (agent < oldest) {
        upgrade = QStringLiteral("agent");
        message = QStringLiteral("this worker's qdeck %1 is older than the server (%2) accepts "
                                 "(%3 to %4); upgrade qdeck on the worker's machine")
                      .arg(agentVersion, serverVersion, QLatin1StringView(OldestAgentVersion),
                           newestAgentVersion(serverVersion));
    } else if (majorMinor(agent) > majorMinor(server)) {
        upgrade = QStringLiteral("server");
        message = QStringLiteral("this worker's qdeck %1 is newer than the server %2 can "
                                 "handle (%3 to %4); upgrade the server (qdeck serve) to %5.%6 "
                                 "or newer, or run an older qdeck on the worker")
                      .arg(agentVersion, serverVersion, QLatin1StringView(OldestAgentVersion),
                           newestAgentVersion(serverVersion))
                      .arg(agent.majorVersion())
                      .arg(agent.minorVersion());
    } else {
        return std::nullopt;
    }
    return Error{
        ErrorCode::FailedPrecondition, message,
        QJsonObject{{QStringLiteral("reason"), QStringLiteral("version")},
                    {QStringLiteral("agent_version"), agentVersion},
                    {QStringLiteral("server_version"), serverVersion},
                    {QStringLiteral("oldest_agent_version"), QLatin1StringView(OldestAgentVersion)},
                    {QStringLiteral("newest_agent_version"), newestAgentVersion(serverVersion)},
                    {QStringLiteral("upgrade"), upgrade}}};
}

} // namespace QueueDeck
