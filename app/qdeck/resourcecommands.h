// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

// The commands for people and scripts, one resource per file. arguments starts with the program
// name, then the command (`queue`, `task`…). Each returns its exit code or why it stopped.

#include "commanderror.h"

#include <QStringList>

namespace QueueDeck::Cli {

CommandResult<int> queueCommand(const QStringList &arguments);   // queuecommands.cpp
CommandResult<int> workersCommand(const QStringList &arguments); // workeradmincommands.cpp
// `qdeck task …`, or `qdeck dead …` when dead.
CommandResult<int> taskCommand(const QStringList &arguments, bool dead); // taskcommands.cpp
CommandResult<int> enqueueCommand(const QStringList &arguments);         // taskcommands.cpp
CommandResult<int> tokenCommand(const QStringList &arguments);           // tokencommands.cpp
CommandResult<int> serverAdminCommand(const QStringList &arguments);     // admincommands.cpp
CommandResult<int> scheduleCommand(const QStringList &arguments);        // schedulecommands.cpp
CommandResult<int> runCommand(const QStringList &arguments);             // runcommands.cpp

} // namespace QueueDeck::Cli
