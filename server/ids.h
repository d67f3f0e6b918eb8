// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

#include <optional>

namespace QueueDeck::Ids {

// Queue ids: "q_" + 10 lowercase base32 characters, random.
QString newQueueId();
// Worker ids chosen by the server: "w_" + 10 lowercase base32 characters, random.
QString newWorkerId();
// A random secret with the given prefix ("qdj_", "qdw_", …): 32 base32 characters (160 bits).
QString newSecret(QStringView prefix);

// Task ids: "t_" + 26 base32 characters holding 48 bits of milliseconds, 16 bits of node and the
// 64-bit store sequence number, so they sort by time and resolve to their row without an index.
QString taskId(qint64 createdMs, quint16 node, qint64 seq);
struct TaskIdParts
{
    qint64 createdMs = 0;
    quint16 node = 0;
    qint64 seq = 0;
};
std::optional<TaskIdParts> parseTaskId(QStringView id);

// Lease ids: "l_" + 13 base32 characters of a random 63-bit number kept in the store.
QString leaseId(qint64 value);
std::optional<qint64> parseLeaseId(QStringView id);
qint64 newLeaseValue();

bool isQueueId(QStringView id);

} // namespace QueueDeck::Ids
