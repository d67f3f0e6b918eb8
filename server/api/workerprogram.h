// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

namespace QueueDeck::Api {

// What a connect command handed out by a server in this process should call to start a worker
// (ApiOptions::workerProgram): empty when `qdeck` is found on the PATH, where the command finds
// it too; otherwise the absolute path of the qdeck in `directory` (the desktop app passes its own
// directory: scripts/dev.sh builds qdeck beside it), or empty when there is none there either.
QString workerProgramBeside(const QString &directory);

} // namespace QueueDeck::Api
