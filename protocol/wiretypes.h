// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

// Value types of the engine's interface (design §1, §3, §4). Plain data: safe to copy across
// threads.

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include "protocol/error.h"

#include <optional>

namespace QueueDeck {

using Labels = QMap<QString, QString>;

enum class TaskState {
    Scheduled = 0,
    Queued = 1,
    Running = 2,
    Succeeded = 3,
    Dead = 4,
    Cancelled = 5
};
QString taskStateName(TaskState state);
std::optional<TaskState> taskStateFromName(QStringView name);
inline bool isFinished(TaskState state)
{
    return state >= TaskState::Succeeded;
}

enum class DeadReason { None = 0, AttemptsExhausted = 1, NonRetryable = 2, Expired = 3 };
QString deadReasonName(DeadReason reason);
std::optional<DeadReason> deadReasonFromName(QStringView name);

struct RetryPolicy
{
    int maxAttempts = 5;
    qint64 initialBackoffMs = 1000;
    double multiplier = 2.0;
    qint64 maxBackoffMs = 300000;

    friend bool operator==(const RetryPolicy &, const RetryPolicy &) = default;
};

// Every setting of design §4 with its default. Limits: 0 = unlimited.
struct QueueSettings
{
    QString displayName;
    QString description;
    QString runnerName;
    int maxWorkers = 10;
    int concurrency = 0;
    int maxPerKey = 0;
    qint64 maxDepth = 0;
    double rateLimit = 0;
    int priority = 0;
    qint64 maxQueuedTimeS = 0;
    qint64 taskTimeoutS = 600;
    qint64 workerTimeoutS = 30;
    RetryPolicy retry;
    qint64 retentionS = 604800;
    bool paused = false;
    // Runs (design §10): at most this many runs rooted in the queue active at once (0 =
    // unlimited); the queues besides this one that children of its tasks may be enqueued into.
    int maxActiveRuns = 0;
    QStringList childQueues;

    friend bool operator==(const QueueSettings &, const QueueSettings &) = default;
};

// A partial change of a queue: only the fields that are set change.
struct QueuePatch
{
    std::optional<QString> name;
    std::optional<QString> displayName;
    std::optional<QString> description;
    std::optional<QString> runnerName;
    std::optional<int> maxWorkers;
    std::optional<int> concurrency;
    std::optional<int> maxPerKey;
    std::optional<qint64> maxDepth;
    std::optional<double> rateLimit;
    std::optional<int> priority;
    std::optional<qint64> maxQueuedTimeS;
    std::optional<qint64> taskTimeoutS;
    std::optional<qint64> workerTimeoutS;
    std::optional<int> maxAttempts;
    std::optional<qint64> initialBackoffMs;
    std::optional<double> multiplier;
    std::optional<qint64> maxBackoffMs;
    std::optional<qint64> retentionS;
    std::optional<bool> paused;
    std::optional<int> maxActiveRuns;
    std::optional<QStringList> childQueues;
};
QueueSettings applyPatch(QueueSettings settings, const QueuePatch &patch);

struct EnvironmentInfo
{
    QString name;
    QString description;
    bool autoCreate = true;
    qint64 createdAtMs = 0;
};

// Live counts of a queue, in the counting words of design §1.
struct QueueCounts
{
    qint64 queued = 0;
    qint64 scheduled = 0;
    qint64 running = 0;
    qint64 succeeded = 0;
    qint64 dead = 0;
    qint64 cancelled = 0;
    int workersOnline = 0; // slots used
    int workersLost = 0;
    qint64 oldestQueuedAgeMs = 0;
    qint64 activeRuns = 0;  // runs rooted in the queue whose root has started, not yet finished
    qint64 waitingRuns = 0; // runs whose root waits to start

