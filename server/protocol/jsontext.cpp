// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "protocol/jsontext.h"

#include <QDateTime>

#include <utility>

namespace QueueDeck::Codec {

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
    m_text.append('"')
        .append(QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs).toLatin1())
        .append('"');
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
