// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/error.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

#include <chrono>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

struct pg_conn;
struct pg_result;

namespace QueueDeck {

// Parameters of one statement: text for numbers and strings, binary for bytes. An empty optional
// and the *Optional forms bind NULL.
class PostgresParams final
{
public:
    PostgresParams &add(qint64 value);
    PostgresParams &add(int value) { return add(qint64(value)); }
    PostgresParams &add(const QString &value);
    PostgresParams &addOptional(const QString &value); // NULL when empty
    PostgresParams &addBytes(const QByteArray &value, bool nullWhenEmpty = false);
    PostgresParams &addNull();
    template <typename T> PostgresParams &add(const std::optional<T> &value)
    {
        return value ? add(qint64(*value)) : addNull();
    }

    // The other's values after these: the parameters of one more row of a multi-row statement.
    PostgresParams &append(const PostgresParams &other);

    int count() const { return int(m_values.size()); }
    const char *const *values() const;
    const int *lengths() const { return m_lengths.data(); }
    const int *formats() const { return m_formats.data(); }

private:
    std::vector<QByteArray> m_values;
    std::vector<bool> m_null;
    std::vector<int> m_lengths;
    std::vector<int> m_formats;
    mutable std::vector<const char *> m_pointers;
};

// The rows of one statement's answer (text format), owned and freed with it.
class PostgresResult final
{
public:
    explicit PostgresResult(pg_result *result = nullptr) : m_result(result) {}
    ~PostgresResult();
    PostgresResult(PostgresResult &&other) noexcept : m_result(other.m_result)
    {
        other.m_result = nullptr;
    }
    PostgresResult &operator=(PostgresResult &&other) noexcept;
    Q_DISABLE_COPY(PostgresResult)

    int rows() const;
    // Rows the statement inserted, updated or deleted.
    qint64 affected() const;
    bool isNull(int row, int column) const;
    qint64 integer(int row, int column) const;
    std::optional<qint64> optionalInteger(int row, int column) const;
    QString text(int row, int column) const;
    QByteArray bytes(int row, int column) const; // a bytea column

private:
    pg_result *m_result;
};

// One libpq connection to the database named by a postgresql:// URL, its prepared statements and
// its errors as values. The URL may name no password: libpq takes it from PGPASSWORD or the file
// PGPASSFILE names (~/.pgpass by default), so that it never shows in argv or in logs.
//
// Thread affinity: created, used and closed on one thread (the store's).
class PostgresConnection final
{
    Q_DISABLE_COPY_MOVE(PostgresConnection)
public:
    PostgresConnection() = default;
    ~PostgresConnection();

    // Connects and sets the session up: synchronous_commit on, hex bytea, UTC; and, when
    // sessionLock is given, takes that advisory lock for the session (again after a reconnect),
    // failing with FAILED_PRECONDITION when another session holds it.
    Result<void> open(const QString &url, std::optional<qint64> sessionLock = std::nullopt);
    void close();
    bool isOpen() const { return m_connection != nullptr; }
    // Connects again after the connection broke or the server ended the session (outside of a
    // transaction only).
    Result<void> reconnectIfBroken();
    bool inFailedTransaction() const;
    bool inTransaction() const;

