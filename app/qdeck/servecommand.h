// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QStringList>

class QCoreApplication;

namespace QueueDeck::Cli {

// `qdeck serve`: runs the queue server and its HTTP API until SIGTERM or SIGINT.
int serve(QCoreApplication &app, const QStringList &arguments);

} // namespace QueueDeck::Cli
