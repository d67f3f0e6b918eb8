// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "readyindex.h"

namespace QueueDeck {

namespace {
// Routed tasks are expected to be few; a worker looks at this many of them at the most per take.
constexpr int MaxRoutedScan = 512;
} // namespace

bool labelsMatch(const Labels &required, const Labels &offered)
{
    for (auto it = required.cbegin(); it != required.cend(); ++it) {
        const auto found = offered.constFind(it.key());
        if (found == offered.cend() || *found != it.value())
            return false;
    }
    return true;
}

ReadyIndex::Head ReadyIndex::headOf(const QString &key, const Lane &lane) const
{
    const Key &first = *lane.tasks.begin();
    return Head{first.priority, lane.servedTick, first.orderMs, key};
}

void ReadyIndex::removeHead(const QString &key, const Lane &lane)
{
    if (!lane.tasks.empty() && !lane.blocked)
        m_heads.erase(headOf(key, lane));
}

void ReadyIndex::addHead(const QString &key, const Lane &lane)
{
    if (!lane.tasks.empty() && !lane.blocked)
        m_heads.insert(headOf(key, lane));
}

void ReadyIndex::noteAge(qint64 orderMs, int delta)
{
    auto &count = m_ages[orderMs];
    count += delta;
    if (count <= 0)
        m_ages.erase(orderMs);
}

void ReadyIndex::insert(const ReadyTask &task, const Routing *routing)
{
    const Key key{task.priority, task.orderMs, task.seq};
    ++m_size;
    noteAge(task.orderMs, 1);
    if (routing && (!routing->requiredLabels.isEmpty() || !routing->workerId.isEmpty())) {
        m_routed.insert(key);
        m_routing[task.seq] = RoutedEntry{task.concurrencyKey, *routing};
        return;
    }
    Lane &lane = m_lanes[task.concurrencyKey];
    removeHead(task.concurrencyKey, lane);
    lane.tasks.insert(key);
    addHead(task.concurrencyKey, lane);
}

bool ReadyIndex::erase(const ReadyTask &task)
{
    const Key key{task.priority, task.orderMs, task.seq};
    if (m_routed.erase(key) > 0) {
        m_routing.erase(task.seq);
    } else {
        auto it = m_lanes.find(task.concurrencyKey);
        if (it == m_lanes.end() || !it->second.tasks.contains(key))
            return false;
        removeHead(it->first, it->second);
        it->second.tasks.erase(key);
        if (it->second.tasks.empty())
            m_lanes.erase(it);
        else
            addHead(it->first, it->second);
    }
    --m_size;
    noteAge(task.orderMs, -1);
    return true;
}

std::optional<ReadyTask> ReadyIndex::take(const QString &workerId, const Labels &workerLabels,
                                          int maxPerKey,
                                          const std::function<int(const QString &)> &runningForKey)
{
    auto keyFull = [&](const QString &key) {
        return maxPerKey > 0 && !key.isEmpty() && runningForKey(key) >= maxPerKey;
    };
    // Lanes whose key is full are parked until keyReleased().
    while (!m_heads.empty() && keyFull(m_heads.begin()->key)) {
        Lane &lane = m_lanes[m_heads.begin()->key];
        m_heads.erase(m_heads.begin());
        lane.blocked = true;
    }

    std::optional<Key> routedPick;
    int scanned = 0;
    for (auto it = m_routed.begin(); it != m_routed.end() && scanned < MaxRoutedScan;
         ++it, ++scanned) {
        const RoutedEntry &entry = m_routing.at(it->seq);
        if (!entry.routing.workerId.isEmpty() && entry.routing.workerId != workerId)
            continue;
        if (!labelsMatch(entry.routing.requiredLabels, workerLabels) || keyFull(entry.key))
            continue;
        routedPick = *it;
        break;
    }

    const bool laneFirst =
        !m_heads.empty() && (!routedPick || m_heads.begin()->priority > routedPick->priority ||
                             (m_heads.begin()->priority == routedPick->priority &&
                              m_heads.begin()->orderMs <= routedPick->orderMs));
    if (laneFirst) {
        const QString laneKey = m_heads.begin()->key;
        m_heads.erase(m_heads.begin());
        auto laneIt = m_lanes.find(laneKey);
        Lane &lane = laneIt->second;
        const Key picked = *lane.tasks.begin();
        lane.tasks.erase(lane.tasks.begin());
        lane.servedTick = ++m_tick;
        if (lane.tasks.empty())
            m_lanes.erase(laneIt);
        else
            addHead(laneKey, lane);
        --m_size;
        noteAge(picked.orderMs, -1);
        return ReadyTask{picked.seq, picked.orderMs, picked.priority, laneKey};
    }
    if (routedPick) {
        const RoutedEntry entry = m_routing.at(routedPick->seq);
        m_routed.erase(*routedPick);
        m_routing.erase(routedPick->seq);
        --m_size;
        noteAge(routedPick->orderMs, -1);
        return ReadyTask{routedPick->seq, routedPick->orderMs, routedPick->priority, entry.key};
    }
    return std::nullopt;
}

void ReadyIndex::keyReleased(const QString &key)
{
    auto it = m_lanes.find(key);
    if (it == m_lanes.end() || !it->second.blocked)
        return;
    it->second.blocked = false;
    addHead(key, it->second);
}

void ReadyIndex::unblockAll()
{
    for (auto &[key, lane] : m_lanes) {
        if (lane.blocked) {
            lane.blocked = false;
            addHead(key, lane);
        }
    }
}

qint64 ReadyIndex::oldestOrderMs() const
{
    return m_ages.empty() ? 0 : m_ages.begin()->first;
}

void ReadyIndex::clear()
{
    *this = ReadyIndex();
}

} // namespace QueueDeck
