// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/error.h"

#include <QMap>
#include <QString>

namespace QueueDeck::Cli {

// The join tokens of `qdeck worker start --token-file FILE` (design §7): one `QUEUE_ID TOKEN` per
// line, `#` starts a comment, blank lines are skipped; a line holding only a token gives the token
// for every queue without a line of its own (the single-queue form). The file must not be
// readable by group or others: it holds secrets.
struct TokenFile
{
    QString defaultToken;
    QMap<QString, QString> byQueue;

    static Result<TokenFile> read(const QString &path);
};

} // namespace QueueDeck::Cli
