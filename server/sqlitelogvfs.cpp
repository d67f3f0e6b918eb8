// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "sqlitelogvfs.h"

#include <QHash>

#include <sqlite3.h>

#include <atomic>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <vector>

namespace QueueDeck {

namespace {

// A log frame's header: bytes 4 to 7 hold, big-endian, the database's size in pages after the
// commit for the frame that commits, and zero for every other frame.
constexpr int FrameHeaderBytes = 24;
// Kept writes are made at once beyond this much. SQLite's unix VFS makes no write call of more
// than 128 KiB - 1 (it keeps the low 17 bits of a larger size, and takes a write of 0 bytes for a
// full disk); 64 KiB is 15 frames of 4 KiB pages, more than most commits write.
constexpr std::size_t GatherLimit = 64 * 1024;

std::atomic<qint64> s_gathered{0};
std::atomic<qint64> s_written{0};
std::atomic<qint64> s_lateFlushes{0};

// One layer per VFS below it. The sqlite3_vfs comes first: the pointer SQLite hands to xOpen is
// the layer's.
struct Layer
{
    sqlite3_vfs vfs;
    sqlite3_vfs *below = nullptr;
    QByteArray name;
};

std::mutex s_layersMutex;
std::vector<std::unique_ptr<Layer>> s_layers; // registered for the process's life

// A file opened through a layer; the file of the VFS below follows it in the same allocation.
struct LayerFile
{
    sqlite3_file base{};
    sqlite3_file *below = nullptr;
    bool isLog = false;
    // A log's writes not made yet: the bytes from offset pendingAt on.
    std::vector<char> pending;
    sqlite3_int64 pendingAt = 0;
    bool commitFrameHeaderKept = false;
    // A database file's log while both are open, and the log's database file.
    LayerFile *log = nullptr;
    LayerFile *database = nullptr;
    sqlite3_filename databaseName = nullptr;
};

constexpr std::size_t BelowOffset = (sizeof(LayerFile) + 7) & ~std::size_t(7);

// Database files by the name SQLite opened them with; a log finds its database file by the name
// sqlite3_filename_database() gives for the log's.
std::mutex s_filesMutex;
QHash<const char *, LayerFile *> s_databases;

sqlite3_io_methods s_methods;

LayerFile &of(sqlite3_file *file)
{
    return *reinterpret_cast<LayerFile *>(file);
}

const sqlite3_io_methods &below(LayerFile &file)
{
    return *file.below->pMethods;
}

int flush(LayerFile &file)
{
    file.commitFrameHeaderKept = false;
    if (file.pending.empty())
        return SQLITE_OK;
    ++s_written;
    const int rc = below(file).xWrite(file.below, file.pending.data(), int(file.pending.size()),
                                      file.pendingAt);
    // Written or not, the writes are done with: a failed one fails the transaction that made them.
    file.pending.clear();
    return rc;
}

bool commitsTransaction(const void *header)
{
    const auto *bytes = static_cast<const unsigned char *>(header);
    return (bytes[4] | bytes[5] | bytes[6] | bytes[7]) != 0;
}

int layerWrite(sqlite3_file *handle, const void *data, int amount, sqlite3_int64 offset)
{
    LayerFile &file = of(handle);
    if (!file.isLog)
        return below(file).xWrite(file.below, data, amount, offset);
    ++s_gathered;
    const bool follows = !file.pending.empty() &&
                         offset == file.pendingAt + sqlite3_int64(file.pending.size()) &&
                         file.pending.size() + std::size_t(amount) <= GatherLimit;
    const bool commitFramePage = file.commitFrameHeaderKept;
    if (!follows) {
        if (const int rc = flush(file); rc != SQLITE_OK)
            return rc;
    }
    if (std::size_t(amount) > GatherLimit) {
        ++s_written;
        return below(file).xWrite(file.below, data, amount, offset);
    }
    if (file.pending.empty())
        file.pendingAt = offset;
    const char *bytes = static_cast<const char *>(data);
    file.pending.insert(file.pending.end(), bytes, bytes + amount);
    if (commitFramePage)
        return flush(file); // the page of the frame that commits: the commit is written now
    file.commitFrameHeaderKept = amount == FrameHeaderBytes && commitsTransaction(data);
    return SQLITE_OK;
}

int layerRead(sqlite3_file *handle, void *buffer, int amount, sqlite3_int64 offset)
{
    LayerFile &file = of(handle);
    if (const int rc = flush(file); rc != SQLITE_OK)
        return rc;
    return below(file).xRead(file.below, buffer, amount, offset);
}

int layerClose(sqlite3_file *handle)
{
    LayerFile &file = of(handle);
    const int flushed = flush(file);
    {
        std::lock_guard lock(s_filesMutex);
        if (file.databaseName && s_databases.value(file.databaseName) == &file)
            s_databases.remove(file.databaseName);
        if (file.log)
            file.log->database = nullptr;
        if (file.database)
            file.database->log = nullptr;
    }
    const int closed = below(file).xClose(file.below);
    file.~LayerFile();
    return flushed != SQLITE_OK ? flushed : closed;
}

int layerTruncate(sqlite3_file *handle, sqlite3_int64 size)
{
    LayerFile &file = of(handle);
    if (const int rc = flush(file); rc != SQLITE_OK)
        return rc;
    return below(file).xTruncate(file.below, size);
}

int layerSync(sqlite3_file *handle, int flags)
{
    LayerFile &file = of(handle);
    if (const int rc = flush(file); rc != SQLITE_OK)
        return rc;
    return below(file).xSync(file.below, flags);
}

int layerFileSize(sqlite3_file *handle, sqlite3_int64 *size)
{
    LayerFile &file = of(handle);
    if (const int rc = flush(file); rc != SQLITE_OK)
        return rc;
    return below(file).xFileSize(file.below, size);
}

int layerLock(sqlite3_file *handle, int lock)
{
    LayerFile &file = of(handle);
    return below(file).xLock(file.below, lock);
}

int layerUnlock(sqlite3_file *handle, int lock)
{
    LayerFile &file = of(handle);
    return below(file).xUnlock(file.below, lock);
}

int layerCheckReservedLock(sqlite3_file *handle, int *out)
{
    LayerFile &file = of(handle);
    return below(file).xCheckReservedLock(file.below, out);
}

int layerFileControl(sqlite3_file *handle, int op, void *arg)
{
    LayerFile &file = of(handle);
    // The end of a commit, on the database file: the log's writes are made by now whether or not
    // the commit frame was recognised (counted: with the SQLite this is built for, it always is).
    if (op == SQLITE_FCNTL_COMMIT_PHASETWO && file.log && !file.log->pending.empty()) {
        ++s_lateFlushes;
        if (const int rc = flush(*file.log); rc != SQLITE_OK)
            return rc;
    }
    if (const int rc = flush(file); rc != SQLITE_OK)
        return rc;
    return below(file).xFileControl(file.below, op, arg);
}

int layerSectorSize(sqlite3_file *handle)
{
    LayerFile &file = of(handle);
    return below(file).xSectorSize(file.below);
}

int layerDeviceCharacteristics(sqlite3_file *handle)
{
    LayerFile &file = of(handle);
    return below(file).xDeviceCharacteristics(file.below);
}

int layerShmMap(sqlite3_file *handle, int region, int size, int extend, void volatile **out)
{
    LayerFile &file = of(handle);
    if (below(file).iVersion < 2)
        return SQLITE_IOERR;
    return below(file).xShmMap(file.below, region, size, extend, out);
}

int layerShmLock(sqlite3_file *handle, int offset, int n, int flags)
{
    LayerFile &file = of(handle);
    if (below(file).iVersion < 2)
        return SQLITE_IOERR;
    return below(file).xShmLock(file.below, offset, n, flags);
}

void layerShmBarrier(sqlite3_file *handle)
{
    LayerFile &file = of(handle);
    if (below(file).iVersion >= 2)
        below(file).xShmBarrier(file.below);
}

int layerShmUnmap(sqlite3_file *handle, int deleteFlag)
{
    LayerFile &file = of(handle);
    if (below(file).iVersion < 2)
        return SQLITE_OK;
    return below(file).xShmUnmap(file.below, deleteFlag);
}

int layerFetch(sqlite3_file *handle, sqlite3_int64 offset, int amount, void **out)
{
    LayerFile &file = of(handle);
    if (const int rc = flush(file); rc != SQLITE_OK)
        return rc;
    if (below(file).iVersion < 3) {
        *out = nullptr; // read it instead
        return SQLITE_OK;
    }
    return below(file).xFetch(file.below, offset, amount, out);
}

int layerUnfetch(sqlite3_file *handle, sqlite3_int64 offset, void *pointer)
{
    LayerFile &file = of(handle);
    if (below(file).iVersion < 3)
        return SQLITE_OK;
    return below(file).xUnfetch(file.below, offset, pointer);
}

void link(LayerFile &file, sqlite3_filename name, int flags)
{
    if (!name)
        return;
    std::lock_guard lock(s_filesMutex);
    if (flags & SQLITE_OPEN_MAIN_DB) {
        file.databaseName = name;
        s_databases.insert(name, &file);
    } else if (flags & SQLITE_OPEN_WAL) {
        file.isLog = true;
        if (LayerFile *database = s_databases.value(sqlite3_filename_database(name))) {
            database->log = &file;
            file.database = database;
        }
    }
}

int layerOpen(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *handle, int flags,
              int *outFlags)
{
    const Layer &layer = *reinterpret_cast<Layer *>(vfs);
    auto *file = new (handle) LayerFile;
    file->below = reinterpret_cast<sqlite3_file *>(reinterpret_cast<char *>(handle) + BelowOffset);
    file->below->pMethods = nullptr;
    const int rc = layer.below->xOpen(layer.below, name, file->below, flags, outFlags);
    if (rc != SQLITE_OK) {
        if (file->below->pMethods) // the VFS below asks for xClose even when xOpen failed
            file->below->pMethods->xClose(file->below);
        file->~LayerFile();
        handle->pMethods = nullptr;
        return rc;
    }
    link(*file, name, flags);
    file->base.pMethods = &s_methods;
    return SQLITE_OK;
}

} // namespace

QByteArray SqliteLogVfs::nameOverDefault()
{
    if (sqlite3_initialize() != SQLITE_OK)
        return {};
    std::lock_guard lock(s_layersMutex);
    sqlite3_vfs *below = sqlite3_vfs_find(nullptr);
    if (!below)
        return {};
    for (const auto &layer : s_layers) {
        if (layer->below == below || &layer->vfs == below)
            return layer->name;
    }
    if (s_layers.empty()) {
        s_methods = sqlite3_io_methods{3,
                                       &layerClose,
                                       &layerRead,
                                       &layerWrite,
                                       &layerTruncate,
                                       &layerSync,
                                       &layerFileSize,
                                       &layerLock,
                                       &layerUnlock,
                                       &layerCheckReservedLock,
                                       &layerFileControl,
                                       &layerSectorSize,
                                       &layerDeviceCharacteristics,
                                       &layerShmMap,
                                       &layerShmLock,
                                       &layerShmBarrier,
                                       &layerShmUnmap,
                                       &layerFetch,
                                       &layerUnfetch};
    }
    auto layer = std::make_unique<Layer>();
    // Everything but opening a file is the VFS below's own, called as it would be.
    std::memcpy(&layer->vfs, below, sizeof layer->vfs);
    layer->below = below;
    layer->name = QByteArray("queuedeck-log-") + below->zName;
    layer->vfs.zName = layer->name.constData();
    layer->vfs.szOsFile = int(BelowOffset) + below->szOsFile;
    layer->vfs.pNext = nullptr;
    layer->vfs.xOpen = &layerOpen;
    if (sqlite3_vfs_register(&layer->vfs, 0) != SQLITE_OK)
        return {};
    s_layers.push_back(std::move(layer));
    return s_layers.back()->name;
}

SqliteLogVfs::Counts SqliteLogVfs::counts()
{
    return {s_gathered.load(), s_written.load(), s_lateFlushes.load()};
}

} // namespace QueueDeck
