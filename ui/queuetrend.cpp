// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "queuetrend.h"

namespace QueueDeck::Ui {

namespace {

constexpr qint64 StepMs = 10'000;
constexpr qint64 SecondMs = 1000;

} // namespace

void QueueTrend::add(const Sample &sample)
{
    if (sample.atMs <= 0 || (!m_samples.empty() && sample.atMs <= m_samples.back().atMs))
        return;
    // A card is sent only when its figures change: the whole seconds between the newest sample
    // and this one showed the newest one's figures (at most a window of them).
    if (!m_samples.empty()) {
        Sample held = m_samples.back();
        const qint64 from = qMax(held.atMs, sample.atMs - WindowMs);
        for (qint64 at = from + SecondMs; at <= sample.atMs - SecondMs; at += SecondMs) {
            held.atMs = at;
            m_samples.push_back(held);
        }
    }
    m_samples.push_back(sample);
    while (!m_samples.empty() && m_samples.front().atMs < sample.atMs - WindowMs)
        m_samples.pop_front();
}

QList<double> QueueTrend::depthValues() const
{
    QList<double> values;
    values.reserve(qsizetype(m_samples.size()));
    for (const Sample &sample : m_samples)
        values.append(double(sample.depth));
    return values;
}

double QueueTrend::balancePerSecond() const
{
    if (m_samples.empty())
        return 0;
    const qint64 from = m_samples.back().atMs - 60'000;
    double sum = 0;
    int count = 0;
    for (auto it = m_samples.rbegin(); it != m_samples.rend() && it->atMs > from; ++it) {
        sum += it->addRate - it->doneRate;
        ++count;
    }
    return count > 0 ? sum / count : 0;
}

qint64 QueueTrend::growingForMs() const
{
    if (m_samples.empty())
        return 0;
    // Walk back in 10 s steps from the newest sample while each mark is lower than the one after
    // it.
    const qint64 newest = m_samples.back().atMs;
    qint64 later = m_samples.back().backlog;
    qint64 span = 0;
    auto it = m_samples.rbegin();
    for (qint64 mark = newest - StepMs;; mark -= StepMs) {
        while (it != m_samples.rend() && it->atMs > mark)
            ++it;
        if (it == m_samples.rend() || it->backlog >= later)
            break;
        later = it->backlog;
        span = newest - mark;
    }
    if (span < GrowingAfterMs || later >= m_samples.back().backlog)
        return 0;
    // And it still grows: higher now than a minute ago.
    for (auto at = m_samples.rbegin(); at != m_samples.rend(); ++at) {
        if (at->atMs <= newest - GrowingAfterMs)
            return at->backlog < m_samples.back().backlog ? span : 0;
    }
    return 0;
}

qint64 QueueTrend::growth() const
{
    const qint64 span = growingForMs();
    if (span == 0)
        return 0;
    const qint64 from = m_samples.back().atMs - span;
    for (auto it = m_samples.rbegin(); it != m_samples.rend(); ++it) {
        if (it->atMs <= from)
            return m_samples.back().backlog - it->backlog;
    }
    return 0;
}

} // namespace QueueDeck::Ui
