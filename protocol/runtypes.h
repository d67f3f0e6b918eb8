// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

// Runs (design §10): a root task enqueued by a producer and every task enqueued as its
// descendant. Plain data: safe to copy across threads.

#include "protocol/wiretypes.h"

namespace QueueDeck {

// Waiting: unfinished, its root not started yet (held back by max_active_runs or not leased).
// Active: its root has started and a task of it is unfinished. Succeeded: every task of it
// succeeded. Failed: all finished, at least one did not succeed (dead, cancelled, deleted).
enum class RunState { Waiting, Active, Succeeded, Failed };
QString runStateName(RunState state);
std::optional<RunState> runStateFromName(QStringView name);
inline bool isFinished(RunState state)
{
    return state == RunState::Succeeded || state == RunState::Failed;
}

// One task of a run, as the run's tree shows it.
struct RunTask
{
    QString id;
    QString parentId; // empty for the root
    QString queueId;
    QString type;
    TaskState state = TaskState::Queued;
    int attempts = 0;
    qint64 enqueuedAtMs = 0;
    std::optional<qint64> startedAtMs;
    std::optional<qint64> finishedAtMs;
    std::optional<qint64> durationMs; // run time: finished (or now) − started; unset if not started
    QString lastError;
    DeadReason deadReason = DeadReason::None;
};

struct RunInfo
{
    QString id;      // the root's id
    QString queueId; // the root's queue
    RunState state = RunState::Waiting;
    qint64 total = 0;
    qint64 unfinished = 0;
    qint64 succeeded = 0;
    qint64 failed = 0;                  // dead, or cancelled
    std::optional<qint64> startedAtMs;  // the earliest start of a task of it
    std::optional<qint64> finishedAtMs; // the last finish, once the run is finished
    std::optional<qint64> durationMs;   // finished (or now) − started
    QList<RunTask> tasks;   // the root first, then descendants in the order they were enqueued
    bool truncated = false; // the run has more tasks than the answer holds
};

// A child enqueued by the worker that holds its parent (design §5): into the parent's queue
// (queueId empty) or a queue named in that queue's child_queues.
struct ChildEnqueue
{
    QString parentId;
    QString leaseId;  // the parent's live lease
    QString workerId; // the caller's worker (empty: the admin, acting for the lease's holder)
    QString queueId;  // empty: the parent's queue
    EnqueueRequest task;
};

} // namespace QueueDeck
