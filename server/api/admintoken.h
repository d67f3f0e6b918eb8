// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/error.h"

#include <QString>

namespace QueueDeck {
class Engine;
}

namespace QueueDeck::Api {

struct AdminToken
{
    QString token;        // the plain token, for a client of this process
    QString path;         // <data-dir>/admin-token
    bool written = false; // a new token was made (first start, or reset)
};

// The server keeps only the admin token's hash; the token itself lives in <data-dir>/admin-token,
// readable by its owner only. Makes one at the first start or when reset is asked for.
Result<AdminToken> prepareAdminToken(Engine &engine, const QString &dataDirectory, bool reset);

} // namespace QueueDeck::Api