    qint64 depth() const { return queued; }
    qint64 backlog() const { return queued + scheduled; }
    qint64 unfinished() const { return queued + scheduled + running; }
};

enum class QueueStatus { Active, Idle, Paused };
QString queueStatusName(QueueStatus status);

struct QueueInfo
{
    QString id;
    QString environment;
    QString name;
    QueueSettings settings;
    QString joinToken;
    qint64 createdAtMs = 0;
    QueueCounts counts;
    QueueStatus status = QueueStatus::Idle;
};

// The enqueue body of design §6. Unset optionals take the queue's settings.
struct EnqueueRequest
{
    QString type;
    QByteArray payload = QByteArrayLiteral("{}"); // JSON text
    int priority = 0;
    std::optional<qint64> runAtMs;
    std::optional<qint64> delayMs;
    QString idempotencyKey;
    QString concurrencyKey;
    Labels requiredLabels;
    QString workerId;
    std::optional<qint64> timeoutS;
    std::optional<int> maxAttempts;
    std::optional<qint64> maxQueuedTimeS;
    std::optional<qint64> deadlineMs;
};

struct TaskInfo
{
    QString id;
    QString queueId;
    TaskState state = TaskState::Queued;
    QString type;
    QByteArray payload;
    int priority = 0;
    qint64 enqueuedAtMs = 0;
    qint64 runAtMs = 0;
    int attempts = 0;
    int maxAttempts = 0;
    qint64 timeoutS = 0;
    std::optional<qint64> deadlineMs;
    std::optional<qint64> expiresAtMs;
    QString idempotencyKey;
    QString concurrencyKey;
    Labels requiredLabels;
    QString targetWorkerId;
    QString leaseId;
    QString leasedBy;
    std::optional<qint64> leaseExpiresAtMs;
    std::optional<qint64> startedAtMs;
    std::optional<qint64> finishedAtMs;
    QString lastError;
    QByteArray result; // JSON text, empty when none
    DeadReason deadReason = DeadReason::None;
    bool cancelRequested = false;
    bool created = true; // false when an idempotency key returned an existing task
    QString parentId;    // the task whose worker enqueued this one; empty for a root
    QString runId;       // the root's id (its own id for a root)
};

struct TaskFilter
{
    std::optional<TaskState> state;
    QString type;
    QString text; // matches the id or the payload text
    int limit = 100;
    QString cursor;
};

// What POST …/tasks:bulk does to every task that matches its filter.
enum class BulkAction { Retry, Cancel, Delete };

struct BulkRequest
{
    BulkAction action = BulkAction::Retry;
    TaskFilter filter; // state, type and text; limit and cursor are not used
};

struct TaskPage
{
    QList<TaskInfo> items;
    QString nextCursor;
};

struct RegisterRequest
{
    QString workerId; // empty: the engine picks one
    QStringList queueIds;
    QString hostname;
    qint64 pid = 0;
    QString version;
    int concurrency = 1;
    QJsonObject capabilities;
    Labels labels;
    // Join tokens by queue id, beside the one in the Authorization header: a worker on several
    // queues presents one for each (design §7, --token-file). Never stored.
    QMap<QString, QString> joinTokens;
};

struct Registration
{
    QString workerId;
    QString credential; // qdw_…: shown once, kept by the worker in memory only
    int heartbeatIntervalS = 5;
    qint64 workerTimeoutS = 30;
};

enum class WorkerState { Active, Idle, Draining, Lost };
QString workerStateName(WorkerState state);

struct WorkerInfo
{
    QString id;
    QStringList queueIds;
    QString hostname;
    qint64 pid = 0;
    QString version;
    int concurrency = 1;
    Labels labels;
    QJsonObject capabilities; // as registered
    QString status;           // as its last heartbeat reported it
    WorkerState state = WorkerState::Idle;
    qint64 registeredAtMs = 0;
    qint64 lastHeartbeatMs = 0;
    int running = 0;
    qint64 done = 0;
    qint64 failed = 0;
};

enum class WorkerCommand { Run, Drain, Stop };
QString workerCommandName(WorkerCommand command);

struct HeartbeatReply
{
    WorkerCommand command = WorkerCommand::Run;
    QStringList cancel; // ids of running tasks the worker must stop
};

struct LeaseRequest
{
    QString workerId;
    int max = 1;
    qint64 waitMs = 0;
    // Set: only these of the worker's queues, tried strictly in this order (the Faktory FETCH
    // order). Empty: every queue of the worker, by queue priority.
    QStringList queueOrder;
};

struct LeasedTask
{
    QString id;
    QString leaseId;
    QString queueId;
    QString type;
    QByteArray payload;
    int attempt = 0;
    qint64 timeoutS = 0;
    std::optional<qint64> deadlineMs;
};

struct TaskAck
{
    QString taskId;
    QString leaseId;
    QByteArray result; // JSON text or empty
};

struct TaskFail
{
    QString taskId;
    QString leaseId;
    QString error;
    bool retryable = true;
};

struct CompleteRequest
{
    QString workerId; // empty: the caller is an admin acting for any worker
    QList<TaskAck> acks;
    QList<TaskFail> fails;
    // Lease more once these are in, answered with them: one round trip per batch for a worker
    // that keeps going. max and waitMs as in LeaseRequest.
    std::optional<LeaseRequest> thenLease;
};

struct LogLine
{
    qint64 id = 0; // increasing; read on after it
    qint64 atMs = 0;
    QString stream; // stdout or stderr
    QString text;
};

struct ProducerToken
{
    QString name;
    QString token; // qdp_…: only in the answer that creates it
    QStringList queueIds;
    qint64 createdAtMs = 0;
};

struct AuditEntry
{
    qint64 id = 0;
    qint64 atMs = 0;
    QString actorKind;
    QString actor;
    QString action;
    QString target;
};

struct ItemOutcome
{
    QString taskId;
    std::optional<Error> error; // unset: taken
    TaskState state = TaskState::Succeeded;
};

// The answer of a complete that leased as well.
struct CompleteAndLease
{
    QList<ItemOutcome> outcomes;
    QList<LeasedTask> tasks;
};

} // namespace QueueDeck
