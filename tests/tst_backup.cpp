// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// Online backups of a running engine, and starting from one (restore), including the data of the
// previous release.

#include "enginefixture.h"
#include "ids.h"
#include "sqliteschema.h"

#include <QDir>
#include <QFile>
#include <QSet>
#include <QStandardPaths>

#include <sqlite3.h>

using namespace QueueDeck;
using namespace QueueDeck::Testing;
using namespace Qt::StringLiterals;

namespace {

QSet<QString> taskIds(Engine &engine, const QString &queueId)
{
    QSet<QString> ids;
    TaskFilter filter;
    filter.limit = 1000;
    while (true) {
        auto page = await(engine.listTasks(queueId, filter));
        if (!page)
            return {u"<list failed>"_s};
        for (const TaskInfo &task : page->items)
            ids.insert(task.id);
        if (page->nextCursor.isEmpty())
            return ids;
        filter.cursor = page->nextCursor;
    }
}

bool setUserVersion(const QString &path, int version)
{
    sqlite3 *db = nullptr;
    const bool opened = sqlite3_open(path.toUtf8().constData(), &db) == SQLITE_OK;
    const QByteArray sql = "PRAGMA user_version=" + QByteArray::number(version);
    const bool set = opened && sqlite3_exec(db, sql.constData(), nullptr, nullptr, nullptr) == 0;
    sqlite3_close(db);
    return set;
}

} // namespace

