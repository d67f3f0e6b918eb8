// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

// Private to the codec files: reads the fields of one JSON object strictly.

#include "protocol/error.h"
#include "protocol/wiretypes.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QSet>
#include <QVarLengthArray>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

namespace QueueDeck::Codec::Detail {

inline QString fieldName(const char *field)
{
    return QString::fromLatin1(field);
}

// Reads the fields of one JSON object, keeping the first error and the names it saw.
class FieldReader
{
public:
    FieldReader(const QJsonObject &object, QString context = {})
        : m_object(object), m_context(std::move(context))
    {}

    bool has(const char *field) const { return m_object.contains(QLatin1StringView(field)); }

    std::optional<QString> string(const char *field, bool required = false)
    {
        const QJsonValue value = take(field);
        if (value.isUndefined() || value.isNull()) {
            if (required)
                fail(QStringLiteral("%1 is required").arg(name(field)));
            return std::nullopt;
        }
        if (!value.isString()) {
            fail(QStringLiteral("%1 must be a string").arg(name(field)));
            return std::nullopt;
        }
        return value.toString();
    }

    template <typename T> std::optional<T> integer(const char *field, bool required = false)
    {
        const QJsonValue value = take(field);
        if (value.isUndefined() || value.isNull()) {
            if (required)
                fail(QStringLiteral("%1 is required").arg(name(field)));
            return std::nullopt;
        }
        const double number = value.toDouble(std::nan(""));
        if (!value.isDouble() || std::floor(number) != number || std::abs(number) > 9.0e15) {
            fail(QStringLiteral("%1 must be a whole number").arg(name(field)));
            return std::nullopt;
        }
        if (number < double(std::numeric_limits<T>::min()) ||
            number > double(std::numeric_limits<T>::max())) {
            fail(QStringLiteral("%1 is out of range").arg(name(field)));
            return std::nullopt;
        }
        return T(number);
    }

    std::optional<double> number(const char *field)
    {
        const QJsonValue value = take(field);
        if (value.isUndefined() || value.isNull())
            return std::nullopt;
        if (!value.isDouble()) {
            fail(QStringLiteral("%1 must be a number").arg(name(field)));
            return std::nullopt;
        }
        return value.toDouble();
    }

    std::optional<bool> boolean(const char *field)
    {
        const QJsonValue value = take(field);
        if (value.isUndefined() || value.isNull())
            return std::nullopt;
        if (!value.isBool()) {
            fail(QStringLiteral("%1 must be true or false").arg(name(field)));
            return std::nullopt;
        }
        return value.toBool();
    }

    // A time: an RFC 3339 string or milliseconds since the epoch.
    std::optional<qint64> time(const char *field)
    {
        const QJsonValue value = take(field);
        if (value.isUndefined() || value.isNull())
            return std::nullopt;
        if (value.isDouble())
            return qint64(value.toDouble());
        const QDateTime parsed = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
        if (!value.isString() || !parsed.isValid() || parsed.timeSpec() == Qt::LocalTime) {
            fail(QStringLiteral(
                     "%1 must be an RFC 3339 time with a zone, like 2026-11-22T12:00:00Z, or "
                     "milliseconds since 1970")
                     .arg(name(field)));
            return std::nullopt;
        }
        return parsed.toMSecsSinceEpoch();
    }

    QJsonValue any(const char *field) { return take(field); }

    std::optional<QStringList> strings(const char *field)
    {
        const QJsonValue value = take(field);
        if (value.isUndefined() || value.isNull())
            return std::nullopt;
        QStringList out;
        bool ok = value.isArray();
        for (const QJsonValue &item : value.toArray()) {
            ok = ok && item.isString();
            out.append(item.toString());
        }
        if (!ok) {
            fail(QStringLiteral("%1 must be a list of strings").arg(name(field)));
            return std::nullopt;
        }
        return out;
    }

    std::optional<Labels> labels(const char *field)
    {
        const QJsonValue value = take(field);
        if (value.isUndefined() || value.isNull())
            return std::nullopt;
        Labels out;
        bool ok = value.isObject();
        const QJsonObject object = value.toObject();
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            ok = ok && it.value().isString();
            out.insert(it.key(), it.value().toString());
        }
        if (!ok) {
            fail(QStringLiteral("%1 must be an object of string values, like {\"gpu\": \"true\"}")
                     .arg(name(field)));
            return std::nullopt;
        }
        return out;
    }

    std::optional<QJsonObject> object(const char *field)
    {
        const QJsonValue value = take(field);
        if (value.isUndefined() || value.isNull())
            return std::nullopt;
        if (!value.isObject()) {
            fail(QStringLiteral("%1 must be an object").arg(name(field)));
            return std::nullopt;
        }
        return value.toObject();
    }

    std::optional<QJsonArray> array(const char *field)
    {
        const QJsonValue value = take(field);
        if (value.isUndefined() || value.isNull())
            return std::nullopt;
        if (!value.isArray()) {
            fail(QStringLiteral("%1 must be a list").arg(name(field)));
            return std::nullopt;
        }
        return value.toArray();
    }

    void ignore(const char *field) { take(field); }

    // The first error, or one naming a field nobody read (a typo, most likely).
    std::optional<Error> finish() const
    {
        if (m_error)
            return m_error;
        for (auto it = m_object.constBegin(); it != m_object.constEnd(); ++it) {
            if (!seen(it.key()))
                return Error{
                    ErrorCode::InvalidArgument,
                    QStringLiteral("unknown field %1; check its spelling against the API reference")
                        .arg(m_context.isEmpty() ? it.key() : m_context + u'.' + it.key()),
                    QJsonObject{{QStringLiteral("field"), it.key()}}};
        }
        return std::nullopt;
    }

private:
    QJsonValue take(const char *field)
    {
        m_seen.append(field);
        return m_object.value(QLatin1StringView(field));
    }
    bool seen(const QString &key) const
    {
        return std::any_of(m_seen.cbegin(), m_seen.cend(),
                           [&key](const char *field) { return key == QLatin1StringView(field); });
    }
    QString name(const char *field) const
    {
        return m_context.isEmpty() ? fieldName(field) : m_context + u'.' + fieldName(field);
    }
    void fail(QString message)
    {
        if (!m_error)
            m_error = Error{ErrorCode::InvalidArgument, std::move(message), {}};
    }

    QJsonObject m_object;
    QString m_context;
    // The names asked for (string literals): a few, so a list is cheaper than a set of QStrings
    // (one allocation and one hash insert per field of every request).
    QVarLengthArray<const char *, 24> m_seen;
    std::optional<Error> m_error;
};

template <typename T> void assign(T &target, const std::optional<T> &value)
{
    if (value)
        target = *value;
}

template <typename T> Result<T> finished(const FieldReader &reader, T value)
{
    if (auto error = reader.finish())
        return std::unexpected(*error);
    return value;
}

} // namespace QueueDeck::Codec::Detail
