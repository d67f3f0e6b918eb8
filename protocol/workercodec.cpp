// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The worker protocol: registration, heartbeats, leases, completions, worker records.
#include "protocol/codec.h"

#include "protocol/codecfields.h"
#include "protocol/fieldreader.h"
#include "protocol/jsonscan.h"
#include "protocol/jsontext.h"

#include <QDateTime>
#include <QJsonDocument>

namespace QueueDeck::Codec {

using namespace Detail;

QByteArray leasedTasksText(const QList<LeasedTask> &tasks)
{
    QByteArray out = "[";
    for (const LeasedTask &t : tasks) {
        if (out.size() > 1)
            out.append(',');
        out.append(JsonText()
                       .number("attempt", t.attempt)
                       .time("deadline", t.deadlineMs)
                       .string("id", t.id)
                       .string("lease_id", t.leaseId)
                       .raw("payload", t.payload)
                       .string("queue_id", t.queueId)
                       .number("timeout_s", t.timeoutS)
                       .string("type", t.type)
                       .take());
    }
    return out.append(']');
}

QJsonObject toJson(const WorkerInfo &w)
{
    return QJsonObject{
        {QStringLiteral("id"), w.id},
        {QStringLiteral("queue_ids"), QJsonArray::fromStringList(w.queueIds)},
        {QStringLiteral("hostname"), w.hostname},
        {QStringLiteral("pid"), w.pid},
        {QStringLiteral("version"), w.version},
        {QStringLiteral("concurrency"), w.concurrency},
        {QStringLiteral("labels"), labelsJson(w.labels)},
        {QStringLiteral("capabilities"), w.capabilities},
        {QStringLiteral("status"), w.status},
        {QStringLiteral("state"), workerStateName(w.state)},
        {QStringLiteral("registered_at"), timeValue(w.registeredAtMs)},
        {QStringLiteral("last_heartbeat_at"), timeValue(w.lastHeartbeatMs)},
        {QStringLiteral("running"), w.running},
        {QStringLiteral("done"), w.done},
        {QStringLiteral("failed"), w.failed},
    };
}

QJsonObject toJson(const Registration &r)
{
    return QJsonObject{{QStringLiteral("worker_id"), r.workerId},
                       {QStringLiteral("credential"), r.credential},
                       {QStringLiteral("heartbeat_interval_s"), r.heartbeatIntervalS},
                       {QStringLiteral("worker_timeout_s"), r.workerTimeoutS}};
}

QJsonObject toJson(const HeartbeatReply &reply)
{
    return QJsonObject{{QStringLiteral("state"), workerCommandName(reply.command)},
                       {QStringLiteral("cancel"), QJsonArray::fromStringList(reply.cancel)}};
}

QByteArray heartbeatText(const HeartbeatReply &reply)
{
    return JsonText()
        .stringArray("cancel", reply.cancel)
        .string("state", workerCommandName(reply.command))
        .take();
}

QByteArray outcomesText(const QList<ItemOutcome> &outcomes)
{
    QByteArray out = "[";
    for (const ItemOutcome &o : outcomes) {
        if (out.size() > 1)
            out.append(',');
        JsonText item;
        if (o.error) {
            const QJsonObject error = errorBody(*o.error).value(QStringLiteral("error")).toObject();
            item.raw("error", QJsonDocument(error).toJson(QJsonDocument::Compact))
                .boolean("ok", false);
        } else {
            item.boolean("ok", true).string("state", taskStateName(o.state));
        }
        out.append(item.string("task_id", o.taskId).take());
    }
    return out.append(']');
}

QJsonObject toJson(const LeasedTask &t)
{
    return QJsonObject{{QStringLiteral("id"), t.id},
                       {QStringLiteral("lease_id"), t.leaseId},
                       {QStringLiteral("queue_id"), t.queueId},
                       {QStringLiteral("type"), t.type},
                       {QStringLiteral("payload"), valueFromText(t.payload)},
                       {QStringLiteral("attempt"), t.attempt},
                       {QStringLiteral("timeout_s"), t.timeoutS},
                       {QStringLiteral("deadline"), optionalTime(t.deadlineMs)}};
}

QJsonObject toJson(const ItemOutcome &o)
{
    QJsonObject object{{QStringLiteral("task_id"), o.taskId}, {QStringLiteral("ok"), !o.error}};
    if (o.error)
        object.insert(QStringLiteral("error"), errorBody(*o.error).value(QStringLiteral("error")));
    else
        object.insert(QStringLiteral("state"), taskStateName(o.state));
    return object;
}

Result<RegisterBody> registerFromJson(const QJsonObject &object)
{
    FieldReader r(object);
    RegisterBody body;
    assign(body.request.workerId, r.string("worker_id"));
    if (auto queueId = r.string("queue_id"))
        body.request.queueIds.append(*queueId);
    if (auto queueIds = r.strings("queue_ids"))
        body.request.queueIds.append(*queueIds);
    assign(body.queueName, r.string("queue_name"));
    assign(body.environment, r.string("environment"));
    assign(body.request.hostname, r.string("hostname"));
    assign(body.request.pid, r.integer<qint64>("pid"));
    assign(body.request.version, r.string("version"));
    assign(body.request.concurrency, r.integer<int>("concurrency"));
    assign(body.request.capabilities, r.object("capabilities"));
    assign(body.request.labels, r.labels("labels"));
    assign(body.request.joinTokens, r.labels("join_tokens"));
    if (body.request.queueIds.isEmpty() && body.queueName.isEmpty() && !r.finish())
        return makeError(
            ErrorCode::InvalidArgument,
            QStringLiteral("name the queue: queue_id, or queue_name with environment"));
    return finished(r, body);
}

Result<HeartbeatBody> heartbeatFromJson(const QJsonObject &object)
{
    FieldReader r(object);
    HeartbeatBody body;
    assign(body.workerId, r.string("worker_id"));
    assign(body.status, r.string("status"));
    r.ignore("queue_name");
    assign(body.running, r.strings("running"));
    return finished(r, body);
}

Result<LeaseRequest> leaseFromJson(const QJsonObject &object)
{
    FieldReader r(object);
    LeaseRequest request;
    assign(request.max, r.integer<int>("max"));
    assign(request.waitMs, r.integer<qint64>("wait_ms"));
    return finished(r, request);
}

Result<CompleteRequest> completeFromJson(const QJsonObject &object)
{
    FieldReader r(object);
    CompleteRequest request;
    const auto acks = r.array("acks");
    const auto fails = r.array("fails");
    const auto thenLease = r.object("lease");
    if (auto error = r.finish())
        return std::unexpected(*error);
    if (thenLease) {
        FieldReader lease(*thenLease, QStringLiteral("lease"));
        LeaseRequest more;
        assign(more.max, lease.integer<int>("max"));
        assign(more.waitMs, lease.integer<qint64>("wait_ms"));
        if (auto error = lease.finish())
            return std::unexpected(*error);
        request.thenLease = more;
    }
    for (qsizetype i = 0; acks && i < acks->size(); ++i) {
        FieldReader item(acks->at(i).toObject(), QStringLiteral("acks[%1]").arg(i));
        TaskAck ack;
        assign(ack.taskId, item.string("task_id", true));
        assign(ack.leaseId, item.string("lease_id", true));
        const QJsonValue result = item.any("result");
        if (!result.isUndefined() && !result.isNull())
            ack.result = textFromValue(result);
        if (auto error = item.finish())
            return std::unexpected(*error);
        request.acks.append(ack);
    }
    for (qsizetype i = 0; fails && i < fails->size(); ++i) {
        FieldReader item(fails->at(i).toObject(), QStringLiteral("fails[%1]").arg(i));
        TaskFail fail;
        assign(fail.taskId, item.string("task_id", true));
        assign(fail.leaseId, item.string("lease_id", true));
        assign(fail.error, item.string("error"));
        assign(fail.retryable, item.boolean("retryable"));
        if (auto error = item.finish())
            return std::unexpected(*error);
        request.fails.append(fail);
    }
    return request;
}

QJsonObject toJson(const RegisterRequest &r)
{
    QJsonObject o{{QStringLiteral("queue_ids"), QJsonArray::fromStringList(r.queueIds)},
                  {QStringLiteral("hostname"), r.hostname},
                  {QStringLiteral("pid"), r.pid},
                  {QStringLiteral("version"), r.version},
                  {QStringLiteral("concurrency"), r.concurrency},
                  {QStringLiteral("capabilities"), r.capabilities},
                  {QStringLiteral("labels"), labelsJson(r.labels)}};
    if (!r.workerId.isEmpty())
        o.insert(QStringLiteral("worker_id"), r.workerId);
    if (!r.joinTokens.isEmpty())
        o.insert(QStringLiteral("join_tokens"), labelsJson(r.joinTokens));
    return o;
}

QByteArray completeText(const CompleteRequest &r)
{
    // Keys in ascending order, as QJsonDocument writes them.
    QByteArrayList acks;
    acks.reserve(r.acks.size());
    for (const TaskAck &ack : r.acks) {
        JsonText item;
        item.string("lease_id", ack.leaseId);
        if (!ack.result.isEmpty())
            item.raw("result", compactJsonText(ack.result));
        acks.append(item.string("task_id", ack.taskId).take());
    }
    QByteArrayList fails;
    fails.reserve(r.fails.size());
    for (const TaskFail &fail : r.fails)
        fails.append(JsonText()
                         .string("error", fail.error)
                         .string("lease_id", fail.leaseId)
                         .boolean("retryable", fail.retryable)
                         .string("task_id", fail.taskId)
                         .take());
    JsonText text;
    text.raw("acks", '[' + acks.join(',') + ']').raw("fails", '[' + fails.join(',') + ']');
    if (r.thenLease)
        text.raw("lease", JsonText()
                              .number("max", r.thenLease->max)
                              .number("wait_ms", r.thenLease->waitMs)
                              .take());
    return text.take();
}

QJsonObject toJson(const CompleteRequest &r)
{
    return QJsonDocument::fromJson(completeText(r)).object();
}

Result<WorkerInfo> workerFromJson(const QJsonObject &o)
{
    WorkerInfo w;
    w.id = o.value(QLatin1StringView("id")).toString();
    for (const QJsonValue &id : o.value(QLatin1StringView("queue_ids")).toArray())
        w.queueIds.append(id.toString());
    w.hostname = o.value(QLatin1StringView("hostname")).toString();
    w.pid = o.value(QLatin1StringView("pid")).toInteger();
    w.version = o.value(QLatin1StringView("version")).toString();
    w.concurrency = int(o.value(QLatin1StringView("concurrency")).toInteger());
    w.labels = labelsFrom(o.value(QLatin1StringView("labels")).toObject());
    w.capabilities = o.value(QLatin1StringView("capabilities")).toObject();
    w.status = o.value(QLatin1StringView("status")).toString();
    w.registeredAtMs = timeFrom(o.value(QLatin1StringView("registered_at")));
    w.lastHeartbeatMs = timeFrom(o.value(QLatin1StringView("last_heartbeat_at")));
    const QString state = o.value(QLatin1StringView("state")).toString();
    w.state = state == u"active"     ? WorkerState::Active
              : state == u"draining" ? WorkerState::Draining
              : state == u"lost"     ? WorkerState::Lost
                                     : WorkerState::Idle;
    w.running = int(o.value(QLatin1StringView("running")).toInteger());
    w.done = o.value(QLatin1StringView("done")).toInteger();
    w.failed = o.value(QLatin1StringView("failed")).toInteger();
    if (w.id.isEmpty())
        return makeError(ErrorCode::Internal,
                         QStringLiteral("the server sent a worker without an id"));
    return w;
}

namespace {

template <typename Members> Result<LeasedTask> readLeasedTask(const Members &m)
{
    LeasedTask t;
    t.id = m.string("id");
    t.leaseId = m.string("lease_id");
    t.queueId = m.string("queue_id");
    t.type = m.string("type");
    t.payload = m.json("payload").value_or(QByteArrayLiteral("null"));
    t.attempt = int(m.integer("attempt"));
    t.timeoutS = m.integer("timeout_s");
    if (t.id.isEmpty() || t.leaseId.isEmpty())
        return makeError(ErrorCode::Internal,
                         QStringLiteral("the server sent a leased task without id or lease"));
    return t;
}

template <typename Members> ItemOutcome readOutcome(const Members &m)
{
    ItemOutcome outcome;
    outcome.taskId = m.string("task_id");
    if (!m.boolean("ok")) {
        const auto error = m.json("error");
        outcome.error =
            errorFromBody(409, error ? QByteArray("{\"error\":" + *error + '}') : QByteArray("{}"));
    } else {
        outcome.state = taskStateFromName(m.string("state")).value_or(TaskState::Succeeded);
    }
    return outcome;
}

// The answer read from its compact text; nothing when any part of it is not compact.
std::optional<Result<CompleteAndLease>> completeAndLeaseDirect(QByteArrayView body)
{
    const auto answer = CompactObject::of(body);
    if (!answer)
        return std::nullopt;
    const auto results = compactItems(answer->member("results").value_or("[]"));
    const auto tasks = compactItems(answer->member("tasks").value_or("[]"));
    if (!results || !tasks)
        return std::nullopt;
    CompleteAndLease out;
    out.outcomes.reserve(results->size());
    for (const QByteArrayView text : *results) {
        const auto item = CompactObject::of(text);
        if (!item)
            return std::nullopt;
        out.outcomes.append(readOutcome(TextMembers(*item)));
    }
    out.tasks.reserve(tasks->size());
    for (const QByteArrayView text : *tasks) {
        const auto item = CompactObject::of(text);
        if (!item)
            return std::nullopt;
        auto task = readLeasedTask(TextMembers(*item));
        if (!task)
            return std::unexpected(task.error());
        out.tasks.append(std::move(*task));
    }
    return out;
}

} // namespace

Result<LeasedTask> leasedTaskFromJson(const QJsonObject &o)
{
    return readLeasedTask(ObjectMembers(o));
}

QList<ItemOutcome> outcomesFromJson(const QJsonObject &answer)
{
    QList<ItemOutcome> out;
    for (const QJsonValue &value : answer.value(QLatin1StringView("results")).toArray()) {
        const QJsonObject item = value.toObject();
        out.append(readOutcome(ObjectMembers(item)));
    }
    return out;
}

Result<CompleteAndLease> completeAndLeaseFromJson(const QJsonObject &answer)
{
    CompleteAndLease out{outcomesFromJson(answer), {}};
    for (const QJsonValue &value : answer.value(QLatin1StringView("tasks")).toArray()) {
        auto task = leasedTaskFromJson(value.toObject());
        if (!task)
            return std::unexpected(task.error());
        out.tasks.append(std::move(*task));
    }
    return out;
}

Result<CompleteAndLease> completeAndLeaseFromText(QByteArrayView body)
{
    if (auto direct = completeAndLeaseDirect(body))
        return std::move(*direct);
    const auto object = answerObject(body);
    if (!object)
        return std::unexpected(object.error());
    return completeAndLeaseFromJson(*object);
}

} // namespace QueueDeck::Codec
