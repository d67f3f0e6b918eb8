// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

// Private to the codec files: how times, labels and raw JSON values are written and read.

#include "protocol/wiretypes.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <optional>

namespace QueueDeck::Codec::Detail {

// Times travel as RFC 3339 strings in UTC; readers also take milliseconds since the epoch.
inline QJsonValue timeValue(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

inline QJsonValue optionalTime(const std::optional<qint64> &ms)
{
    return ms ? timeValue(*ms) : QJsonValue();
}

// JSON text ↔ value. QJsonDocument holds only objects and arrays, so scalars go in an array.
inline QJsonValue valueFromText(const QByteArray &text)
{
    if (text.isEmpty())
        return QJsonValue();
    const QJsonDocument document = QJsonDocument::fromJson('[' + text + ']');
    return document.array().isEmpty() ? QJsonValue() : document.array().first();
}

inline QByteArray textFromValue(const QJsonValue &value)
{
    const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2);
}

inline QJsonObject labelsJson(const Labels &labels)
{
    QJsonObject object;
    for (auto it = labels.cbegin(); it != labels.cend(); ++it)
        object.insert(it.key(), it.value());
    return object;
}

// Lenient readers of what a server sent (client side).

inline qint64 timeFrom(const QJsonValue &value)
{
    if (value.isDouble())
        return qint64(value.toDouble());
    return value.isString()
               ? QDateTime::fromString(value.toString(), Qt::ISODateWithMs).toMSecsSinceEpoch()
               : 0;
}

inline Labels labelsFrom(const QJsonObject &object)
{
    Labels labels;
    for (auto it = object.begin(); it != object.end(); ++it)
        labels.insert(it.key(), it.value().toString());
    return labels;
}

inline QStringList stringsFrom(const QJsonValue &value)
{
    QStringList out;
    for (const QJsonValue &item : value.toArray())
        out.append(item.toString());
    return out;
}

inline double numberAt(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1StringView(key)).toDouble();
}

inline qint64 integerAt(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1StringView(key)).toInteger();
}

} // namespace QueueDeck::Codec::Detail
