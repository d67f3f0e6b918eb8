// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "postgresschema.h"

#include "postgresconnection.h"
#include "tokencipher.h"

namespace QueueDeck {

namespace {

// Version 1: what SQLite's schema holds at its version 6, with the same columns and meanings
// (times in integer milliseconds, settings and workers as JSON text; see SqliteSchema).
//
// Churn: a task row is written three to four times (insert, lease, finish, maybe retry) and then
// deleted by retention. fillfactor leaves room in each page so the updates that touch no indexed
// column (lease extensions, cancel requests, late errors) stay HOT; autovacuum looks at the table
// after 2% of its rows changed instead of 20%. Unfinished tasks have a small partial index of
// their own (a start-up or a queue's new owner reads them), finished ones another (listings,
// counts, retention), so neither grows with the other.
const char *const s_schemaV1[] = {
    "CREATE TABLE meta(key text PRIMARY KEY, value bytea NOT NULL)",
    "CREATE TABLE environments(name text PRIMARY KEY, description text NOT NULL, "
    "auto_create smallint NOT NULL, created_at bigint NOT NULL)",
    "CREATE TABLE queues(num integer PRIMARY KEY, id text NOT NULL UNIQUE, "
    "environment text NOT NULL REFERENCES environments(name), name text NOT NULL, "
    "settings text NOT NULL, join_token text NOT NULL, created_at bigint NOT NULL, "
    "UNIQUE(environment, name))",
    "CREATE TABLE tasks(seq bigint PRIMARY KEY, queue integer NOT NULL, state smallint NOT NULL, "
    "type text NOT NULL, payload bytea NOT NULL, priority integer NOT NULL, "
    "enqueued_at bigint NOT NULL, run_at bigint NOT NULL, attempts integer NOT NULL DEFAULT 0, "
    "max_attempts integer, timeout_s bigint, expire_at bigint, deadline bigint, "
    "idempotency_key text, concurrency_key text, required_labels bytea, target_worker text, "
    "lease bigint, leased_by text, lease_expires bigint, started_at bigint, finished_at bigint, "
    "error text, result bytea, dead_reason smallint NOT NULL DEFAULT 0, "
    "cancel_requested smallint NOT NULL DEFAULT 0, parent_id text, run_id text) "
    "WITH (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.02, "
    "autovacuum_analyze_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.02)",
    "CREATE INDEX tasks_unfinished ON tasks(queue, seq) WHERE state < 3",
    "CREATE INDEX tasks_finished ON tasks(queue, state, finished_at) WHERE state >= 3",
    "CREATE INDEX tasks_by_run ON tasks(run_id) WHERE run_id IS NOT NULL",
    "CREATE TABLE workers(id text PRIMARY KEY, data text NOT NULL)",
    "CREATE TABLE metrics_minute(queue integer NOT NULL, minute bigint NOT NULL, "
    "data bytea NOT NULL, PRIMARY KEY(queue, minute))",
    "CREATE TABLE producer_tokens(name text PRIMARY KEY, token_sha256 bytea NOT NULL, "
    "queue_ids text NOT NULL, created_at bigint NOT NULL)",
    "CREATE TABLE viewer_tokens(name text PRIMARY KEY, token_sha256 bytea NOT NULL, "
    "created_at bigint NOT NULL)",
    "CREATE TABLE audit(id bigserial PRIMARY KEY, at bigint NOT NULL, actor_kind text NOT NULL, "
    "actor text NOT NULL, action text NOT NULL, target text NOT NULL)",
    "CREATE TABLE task_logs(id bigserial PRIMARY KEY, seq bigint NOT NULL REFERENCES tasks(seq) "
    "ON DELETE CASCADE, at bigint NOT NULL, stream text NOT NULL, line text NOT NULL)",
    "CREATE INDEX task_logs_by_task ON task_logs(seq, id)",
    "CREATE TABLE schedules(id text PRIMARY KEY, name text NOT NULL UNIQUE, definition text NOT "
    "NULL, cursor bigint NOT NULL, created_at bigint NOT NULL, updated_at bigint NOT NULL)",
    "CREATE TABLE schedule_fires(id bigserial PRIMARY KEY, schedule text NOT NULL, fire_time "
    "bigint NOT NULL, kind text NOT NULL, outcome text NOT NULL, reason text NOT NULL, task_id "
    "text, recorded_at bigint NOT NULL, UNIQUE(schedule, fire_time))",
    "CREATE INDEX schedule_fires_by_time ON schedule_fires(fire_time)",
};

// Version 2: leases shared by the nodes (ClusterLease): the leader's and, with queue ownership,
// one per queue; a row is renewed in place every few seconds, so it is kept small and HOT.
const char *const s_schemaV2[] = {
    "CREATE TABLE cluster_leases(name text PRIMARY KEY, holder text NOT NULL, token bigint NOT "
    "NULL, expires_at timestamptz NOT NULL) WITH (fillfactor = 50)",
};

// Version 3: the nodes of a cluster (GET /api/v1/nodes). Each node upserts its row every ~2 s
// (last_seen on the database's clock); a row is rewritten in place, so it is kept small and HOT.
const char *const s_schemaV3[] = {
    "CREATE TABLE cluster_nodes(node_id text PRIMARY KEY, address text NOT NULL, version text "
    "NOT NULL, started_at timestamptz NOT NULL, last_seen timestamptz NOT NULL, role text NOT "
    "NULL, connections integer NOT NULL, requests_per_second double precision NOT NULL) WITH "
    "(fillfactor = 50)",
};

// Version 4: join tokens sealed with the cluster key (TokenCipher), which stays in the nodes'
// configuration. cluster_secrets holds a value sealed with that key, so that a node with another
// key is refused before it writes anything; the tokens saved in plain text before are sealed.
const char *const s_schemaV4[] = {
    "CREATE TABLE cluster_secrets(name text PRIMARY KEY, value text NOT NULL)",
};

// Version 5: the address of each node's Faktory listener (host:port; empty without one), so that
// followers pass Faktory connections through to the leader's.
const char *const s_schemaV5[] = {
    "ALTER TABLE cluster_nodes ADD COLUMN IF NOT EXISTS faktory_address text NOT NULL DEFAULT ''",
};

// Version 6: a lease confirmed by a statement that fails when it is not held (SQLSTATE QDL01), so
// that the confirmation travels with the COMMIT in one round trip and a failed one stops it.
const char *const s_schemaV6[] = {
    "CREATE OR REPLACE FUNCTION queuedeck_confirm_lease(lease_name text, lease_holder text, "
    "lease_token bigint) RETURNS void LANGUAGE plpgsql AS $$ BEGIN PERFORM 1 FROM cluster_leases "
    "WHERE name = lease_name AND holder = lease_holder AND token = lease_token AND expires_at > "
    "clock_timestamp() FOR SHARE; IF NOT FOUND THEN RAISE EXCEPTION USING ERRCODE = 'QDL01', "
    "MESSAGE = 'the lease ' || lease_name || ' is not held with token ' || lease_token; END IF; "
    "END $$",
};

// Version 7: a lease (waiting → running) changes no indexed column, so that its new row version
// is a HOT update in the same page, with no index entries. Unfinished and finished tasks are told
// apart by finished_at, which is set exactly when a task finishes and cleared when an operator
// retries it, instead of by state, which every lease changes (a column in an index's predicate
// counts as indexed). Pages are filled half on insert, so that the lease's version fits beside
// the old one. Measured on a drain of 20,000 tasks by one worker holding 8: the database's CPU
// per task went from about 70 µs to 55 µs. Safe to run again.
const char *const s_schemaV7[] = {
    "UPDATE tasks SET finished_at = coalesce(started_at, enqueued_at) WHERE state >= 3 AND "
    "finished_at IS NULL",
    "UPDATE tasks SET finished_at = NULL WHERE state < 3 AND finished_at IS NOT NULL",
    "DROP INDEX IF EXISTS tasks_unfinished",
    "DROP INDEX IF EXISTS tasks_finished",
    "CREATE INDEX tasks_unfinished ON tasks(queue, seq) WHERE finished_at IS NULL",
    "CREATE INDEX tasks_finished ON tasks(queue, finished_at) WHERE finished_at IS NOT NULL",
    "ALTER TABLE tasks SET (fillfactor = 50)",
};

Result<void> sealJoinTokens(PostgresConnection &connection, const TokenCipher &cipher)
{
    auto rows = connection.run("SELECT num, id, join_token FROM queues ORDER BY num FOR UPDATE",
                               "read the join tokens to encrypt");
    if (!rows)
        return std::unexpected(rows.error());
    for (int i = 0; i < rows->rows(); ++i) {
        const QString token = rows->text(i, 2);
        if (TokenCipher::isSealed(token))
            continue;
        auto sealed = cipher.seal(token, rows->text(i, 1));
        if (!sealed)
            return std::unexpected(sealed.error());
        auto updated = connection.run("UPDATE queues SET join_token = $2 WHERE num = $1::integer",
                                      PostgresParams().add(rows->integer(i, 0)).add(*sealed),
                                      "encrypt a join token");
        if (!updated)
            return std::unexpected(updated.error());
    }
    return {};
}

// The value every node with the cluster's key can open: written by the first node, checked by
// every later one.
Result<void> checkKey(PostgresConnection &connection, const TokenCipher &cipher)
{
    const QString name = QStringLiteral("key-check");
    auto sealed = cipher.seal(QStringLiteral("queuedeck cluster key"), name);
    if (!sealed)
        return std::unexpected(sealed.error());
    if (auto put = connection.run("INSERT INTO cluster_secrets(name, value) VALUES($1, $2) ON "
                                  "CONFLICT (name) DO NOTHING",
                                  PostgresParams().add(name).add(*sealed),
                                  "record the cluster key's check value");
        !put)
        return std::unexpected(put.error());
    auto stored = connection.run("SELECT value FROM cluster_secrets WHERE name = $1",
                                 PostgresParams().add(name), "read the cluster key's check value");
    if (!stored)
        return std::unexpected(stored.error());
    if (auto opened = cipher.open(stored->text(0, 0), name); !opened)
        return makeError(ErrorCode::FailedPrecondition,
                         QStringLiteral("this node's cluster key is not the key of the cluster "
                                        "whose database it opened. Give it the key the other "
                                        "nodes use: copy a node's <data-dir>/cluster-key into "
                                        "its data directory, or set QUEUEDECK_CLUSTER_KEY or "
                                        "--cluster-key-file to it"));
    return {};
}

struct Step
{
    int version;
    const char *const *statements;
    std::size_t count;
    Result<void> (*then)(PostgresConnection &, const TokenCipher &) = nullptr;
};

const Step s_steps[] = {
    {1, s_schemaV1, std::size(s_schemaV1)}, {2, s_schemaV2, std::size(s_schemaV2)},
    {3, s_schemaV3, std::size(s_schemaV3)}, {4, s_schemaV4, std::size(s_schemaV4), sealJoinTokens},
    {5, s_schemaV5, std::size(s_schemaV5)}, {6, s_schemaV6, std::size(s_schemaV6)},
    {7, s_schemaV7, std::size(s_schemaV7)},
};

Result<void> apply(PostgresConnection &connection, const TokenCipher &cipher)
{
    if (auto locked = connection.run("SELECT pg_advisory_xact_lock($1::bigint)",
                                     PostgresParams().add(PostgresSchema::MigrationLock),
                                     "wait for other nodes' migrations");
        !locked)
        return std::unexpected(locked.error());
    if (auto made = connection.execute("CREATE TABLE IF NOT EXISTS queuedeck_migrations(version "
                                       "integer PRIMARY KEY, applied_at timestamptz NOT NULL "
                                       "DEFAULT now())",
                                       "create the migrations table");
        !made)
        return made;
    auto current = connection.run("SELECT coalesce(max(version), 0) FROM queuedeck_migrations",
                                  "read the schema version");
    if (!current)
        return std::unexpected(current.error());
    const qint64 version = current->integer(0, 0);
    if (version > PostgresSchema::Version)
        return makeError(ErrorCode::FailedPrecondition,
                         QStringLiteral("the database has schema version %1, newer than this "
                                        "QueueDeck understands (%2); run a newer QueueDeck")
                             .arg(version)
                             .arg(PostgresSchema::Version));
    for (const Step &step : s_steps) {
        if (step.version <= version)
            continue;
        for (std::size_t i = 0; i < step.count; ++i) {
            if (auto done = connection.execute(step.statements[i], "bring the schema up to date");
                !done)
                return done;
        }
        if (step.then) {
            if (auto done = step.then(connection, cipher); !done)
                return done;
        }
        if (auto recorded =
                connection.run("INSERT INTO queuedeck_migrations(version) VALUES($1::integer)",
                               PostgresParams().add(step.version), "record the schema version");
            !recorded)
            return std::unexpected(recorded.error());
    }
    return checkKey(connection, cipher);
}

} // namespace

Result<void> PostgresSchema::migrate(PostgresConnection &connection, const TokenCipher &cipher)
{
    if (auto began = connection.execute("BEGIN", "begin the migration"); !began)
        return began;
    if (auto applied = apply(connection, cipher); !applied) {
        connection.execute("ROLLBACK", "roll the migration back");
        return applied;
    }
    return connection.execute("COMMIT", "commit the migration");
}

} // namespace QueueDeck
