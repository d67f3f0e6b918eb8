// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// `qdeck serve --database postgresql://…` on a real PostgreSQL server of the test's own: a task
// goes through HTTP from enqueue to lease to complete, and is in the database; the database's
// password never shows in argv or in the server's output; nodes starting together migrate once.

#include "enginefixture.h"
#include "postgresconnection.h"
#include "postgresharness.h"
#include "postgresschema.h"
#include "postgresstore.h"
#include "queuedeckclient.h"
#include "serverprocess.h"

#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QThread>

#include <limits>
#include <thread>

using namespace QueueDeck;
using namespace QueueDeck::Client;
using namespace QueueDeck::Testing;
using namespace Qt::StringLiterals;

namespace {

std::unique_ptr<QueueDeckClient> clientFor(const ServerProcess &server, const QString &token)
{
    return std::make_unique<QueueDeckClient>(ClientOptions{QUrl(server.url()), token});
}

TaskRow taskRow(qint64 seq)
{
    TaskRow row;
    row.seq = seq;
    row.queueNum = 1;
    row.type = QStringLiteral("t");
    row.payload = "{}";
    row.enqueuedAtMs = row.runAtMs = 10;
    return row;
}

// A fresh database of the harness, opened as a store outside any cluster; its name in *database.
bool openFresh(PostgresStore &store, QString *database = nullptr)
{
    const QString url = PostgresHarness::shared().createDatabase();
    if (database)
        *database = url.section(u'/', -1);
    return !url.isEmpty() &&
           store.open(StoreOptions{url, Durability::Normal, std::nullopt, testClusterKey()});
}

// Ends the store's sessions on the database (as a restart or an administrator would) and waits
// until they are gone.
bool endSessions(const QString &database)
{
    const QString where =
        u"FROM pg_stat_activity WHERE datname='%1' AND application_name='queuedeck'"_qs.arg(
            database);
    if (!PostgresHarness::shared().psql(u"SELECT pg_terminate_backend(pid) "_qs + where))
        return false;
    for (int i = 0; i < 100; ++i) {
        QString count;
        if (PostgresHarness::shared().psql(u"SELECT count(*) "_qs + where, &count) &&
            count.trimmed() == u"0")
            return true;
        QThread::msleep(50);
    }
    return false;
}

// One operation that leases task `seq` to w_1 with the promise that lets the commit go with the
// lease (Store::commitWithLease); the caller ends the operation.
Result<std::vector<std::optional<LeasedRow>>>
leaseCarryingTheCommit(PostgresStore &store, qint64 seq, qint64 defaultTimeoutS = 60)
{
    if (auto began = store.beginOperation(); !began)
        return std::unexpected(began.error());
    store.commitWithLease();
    return store.markLeasedMany({{seq, 11, defaultTimeoutS}}, QStringLiteral("w_1"), 1000);
}

// An engine on a fresh database of the harness; its name in *database.
bool startOnFreshDatabase(EngineFixture &fixture, QString *database = nullptr)
{
    const QString url = PostgresHarness::shared().createDatabase();
    if (url.isEmpty())
        return false;
    if (database)
        *database = url.section(u'/', -1);
    EngineOptions options;
    options.databasePath = url;
    return fixture.start(options);
}

// "seq:state,…" of every task, as another session of the database sees them.
QString statesSeenOutside(const QString &database)
{
    QString seen;
    if (!PostgresHarness::shared().psql(
            u"SELECT string_agg(seq || ':' || state, ',' ORDER BY seq) FROM tasks"_qs, &seen,
            database))
        return QStringLiteral("(psql failed)");
    return seen.trimmed();
}

// One operation that inserts one task and is kept.
bool insertAlone(PostgresStore &store, qint64 seq)
{
    if (!store.beginOperation())
        return false;
    const bool inserted = store.insertTask(taskRow(seq)).has_value();
    store.endOperation(true);
    return inserted;
}

// A batch of its own that inserts one task and commits.
bool commitAlone(PostgresStore &store, qint64 seq)
{
    return store.beginBatch() && insertAlone(store, seq) && store.commitBatch();
}

QList<qint64> seqs(PostgresStore &store)
{
    QList<qint64> out;
    auto scanned = store.scanUnfinished([&out](const TaskRow &row) { out.append(row.seq); });
    if (!scanned)
        return {-1};
    // Finished ones too: the scan reads unfinished tasks only.
    for (qint64 seq = 1; seq <= 10; ++seq) {
        auto row = store.loadTask(seq);
        if (row && row->has_value() && isFinished((*row)->state))
            out.append(seq);
    }
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

class TestPostgresServe final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(PostgresHarness::shared().isRunning(),
                 qPrintable(PostgresHarness::shared().error()));
    }

