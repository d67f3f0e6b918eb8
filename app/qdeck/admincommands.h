// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QStringList>

namespace QueueDeck::Cli {

// The commands for people and scripts: `qdeck enqueue`, `qdeck queue …`, `qdeck worker
// list|drain|remove`, `qdeck task …`, `qdeck dead …`, `qdeck token …`, `qdeck schedule …`,
// `qdeck run …`, `qdeck admin …`. arguments starts with the
// program name. Readable tables by default, JSON with --json.
int admin(const QStringList &arguments);

// Whether arguments[1] names one of these commands.
bool isAdminCommand(const QStringList &arguments);

} // namespace QueueDeck::Cli
