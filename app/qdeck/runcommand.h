// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QStringList>

namespace QueueDeck::Cli {

// `qdeck run show|cancel RUN_ID` for operators and scripts, and `qdeck run child` for handlers:
// it enqueues a child of the task the handler runs with the child token its worker agent put in
// QUEUEDECK_CHILD_TOKEN (docs/runs.md). arguments starts with the program name.
int runCommand(const QStringList &arguments);

} // namespace QueueDeck::Cli
