// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "postgresconnection.h"

#include <array>
#include <vector>

namespace QueueDeck {

// The writes of a PostgresStore batch that answer nothing (new tasks, finished tasks), held back
// and sent as multi-row statements in front of the next statement that must answer, or with the
// commit: a batch of 100 enqueues is a few statements and one round trip, not 100 of each.
//
// The transaction's BEGIN and each operation's SAVEPOINT are held back too, and placed in order
// only when something is sent: an operation that sent nothing needs no savepoint (undoing it is
// dropping its rows), and a batch that wrote nothing costs no round trip.
//
// A round trip that carried held-back writes and failed may have lost some of them without their
// operation knowing: the store then refuses to commit the batch (takeDeferredFailed), so a store
// error fails the batch it happened in, where SQLite's savepoints confine it to its operation.
class PostgresWriteBuffer final
{
    Q_DISABLE_COPY_MOVE(PostgresWriteBuffer)
public:
    explicit PostgresWriteBuffer(PostgresConnection &connection);

    void beginBatch();
    // Nothing of the batch reached the database: there is nothing to commit.
    bool batchIsEmpty() const { return m_beginPending && m_rows.empty(); }
    void clear();

    void beginOperation();
    void endOperation(bool keep);

    // Hands what is held back to the connection now (it still travels with the next statement).
    void place();
    // The batch's transaction was committed with its last placed statement: the open operations'
    // savepoints are gone, and a write after this begins a new transaction.
    void committed();

    void insertTask(PostgresParams row);
    void finishTask(qint64 seq, PostgresParams row);

    // Rows per multi-row statement: a few sizes only, so that each is prepared once per session.
    static constexpr std::array<int, 5> ChunkRows{64, 16, 8, 4, 1};
    // The largest of ChunkRows that `rows` (≥ 1) fills.
    static std::size_t chunkFor(std::size_t rows);
    // "($1, $2), ($3, $4)" for rows × columns parameters from firstParameter on, each with its
    // cast (casts may be null).
    static QByteArray valuesList(int rows, int columns, const char *const *casts,
                                 int firstParameter);

    // The row parameters insertTask and finishTask take, in the columns' order.
    static constexpr int InsertColumns = 18;
    static constexpr int FinishColumns = 6;

private:
    enum class Kind { Insert, Finish };
    struct Row
    {
        Kind kind;
        qint64 seq;
        PostgresParams params;
    };
    struct Frame
    {
        std::size_t rowStart; // the operation's first row in m_rows
        bool placed;          // its SAVEPOINT was handed to the connection
    };

    void deferRows(std::size_t from, std::size_t to);

    PostgresConnection &m_connection;
    std::vector<Row> m_rows;
    std::vector<Frame> m_frames;
    bool m_beginPending = false;
};

} // namespace QueueDeck
