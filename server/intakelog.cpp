// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "intakelog.h"

#include "storecodec.h"

#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>

#include <array>
#include <cstdlib>
#include <cstring>
#include <limits>

#include <sqlite3.h>

#include <fcntl.h>
#include <unistd.h>

namespace QueueDeck {

namespace {

constexpr char Magic[8] = {'Q', 'D', 'I', 'N', 'T', 'A', 'K', 'E'};
constexpr quint32 Version = 1;
constexpr qint64 RecordHead = 8; // length, CRC
constexpr qsizetype KeptBufferBytes = 1 << 20;
// The most SQLite's unix VFS reads or writes in one call (it takes sizes of up to 17 bits).
constexpr qint64 VfsIoBytes = 64 << 10;

// Bits of a record's flags byte: which optional fields follow.
enum OptionalField : quint8 {
    HasMaxAttempts = 1,
    HasTimeout = 2,
    HasExpireAt = 4,
    HasDeadline = 8,
};

// Writes little-endian fields into room sized for them beforehand (a header, a record).
class BodyWriter
{
public:
    explicit BodyWriter(char *at) : m_at(at) {}
    char *end() const { return m_at; }

    void u8(quint8 value) { *m_at++ = char(value); }
    void raw(const char *data, std::size_t size)
    {
        std::memcpy(m_at, data, size);
        m_at += size;
    }
    void u32(quint32 value)
    {
        for (int i = 0; i < 4; ++i)
            *m_at++ = char(value >> (8 * i));
    }
    void u64(quint64 value)
    {
        for (int i = 0; i < 8; ++i)
            *m_at++ = char(value >> (8 * i));
    }
    void bytes(const char *data, qsizetype size)
    {
        u32(quint32(size));
        if (size > 0)
            std::memcpy(m_at, data, std::size_t(size));
        m_at += size;
    }
    // Text as UTF-16 code units, little-endian: no conversion on the way in or out.
    void text(const QString &text)
    {
        const qsizetype size = text.size() * qsizetype(sizeof(char16_t));
        if constexpr (Q_BYTE_ORDER == Q_LITTLE_ENDIAN) {
            bytes(reinterpret_cast<const char *>(text.utf16()), size);
        } else {
            u32(quint32(size));
            for (const QChar c : text) {
                *m_at++ = char(c.unicode());
                *m_at++ = char(c.unicode() >> 8);
            }
        }
    }
    static qsizetype textSize(const QString &text) { return 4 + text.size() * 2; }

private:
    char *m_at;
};

quint32 readU32(const char *bytes)
{
    quint32 value = 0;
    for (int i = 0; i < 4; ++i)
        value |= quint32(quint8(bytes[i])) << (8 * i);
    return value;
}

quint64 readU64(const char *bytes)
{
    quint64 value = 0;
    for (int i = 0; i < 8; ++i)
        value |= quint64(quint8(bytes[i])) << (8 * i);
    return value;
}

// Reads a record body front to back; any read past its end makes it fail.
class BodyReader
{
public:
    explicit BodyReader(QByteArrayView body) : m_body(body) {}
    bool ok() const { return m_ok; }
    bool atEnd() const { return m_at == m_body.size(); }

    quint64 u64()
    {
        if (!take(8))
            return 0;
        return readU64(m_body.data() + m_at - 8);
    }
    quint32 u32()
    {
        if (!take(4))
            return 0;
        return readU32(m_body.data() + m_at - 4);
    }
    quint8 u8()
    {
        if (!take(1))
            return 0;
        return quint8(m_body[m_at - 1]);
    }
    QByteArrayView bytes()
    {
        const quint32 size = u32();
        if (!take(size))
            return {};
        return m_body.sliced(m_at - size, size);
    }
    QString text()
    {
        const QByteArrayView utf16 = bytes();
        if (!m_ok || utf16.size() % 2 != 0) {
            m_ok = false;
            return {};
        }
        QString text(utf16.size() / 2, Qt::Uninitialized);
        for (qsizetype i = 0; i < text.size(); ++i)
            text[i] = QChar(char16_t(quint8(utf16[2 * i]) | quint8(utf16[2 * i + 1]) << 8));
        return text;
    }

private:
    bool take(quint64 size)
    {
        if (!m_ok || size > quint64(m_body.size() - m_at)) {
            m_ok = false;
            return false;
        }
        m_at += qsizetype(size);
        return true;
    }

