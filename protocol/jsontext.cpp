// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "protocol/jsontext.h"

#include <QDateTime>

#include <algorithm>
#include <charconv>
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

// The inverse of civilDate: the day, counted from 1970-01-01, of a civil date.
qint64 daysFromCivil(qint64 year, int month, int day)
{
    year -= month <= 2 ? 1 : 0;
    const qint64 era = (year >= 0 ? year : year - 399) / 400;
    const qint64 yearOfEra = year - era * 400;
    const qint64 dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    const qint64 dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146097 + dayOfEra - 719468;
}

int daysInMonth(qint64 year, int month)
{
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

char *putDigits(char *out, qint64 value, int width)
{
    for (int i = width - 1; i >= 0; --i) {
        out[i] = char('0' + value % 10);
        value /= 10;
    }
    return out + width;
}

constexpr int IsoTimeLength = 24; // yyyy-MM-ddTHH:mm:ss.zzzZ

// Writes the time into out (IsoTimeLength characters) and says so, or leaves out alone and says
// false for years outside 1–9999 (those take Qt's own spelling: Qt has no year 0).
bool putIsoTime(char *out, qint64 ms)
{
    const qint64 msPerDay = 86'400'000;
    const qint64 days = (ms >= 0 ? ms : ms - (msPerDay - 1)) / msPerDay;
    const qint64 inDay = ms - days * msPerDay;
    qint64 year = 0;
    int month = 0;
    int day = 0;
    civilDate(days, year, month, day);
    if (year < 1 || year > 9999)
        return false;
    // yyyy-MM-ddTHH:mm:ss.zzzZ, as QDateTime writes it (Qt::ISODateWithMs, UTC), without
    // building a QDateTime and a QString for each time in every answer.
    char *p = putDigits(out, year, 4);
    *p++ = '-';
    p = putDigits(p, month, 2);
    *p++ = '-';
    p = putDigits(p, day, 2);
    *p++ = 'T';
    p = putDigits(p, inDay / 3'600'000, 2);
    *p++ = ':';
    p = putDigits(p, inDay / 60'000 % 60, 2);
    *p++ = ':';
    p = putDigits(p, inDay / 1000 % 60, 2);
    *p++ = '.';
    p = putDigits(p, inDay % 1000, 3);
    *p = 'Z';
    return true;
}

// Reads what putIsoTime writes, for years 1–9999, and nothing else.
template <typename Char> std::optional<qint64> readIsoTime(const Char *text, qsizetype size)
{
    if (size != IsoTimeLength)
        return std::nullopt;
    auto number = [text](int at, int width) -> int {
        int value = 0;
        for (int i = at; i < at + width; ++i) {
            if (text[i] < '0' || text[i] > '9')
                return -1;
            value = value * 10 + int(text[i] - '0');
        }
        return value;
    };
    for (const auto &[at, c] :
         {std::pair{4, '-'}, {7, '-'}, {10, 'T'}, {13, ':'}, {16, ':'}, {19, '.'}, {23, 'Z'}}) {
        if (text[at] != Char(c))
            return std::nullopt;
    }
    const int year = number(0, 4);
    const int month = number(5, 2);
    const int day = number(8, 2);
    const int hour = number(11, 2);
    const int minute = number(14, 2);
    const int second = number(17, 2);
    const int milli = number(20, 3);
    if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) ||
        hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 ||
        milli < 0)
        return std::nullopt;
    return daysFromCivil(year, month, day) * 86'400'000 + hour * 3'600'000LL + minute * 60'000LL +
           second * 1000LL + milli;
}

QByteArray farIsoTime(qint64 ms) // Qt's own spelling of far years
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs).toLatin1();
}

// Writes c, a byte of UTF-8 text, as JSON writes it inside a string (at most 6 bytes); returns the
// end of what it wrote.
char *putEscaped(char *out, char c)
{
    static const char hex[] = "0123456789abcdef";
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
        *out++ = '\\';
        *out++ = c;
        return out;
    }
    if (byte >= 0x20) {
        *out++ = c;
        return out;
    }
    *out++ = '\\';
    switch (c) {
    case '\n':
        *out++ = 'n';
        break;
    case '\r':
        *out++ = 'r';
        break;
    case '\t':
        *out++ = 't';
        break;
    case '\b':
        *out++ = 'b';
        break;
    case '\f':
        *out++ = 'f';
        break;
    default:
        out = std::copy_n("u00", 3, out);
        *out++ = hex[byte >> 4];
        *out++ = hex[byte & 0xf];
    }
    return out;
}

} // namespace

