// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "walcheckpointer.h"

#include <QLoggingCategory>
#include <QThread>

#include <sqlite3.h>

Q_LOGGING_CATEGORY(lcCheckpoint, "queuedeck.store.checkpoint")

namespace QueueDeck {

Result<std::unique_ptr<WalCheckpointer>> WalCheckpointer::start(const QString &path)
{
    sqlite3 *db = nullptr;
    const QByteArray utf8 = path.toUtf8();
    if (sqlite3_open_v2(utf8.constData(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
        const QString detail = QString::fromUtf8(sqlite3_errmsg(db));
        sqlite3_close(db);
        return makeError(
            ErrorCode::Unavailable,
            QStringLiteral("the checkpointer could not open %1: %2").arg(path, detail));
    }
    sqlite3_busy_timeout(db, 1000);
    std::unique_ptr<WalCheckpointer> checkpointer(new WalCheckpointer(db));
    // A connection learns that the database is in WAL mode only when it first reads it: until
    // then sqlite3_wal_checkpoint_v2() does nothing and answers SQLITE_OK with -1 frames.
    if (auto read = checkpointer->readSchema(); !read)
        return std::unexpected(read.error());
    checkpointer->m_thread.reset(QThread::create([raw = checkpointer.get()] { raw->run(); }));
    checkpointer->m_thread->setObjectName(QStringLiteral("queuedeck-checkpoint"));
    checkpointer->m_thread->start();
    return checkpointer;
}

WalCheckpointer::WalCheckpointer(sqlite3 *db) : m_db(db) {}

WalCheckpointer::~WalCheckpointer()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_one();
    if (m_thread)
        m_thread->wait();
    sqlite3_close(m_db);
}

Result<void> WalCheckpointer::readSchema()
{
    char *message = nullptr;
    if (sqlite3_exec(m_db, "SELECT count(*) FROM sqlite_schema", nullptr, nullptr, &message) !=
        SQLITE_OK) {
        const QString detail = QString::fromUtf8(message ? message : sqlite3_errmsg(m_db));
        sqlite3_free(message);
        return makeError(
            ErrorCode::Unavailable,
            QStringLiteral("the checkpointer could not read the database: %1").arg(detail));
    }
    return {};
}

void WalCheckpointer::notePages(int pages)
{
    m_pages.store(pages, std::memory_order_relaxed);
    // Woken once per WakeEveryPages new pages (the log restarts from 0 after a full checkpoint):
    // waking the thread at every commit costs the writer more than the checkpoints do.
    if (pages < m_wakeAt - WakeEveryPages)
        m_wakeAt = WakeEveryPages;
    if (pages >= m_wakeAt) {
        m_wakeAt = pages + WakeEveryPages;
        m_wake.notify_one();
    }
}

WalCheckpointer::Stats WalCheckpointer::stats() const
{
    return Stats{m_checkpoints.load(), m_framesCopied.load(), m_failures.load(),
                 m_lastLogFrames.load(), m_lastCopiedFrames.load()};
}

void WalCheckpointer::run()
{
    std::unique_lock lock(m_mutex);
    int pagesAtLastLook = 0;
    while (!m_stopping) {
        const bool woken =
            m_wake.wait_for(lock, std::chrono::milliseconds(500)) == std::cv_status::no_timeout;
        const int pages = m_pages.load(std::memory_order_relaxed);
        // Between wake-ups, only a writer that has gone quiet is checkpointed: each checkpoint
        // syncs the files, and a commit that meanwhile writes to a page under writeback waits
        // for the disk.
        const bool quiet = pages == pagesAtLastLook;
        pagesAtLastLook = pages;
        if (m_stopping || pages == 0 || pages == m_copiedThrough || (!woken && !quiet))
            continue;
        lock.unlock();
        checkpoint();
        lock.lock();
    }
}

void WalCheckpointer::checkpoint()
{
    int logFrames = 0;
    int copiedFrames = 0;
    const int rc = sqlite3_wal_checkpoint_v2(m_db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &logFrames,
                                             &copiedFrames);
    if (rc == SQLITE_BUSY) // another checkpoint (the writer's) runs: try at the next wake-up
        return;
    if (rc != SQLITE_OK) {
        // Repeated while the disk is full or failing: said once per streak of failures.
        m_failures.fetch_add(1);
        if (!m_failing)
            qCWarning(lcCheckpoint) << "checkpoint failed:" << sqlite3_errmsg(m_db);
        m_failing = true;
        return;
    }
    if (m_failing)
        qCInfo(lcCheckpoint) << "checkpoints work again";
    m_failing = false;
    if (logFrames < 0) {
        // Not (or no longer) a WAL database for this connection: nothing was done. Reading the
        // database again lets the connection open the log.
        if (!m_warnedNotWal) {
            m_warnedNotWal = true;
            qCWarning(lcCheckpoint) << "the checkpointer's connection sees no write-ahead log; "
                                       "reading the database again";
        }
        if (auto read = readSchema(); !read)
            qCWarning(lcCheckpoint) << read.error().message;
        return;
    }
    const int previousLog = m_lastLogFrames.load();
    const int previousCopied = m_lastCopiedFrames.load();
    // copiedFrames counts every frame of the log copied so far, by any checkpoint.
    const bool sameLog =
        previousLog >= 0 && logFrames >= previousLog && copiedFrames >= previousCopied;
    m_framesCopied.fetch_add(sameLog ? copiedFrames - previousCopied : copiedFrames);
    m_checkpoints.fetch_add(1);
    m_lastLogFrames.store(logFrames);
    m_lastCopiedFrames.store(copiedFrames);
    if (logFrames == copiedFrames)
        m_copiedThrough = logFrames;
}

} // namespace QueueDeck