    void enqueueLeaseCompleteOverHttp()
    {
        const QString url = PostgresHarness::shared().createDatabase();
        QVERIFY(!url.isEmpty());
        ServerProcess server({QStringLiteral("--database"), url});
        QVERIFY(server.start());
        // Nothing of it went to a SQLite file in the data directory.
        QVERIFY(!QFile::exists(server.dataDir() + u"/queuedeck.db"));
        auto admin = clientFor(server, server.adminToken());
        QD_AWAIT(queue, admin->createQueue(QStringLiteral("default"), QStringLiteral("pg")));
        QD_AWAIT(task, admin->call("POST", u"/api/v1/worker-queues/%1/tasks"_qs.arg(queue.id),
                                   QJsonObject{{QStringLiteral("type"), QStringLiteral("mail")},
                                               {QStringLiteral("payload"),
                                                QJsonObject{{QStringLiteral("to"), 7}}}}));
        const QString taskId = task.value(QStringLiteral("id")).toString();
        QVERIFY(!taskId.isEmpty());
        QD_AWAIT(registered,
                 admin->call("POST", QStringLiteral("/api/v1/workers/register"),
                             QJsonObject{{QStringLiteral("queue_id"), queue.id},
                                         {QStringLiteral("hostname"), QStringLiteral("h")}}));
        const QString workerId = registered.value(QStringLiteral("worker_id")).toString();
        auto worker = clientFor(server, registered.value(QStringLiteral("credential")).toString());
        QD_AWAIT(leased, worker->call("POST", u"/api/v1/workers/%1/lease"_qs.arg(workerId),
                                      QJsonObject{{QStringLiteral("max"), 1},
                                                  {QStringLiteral("wait_ms"), 5000}}));
        const QJsonArray tasks = leased.value(QStringLiteral("tasks")).toArray();
        QCOMPARE(tasks.size(), 1);
        QCOMPARE(tasks[0][QStringLiteral("id")].toString(), taskId);
        QCOMPARE(tasks[0][QStringLiteral("payload")][QStringLiteral("to")].toInt(), 7);
        QD_AWAIT(completed,
                 worker->call("POST", u"/api/v1/workers/%1/complete"_qs.arg(workerId),
                              QJsonObject{{QStringLiteral("acks"),
                                           QJsonArray{QJsonObject{
                                               {QStringLiteral("task_id"), taskId},
                                               {QStringLiteral("lease_id"),
                                                tasks[0][QStringLiteral("lease_id")].toString()},
                                               {QStringLiteral("result"),
                                                QJsonObject{{QStringLiteral("sent"), true}}}}}}}));
        QD_AWAIT(done, admin->call("GET", u"/api/v1/tasks/%1"_qs.arg(taskId)));
        QCOMPARE(done.value(QStringLiteral("state")).toString(), QStringLiteral("succeeded"));

        // The database holds it, finished, with its result; and it survives a restart.
        QString rows;
        QVERIFY(PostgresHarness::shared().psql(
            QStringLiteral("SELECT state, convert_from(result, 'UTF8') FROM tasks WHERE "
                           "type='mail'"),
            &rows, url.section(u'/', -1)));
        QCOMPARE(rows, QStringLiteral("3|{\"sent\":true}"));
        QCOMPARE(server.stop(), 0);
        QVERIFY(server.start());
        QD_AWAIT(again, clientFor(server, server.adminToken())
                            ->call("GET", u"/api/v1/tasks/%1"_qs.arg(taskId)));
        QCOMPARE(again.value(QStringLiteral("state")).toString(), QStringLiteral("succeeded"));
    }

    // A password on the command line is refused (every user can read argv); one in the config
    // file reaches libpq but shows nowhere: not in argv, not in what the server writes.
    void passwordNeverInArgvOrLogs()
    {
        const QString url = PostgresHarness::shared().createDatabase();
        QVERIFY(!url.isEmpty());
        const QString secret = QStringLiteral("s3cret-Pw-7d1");
        QString withPassword = url;
        withPassword.replace(u"postgres@"_qs, u"postgres:%1@"_qs.arg(secret));
        {
            ServerProcess refused({QStringLiteral("--database"), withPassword});
            QVERIFY(!refused.start());
            QVERIFY(refused.errorOutput().contains("carries a password"));
            QVERIFY(!refused.errorOutput().contains(secret.toUtf8()));
        }
        QTemporaryDir configDir;
        const QString configPath = configDir.filePath(QStringLiteral("qdeck.ini"));
        QFile config(configPath);
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write("database=" + withPassword.toUtf8() + "\n");
        config.close();
        ServerProcess server({QStringLiteral("--config"), configPath});
        server.setLoggingRules(QStringLiteral("queuedeck.*.debug=true"));
        QVERIFY(server.start());
        QD_AWAIT(queues, clientFor(server, server.adminToken())->listQueues());
        QVERIFY(!queues.isEmpty());
        QVERIFY(!server.errorOutput().contains(secret.toUtf8()));
        QVERIFY(server.errorOutput().contains("postgresql://postgres@127.0.0.1"));
        QFile commandLine(u"/proc/%1/cmdline"_qs.arg(server.processId()));
        QVERIFY(commandLine.open(QIODevice::ReadOnly));
        QVERIFY(!commandLine.readAll().contains(secret.toUtf8()));
        QCOMPARE(PostgresConnection::redacted(withPassword).contains(secret), false);
    }

    // Nodes that start together on an empty database: the schema is made once, and every one of
    // them opens it.
    void nodesStartingTogetherMigrateOnce()
    {
        const QString url = PostgresHarness::shared().createDatabase();
        QVERIFY(!url.isEmpty());
        constexpr int Nodes = 4;
        std::vector<std::thread> threads;
        std::vector<QString> errors(Nodes);
        for (int i = 0; i < Nodes; ++i) {
            threads.emplace_back([&, i] {
                PostgresConnection connection;
                auto done = connection.open(url);
                if (done)
                    done = PostgresSchema::migrate(connection,
                                                   *TokenCipher::fromKey(testClusterKey()));
                if (!done)
                    errors[i] = done.error().message;
            });
        }
        for (auto &thread : threads)
            thread.join();
        for (const QString &error : errors)
            QVERIFY2(error.isEmpty(), qPrintable(error));
        QString versions;
        QVERIFY(PostgresHarness::shared().psql(
            QStringLiteral("SELECT count(*), max(version) FROM queuedeck_migrations"), &versions,
            url.section(u'/', -1)));
        QCOMPARE(versions, QStringLiteral("%1|%1").arg(PostgresSchema::Version));
    }

