// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "leasebook.h"

namespace QueueDeck {

void LeaseBook::extend(qint64 seq, qint64 expiresAtMs)
{
    const auto it = m_running.find(seq);
    if (it == m_running.end())
        return;
    m_expiries.erase({it->second.expiresAtMs, seq});
    it->second.expiresAtMs = expiresAtMs;
    m_expiries.insert({expiresAtMs, seq});
}

void LeaseBook::removeQueue(int queueNum,
                            const std::function<void(qint64 seq, const RunningTask &task)> &forget)
{
    for (auto it = m_running.begin(); it != m_running.end();) {
        if (it->second.queueNum != queueNum) {
            ++it;
            continue;
        }
        m_expiries.erase({it->second.expiresAtMs, it->first});
        if (forget)
            forget(it->first, it->second);
        it = m_running.erase(it);
    }
}

std::optional<qint64> LeaseBook::takeDueExpiry(qint64 nowMs)
{
    if (m_expiries.empty() || m_expiries.begin()->first > nowMs)
        return std::nullopt;
    const qint64 seq = m_expiries.begin()->second;
    m_expiries.erase(m_expiries.begin());
    return seq;
}

std::optional<qint64> LeaseBook::nextExpiryMs() const
{
    if (m_expiries.empty())
        return std::nullopt;
    return m_expiries.begin()->first;
}

void LeaseBook::clearRunning()
{
    m_running.clear();
    m_expiries.clear();
}

} // namespace QueueDeck
