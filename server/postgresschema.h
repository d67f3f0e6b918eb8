// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/error.h"

namespace QueueDeck {

class PostgresConnection;
class TokenCipher;

// The PostgreSQL schema and its versioned migrations. Each applied version is a row of
// queuedeck_migrations; every node runs migrate() at start under one transaction-scoped advisory
// lock, so nodes that start together migrate once: the first applies the steps, the others wait
// for its commit and find nothing left to do.
class PostgresSchema final
{
public:
    static constexpr int Version = 7;
    // The advisory lock's key ("QDMIGRAT" as 8 bytes).
    static constexpr qint64 MigrationLock = 0x5144'4D49'4752'4154;
    // The session advisory lock a server holds on its database ("QDSERVER").
    static constexpr qint64 ServerLock = 0x5144'5345'5256'4552;

    // Brings the database to Version; refuses a database of a newer version, and a node whose
    // cluster key is not the one the database's secrets are sealed with.
    static Result<void> migrate(PostgresConnection &connection, const TokenCipher &cipher);
};

} // namespace QueueDeck
