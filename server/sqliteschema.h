// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/error.h"

#include <QString>

struct sqlite3;

namespace QueueDeck {

// The tables of the SQLite store and their versions (PRAGMA user_version): each release that
// changes them adds a step, and an older database is brought up to date when it opens.
// tests/data holds databases of earlier versions that every release is tested against.
class SqliteSchema final
{
public:
    static constexpr int Version = 6;

    // Brings the database up to Version in one transaction; refuses a newer one.
    static Result<void> migrate(sqlite3 *db);
    // Checks that the file at path is a sound QueueDeck database of Version or older (a backup
    // to start from); returns its version. Opens it read-only.
    static Result<int> inspect(const QString &path);
};

} // namespace QueueDeck