    QByteArrayView m_body;
    qsizetype m_at = 0;
    bool m_ok = true;
};

constexpr std::array<quint32, 256> crcTable()
{
    std::array<quint32, 256> table{};
    for (quint32 i = 0; i < 256; ++i) {
        quint32 crc = i;
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc & 1) ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
        table[i] = crc;
    }
    return table;
}

constexpr std::array<quint32, 256> CrcTable = crcTable();

#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target("sse4.2"))) quint32 crc32cHardware(quint32 crc, const char *data,
                                                         std::size_t size)
{
    quint64 value = ~crc;
    while (size >= 8) {
        quint64 word;
        std::memcpy(&word, data, 8);
        value = __builtin_ia32_crc32di(value, word);
        data += 8;
        size -= 8;
    }
    quint32 rest = quint32(value);
    while (size > 0) {
        rest = __builtin_ia32_crc32qi(rest, quint8(*data));
        ++data;
        --size;
    }
    return ~rest;
}

bool hasCrcInstruction()
{
    static const bool has = __builtin_cpu_supports("sse4.2");
    return has;
}
#endif

QByteArray headerBytes(const IntakeLog::Header &header)
{
    QByteArray bytes(IntakeLog::HeaderBytes, '\0'); // the last 4 bytes are reserved
    BodyWriter out(bytes.data());
    out.raw(Magic, sizeof Magic);
    out.u32(Version);
    out.u32(header.salt);
    out.u64(header.epoch);
    out.u64(header.databaseId);
    out.u32(IntakeLog::crc32c(0, bytes.constData(), std::size_t(out.end() - bytes.constData())));
    return bytes;
}

// Makes a file made or renamed in the directory of path survive a power loss.
void syncDirectoryOf(const QString &path)
{
    const QByteArray directory = QFile::encodeName(QFileInfo(path).absolutePath());
    const int fd = ::open(directory.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return;
    ::fsync(fd);
    ::close(fd);
}

} // namespace

IntakeLog::~IntakeLog()
{
    close();
}

quint32 IntakeLog::crc32cPortable(quint32 crc, const char *data, std::size_t size)
{
    crc = ~crc;
    for (std::size_t i = 0; i < size; ++i)
        crc = CrcTable[(crc ^ quint8(data[i])) & 0xff] ^ (crc >> 8);
    return ~crc;
}

quint32 IntakeLog::crc32c(quint32 crc, const char *data, std::size_t size)
{
#if defined(__x86_64__) && defined(__GNUC__)
    if (hasCrcInstruction())
        return crc32cHardware(crc, data, size);
#endif
    return crc32cPortable(crc, data, size);
}

