// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QString>
#include <QtGlobal>

#include <sqlite3.h>

#include <optional>

namespace QueueDeck {

// A cached prepared statement in use (the store owns it): bound, stepped and read; reset and
// cleared when the SqliteQuery ends. Used on the store's thread only.
class SqliteQuery final
{
public:
    explicit SqliteQuery(sqlite3_stmt *statement) : m_statement(statement) {}
    ~SqliteQuery()
    {
        if (m_statement) {
            sqlite3_reset(m_statement);
            sqlite3_clear_bindings(m_statement);
        }
    }
    Q_DISABLE_COPY_MOVE(SqliteQuery)

    bool valid() const { return m_statement != nullptr; }
    SqliteQuery &bind(int index, qint64 value)
    {
        sqlite3_bind_int64(m_statement, index, value);
        return *this;
    }
    SqliteQuery &bind(int index, int value)
    {
        sqlite3_bind_int(m_statement, index, value);
        return *this;
    }
    SqliteQuery &bind(int index, const QString &value)
    {
        const QByteArray utf8 = value.toUtf8();
        sqlite3_bind_text(m_statement, index, utf8.constData(), int(utf8.size()), SQLITE_TRANSIENT);
        return *this;
    }
    SqliteQuery &bindOptional(int index, const QString &value)
    {
        if (value.isEmpty())
            sqlite3_bind_null(m_statement, index);
        else
            bind(index, value);
        return *this;
    }
    SqliteQuery &bindBlob(int index, const QByteArray &value, bool nullWhenEmpty = false)
    {
        if (nullWhenEmpty && value.isEmpty())
            sqlite3_bind_null(m_statement, index);
        else
            sqlite3_bind_blob(m_statement, index, value.constData(), int(value.size()),
                              SQLITE_TRANSIENT);
        return *this;
    }
    // Bytes the caller keeps, unchanged, until the statement has run: bound without a copy.
    SqliteQuery &bindKeptText(int index, const QByteArray &utf8)
    {
        sqlite3_bind_text(m_statement, index, utf8.constData(), int(utf8.size()), SQLITE_STATIC);
        return *this;
    }
    SqliteQuery &bindKeptBlob(int index, const QByteArray &value)
    {
        sqlite3_bind_blob(m_statement, index, value.constData(), int(value.size()), SQLITE_STATIC);
        return *this;
    }
    SqliteQuery &bindNull(int index)
    {
        sqlite3_bind_null(m_statement, index);
        return *this;
    }
    template <typename T> SqliteQuery &bind(int index, const std::optional<T> &value)
    {
        if (value)
            sqlite3_bind_int64(m_statement, index, qint64(*value));
        else
            sqlite3_bind_null(m_statement, index);
        return *this;
    }

    int step() { return sqlite3_step(m_statement); }

    qint64 integer(int column) const { return sqlite3_column_int64(m_statement, column); }
    bool isNull(int column) const
    {
        return sqlite3_column_type(m_statement, column) == SQLITE_NULL;
    }
    std::optional<qint64> optionalInteger(int column) const
    {
        if (isNull(column))
            return std::nullopt;
        return integer(column);
    }
    QString text(int column) const
    {
        const auto *data = reinterpret_cast<const char *>(sqlite3_column_text(m_statement, column));
        return QString::fromUtf8(data, sqlite3_column_bytes(m_statement, column));
    }
    QByteArray blob(int column) const
    {
        const auto *data = static_cast<const char *>(sqlite3_column_blob(m_statement, column));
        return QByteArray(data, sqlite3_column_bytes(m_statement, column));
    }

private:
    sqlite3_stmt *m_statement;
};

} // namespace QueueDeck
