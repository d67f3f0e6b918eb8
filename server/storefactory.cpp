// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "storefactory.h"

#include "intakestore.h"
#include "postgresconnection.h"
#include "postgresstore.h"
#include "sqlitestore.h"

namespace QueueDeck {

bool StoreFactory::isPostgres(const QString &location)
{
    return PostgresConnection::isPostgresUrl(location);
}

std::unique_ptr<Store> StoreFactory::create(const QString &location)
{
    if (isPostgres(location))
        return std::make_unique<PostgresStore>();
    return std::make_unique<IntakeStore>(std::make_unique<SqliteStore>());
}

} // namespace QueueDeck