class TestBackup final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    // A backup of a database bigger than one step, taken while tasks are enqueued, holds every
    // task acknowledged before it started and nothing that was never acknowledged; a server
    // started from it has them.
    void backupWhileWritingThenRestore()
    {
        EngineFixture f;
        QVERIFY(f.start());
        QD_AWAIT(queue, f.engine().createQueue(u"default"_s, u"q"_s, {}));
        const QByteArray payload = "{\"text\":\"" + QByteArray(1000, 'x') + "\"}";
        QSet<QString> before;
        for (int i = 0; i < 6; ++i) { // ~6 MB: several steps of BackupJobs::StepPages
            QList<EnqueueRequest> batch(1000, job(payload));
            QD_AWAIT(ids, f.engine().enqueueBatch(queue.id, batch));
            for (const QString &id : ids)
                before.insert(id);
        }
        QD_AWAIT(started, f.engine().startBackup());
        QCOMPARE(started.state, u"running"_s);
        QVERIFY(started.path.startsWith(QDir(f.path()).filePath(u"backups"_s)));
        // A second one is refused while the first runs.
        QD_EXPECT_ERROR(f.engine().startBackup(), ErrorCode::FailedPrecondition);

        QSet<QString> all = before;
        BackupStatus status = started;
        for (int round = 0; round < 2000 && status.state == u"running"; ++round) {
            QD_AWAIT(one, f.engine().enqueue(queue.id, job(payload)));
            all.insert(one.id);
            QD_AWAIT(now, f.engine().backupStatus(started.id));
            status = now;
            QVERIFY(status.pagesDone <= status.pagesTotal);
        }
        QCOMPARE(status.state, u"done"_s);
        QCOMPARE(status.pagesDone, status.pagesTotal);
        QVERIFY(status.pagesTotal > BackupJobs::StepPages);
        QVERIFY(QFile::exists(status.path));
        QVERIFY(!QFile::exists(status.path + u".part"_s));
        QCOMPARE(status.sizeBytes, QFileInfo(status.path).size());
        auto version = SqliteSchema::inspect(status.path);
        QVERIFY2(version, version ? "" : messageOf(version.error()));

        // Start a second server from it.
        EngineFixture restored;
        EngineOptions options;
        options.restoreFrom = status.path;
        QVERIFY(restored.start(options));
        const QSet<QString> inBackup = taskIds(restored.engine(), queue.id);
        QVERIFY(inBackup.contains(before));
        QVERIFY(all.contains(inBackup));
        qInfo() << "backup of" << status.pagesTotal << "pages holds" << inBackup.size() << "of"
                << all.size() << "tasks;" << before.size() << "were there when it started";

        // Removing it on the server.
        QD_AWAIT_VOID(f.engine().deleteBackup(started.id));
        QVERIFY(!QFile::exists(status.path));
        QD_EXPECT_ERROR(f.engine().backupStatus(started.id), ErrorCode::NotFound);
        QD_EXPECT_ERROR(f.engine().backupStatus(u"../queuedeck"_s), ErrorCode::NotFound);
    }

    // Restoring replaces the database and keeps the one it replaced beside it.
    void restoreKeepsThePreviousDatabase()
    {
        EngineFixture f;
        QVERIFY(f.start());
        QD_AWAIT(queue, f.engine().createQueue(u"default"_s, u"replaced"_s, {}));
        f.stop();
        EngineOptions options;
        options.restoreFrom = QStringLiteral(SCHEMA_V3_DB);
        QVERIFY(f.start(options));
        QD_EXPECT_ERROR(f.engine().queue(queue.id), ErrorCode::NotFound);
        // The database, and its intake log beside it.
        QStringList kept = QDir(f.path()).entryList({u"queuedeck.db.before-restore-*"_s});
        QCOMPARE(kept.filter(u"-intake"_s).size(), 1);
        kept.removeIf([](const QString &name) { return name.endsWith(u"-intake"); });
        QCOMPARE(kept.size(), 1);
        QCOMPARE(SqliteSchema::inspect(QDir(f.path()).filePath(kept.first())).value_or(-1),
                 SqliteSchema::Version);
    }

    // The data of the previous release (schema version 3, release 0.1.0), restored and upgraded:
    // its queue, tasks, results, logs and producer tokens are there.
    void restoresThePreviousReleasesData()
    {
        EngineFixture f;
        EngineOptions options;
        options.restoreFrom = QStringLiteral(SCHEMA_V3_DB);
        QVERIFY(f.start(options));
        QD_AWAIT(mail, f.engine().queue(u"q_oldmail0001"_s));
        QCOMPARE(mail.name, u"mail"_s);
        QCOMPARE(mail.settings.maxWorkers, 4);
        QCOMPARE(mail.counts.queued, qint64(3));
        QCOMPARE(mail.counts.succeeded, qint64(1));
        QD_AWAIT(tokens, f.engine().listProducerTokens());
        QCOMPARE(tokens.size(), 1);
        QCOMPARE(tokens.first().name, u"mailer"_s);
        QD_AWAIT(done, f.engine().task(Ids::taskId(1763800000000 + 5, 0, 5)));
        QCOMPARE(done.result, QByteArray(R"({"sent":true})"));
        QD_AWAIT(logs, f.engine().taskLogs(done.id, 0, 10));
        QCOMPARE(logs.size(), 1);
        QCOMPARE(logs.first().text, u"sent"_s);
        // The committed file itself is never changed.
        QCOMPARE(SqliteSchema::inspect(QStringLiteral(SCHEMA_V3_DB)).value_or(-1), 3);
    }

    void refusesWhatIsNoQueueDeckBackup()
    {
        QTemporaryDir dir;
        const QString text = dir.filePath(u"notes.db"_s);
        {
            QFile file(text);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("not a database at all, but long enough to look like one maybe\n");
        }
        auto notSqlite = SqliteSchema::inspect(text);
        QVERIFY(!notSqlite);
        QCOMPARE(notSqlite.error().code, ErrorCode::InvalidArgument);
        QVERIFY2(notSqlite.error().message.contains(u"not a SQLite database"_s),
                 qPrintable(notSqlite.error().message));

        const QString other = dir.filePath(u"other.db"_s);
        {
            sqlite3 *db = nullptr;
            QCOMPARE(sqlite3_open(other.toUtf8().constData(), &db), SQLITE_OK);
            sqlite3_exec(db, "CREATE TABLE notes(text)", nullptr, nullptr, nullptr);
            sqlite3_close(db);
        }
        auto foreign = SqliteSchema::inspect(other);
        QVERIFY(!foreign);
        QVERIFY2(foreign.error().message.contains(u"without QueueDeck's tables"_s),
                 qPrintable(foreign.error().message));

        const QString newer = dir.filePath(u"newer.db"_s);
        QVERIFY(QFile::copy(QStringLiteral(SCHEMA_V3_DB), newer));
        QFile::setPermissions(newer, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        QVERIFY(setUserVersion(newer, 99));
        auto tooNew = SqliteSchema::inspect(newer);
        QVERIFY(!tooNew);
        QCOMPARE(tooNew.error().code, ErrorCode::FailedPrecondition);
        QVERIFY2(tooNew.error().message.contains(u"newer QueueDeck"_s),
                 qPrintable(tooNew.error().message));

        // A server asked to start from one does not start, and its own database is untouched.
        EngineFixture f;
        QVERIFY(f.start());
        QD_AWAIT(queue, f.engine().createQueue(u"default"_s, u"kept"_s, {}));
        f.stop();
        for (const QString &bad : {text, other, newer}) {
            EngineOptions options;
            options.restoreFrom = bad;
            QVERIFY(!f.start(options));
        }
        QVERIFY(f.start());
        QD_AWAIT(still, f.engine().queue(queue.id));
        QCOMPARE(still.name, u"kept"_s);
    }
};

QTEST_GUILESS_MAIN(TestBackup)
#include "tst_backup.moc"
