// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// Tasks: enqueue requests, bulk changes, task records and their logs.
#include "protocol/codec.h"

#include "protocol/codecfields.h"
#include "protocol/fieldreader.h"
#include "protocol/jsonscan.h"
#include "protocol/jsontext.h"

#include <QDateTime>
#include <QJsonDocument>

#include <algorithm>

namespace QueueDeck::Codec {

using namespace Detail;

namespace {

// compactPayload: the payload's text as sent, when that is the text textFromValue would write.
Result<EnqueueRequest> readEnqueue(FieldReader &r,
                                   std::optional<QByteArrayView> compactPayload = std::nullopt)
{
    EnqueueRequest e;
    assign(e.type, r.string("type", true));
    const QJsonValue payload = r.any("payload");
    if (payload.isUndefined())
        e.payload = QByteArrayLiteral("{}");
    else if (compactPayload)
        e.payload = compactPayload->toByteArray();
    else
        e.payload = textFromValue(payload);
    assign(e.priority, r.integer<int>("priority"));
    e.runAtMs = r.time("run_at");
    e.delayMs = r.integer<qint64>("delay_ms");
    assign(e.idempotencyKey, r.string("idempotency_key"));
    assign(e.concurrencyKey, r.string("concurrency_key"));
    assign(e.requiredLabels, r.labels("required_labels"));
    assign(e.workerId, r.string("worker_id"));
    e.timeoutS = r.integer<qint64>("timeout_s");
    e.maxAttempts = r.integer<int>("max_attempts");
    e.maxQueuedTimeS = r.integer<qint64>("max_queued_time_s");
    e.deadlineMs = r.time("deadline");
    return finished(r, e);
}

} // namespace

QByteArray taskText(const TaskInfo &t)
{
    JsonText text;
    text.number("attempts", t.attempts)
        .boolean("cancel_requested", t.cancelRequested)
        .stringOrNull("concurrency_key", t.concurrencyKey);
    if (t.deadReason == DeadReason::None)
        text.null("dead_reason");
    else
        text.string("dead_reason", deadReasonName(t.deadReason));
    return text.time("deadline", t.deadlineMs)
        .time("enqueued_at", t.enqueuedAtMs)
        .stringOrNull("error", t.lastError)
        .time("expires_at", t.expiresAtMs)
        .time("finished_at", t.finishedAtMs)
        .string("id", t.id)
        .stringOrNull("idempotency_key", t.idempotencyKey)
        .time("lease_expires_at", t.leaseExpiresAtMs)
        .stringOrNull("leased_by", t.leasedBy)
        .number("max_attempts", t.maxAttempts)
        .stringOrNull("parent_id", t.parentId)
        .raw("payload", t.payload)
        .number("priority", t.priority)
        .string("queue_id", t.queueId)
        .strings("required_labels", t.requiredLabels)
        .raw("result", t.result)
        .time("run_at", t.runAtMs)
        .string("run_id", t.runId.isEmpty() ? t.id : t.runId)
        .time("started_at", t.startedAtMs)
        .string("state", taskStateName(t.state))
        .number("timeout_s", t.timeoutS)
        .string("type", t.type)
        .stringOrNull("worker_id", t.targetWorkerId)
        .take();
}

// {"id":"t_…"}: task ids are ASCII letters, digits and '_' (Ids::taskId), written as they are
// into a block of their exact size; an id that would need escaping goes through JsonText.
QByteArray taskIdText(const QString &taskId)
{
    constexpr char head[] = "{\"id\":\"";
    constexpr char tail[] = "\"}";
    QByteArray text(qsizetype(sizeof head - 1 + sizeof tail - 1) + taskId.size(),
                    Qt::Uninitialized);
    char *at = std::copy_n(head, sizeof head - 1, text.data());
    for (const QChar c : taskId) {
        const char16_t unit = c.unicode();
        if (unit >= 0x7F || unit < 0x20 || unit == u'"' || unit == u'\\')
            return JsonText().string("id", taskId).take();
        *at++ = char(unit);
    }
    std::copy_n(tail, sizeof tail - 1, at);
    return text;
}

QJsonObject toJson(const TaskInfo &t)
{
    return QJsonDocument::fromJson(taskText(t)).object();
}

Result<EnqueueRequest> enqueueFromJson(const QJsonObject &object)
{
    FieldReader r(object);
    return readEnqueue(r);
}

Result<EnqueueRequest> enqueueFromBody(const QByteArray &body)
{
    // The common body, a type and a payload both already compact, is read without a document:
    // a compact string is printable ASCII without escapes, so its text is its value.
    if (const auto members = compactMembers(body, {"type", "payload"});
        members && members->at(0).startsWith('"')) {
        EnqueueRequest e;
        const QByteArrayView type = members->at(0);
        e.type = QString::fromLatin1(type.sliced(1, type.size() - 2));
        e.payload = members->at(1).toByteArray();
        return e;
    }
    auto object = parseObject(body);
    if (!object)
        return std::unexpected(object.error());
    FieldReader r(*object);
    return readEnqueue(r, compactMemberText(body, "payload"));
}

Result<BulkRequest> bulkFromJson(const QJsonObject &object)
{
    FieldReader r(object);
    BulkRequest request;
    const auto action = r.string("action", true);
    const auto filter = r.object("filter");
    if (auto error = r.finish())
        return std::unexpected(*error);
    if (*action == u"retry")
        request.action = BulkAction::Retry;
    else if (*action == u"cancel")
        request.action = BulkAction::Cancel;
    else if (*action == u"delete")
        request.action = BulkAction::Delete;
    else
        return makeError(
            ErrorCode::InvalidArgument,
            QStringLiteral("action must be retry, cancel or delete (got %1)").arg(*action));
    FieldReader f(filter.value_or(QJsonObject()), QStringLiteral("filter"));
    if (auto state = f.string("state")) {
        request.filter.state = taskStateFromName(*state);
        if (!request.filter.state)
            return makeError(ErrorCode::InvalidArgument,
                             QStringLiteral("filter.state must be one of scheduled, queued, "
                                            "running, succeeded, dead, cancelled (got %1)")
                                 .arg(*state));
    }
    assign(request.filter.type, f.string("type"));
    assign(request.filter.text, f.string("q"));
    if (auto error = f.finish())
        return std::unexpected(*error);
    return request;
}

Result<QList<EnqueueRequest>> enqueueBatchFromJson(const QJsonObject &object)
{
    FieldReader r(object);
    const auto tasks = r.array("tasks");
    if (auto error = r.finish())
        return std::unexpected(*error);
    if (!tasks)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("tasks is required: a list of tasks to enqueue"));
    QList<EnqueueRequest> out;
    out.reserve(tasks->size());
    for (qsizetype i = 0; i < tasks->size(); ++i) {
        if (!tasks->at(i).isObject())
            return makeError(ErrorCode::InvalidArgument,
                             QStringLiteral("tasks[%1] must be an object").arg(i));
        FieldReader item(tasks->at(i).toObject(), QStringLiteral("tasks[%1]").arg(i));
        auto request = readEnqueue(item);
        if (!request)
            return std::unexpected(request.error());
        out.append(std::move(*request));
    }
    return out;
}