void IntakeLog::encodeTask(const TaskRow &row, QByteArray &out)
{
    quint8 flags = 0;
    qsizetype size = 8 + 4 + 1 + 1 + 4 + 8 + 8;
    if (row.maxAttempts) {
        flags |= HasMaxAttempts;
        size += 4;
    }
    if (row.timeoutS) {
        flags |= HasTimeout;
        size += 8;
    }
    if (row.expireAtMs) {
        flags |= HasExpireAt;
        size += 8;
    }
    if (row.deadlineMs) {
        flags |= HasDeadline;
        size += 8;
    }
    const QByteArray labels =
        row.requiredLabels.isEmpty() ? QByteArray() : StoreCodec::encodeLabels(row.requiredLabels);
    size += 4 + row.payload.size() + 4 + labels.size();
    for (const QString *text : {&row.type, &row.idempotencyKey, &row.concurrencyKey,
                                &row.targetWorkerId, &row.parentId, &row.runId})
        size += BodyWriter::textSize(*text);

    const qsizetype at = out.size();
    out.resize(at + size);
    BodyWriter body(out.data() + at);
    body.u64(quint64(row.seq));
    body.u32(quint32(row.queueNum));
    body.u8(quint8(row.state));
    body.u8(flags);
    body.u32(quint32(row.priority));
    body.u64(quint64(row.enqueuedAtMs));
    body.u64(quint64(row.runAtMs));
    if (row.maxAttempts)
        body.u32(quint32(*row.maxAttempts));
    if (row.timeoutS)
        body.u64(quint64(*row.timeoutS));
    if (row.expireAtMs)
        body.u64(quint64(*row.expireAtMs));
    if (row.deadlineMs)
        body.u64(quint64(*row.deadlineMs));
    body.text(row.type);
    body.bytes(row.payload.constData(), row.payload.size());
    body.text(row.idempotencyKey);
    body.text(row.concurrencyKey);
    body.bytes(labels.constData(), labels.size());
    body.text(row.targetWorkerId);
    body.text(row.parentId);
    body.text(row.runId);
    Q_ASSERT(body.end() == out.data() + out.size());
}

std::optional<TaskRow> IntakeLog::decodeTask(QByteArrayView body)
{
    BodyReader in(body);
    TaskRow row;
    row.seq = qint64(in.u64());
    row.queueNum = int(in.u32());
    const quint8 state = in.u8();
    const quint8 flags = in.u8();
    row.priority = int(in.u32());
    row.enqueuedAtMs = qint64(in.u64());
    row.runAtMs = qint64(in.u64());
    if (flags & HasMaxAttempts)
        row.maxAttempts = int(in.u32());
    if (flags & HasTimeout)
        row.timeoutS = qint64(in.u64());
    if (flags & HasExpireAt)
        row.expireAtMs = qint64(in.u64());
    if (flags & HasDeadline)
        row.deadlineMs = qint64(in.u64());
    row.type = in.text();
    row.payload = in.bytes().toByteArray();
    row.idempotencyKey = in.text();
    row.concurrencyKey = in.text();
    if (const QByteArrayView labels = in.bytes(); !labels.isEmpty())
        row.requiredLabels = StoreCodec::decodeLabels(labels.toByteArray());
    row.targetWorkerId = in.text();
    row.parentId = in.text();
    row.runId = in.text();
    // A new task waits: queued, or scheduled for later.
    if (!in.ok() || !in.atEnd() || row.seq <= 0 ||
        (state != quint8(TaskState::Queued) && state != quint8(TaskState::Scheduled)) ||
        (flags & ~quint8(HasMaxAttempts | HasTimeout | HasExpireAt | HasDeadline)))
        return std::nullopt;
    row.state = TaskState(state);
    return row;
}

std::unexpected<Error> IntakeLog::failure(const QString &what, int sqliteCode) const
{
    QString hint;
    switch (sqliteCode & 0xff) {
    case SQLITE_FULL:
        hint =
            QStringLiteral(" (free disk space on the data directory; writes resume by themselves)");
        break;
    case SQLITE_IOERR:
        hint = QStringLiteral(" (check the disk of the data directory)");
        break;
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
        hint =
            QStringLiteral(" (the server needs write access to the data directory and its files)");
        break;
    default:
        break;
    }
    return makeError(ErrorCode::Unavailable,
                     QStringLiteral("the intake log %1 could not %2: %3%4")
                         .arg(m_path, what, QString::fromUtf8(sqlite3_errstr(sqliteCode)), hint));
}

