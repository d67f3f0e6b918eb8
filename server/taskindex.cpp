// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "taskindex.h"

namespace QueueDeck {

std::optional<TaskIndex::DueTask> TaskIndex::takeDueScheduled(qint64 nowMs)
{
    if (m_scheduled.empty() || m_scheduled.begin()->first.first > nowMs)
        return std::nullopt;
    auto first = m_scheduled.begin();
    DueTask due{first->first.first, first->first.second, std::move(first->second)};
    m_scheduled.erase(first);
    return due;
}

void TaskIndex::unscheduleQueue(int queueNum)
{
    for (auto it = m_scheduled.begin(); it != m_scheduled.end();)
        it = it->second.queueNum == queueNum ? m_scheduled.erase(it) : std::next(it);
}

std::optional<qint64> TaskIndex::takeDueExpiry(qint64 nowMs)
{
    if (m_expiries.empty() || m_expiries.begin()->first > nowMs)
        return std::nullopt;
    const qint64 seq = m_expiries.begin()->second;
    m_expiries.erase(m_expiries.begin());
    return seq;
}

void TaskIndex::forgetKeyOf(int queueNum, qint64 seq)
{
    for (auto key = m_idempotency.begin(); key != m_idempotency.end(); ++key) {
        if (key.value() == seq && key.key().first == queueNum) {
            m_idempotency.erase(key);
            return;
        }
    }
}

void TaskIndex::forgetKeysOfQueue(int queueNum, const std::function<bool(qint64 seq)> &keep)
{
    for (auto it = m_idempotency.begin(); it != m_idempotency.end();) {
        const bool forget = it.key().first == queueNum && !(keep && keep(it.value()));
        it = forget ? m_idempotency.erase(it) : std::next(it);
    }
}

std::optional<qint64> TaskIndex::nextDueMs() const
{
    std::optional<qint64> next;
    if (!m_scheduled.empty())
        next = m_scheduled.begin()->first.first;
    if (!m_expiries.empty())
        next = next ? qMin(*next, m_expiries.begin()->first) : m_expiries.begin()->first;
    return next;
}

void TaskIndex::clear()
{
    m_scheduled.clear();
    m_expiries.clear();
    m_routing.clear();
    m_idempotency.clear();
}

} // namespace QueueDeck
