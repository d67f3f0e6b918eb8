// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The write-ahead log of the SQLite store is copied into the database file while the server runs,
// and stays bounded under endless writes; the store holds its database file alone.

#include "sqlitestore.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <limits>

using namespace QueueDeck;

namespace {

TaskRow taskRow(qint64 seq)
{
    TaskRow row;
    row.seq = seq;
    row.queueNum = 1;
    row.state = TaskState::Queued;
    row.type = QStringLiteral("job");
    row.payload = QByteArray(R"({"n":)") + QByteArray::number(seq) + "}";
    row.enqueuedAtMs = 1'700'000'000'000 + seq;
    row.runAtMs = row.enqueuedAtMs;
    return row;
}

qint64 fileSize(const QString &path)
{
    return QFileInfo(path).size(); // 0 when missing
}

// A store on a database of its own, in a directory of its own.
struct FreshStore
{
    QTemporaryDir dir;
    QString db = QDir(dir.path()).filePath(QStringLiteral("queuedeck.db"));
    QString wal = db + QStringLiteral("-wal");
    SqliteStore store;
    Result<void> opened = dir.isValid() ? store.open({db, Durability::Normal})
                                        : makeError(ErrorCode::Internal, QStringLiteral("no dir"));

    QString failure() const { return opened ? QString() : opened.error().message; }
};

} // namespace