QByteArray enqueueText(const EnqueueRequest &r)
{
    // Keys in ascending order, as QJsonDocument writes them.
    JsonText text;
    if (!r.concurrencyKey.isEmpty())
        text.string("concurrency_key", r.concurrencyKey);
    if (r.deadlineMs)
        text.time("deadline", *r.deadlineMs);
    if (r.delayMs)
        text.number("delay_ms", *r.delayMs);
    if (!r.idempotencyKey.isEmpty())
        text.string("idempotency_key", r.idempotencyKey);
    if (r.maxAttempts)
        text.number("max_attempts", *r.maxAttempts);
    if (r.maxQueuedTimeS)
        text.number("max_queued_time_s", *r.maxQueuedTimeS);
    text.raw("payload", compactJsonText(r.payload));
    if (r.priority != 0)
        text.number("priority", r.priority);
    if (!r.requiredLabels.isEmpty())
        text.strings("required_labels", r.requiredLabels);
    if (r.runAtMs)
        text.time("run_at", *r.runAtMs);
    if (r.timeoutS)
        text.number("timeout_s", *r.timeoutS);
    text.string("type", r.type);
    if (!r.workerId.isEmpty())
        text.string("worker_id", r.workerId);
    return text.take();
}

QJsonObject toJson(const EnqueueRequest &r)
{
    return QJsonDocument::fromJson(enqueueText(r)).object();
}