Result<IntakeLog::Contents> IntakeLog::open(const QString &path, bool syncEachWrite)
{
    close();
    m_path = path;
    m_sync = syncEachWrite;
    if (sqlite3_initialize() != SQLITE_OK)
        return failure(QStringLiteral("be opened"), SQLITE_ERROR);
    sqlite3_vfs *vfs = sqlite3_vfs_find(nullptr);
    if (!vfs)
        return failure(QStringLiteral("be opened"), SQLITE_ERROR);
    m_nativePath = QFile::encodeName(path);
    auto *file = static_cast<sqlite3_file *>(std::calloc(1, std::size_t(vfs->szOsFile)));
    if (!file)
        return failure(QStringLiteral("be opened"), SQLITE_NOMEM);
    int openedAs = 0;
    const int opened =
        vfs->xOpen(vfs, m_nativePath.constData(), file,
                   SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &openedAs);
    if (opened != SQLITE_OK) {
        if (file->pMethods) // asked for even when the open failed
            file->pMethods->xClose(file);
        std::free(file);
        return failure(QStringLiteral("be opened"), opened);
    }
    m_file = file;
    QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    sqlite3_int64 size = 0;
    if (const int sized = m_file->pMethods->xFileSize(m_file, &size); sized != SQLITE_OK) {
        close();
        return failure(QStringLiteral("be read"), sized);
    }
    if (size > std::numeric_limits<int>::max()) {
        close();
        return makeError(
            ErrorCode::Unavailable,
            QStringLiteral("%1 is larger than any intake log; move it aside").arg(path));
    }
    QByteArray bytes(qsizetype(size), Qt::Uninitialized);
    for (qint64 done = 0; done < size;) {
        const int piece = int(qMin(size - done, VfsIoBytes));
        if (const int read = m_file->pMethods->xRead(m_file, bytes.data() + done, piece, done);
            read != SQLITE_OK) {
            close();
            return failure(QStringLiteral("be read"), read);
        }
        done += piece;
    }
    m_fileBytes = bytes.size();
    // A log made now (or made again after its file was moved aside) is kept by the directory.
    if (m_sync && m_fileBytes == 0)
        syncDirectoryOf(path);

    Contents contents;
    if (bytes.size() < HeaderBytes)
        return contents;
    if (std::memcmp(bytes.constData(), Magic, sizeof Magic) != 0 ||
        readU32(bytes.constData() + 8) != Version) {
        contents.foreign = true;
        return contents;
    }
    // A header whose CRC does not match was cut by a crash as it was written over. A new header
    // is written only once the database holds every record of the log, so nothing is lost by
    // reading none.
    if (IntakeLog::crc32c(0, bytes.constData(), 32) != readU32(bytes.constData() + 32))
        return contents;
    Header header;
    header.salt = readU32(bytes.constData() + 12);
    header.epoch = readU64(bytes.constData() + 16);
    header.databaseId = readU64(bytes.constData() + 24);
    contents.header = header;
    m_salt = header.salt;

    quint32 chain = header.salt;
    qint64 at = HeaderBytes;
    while (bytes.size() - at >= RecordHead) {
        const quint32 length = readU32(bytes.constData() + at);
        const quint32 crc = readU32(bytes.constData() + at + 4);
        if (length > MaxRecordBytes || bytes.size() - at - RecordHead < qint64(length))
            break;
        const char *body = bytes.constData() + at + RecordHead;
        quint32 computed = crc32c(chain, bytes.constData() + at, 4);
        computed = crc32c(computed, body, length);
        if (computed != crc)
            break;
        auto row = decodeTask(QByteArrayView(body, length));
        if (!row)
            break;
        contents.rows.push_back(std::move(*row));
        chain = crc;
        at += RecordHead + length;
    }
    return contents;
}

void IntakeLog::close()
{
    if (m_file) {
        m_file->pMethods->xClose(m_file);
        std::free(m_file);
    }
    m_file = nullptr;
    m_offset = 0;
    m_fileBytes = 0;
    m_chain = 0;
    m_salt = 0;
}

