// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// Lease rows shared by the nodes of a cluster (ClusterLease) on a real PostgreSQL: one holder at
// a time, renewal, takeover after expiry with a new fencing token, the old holder's writes
// refused, and a takeover that waits for the holder's fenced write to commit.

#include "clusterlease.h"
#include "postgresconnection.h"
#include "postgresharness.h"
#include "postgresstore.h"

#include <QTest>

#include <thread>

using namespace QueueDeck;
using namespace QueueDeck::Testing;

namespace {

// One node's connection to a fresh database of the harness (made and migrated by the first).
struct Node
{
    PostgresConnection connection;
    std::unique_ptr<ClusterLease> lease;
};

std::optional<qint64> tokenOf(ClusterLease &lease)
{
    auto token = lease.acquireOrRenew();
    return token ? *token : std::nullopt;
}

} // namespace

class TestClusterLease final : public QObject
{
    Q_OBJECT

    QString m_url;

    std::unique_ptr<Node> node(const QString &id, qint64 ttlMs)
    {
        auto made = std::make_unique<Node>();
        if (!made->connection.open(m_url))
            return nullptr;
        made->lease =
            std::make_unique<ClusterLease>(made->connection, QStringLiteral("leader"), id, ttlMs);
        return made;
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY2(PostgresHarness::shared().isRunning(),
                 qPrintable(PostgresHarness::shared().error()));
        m_url = PostgresHarness::shared().createDatabase();
        QVERIFY(!m_url.isEmpty());
        PostgresStore store; // makes the schema
        QVERIFY(
            store.open(StoreOptions{m_url, Durability::Normal, std::nullopt, testClusterKey()}));
    }

    void oneHolderAtATime()
    {
        auto a = node(QStringLiteral("node-a"), 60000);
        auto b = node(QStringLiteral("node-b"), 60000);
        QVERIFY(a && b);
        QCOMPARE(tokenOf(*a->lease), std::optional<qint64>(1));
        QCOMPARE(tokenOf(*b->lease), std::nullopt);
        // Renewing keeps the token.
        QCOMPARE(tokenOf(*a->lease), std::optional<qint64>(1));
        auto holder = b->lease->holder();
        QVERIFY(holder && *holder);
        QCOMPARE((*holder)->first, QStringLiteral("node-a"));
        // Given up, it goes to the next node at once, with a new token.
        QVERIFY(a->lease->release());
        QCOMPARE(tokenOf(*b->lease), std::optional<qint64>(2));
        QCOMPARE(tokenOf(*a->lease), std::nullopt);
    }

    void takeoverAfterExpiryFencesTheOldHolder()
    {
        auto a = node(QStringLiteral("node-a"), 300);
        auto b = node(QStringLiteral("node-b"), 60000);
        QVERIFY(a && b);
        QCOMPARE(tokenOf(*a->lease), std::optional<qint64>(1));
        QCOMPARE(tokenOf(*b->lease), std::nullopt);
        // a stops renewing (as a node that died or froze); b takes over once the lease expired.
        QTRY_COMPARE_WITH_TIMEOUT(tokenOf(*b->lease), std::optional<qint64>(2), 10000);
        QCOMPARE(tokenOf(*a->lease), std::nullopt);
        QVERIFY(a->connection.execute("BEGIN", "begin"));
        auto stale = a->lease->confirmHeld(1);
        QVERIFY(stale);
        QVERIFY(!*stale);
        QVERIFY(a->connection.execute("ROLLBACK", "roll back"));
        QVERIFY(b->connection.execute("BEGIN", "begin"));
        auto current = b->lease->confirmHeld(2);
        QVERIFY(current && *current);
        QVERIFY(b->connection.execute("COMMIT", "commit"));

        // The confirmation that travels with the COMMIT stops the old holder's commit.
        QVERIFY(a->connection.execute("BEGIN", "begin"));
        a->lease->deferConfirm(1);
        auto refused = a->connection.execute("COMMIT", "commit");
        QVERIFY(!refused);
        QCOMPARE(a->connection.lastState(), QByteArray(ClusterLease::NotHeldState));
        QVERIFY(a->connection.takeDeferredFailed());
        QVERIFY(a->connection.inFailedTransaction());
        QVERIFY(a->connection.execute("ROLLBACK", "roll back"));
        QVERIFY(b->connection.execute("BEGIN", "begin"));
        b->lease->deferConfirm(2);
        QVERIFY(b->connection.execute("COMMIT", "commit"));
        QVERIFY(!b->connection.takeDeferredFailed());
    }

    // The holder confirmed its lease inside a write's transaction; the lease expires before that
    // write commits. The takeover waits for the commit, so no write of the old holder lands
    // after another node holds the lease.
    void takeoverWaitsForTheHoldersWrite()
    {
        auto a = node(QStringLiteral("node-a"), 500);
        auto b = node(QStringLiteral("node-b"), 60000);
        auto observer = node(QStringLiteral("observer"), 1);
        QVERIFY(a && b && observer);
        QCOMPARE(tokenOf(*a->lease), std::optional<qint64>(1));
        QVERIFY(a->connection.execute("BEGIN", "begin"));
        auto held = a->lease->confirmHeld(1);
        QVERIFY(held && *held);
        const auto expired = [&] {
            auto r = observer->connection.run("SELECT count(*) FROM cluster_leases WHERE "
                                              "expires_at<=clock_timestamp()",
                                              "read the lease");
            return r && r->integer(0, 0) == 1;
        };
        QTRY_VERIFY_WITH_TIMEOUT(expired(), 10000);
        std::optional<qint64> taken;
        std::thread takeover([&] { taken = tokenOf(*b->lease); });
        // Should a check below fail, a's transaction ends and the takeover is joined all the same.
        struct JoinOnExit
        {
            std::thread &thread;
            PostgresConnection &holder;
            ~JoinOnExit()
            {
                if (thread.joinable()) {
                    holder.execute("ROLLBACK", "end the transaction");
                    thread.join();
                }
            }
        } joinOnExit{takeover, a->connection};
        // b's takeover waits on the row a holds.
        const auto waiting = [&] {
            auto r =
                observer->connection.run("SELECT count(*) FROM pg_stat_activity WHERE "
                                         "wait_event_type='Lock' AND datname=current_database()",
                                         "read who waits");
            return r && r->integer(0, 0) == 1;
        };
        QTRY_VERIFY_WITH_TIMEOUT(waiting(), 10000);
        QVERIFY(a->connection.execute("COMMIT", "commit"));
        takeover.join();
        QCOMPARE(taken, std::optional<qint64>(2));
    }
};

QTEST_GUILESS_MAIN(TestClusterLease)
#include "tst_clusterlease.moc"