class TestWalCheckpointer final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    // One transaction per task, as single enqueues commit: each appends at least one frame to
    // the log. Without checkpoints the log would hold every one of them (about 83 MB here).
    void logStaysBoundedUnderEndlessWrites()
    {
        FreshStore fresh;
        QVERIFY2(fresh.opened, qPrintable(fresh.failure()));
        SqliteStore &store = fresh.store;
        const qint64 dbAtStart = fileSize(fresh.db);

        // The checkpoints bound the log at SqliteStore's threshold (4,096 pages, each with its
        // 24-byte header: 8.6 MB with 2 KiB pages) plus the frames of the commit that crossed it;
        // a log well past that means the checkpoints stopped.
        const qint64 bound =
            qint64(SqliteStore::CheckpointEveryPages) * 6 / 5 * (store.pageSize() + 24);
        // After its first checkpoint the log keeps its length: the next round overwrites it in
        // place rather than growing a file cut to nothing again.
        constexpr int Tasks = 40000;
        qint64 largestLog = 0;
        qint64 smallestLogAfterCheckpoint = std::numeric_limits<qint64>::max();
        for (int seq = 1; seq <= Tasks; ++seq) {
            QVERIFY(store.beginBatch());
            auto inserted = store.insertTask(taskRow(seq));
            QVERIFY2(inserted, qPrintable(inserted ? QString() : inserted.error().message));
            QVERIFY(store.commitBatch());
            const qint64 log = fileSize(fresh.wal);
            if (store.walStats().checkpoints > 0)
                smallestLogAfterCheckpoint = qMin(smallestLogAfterCheckpoint, log);
            largestLog = qMax(largestLog, log);
            QVERIFY2(largestLog < bound,
                     qPrintable(QStringLiteral("the log reached %1 bytes after %2 tasks")
                                    .arg(largestLog)
                                    .arg(seq)));
        }
        qInfo() << "largest log" << largestLog << "bytes, smallest after a checkpoint"
                << smallestLogAfterCheckpoint << "; database" << fileSize(fresh.db) << "bytes";
        QVERIFY2(smallestLogAfterCheckpoint >=
                     qint64(SqliteStore::CheckpointEveryPages) * store.pageSize(),
                 qPrintable(QStringLiteral("the log was cut to %1 bytes after a checkpoint")
                                .arg(smallestLogAfterCheckpoint)));

        // The checkpoints copied frames, and the numbers they report are those of a WAL database.
        const WalStats stats = store.walStats();
        qInfo() << stats.checkpoints << "checkpoints," << stats.framesCopied << "frames copied";
        QVERIFY(stats.checkpoints > 0);
        QVERIFY(stats.framesCopied > 0);
        QCOMPARE(stats.failures, qint64(0));
        QVERIFY(stats.lastLogFrames >= SqliteStore::CheckpointEveryPages);
        QCOMPARE(stats.lastCopiedFrames, stats.lastLogFrames);
        QVERIFY2(
            fileSize(fresh.db) > dbAtStart + 1024 * 1024,
            qPrintable(QStringLiteral("the database file holds %1 bytes").arg(fileSize(fresh.db))));
        auto count = store.maxTaskSeq();
        QVERIFY(count);
        QCOMPARE(*count, qint64(Tasks));
    }

    // One transaction larger than the kept length (a batch of big payloads) grows the log past
    // it; once checkpointed, the next transaction cuts the log back to that length.
    void aLogGrownByOneLongTransactionIsCutBack()
    {
        FreshStore fresh;
        QVERIFY2(fresh.opened, qPrintable(fresh.failure()));
        SqliteStore &store = fresh.store;
        const qint64 limit = store.logSizeLimit();
        QVERIFY(limit >= qint64(SqliteStore::CheckpointEveryPages) * store.pageSize());

        QVERIFY(store.beginBatch());
        qint64 seq = 0;
        while (seq * 64 * 1024 < 2 * limit) {
            TaskRow row = taskRow(++seq);
            row.payload = QByteArray(64 * 1024, 'x');
            QVERIFY(store.insertTask(row));
        }
        QVERIFY(store.commitBatch());
        const qint64 grown = fileSize(fresh.wal);
        QVERIFY2(grown > limit, qPrintable(QStringLiteral("the log holds %1 bytes").arg(grown)));
        QVERIFY(store.walStats().checkpoints > 0);

        QVERIFY(store.beginBatch());
        QVERIFY(store.insertTask(taskRow(++seq)));
        QVERIFY(store.commitBatch());
        QVERIFY2(fileSize(fresh.wal) <= limit,
                 qPrintable(QStringLiteral("the log holds %1 bytes, more than %2")
                                .arg(fileSize(fresh.wal))
                                .arg(limit)));
        auto count = store.maxTaskSeq();
        QVERIFY(count);
        QCOMPARE(*count, seq);
    }

    // The store's connection holds the file in exclusive locking mode: a second store (another
    // process, or a server given a copy of the path) is refused at once, saying why; readers of
    // the same connection (a hot backup) still work, and the database opens again once closed.
    void secondOpenerIsRefused()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString db = QDir(dir.path()).filePath(QStringLiteral("queuedeck.db"));
        SqliteStore first;
        auto opened = first.open({db, Durability::Normal});
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().message));
        QVERIFY(first.beginBatch());
        QVERIFY(first.insertTask(taskRow(1)));
        QVERIFY(first.commitBatch());

        SqliteStore second;
        auto refused = second.open({db, Durability::Normal});
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, ErrorCode::Unavailable);
        QVERIFY2(refused.error().message.contains(QStringLiteral("in use by another process")),
                 qPrintable(refused.error().message));

        // A hot backup reads through the store's own connection.
        const QString copy = QDir(dir.path()).filePath(QStringLiteral("backup.db"));
        auto backup = first.startBackup(copy);
        QVERIFY2(backup, qPrintable(backup ? QString() : backup.error().message));
        bool done = false;
        for (int step = 0; step < 100 && !done; ++step) {
            auto stepped = (*backup)->step(64);
            QVERIFY2(stepped, qPrintable(stepped ? QString() : stepped.error().message));
            done = *stepped;
        }
        QVERIFY(done);
        backup->reset();
        SqliteStore fromBackup;
        QVERIFY(fromBackup.open({copy, Durability::Normal}));
        auto copied = fromBackup.maxTaskSeq();
        QVERIFY(copied);
        QCOMPARE(*copied, qint64(1));

        first.close();
        auto reopened = second.open({db, Durability::Normal});
        QVERIFY2(reopened, qPrintable(reopened ? QString() : reopened.error().message));
        auto count = second.maxTaskSeq();
        QVERIFY(count);
        QCOMPARE(*count, qint64(1));
    }
};

QTEST_GUILESS_MAIN(TestWalCheckpointer)
#include "tst_walcheckpointer.moc"