void appendIsoTime(QByteArray &text, qint64 ms)
{
    char buffer[IsoTimeLength];
    if (putIsoTime(buffer, ms))
        text.append(buffer, IsoTimeLength);
    else
        text.append(farIsoTime(ms));
}

std::optional<qint64> isoTimeMs(QByteArrayView text)
{
    return readIsoTime(text.data(), text.size());
}

std::optional<qint64> isoTimeMs(QStringView text)
{
    return readIsoTime(text.utf16(), text.size());
}

std::optional<qint64> isoTimeMs(QLatin1StringView text)
{
    return readIsoTime(text.data(), text.size());
}

char *JsonText::room(qsizetype bytes)
{
    if (m_size + bytes > m_text.size())
        m_text.resize(std::max({qsizetype(768), m_text.size() * 2, m_size + bytes}));
    return m_text.data() + m_size;
}

void JsonText::key(std::string_view name)
{
    char *out = room(qsizetype(name.size()) + 4);
    *out++ = m_first ? '{' : ',';
    m_first = false;
    *out++ = '"';
    out = std::copy_n(name.data(), name.size(), out);
    *out++ = '"';
    *out++ = ':';
    advance(out);
}

void JsonText::quoted(const QString &value)
{
    const auto *units = reinterpret_cast<const char16_t *>(value.utf16());
    const qsizetype size = value.size();
    // ASCII with nothing to escape (ids, names, states: nearly every string of an answer) is
    // written in one pass into room made for it; anything else as UTF-8, byte by byte.
    char *out = room(size + 2);
    *out++ = '"';
    qsizetype plain = 0;
    while (plain < size) {
        const char16_t unit = units[plain];
        if (unit >= 0x80 || unit < 0x20 || unit == u'"' || unit == u'\\')
            break;
        out[plain++] = char(unit);
    }
    if (plain == size) {
        out[size] = '"';
        advance(out + size + 1);
        return;
    }
    // The rest from the first byte that needs care, as UTF-8: its ASCII bytes are escaped as
    // above, the bytes of multi-byte sequences (all ≥ 0x80) are written as they are.
    advance(out + plain);
    const QByteArray utf8 = QStringView(value).sliced(plain).toUtf8();
    out = room(utf8.size() * 6 + 1);
    for (const char c : utf8)
        out = putEscaped(out, c);
    *out++ = '"';
    advance(out);
}

JsonText &JsonText::string(std::string_view name, const QString &value)
{
    key(name);
    quoted(value);
    return *this;
}

JsonText &JsonText::stringOrNull(std::string_view name, const QString &value)
{
    return value.isEmpty() ? null(name) : string(name, value);
}

JsonText &JsonText::number(std::string_view name, qint64 value)
{
    key(name);
    char *out = room(20);
    advance(std::to_chars(out, out + 20, value).ptr);
    return *this;
}

JsonText &JsonText::boolean(std::string_view name, bool value)
{
    key(name);
    const std::string_view text = value ? "true" : "false";
    advance(std::copy_n(text.data(), text.size(), room(qsizetype(text.size()))));
    return *this;
}

JsonText &JsonText::null(std::string_view name)
{
    key(name);
    advance(std::copy_n("null", 4, room(4)));
    return *this;
}

JsonText &JsonText::time(std::string_view name, qint64 ms)
{
    key(name);
    char *out = room(IsoTimeLength + 2);
    *out = '"';
    if (putIsoTime(out + 1, ms)) {
        out[IsoTimeLength + 1] = '"';
        advance(out + IsoTimeLength + 2);
        return *this;
    }
    const QByteArray far = farIsoTime(ms);
    out = room(far.size() + 2) + 1; // after the quote written above
    out = std::copy_n(far.constData(), far.size(), out);
    *out++ = '"';
    advance(out);
    return *this;
}

JsonText &JsonText::time(std::string_view name, const std::optional<qint64> &ms)
{
    return ms ? time(name, *ms) : null(name);
}

JsonText &JsonText::raw(std::string_view name, const QByteArray &json)
{
    if (json.isEmpty())
        return null(name);
    key(name);
    advance(std::copy_n(json.constData(), json.size(), room(json.size())));
    return *this;
}

JsonText &JsonText::stringArray(std::string_view name, const QStringList &values)
{
    key(name);
    put('[');
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (i > 0)
            put(',');
        quoted(values[i]);
    }
    put(']');
    return *this;
}

QByteArray JsonText::take()
{
    if (m_first)
        put('{');
    put('}');
    m_text.truncate(m_size);
    m_size = 0;
    m_first = true;
    return std::exchange(m_text, QByteArray());
}

} // namespace QueueDeck::Codec
