// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/error.h"

namespace QueueDeck {

// A consistent copy of a store being written into a file in steps (Store::startBackup), so that
// the store's thread goes on serving between them. Writes the store takes meanwhile are in the
// copy when it completes.
//
// Thread affinity: the store's thread, like the store; it must end before the store closes.
class StoreBackup
{
public:
    virtual ~StoreBackup() = default;

    // Copies up to `pages` more pages; true once the copy is complete and synced to disk.
    virtual Result<bool> step(int pages) = 0;
    virtual qint64 pagesDone() const = 0;
    virtual qint64 pagesTotal() const = 0;
};

} // namespace QueueDeck
