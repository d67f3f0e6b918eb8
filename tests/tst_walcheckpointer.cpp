// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The write-ahead log of the SQLite store is copied into the database file while the server runs,
// and stays bounded under endless writes.

#include "sqlitestore.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

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

} // namespace

class TestWalCheckpointer final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    // One transaction per task, as single enqueues commit: each appends at least one frame to
    // the log. Without checkpoints the log would hold every one of them (about 170 MB here).
    void logStaysBoundedUnderEndlessWrites()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString db = QDir(dir.path()).filePath(QStringLiteral("queuedeck.db"));
        const QString wal = db + QStringLiteral("-wal");
        SqliteStore store;
        auto opened = store.open({db, Durability::Normal});
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().message));
        const qint64 dbAtStart = fileSize(db);

        // The writer's catch-up checkpoint bounds the log at SqliteStore's threshold (16,384
        // pages of 4,120 bytes each with their headers, 67.5 MB) plus the frames of the commit
        // that crossed it; a log well past that means the checkpoints stopped.
        const qint64 bound = 80 * 1000 * 1000;
        constexpr int Tasks = 40000;
        qint64 largestLog = 0;
        for (int seq = 1; seq <= Tasks; ++seq) {
            QVERIFY(store.beginBatch());
            auto inserted = store.insertTask(taskRow(seq));
            QVERIFY2(inserted, qPrintable(inserted ? QString() : inserted.error().message));
            QVERIFY(store.commitBatch());
            if (seq % 100 == 0) {
                largestLog = qMax(largestLog, fileSize(wal));
                QVERIFY2(largestLog < bound,
                         qPrintable(QStringLiteral("the log reached %1 bytes after %2 tasks")
                                        .arg(largestLog)
                                        .arg(seq)));
            }
        }
        qInfo() << "largest log" << largestLog << "bytes; database" << fileSize(db) << "bytes";

        // The checkpointer itself copied frames (not only the writer's catch-ups) and the numbers
        // it reports are those of a WAL database.
        const WalStats stats = store.walStats();
        qInfo() << "checkpointer:" << stats.checkpointer.checkpoints << "checkpoints,"
                << stats.checkpointer.framesCopied
                << "frames copied; writer catch-ups:" << stats.writerCheckpoints;
        QVERIFY(stats.checkpointer.checkpoints > 0);
        QVERIFY(stats.checkpointer.framesCopied > 0);
        QVERIFY(stats.checkpointer.lastLogFrames >= 0);
        QVERIFY(stats.checkpointer.lastCopiedFrames <= stats.checkpointer.lastLogFrames);

        // Once the writer is quiet, everything reaches the database file.
        QTRY_VERIFY_WITH_TIMEOUT(store.walStats().checkpointer.lastLogFrames ==
                                         store.walStats().checkpointer.lastCopiedFrames &&
                                     store.walStats().checkpointer.lastLogFrames > 0,
                                 20000);
        QVERIFY2(fileSize(db) > dbAtStart + 1024 * 1024,
                 qPrintable(QStringLiteral("the database file holds %1 bytes").arg(fileSize(db))));
        auto count = store.maxTaskSeq();
        QVERIFY(count);
        QCOMPARE(*count, qint64(Tasks));
    }
};

QTEST_GUILESS_MAIN(TestWalCheckpointer)
#include "tst_walcheckpointer.moc"
