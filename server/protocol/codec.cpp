// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "protocol/codec.h"

#include "protocol/jsontext.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QSet>

#include <cmath>

namespace QueueDeck::Codec {

namespace {

QString fieldName(const char *field)
{
    return QString::fromLatin1(field);
}

// Times travel as RFC 3339 strings in UTC; readers also take milliseconds since the epoch.
QJsonValue timeValue(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

QJsonValue optionalTime(const std::optional<qint64> &ms)
{
    return ms ? timeValue(*ms) : QJsonValue();
}

// JSON text ↔ value. QJsonDocument holds only objects and arrays, so scalars go in an array.
QJsonValue valueFromText(const QByteArray &text)
{
    if (text.isEmpty())
        return QJsonValue();
    const QJsonDocument document = QJsonDocument::fromJson('[' + text + ']');
    return document.array().isEmpty() ? QJsonValue() : document.array().first();
}

QByteArray textFromValue(const QJsonValue &value)
{
    const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2);
}

QJsonObject labelsJson(const Labels &labels)
{
    QJsonObject object;
    for (auto it = labels.cbegin(); it != labels.cend(); ++it)
        object.insert(it.key(), it.value());
    return object;
}

// Reads the fields of one JSON object, keeping the first error and the names it saw.
class Reader
{
public:
    Reader(const QJsonObject &object, QString context = {})
        : m_object(object), m_context(std::move(context))
    {}

    bool has(const char *field) const { return m_object.contains(QLatin1StringView(field)); }

    std::optional<QString> string(const char *field, bool required = false)
    {
        const QJsonValue value = take(field);
        if (value.isUndefined() || value.isNull()) {
            if (required)
                fail(QStringLiteral("%1 is required").arg(name(field)));
            return std::nullopt;
        }
        if (!value.isString()) {
            fail(QStringLiteral("%1 must be a string").arg(name(field)));
            return std::nullopt;
        }
        return value.toString();
    }

    template <typename T> std::optional<T> integer(const char *field, bool required = false)
    {
        const QJsonValue value = take(field);
        if (value.isUndefined() || value.isNull()) {
            if (required)
                fail(QStringLiteral("%1 is required").arg(name(field)));
            return std::nullopt;
        }
        const double number = value.toDouble(std::nan(""));
        if (!value.isDouble() || std::floor(number) != number || std::abs(number) > 9.0e15) {
            fail(QStringLiteral("%1 must be a whole number").arg(name(field)));
            return std::nullopt;
        }
        if (number < double(std::numeric_limits<T>::min()) ||
            number > double(std::numeric_limits<T>::max())) {
            fail(QStringLiteral("%1 is out of range").arg(name(field)));
            return std::nullopt;
        }
        return T(number);
    }

    std::optional<double> number(const char *field)
    {
        const QJsonValue value = take(field);
        if (value.isUndefined() || value.isNull())
            return std::nullopt;
        if (!value.isDouble()) {
            fail(QStringLiteral("%1 must be a number").arg(name(field)));
            return std::nullopt;
        }
        return value.toDouble();
    }

    std::optional<bool> boolean(const char *field)
    {
        const QJsonValue value = take(field);
        if (value.isUndefined() || value.isNull())
            return std::nullopt;
        if (!value.isBool()) {
            fail(QStringLiteral("%1 must be true or false").arg(name(field)));
            return std::nullopt;
        }
        return value.toBool();
    }

    // A time: an RFC 3339 string or milliseconds since the epoch.
    std::optional<qint64> time(const char *field)
    {
        const QJsonValue value = take(field);
        if (value.isUndefined() || value.isNull())
            return std::nullopt;
        if (value.isDouble())
            return qint64(value.toDouble());
        const QDateTime parsed = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
        if (!value.isString() || !parsed.isValid() || parsed.timeSpec() == Qt::LocalTime) {
            fail(QStringLiteral(
                     "%1 must be an RFC 3339 time with a zone, like 2026-11-22T12:00:00Z, or "
                     "milliseconds since 1970")
                     .arg(name(field)));
            return std::nullopt;
        }
        return parsed.toMSecsSinceEpoch();
    }

    QJsonValue any(const char *field) { return take(field); }

    std::optional<QStringList> strings(const char *field)
    {
        const QJsonValue value = take(field);
        if (value.isUndefined() || value.isNull())
            return std::nullopt;
        QStringList out;
        bool ok = value.isArray();
        for (const QJsonValue &item : value.toArray()) {
            ok = ok && item.isString();
            out.append(item.toString());
        }
        if (!ok) {
            fail(QStringLiteral("%1 must be a list of strings").arg(name(field)));
            return std::nullopt;
        }
        return out;
    }

