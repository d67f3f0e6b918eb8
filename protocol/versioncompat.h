// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "error.h"

#include <QString>

#include <optional>

namespace QueueDeck {

// Which worker agents (`qdeck worker start`) a server works with, by their version numbers
// (the `version` of POST /workers/register, `qdeck --version`; the server's is GET /version).
//
// An agent is accepted from OldestAgentVersion up to the server's own major.minor (any patch):
// a newer minor may use what this server does not have, and agents older than the oldest lack
// what it requires. A registration without a version, or whose version does not start with a
// number (a client of the seed API, the Python example), is not a qdeck agent and is accepted.
class VersionCompat final
{
public:
    // Raised when the worker protocol changes so that older agents stop working.
    static constexpr const char *OldestAgentVersion = "0.1.0";

    // Nothing when the agent fits; else a FAILED_PRECONDITION whose message says which side to
    // upgrade, with details {reason: "version", agent_version, server_version, upgrade:
    // "agent" | "server", oldest_agent_version}.
    static std::optional<Error> checkAgent(const QString &agentVersion,
                                           const QString &serverVersion);
    // The newest agent version this server accepts, as a range text: "0.1.x".
    static QString newestAgentVersion(const QString &serverVersion);
};

} // namespace QueueDeck
