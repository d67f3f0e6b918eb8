// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QtGlobal>

namespace QueueDeck {

// A SQLite VFS layered over another one, that hands a write-ahead log's frames to the kernel
// together. SQLite writes each frame of a commit with two writes, its 24-byte header and then the
// page; this layer keeps a log's consecutive writes and writes them with one call when the frame
// that commits has been written, and before anything reads, syncs, sizes, truncates or closes the
// log. A write that fails there fails the commit, as a failed frame write would. The database file
// and every other file pass through untouched.
class SqliteLogVfs final
{
public:
    // The name of the layer over the process's current default VFS (registered on first use, not
    // as the default), for a URI's vfs= parameter; empty if SQLite refused to register it.
    static QByteArray nameOverDefault();

    // Counts over every log opened through a layer in this process.
    struct Counts
    {
        qint64 gathered = 0;    // writes SQLite made to a log
        qint64 written = 0;     // writes the layer made to the file below
        qint64 lateFlushes = 0; // flushes left for the end of a commit (the commit frame unseen)
    };
    static Counts counts();
};

} // namespace QueueDeck
