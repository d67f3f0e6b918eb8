// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "protocol/jsontext.h"

#include <QDateTime>

#include <utility>

namespace QueueDeck::Codec {

namespace {

// The civil date (proleptic Gregorian) of a day counted from 1970-01-01, by the usual arithmetic
// on 400-year eras of 146,097 days, each era starting on a 1 March.
void civilDate(qint64 days, qint64 &year, int &month, int &day)
{
    days += 719468; // days from 0000-03-01 to 1970-01-01
    const qint64 era = (days >= 0 ? days : days - 146096) / 146097;
    const qint64 dayOfEra = days - era * 146097;
    const qint64 yearOfEra =
        (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
    const qint64 dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    const qint64 shiftedMonth = (5 * dayOfYear + 2) / 153; // 0 = March
    day = int(dayOfYear - (153 * shiftedMonth + 2) / 5 + 1);
    month = int(shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9);
    year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
}

void appendDigits(QByteArray &text, qint64 value, int width)
{
    char digits[4];
    for (int i = width - 1; i >= 0; --i) {
        digits[i] = char('0' + value % 10);
        value /= 10;
    }
    text.append(digits, width);
}

} // namespace

void appendIsoTime(QByteArray &text, qint64 ms)
{
    const qint64 msPerDay = 86'400'000;
    const qint64 days = (ms >= 0 ? ms : ms - (msPerDay - 1)) / msPerDay;
    const qint64 inDay = ms - days * msPerDay;
    qint64 year = 0;
    int month = 0;
    int day = 0;
    civilDate(days, year, month, day);
    if (year < 0 || year > 9999) { // Qt's own spelling of far years
        text.append(
            QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs).toLatin1());
        return;
    }
    // yyyy-MM-ddTHH:mm:ss.zzzZ, as QDateTime writes it (Qt::ISODateWithMs, UTC), without
    // building a QDateTime and a QString for each time in every answer.
    appendDigits(text, year, 4);
    text.append('-');
    appendDigits(text, month, 2);
    text.append('-');
    appendDigits(text, day, 2);
    text.append('T');
    appendDigits(text, inDay / 3'600'000, 2);
    text.append(':');
    appendDigits(text, inDay / 60'000 % 60, 2);
    text.append(':');
    appendDigits(text, inDay / 1000 % 60, 2);
    text.append('.');
    appendDigits(text, inDay % 1000, 3);
    text.append('Z');
}

void JsonText::key(const char *key)
{
    if (!m_first)
        m_text.append(',');
    m_first = false;
    m_text.append('"').append(key).append("\":");
}

void JsonText::quoted(const QString &value)
{
    static const char hex[] = "0123456789abcdef";
    const QByteArray utf8 = value.toUtf8();
    m_text.append('"');
    for (const char c : utf8) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            m_text.append('\\').append(c);
        } else if (byte < 0x20) {
            switch (c) {
            case '\n':
                m_text.append("\\n");
                break;
            case '\r':
                m_text.append("\\r");
                break;
            case '\t':
                m_text.append("\\t");
                break;
            case '\b':
                m_text.append("\\b");
                break;
            case '\f':
                m_text.append("\\f");
                break;
            default:
                m_text.append("\\u00").append(hex[byte >> 4]).append(hex[byte & 0xf]);
            }
        } else {
            m_text.append(c);
        }
    }
    m_text.append('"');
}

JsonText &JsonText::string(const char *name, const QString &value)
{
    key(name);
    quoted(value);
    return *this;
}

JsonText &JsonText::stringOrNull(const char *name, const QString &value)
{
    return value.isEmpty() ? null(name) : string(name, value);
}

JsonText &JsonText::number(const char *name, qint64 value)
{
    key(name);
    m_text.append(QByteArray::number(value));
    return *this;
}

JsonText &JsonText::boolean(const char *name, bool value)
{
    key(name);
    m_text.append(value ? "true" : "false");
    return *this;
}

JsonText &JsonText::null(const char *name)
{
    key(name);
    m_text.append("null");
    return *this;
}

JsonText &JsonText::time(const char *name, qint64 ms)
{
    key(name);
    m_text.append('"');
    appendIsoTime(m_text, ms);
    m_text.append('"');
    return *this;
}

JsonText &JsonText::time(const char *name, const std::optional<qint64> &ms)
{
    return ms ? time(name, *ms) : null(name);
}

JsonText &JsonText::raw(const char *name, const QByteArray &json)
{
    if (json.isEmpty())
        return null(name);
    key(name);
    m_text.append(json);
    return *this;
}

QByteArray JsonText::take()
{
    m_text.append('}');
    m_first = true;
    return std::exchange(m_text, QByteArray("{"));
}

} // namespace QueueDeck::Codec
