// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/error.h"

#include <QString>
#include <QtGlobal>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>

struct sqlite3;
class QThread;

namespace QueueDeck {

// Copies the write-ahead log of a SQLite database into the database file on a thread and
// connection of its own (PASSIVE checkpoints), so the writer's commits never copy pages
// themselves. The writer reports the log's size after each commit with notePages(); the
// checkpointer runs once per WakeEveryPages new pages, and once more when the writer has gone
// quiet. A PASSIVE checkpoint never blocks the writer; under endless writes it copies all but the
// frames committed while it ran, so the log itself only restarts after a checkpoint that left
// nothing behind (the store does that one on the writer's connection, see SqliteStore).
//
// Thread affinity: created and destroyed on the writer's thread; notePages() from the writer's
// thread only; stats() from any thread.
class WalCheckpointer final
{
    Q_DISABLE_COPY_MOVE(WalCheckpointer)
public:
    // What the checkpointer did, for tests and benchmarks.
    struct Stats
    {
        qint64 checkpoints = 0;  // PASSIVE checkpoints that ran to the end (SQLITE_OK)
        qint64 framesCopied = 0; // frames copied into the database file by those checkpoints
        qint64 failures = 0;     // checkpoints that failed (SQLITE_BUSY excluded)
        int lastLogFrames = 0;   // frames in the log at the last checkpoint
        int lastCopiedFrames = 0;
    };

    static constexpr int WakeEveryPages = 1024;

    // Opens a second connection to the database at path and starts the thread. The database must
    // already be in WAL mode.
    static Result<std::unique_ptr<WalCheckpointer>> start(const QString &path);
    ~WalCheckpointer();

    // The log holds `pages` frames after the writer's last commit.
    void notePages(int pages);
    Stats stats() const;

private:
    explicit WalCheckpointer(sqlite3 *db);
    Result<void> readSchema();
    void run();
    void checkpoint();

    sqlite3 *m_db = nullptr; // the checkpointer thread's, once started
    std::unique_ptr<QThread> m_thread;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::atomic<int> m_pages{0};
    int m_wakeAt = WakeEveryPages; // the writer's thread only
    bool m_stopping = false;       // under m_mutex
    int m_copiedThrough = 0;       // the checkpointer thread only: log size when last all copied
    bool m_warnedNotWal = false;   // the checkpointer thread only
    bool m_failing = false;        // the checkpointer thread only

    std::atomic<qint64> m_checkpoints{0};
    std::atomic<qint64> m_framesCopied{0};
    std::atomic<qint64> m_failures{0};
    std::atomic<int> m_lastLogFrames{0};
    std::atomic<int> m_lastCopiedFrames{0};
};

} // namespace QueueDeck
