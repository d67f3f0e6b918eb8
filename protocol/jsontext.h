// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <optional>
#include <string>

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
class JsonText
{
public:
    JsonText() { m_text.reserve(768); }

    JsonText &string(const char *key, const QString &value);
    JsonText &stringOrNull(const char *key, const QString &value); // empty → null
    JsonText &number(const char *key, qint64 value);
    JsonText &boolean(const char *key, bool value);
    JsonText &null(const char *key);
    JsonText &time(const char *key, qint64 ms);                       // RFC 3339, UTC, milliseconds
    JsonText &time(const char *key, const std::optional<qint64> &ms); // none → null
    // Text that already is valid compact JSON (stored payloads and results); empty → null.
    JsonText &raw(const char *key, const QByteArray &json);
    // A nested object of string values, in the map's (sorted) order.
    template <typename Map> JsonText &strings(const char *key, const Map &map)
    {
        this->key(key);
        m_text.push_back('{');
        bool first = true;
        for (auto it = map.cbegin(); it != map.cend(); ++it) {
            if (!first)
                m_text.push_back(',');
            first = false;
            quoted(it.key());
            m_text.push_back(':');
            quoted(it.value());
        }
        m_text.push_back('}');
        return *this;
    }

    JsonText &stringArray(const char *key, const QStringList &values); // ["a","b"]
    QByteArray take();

private:
    void key(const char *key);
    void quoted(const QString &value);

    // Built in a std::string, whose appends are inline (QByteArray's each go through an
    // out-of-line insert), and copied once into the QByteArray take() returns.
    std::string m_text{"{"};
    bool m_first = true;
};

} // namespace QueueDeck::Codec
