// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "postgresconnection.h"

#include <QLoggingCategory>
#include <QRegularExpression>
#include <QUrl>

#include <libpq-fe.h>

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
    // Every accepted write is on disk before it is answered (as graphile-worker: durability does
    // not depend on the cluster's default). Times are integers of milliseconds, so the zone only
    // matters to whoever reads the tables by hand.
    if (auto set = execute("SET client_min_messages = warning; SET synchronous_commit = on; "
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
}

Result<void> PostgresConnection::reconnectIfBroken()
{
    if (!m_connection)
        return makeError(ErrorCode::Unavailable, QStringLiteral("the database is not open"));
    // A session whose set-up failed (its lock taken by another server meanwhile) is not used.
    if (PQstatus(m_connection) == CONNECTION_OK && m_sessionReady)
        return {};
    qCWarning(lcPostgres) << "the connection to" << redacted(m_url) << "broke; connecting again";
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

Result<PostgresResult> PostgresConnection::run(const char *sql, const PostgresParams &params,
                                               const char *what)
{
    if (!m_connection)
        return makeError(ErrorCode::Unavailable, QStringLiteral("the database is not open"));
    auto it = m_prepared.constFind(sql);
    if (it == m_prepared.cend()) {
        const QByteArray name = "qd" + QByteArray::number(m_prepared.size() + 1);
        PGresult *prepared =
            PQprepare(m_connection, name.constData(), sql, params.count(), nullptr);
        if (!prepared || PQresultStatus(prepared) != PGRES_COMMAND_OK)
            return failure(what, prepared);
        PQclear(prepared);
        it = m_prepared.insert(sql, name);
    }
    PGresult *result = PQexecPrepared(m_connection, it->constData(), params.count(),
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
    PGresult *result = PQexec(m_connection, sql);
    const ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        return failure(what, result);
    // COMMIT of a transaction that failed answers "ROLLBACK": nothing was written.
    const bool rolledBack =
        qstrcmp(PQcmdStatus(result), "ROLLBACK") == 0 && qstrcmp(sql, "ROLLBACK") != 0;
    PQclear(result);
    if (rolledBack)
        return makeError(ErrorCode::Unavailable,
                         QStringLiteral("the database rolled the transaction back after an "
                                        "error; try again"));
    m_lastState.clear();
    return {};
}

} // namespace QueueDeck
