// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "postgreswritebuffer.h"

#include <QSet>

#include <array>

namespace QueueDeck {

namespace {

constexpr auto ChunkRows = PostgresWriteBuffer::ChunkRows;

QByteArray valuesList(int rows, int columns, const char *const *casts)
{
    return PostgresWriteBuffer::valuesList(rows, columns, casts, 1);
}

} // namespace

QByteArray PostgresWriteBuffer::valuesList(int rows, int columns, const char *const *casts,
                                           int firstParameter)
{
    QByteArray sql;
    for (int row = 0; row < rows; ++row) {
        sql += row ? ", (" : "(";
        for (int column = 0; column < columns; ++column) {
            if (column)
                sql += ", ";
            sql += '$' + QByteArray::number(firstParameter + row * columns + column);
            if (casts)
                sql += casts[column];
        }
        sql += ')';
    }
    return sql;
}

std::size_t PostgresWriteBuffer::chunkFor(std::size_t rows)
{
    std::size_t chunk = 0;
    while (std::size_t(ChunkRows[chunk]) > rows)
        ++chunk;
    return chunk;
}

namespace {

// The statement for `rows` rows of a kind; the strings live as long as the program, since their
// addresses name the prepared statements.
const char *insertSql(std::size_t chunk)
{
    static const std::array<QByteArray, ChunkRows.size()> sql = [] {
        std::array<QByteArray, ChunkRows.size()> out;
        for (std::size_t i = 0; i < ChunkRows.size(); ++i)
            out[i] = "INSERT INTO tasks(seq, queue, state, type, payload, priority, enqueued_at, "
                     "run_at, max_attempts, timeout_s, expire_at, deadline, idempotency_key, "
                     "concurrency_key, required_labels, target_worker, parent_id, run_id) VALUES " +
                     valuesList(ChunkRows[i], PostgresWriteBuffer::InsertColumns, nullptr);
        return out;
    }();
    return sql[chunk].constData();
}

const char *finishSql(std::size_t chunk)
{
    // Typed in the list, since a VALUES list has no column types of its own to infer them from.
    static const char *const casts[PostgresWriteBuffer::FinishColumns] = {
        "::bigint", "::smallint", "::bigint", "::bytea", "::text", "::smallint"};
    static const std::array<QByteArray, ChunkRows.size()> sql = [] {
        std::array<QByteArray, ChunkRows.size()> out;
        for (std::size_t i = 0; i < ChunkRows.size(); ++i)
            out[i] = "UPDATE tasks SET state=v.state, finished_at=v.finished_at, result=v.result, "
                     "error=coalesce(v.error, tasks.error), dead_reason=v.dead_reason, "
                     "lease_expires=NULL FROM (VALUES " +
                     valuesList(ChunkRows[i], PostgresWriteBuffer::FinishColumns, casts) +
                     ") AS v(seq, state, finished_at, result, error, dead_reason) "
                     "WHERE tasks.seq=v.seq";
        return out;
    }();
    return sql[chunk].constData();
}

} // namespace

PostgresWriteBuffer::PostgresWriteBuffer(PostgresConnection &connection) : m_connection(connection)
{
    m_connection.setBeforeSend([this] { place(); });
}

void PostgresWriteBuffer::beginBatch()
{
    clear();
    m_beginPending = true;
}

void PostgresWriteBuffer::clear()
{
    m_rows.clear();
    m_frames.clear();
    m_beginPending = false;
    m_connection.dropDeferred();
}

void PostgresWriteBuffer::beginOperation()
{
    m_frames.push_back(Frame{m_rows.size(), false});
}

void PostgresWriteBuffer::endOperation(bool keep)
{
    if (m_frames.empty())
        return;
    const Frame frame = m_frames.back();
    m_frames.pop_back();
    if (!keep)
        m_rows.resize(qMin(m_rows.size(), frame.rowStart));
    if (!frame.placed)
        return;
    // Something of it was sent after its savepoint: the database undoes that part. At once when
    // a statement failed, so that the batch's next operations are not refused meanwhile.
    if (!keep && m_connection.inFailedTransaction()) {
        m_connection.execute("ROLLBACK TO SAVEPOINT op", "undo an operation");
        m_connection.execute("RELEASE SAVEPOINT op", "end an operation");
        return;
    }
    if (!keep)
        m_connection.defer("ROLLBACK TO SAVEPOINT op");
    m_connection.defer("RELEASE SAVEPOINT op");
}

void PostgresWriteBuffer::insertTask(PostgresParams row)
{
    m_rows.push_back(Row{Kind::Insert, 0, std::move(row)});
}

void PostgresWriteBuffer::finishTask(qint64 seq, PostgresParams row)
{
    m_rows.push_back(Row{Kind::Finish, seq, std::move(row)});
}

// Also the connection's beforeSend: defers BEGIN, rows and savepoints in the order they came.
void PostgresWriteBuffer::place()
{
    if (m_beginPending) {
        m_connection.defer("BEGIN");
        m_beginPending = false;
    }
    // The rows before an operation go before its savepoint, so that undoing it keeps them.
    std::size_t from = 0;
    for (Frame &frame : m_frames) {
        if (frame.placed)
            continue;
        deferRows(from, frame.rowStart);
        from = frame.rowStart;
        m_connection.defer("SAVEPOINT op");
        frame.placed = true;
    }
    deferRows(from, m_rows.size());
    m_rows.clear();
    for (Frame &frame : m_frames)
        frame.rowStart = 0;
}

void PostgresWriteBuffer::committed()
{
    m_rows.clear();
    for (Frame &frame : m_frames)
        frame = Frame{0, false};
    m_beginPending = true;
}

void PostgresWriteBuffer::deferRows(std::size_t from, std::size_t to)
{
    while (from < to) {
        // A run of one kind, a task at most once in it (one UPDATE changes a row once).
        const Kind kind = m_rows[from].kind;
        std::size_t end = from;
        QSet<qint64> seen;
        while (end < to && m_rows[end].kind == kind &&
               (kind == Kind::Insert || !seen.contains(m_rows[end].seq))) {
            seen.insert(m_rows[end].seq);
            ++end;
        }
        while (from < end) {
            const std::size_t chunk = chunkFor(end - from);
            PostgresParams params;
            for (int i = 0; i < ChunkRows[chunk]; ++i)
                params.append(m_rows[from + std::size_t(i)].params);
            from += std::size_t(ChunkRows[chunk]);
            if (kind == Kind::Insert)
                m_connection.defer(insertSql(chunk), std::move(params), "save the tasks");
            else
                m_connection.defer(finishSql(chunk), std::move(params), "finish the tasks");
        }
    }
}

} // namespace QueueDeck
