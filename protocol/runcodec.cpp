// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "runcodec.h"

#include "codec.h"

#include <QDateTime>
#include <QJsonArray>

namespace QueueDeck::Codec {

namespace {

QJsonValue timeOrNull(const std::optional<qint64> &ms)
{
    if (!ms)
        return QJsonValue();
    return QDateTime::fromMSecsSinceEpoch(*ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

QJsonValue numberOrNull(const std::optional<qint64> &value)
{
    return value ? QJsonValue(*value) : QJsonValue();
}

std::optional<qint64> timeFrom(const QJsonValue &value)
{
    if (value.isDouble())
        return value.toInteger();
    if (!value.isString())
        return std::nullopt;
    const QDateTime time = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
    return time.isValid() ? std::optional<qint64>(time.toMSecsSinceEpoch()) : std::nullopt;
}

std::optional<qint64> numberFrom(const QJsonValue &value)
{
    return value.isDouble() ? std::optional<qint64>(value.toInteger()) : std::nullopt;
}

QJsonObject toJson(const RunTask &t)
{
    return QJsonObject{
        {QStringLiteral("id"), t.id},
        {QStringLiteral("parent_id"), t.parentId.isEmpty() ? QJsonValue() : QJsonValue(t.parentId)},
        {QStringLiteral("queue_id"), t.queueId},
        {QStringLiteral("type"), t.type},
        {QStringLiteral("state"), taskStateName(t.state)},
        {QStringLiteral("attempts"), t.attempts},
        {QStringLiteral("enqueued_at"), timeOrNull(t.enqueuedAtMs)},
        {QStringLiteral("started_at"), timeOrNull(t.startedAtMs)},
        {QStringLiteral("finished_at"), timeOrNull(t.finishedAtMs)},
        {QStringLiteral("duration_ms"), numberOrNull(t.durationMs)},
        {QStringLiteral("error"), t.lastError.isEmpty() ? QJsonValue() : QJsonValue(t.lastError)},
        {QStringLiteral("dead_reason"), t.deadReason == DeadReason::None
                                            ? QJsonValue()
                                            : QJsonValue(deadReasonName(t.deadReason))},
    };
}

} // namespace

QJsonObject toJson(const RunInfo &run)
{
    QJsonArray tasks;
    for (const RunTask &task : run.tasks)
        tasks.append(toJson(task));
    return QJsonObject{
        {QStringLiteral("id"), run.id},
        {QStringLiteral("queue_id"), run.queueId},
        {QStringLiteral("state"), runStateName(run.state)},
        {QStringLiteral("counts"), QJsonObject{{QStringLiteral("total"), run.total},
                                               {QStringLiteral("unfinished"), run.unfinished},
                                               {QStringLiteral("succeeded"), run.succeeded},
                                               {QStringLiteral("failed"), run.failed}}},
        {QStringLiteral("started_at"), timeOrNull(run.startedAtMs)},
        {QStringLiteral("finished_at"), timeOrNull(run.finishedAtMs)},
        {QStringLiteral("duration_ms"), numberOrNull(run.durationMs)},
        {QStringLiteral("tasks"), tasks},
        {QStringLiteral("truncated"), run.truncated},
    };
}

Result<RunInfo> runFromJson(const QJsonObject &o)
{
    RunInfo run;
    run.id = o.value(QLatin1StringView("id")).toString();
    if (run.id.isEmpty())
        return makeError(ErrorCode::Internal,
                         QStringLiteral("the server sent a run without an id"));
    run.queueId = o.value(QLatin1StringView("queue_id")).toString();
    run.state = runStateFromName(o.value(QLatin1StringView("state")).toString())
                    .value_or(RunState::Waiting);
    const QJsonObject counts = o.value(QLatin1StringView("counts")).toObject();
    run.total = counts.value(QLatin1StringView("total")).toInteger();
    run.unfinished = counts.value(QLatin1StringView("unfinished")).toInteger();
    run.succeeded = counts.value(QLatin1StringView("succeeded")).toInteger();
    run.failed = counts.value(QLatin1StringView("failed")).toInteger();
    run.startedAtMs = timeFrom(o.value(QLatin1StringView("started_at")));
    run.finishedAtMs = timeFrom(o.value(QLatin1StringView("finished_at")));
    run.durationMs = numberFrom(o.value(QLatin1StringView("duration_ms")));
    run.truncated = o.value(QLatin1StringView("truncated")).toBool();
    for (const QJsonValue &value : o.value(QLatin1StringView("tasks")).toArray()) {
        const QJsonObject t = value.toObject();
        RunTask task;
        task.id = t.value(QLatin1StringView("id")).toString();
        task.parentId = t.value(QLatin1StringView("parent_id")).toString();
        task.queueId = t.value(QLatin1StringView("queue_id")).toString();
        task.type = t.value(QLatin1StringView("type")).toString();
        task.state = taskStateFromName(t.value(QLatin1StringView("state")).toString())
                         .value_or(TaskState::Queued);
        task.attempts = int(t.value(QLatin1StringView("attempts")).toInteger());
        task.enqueuedAtMs = timeFrom(t.value(QLatin1StringView("enqueued_at"))).value_or(0);
        task.startedAtMs = timeFrom(t.value(QLatin1StringView("started_at")));
        task.finishedAtMs = timeFrom(t.value(QLatin1StringView("finished_at")));
        task.durationMs = numberFrom(t.value(QLatin1StringView("duration_ms")));
        task.lastError = t.value(QLatin1StringView("error")).toString();
        task.deadReason = deadReasonFromName(t.value(QLatin1StringView("dead_reason")).toString())
                              .value_or(DeadReason::None);
        run.tasks.append(task);
    }
    return run;
}

Result<ChildEnqueue> childEnqueueFromJson(const QJsonObject &object)
{
    ChildEnqueue child;
    QJsonObject task = object;
    for (const char *field : {"lease_id", "queue_id"}) {
        const QJsonValue value = task.take(QLatin1StringView(field));
        if (value.isUndefined() || value.isNull())
            continue;
        if (!value.isString())
            return makeError(ErrorCode::InvalidArgument,
                             QStringLiteral("%1 must be a string").arg(QLatin1StringView(field)),
                             QJsonObject{{QStringLiteral("field"), QLatin1StringView(field)}});
        (qstrcmp(field, "lease_id") == 0 ? child.leaseId : child.queueId) = value.toString();
    }
    auto request = enqueueFromJson(task);
    if (!request)
        return std::unexpected(request.error());
    child.task = *request;
    return child;
}

QJsonObject toJson(const ChildEnqueue &request)
{
    QJsonObject object = toJson(request.task);
    if (!request.leaseId.isEmpty())
        object.insert(QStringLiteral("lease_id"), request.leaseId);
    if (!request.queueId.isEmpty())
        object.insert(QStringLiteral("queue_id"), request.queueId);
    return object;
}

} // namespace QueueDeck::Codec
