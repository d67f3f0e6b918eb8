// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

// How a task row is read from SQLite: the columns to select and their reading.

#include "sqlitequery.h"
#include "storecodec.h"
#include "storetypes.h"

namespace QueueDeck {

// Columns of a full task row, in the order readTaskRow() expects.
#define TASK_COLUMNS                                                                               \
    "seq, queue, state, type, payload, priority, enqueued_at, run_at, attempts, max_attempts, "    \
    "timeout_s, expire_at, deadline, idempotency_key, concurrency_key, required_labels, "          \
    "target_worker, lease, leased_by, lease_expires, started_at, finished_at, error, result, "     \
    "dead_reason, cancel_requested, parent_id, run_id"

inline TaskRow readTaskRow(const SqliteQuery &q, bool withBodies)
{
    TaskRow row;
    row.seq = q.integer(0);
    row.queueNum = int(q.integer(1));
    row.state = TaskState(q.integer(2));
    row.type = q.text(3);
    if (withBodies)
        row.payload = q.blob(4);
    row.priority = int(q.integer(5));
    row.enqueuedAtMs = q.integer(6);
    row.runAtMs = q.integer(7);
    row.attempts = int(q.integer(8));
    if (auto v = q.optionalInteger(9))
        row.maxAttempts = int(*v);
    row.timeoutS = q.optionalInteger(10);
    row.expireAtMs = q.optionalInteger(11);
    row.deadlineMs = q.optionalInteger(12);
    row.idempotencyKey = q.text(13);
    row.concurrencyKey = q.text(14);
    row.requiredLabels = StoreCodec::decodeLabels(q.blob(15));
    row.targetWorkerId = q.text(16);
    row.leaseValue = q.integer(17);
    row.leasedBy = q.text(18);
    row.leaseExpiresAtMs = q.optionalInteger(19);
    row.startedAtMs = q.optionalInteger(20);
    row.finishedAtMs = q.optionalInteger(21);
    row.lastError = q.text(22);
    if (withBodies)
        row.result = q.blob(23);
    row.deadReason = DeadReason(q.integer(24));
    row.cancelRequested = q.integer(25) != 0;
    row.parentId = q.text(26);
    row.runId = q.text(27);
    return row;
}

} // namespace QueueDeck