    // A statement with parameters, prepared on first use and kept for the session. The sql must
    // be a string literal: its address names the prepared statement.
    Result<PostgresResult> run(const char *sql, const PostgresParams &params, const char *what);
    Result<PostgresResult> run(const char *sql, const char *what)
    {
        return run(sql, PostgresParams(), what);
    }
    // Statements without parameters and without rows (BEGIN, DDL), sent as they are.
    Result<void> execute(const char *sql, const char *what);
    Result<void> execute(const QByteArray &sql, const char *what)
    {
        return execute(sql.constData(), what);
    }
    // Statements held back and sent in front of the next one, in the same round trip (libpq's
    // pipeline mode): commands without parameters (BEGIN, SAVEPOINT) and prepared statements that
    // answer no rows. A batch of writes then costs one round trip, not one per statement. The sql
    // of a prepared one must live as long as the connection (its address names it).
    void defer(const char *command);
    void defer(const char *sql, PostgresParams params, const char *what);
    void dropDeferred()
    {
        m_deferred.clear();
        m_trailerAt.reset();
    }
    // Called before anything is sent, so that a caller holding writes back (the store's buffered
    // rows) defers them in time: they reach the database in order, in the same round trip.
    void setBeforeSend(std::function<void()> beforeSend) { m_beforeSend = std::move(beforeSend); }
    // True once since a round trip that carried held-back statements failed: some of them were
    // not executed, though their callers were told nothing, so the transaction must not commit.
    bool takeDeferredFailed() { return std::exchange(m_deferredFailed, false); }
    bool deferredFailed() const { return m_deferredFailed; }
    // Statements deferred from here on travel behind the next run()'s statement, in its round
    // trip, not in front of it: a batch's commit sent with its last statement that answers rows.
    // They run only if that statement succeeds; what they gave is takeTrailerOutcome()'s.
    void markTrailer() { m_trailerAt = m_deferred.size(); }
    // The trailer taken off again: it must not go after a statement that did not run.
    void dropTrailer()
    {
        if (m_trailerAt)
            m_deferred.resize(*std::exchange(m_trailerAt, std::nullopt));
    }
    // After a run() that succeeded with a trailer: the trailer's first error and its SQLSTATE,
    // or success. Empty when no trailer went with the last run().
    struct TrailerOutcome
    {
        Result<void> result;
        QByteArray state;
    };
    std::optional<TrailerOutcome> takeTrailerOutcome()
    {
        return std::exchange(m_trailerOutcome, {});
    }

    // The last statement's SQLSTATE ("" when it succeeded or no statement ran).
    QByteArray lastState() const { return m_lastState; }

    // The URL with any password replaced by "***": what logs and messages may show.
    static QString redacted(const QString &url);
    static bool isPostgresUrl(const QString &location);

private:
    struct Deferred
    {
        const char *sql;
        bool prepared;
        PostgresParams params;
        const char *what;
    };

    std::unexpected<Error> failure(const char *what, pg_result *result);
    std::unexpected<Error> rolledBackError();
    Result<void> setUpSession();
    Result<void> executeNow(const char *sql, const char *what);
    Result<QByteArray> preparedName(const char *sql, int parameters, const char *what);
    void beforeSend();
    // The held-back statements and then `last`, one round trip; the answer is last's.
    Result<PostgresResult> sendWithDeferred(Deferred last);
    // Prepares the held-back statements and `last` on this session; *heldBackFailed tells
    // whether a held-back one failed.
    Result<void> prepareRoundTrip(const Deferred &last, bool *heldBackFailed);
    // A new session for a broken one (PQreset), set up; what is held back is kept.
    bool replaceSession();
    // Nothing when the session may carry statements, else the error (and a batch with writes
    // held back fails whole).
    Result<void> refuseUnready();
    // The answer is statements[answerAt]'s; what follows it is a trailer (markTrailer).
    Result<PostgresResult> sendPipeline(const std::vector<Deferred> &statements,
                                        std::size_t answerAt);
    void leavePipelineMode();

    pg_conn *m_connection = nullptr;
    QString m_url;
    std::optional<qint64> m_sessionLock;
    bool m_sessionReady = false;
    bool m_settingUp = false; // setUpSession() runs its own statements
    QHash<const char *, QByteArray> m_prepared;
    QByteArray m_lastState;
    std::vector<Deferred> m_deferred;
    std::function<void()> m_beforeSend;
    bool m_inBeforeSend = false;
    bool m_deferredFailed = false;
    std::chrono::steady_clock::time_point m_lastCheck; // of reconnectIfBroken
    std::optional<std::size_t> m_trailerAt;
    std::optional<TrailerOutcome> m_trailerOutcome;
};

} // namespace QueueDeck
