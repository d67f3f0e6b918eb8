// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QStringList>

namespace QueueDeck::Cli {

// `qdeck schedule create|list|show|pause|resume|trigger|backfill|delete|preview`: schedules
// (docs/schedules.md) through /api/v1/schedules. arguments starts with the program name.
// Readable text by default, JSON with --json. Exit codes as the other commands: 0, 1 refused,
// 64 usage, 69 server unreachable.
class ScheduleCommand final
{
public:
    static int run(const QStringList &arguments);
};

} // namespace QueueDeck::Cli
