// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "faultyvfs.h"

#include <sqlite3.h>

#include <atomic>
#include <cstring>

namespace QueueDeck::Testing {

namespace {

std::atomic<int> s_fault{int(FaultyVfs::Fault::None)};
std::atomic<int> s_files{int(FaultyVfs::Files::All)};
std::atomic<qint64> s_refused{0};
sqlite3_vfs *s_base = nullptr;
sqlite3_vfs s_vfs;
sqlite3_io_methods s_methods;

// A file of this VFS: the base VFS's file follows it in the same allocation.
struct FaultyFile
{
    sqlite3_file base;
    sqlite3_file *real;
    bool intakeLog; // named …-intake
};

sqlite3_file *real(sqlite3_file *file)
{
    return reinterpret_cast<FaultyFile *>(file)->real;
}

// The fault that applies to this file now.
FaultyVfs::Fault faultOf(sqlite3_file *file)
{
    if (FaultyVfs::Files(s_files.load()) == FaultyVfs::Files::IntakeLog &&
        !reinterpret_cast<FaultyFile *>(file)->intakeLog)
        return FaultyVfs::Fault::None;
    return FaultyVfs::Fault(s_fault.load());
}

// SQLITE_OK, or the error the current fault makes of a write to this file.
int refusal(sqlite3_file *file)
{
    switch (faultOf(file)) {
    case FaultyVfs::Fault::None:
        return SQLITE_OK;
    case FaultyVfs::Fault::Full:
        ++s_refused;
        return SQLITE_FULL;
    case FaultyVfs::Fault::IoError:
    case FaultyVfs::Fault::WrittenThenIoError:
        ++s_refused;
        return SQLITE_IOERR_WRITE;
    }
    return SQLITE_OK;
}

int faultyClose(sqlite3_file *file)
{
    sqlite3_file *inner = real(file);
    return inner->pMethods ? inner->pMethods->xClose(inner) : SQLITE_OK;
}
int faultyRead(sqlite3_file *file, void *buffer, int amount, sqlite3_int64 offset)
{
    return real(file)->pMethods->xRead(real(file), buffer, amount, offset);
}
int faultyWrite(sqlite3_file *file, const void *buffer, int amount, sqlite3_int64 offset)
{
    if (faultOf(file) == FaultyVfs::Fault::WrittenThenIoError)
        real(file)->pMethods->xWrite(real(file), buffer, amount, offset);
    if (const int rc = refusal(file); rc != SQLITE_OK)
        return rc;
    return real(file)->pMethods->xWrite(real(file), buffer, amount, offset);
}
int faultyTruncate(sqlite3_file *file, sqlite3_int64 size)
{
    if (faultOf(file) == FaultyVfs::Fault::WrittenThenIoError) {
        ++s_refused;
        return SQLITE_IOERR_TRUNCATE;
    }
    return real(file)->pMethods->xTruncate(real(file), size);
}
int faultySync(sqlite3_file *file, int flags)
{
    return real(file)->pMethods->xSync(real(file), flags);
}
int faultyFileSize(sqlite3_file *file, sqlite3_int64 *size)
{
    return real(file)->pMethods->xFileSize(real(file), size);
}
int faultyLock(sqlite3_file *file, int lock)
{
    return real(file)->pMethods->xLock(real(file), lock);
}
int faultyUnlock(sqlite3_file *file, int lock)
{
    return real(file)->pMethods->xUnlock(real(file), lock);
}
int faultyCheckReservedLock(sqlite3_file *file, int *out)
{
    return real(file)->pMethods->xCheckReservedLock(real(file), out);
}
int faultyFileControl(sqlite3_file *file, int op, void *arg)
{
    if (op == SQLITE_FCNTL_SIZE_HINT) { // growing a file takes space too
        if (const int rc = refusal(file); rc != SQLITE_OK)
            return rc;
    }
    return real(file)->pMethods->xFileControl(real(file), op, arg);
}
int faultySectorSize(sqlite3_file *file)
{
    return real(file)->pMethods->xSectorSize(real(file));
}
int faultyDeviceCharacteristics(sqlite3_file *file)
{
    return real(file)->pMethods->xDeviceCharacteristics(real(file));
}
int faultyShmMap(sqlite3_file *file, int region, int size, int extend, void volatile **out)
{
    return real(file)->pMethods->xShmMap(real(file), region, size, extend, out);
}
int faultyShmLock(sqlite3_file *file, int offset, int n, int flags)
{
    return real(file)->pMethods->xShmLock(real(file), offset, n, flags);
}
void faultyShmBarrier(sqlite3_file *file)
{
    real(file)->pMethods->xShmBarrier(real(file));
}
int faultyShmUnmap(sqlite3_file *file, int deleteFlag)
{
    return real(file)->pMethods->xShmUnmap(real(file), deleteFlag);
}
int faultyFetch(sqlite3_file *file, sqlite3_int64 offset, int amount, void **out)
{
    return real(file)->pMethods->xFetch(real(file), offset, amount, out);
}
int faultyUnfetch(sqlite3_file *file, sqlite3_int64 offset, void *pointer)
{
    return real(file)->pMethods->xUnfetch(real(file), offset, pointer);
}

int faultyOpen(sqlite3_vfs *, sqlite3_filename name, sqlite3_file *file, int flags, int *outFlags)
{
    auto *faulty = reinterpret_cast<FaultyFile *>(file);
    faulty->real = reinterpret_cast<sqlite3_file *>(faulty + 1);
    faulty->base.pMethods = nullptr;
    const std::size_t length = name ? std::strlen(name) : 0;
    faulty->intakeLog = length >= 7 && std::strcmp(name + length - 7, "-intake") == 0;
    const int rc = s_base->xOpen(s_base, name, faulty->real, flags, outFlags);
    if (rc == SQLITE_OK)
        faulty->base.pMethods = &s_methods;
    else if (faulty->real->pMethods) // the base VFS asks for xClose even when xOpen failed
        faulty->real->pMethods->xClose(faulty->real);
    return rc;
}

} // namespace

bool FaultyVfs::install()
{
    if (s_base)
        return true;
    sqlite3_initialize();
    sqlite3_vfs *base = sqlite3_vfs_find(nullptr);
    if (!base)
        return false;
    s_base = base;
    std::memcpy(&s_vfs, base, sizeof s_vfs);
    s_vfs.szOsFile = int(sizeof(FaultyFile)) + base->szOsFile;
    s_vfs.zName = "queuedeck-faulty";
    s_vfs.pNext = nullptr;
    s_vfs.xOpen = &faultyOpen;
    s_methods = sqlite3_io_methods{3,
                                   &faultyClose,
                                   &faultyRead,
                                   &faultyWrite,
                                   &faultyTruncate,
                                   &faultySync,
                                   &faultyFileSize,
                                   &faultyLock,
                                   &faultyUnlock,
                                   &faultyCheckReservedLock,
                                   &faultyFileControl,
                                   &faultySectorSize,
                                   &faultyDeviceCharacteristics,
                                   &faultyShmMap,
                                   &faultyShmLock,
                                   &faultyShmBarrier,
                                   &faultyShmUnmap,
                                   &faultyFetch,
                                   &faultyUnfetch};
    return sqlite3_vfs_register(&s_vfs, 1) == SQLITE_OK;
}

void FaultyVfs::setFault(Fault fault, Files files)
{
    s_files.store(int(files));
    s_fault.store(int(fault));
}

qint64 FaultyVfs::refusedWrites()
{
    return s_refused.load();
}

} // namespace QueueDeck::Testing
