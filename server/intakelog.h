// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/error.h"
#include "storetypes.h"

#include <QByteArray>
#include <QString>

#include <memory>
#include <optional>
#include <vector>

struct sqlite3_file;

namespace QueueDeck {

// The intake log: an append-only file beside a SQLite database that holds new tasks the database
// has not taken yet (IntakeStore). A batch that only adds tasks is one write to it instead of a
// database transaction; the tasks go into the database later, many in one transaction.
//
// The file: a header of HeaderBytes, then records. The header names the database the file belongs
// to (a random id kept in the database's meta table), the log's epoch, a random salt, and a
// CRC-32C of its own (a header cut by a crash is read as no header). A record
// is its body's length (4 bytes), a CRC-32C (4 bytes) and the body, one task's insert (integers
// little-endian, texts as UTF-16LE code units, so that nothing is converted on the way). Each CRC
// covers the length and the body and starts from the previous record's CRC, the first from the
// salt: reading stops at the first record that is cut short or does not follow from the one
// before, so a write cut by a crash, or what is left of an older epoch behind the newest record,
// is never read as a task. A new epoch starts by writing a new header (a new salt) over the old
// one; the file is written again from there, in place.
//
// The file is read and written through SQLite's default VFS, as the database is: whatever that
// VFS does with the database's writes (fail them, in tests) it does with the log's.
//
// Not thread-safe: used by one store on one thread.
class IntakeLog final
{
    Q_DISABLE_COPY_MOVE(IntakeLog)
public:
    static constexpr qint64 HeaderBytes = 40;
    // A record body longer than this is never written, and read as the end of the log.
    static constexpr quint32 MaxRecordBytes = 64u << 20;

    struct Header
    {
        quint64 epoch = 0;
        quint64 databaseId = 0;
        quint32 salt = 0;
    };
    // What open() read.
    struct Contents
    {
        // No header: the file is new or shorter than a header (a crash while it was made).
        std::optional<Header> header;
        // The file starts with something that is not an intake log's header.
        bool foreign = false;
        std::vector<TaskRow> rows; // in the order they were written
    };

    IntakeLog() = default;
    ~IntakeLog();

    static QString pathFor(const QString &databasePath)
    {
        return databasePath + QStringLiteral("-intake");
    }

    // Opens the file (made when missing, readable by its owner only) and reads what it holds.
    // syncEachWrite: every write is followed by fdatasync (Durability::Full).
    Result<Contents> open(const QString &path, bool syncEachWrite);
    void close();

    // Starts an epoch: a new header, and the records after it written from the start again. A
    // file that grew past shrinkAbove bytes is cut back to the header.
    Result<void> restart(quint64 epoch, quint64 databaseId, qint64 shrinkAbove);
    // Appends the tasks' records with one write. On failure nothing counts as written: the file
    // is cut back to where they began, and the next append writes at the same place.
    Result<void> append(const TaskRow *rows, std::size_t count);

    // A task's record body, and back (nullopt when it does not parse).
    static void encodeTask(const TaskRow &row, QByteArray &out);
    static std::optional<TaskRow> decodeTask(QByteArrayView body);
    // CRC-32C (Castagnoli) of data, continuing from crc (0 to start).
    static quint32 crc32c(quint32 crc, const char *data, std::size_t size);
    // The same, a byte at a time with a table: what crc32c gives where the CPU has no CRC32
    // instruction.
    static quint32 crc32cPortable(quint32 crc, const char *data, std::size_t size);

private:
    std::unexpected<Error> failure(const QString &what, int sqliteCode) const;
    Result<void> writeAll(const char *data, qint64 size, qint64 offset);
    Result<void> syncIfAsked();

    QString m_path;
    QByteArray m_nativePath; // the VFS keeps a pointer to it while the file is open
    sqlite3_file *m_file = nullptr;
    bool m_sync = false;
    qint64 m_offset = 0;    // where the next record goes
    qint64 m_fileBytes = 0; // the file's length as far as this log wrote it
    quint32 m_salt = 0;     // the header's
    quint32 m_chain = 0;    // the last record's CRC (the salt before the first)
    QByteArray m_buffer;    // the records of one append
};

} // namespace QueueDeck