Result<void> IntakeLog::writeAll(const char *data, qint64 size, qint64 offset)
{
    for (qint64 done = 0; done < size;) {
        const int piece = int(qMin(size - done, VfsIoBytes));
        if (const int written = m_file->pMethods->xWrite(m_file, data + done, piece, offset + done);
            written != SQLITE_OK)
            return failure(QStringLiteral("be written"), written);
        done += piece;
    }
    m_fileBytes = qMax(m_fileBytes, offset + size);
    return {};
}

Result<void> IntakeLog::syncIfAsked()
{
    if (!m_sync)
        return {};
    if (const int synced =
            m_file->pMethods->xSync(m_file, SQLITE_SYNC_NORMAL | SQLITE_SYNC_DATAONLY);
        synced != SQLITE_OK)
        return failure(QStringLiteral("be synced to disk"), synced);
    return {};
}

Result<void> IntakeLog::restart(quint64 epoch, quint64 databaseId, qint64 shrinkAbove)
{
    if (!m_file)
        return makeError(ErrorCode::Internal, QStringLiteral("the intake log is not open"));
    Header header;
    header.epoch = epoch;
    header.databaseId = databaseId;
    // Never the salt of the epoch before: its records must not follow from the new header.
    do
        header.salt = QRandomGenerator::global()->generate();
    while (header.salt == m_salt);
    const QByteArray bytes = headerBytes(header);
    if (auto written = writeAll(bytes.constData(), bytes.size(), 0); !written)
        return written;
    if (m_fileBytes > shrinkAbove && m_file->pMethods->xTruncate(m_file, HeaderBytes) == SQLITE_OK)
        m_fileBytes = HeaderBytes;
    if (auto synced = syncIfAsked(); !synced)
        return synced;
    m_offset = HeaderBytes;
    m_salt = header.salt;
    m_chain = header.salt;
    return {};
}

Result<void> IntakeLog::append(const TaskRow *rows, std::size_t count)
{
    if (!m_file || m_offset < HeaderBytes)
        return makeError(ErrorCode::Internal, QStringLiteral("the intake log is not open"));
    m_buffer.resize(0);
    quint32 chain = m_chain;
    for (std::size_t i = 0; i < count; ++i) {
        const qsizetype at = m_buffer.size();
        m_buffer.resize(at + RecordHead);
        encodeTask(rows[i], m_buffer);
        const qint64 length = m_buffer.size() - at - RecordHead;
        if (length > qint64(MaxRecordBytes))
            return makeError(
                ErrorCode::InvalidArgument,
                QStringLiteral("a task of %1 bytes is too large for the intake log").arg(length));
        char *record = m_buffer.data() + at;
        BodyWriter head(record);
        head.u32(quint32(length));
        quint32 crc = crc32c(chain, record, 4);
        crc = crc32c(crc, record + RecordHead, std::size_t(length));
        head.u32(crc);
        chain = crc;
    }
    auto written = writeAll(m_buffer.constData(), m_buffer.size(), m_offset);
    if (written)
        written = syncIfAsked();
    if (!written) {
        // Whole records of the failed write may have reached the file. The file is cut back
        // where they begin, so that none can follow a record written later and be read as its
        // successor (a record identical to the first of them would chain them on).
        if (m_file->pMethods->xTruncate(m_file, m_offset) == SQLITE_OK) {
            m_fileBytes = m_offset;
            // The write's error is the one to report; a failed sync here changes nothing for
            // the store, which ends the epoch either way (IntakeStore).
            [[maybe_unused]] const auto synced = syncIfAsked();
        }
        return written;
    }
    m_offset += m_buffer.size();
    m_chain = chain;
    if (m_buffer.capacity() > KeptBufferBytes)
        m_buffer = QByteArray(); // a large batch's room is not kept
    return {};
}

} // namespace QueueDeck
