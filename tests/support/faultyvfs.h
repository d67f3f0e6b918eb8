// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

// Test support: a SQLite VFS over the default one whose writes fail on command, to test what the
// server does when the disk is full or failing. Installed as the process's default VFS, so every
// connection opened afterwards (Qt SQL's included) goes through it.

#include <QtGlobal>

namespace QueueDeck::Testing {

class FaultyVfs final
{
public:
    enum class Fault {
        None,
        Full,    // writes fail with SQLITE_FULL, as on a full disk
        IoError, // writes fail with SQLITE_IOERR_WRITE, as on a failing disk
        // Writes reach the file and still report SQLITE_IOERR_WRITE (an error on the last block
        // of a write), and truncation fails: what a failed write leaves behind stays.
        WrittenThenIoError,
    };

    // Which files a fault touches.
    enum class Files {
        All,
        IntakeLog, // only the intake log beside a database (named …-intake)
    };

    // Registers the VFS as the default, once per process. False when SQLite refused it.
    static bool install();
    // From now on (any thread), writes and file growth of those files fail this way, or succeed
    // again.
    static void setFault(Fault fault, Files files = Files::All);
    // How many writes were refused so far.
    static qint64 refusedWrites();
};

} // namespace QueueDeck::Testing
