// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// Environments, worker queues and their settings.
#include "protocol/codec.h"

#include "protocol/codecfields.h"
#include "protocol/fieldreader.h"
#include "protocol/jsontext.h"

#include <QDateTime>
#include <QJsonDocument>

namespace QueueDeck::Codec {

using namespace Detail;

namespace {

void readSettings(FieldReader &r, QueueSettings &s)
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

} // namespace

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

Result<EnvironmentInfo> environmentFromJson(const QJsonObject &object)
{
    FieldReader r(object);
    EnvironmentInfo e;
    assign(e.name, r.string("name", true));
    assign(e.description, r.string("description"));
    assign(e.autoCreate, r.boolean("auto_create"));
    return finished(r, e);
}

Result<QueueCreate> queueCreateFromJson(const QJsonObject &object)
{
    FieldReader r(object);
    QueueCreate create;
    assign(create.name, r.string("name", true));
    readSettings(r, create.settings);
    return finished(r, create);
}

Result<QueuePatch> queuePatchFromJson(const QJsonObject &object)
{
    FieldReader r(object);
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

Result<QueueInfo> queueFromJson(const QJsonObject &o)
{
    QueueInfo q;
    q.id = o.value(QLatin1StringView("id")).toString();
    q.environment = o.value(QLatin1StringView("environment")).toString();
    q.name = o.value(QLatin1StringView("name")).toString();
    FieldReader settings(o);
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

} // namespace QueueDeck::Codec
