// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "latencyhistogram.h"

#include <QList>

#include <bit>
#include <cmath>

namespace QueueDeck {

// Bucket 0 holds 0 ms; bucket 1 + 4*k + s holds values in [2^k * (1 + s/4), 2^k * (1 + (s+1)/4)).
int LatencyHistogram::bucketFor(qint64 ms)
{
    if (ms <= 0)
        return 0;
    const auto value = quint64(ms);
    const int exponent = 63 - std::countl_zero(value);
    int sub = 0;
    if (exponent >= 2)
        sub = int((value >> (exponent - 2)) & 3);
    else if (exponent == 1)
        sub = int(value & 1) * 2;
    const int index = 1 + exponent * 4 + sub;
    return qMin(index, BucketCount - 1);
}

qint64 LatencyHistogram::bucketUpperBoundMs(int index)
{
    if (index <= 0)
        return 0;
    const int exponent = (index - 1) / 4;
    const int sub = (index - 1) % 4;
    const double upper = std::ldexp(1.0 + (sub + 1) / 4.0, exponent);
    return qint64(std::ceil(upper)) - 1;
}

void LatencyHistogram::record(qint64 ms)
{
    ms = qMax<qint64>(ms, 0);
    ++m_buckets[size_t(bucketFor(ms))];
    ++m_count;
    m_maxMs = qMax(m_maxMs, ms);
}

void LatencyHistogram::merge(const LatencyHistogram &other)
{
    for (size_t i = 0; i < m_buckets.size(); ++i)
        m_buckets[i] += other.m_buckets[i];
    m_count += other.m_count;
    m_maxMs = qMax(m_maxMs, other.m_maxMs);
}

qint64 LatencyHistogram::quantileMs(double q) const
{
    if (m_count == 0)
        return 0;
    q = qBound(0.0, q, 1.0);
    // Nearest rank: the smallest value with at least ceil(q * count) values at or below it.
    const auto rank = qMax<quint64>(1, quint64(std::ceil(q * double(m_count))));
    quint64 seen = 0;
    for (int i = 0; i < BucketCount; ++i) {
        seen += m_buckets[size_t(i)];
        if (seen >= rank)
            return qMin(bucketUpperBoundMs(i), m_maxMs);
    }
    return m_maxMs;
}

QByteArray LatencyHistogram::encode() const
{
    QByteArray out;
    for (int i = 0; i < BucketCount; ++i) {
        if (m_buckets[size_t(i)] == 0)
            continue;
        if (!out.isEmpty())
            out.append(',');
        out.append(QByteArray::number(i))
            .append(':')
            .append(QByteArray::number(m_buckets[size_t(i)]));
    }
    out.append(';').append(QByteArray::number(m_maxMs));
    return out;
}

std::optional<LatencyHistogram> LatencyHistogram::decode(const QByteArray &text)
{
    const int separator = text.lastIndexOf(';');
    if (separator < 0)
        return std::nullopt;
    LatencyHistogram histogram;
    bool ok = false;
    histogram.m_maxMs = text.mid(separator + 1).toLongLong(&ok);
    if (!ok || histogram.m_maxMs < 0)
        return std::nullopt;
    const QByteArray body = text.left(separator);
    if (body.isEmpty())
        return histogram;
    for (const QByteArray &pair : body.split(',')) {
        const int colon = pair.indexOf(':');
        if (colon < 0)
            return std::nullopt;
        bool indexOk = false;
        bool countOk = false;
        const int index = pair.left(colon).toInt(&indexOk);
        const quint32 count = pair.mid(colon + 1).toUInt(&countOk);
        if (!indexOk || !countOk || index < 0 || index >= BucketCount)
            return std::nullopt;
        histogram.m_buckets[size_t(index)] += count;
        histogram.m_count += count;
    }
    return histogram;
}

} // namespace QueueDeck