    std::optional<Labels> labels(const char *field)
    {
        const QJsonValue value = take(field);
        if (value.isUndefined() || value.isNull())
            return std::nullopt;
        Labels out;
        bool ok = value.isObject();
        const QJsonObject object = value.toObject();
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            ok = ok && it.value().isString();
            out.insert(it.key(), it.value().toString());
        }
        if (!ok) {
            fail(QStringLiteral("%1 must be an object of string values, like {\"gpu\": \"true\"}")
                     .arg(name(field)));
            return std::nullopt;
        }
        return out;
    }

    std::optional<QJsonObject> object(const char *field)
    {
        const QJsonValue value = take(field);
        if (value.isUndefined() || value.isNull())
            return std::nullopt;
        if (!value.isObject()) {
            fail(QStringLiteral("%1 must be an object").arg(name(field)));
            return std::nullopt;
        }
        return value.toObject();
    }

    std::optional<QJsonArray> array(const char *field)
    {
        const QJsonValue value = take(field);
        if (value.isUndefined() || value.isNull())
            return std::nullopt;
        if (!value.isArray()) {
            fail(QStringLiteral("%1 must be a list").arg(name(field)));
            return std::nullopt;
        }
        return value.toArray();
    }

    void ignore(const char *field) { take(field); }

    // The first error, or one naming a field nobody read (a typo, most likely).
    std::optional<Error> finish() const
    {
        if (m_error)
            return m_error;
        for (auto it = m_object.constBegin(); it != m_object.constEnd(); ++it) {
            if (!m_seen.contains(it.key()))
                return Error{
                    ErrorCode::InvalidArgument,
                    QStringLiteral("unknown field %1; check its spelling against the API reference")
                        .arg(m_context.isEmpty() ? it.key() : m_context + u'.' + it.key()),
                    QJsonObject{{QStringLiteral("field"), it.key()}}};
        }
        return std::nullopt;
    }

private:
    QJsonValue take(const char *field)
    {
        m_seen.insert(fieldName(field));
        return m_object.value(QLatin1StringView(field));
    }
    QString name(const char *field) const
    {
        return m_context.isEmpty() ? fieldName(field) : m_context + u'.' + fieldName(field);
    }
    void fail(QString message)
    {
        if (!m_error)
            m_error = Error{ErrorCode::InvalidArgument, std::move(message), {}};
    }

    QJsonObject m_object;
    QString m_context;
    QSet<QString> m_seen;
    std::optional<Error> m_error;
};

template <typename T> void assign(T &target, const std::optional<T> &value)
{
    if (value)
        target = *value;
}

void readSettings(Reader &r, QueueSettings &s)
{
    assign(s.displayName, r.string("display_name"));
    assign(s.description, r.string("description"));
    assign(s.runnerName, r.string("runner_name"));
    assign(s.maxWorkers, r.integer<int>("max_workers"));
    assign(s.concurrency, r.integer<int>("concurrency"));
    assign(s.maxPerKey, r.integer<int>("max_per_key"));
    assign(s.maxDepth, r.integer<qint64>("max_depth"));
    assign(s.rateLimit, r.number("rate_limit"));
    assign(s.priority, r.integer<int>("priority"));
    assign(s.maxQueuedTimeS, r.integer<qint64>("max_queued_time_s"));
    assign(s.taskTimeoutS, r.integer<qint64>("task_timeout_s"));
    assign(s.workerTimeoutS, r.integer<qint64>("worker_timeout_s"));
    assign(s.retry.maxAttempts, r.integer<int>("max_attempts"));
    assign(s.retry.initialBackoffMs, r.integer<qint64>("initial_backoff_ms"));
    assign(s.retry.multiplier, r.number("multiplier"));
    assign(s.retry.maxBackoffMs, r.integer<qint64>("max_backoff_ms"));
    assign(s.retentionS, r.integer<qint64>("retention_s"));
    assign(s.paused, r.boolean("paused"));
    assign(s.maxActiveRuns, r.integer<int>("max_active_runs"));
    assign(s.childQueues, r.strings("child_queues"));
}

template <typename T> Result<T> finished(const Reader &reader, T value)
{
    if (auto error = reader.finish())
        return std::unexpected(*error);
    return value;
}

} // namespace

QJsonObject errorBody(const Error &error)
{
    return QJsonObject{
        {QStringLiteral("error"), QJsonObject{{QStringLiteral("code"), errorCodeName(error.code)},
                                              {QStringLiteral("message"), error.message},
                                              {QStringLiteral("details"), error.details}}}};
}

Result<QJsonObject> parseObject(const QByteArray &body)
{
    if (body.trimmed().isEmpty())
        return QJsonObject();
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("the body is not valid JSON: %1 at byte %2")
                             .arg(error.errorString())
                             .arg(error.offset),
                         QJsonObject{{QStringLiteral("offset"), error.offset}});
    if (!document.isObject())
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("the body must be a JSON object"));
    return document.object();
}

