// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "typecounters.h"

#include <QJsonArray>

#include <algorithm>

namespace QueueDeck {

namespace {

TypeMetricsRow rowOf(const QString &type, qint64 processed, qint64 failed, qint64 started,
                     const LatencyHistogram &wait, const LatencyHistogram &run)
{
    TypeMetricsRow row;
    row.type = type.isEmpty() ? QStringLiteral("other") : type;
    row.other = type.isEmpty();
    row.processed = processed;
    row.failed = failed;
    row.started = started;
    row.runP50Ms = run.quantileMs(0.50);
    row.runP95Ms = run.quantileMs(0.95);
    row.runP99Ms = run.quantileMs(0.99);
    row.waitP50Ms = wait.quantileMs(0.50);
    row.waitP95Ms = wait.quantileMs(0.95);
    row.waitP99Ms = wait.quantileMs(0.99);
    for (int index = 0; index < LatencyHistogram::BucketCount; ++index) {
        if (const quint32 count = run.bucketCount(index); count > 0)
            row.runHistogram.append({LatencyHistogram::bucketUpperBoundMs(index), count});
    }
    return row;
}

} // namespace

void TypeCounters::Counts::merge(const Counts &other)
{
    processed += other.processed;
    failed += other.failed;
    started += other.started;
    wait.merge(other.wait);
    run.merge(other.run);
}

TypeCounters::Counts &TypeCounters::slot(const QString &type)
{
    if (auto it = m_types.find(type); it != m_types.end())
        return *it;
    const qsizetype kept = m_types.size() - (m_types.contains(QString()) ? 1 : 0);
    return m_types[kept < MaxTypes ? type : QString()];
}

void TypeCounters::recordStart(const QString &type, qint64 waitMs)
{
    Counts &counts = slot(type);
    counts.started += 1;
    counts.wait.record(waitMs);
}

void TypeCounters::recordFinish(const QString &type, qint64 runMs, bool failed)
{
    Counts &counts = slot(type);
    counts.processed += 1;
    counts.failed += failed ? 1 : 0;
    counts.run.record(runMs);
}

void TypeCounters::merge(const TypeCounters &other)
{
    for (auto it = other.m_types.cbegin(); it != other.m_types.cend(); ++it)
        m_types[it.key()].merge(it.value());
}

QList<TypeMetricsRow> TypeCounters::report() const
{
    QList<QString> names;
    for (auto it = m_types.cbegin(); it != m_types.cend(); ++it) {
        if (!it.key().isEmpty())
            names.append(it.key());
    }
    const auto busier = [this](const QString &a, const QString &b) {
        const Counts &x = m_types[a];
        const Counts &y = m_types[b];
        if (x.processed != y.processed)
            return x.processed > y.processed;
        if (x.started != y.started)
            return x.started > y.started;
        return a < b;
    };
    std::sort(names.begin(), names.end(), busier);
    Counts other = m_types.value(QString());
    bool hasOther = m_types.contains(QString());
    QList<TypeMetricsRow> rows;
    for (qsizetype i = 0; i < names.size(); ++i) {
        const Counts &counts = m_types[names[i]];
        if (i < MaxTypes) {
            rows.append(rowOf(names[i], counts.processed, counts.failed, counts.started,
                              counts.wait, counts.run));
        } else {
            other.merge(counts);
            hasOther = true;
        }
    }
    if (hasOther)
        rows.append(
            rowOf(QString(), other.processed, other.failed, other.started, other.wait, other.run));
    return rows;
}

QJsonObject TypeCounters::encode() const
{
    QJsonObject object;
    for (auto it = m_types.cbegin(); it != m_types.cend(); ++it) {
        const Counts &c = it.value();
        object.insert(it.key(), QJsonArray{c.processed, c.failed, c.started,
                                           QString::fromLatin1(c.wait.encode()),
                                           QString::fromLatin1(c.run.encode())});
    }
    return object;
}

std::optional<TypeCounters> TypeCounters::decode(const QJsonObject &object)
{
    TypeCounters out;
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        const QJsonArray fields = it.value().toArray();
        if (fields.size() != 5)
            return std::nullopt;
        const auto wait = LatencyHistogram::decode(fields[3].toString().toLatin1());
        const auto run = LatencyHistogram::decode(fields[4].toString().toLatin1());
        if (!wait || !run)
            return std::nullopt;
        out.m_types.insert(it.key(), Counts{fields[0].toInteger(), fields[1].toInteger(),
                                            fields[2].toInteger(), *wait, *run});
    }
    return out;
}

} // namespace QueueDeck