QJsonObject toJson(const BulkRequest &r)
{
    QJsonObject filter;
    if (r.filter.state)
        filter.insert(QStringLiteral("state"), taskStateName(*r.filter.state));
    if (!r.filter.type.isEmpty())
        filter.insert(QStringLiteral("type"), r.filter.type);
    if (!r.filter.text.isEmpty())
        filter.insert(QStringLiteral("q"), r.filter.text);
    const char *action = r.action == BulkAction::Retry    ? "retry"
                         : r.action == BulkAction::Cancel ? "cancel"
                                                          : "delete";
    return QJsonObject{{QStringLiteral("action"), QString::fromLatin1(action)},
                       {QStringLiteral("filter"), filter}};
}

namespace {

template <typename Members> Result<TaskInfo> readTask(const Members &m)
{
    TaskInfo t;
    t.id = m.string("id");
    t.queueId = m.string("queue_id");
    t.state = taskStateFromName(m.string("state")).value_or(TaskState::Queued);
    t.type = m.string("type");
    t.payload = m.json("payload").value_or(QByteArrayLiteral("null"));
    t.priority = int(m.integer("priority"));
    t.enqueuedAtMs = m.time("enqueued_at").value_or(0);
    t.runAtMs = m.time("run_at").value_or(0);
    t.attempts = int(m.integer("attempts"));
    t.maxAttempts = int(m.integer("max_attempts"));
    t.timeoutS = m.integer("timeout_s");
    t.deadlineMs = m.time("deadline");
    t.leasedBy = m.string("leased_by");
    t.startedAtMs = m.time("started_at");
    t.finishedAtMs = m.time("finished_at");
    t.lastError = m.string("error");
    t.result = m.json("result").value_or(QByteArray());
    t.cancelRequested = m.boolean("cancel_requested");
    t.deadReason = deadReasonFromName(m.string("dead_reason")).value_or(DeadReason::None);
    t.idempotencyKey = m.string("idempotency_key");
    t.concurrencyKey = m.string("concurrency_key");
    t.parentId = m.string("parent_id");
    t.runId = m.string("run_id");
    if (t.id.isEmpty())
        return makeError(ErrorCode::Internal,
                         QStringLiteral("the server sent a task without an id"));
    return t;
}

} // namespace

Result<TaskInfo> taskFromJson(const QJsonObject &o)
{
    return readTask(ObjectMembers(o));
}

Result<TaskInfo> taskFromText(QByteArrayView body)
{
    if (const auto object = CompactObject::of(body))
        return readTask(TextMembers(*object));
    const auto object = answerObject(body);
    if (!object)
        return std::unexpected(object.error());
    return taskFromJson(*object);
}

Result<QString> taskIdFromText(QByteArrayView body)
{
    // A compact string of at least one character: "…" with something between the quotes.
    if (const auto members = compactMembers(body, {"id"});
        members && members->at(0).startsWith('"') && members->at(0).size() > 2)
        return QString::fromLatin1(members->at(0).sliced(1, members->at(0).size() - 2));
    const auto object = answerObject(body);
    if (!object)
        return std::unexpected(object.error());
    const QJsonValue id = object->value(QLatin1StringView("id"));
    if (!id.isString() || id.toString().isEmpty())
        return makeError(ErrorCode::Internal,
                         QStringLiteral("the server's answer to an enqueue names no task id"));
    return id.toString();
}

Result<LogLine> logLineFromJson(const QJsonObject &o)
{
    return LogLine{integerAt(o, "id"), timeFrom(o.value(QLatin1StringView("at"))),
                   o.value(QLatin1StringView("stream")).toString(),
                   o.value(QLatin1StringView("line")).toString()};
}

} // namespace QueueDeck::Codec
