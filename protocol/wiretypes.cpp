// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "protocol/wiretypes.h"

#include "protocol/metrictypes.h"

namespace QueueDeck {

namespace {

template <typename Enum, size_t N>
QString nameOf(Enum value, const std::array<const char *, N> &names)
{
    const auto index = size_t(value);
    return index < N ? QString::fromLatin1(names[index]) : QString();
}

// Literals: a copy shares their static text, so naming a state (in every task answer) allocates
// nothing.
const std::array<QString, 6> &taskStates()
{
    static const std::array<QString, 6> names{
        QStringLiteral("scheduled"), QStringLiteral("queued"), QStringLiteral("running"),
        QStringLiteral("succeeded"), QStringLiteral("dead"),   QStringLiteral("cancelled")};
    return names;
}

} // namespace

QString taskStateName(TaskState state)
{
    const auto index = size_t(state);
    return index < taskStates().size() ? taskStates()[index] : QString();
}

std::optional<TaskState> taskStateFromName(QStringView name)
{
    for (size_t i = 0; i < taskStates().size(); ++i) {
        if (name == taskStates()[i])
            return TaskState(i);
    }
    return std::nullopt;
}

QString deadReasonName(DeadReason reason)
{
    return nameOf(
        reason, std::array<const char *, 4>{"", "attempts_exhausted", "non_retryable", "expired"});
}

std::optional<DeadReason> deadReasonFromName(QStringView name)
{
    if (name.isEmpty()) // a task that is not dead: no name to build and compare
        return std::nullopt;
    for (const DeadReason reason :
         {DeadReason::AttemptsExhausted, DeadReason::NonRetryable, DeadReason::Expired}) {
        if (name == deadReasonName(reason))
            return reason;
    }
    return std::nullopt;
}

QString queueStatusName(QueueStatus status)
{
    return nameOf(status, std::array<const char *, 3>{"Active", "Idle", "Paused"});
}

QString workerStateName(WorkerState state)
{
    return nameOf(state, std::array<const char *, 4>{"active", "idle", "draining", "lost"});
}

QString workerCommandName(WorkerCommand command)
{
    return nameOf(command, std::array<const char *, 3>{"run", "drain", "stop"});
}

QueueSettings applyPatch(QueueSettings s, const QueuePatch &p)
{
    auto apply = [](auto &target, const auto &value) {
        if (value)
            target = *value;
    };
    apply(s.displayName, p.displayName);
    apply(s.description, p.description);
    apply(s.runnerName, p.runnerName);
    apply(s.maxWorkers, p.maxWorkers);
    apply(s.concurrency, p.concurrency);
    apply(s.maxPerKey, p.maxPerKey);
    apply(s.maxDepth, p.maxDepth);
    apply(s.rateLimit, p.rateLimit);
    apply(s.priority, p.priority);
    apply(s.maxQueuedTimeS, p.maxQueuedTimeS);
    apply(s.taskTimeoutS, p.taskTimeoutS);
    apply(s.workerTimeoutS, p.workerTimeoutS);
    apply(s.retry.maxAttempts, p.maxAttempts);
    apply(s.retry.initialBackoffMs, p.initialBackoffMs);
    apply(s.retry.multiplier, p.multiplier);
    apply(s.retry.maxBackoffMs, p.maxBackoffMs);
    apply(s.retentionS, p.retentionS);
    apply(s.paused, p.paused);
    apply(s.maxActiveRuns, p.maxActiveRuns);
    apply(s.childQueues, p.childQueues);
    return s;
}

std::optional<MetricRange> metricRangeFromName(QStringView name)
{
    if (name == u"5m")
        return MetricRange::FiveMinutes;
    if (name == u"1h")
        return MetricRange::Hour;
    if (name == u"24h")
        return MetricRange::Day;
    if (name == u"7d")
        return MetricRange::Week;
    return std::nullopt;
}

} // namespace QueueDeck