    // Until queues have owners, a second server on the same database is refused with a reason;
    // the database is free again the moment the first one's session ends.
    void secondServerOnTheSameDatabaseRefused()
    {
        const QString url = PostgresHarness::shared().createDatabase();
        QVERIFY(!url.isEmpty());
        auto first = std::make_unique<PostgresStore>();
        QVERIFY(first->open(StoreOptions{url, Durability::Normal, std::nullopt, testClusterKey()}));
        PostgresStore second;
        auto refused =
            second.open(StoreOptions{url, Durability::Normal, std::nullopt, testClusterKey()});
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, ErrorCode::FailedPrecondition);
        QVERIFY(refused.error().message.contains(u"in use by another QueueDeck server"));
        first.reset();
        QVERIFY(second.open(StoreOptions{url, Durability::Normal, std::nullopt, testClusterKey()}));
    }

    // Join tokens are kept encrypted with the cluster key; tokens a database kept in plain text
    // before (schema version 3) are encrypted by the migration; another key is refused.
    void joinTokensEncryptedAndMigrated()
    {
        const QString url = PostgresHarness::shared().createDatabase();
        QVERIFY(!url.isEmpty());
        const QString database = url.section(u'/', -1);
        const QString token = QStringLiteral("qdj_plaintexttokenfrombefore");
        {
            PostgresStore store;
            QVERIFY(
                store.open(StoreOptions{url, Durability::Normal, std::nullopt, testClusterKey()}));
            QVERIFY(store.beginBatch());
            QueueRow row;
            row.num = 1;
            row.id = QStringLiteral("q_one");
            row.environment = QStringLiteral("default");
            row.name = QStringLiteral("one");
            row.joinToken = token;
            QVERIFY(store.beginOperation());
            EnvironmentInfo environment;
            environment.name = QStringLiteral("default");
            QVERIFY(store.insertEnvironment(environment));
            auto inserted = store.insertQueue(row);
            QVERIFY2(inserted, inserted ? "" : qPrintable(inserted.error().message));
            store.endOperation(true);
            QVERIFY(store.commitBatch());
        }
        QString stored;
        QVERIFY(
            PostgresHarness::shared().psql(u"SELECT join_token FROM queues"_qs, &stored, database));
        QVERIFY(stored.startsWith(u"qdk1:"));
        QVERIFY(!stored.contains(token));

        // Back to what version 3 kept: the token in plain text.
        QVERIFY(PostgresHarness::shared().psql(
            u"UPDATE queues SET join_token = '%1'; DROP TABLE cluster_secrets; DELETE FROM "
            u"queuedeck_migrations WHERE version >= 4"_qs.arg(token),
            nullptr, database));
        {
            PostgresStore store;
            QVERIFY(
                store.open(StoreOptions{url, Durability::Normal, std::nullopt, testClusterKey()}));
            auto queues = store.loadQueues();
            QVERIFY(queues);
            QCOMPARE(queues->size(), 1);
            QCOMPARE(queues->first().joinToken, token);
        }
        QVERIFY(
            PostgresHarness::shared().psql(u"SELECT join_token FROM queues"_qs, &stored, database));
        QVERIFY2(stored.startsWith(u"qdk1:") && !stored.contains(token), qPrintable(stored));

        PostgresStore other;
        auto refused =
            other.open(StoreOptions{url, Durability::Normal, std::nullopt, QByteArray(32, 'z')});
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, ErrorCode::FailedPrecondition);
        QVERIFY2(refused.error().message.contains(u"QUEUEDECK_CLUSTER_KEY"),
                 qPrintable(refused.error().message));
    }

    // A session the database ended (a restart, a failover, an administrator) fails the batch it
    // was in; the next batch connects again, takes the server's lock again and writes.
    void reconnectsAfterTheSessionEnded()
    {
        const QString url = PostgresHarness::shared().createDatabase();
        QVERIFY(!url.isEmpty());
        PostgresStore store;
        QVERIFY(store.open(StoreOptions{url, Durability::Normal, std::nullopt, testClusterKey()}));
        QVERIFY(endSessions(url.section(u'/', -1)));
        auto began = store.beginBatch();
        if (!began) {
            QCOMPARE(began.error().code, ErrorCode::Unavailable);
            began = store.beginBatch();
        }
        QVERIFY2(began, began ? "" : qPrintable(began.error().message));
        QVERIFY(store.insertEnvironment({QStringLiteral("after"), {}, true, 1}));
        QVERIFY(store.commitBatch());
        auto environments = store.loadEnvironments();
        QVERIFY(environments && environments->size() == 1);
        PostgresStore second;
        QVERIFY(!second.open(StoreOptions{url, Durability::Normal, std::nullopt,
                                          testClusterKey()})); // the lock is held again
    }

    // A batch whose held-back writes and COMMIT are sent on a session the database ended
    // meanwhile fails whole and is not sent again (the COMMIT may have been applied before the
    // answer was lost): nothing of it is written, and the next batch writes on a new session.
    // Had a statement of it still to be prepared, preparing (a round trip of its own, before
    // anything of the batch is sent) would find the session ended, and the batch would go on a
    // new one and commit.
    void aBatchWhoseSessionEndedFailsWhole()
    {
        for (const bool preparedBefore : {true, false}) {
            PostgresStore store;
            QString database;
            QVERIFY(openFresh(store, &database));
            if (preparedBefore) { // the statements of the batch below are prepared
                QVERIFY(commitAlone(store, 1));
            }
            QVERIFY(store.beginBatch());
            QVERIFY(insertAlone(store, 2)); // held back: BEGIN, INSERT and COMMIT go together
            QVERIFY(endSessions(database));
            auto committed = store.commitBatch();
            if (!preparedBefore) {
                QVERIFY2(committed, committed ? "" : qPrintable(committed.error().message));
                QCOMPARE(statesSeenOutside(database), QStringLiteral("2:1"));
                continue;
            }
            QVERIFY(!committed);
            QCOMPARE(committed.error().code, ErrorCode::Unavailable);
            store.rollbackBatch();
            QVERIFY(store.beginBatch());
            QVERIFY(insertAlone(store, 3));
            committed = store.commitBatch();
            QVERIFY2(committed, committed ? "" : qPrintable(committed.error().message));
            QCOMPARE(statesSeenOutside(database), QStringLiteral("1:1,3:1"));
        }
    }

    // A round trip that would begin the batch's transaction and not end it meets a session the
    // database ended a moment ago (too soon for the store to have read the socket): nothing of it
    // can have been applied, so it is sent again on a new session, and the caller sees no error.
    void aRoundTripThatBeginsATransactionIsSentAgainOnANewSession()
    {
        PostgresStore store;
        QString database;
        QVERIFY(openFresh(store, &database));
        QVERIFY(commitAlone(store, 1));
        QVERIFY(endSessions(database));
        QVERIFY(store.beginBatch());
        QVERIFY(insertAlone(store, 2)); // held back, with BEGIN: sent with the read below
        QVERIFY(store.beginOperation());
        auto highest = store.maxTaskSeq();
        QVERIFY2(highest, highest ? "" : qPrintable(highest.error().message));
        QCOMPARE(*highest, 2);
        store.endOperation(true);
        auto committed = store.commitBatch();
        QVERIFY2(committed, committed ? "" : qPrintable(committed.error().message));
        QCOMPARE(statesSeenOutside(database), QStringLiteral("1:1,2:1"));
    }

    // The session ends in the middle of a batch, and another server takes the database's lock
    // before the store can set a new session up. The batch fails whole: nothing of it goes out on
    // a session that holds no lock, and the next batch says the database is in use.
    void aSessionThatCannotBeSetUpAgainCarriesNothing()
    {
        const QString url = PostgresHarness::shared().createDatabase();
        QVERIFY(!url.isEmpty());
        const QString database = url.section(u'/', -1);
        PostgresStore store;
        QVERIFY(store.open(StoreOptions{url, Durability::Normal, std::nullopt, testClusterKey()}));
        QVERIFY(commitAlone(store, 1)); // the insert's statement is prepared on this session
        QVERIFY(store.beginBatch());
        QVERIFY(insertAlone(store, 2)); // held back
        QVERIFY(endSessions(database));
        PostgresStore other;
        QVERIFY(other.open(StoreOptions{url, Durability::Normal, std::nullopt, testClusterKey()}));
        QVERIFY(store.beginOperation());
        auto logs = store.loadLogs(2, 0, 10); // not prepared yet: preparing finds the session ended
        QVERIFY(!logs);
        store.endOperation(false);
        auto committed = store.commitBatch();
        QVERIFY(!committed);
        QCOMPARE(committed.error().code, ErrorCode::Unavailable);
        store.rollbackBatch();
        QCOMPARE(statesSeenOutside(database), QStringLiteral("1:1"));
        auto began = store.beginBatch();
        QVERIFY(!began);
        QCOMPARE(began.error().code, ErrorCode::FailedPrecondition);
    }

    // A session the database ended while the store sat idle (a restart, idle_session_timeout) is
    // found closed and replaced when the next batch begins, before anything is sent on it: that
    // batch, a lease carrying its commit among them, is not lost to it.
    void aSessionEndedWhileIdleIsReplaced()
    {
        PostgresStore store;
        QString database;
        QVERIFY(openFresh(store, &database));
        QVERIFY(commitAlone(store, 1));
        QVERIFY(endSessions(database));
        QTest::qWait(1100); // idle for longer than the store reads the session after
        QVERIFY(store.beginBatch());
        QVERIFY(insertAlone(store, 2));
        auto rows = leaseCarryingTheCommit(store, 1);
        QVERIFY2(rows, rows ? "" : qPrintable(rows.error().message));
        store.endOperation(true);
        auto committed = store.commitBatch();
        QVERIFY2(committed, committed ? "" : qPrintable(committed.error().message));
        QCOMPARE(statesSeenOutside(database), QStringLiteral("1:2,2:1"));
    }

    // A task the engine holds as waiting whose row is not (changed behind its back): the lease
    // answers without it and gives its reservation back, so the queue's one concurrency slot is
    // free for the next task.
    void aLeaseOfARowNoLongerWaitingGivesItsSlotBack()
    {
        EngineFixture fixture;
        QString database;
        QVERIFY(startOnFreshDatabase(fixture, &database));
        Engine &engine = fixture.engine();
        QueueSettings settings;
        settings.concurrency = 1;
        QD_AWAIT(queue, engine.createQueue(u"default"_qs, u"work"_qs, settings));
        QD_AWAIT(first, engine.enqueue(queue.id, job()));
        QD_AWAIT(second, engine.enqueue(queue.id, job()));
        QVERIFY(PostgresHarness::shared().psql(
            u"UPDATE tasks SET state = 3, finished_at = 1 WHERE seq = (SELECT min(seq) FROM "
            u"tasks)"_qs,
            nullptr, database));
        QD_AWAIT(worker, engine.registerWorker(workerOn({queue.id})));
        QD_AWAIT(none, engine.lease({worker.workerId, 1, 0}));
        QVERIFY(none.isEmpty());
        QD_AWAIT(next, engine.lease({worker.workerId, 1, 0}));
        QCOMPARE(next.size(), 1);
        QCOMPARE(next[0].id, second.id);
        QVERIFY(first.id != second.id);
    }

    // A batch that fails because the database ended the session makes the engine read its state
    // back; that read fails on the same dead session. The engine does not then answer from a
    // half-empty state: it reads the state again, on a new session, before the next batch.
    void theStateIsReadBackBeforeTheNextBatch()
    {
        EngineFixture fixture;
        QString database;
        QVERIFY(startOnFreshDatabase(fixture, &database));
        Engine &engine = fixture.engine();
        QD_AWAIT(queue, engine.createQueue(u"default"_qs, u"work"_qs, {}));
        // The session must end between two batches less than a second apart (after a longer
        // pause the store finds it closed before sending); a slow machine may take a few tries.
        bool failed = false;
        for (int attempt = 0; attempt < 5 && !failed; ++attempt) {
            QVERIFY(endSessions(database));
            auto enqueued = await(engine.enqueue(queue.id, job()));
            failed = !enqueued.has_value();
            if (failed)
                QCOMPARE(enqueued.error().code, ErrorCode::Unavailable);
        }
        QVERIFY(failed);
        QD_AWAIT(task, engine.enqueue(queue.id, job()));
        QCOMPARE(task.queueId, queue.id);
        QD_AWAIT(listed, engine.listQueues(u"default"_qs));
        QVERIFY(std::any_of(listed.begin(), listed.end(),
                            [&queue](const QueueInfo &q) { return q.id == queue.id; }));
    }

    // The database stops while the engine runs, and starts again. Meanwhile every call is
    // refused as unavailable (a reload that failed is not answered from), no call is answered
    // from a half-empty state, and nothing refused is written. Once it is back, the next calls
    // work on the whole state: the queue and its task from before, nothing of the refused ones.
    void theDatabaseGoingAwayAndComingBackLosesNothing()
    {
        EngineFixture fixture;
        QVERIFY(startOnFreshDatabase(fixture));
        Engine &engine = fixture.engine();
        QD_AWAIT(queue, engine.createQueue(u"default"_qs, u"work"_qs, {}));
        QD_AWAIT(before, engine.enqueue(queue.id, job()));
        // The queues and their waiting tasks, as the engine answers them.
        const auto queuedCounts = [&engine]() -> Result<QMap<QString, qint64>> {
            auto listed = await(engine.listQueues(u"default"_qs));
            if (!listed)
                return std::unexpected(listed.error());
            QMap<QString, qint64> counts;
            for (const QueueInfo &q : *listed)
                counts.insert(q.id, q.counts.queued);
            return counts;
        };
        auto counted = queuedCounts();
        QVERIFY(counted);
        const QMap<QString, qint64> whole = *counted;
        QCOMPARE(whole.value(queue.id), 1);

        PostgresHarness &harness = PostgresHarness::shared();
        harness.stop();
        QVERIFY(!harness.isRunning());
        // Twice: the first fails its batch and the reload after it, the second meets the state
        // left unread (or a session that cannot be opened).
        for (int attempt = 0; attempt < 2; ++attempt) {
            auto refused = await(engine.enqueue(queue.id, job()));
            QVERIFY2(!refused.has_value(), "an enqueue was accepted with the database stopped");
            QCOMPARE(refused.error().code, ErrorCode::Unavailable);
        }
        if (auto meanwhile = queuedCounts()) // answered: then from the whole state
            QCOMPARE(*meanwhile, whole);
        else
            QCOMPARE(meanwhile.error().code, ErrorCode::Unavailable);

        QVERIFY2(harness.restart(), qPrintable(harness.error()));
        std::optional<TaskInfo> after;
        for (int attempt = 0; attempt < 10 && !after; ++attempt) {
            auto enqueued = await(engine.enqueue(queue.id, job()));
            if (enqueued)
                after = *enqueued;
            else
                QTest::qWait(200);
        }
        QVERIFY2(after, "no enqueue succeeded within 2 s of the database's return");
        counted = queuedCounts();
        QVERIFY(counted);
        QMap<QString, qint64> expected = whole;
        expected[queue.id] = 2;
        QCOMPARE(*counted, expected);
        QD_AWAIT(worker, engine.registerWorker(workerOn({queue.id})));
        QD_AWAIT(leased, engine.lease({worker.workerId, 8, 0}));
        QCOMPARE(leased.size(), 2);
        QCOMPARE(leased[0].id, before.id);
        QCOMPARE(leased[1].id, after->id);
    }

    // A batch fails, and so does reading the state back after it, while the session stays
    // open (here the table of tasks is renamed away from the engine). The next batch reads the
    // state first; while that fails, its calls are refused with the reason and nothing runs on
    // the half-read state. Once the table is back, the state is read whole and calls work.
    void aStateThatCannotBeReadBackIsNotAnsweredFrom()
    {
        EngineFixture fixture;
        QString database;
        QVERIFY(startOnFreshDatabase(fixture, &database));
        Engine &engine = fixture.engine();
        QD_AWAIT(queue, engine.createQueue(u"default"_qs, u"work"_qs, {}));
        QD_AWAIT(before, engine.enqueue(queue.id, job()));
        PostgresHarness &harness = PostgresHarness::shared();
        QVERIFY(harness.psql(u"ALTER TABLE tasks RENAME TO tasks_away"_qs, nullptr, database));

        auto failed = await(engine.enqueue(queue.id, job())); // fails, and its reload too
        QVERIFY(!failed.has_value());
        for (int attempt = 0; attempt < 2; ++attempt) {
            auto refused = await(engine.enqueue(queue.id, job()));
            QVERIFY2(!refused.has_value(), "an enqueue ran on a state that was not read back");
            QCOMPARE(refused.error().code, ErrorCode::Unavailable);
            QVERIFY2(refused.error().message.contains(u"could not read its state back"),
                     qPrintable(refused.error().message));
            auto listed = await(engine.listQueues(u"default"_qs));
            QVERIFY(!listed.has_value());
            QCOMPARE(listed.error().code, ErrorCode::Unavailable);
        }

        QVERIFY(harness.psql(u"ALTER TABLE tasks_away RENAME TO tasks"_qs, nullptr, database));
        QD_AWAIT(after, engine.enqueue(queue.id, job()));
        QD_AWAIT(worker, engine.registerWorker(workerOn({queue.id})));
        QD_AWAIT(leased, engine.lease({worker.workerId, 8, 0}));
        QCOMPARE(leased.size(), 2);
        QCOMPARE(leased[0].id, before.id);
        QCOMPARE(leased[1].id, after.id);
        // The refused calls wrote nothing: the second task takes the next number after the first.
        QCOMPARE(statesSeenOutside(database), u"1:2,2:2"_qs);
    }

    // Held-back writes (PostgresWriteBuffer) keep the meaning of operations: an operation undone
    // after part of it was sent loses exactly its own rows, the rows before it stay, and a batch
    // that wrote nothing commits nothing.
    void heldBackWritesKeepOperations()
    {
        PostgresStore store;
        QVERIFY(openFresh(store));
        QVERIFY(store.beginBatch());
        QVERIFY(store.commitBatch()); // nothing to send

        QVERIFY(store.beginBatch());
        QVERIFY(insertAlone(store, 1));
        QVERIFY(store.beginOperation());
        QVERIFY(store.insertTask(taskRow(2)));
        auto read = store.loadTask(2); // sends what is held back, the savepoint first
        QVERIFY(read && read->has_value());
        QVERIFY(store.insertTask(taskRow(3)));
        store.endOperation(false);
        QVERIFY(store.beginOperation());
        QVERIFY(store.insertTask(taskRow(4)));
        QVERIFY(store.markFinished(4, TaskState::Succeeded, 50, "done", {}, DeadReason::None));
        store.endOperation(true);
        QVERIFY(store.commitBatch());
        QCOMPARE(seqs(store), (QList<qint64>{1, 4}));
        auto finished = store.loadTask(4);
        QVERIFY(finished && finished->has_value());
        QCOMPARE((*finished)->state, TaskState::Succeeded);
        QCOMPARE((*finished)->result, QByteArray("done"));
    }

    // A held-back write the database refuses fails its whole batch: its operation was already
    // told it succeeded, so nothing of the batch may commit.
    void aRefusedHeldBackWriteFailsTheBatch()
    {
        PostgresStore store;
        QVERIFY(openFresh(store));
        QVERIFY(store.beginBatch());
        QVERIFY(insertAlone(store, 7));
        QVERIFY(store.beginOperation());
        QVERIFY(store.insertTask(taskRow(7))); // the same key: refused when sent
        store.endOperation(true);
        auto committed = store.commitBatch();
        QVERIFY(!committed);
        QCOMPARE(committed.error().code, ErrorCode::Unavailable);
        store.rollbackBatch();
        QVERIFY(seqs(store).isEmpty());
        // The next batch is not touched by the failed one.
        QVERIFY(commitAlone(store, 8));
        QCOMPARE(seqs(store), (QList<qint64>{8}));
    }

    // An operation whose own statement fails is undone alone: the batch's other operations,
    // before and after it, commit, as with SQLite's savepoints.
    void aFailedOperationLeavesItsNeighbours()
    {
        PostgresStore store;
        QVERIFY(openFresh(store));
        QVERIFY(store.beginBatch());
        QVERIFY(insertAlone(store, 1));
        QVERIFY(store.beginOperation());
        QVERIFY(store.insertTask(taskRow(1))); // the same key: refused when sent
        QVERIFY(!store.loadTask(1));           // sends it, after this operation's savepoint
        store.endOperation(false);
        QVERIFY(insertAlone(store, 2));
        auto committed = store.commitBatch();
        QVERIFY2(committed, committed ? "" : qPrintable(committed.error().message));
        QCOMPARE(seqs(store), (QList<qint64>{1, 2}));
    }

    // Several tasks leased in one statement: each answer in its mark's place whatever order the
    // database returns rows in, nothing where the row is not waiting (finished, or absent).
    void leasesManyInOneStatement()
    {
        PostgresStore store;
        QVERIFY(openFresh(store));
        QVERIFY(store.beginBatch());
        for (qint64 seq = 1; seq <= 3; ++seq)
            QVERIFY(insertAlone(store, seq));
        QVERIFY(store.beginOperation());
        QVERIFY(store.markFinished(2, TaskState::Succeeded, 40, {}, {}, DeadReason::None));
        store.endOperation(true);
        QVERIFY(store.commitBatch());

        QVERIFY(store.beginBatch());
        QVERIFY(store.beginOperation());
        const std::vector<LeaseMark> marks{{3, 33, 60}, {2, 22, 60}, {9, 99, 60}, {1, 11, 30}};
        auto rows = store.markLeasedMany(marks, QStringLiteral("w_1"), 1000);
        store.endOperation(rows.has_value());
        QVERIFY(store.commitBatch());
        QVERIFY2(rows, rows ? "" : qPrintable(rows.error().message));
        QCOMPARE(rows->size(), marks.size());
        QVERIFY((*rows)[0] && !(*rows)[1] && !(*rows)[2] && (*rows)[3]);
        QCOMPARE((*rows)[0]->attempts, 1);
        QCOMPARE((*rows)[0]->leaseExpiresAtMs, qint64(1000 + 60 * 1000));
        QCOMPARE((*rows)[3]->leaseExpiresAtMs, qint64(1000 + 30 * 1000));
        QCOMPARE((*rows)[3]->payload, QByteArray("{}"));
        auto leased = store.loadTask(3);
        QVERIFY(leased && leased->has_value());
        QCOMPARE((*leased)->state, TaskState::Running);
        QCOMPARE((*leased)->leaseValue, qint64(33));
        QCOMPARE((*leased)->leasedBy, QStringLiteral("w_1"));
    }

    // A lease that ends its batch carries the batch's commit (Store::commitWithLease): every
    // other session sees the lease and the batch's earlier writes before commitBatch() is called,
    // and a write after it goes to a transaction of its own.
    void aLastLeaseCarriesTheCommit()
    {
        PostgresStore store;
        QString database;
        QVERIFY(openFresh(store, &database));
        QVERIFY(store.beginBatch());
        QVERIFY(insertAlone(store, 1));
        QVERIFY(insertAlone(store, 2));
        auto rows = leaseCarryingTheCommit(store, 1);
        QVERIFY2(rows, rows ? "" : qPrintable(rows.error().message));
        QVERIFY((*rows)[0]);
        QCOMPARE(statesSeenOutside(database), QStringLiteral("1:2,2:1"));
        store.endOperation(true);
        QVERIFY(insertAlone(store, 3));
        auto committed = store.commitBatch();
        QVERIFY2(committed, committed ? "" : qPrintable(committed.error().message));
        QCOMPARE(statesSeenOutside(database), QStringLiteral("1:2,2:1,3:1"));
    }

    // The commit a lease carries is fenced like any other: by a node whose lease is not held, the
    // lease statement runs but nothing commits, and commitBatch() says why.
    void aLeaseCarryingTheCommitStopsAtTheFence()
    {
        const QString url = PostgresHarness::shared().createDatabase();
        QVERIFY(!url.isEmpty());
        const QString database = url.section(u'/', -1);
        {
            PostgresStore plain;
            QVERIFY(
                plain.open(StoreOptions{url, Durability::Normal, std::nullopt, testClusterKey()}));
            QVERIFY(plain.beginBatch());
            QVERIFY(insertAlone(plain, 1));
            QVERIFY(plain.commitBatch());
        }
        PostgresStore fenced; // fenced by a lease nobody acquired
        QVERIFY(fenced.open(StoreOptions{
            url, Durability::Normal,
            StoreFence{QStringLiteral("leader"), QStringLiteral("node-a"), 7}, testClusterKey()}));
        QVERIFY(fenced.beginBatch());
        auto rows = leaseCarryingTheCommit(fenced, 1);
        QVERIFY2(rows, rows ? "" : qPrintable(rows.error().message));
        // The confirmation went with the lease and failed: the session's transaction is aborted.
        QString session;
        QVERIFY(PostgresHarness::shared().psql(
            u"SELECT state FROM pg_stat_activity WHERE datname='%1' AND "
            u"application_name='queuedeck' AND state LIKE 'idle in transaction%'"_qs.arg(database),
            &session));
        QCOMPARE(session.trimmed(), QStringLiteral("idle in transaction (aborted)"));
        fenced.endOperation(true);
        auto committed = fenced.commitBatch();
        QVERIFY(!committed);
        QCOMPARE(committed.error().code, ErrorCode::Unavailable);
        QVERIFY2(committed.error().message.contains(u"no longer leads the cluster"),
                 qPrintable(committed.error().message));
        QCOMPARE(statesSeenOutside(database), QStringLiteral("1:1"));
    }

    // When the lease statement that was to carry the commit fails, nothing commits with it: its
    // operation is undone alone and the rest of the batch commits in commitBatch().
    void aFailedLeaseCarryingTheCommitLeavesItsBatch()
    {
        PostgresStore store;
        QString database;
        QVERIFY(openFresh(store, &database));
        QVERIFY(store.beginBatch());
        QVERIFY(insertAlone(store, 1));
        // A timeout whose expiry overflows bigint: the database refuses the statement.
        auto rows = leaseCarryingTheCommit(store, 1, std::numeric_limits<qint64>::max() / 10);
        QVERIFY(!rows);
        QCOMPARE(statesSeenOutside(database), QString());
        store.endOperation(false);
        QVERIFY(insertAlone(store, 2));
        auto committed = store.commitBatch();
        QVERIFY2(committed, committed ? "" : qPrintable(committed.error().message));
        QCOMPARE(statesSeenOutside(database), QStringLiteral("1:1,2:1"));
    }

    // The same when the lease statement cannot even be prepared (a session prepares each shape
    // on first use; here a column it writes is renamed away): it fails alone, the fence and
    // COMMIT meant to follow it are dropped, and the writes held back before it stay. Both
    // before anything of the batch was sent and with its transaction already open.
    void aLeaseCarryingTheCommitThatCannotBePreparedLeavesItsBatch()
    {
        for (const bool opened : {false, true}) {
            PostgresStore store;
            QString database;
            QVERIFY(openFresh(store, &database));
            QVERIFY(PostgresHarness::shared().psql(
                u"ALTER TABLE tasks RENAME COLUMN leased_by TO leased_by_away"_qs, nullptr,
                database));
            QVERIFY(store.beginBatch());
            QVERIFY(insertAlone(store, 1));
            QVERIFY(store.beginOperation());
            if (opened) { // a read sends what is held back, this operation's savepoint last
                auto highest = store.maxTaskSeq();
                QVERIFY(highest);
                QCOMPARE(*highest, 1);
            }
            store.commitWithLease();
            auto rows = store.markLeasedMany({{1, 11, 60}}, QStringLiteral("w_1"), 1000);
            QVERIFY(!rows);
            QVERIFY2(rows.error().message.contains(u"leased_by"), qPrintable(rows.error().message));
            QCOMPARE(statesSeenOutside(database), QString());
            store.endOperation(false);
            QVERIFY(insertAlone(store, 2));
            auto committed = store.commitBatch();
            QVERIFY2(committed, committed ? "" : qPrintable(committed.error().message));
            QCOMPARE(statesSeenOutside(database), QStringLiteral("1:1,2:1"));
        }
    }

    // A lease changes no column that an index of tasks names, in its columns or its predicate,
    // so that the database can write it as a HOT update (schema version 7). Migrating to version 7
    // gives finished rows of before without a finish time one, and unfinished rows none.
    void aLeaseChangesNoIndexedColumn()
    {
        PostgresStore store;
        QString database;
        QVERIFY(openFresh(store, &database));
        QString indexes;
        QVERIFY(PostgresHarness::shared().psql(
            u"SELECT string_agg(indexdef, ';') FROM pg_indexes WHERE tablename = 'tasks'"_qs,
            &indexes, database));
        QVERIFY(indexes.contains(u"tasks_unfinished"));
        for (const char *column :
             {"state", "lease", "leased_by", "started_at", "lease_expires", "attempts"})
            QVERIFY2(!QRegularExpression(u"\\b%1\\b"_qs.arg(QLatin1StringView(column)))
                          .match(indexes)
                          .hasMatch(),
                     qPrintable(u"%1 in %2"_qs.arg(QLatin1StringView(column), indexes)));
        QVERIFY(store.beginBatch());
        QVERIFY(insertAlone(store, 1));
        QVERIFY(insertAlone(store, 2));
        QVERIFY(store.commitBatch());
        store.close();
        QVERIFY(PostgresHarness::shared().psql(
            u"UPDATE tasks SET state = 3, started_at = 20 WHERE seq = 1; UPDATE tasks SET "
            u"finished_at = 30 WHERE seq = 2; DELETE FROM queuedeck_migrations WHERE version = 7"_qs,
            nullptr, database));
        QVERIFY(store.open(StoreOptions{PostgresHarness::shared().url(database), Durability::Normal,
                                        std::nullopt, testClusterKey()}));
        QString finishTimes;
        QVERIFY(PostgresHarness::shared().psql(
            u"SELECT string_agg(seq || ':' || coalesce(finished_at::text, '-'), ',' ORDER BY "
            u"seq) FROM tasks"_qs,
            &finishTimes, database));
        QCOMPARE(finishTimes.trimmed(), QStringLiteral("1:20,2:-"));
        QCOMPARE(seqs(store), (QList<qint64>{1, 2}));
    }

    // Every session of the store commits synchronously, whatever the cluster's default.
    void commitsAreSynchronous()
    {
        const QString url = PostgresHarness::shared().createDatabase();
        QVERIFY(!url.isEmpty());
        QVERIFY(PostgresHarness::shared().psql(
            u"ALTER DATABASE %1 SET synchronous_commit = off"_qs.arg(url.section(u'/', -1))));
        PostgresConnection connection;
        QVERIFY(connection.open(url));
        auto setting = connection.run("SHOW synchronous_commit", "read the setting");
        QVERIFY(setting);
        QCOMPARE(setting->text(0, 0), QStringLiteral("on"));
    }

    void backupIsRefusedWithAReason()
    {
        const QString url = PostgresHarness::shared().createDatabase();
        PostgresStore store;
        QVERIFY(store.open(StoreOptions{url, Durability::Normal, std::nullopt, testClusterKey()}));
        auto backup = store.startBackup(QStringLiteral("/tmp/never-written.db"));
        QVERIFY(!backup);
        QCOMPARE(backup.error().code, ErrorCode::FailedPrecondition);
        QVERIFY(backup.error().message.contains(u"pg_dump"));
    }
};

QTEST_GUILESS_MAIN(TestPostgresServe)
#include "tst_postgresserve.moc"
