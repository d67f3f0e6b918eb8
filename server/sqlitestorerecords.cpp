// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// SqliteStore (sqlitestore.h), the records beside the tasks: producer and viewer tokens, the
// audit log, task logs, workers and metric roll-ups. The connection, batches and tasks are in
// sqlitestore.cpp.
#include "sqlitestore.h"

#include "sqlitequery.h"
#include "storecodec.h"

#include <sqlite3.h>

namespace QueueDeck {

Result<QList<ProducerTokenRow>> SqliteStore::loadProducerTokens()
{
    Query q(statement(
        "SELECT name, token_sha256, queue_ids, created_at FROM producer_tokens ORDER BY name"));
    QList<ProducerTokenRow> out;
    int rc;
    while ((rc = q.step()) == SQLITE_ROW)
        out.append({q.text(0), q.blob(1), q.text(2).split(u',', Qt::SkipEmptyParts), q.integer(3)});
    if (rc != SQLITE_DONE)
        return failure("load producer tokens");
    return out;
}

Result<void> SqliteStore::insertProducerToken(const ProducerTokenRow &token)
{
    Query q(statement("INSERT INTO producer_tokens(name, token_sha256, queue_ids, created_at) "
                      "VALUES(?1, ?2, ?3, ?4)"));
    q.bind(1, token.name)
        .bindBlob(2, token.tokenHash)
        .bind(3, token.queueIds.join(u','))
        .bind(4, token.createdAtMs);
    if (q.step() != SQLITE_DONE)
        return failure("save the producer token");
    return {};
}

Result<bool> SqliteStore::deleteProducerToken(const QString &name)
{
    Query q(statement("DELETE FROM producer_tokens WHERE name=?1"));
    q.bind(1, name);
    if (q.step() != SQLITE_DONE)
        return failure("revoke the producer token");
    return sqlite3_changes(m_db) > 0;
}

Result<QList<ProducerTokenRow>> SqliteStore::loadViewerTokens()
{
    Query q(statement("SELECT name, token_sha256, created_at FROM viewer_tokens ORDER BY name"));
    QList<ProducerTokenRow> out;
    int rc;
    while ((rc = q.step()) == SQLITE_ROW)
        out.append({q.text(0), q.blob(1), {}, q.integer(2)});
    if (rc != SQLITE_DONE)
        return failure("load viewer tokens");
    return out;
}

Result<void> SqliteStore::insertViewerToken(const ProducerTokenRow &token)
{
    Query q(
        statement("INSERT INTO viewer_tokens(name, token_sha256, created_at) VALUES(?1, ?2, ?3)"));
    q.bind(1, token.name).bindBlob(2, token.tokenHash).bind(3, token.createdAtMs);
    if (q.step() != SQLITE_DONE)
        return failure("save the viewer token");
    return {};
}

Result<bool> SqliteStore::deleteViewerToken(const QString &name)
{
    Query q(statement("DELETE FROM viewer_tokens WHERE name=?1"));
    q.bind(1, name);
    if (q.step() != SQLITE_DONE)
        return failure("revoke the viewer token");
    return sqlite3_changes(m_db) > 0;
}

Result<void> SqliteStore::insertAudit(const AuditRow &entry)
{
    Query q(statement(
        "INSERT INTO audit(at, actor_kind, actor, action, target) VALUES(?1, ?2, ?3, ?4, ?5)"));
    q.bind(1, entry.atMs)
        .bind(2, entry.actorKind)
        .bind(3, entry.actor)
        .bind(4, entry.action)
        .bind(5, entry.target);
    if (q.step() != SQLITE_DONE)
        return failure("write the audit log");
    return {};
}

Result<QList<AuditRow>> SqliteStore::listAudit(qint64 beforeId, int limit)
{
    Query q(statement(
        "SELECT id, at, actor_kind, actor, action, target FROM audit WHERE (?1=0 OR id<?1) "
        "ORDER BY id DESC LIMIT ?2"));
    q.bind(1, beforeId).bind(2, limit);
    QList<AuditRow> out;
    int rc;
    while ((rc = q.step()) == SQLITE_ROW)
        out.append({q.integer(0), q.integer(1), q.text(2), q.text(3), q.text(4), q.text(5)});
    if (rc != SQLITE_DONE)
        return failure("read the audit log");
    return out;
}

Result<void> SqliteStore::appendLogs(qint64 seq, const QList<LogLine> &lines, qint64 capBytes)
{
    for (const LogLine &line : lines) {
        Query q(statement("INSERT INTO task_logs(seq, at, stream, line) VALUES(?1, ?2, ?3, ?4)"));
        q.bind(1, seq).bind(2, line.atMs).bind(3, line.stream).bind(4, line.text);
        if (q.step() != SQLITE_DONE)
            return failure("save log lines");
    }
    // Over the cap, the oldest lines go.
    qint64 total = 0;
    {
        Query q(statement("SELECT coalesce(sum(length(line)), 0) FROM task_logs WHERE seq=?1"));
        q.bind(1, seq);
        if (q.step() != SQLITE_ROW)
            return failure("measure the task's log");
        total = q.integer(0);
    }
    while (total > capBytes) {
        Query oldest(
            statement("SELECT id, length(line) FROM task_logs WHERE seq=?1 ORDER BY id LIMIT 1"));
        oldest.bind(1, seq);
        if (oldest.step() != SQLITE_ROW)
            break;
        const qint64 id = oldest.integer(0);
        total -= oldest.integer(1);
        Query remove(statement("DELETE FROM task_logs WHERE id=?1"));
        remove.bind(1, id);
        if (remove.step() != SQLITE_DONE)
            return failure("trim the task's log");
    }
    return {};
}

Result<QList<LogLine>> SqliteStore::loadLogs(qint64 seq, qint64 afterId, int limit)
{
    Query q(statement(
        "SELECT id, at, stream, line FROM task_logs WHERE seq=?1 AND id>?2 ORDER BY id LIMIT ?3"));
    q.bind(1, seq).bind(2, afterId).bind(3, limit);
    QList<LogLine> out;
    int rc;
    while ((rc = q.step()) == SQLITE_ROW)
        out.append({q.integer(0), q.integer(1), q.text(2), q.text(3)});
    if (rc != SQLITE_DONE)
        return failure("read the task's log");
    return out;
}

Result<QList<WorkerRow>> SqliteStore::loadWorkers()
{
    Query q(statement("SELECT id, data FROM workers ORDER BY id"));
    QList<WorkerRow> out;
    int rc;
    while ((rc = q.step()) == SQLITE_ROW) {
        WorkerRow row = StoreCodec::decodeWorker(q.blob(1));
        row.id = q.text(0);
        out.append(row);
    }
    if (rc != SQLITE_DONE)
        return failure("load workers");
    return out;
}

Result<void> SqliteStore::upsertWorker(const WorkerRow &worker)
{
    Query q(statement("INSERT INTO workers(id, data) VALUES(?1, ?2) ON CONFLICT(id) DO UPDATE SET "
                      "data=excluded.data"));
    q.bind(1, worker.id).bindBlob(2, StoreCodec::encodeWorker(worker));
    if (q.step() != SQLITE_DONE)
        return failure("save the worker");
    return {};
}

Result<void> SqliteStore::deleteWorker(const QString &workerId)
{
    Query q(statement("DELETE FROM workers WHERE id=?1"));
    q.bind(1, workerId);
    if (q.step() != SQLITE_DONE)
        return failure("delete the worker");
    return {};
}

Result<void> SqliteStore::upsertRollup(const RollupRow &rollup)
{
    Query q(statement("INSERT INTO metrics_minute(queue, minute, data) VALUES(?1, ?2, ?3) "
                      "ON CONFLICT(queue, minute) DO UPDATE SET data=excluded.data"));
    q.bind(1, rollup.queueNum).bind(2, rollup.minute).bindBlob(3, rollup.data);
    if (q.step() != SQLITE_DONE)
        return failure("save metrics");
    return {};
}

Result<QList<RollupRow>> SqliteStore::loadRollups(int queueNum, qint64 fromMinute, qint64 toMinute)
{
    Query q(statement(
        "SELECT minute, data FROM metrics_minute WHERE queue=?1 AND minute>=?2 AND minute<=?3 "
        "ORDER BY minute"));
    q.bind(1, queueNum).bind(2, fromMinute).bind(3, toMinute);
    QList<RollupRow> out;
    int rc;
    while ((rc = q.step()) == SQLITE_ROW)
        out.append({queueNum, q.integer(0), q.blob(1)});
    if (rc != SQLITE_DONE)
        return failure("load metrics");
    return out;
}

Result<void> SqliteStore::deleteRollupsBefore(qint64 minute)
{
    Query q(statement("DELETE FROM metrics_minute WHERE minute<?1"));
    q.bind(1, minute);
    if (q.step() != SQLITE_DONE)
        return failure("delete old metrics");
    return {};
}

} // namespace QueueDeck
