// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "store.h"

#include <memory>

namespace QueueDeck {

// Which store serves a database location: a postgresql:// (or postgres://) URL opens a
// PostgresStore, anything else is the path of a SQLite file, with an intake log in front of its
// task inserts (IntakeStore).
class StoreFactory final
{
public:
    static std::unique_ptr<Store> create(const QString &location);
    static bool isPostgres(const QString &location);
};

} // namespace QueueDeck
