// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

// Private to the codec files: how times, labels and raw JSON values are written and read.

#include "protocol/jsonscan.h"
#include "protocol/jsontext.h"
#include "protocol/wiretypes.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <charconv>
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

// JSON text as QJsonDocument writes it compactly: as given when it already is, otherwise read and
// written by Qt (null when it is no JSON at all).
inline QByteArray compactJsonText(const QByteArray &text)
{
    return isCompactJson(text) ? text : textFromValue(valueFromText(text));
}

inline QJsonObject labelsJson(const Labels &labels)
{
    QJsonObject object;
    for (auto it = labels.cbegin(); it != labels.cend(); ++it)
        object.insert(it.key(), it.value());
    return object;
}

// Lenient readers of what a server sent (client side).

// An RFC 3339 time: the form servers write read directly, any other by QDateTime.
template <typename Text> qint64 timeFromText(const Text &text)
{
    if (const auto ms = isoTimeMs(text))
        return *ms;
    return QDateTime::fromString(QString(text), Qt::ISODateWithMs).toMSecsSinceEpoch();
}

inline qint64 timeFrom(const QJsonValue &value)
{
    if (value.isDouble())
        return qint64(value.toDouble());
    return value.isString() ? timeFromText(value.toString()) : 0;
}

// The members of one answer, read leniently as QJsonValue's toString(), toInteger() and
// toBool() read them: absent, null or of another type give an empty string, 0 or false. A
// decoder written over these reads an answer from a QJsonObject (ObjectMembers) or, without
// building one, from the compact text servers write (TextMembers), and reads both alike.
class ObjectMembers
{
public:
    explicit ObjectMembers(const QJsonObject &object) : m_object(object) {}

    QString string(const char *key) const { return at(key).toString(); }
    qint64 integer(const char *key) const { return at(key).toInteger(); }
    bool boolean(const char *key) const { return at(key).toBool(); }
    // A time sent as a string; nothing for any other type.
    std::optional<qint64> time(const char *key) const
    {
        const QJsonValue value = at(key);
        if (!value.isString())
            return std::nullopt;
        return timeFromText(value.toString());
    }
    // The value's compact JSON text; nothing when absent or null.
    std::optional<QByteArray> json(const char *key) const
    {
        const QJsonValue value = at(key);
        if (value.isNull() || value.isUndefined())
            return std::nullopt;
        return textFromValue(value);
    }

private:
    QJsonValue at(const char *key) const { return m_object.value(QLatin1StringView(key)); }

    const QJsonObject &m_object;
};

class TextMembers
{
public:
    explicit TextMembers(const CompactObject &object) : m_object(object) {}

    QString string(const char *key) const
    {
        const auto text = quoted(key);
        return text ? QString::fromLatin1(*text) : QString();
    }
    qint64 integer(const char *key) const
    {
        const auto text = m_object.member(key);
        qint64 value = 0;
        if (!text || text->isEmpty())
            return 0;
        const auto [end, error] = std::from_chars(text->begin(), text->end(), value);
        return error == std::errc() && end == text->end() ? value : 0;
    }
    bool boolean(const char *key) const { return m_object.member(key) == "true"; }
    std::optional<qint64> time(const char *key) const
    {
        const auto text = quoted(key);
        if (!text)
            return std::nullopt;
        return timeFromText(*text);
    }
    std::optional<QByteArray> json(const char *key) const
    {
        const auto text = m_object.member(key);
        if (!text || *text == "null")
            return std::nullopt;
        return text->toByteArray();
    }

private:
    // A string member's characters: compact text holds printable ASCII without escapes.
    std::optional<QLatin1StringView> quoted(const char *key) const
    {
        const auto text = m_object.member(key);
        if (!text || text->size() < 2 || !text->startsWith('"'))
            return std::nullopt;
        return QLatin1StringView(text->sliced(1, text->size() - 2));
    }

    const CompactObject &m_object;
};

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
