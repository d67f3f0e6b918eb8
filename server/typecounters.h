// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "latencyhistogram.h"
#include "protocol/typemetrics.h"

#include <QHash>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace QueueDeck {

// Counters and histograms per task type over one period (a minute, or a merged range) of one
// queue or the whole server. Bounded: recording keeps at most MaxTypes types apart, in the order
// they first appear in the period; attempts of any further type count under "other". A merged
// range may hold more; report() again keeps the busiest MaxTypes apart. Not thread-safe; the
// engine thread owns every instance.
class TypeCounters final
{
public:
    static constexpr int MaxTypes = 20;

    void recordStart(const QString &type, qint64 waitMs);
    void recordFinish(const QString &type, qint64 runMs, bool failed);
    // Adds every type of `other` (unbounded: for reading a range, not for recording).
    void merge(const TypeCounters &other);
    bool isEmpty() const { return m_types.isEmpty(); }
    int typeCount() const { return int(m_types.size()); }

    // The rows of a report, most processed first, "other" last.
    QList<TypeMetricsRow> report() const;

    // The rollup form: {"type": [processed, failed, started, wait, run], …}, "" for other.
    QJsonObject encode() const;
    static std::optional<TypeCounters> decode(const QJsonObject &object);

private:
    struct Counts
    {
        qint64 processed = 0;
        qint64 failed = 0;
        qint64 started = 0;
        LatencyHistogram wait;
        LatencyHistogram run;

        void merge(const Counts &other);
    };
    Counts &slot(const QString &type);

    QHash<QString, Counts> m_types; // "" holds "other"
};

} // namespace QueueDeck