QJsonObject settingsToJson(const QueueSettings &s)
{
    return QJsonObject{
        {QStringLiteral("display_name"), s.displayName},
        {QStringLiteral("description"), s.description},
        {QStringLiteral("runner_name"), s.runnerName},
        {QStringLiteral("max_workers"), s.maxWorkers},
        {QStringLiteral("concurrency"), s.concurrency},
        {QStringLiteral("max_per_key"), s.maxPerKey},
        {QStringLiteral("max_depth"), s.maxDepth},
        {QStringLiteral("rate_limit"), s.rateLimit},
        {QStringLiteral("priority"), s.priority},
        {QStringLiteral("max_queued_time_s"), s.maxQueuedTimeS},
        {QStringLiteral("task_timeout_s"), s.taskTimeoutS},
        {QStringLiteral("worker_timeout_s"), s.workerTimeoutS},
        {QStringLiteral("max_attempts"), s.retry.maxAttempts},
        {QStringLiteral("initial_backoff_ms"), s.retry.initialBackoffMs},
        {QStringLiteral("multiplier"), s.retry.multiplier},
        {QStringLiteral("max_backoff_ms"), s.retry.maxBackoffMs},
        {QStringLiteral("retention_s"), s.retentionS},
        {QStringLiteral("paused"), s.paused},
        {QStringLiteral("max_active_runs"), s.maxActiveRuns},
        {QStringLiteral("child_queues"), QJsonArray::fromStringList(s.childQueues)},
    };
}

QJsonObject toJson(const ProducerToken &t)
{
    QJsonObject object{{QStringLiteral("name"), t.name},
                       {QStringLiteral("queue_ids"), QJsonArray::fromStringList(t.queueIds)},
                       {QStringLiteral("created_at"), timeValue(t.createdAtMs)}};
    if (!t.token.isEmpty())
        object.insert(QStringLiteral("token"), t.token);
    return object;
}

QJsonObject toJson(const AuditEntry &e)
{
    return QJsonObject{{QStringLiteral("id"), e.id},
                       {QStringLiteral("at"), timeValue(e.atMs)},
                       {QStringLiteral("actor_kind"), e.actorKind},
                       {QStringLiteral("actor"), e.actor},
                       {QStringLiteral("action"), e.action},
                       {QStringLiteral("target"), e.target}};
}

QJsonObject toJson(const EnvironmentInfo &e)
{
    return QJsonObject{{QStringLiteral("name"), e.name},
                       {QStringLiteral("description"), e.description},
                       {QStringLiteral("auto_create"), e.autoCreate},
                       {QStringLiteral("created_at"), timeValue(e.createdAtMs)}};
}

QJsonObject toJson(const QueueInfo &q)
{
    QJsonObject object = settingsToJson(q.settings);
    object.insert(QStringLiteral("id"), q.id);
    object.insert(QStringLiteral("environment"), q.environment);
    object.insert(QStringLiteral("name"), q.name);
    object.insert(QStringLiteral("status"), queueStatusName(q.status));
    object.insert(QStringLiteral("created_at"), timeValue(q.createdAtMs));
    object.insert(QStringLiteral("counts"),
                  QJsonObject{{QStringLiteral("queued"), q.counts.queued},
                              {QStringLiteral("scheduled"), q.counts.scheduled},
                              {QStringLiteral("running"), q.counts.running},
                              {QStringLiteral("succeeded"), q.counts.succeeded},
                              {QStringLiteral("dead"), q.counts.dead},
                              {QStringLiteral("cancelled"), q.counts.cancelled},
                              {QStringLiteral("depth"), q.counts.depth()},
                              {QStringLiteral("backlog"), q.counts.backlog()},
                              {QStringLiteral("unfinished"), q.counts.unfinished()},
                              {QStringLiteral("oldest_queued_age_ms"), q.counts.oldestQueuedAgeMs},
                              {QStringLiteral("active_runs"), q.counts.activeRuns},
                              {QStringLiteral("waiting_runs"), q.counts.waitingRuns}});
    object.insert(QStringLiteral("workers"),
                  QJsonObject{{QStringLiteral("online"), q.counts.workersOnline},
                              {QStringLiteral("lost"), q.counts.workersLost},
                              {QStringLiteral("slots_used"), q.counts.workersOnline},
                              {QStringLiteral("capacity"), q.settings.maxWorkers}});
    return object;
}

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

