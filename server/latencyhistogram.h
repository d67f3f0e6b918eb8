// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QtGlobal>

#include <array>
#include <optional>

namespace QueueDeck {

// A log-scale histogram of millisecond durations. Buckets are a quarter of a power of two wide
// (relative error ≤ 19%), from 0 ms to about 12 days; histograms of any ranges merge by adding
// buckets, so percentiles of a day are read from minute histograms exactly as from one.
class LatencyHistogram final
{
public:
    static constexpr int BucketCount = 128;

    void record(qint64 ms);
    void merge(const LatencyHistogram &other);
    void clear() { *this = LatencyHistogram(); }

    quint64 count() const { return m_count; }
    quint32 bucketCount(int index) const { return m_buckets[size_t(index)]; }
    qint64 maxMs() const { return m_maxMs; }
    // The value at quantile q (0…1), as the upper bound of its bucket clamped to the maximum seen;
    // 0 when empty.
    qint64 quantileMs(double q) const;

    // Compact text form for storage: "index:count,index:count…" of the non-empty buckets, then
    // ";max". Parsing rejects anything else.
    QByteArray encode() const;
    static std::optional<LatencyHistogram> decode(const QByteArray &text);

    static int bucketFor(qint64 ms);
    static qint64 bucketUpperBoundMs(int index);

private:
    std::array<quint32, BucketCount> m_buckets{};
    quint64 m_count = 0;
    qint64 m_maxMs = 0;
};

} // namespace QueueDeck
