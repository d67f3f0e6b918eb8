// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QStringList>

class QCoreApplication;

namespace QueueDeck::Cli {

// `qdeck worker start …`: runs a worker until SIGTERM or SIGINT (see WorkerAgent).
int worker(QCoreApplication &app, const QStringList &arguments);

} // namespace QueueDeck::Cli
