// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "sqlitebackup.h"

#include "sqliteschema.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>

#include <sqlite3.h>

Q_LOGGING_CATEGORY(lcBackupFile, "queuedeck.store.backup", QtInfoMsg) // debug: on request

namespace QueueDeck {

namespace {

std::unexpected<Error> openFailure(sqlite3 *db, const QString &path)
{
    const QString detail = QString::fromUtf8(db ? sqlite3_errmsg(db) : "out of memory");
    sqlite3_close(db);
    return makeError(ErrorCode::Unavailable,
                     QStringLiteral("cannot write the backup %1: %2").arg(path, detail));
}

} // namespace

Result<std::unique_ptr<SqliteBackup>> SqliteBackup::start(sqlite3 *source, const QString &path)
{
    sqlite3 *destination = nullptr;
    const QByteArray utf8 = path.toUtf8();
    if (sqlite3_open_v2(utf8.constData(), &destination, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                        nullptr) != SQLITE_OK)
        return openFailure(destination, path);
    // The copy is synced when it completes, so a backup that says it is done is on disk.
    sqlite3_exec(destination, "PRAGMA synchronous=FULL", nullptr, nullptr, nullptr);
    sqlite3_backup *backup = sqlite3_backup_init(destination, "main", source, "main");
    if (!backup)
        return openFailure(destination, path);
    return std::unique_ptr<SqliteBackup>(new SqliteBackup(destination, backup, path));
}

SqliteBackup::SqliteBackup(sqlite3 *destination, sqlite3_backup *backup, QString path)
    : m_destination(destination), m_backup(backup), m_path(std::move(path))
{}

SqliteBackup::~SqliteBackup()
{
    if (m_backup)
        sqlite3_backup_finish(m_backup);
    sqlite3_close(m_destination);
}

std::unexpected<Error> SqliteBackup::failure(const char *what) const
{
    const int code = sqlite3_errcode(m_destination) & 0xff;
    return makeError(ErrorCode::Unavailable,
                     QStringLiteral("the backup to %1 could not %2: %3%4")
                         .arg(m_path, QString::fromLatin1(what),
                              QString::fromUtf8(sqlite3_errstr(sqlite3_errcode(m_destination))),
                              code == SQLITE_FULL
                                  ? QStringLiteral(" (free disk space on the data directory)")
                                  : QString()));
}

Result<bool> SqliteBackup::step(int pages)
{
    if (m_done)
        return true;
    const int rc = sqlite3_backup_step(m_backup, pages);
    m_pagesTotal = sqlite3_backup_pagecount(m_backup);
    m_pagesDone = m_pagesTotal - sqlite3_backup_remaining(m_backup);
    if (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        return false;
    const int finished = sqlite3_backup_finish(m_backup);
    m_backup = nullptr;
    if (rc != SQLITE_DONE || finished != SQLITE_OK) {
        if (rc != SQLITE_DONE)
            return makeError(ErrorCode::Unavailable,
                             QStringLiteral("the backup to %1 failed: %2")
                                 .arg(m_path, QString::fromUtf8(sqlite3_errstr(rc))));
        return failure("be completed");
    }
    // The copy keeps the store's WAL mode; a backup is one self-contained file.
    if (sqlite3_exec(m_destination, "PRAGMA journal_mode=DELETE", nullptr, nullptr, nullptr) !=
        SQLITE_OK)
        return failure("be completed");
    m_done = true;
    return true;
}

Result<void> SqliteBackup::copyFile(const QString &from, const QString &to)
{
    sqlite3 *source = nullptr;
    const QByteArray utf8 = from.toUtf8();
    if (sqlite3_open_v2(utf8.constData(), &source, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        const QString detail = QString::fromUtf8(source ? sqlite3_errmsg(source) : "");
        sqlite3_close(source);
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("cannot read %1: %2").arg(from, detail));
    }
    auto backup = start(source, to);
    if (!backup) {
        sqlite3_close(source);
        return std::unexpected(backup.error());
    }
    auto done = (*backup)->step(-1);
    backup->reset();
    sqlite3_close(source);
    if (!done)
        return std::unexpected(done.error());
    return {};
}

Result<void> SqliteBackup::restore(const QString &from, const QString &databasePath)
{
    if (auto version = SqliteSchema::inspect(from); !version)
        return std::unexpected(version.error());
    if (QFileInfo(from).canonicalFilePath() == QFileInfo(databasePath).canonicalFilePath())
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("%1 is the server's own database; restore from a backup "
                                        "copy")
                             .arg(from));
    const QString part = databasePath + QStringLiteral(".restoring");
    QFile::remove(part);
    if (auto copied = copyFile(from, part); !copied) {
        QFile::remove(part);
        return copied;
    }
    const QString stamp =
        QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'"));
    for (const QString &suffix : {QStringLiteral(""), QStringLiteral("-wal"),
                                  QStringLiteral("-shm"), QStringLiteral("-intake")}) {
        const QString current = databasePath + suffix;
        if (!QFile::exists(current))
            continue;
        if (suffix == u"-shm") {
            QFile::remove(current);
            continue;
        }
        const QString aside = databasePath + QStringLiteral(".before-restore-") + stamp + suffix;
        if (!QFile::rename(current, aside))
            return makeError(ErrorCode::Unavailable,
                             QStringLiteral("cannot move %1 aside to %2; check the permissions of "
                                            "the data directory")
                                 .arg(current, aside));
    }
    if (!QFile::rename(part, databasePath))
        return makeError(
            ErrorCode::Unavailable,
            QStringLiteral("cannot put the restored database in place at %1").arg(databasePath));
    qCInfo(lcBackupFile) << "restored" << databasePath << "from" << from;
    return {};
}

} // namespace QueueDeck
