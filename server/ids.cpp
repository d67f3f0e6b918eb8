// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "ids.h"

#include <QRandomGenerator>

namespace QueueDeck::Ids {

namespace {

constexpr char s_alphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";

int digitValue(QChar c)
{
    const char ch = c.toLatin1();
    for (int i = 0; i < 32; ++i) {
        if (s_alphabet[i] == ch)
            return i;
    }
    return -1;
}

QString randomChars(QStringView prefix, int count)
{
    QString out;
    out.reserve(prefix.size() + count);
    out.append(prefix);
    auto *generator = QRandomGenerator::system();
    for (int i = 0; i < count; ++i)
        out.append(QLatin1Char(s_alphabet[generator->bounded(32)]));
    return out;
}

// Writes `count` base32 digits of the low 5*count bits of value, most significant first; returns
// the end. (Ids are written into a buffer and made a QString once: an append per character was
// most of the cost of naming a task in every answer.)
char16_t *putBits(char16_t *out, quint64 value, int count)
{
    for (int i = count - 1; i >= 0; --i)
        *out++ = char16_t(s_alphabet[(value >> (5 * i)) & 31]);
    return out;
}

std::optional<quint64> readBits(QStringView text)
{
    quint64 value = 0;
    for (QChar c : text) {
        const int digit = digitValue(c);
        if (digit < 0)
            return std::nullopt;
        value = (value << 5) | quint64(digit);
    }
    return value;
}

} // namespace

QString newQueueId()
{
    return randomChars(u"q_", 10);
}

QString newWorkerId()
{
    return randomChars(u"w_", 10);
}

QString newSecret(QStringView prefix)
{
    return randomChars(prefix, 32);
}

// Layout of the 130 bits behind the 26 characters: 2 zero bits, 48 bits of milliseconds,
// 16 bits of node, 64 bits of sequence. Written as 13 characters (65 bits) + 13 characters.
QString taskId(qint64 createdMs, quint16 node, qint64 seq)
{
    const quint64 high = (quint64(createdMs) & 0xFFFFFFFFFFFFull) << 16 | node; // 64 bits
    const quint64 low = quint64(seq);
    char16_t text[28] = {u't', u'_'};
    // 12 characters: the top 60 bits of high; 1 character: its low 4 bits and the top bit of
    // low; 13 characters (65 bits): two zero bits and the remaining 63 bits of low.
    char16_t *at = putBits(text + 2, high >> 4, 12);
    at = putBits(at, ((high & 0xF) << 1) | (low >> 63), 1);
    putBits(at, low & 0x7FFFFFFFFFFFFFFFull, 13);
    return QString(reinterpret_cast<const QChar *>(text), 28);
}

std::optional<TaskIdParts> parseTaskId(QStringView id)
{
    if (id.size() != 28 || !id.startsWith(u"t_"))
        return std::nullopt;
    const auto first = readBits(id.sliced(2, 12));
    const auto middle = readBits(id.sliced(14, 1));
    // The two top bits of the last 65 are always zero, so its first character is below 8.
    if (digitValue(id[15]) > 7)
        return std::nullopt;
    const auto last = readBits(id.sliced(15, 13));
    if (!first || !middle || !last)
        return std::nullopt;
    const quint64 high = (*first << 4) | (*middle >> 1);
    const quint64 low = ((*middle & 1) << 63) | *last;
    TaskIdParts parts;
    parts.createdMs = qint64(high >> 16);
    parts.node = quint16(high & 0xFFFF);
    parts.seq = qint64(low);
    return parts;
}

QString leaseId(qint64 value)
{
    char16_t text[15] = {u'l', u'_'};
    putBits(text + 2, quint64(value), 13);
    return QString(reinterpret_cast<const QChar *>(text), 15);
}

std::optional<qint64> parseLeaseId(QStringView id)
{
    if (id.size() != 15 || !id.startsWith(u"l_"))
        return std::nullopt;
    if (digitValue(id[2]) > 7)
        return std::nullopt; // 13 characters carry 65 bits: the top two are always zero
    const auto bits = readBits(id.sliced(2));
    if (!bits)
        return std::nullopt;
    return qint64(*bits);
}

qint64 newLeaseValue()
{
    return qint64(QRandomGenerator::global()->generate64() & 0x7FFFFFFFFFFFFFFFull) | 1;
}

bool isQueueId(QStringView id)
{
    if (id.size() != 12 || !id.startsWith(u"q_"))
        return false;
    for (QChar c : id.sliced(2)) {
        if (digitValue(c) < 0)
            return false;
    }
    return true;
}

} // namespace QueueDeck::Ids
