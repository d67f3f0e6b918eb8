// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <optional>
#include <string_view>

namespace QueueDeck::Codec {

// Appends a time as QDateTime writes it with Qt::ISODateWithMs in UTC
// ("2026-11-30T22:43:54.123Z"), several times cheaper.
void appendIsoTime(QByteArray &text, qint64 ms);

// Reads a time in exactly that form, for years 1–9999, as QDateTime::fromString with
// Qt::ISODateWithMs reads it; nothing for any other text (QDateTime's to read).
std::optional<qint64> isoTimeMs(QByteArrayView text);
std::optional<qint64> isoTimeMs(QStringView text);
std::optional<qint64> isoTimeMs(QLatin1StringView text);

// Writes one JSON object as compact text, field by field, for answers on hot paths: several times
// cheaper than building a QJsonObject and serialising it (whose every insert searches and moves
// the keys). Keys are written as given; callers give them in sorted order, as QJsonDocument does.
// A key is a std::string_view so that a literal's length is known where it is written.
class JsonText
{
public:
    JsonText &string(std::string_view key, const QString &value);
    JsonText &stringOrNull(std::string_view key, const QString &value); // empty → null
    JsonText &number(std::string_view key, qint64 value);
    JsonText &boolean(std::string_view key, bool value);
    JsonText &null(std::string_view key);
    JsonText &time(std::string_view key, qint64 ms); // RFC 3339, UTC, milliseconds
    JsonText &time(std::string_view key, const std::optional<qint64> &ms); // none → null
    // Text that already is valid compact JSON (stored payloads and results); empty → null.
    JsonText &raw(std::string_view key, const QByteArray &json);
    // A nested object of string values, in the map's (sorted) order.
    template <typename Map> JsonText &strings(std::string_view key, const Map &map)
    {
        this->key(key);
        put('{');
        bool first = true;
        for (auto it = map.cbegin(); it != map.cend(); ++it) {
            if (!first)
                put(',');
            first = false;
            quoted(it.key());
            put(':');
            quoted(it.value());
        }
        put('}');
        return *this;
    }

    JsonText &stringArray(std::string_view key, const QStringList &values); // ["a","b"]
    // The object, closed; the writer starts a new one.
    QByteArray take();

private:
    void key(std::string_view key); // opens the object before its first member
    void quoted(const QString &value);
    // Room for `bytes` more at the end of the text, written through the pointer and then
    // counted with advance(): one bounds check for a whole key or value, not one per byte.
    char *room(qsizetype bytes);
    void advance(const char *end) { m_size = end - m_text.constData(); }
    void put(char c)
    {
        *room(1) = c;
        ++m_size;
    }

    // Written in place into the array take() returns: its size is the room, m_size the text.
    QByteArray m_text;
    qsizetype m_size = 0;
    bool m_first = true;
};

} // namespace QueueDeck::Codec