QJsonObject toJson(const TaskInfo &t)
{
    return QJsonDocument::fromJson(taskText(t)).object();
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

namespace {

QJsonObject sampleToJson(const MetricSample &p)
{
    return QJsonObject{
        {QStringLiteral("at"), timeValue(p.atMs)},
        {QStringLiteral("depth"), p.depth},
        {QStringLiteral("scheduled"), p.scheduled},
        {QStringLiteral("running"), p.running},
        {QStringLiteral("dead"), p.dead},
        {QStringLiteral("oldest_queued_age_ms"), p.oldestQueuedAgeMs},
        {QStringLiteral("add_rate"), p.addRate},
        {QStringLiteral("dispatch_rate"), p.dispatchRate},
        {QStringLiteral("completion_rate"), p.completionRate},
        {QStringLiteral("failure_rate"), p.failureRate},
        {QStringLiteral("wait_p50_ms"), p.waitP50Ms},
        {QStringLiteral("wait_p95_ms"), p.waitP95Ms},
        {QStringLiteral("wait_p99_ms"), p.waitP99Ms},
        {QStringLiteral("run_p50_ms"), p.runP50Ms},
        {QStringLiteral("run_p95_ms"), p.runP95Ms},
        {QStringLiteral("run_p99_ms"), p.runP99Ms},
        {QStringLiteral("workers_online"), p.workersOnline},
        {QStringLiteral("workers_lost"), p.workersLost},
        {QStringLiteral("slots_used"), p.slotsUsed},
        {QStringLiteral("capacity"), p.capacity},
    };
}

} // namespace

QJsonObject toJson(const DashboardSnapshot &d)
{
    QJsonArray cards;
    for (const QueueCard &card : d.cards) {
        QJsonObject queue = toJson(card.queue);
        queue.insert(QStringLiteral("add_rate"), card.addRate);
        queue.insert(QStringLiteral("completion_rate"), card.completionRate);
        queue.insert(QStringLiteral("failure_rate"), card.failureRate);
        queue.insert(QStringLiteral("wait_p95_ms"), card.waitP95Ms);
        queue.insert(QStringLiteral("last"), sampleToJson(card.last));
        cards.append(queue);
    }
    return QJsonObject{
        {QStringLiteral("active_workers"), d.activeWorkers},
        {QStringLiteral("queues"), d.queueCount},
        {QStringLiteral("slots_used"), d.slotsUsed},
        {QStringLiteral("capacity"), d.capacity},
        {QStringLiteral("capacity_unlimited"), d.capacityUnlimited},
        {QStringLiteral("throughput"), d.throughput},
        {QStringLiteral("error_rate"), d.errorRate},
        {QStringLiteral("updated_at"), timeValue(d.updatedAtMs)},
        {QStringLiteral("total"), sampleToJson(d.total)},
        {QStringLiteral("cards"), cards},
    };
}

QJsonObject toJson(const MetricSeries &series)
{
    QJsonArray points;
    for (const MetricSample &p : series.points) {
        points.append(sampleToJson(p));
    }
    return QJsonObject{{QStringLiteral("queue_id"),
                        series.queueId.isEmpty() ? QJsonValue() : QJsonValue(series.queueId)},
                       {QStringLiteral("step_ms"), series.stepMs},
                       {QStringLiteral("points"), points},
                       {QStringLiteral("wait_p50_ms"), series.waitP50Ms},
                       {QStringLiteral("wait_p95_ms"), series.waitP95Ms},
                       {QStringLiteral("wait_p99_ms"), series.waitP99Ms},
                       {QStringLiteral("run_p50_ms"), series.runP50Ms},
                       {QStringLiteral("run_p95_ms"), series.runP95Ms},
                       {QStringLiteral("run_p99_ms"), series.runP99Ms}};
}

Result<EnvironmentInfo> environmentFromJson(const QJsonObject &object)
{
    Reader r(object);
    EnvironmentInfo e;
    assign(e.name, r.string("name", true));
    assign(e.description, r.string("description"));
    assign(e.autoCreate, r.boolean("auto_create"));
    return finished(r, e);
}

Result<QueueCreate> queueCreateFromJson(const QJsonObject &object)
{
    Reader r(object);
    QueueCreate create;
    assign(create.name, r.string("name", true));
    readSettings(r, create.settings);
    return finished(r, create);
}

Result<QueuePatch> queuePatchFromJson(const QJsonObject &object)
{
    Reader r(object);
    QueuePatch p;
    p.name = r.string("name");
    p.displayName = r.string("display_name");
    p.description = r.string("description");
    p.runnerName = r.string("runner_name");
    p.maxWorkers = r.integer<int>("max_workers");
    p.concurrency = r.integer<int>("concurrency");
    p.maxPerKey = r.integer<int>("max_per_key");
    p.maxDepth = r.integer<qint64>("max_depth");
    p.rateLimit = r.number("rate_limit");
    p.priority = r.integer<int>("priority");
    p.maxQueuedTimeS = r.integer<qint64>("max_queued_time_s");
    p.taskTimeoutS = r.integer<qint64>("task_timeout_s");
    p.workerTimeoutS = r.integer<qint64>("worker_timeout_s");
    p.maxAttempts = r.integer<int>("max_attempts");
    p.initialBackoffMs = r.integer<qint64>("initial_backoff_ms");
    p.multiplier = r.number("multiplier");
    p.maxBackoffMs = r.integer<qint64>("max_backoff_ms");
    p.retentionS = r.integer<qint64>("retention_s");
    p.paused = r.boolean("paused");
    p.maxActiveRuns = r.integer<int>("max_active_runs");
    p.childQueues = r.strings("child_queues");
    return finished(r, p);
}

namespace {

Result<EnqueueRequest> readEnqueue(Reader &r)
{
    EnqueueRequest e;
    assign(e.type, r.string("type", true));
    const QJsonValue payload = r.any("payload");
    e.payload = payload.isUndefined() ? QByteArrayLiteral("{}") : textFromValue(payload);
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

Result<EnqueueRequest> enqueueFromJson(const QJsonObject &object)
{
    Reader r(object);
    return readEnqueue(r);
}

Result<BulkRequest> bulkFromJson(const QJsonObject &object)
{
    Reader r(object);
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
    Reader f(filter.value_or(QJsonObject()), QStringLiteral("filter"));
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
    Reader r(object);
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
        Reader item(tasks->at(i).toObject(), QStringLiteral("tasks[%1]").arg(i));
        auto request = readEnqueue(item);
        if (!request)
            return std::unexpected(request.error());
        out.append(std::move(*request));
    }
    return out;
}

Result<RegisterBody> registerFromJson(const QJsonObject &object)
{
    Reader r(object);
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
    Reader r(object);
    HeartbeatBody body;
    assign(body.workerId, r.string("worker_id"));
    assign(body.status, r.string("status"));
    r.ignore("queue_name");
    assign(body.running, r.strings("running"));
    return finished(r, body);
}

Result<LeaseRequest> leaseFromJson(const QJsonObject &object)
{
    Reader r(object);
    LeaseRequest request;
    assign(request.max, r.integer<int>("max"));
    assign(request.waitMs, r.integer<qint64>("wait_ms"));
    return finished(r, request);
}

Result<CompleteRequest> completeFromJson(const QJsonObject &object)
{
    Reader r(object);
    CompleteRequest request;
    const auto acks = r.array("acks");
    const auto fails = r.array("fails");
    const auto thenLease = r.object("lease");
    if (auto error = r.finish())
        return std::unexpected(*error);
    if (thenLease) {
        Reader lease(*thenLease, QStringLiteral("lease"));
        LeaseRequest more;
        assign(more.max, lease.integer<int>("max"));
        assign(more.waitMs, lease.integer<qint64>("wait_ms"));
        if (auto error = lease.finish())
            return std::unexpected(*error);
        request.thenLease = more;
    }
    for (qsizetype i = 0; acks && i < acks->size(); ++i) {
        Reader item(acks->at(i).toObject(), QStringLiteral("acks[%1]").arg(i));
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
        Reader item(fails->at(i).toObject(), QStringLiteral("fails[%1]").arg(i));
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

QJsonObject toJson(const EnqueueRequest &r)
{
    QJsonObject o{{QStringLiteral("type"), r.type},
                  {QStringLiteral("payload"), valueFromText(r.payload)}};
    if (r.priority != 0)
        o.insert(QStringLiteral("priority"), r.priority);
    if (r.runAtMs)
        o.insert(QStringLiteral("run_at"), timeValue(*r.runAtMs));
    if (r.delayMs)
        o.insert(QStringLiteral("delay_ms"), *r.delayMs);
    if (!r.idempotencyKey.isEmpty())
        o.insert(QStringLiteral("idempotency_key"), r.idempotencyKey);
    if (!r.concurrencyKey.isEmpty())
        o.insert(QStringLiteral("concurrency_key"), r.concurrencyKey);
    if (!r.requiredLabels.isEmpty())
        o.insert(QStringLiteral("required_labels"), labelsJson(r.requiredLabels));
    if (!r.workerId.isEmpty())
        o.insert(QStringLiteral("worker_id"), r.workerId);
    if (r.timeoutS)
        o.insert(QStringLiteral("timeout_s"), *r.timeoutS);
    if (r.maxAttempts)
        o.insert(QStringLiteral("max_attempts"), *r.maxAttempts);
    if (r.maxQueuedTimeS)
        o.insert(QStringLiteral("max_queued_time_s"), *r.maxQueuedTimeS);
    if (r.deadlineMs)
        o.insert(QStringLiteral("deadline"), timeValue(*r.deadlineMs));
    return o;
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

QJsonObject toJson(const CompleteRequest &r)
{
    QJsonArray acks;
    for (const TaskAck &ack : r.acks) {
        QJsonObject item{{QStringLiteral("task_id"), ack.taskId},
                         {QStringLiteral("lease_id"), ack.leaseId}};
        if (!ack.result.isEmpty())
            item.insert(QStringLiteral("result"), valueFromText(ack.result));
        acks.append(item);
    }
    QJsonArray fails;
    for (const TaskFail &fail : r.fails)
        fails.append(QJsonObject{{QStringLiteral("task_id"), fail.taskId},
                                 {QStringLiteral("lease_id"), fail.leaseId},
                                 {QStringLiteral("error"), fail.error},
                                 {QStringLiteral("retryable"), fail.retryable}});
    QJsonObject body{{QStringLiteral("acks"), acks}, {QStringLiteral("fails"), fails}};
    if (r.thenLease)
        body.insert(QStringLiteral("lease"),
                    QJsonObject{{QStringLiteral("max"), r.thenLease->max},
                                {QStringLiteral("wait_ms"), r.thenLease->waitMs}});
    return body;
}

QJsonObject toJson(const QueuePatch &p)
{
    QJsonObject o;
    auto put = [&o](const char *key, const auto &value) {
        if (value)
            o.insert(QLatin1StringView(key), *value);
    };
    put("name", p.name);
    put("display_name", p.displayName);
    put("description", p.description);
    put("runner_name", p.runnerName);
    put("max_workers", p.maxWorkers);
    put("concurrency", p.concurrency);
    put("max_per_key", p.maxPerKey);
    put("max_depth", p.maxDepth);
    put("rate_limit", p.rateLimit);
    put("priority", p.priority);
    put("max_queued_time_s", p.maxQueuedTimeS);
    put("task_timeout_s", p.taskTimeoutS);
    put("worker_timeout_s", p.workerTimeoutS);
    put("max_attempts", p.maxAttempts);
    put("initial_backoff_ms", p.initialBackoffMs);
    put("multiplier", p.multiplier);
    put("max_backoff_ms", p.maxBackoffMs);
    put("retention_s", p.retentionS);
    put("paused", p.paused);
    put("max_active_runs", p.maxActiveRuns);
    if (p.childQueues)
        o.insert(QStringLiteral("child_queues"), QJsonArray::fromStringList(*p.childQueues));
    return o;
}

namespace {

qint64 timeFrom(const QJsonValue &value)
{
    if (value.isDouble())
        return qint64(value.toDouble());
    return value.isString()
               ? QDateTime::fromString(value.toString(), Qt::ISODateWithMs).toMSecsSinceEpoch()
               : 0;
}

Labels labelsFrom(const QJsonObject &object)
{
    Labels labels;
    for (auto it = object.begin(); it != object.end(); ++it)
        labels.insert(it.key(), it.value().toString());
    return labels;
}

QStringList stringsFrom(const QJsonValue &value)
{
    QStringList out;
    for (const QJsonValue &item : value.toArray())
        out.append(item.toString());
    return out;
}

double numberAt(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1StringView(key)).toDouble();
}

qint64 integerAt(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1StringView(key)).toInteger();
}

} // namespace

Result<QueueInfo> queueFromJson(const QJsonObject &o)
{
    QueueInfo q;
    q.id = o.value(QLatin1StringView("id")).toString();
    q.environment = o.value(QLatin1StringView("environment")).toString();
    q.name = o.value(QLatin1StringView("name")).toString();
    Reader settings(o);
    readSettings(settings, q.settings);
    const QJsonObject counts = o.value(QLatin1StringView("counts")).toObject();
    q.counts.queued = counts.value(QLatin1StringView("queued")).toInteger();
    q.counts.scheduled = counts.value(QLatin1StringView("scheduled")).toInteger();
    q.counts.running = counts.value(QLatin1StringView("running")).toInteger();
    q.counts.succeeded = counts.value(QLatin1StringView("succeeded")).toInteger();
    q.counts.dead = counts.value(QLatin1StringView("dead")).toInteger();
    q.counts.cancelled = counts.value(QLatin1StringView("cancelled")).toInteger();
    q.counts.oldestQueuedAgeMs =
        counts.value(QLatin1StringView("oldest_queued_age_ms")).toInteger();
    q.counts.activeRuns = counts.value(QLatin1StringView("active_runs")).toInteger();
    q.counts.waitingRuns = counts.value(QLatin1StringView("waiting_runs")).toInteger();
    const QJsonObject workers = o.value(QLatin1StringView("workers")).toObject();
    q.counts.workersOnline = int(workers.value(QLatin1StringView("online")).toInteger());
    q.counts.workersLost = int(workers.value(QLatin1StringView("lost")).toInteger());
    const QString status = o.value(QLatin1StringView("status")).toString();
    q.status = status == u"Active"   ? QueueStatus::Active
               : status == u"Paused" ? QueueStatus::Paused
                                     : QueueStatus::Idle;
    q.createdAtMs = QDateTime::fromString(o.value(QLatin1StringView("created_at")).toString(),
                                          Qt::ISODateWithMs)
                        .toMSecsSinceEpoch();
    if (q.id.isEmpty())
        return makeError(ErrorCode::Internal,
                         QStringLiteral("the server sent a queue without an id"));
    return q;
}

Result<TaskInfo> taskFromJson(const QJsonObject &o)
{
    TaskInfo t;
    auto time = [&o](const char *field) -> std::optional<qint64> {
        const QJsonValue value = o.value(QLatin1StringView(field));
        if (!value.isString())
            return std::nullopt;
        return QDateTime::fromString(value.toString(), Qt::ISODateWithMs).toMSecsSinceEpoch();
    };
    t.id = o.value(QLatin1StringView("id")).toString();
    t.queueId = o.value(QLatin1StringView("queue_id")).toString();
    t.state = taskStateFromName(o.value(QLatin1StringView("state")).toString())
                  .value_or(TaskState::Queued);
    t.type = o.value(QLatin1StringView("type")).toString();
    t.payload = textFromValue(o.value(QLatin1StringView("payload")));
    t.priority = int(o.value(QLatin1StringView("priority")).toInteger());
    t.enqueuedAtMs = time("enqueued_at").value_or(0);
    t.runAtMs = time("run_at").value_or(0);
    t.attempts = int(o.value(QLatin1StringView("attempts")).toInteger());
    t.maxAttempts = int(o.value(QLatin1StringView("max_attempts")).toInteger());
    t.timeoutS = o.value(QLatin1StringView("timeout_s")).toInteger();
    t.deadlineMs = time("deadline");
    t.leasedBy = o.value(QLatin1StringView("leased_by")).toString();
    t.startedAtMs = time("started_at");
    t.finishedAtMs = time("finished_at");
    t.lastError = o.value(QLatin1StringView("error")).toString();
    const QJsonValue result = o.value(QLatin1StringView("result"));
    if (!result.isNull() && !result.isUndefined())
        t.result = textFromValue(result);
    t.cancelRequested = o.value(QLatin1StringView("cancel_requested")).toBool();
    t.deadReason = deadReasonFromName(o.value(QLatin1StringView("dead_reason")).toString())
                       .value_or(DeadReason::None);
    t.idempotencyKey = o.value(QLatin1StringView("idempotency_key")).toString();
    t.concurrencyKey = o.value(QLatin1StringView("concurrency_key")).toString();
    t.parentId = o.value(QLatin1StringView("parent_id")).toString();
    t.runId = o.value(QLatin1StringView("run_id")).toString();
    if (t.id.isEmpty())
        return makeError(ErrorCode::Internal,
                         QStringLiteral("the server sent a task without an id"));
    return t;
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

Result<LeasedTask> leasedTaskFromJson(const QJsonObject &o)
{
    LeasedTask t;
    t.id = o.value(QLatin1StringView("id")).toString();
    t.leaseId = o.value(QLatin1StringView("lease_id")).toString();
    t.queueId = o.value(QLatin1StringView("queue_id")).toString();
    t.type = o.value(QLatin1StringView("type")).toString();
    t.payload = textFromValue(o.value(QLatin1StringView("payload")));
    t.attempt = int(o.value(QLatin1StringView("attempt")).toInteger());
    t.timeoutS = o.value(QLatin1StringView("timeout_s")).toInteger();
    if (t.id.isEmpty() || t.leaseId.isEmpty())
        return makeError(ErrorCode::Internal,
                         QStringLiteral("the server sent a leased task without id or lease"));
    return t;
}

Result<EnvironmentInfo> environmentInfoFromJson(const QJsonObject &o)
{
    EnvironmentInfo e;
    e.name = o.value(QLatin1StringView("name")).toString();
    e.description = o.value(QLatin1StringView("description")).toString();
    e.autoCreate = o.value(QLatin1StringView("auto_create")).toBool();
    e.createdAtMs = timeFrom(o.value(QLatin1StringView("created_at")));
    if (e.name.isEmpty())
        return makeError(ErrorCode::Internal,
                         QStringLiteral("the server sent an environment without a name"));
    return e;
}

Result<LogLine> logLineFromJson(const QJsonObject &o)
{
    return LogLine{integerAt(o, "id"), timeFrom(o.value(QLatin1StringView("at"))),
                   o.value(QLatin1StringView("stream")).toString(),
                   o.value(QLatin1StringView("line")).toString()};
}

Result<ProducerToken> producerTokenFromJson(const QJsonObject &o)
{
    ProducerToken t;
    t.name = o.value(QLatin1StringView("name")).toString();
    t.token = o.value(QLatin1StringView("token")).toString();
    t.queueIds = stringsFrom(o.value(QLatin1StringView("queue_ids")));
    t.createdAtMs = timeFrom(o.value(QLatin1StringView("created_at")));
    return t;
}

Result<AuditEntry> auditFromJson(const QJsonObject &o)
{
    return AuditEntry{integerAt(o, "id"),
                      timeFrom(o.value(QLatin1StringView("at"))),
                      o.value(QLatin1StringView("actor_kind")).toString(),
                      o.value(QLatin1StringView("actor")).toString(),
                      o.value(QLatin1StringView("action")).toString(),
                      o.value(QLatin1StringView("target")).toString()};
}

namespace {

MetricSample sampleFromJson(const QJsonObject &p)
{
    MetricSample s;
    s.atMs = timeFrom(p.value(QLatin1StringView("at")));
    s.depth = integerAt(p, "depth");
    s.scheduled = integerAt(p, "scheduled");
    s.running = integerAt(p, "running");
    s.dead = integerAt(p, "dead");
    s.oldestQueuedAgeMs = integerAt(p, "oldest_queued_age_ms");
    s.addRate = numberAt(p, "add_rate");
    s.dispatchRate = numberAt(p, "dispatch_rate");
    s.completionRate = numberAt(p, "completion_rate");
    s.failureRate = numberAt(p, "failure_rate");
    s.waitP50Ms = integerAt(p, "wait_p50_ms");
    s.waitP95Ms = integerAt(p, "wait_p95_ms");
    s.waitP99Ms = integerAt(p, "wait_p99_ms");
    s.runP50Ms = integerAt(p, "run_p50_ms");
    s.runP95Ms = integerAt(p, "run_p95_ms");
    s.runP99Ms = integerAt(p, "run_p99_ms");
    s.workersOnline = int(integerAt(p, "workers_online"));
    s.workersLost = int(integerAt(p, "workers_lost"));
    s.slotsUsed = int(integerAt(p, "slots_used"));
    s.capacity = int(integerAt(p, "capacity"));
    return s;
}

} // namespace

Result<DashboardSnapshot> dashboardFromJson(const QJsonObject &o)
{
    DashboardSnapshot d;
    d.activeWorkers = int(integerAt(o, "active_workers"));
    d.queueCount = int(integerAt(o, "queues"));
    d.slotsUsed = int(integerAt(o, "slots_used"));
    d.capacity = int(integerAt(o, "capacity"));
    d.capacityUnlimited = o.value(QLatin1StringView("capacity_unlimited")).toBool();
    d.throughput = numberAt(o, "throughput");
    d.errorRate = numberAt(o, "error_rate");
    d.updatedAtMs = timeFrom(o.value(QLatin1StringView("updated_at")));
    d.total = sampleFromJson(o.value(QLatin1StringView("total")).toObject());
    for (const QJsonValue &value : o.value(QLatin1StringView("cards")).toArray()) {
        auto card = queueCardFromJson(value.toObject());
        if (!card)
            return std::unexpected(card.error());
        d.cards.append(*card);
    }
    return d;
}

Result<QueueCard> queueCardFromJson(const QJsonObject &card)
{
    auto queue = queueFromJson(card);
    if (!queue)
        return std::unexpected(queue.error());
    return QueueCard{*queue,
                     numberAt(card, "add_rate"),
                     numberAt(card, "completion_rate"),
                     numberAt(card, "failure_rate"),
                     integerAt(card, "wait_p95_ms"),
                     sampleFromJson(card.value(QLatin1StringView("last")).toObject())};
}

Result<MetricSeries> metricSeriesFromJson(const QJsonObject &o)
{
    MetricSeries series;
    series.queueId = o.value(QLatin1StringView("queue_id")).toString();
    series.stepMs = integerAt(o, "step_ms");
    series.waitP50Ms = integerAt(o, "wait_p50_ms");
    series.waitP95Ms = integerAt(o, "wait_p95_ms");
    series.waitP99Ms = integerAt(o, "wait_p99_ms");
    series.runP50Ms = integerAt(o, "run_p50_ms");
    series.runP95Ms = integerAt(o, "run_p95_ms");
    series.runP99Ms = integerAt(o, "run_p99_ms");
    for (const QJsonValue &value : o.value(QLatin1StringView("points")).toArray()) {
        series.points.append(sampleFromJson(value.toObject()));
    }
    return series;
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

Error errorFromBody(int httpStatus, const QByteArray &body)
{
    const QJsonObject error =
        QJsonDocument::fromJson(body).object().value(QLatin1StringView("error")).toObject();
    const auto code = errorCodeFromName(error.value(QLatin1StringView("code")).toString());
    if (!code)
        return Error{
            httpStatus >= 500 ? ErrorCode::Unavailable : ErrorCode::Internal,
            QStringLiteral("the server answered HTTP %1 without an error body").arg(httpStatus),
            {}};
    return Error{*code, error.value(QLatin1StringView("message")).toString(),
                 error.value(QLatin1StringView("details")).toObject()};
}

} // namespace QueueDeck::Codec
