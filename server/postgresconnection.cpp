// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "postgresconnection.h"

#include <QLoggingCategory>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QUrl>

#include <libpq-fe.h>

#include <algorithm>
#include <cstdlib>

Q_LOGGING_CATEGORY(lcPostgres, "queuedeck.store.postgresql", QtInfoMsg) // debug: on request

namespace QueueDeck {

namespace {

// SQLSTATE classes that mean the connection or the server is in trouble, not the statement.
bool isConnectionTrouble(const QByteArray &state)
{
    return state.startsWith("08") || state.startsWith("57") || state.startsWith("53");
}

} // namespace

PostgresParams &PostgresParams::add(qint64 value)
{
    m_values.push_back(QByteArray::number(value));
    m_null.push_back(false);
    m_lengths.push_back(0);
    m_formats.push_back(0);
    return *this;
}

PostgresParams &PostgresParams::add(const QString &value)
{
    m_values.push_back(value.toUtf8());
    m_null.push_back(false);
    m_lengths.push_back(0);
    m_formats.push_back(0);
    return *this;
}

PostgresParams &PostgresParams::addOptional(const QString &value)
{
    return value.isEmpty() ? addNull() : add(value);
}

PostgresParams &PostgresParams::addBytes(const QByteArray &value, bool nullWhenEmpty)
{
    if (nullWhenEmpty && value.isEmpty())
        return addNull();
    m_values.push_back(value);
    m_null.push_back(false);
    m_lengths.push_back(int(value.size()));
    m_formats.push_back(1);
    return *this;
}

PostgresParams &PostgresParams::append(const PostgresParams &other)
{
    m_values.insert(m_values.end(), other.m_values.begin(), other.m_values.end());
    m_null.insert(m_null.end(), other.m_null.begin(), other.m_null.end());
    m_lengths.insert(m_lengths.end(), other.m_lengths.begin(), other.m_lengths.end());
    m_formats.insert(m_formats.end(), other.m_formats.begin(), other.m_formats.end());
    return *this;
}

PostgresParams &PostgresParams::addNull()
{
    m_values.emplace_back();
    m_null.push_back(true);
    m_lengths.push_back(0);
    m_formats.push_back(0);
    return *this;
}

const char *const *PostgresParams::values() const
{
    m_pointers.clear();
    for (std::size_t i = 0; i < m_values.size(); ++i)
        m_pointers.push_back(m_null[i] ? nullptr : m_values[i].constData());
    return m_pointers.data();
}

PostgresResult::~PostgresResult()
{
    if (m_result)
        PQclear(m_result);
}

PostgresResult &PostgresResult::operator=(PostgresResult &&other) noexcept
{
    if (this != &other) {
        if (m_result)
            PQclear(m_result);
        m_result = other.m_result;
        other.m_result = nullptr;
    }
    return *this;
}

int PostgresResult::rows() const
{
    return m_result ? PQntuples(m_result) : 0;
}

qint64 PostgresResult::affected() const
{
    return m_result ? std::strtoll(PQcmdTuples(m_result), nullptr, 10) : 0;
}

bool PostgresResult::isNull(int row, int column) const
{
    return PQgetisnull(m_result, row, column) != 0;
}

qint64 PostgresResult::integer(int row, int column) const
{
    return std::strtoll(PQgetvalue(m_result, row, column), nullptr, 10);
}

std::optional<qint64> PostgresResult::optionalInteger(int row, int column) const
{
    if (isNull(row, column))
        return std::nullopt;
    return integer(row, column);
}

QString PostgresResult::text(int row, int column) const
{
    return QString::fromUtf8(PQgetvalue(m_result, row, column), PQgetlength(m_result, row, column));
}

QByteArray PostgresResult::bytes(int row, int column) const
{
    // bytea_output = hex (set for the session): "\x" and two hex digits a byte.
    const char *value = PQgetvalue(m_result, row, column);
    const int length = PQgetlength(m_result, row, column);
    if (length < 2 || value[0] != '\\' || value[1] != 'x')
        return QByteArray(value, length);
    return QByteArray::fromHex(QByteArray::fromRawData(value + 2, length - 2));
}

PostgresConnection::~PostgresConnection()
{
    close();
}

bool PostgresConnection::isPostgresUrl(const QString &location)
{
    return location.startsWith(u"postgresql://") || location.startsWith(u"postgres://");
}

QString PostgresConnection::redacted(const QString &url)
{
    QUrl parsed(url);
    if (!parsed.isValid())
        return QStringLiteral("(a PostgreSQL URL that cannot be read)");
    if (!parsed.password().isEmpty())
        parsed.setPassword(QStringLiteral("***"));
    QString shown = parsed.toString();
    // A password given as a query parameter (?password=…) is hidden too.
    static const QRegularExpression inQuery(QStringLiteral("([?&]password=)[^&]*"));
    shown.replace(inQuery, QStringLiteral("\\1***"));
    return shown;
}

Result<void> PostgresConnection::open(const QString &url, std::optional<qint64> sessionLock)
{
    close();
    m_url = url;
    m_sessionLock = sessionLock;
    const QByteArray utf8 = url.toUtf8();
    // Keywords before dbname are defaults the URL may override.
    const char *keywords[] = {"fallback_application_name", "connect_timeout", "dbname", nullptr};
    const char *values[] = {"queuedeck", "10", utf8.constData(), nullptr};
    m_connection = PQconnectdbParams(keywords, values, 1);
    if (!m_connection || PQstatus(m_connection) != CONNECTION_OK) {
        const QString detail = m_connection
                                   ? QString::fromUtf8(PQerrorMessage(m_connection)).trimmed()
                                   : QStringLiteral("out of memory");
        close();
        return makeError(ErrorCode::Unavailable,
                         QStringLiteral("cannot connect to the database %1: %2; check the URL, "
                                        "that the server runs, and the password (PGPASSWORD or "
                                        "the file PGPASSFILE names)")
                             .arg(redacted(url), detail));
    }
    return setUpSession();
}

Result<void> PostgresConnection::setUpSession()
{
    m_prepared.clear();
    m_sessionReady = false;
    m_settingUp = true;
    const auto done = qScopeGuard([this] { m_settingUp = false; });
    // Every accepted write is on disk before it is answered (as graphile-worker: durability does
    // not depend on the cluster's default). Times are integers of milliseconds, so the zone only
    // matters to whoever reads the tables by hand.
    if (auto set = executeNow("SET client_min_messages = warning; SET synchronous_commit = on; "
                              "SET bytea_output = hex; SET TIME ZONE 'UTC'",
                              "set up the session");
        !set)
        return set;
    if (!m_sessionLock) {
        m_sessionReady = true;
        return {};
    }
    auto taken = run("SELECT pg_try_advisory_lock($1::bigint)",
                     PostgresParams().add(*m_sessionLock), "lock the database");
    if (!taken)
        return std::unexpected(taken.error());
    if (taken->text(0, 0) != u"t")
        return makeError(ErrorCode::FailedPrecondition,
                         QStringLiteral("the database %1 is in use by another QueueDeck server; "
                                        "stop it or give this one another database (several "
                                        "servers on one database need queue ownership, which "
                                        "this version does not have yet)")
                             .arg(redacted(m_url)));
    m_sessionReady = true;
    return {};
}

void PostgresConnection::close()
{
    if (m_connection) {
        PQfinish(m_connection);
        m_connection = nullptr;
    }
    m_prepared.clear();
    m_deferred.clear();
}

Result<void> PostgresConnection::reconnectIfBroken()
{
    if (!m_connection)
        return makeError(ErrorCode::Unavailable, QStringLiteral("the database is not open"));
    // A session the server ended while it sat idle (a restart, idle_session_timeout, an
    // administrator) shows only when read. After a pause, what the server may have said is read
    // first, so that a closed session is replaced before a batch is sent on it; under load there
    // is no pause and no read.
    const auto now = std::chrono::steady_clock::now();
    if (now - m_lastCheck > std::chrono::seconds(1) && PQstatus(m_connection) == CONNECTION_OK) {
        // Twice: a server that ends a session says why, then closes; the first read may take
        // only the message, the second sees the close.
        if (PQconsumeInput(m_connection) == 1)
            PQconsumeInput(m_connection);
    }
    m_lastCheck = now;
    // A session whose set-up failed (its lock taken by another server meanwhile) is not used.
    if (PQstatus(m_connection) == CONNECTION_OK && m_sessionReady)
        return {};
    qCWarning(lcPostgres) << "the connection to" << redacted(m_url) << "broke; connecting again";
    m_deferred.clear(); // they belonged to a transaction the break ended
    PQreset(m_connection);
    if (PQstatus(m_connection) != CONNECTION_OK)
        return makeError(
            ErrorCode::Unavailable,
            QStringLiteral("the database %1 cannot be reached: %2; writes resume "
                           "when it can")
                .arg(redacted(m_url), QString::fromUtf8(PQerrorMessage(m_connection)).trimmed()));
    return setUpSession();
}

bool PostgresConnection::inFailedTransaction() const
{
    return m_connection && PQtransactionStatus(m_connection) == PQTRANS_INERROR;
}

bool PostgresConnection::inTransaction() const
{
    if (!m_connection)
        return false;
    const PGTransactionStatusType status = PQtransactionStatus(m_connection);
    return status == PQTRANS_INTRANS || status == PQTRANS_INERROR;
}

std::unexpected<Error> PostgresConnection::failure(const char *what, pg_result *result)
{
    QString detail;
    if (result) {
        m_lastState = QByteArray(PQresultErrorField(result, PG_DIAG_SQLSTATE));
        if (m_lastState.isEmpty() && PQstatus(m_connection) != CONNECTION_OK)
            m_lastState = "08006"; // the connection broke: libpq gives no state of its own
        detail = QString::fromUtf8(PQresultErrorMessage(result)).trimmed();
        PQclear(result);
    } else {
        m_lastState = "08000";
        detail = m_connection ? QString::fromUtf8(PQerrorMessage(m_connection)).trimmed()
                              : QStringLiteral("no connection");
    }
    qCWarning(lcPostgres) << what << "failed:" << m_lastState << detail;
    const QString hint = isConnectionTrouble(m_lastState)
                             ? QStringLiteral(" (the database server is unreachable or "
                                              "overloaded; writes resume when it answers)")
                             : QString();
    return makeError(ErrorCode::Unavailable, QStringLiteral("the database could not %1: %2%3")
                                                 .arg(QString::fromLatin1(what), detail, hint));
}

std::unexpected<Error> PostgresConnection::rolledBackError()
{
    m_lastState = "40000"; // transaction_rollback
    return makeError(ErrorCode::Unavailable,
                     QStringLiteral("the database rolled the transaction back after an error; "
                                    "try again"));
}

Result<QByteArray> PostgresConnection::preparedName(const char *sql, int parameters,
                                                    const char *what)
{
    auto it = m_prepared.constFind(sql);
    if (it != m_prepared.cend())
        return *it;
    const QByteArray name = "qd" + QByteArray::number(m_prepared.size() + 1);
    PGresult *prepared = PQprepare(m_connection, name.constData(), sql, parameters, nullptr);
    if (!prepared || PQresultStatus(prepared) != PGRES_COMMAND_OK)
        return failure(what, prepared);
    PQclear(prepared);
    m_prepared.insert(sql, name);
    return name;
}

void PostgresConnection::defer(const char *command)
{
    m_deferred.push_back(Deferred{command, false, {}, command});
}

void PostgresConnection::defer(const char *sql, PostgresParams params, const char *what)
{
    m_deferred.push_back(Deferred{sql, true, std::move(params), what});
}

Result<void> PostgresConnection::refuseUnready()
{
    // A session that is not set up (its replacement failed half way, or it left pipeline mode
    // with answers pending) carries nothing: without the session's settings and lock, a
    // statement would run in autocommit with no lock held. The next batch connects again.
    if (m_sessionReady || m_settingUp)
        return {};
    if (!m_deferred.empty())
        m_deferredFailed = true;
    return makeError(ErrorCode::Unavailable,
                     QStringLiteral("the session with the database broke and a new one could not "
                                    "be set up; try again"));
}

void PostgresConnection::beforeSend()
{
    if (!m_beforeSend || m_inBeforeSend)
        return;
    m_inBeforeSend = true;
    m_beforeSend();
    m_inBeforeSend = false;
}

Result<PostgresResult> PostgresConnection::run(const char *sql, const PostgresParams &params,
                                               const char *what)
{
    if (!m_connection)
        return makeError(ErrorCode::Unavailable, QStringLiteral("the database is not open"));
    if (auto refused = refuseUnready(); !refused)
        return std::unexpected(refused.error());
    beforeSend();
    if (!m_deferred.empty())
        return sendWithDeferred(Deferred{sql, true, params, what});
    auto name = preparedName(sql, params.count(), what);
    if (!name)
        return std::unexpected(name.error());
    PGresult *result = PQexecPrepared(m_connection, name->constData(), params.count(),
                                      params.values(), params.lengths(), params.formats(), 0);
    const ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        return failure(what, result);
    m_lastState.clear();
    return PostgresResult(result);
}

Result<void> PostgresConnection::execute(const char *sql, const char *what)
{
    if (!m_connection)
        return makeError(ErrorCode::Unavailable, QStringLiteral("the database is not open"));
    if (auto refused = refuseUnready(); !refused)
        return refused;
    beforeSend();
    if (m_deferred.empty())
        return executeNow(sql, what);
    // One command only: pipeline mode has no multi-statement strings.
    auto done = sendWithDeferred(Deferred{sql, false, {}, what});
    if (!done)
        return std::unexpected(done.error());
    return {};
}

Result<void> PostgresConnection::executeNow(const char *sql, const char *what)
{
    PGresult *result = PQexec(m_connection, sql);
    const ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        return failure(what, result);
    // COMMIT of a transaction that failed answers "ROLLBACK": nothing was written.
    const bool rolledBack =
        qstrcmp(sql, "COMMIT") == 0 && qstrcmp(PQcmdStatus(result), "ROLLBACK") == 0;
    PQclear(result);
    if (rolledBack)
        return rolledBackError();
    m_lastState.clear();
    return {};
}

void PostgresConnection::leavePipelineMode()
{
    if (PQexitPipelineMode(m_connection) == 1)
        return;
    // Answers still pending (a send failed half way, a sync never came): the session cannot run
    // another statement, so the next batch connects again (reconnectIfBroken).
    qCWarning(lcPostgres) << "leaving pipeline mode failed:"
                          << QString::fromUtf8(PQerrorMessage(m_connection)).trimmed();
    m_sessionReady = false;
}

Result<void> PostgresConnection::prepareRoundTrip(const Deferred &last, bool *heldBackFailed)
{
    for (const Deferred &statement : m_deferred) {
        if (!statement.prepared)
            continue;
        if (auto name = preparedName(statement.sql, statement.params.count(), statement.what);
            !name) {
            *heldBackFailed = true;
            return std::unexpected(name.error());
        }
    }
    if (last.prepared) {
        if (auto name = preparedName(last.sql, last.params.count(), last.what); !name)
            return std::unexpected(name.error());
    }
    return {};
}

bool PostgresConnection::replaceSession()
{
    qCWarning(lcPostgres) << "the connection to" << redacted(m_url) << "broke; connecting again";
    // Setting the new session up runs statements of its own: what is held back waits meanwhile.
    std::vector<Deferred> held = std::exchange(m_deferred, {});
    const std::optional<std::size_t> trailerAt = std::exchange(m_trailerAt, std::nullopt);
    PQreset(m_connection);
    const bool replaced = PQstatus(m_connection) == CONNECTION_OK && setUpSession().has_value();
    m_deferred = std::move(held);
    m_trailerAt = trailerAt;
    // A session not set up (no synchronous commit, no lock) carries nothing more of this batch;
    // the next batch connects again (reconnectIfBroken).
    m_sessionReady = replaced;
    return replaced;
}

Result<PostgresResult> PostgresConnection::sendWithDeferred(Deferred last)
{
    // A session the database ended while idle (a restart, an administrator) shows only when
    // written to. When this round trip would begin the transaction, nothing of the transaction
    // is on that session: connect again and go on there, unless the round trip was sent and
    // carries the COMMIT, which may have been applied before the answer was lost.
    const bool beginsTransaction = PQtransactionStatus(m_connection) == PQTRANS_IDLE;
    // A batch that lost a write already fails whole at its commit; nothing more of it goes out
    // (its BEGIN may have been lost with the write, which would leave the rest in autocommit).
    if (m_deferredFailed) {
        dropTrailer();
        return makeError(ErrorCode::Unavailable,
                         QStringLiteral("a write of this batch failed in the database; nothing "
                                        "of the batch was written, try again"));
    }
    // Everything is prepared before anything leaves the queue (preparing is a round trip of its
    // own, outside the pipeline).
    bool heldBackFailed = false;
    auto prepared = prepareRoundTrip(last, &heldBackFailed);
    if (!prepared && beginsTransaction && PQstatus(m_connection) == CONNECTION_BAD) {
        if (replaceSession()) {
            heldBackFailed = false;
            prepared = prepareRoundTrip(last, &heldBackFailed);
        } else {
            heldBackFailed = true; // what is held back cannot go out on this session
        }
    }
    if (!prepared) {
        // What was to follow `last` (a COMMIT) must not go after a statement that failed. The
        // held-back statements stay where they were: when `last` fails, it fails alone, as it
        // would had it run and failed; when a held-back write fails, it was already reported
        // done, and the batch fails whole.
        if (heldBackFailed)
            m_deferredFailed = true;
        dropTrailer();
        return std::unexpected(prepared.error());
    }
    std::vector<Deferred> statements = std::exchange(m_deferred, {});
    const std::size_t answerAt = qMin(m_trailerAt.value_or(statements.size()), statements.size());
    m_trailerAt.reset();
    m_trailerOutcome.reset();
    statements.insert(statements.begin() + qsizetype(answerAt), std::move(last));
    const bool commits = std::any_of(statements.begin(), statements.end(), [](const Deferred &s) {
        return qstrcmp(s.sql, "COMMIT") == 0;
    });
    auto answer = sendPipeline(statements, answerAt);
    if (answer || !beginsTransaction || commits || PQstatus(m_connection) != CONNECTION_BAD)
        return answer;
    if (!replaceSession())
        return answer;
    m_deferredFailed = false;
    auto resent = sendPipeline(statements, answerAt);
    if (!resent && PQtransactionStatus(m_connection) == PQTRANS_IDLE) {
        // Nothing of it holds on the new session, its BEGIN included: the rest of the batch must
        // not go out there in autocommit. The batch fails; the next one connects again.
        m_deferredFailed = true;
        m_sessionReady = false;
    }
    return resent;
}

Result<PostgresResult> PostgresConnection::sendPipeline(const std::vector<Deferred> &statements,
                                                        std::size_t answerAt)
{
    std::vector<QByteArray> names(statements.size());
    for (std::size_t i = 0; i < statements.size(); ++i) {
        if (!statements[i].prepared)
            continue;
        auto name =
            preparedName(statements[i].sql, statements[i].params.count(), statements[i].what);
        if (!name) {
            m_deferredFailed = statements.size() > 1;
            return std::unexpected(name.error());
        }
        names[i] = *name;
    }
    // Blocking mode is safe here: only the answering statement has rows, and they are read after
    // everything was sent; the others answer a few bytes each.
    const auto sendFailed = [this, &statements, answerAt] {
        m_deferredFailed = true;
        auto error = failure(statements[answerAt].what, nullptr);
        leavePipelineMode();
        return error;
    };
    if (PQenterPipelineMode(m_connection) != 1)
        return sendFailed();
    for (std::size_t i = 0; i < statements.size(); ++i) {
        const Deferred &statement = statements[i];
        const int sent =
            statement.prepared
                ? PQsendQueryPrepared(m_connection, names[i].constData(), statement.params.count(),
                                      statement.params.values(), statement.params.lengths(),
                                      statement.params.formats(), 0)
                : PQsendQueryParams(m_connection, statement.sql, 0, nullptr, nullptr, nullptr,
                                    nullptr, 0);
        if (sent != 1)
            return sendFailed();
    }
    if (PQpipelineSync(m_connection) != 1)
        return sendFailed();

    // Each statement's results end with a null result; the sync point comes last.
    std::optional<std::unexpected<Error>> firstError; // of the answer or a statement before it
    std::size_t failedAt = 0;                         // a broken connection: the first statement
    std::optional<TrailerOutcome> trailer;
    if (answerAt + 1 < statements.size())
        trailer = TrailerOutcome{{}, {}};
    PostgresResult answer;
    std::size_t index = 0;
    for (;;) {
        PGresult *result = PQgetResult(m_connection);
        if (!result) {
            if (++index > statements.size()) { // no sync point: the connection broke
                if (!firstError)
                    firstError = failure(statements[answerAt].what, nullptr);
                break;
            }
            continue;
        }
        const ExecStatusType status = PQresultStatus(result);
        if (status == PGRES_PIPELINE_SYNC) {
            PQclear(result);
            break;
        }
        const std::size_t at = qMin(index, statements.size() - 1);
        const Deferred &statement = statements[at];
        // COMMIT of a transaction that failed answers "ROLLBACK": nothing was written.
        const bool rolledBack = status == PGRES_COMMAND_OK && !statement.prepared &&
                                qstrcmp(statement.sql, "COMMIT") == 0 &&
                                qstrcmp(PQcmdStatus(result), "ROLLBACK") == 0;
        if (status == PGRES_PIPELINE_ABORTED) {
            PQclear(result);
        } else if ((status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) || rolledBack) {
            // The first error of the answer's part and of the trailer count; later ones (a
            // connection lost after an error) are not reported over them.
            const bool first = at > answerAt ? trailer->result.has_value() : !firstError;
            if (!first) {
                PQclear(result);
                continue;
            }
            std::unexpected<Error> error =
                rolledBack ? (PQclear(result), rolledBackError()) : failure(statement.what, result);
            if (at > answerAt) {
                *trailer = TrailerOutcome{std::move(error), m_lastState};
            } else {
                firstError = std::move(error);
                failedAt = at;
            }
        } else if (at == answerAt) {
            answer = PostgresResult(result);
        } else {
            PQclear(result);
        }
    }
    leavePipelineMode();
    if (firstError) {
        // What failed or was skipped lies after the open operation's savepoint when one was
        // sent before the failure: that operation fails and rolls back to it, and nothing of
        // the operations before it was lost. Otherwise held-back writes of finished operations
        // may be lost, and the batch must not commit.
        const auto savepoint =
            std::find_if(statements.rbegin(), statements.rend(), [](const Deferred &statement) {
                return qstrcmp(statement.sql, "SAVEPOINT op") == 0;
            });
        const bool insideOperation = savepoint != statements.rend() &&
                                     std::size_t(statements.rend() - savepoint - 1) < failedAt;
        if (!insideOperation)
            m_deferredFailed = true;
        return *firstError;
    }
    m_lastState.clear();
    m_trailerOutcome = std::move(trailer);
    return answer;
}

} // namespace QueueDeck
