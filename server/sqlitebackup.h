// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "storebackup.h"

#include <QString>

#include <memory>

struct sqlite3;
struct sqlite3_backup;

namespace QueueDeck {

// SQLite's online backup from the store's own connection into a new file. Pages the store's
// connection writes between steps are copied again, so endless writes never restart the copy.
class SqliteBackup final : public StoreBackup
{
    Q_DISABLE_COPY_MOVE(SqliteBackup)
public:
    // source: the store's connection, which must outlive the backup.
    static Result<std::unique_ptr<SqliteBackup>> start(sqlite3 *source, const QString &path);
    ~SqliteBackup() override;

    Result<bool> step(int pages) override;
    qint64 pagesDone() const override { return m_pagesDone; }
    qint64 pagesTotal() const override { return m_pagesTotal; }

    // Copies the database at `from` (a backup, possibly with its -wal) into a new database at
    // `to` with the same online backup, in one go.
    static Result<void> copyFile(const QString &from, const QString &to);
    // Replaces the database at databasePath (kept beside it as <name>.before-restore-<time>,
    // with its log) by a copy of the backup at from, once SqliteSchema::inspect() accepted it.
    // No server may have the database open.
    static Result<void> restore(const QString &from, const QString &databasePath);

private:
    SqliteBackup(sqlite3 *destination, sqlite3_backup *backup, QString path);
    std::unexpected<Error> failure(const char *what) const;

    sqlite3 *m_destination = nullptr;
    sqlite3_backup *m_backup = nullptr;
    QString m_path;
    qint64 m_pagesDone = 0;
    qint64 m_pagesTotal = 0;
    bool m_done = false;
};

} // namespace QueueDeck
