// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/error.h"

#include <QHash>
#include <QObject>
#include <QString>

#include <memory>

namespace QueueDeck {

class Clock;
class Store;
class StoreBackup;

// One online backup of the store at a time, written into <data-dir>/backups/<id>.db in steps on
// the store's thread (first as <id>.db.part, renamed when complete and synced), between the
// engine's batches; and the backups made so far.
struct BackupStatus
{
    QString id;    // b_<UTC time>, e.g. b_20261130T170512Z
    QString state; // running, done, failed
    qint64 pagesDone = 0;
    qint64 pagesTotal = 0;
    qint64 sizeBytes = 0; // of the finished file
    QString error;        // when failed
    QString path;         // the finished file on the server
    qint64 startedAtMs = 0;
    qint64 finishedAtMs = 0;
};

// Thread affinity: created, used and destroyed on the store's thread; `context` lives there and
// outlives it. The store must outlive it.
class BackupJobs final
{
    Q_DISABLE_COPY_MOVE(BackupJobs)
public:
    BackupJobs(Store &store, QString directory, QObject *context, const Clock &clock);
    ~BackupJobs(); // a backup still running is abandoned and its partial file removed

    // Refused while one runs.
    Result<BackupStatus> start();
    Result<BackupStatus> status(const QString &id) const;
    // Removes a finished backup's file; refused while it runs.
    Result<void> remove(const QString &id);

    // Pages copied per step: about 4 MiB, a few milliseconds of the store's thread.
    static constexpr int StepPages = 1024;

private:
    void step();
    Result<QString> checkedPath(const QString &id) const;

    Store &m_store;
    QString m_directory;
    QObject *m_context;
    const Clock &m_clock;
    std::unique_ptr<StoreBackup> m_running;
    QString m_runningId;
    QHash<QString, BackupStatus> m_known;
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

} // namespace QueueDeck
