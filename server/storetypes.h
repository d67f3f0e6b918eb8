// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

// Rows as the store keeps them. Only the engine and store implementations see these.

#include "protocol/wiretypes.h"

#include <optional>

namespace QueueDeck {

enum class Durability { Normal, Full };

// The cluster lease (ClusterLease) a store's writer must hold: every batch the store commits
// first confirms, in its own transaction, that `holder` still holds `lease` with `token`, so a
// leader that was deposed cannot write (docs/design/scale-out.md).
struct StoreFence
{
    QString lease;
    QString holder;
    qint64 token = 0;
};

struct StoreOptions
{
    QString databasePath;
    Durability durability = Durability::Normal;
    std::optional<StoreFence> fence; // PostgreSQL only: writes confirmed by a cluster lease
    // PostgreSQL only, required there: the cluster key (ClusterKey) that seals join tokens.
    QByteArray clusterKey;
};

struct QueueRow
{
    int num = 0; // the store's small integer key of the queue
    QString id;
    QString environment;
    QString name;
    QueueSettings settings;
    QString joinToken;
    qint64 createdAtMs = 0;
};

struct TaskRow
{
    qint64 seq = 0;
    int queueNum = 0;
    TaskState state = TaskState::Queued;
    QString type;
    QByteArray payload;
    int priority = 0;
    qint64 enqueuedAtMs = 0;
    qint64 runAtMs = 0;
    int attempts = 0;
    std::optional<int> maxAttempts;   // unset: the queue's setting
    std::optional<qint64> timeoutS;   // unset: the queue's setting
    std::optional<qint64> expireAtMs; // waiting past this → dead (expired)
    std::optional<qint64> deadlineMs;
    QString idempotencyKey;
    QString concurrencyKey;
    Labels requiredLabels;
    QString targetWorkerId;
    qint64 leaseValue = 0; // the last lease given, kept after it ends for the late-ack rule
    QString leasedBy;
    std::optional<qint64> leaseExpiresAtMs;
    std::optional<qint64> startedAtMs;
    std::optional<qint64> finishedAtMs;
    QString lastError;
    QByteArray result;
    DeadReason deadReason = DeadReason::None;
    bool cancelRequested = false;
    QString parentId; // empty for a root
    QString runId;    // the root's id; empty for a root

    // Order key of a waiting task: the later of enqueue time and run_at.
    qint64 readyOrderMs() const { return qMax(enqueuedAtMs, runAtMs); }
    bool isRouted() const { return !requiredLabels.isEmpty() || !targetWorkerId.isEmpty(); }
};

// What the engine learns from a row as it leases the task (one statement: UPDATE … RETURNING).
struct LeasedRow
{
    QString type;
    QByteArray payload;
    int attempts = 0;
    std::optional<int> maxAttempts;
    std::optional<qint64> timeoutS;
    std::optional<qint64> deadlineMs;
    qint64 enqueuedAtMs = 0;
    qint64 runAtMs = 0;
    qint64 leaseExpiresAtMs = 0;
    std::optional<qint64> expireAtMs;
    QString runId; // empty for a root
};

// One task of Store::markLeasedMany.
struct LeaseMark
{
    qint64 seq = 0;
    qint64 leaseValue = 0;
    qint64 defaultTimeoutS = 0; // the queue's task_timeout_s
};

struct WorkerRow
{
    QString id;
    QStringList queueIds;
    QString hostname;
    qint64 pid = 0;
    QString version;
    int concurrency = 1;
    QJsonObject capabilities;
    Labels labels;
    bool draining = false;
    qint64 registeredAtMs = 0;
    qint64 done = 0;
    qint64 failed = 0;
    QByteArray credentialHash; // SHA-256 of the worker's credential
};

// One minute of one queue's metrics (queueNum 0 = the whole server), kept for 7 days.
struct RollupRow
{
    int queueNum = 0;
    qint64 minute = 0; // minutes since the epoch
    QByteArray data;   // the engine's encoding
};

struct ProducerTokenRow
{
    QString name;
    QByteArray tokenHash;
    QStringList queueIds;
    qint64 createdAtMs = 0;
};

struct AuditRow
{
    qint64 id = 0;
    qint64 atMs = 0;
    QString actorKind; // admin, producer, worker
    QString actor;
    QString action; // "POST /api/v1/worker-queues/{qid}/purge"
    QString target; // the ids the action named
};

struct FinishedCounts
{
    qint64 succeeded = 0;
    qint64 dead = 0;
    qint64 cancelled = 0;
};

} // namespace QueueDeck
