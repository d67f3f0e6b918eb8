// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "schedulecodec.h"

#include "protocol/codec.h"

#include <QDateTime>
#include <QJsonArray>
#include <QSet>

#include <cmath>

namespace QueueDeck {

QString overlapPolicyName(OverlapPolicy policy)
{
    switch (policy) {
    case OverlapPolicy::Skip:
        return QStringLiteral("skip");
    case OverlapPolicy::BufferOne:
        return QStringLiteral("buffer_one");
    case OverlapPolicy::AllowAll:
        return QStringLiteral("allow_all");
    }
    return QStringLiteral("skip");
}

std::optional<OverlapPolicy> overlapPolicyFromName(QStringView name)
{
    for (OverlapPolicy policy :
         {OverlapPolicy::Skip, OverlapPolicy::BufferOne, OverlapPolicy::AllowAll}) {
        if (name == overlapPolicyName(policy))
            return policy;
    }
    return std::nullopt;
}

ScheduleDefinition applyPatch(ScheduleDefinition d, const SchedulePatch &p)
{
    if (p.name)
        d.name = *p.name;
    if (p.spec)
        d.spec = *p.spec;
    if (p.timeZone)
        d.timeZone = *p.timeZone;
    if (p.startAtMs)
        d.startAtMs = *p.startAtMs;
    if (p.endAtMs)
        d.endAtMs = *p.endAtMs;
    if (p.jitterS)
        d.jitterS = *p.jitterS;
    if (p.queueId)
        d.queueId = *p.queueId;
    if (p.task)
        d.task = *p.task;
    if (p.overlap)
        d.overlap = *p.overlap;
    if (p.catchupWindowS)
        d.catchupWindowS = *p.catchupWindowS;
    if (p.paused)
        d.paused = *p.paused;
    return d;
}

namespace ScheduleCodec {

namespace {

// Reads the fields of one object, keeping the first error and the names it saw.
class Reader
{
public:
    explicit Reader(const QJsonObject &object) : m_object(object) {}

    bool has(const char *field) const { return m_object.contains(QLatin1StringView(field)); }
    bool isNull(const char *field) const
    {
        return m_object.value(QLatin1StringView(field)).isNull();
    }

    std::optional<QString> string(const char *field, bool required = false)
    {
        const QJsonValue value = take(field);
        if (value.isUndefined() || value.isNull()) {
            if (required)
                fail(QStringLiteral("%1 is required").arg(QLatin1StringView(field)));
            return std::nullopt;
        }
        if (!value.isString()) {
            fail(QStringLiteral("%1 must be a string").arg(QLatin1StringView(field)));
            return std::nullopt;
        }
        return value.toString();
    }

    std::optional<qint64> integer(const char *field, qint64 low, qint64 high)
    {
        const QJsonValue value = take(field);
        if (value.isUndefined() || value.isNull())
            return std::nullopt;
        const double number = value.toDouble(std::nan(""));
        if (!value.isDouble() || std::floor(number) != number || number < double(low) ||
            number > double(high)) {
            fail(QStringLiteral("%1 must be a whole number from %2 to %3")
                     .arg(QLatin1StringView(field))
                     .arg(low)
                     .arg(high));
            return std::nullopt;
        }
        return qint64(number);
    }

    std::optional<bool> boolean(const char *field)
    {
        const QJsonValue value = take(field);
        if (value.isUndefined() || value.isNull())
            return std::nullopt;
        if (!value.isBool()) {
            fail(QStringLiteral("%1 must be true or false").arg(QLatin1StringView(field)));
            return std::nullopt;
        }
        return value.toBool();
    }

    std::optional<qint64> time(const char *field, bool required = false)
    {
        const QJsonValue value = take(field);
        if (value.isUndefined() || value.isNull()) {
            if (required)
                fail(QStringLiteral("%1 is required").arg(QLatin1StringView(field)));
            return std::nullopt;
        }
        if (value.isDouble())
            return qint64(value.toDouble());
        const QDateTime parsed = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
        if (!value.isString() || !parsed.isValid() || parsed.timeSpec() == Qt::LocalTime) {
            fail(QStringLiteral("%1 must be an RFC 3339 time with a zone, like "
                                "2026-11-22T12:00:00Z, or milliseconds since 1970")
                     .arg(QLatin1StringView(field)));
            return std::nullopt;
        }
        return parsed.toMSecsSinceEpoch();
    }

    std::optional<QJsonObject> object(const char *field)
    {
        const QJsonValue value = take(field);
        if (value.isUndefined() || value.isNull())
            return std::nullopt;
        if (!value.isObject()) {
            fail(QStringLiteral("%1 must be an object").arg(QLatin1StringView(field)));
            return std::nullopt;
        }
        return value.toObject();
    }

    QJsonValue any(const char *field) { return take(field); }

    void fail(QString message, QJsonObject details = {})
    {
        if (!m_error)
            m_error = Error{ErrorCode::InvalidArgument, std::move(message), std::move(details)};
    }

    std::optional<Error> finish() const
    {
        if (m_error)
            return m_error;
        for (auto it = m_object.constBegin(); it != m_object.constEnd(); ++it) {
            if (!m_seen.contains(it.key()))
                return Error{ErrorCode::InvalidArgument,
                             QStringLiteral("unknown field %1; check its spelling against the "
                                            "API reference")
                                 .arg(it.key()),
                             QJsonObject{{QStringLiteral("field"), it.key()}}};
        }
        return std::nullopt;
    }

private:
    QJsonValue take(const char *field)
    {
        m_seen.insert(QString::fromLatin1(field));
        return m_object.value(QLatin1StringView(field));
    }

    QJsonObject m_object;
    QSet<QString> m_seen;
    std::optional<Error> m_error;
};

template <typename T> Result<T> finished(const Reader &r, T value)
{
    if (auto error = r.finish())
        return std::unexpected(*error);
    return value;
}

template <typename T> void assign(T &target, const std::optional<T> &value)
{
    if (value)
        target = *value;
}

constexpr qint64 MaxJitterS = 86'400;
constexpr qint64 MaxCatchupS = 366 * 86'400;

std::optional<EnqueueRequest> readTemplate(Reader &r, const char *field)
{
    const auto object = r.object(field);
    if (!object)
        return std::nullopt;
    if (object->contains(QStringLiteral("run_at")) ||
        object->contains(QStringLiteral("deadline"))) {
        r.fail(QStringLiteral("task.run_at and task.deadline are fixed times and cannot repeat; "
                              "use task.delay_ms and task.max_queued_time_s"));
        return std::nullopt;
    }
    auto request = Codec::enqueueFromJson(*object);
    if (!request) {
        r.fail(QStringLiteral("task: ") + request.error().message, request.error().details);
        return std::nullopt;
    }
    return *request;
}

std::optional<OverlapPolicy> readOverlap(Reader &r)
{
    const auto name = r.string("overlap");
    if (!name)
        return std::nullopt;
    const auto policy = overlapPolicyFromName(*name);
    if (!policy)
        r.fail(QStringLiteral("overlap must be skip, buffer_one or allow_all (got \"%1\")")
                   .arg(*name));
    return policy;
}

QJsonValue optionalTime(const std::optional<qint64> &ms)
{
    return ms ? timeValue(*ms) : QJsonValue();
}

} // namespace

QJsonValue timeValue(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

QJsonObject toJson(const ScheduleDefinition &d)
{
    return QJsonObject{{QStringLiteral("name"), d.name},
                       {QStringLiteral("spec"), d.spec},
                       {QStringLiteral("time_zone"), d.timeZone},
                       {QStringLiteral("start_at"), optionalTime(d.startAtMs)},
                       {QStringLiteral("end_at"), optionalTime(d.endAtMs)},
                       {QStringLiteral("jitter_s"), d.jitterS},
                       {QStringLiteral("queue_id"), d.queueId},
                       {QStringLiteral("task"), Codec::toJson(d.task)},
                       {QStringLiteral("overlap"), overlapPolicyName(d.overlap)},
                       {QStringLiteral("catchup_window_s"), d.catchupWindowS},
                       {QStringLiteral("paused"), d.paused}};
}

QJsonObject toJson(const ScheduleFire &f)
{
    return QJsonObject{
        {QStringLiteral("schedule_id"), f.scheduleId},
        {QStringLiteral("fire_time"), timeValue(f.fireTimeMs)},
        {QStringLiteral("kind"), f.kind},
        {QStringLiteral("outcome"), f.outcome},
        {QStringLiteral("reason"), f.reason},
        {QStringLiteral("task_id"), f.taskId.isEmpty() ? QJsonValue() : QJsonValue(f.taskId)},
        // A run is the task the fire enqueued with its descendants: named by that root task.
        {QStringLiteral("run_id"), f.taskId.isEmpty() ? QJsonValue() : QJsonValue(f.taskId)},
        {QStringLiteral("recorded_at"), timeValue(f.recordedAtMs)}};
}

QJsonObject toJson(const ScheduleInfo &s)
{
    QJsonObject object = toJson(s.definition);
    object.insert(QStringLiteral("id"), s.id);
    object.insert(QStringLiteral("description"), s.description);
    object.insert(QStringLiteral("created_at"), timeValue(s.createdAtMs));
    object.insert(QStringLiteral("updated_at"), timeValue(s.updatedAtMs));
    object.insert(QStringLiteral("next_fire_at"), optionalTime(s.nextFireMs));
    object.insert(QStringLiteral("last_fire"), s.lastFire ? toJson(*s.lastFire) : QJsonValue());
    return object;
}

QJsonObject toJson(const SchedulePreview &p)
{
    QJsonArray times;
    for (qint64 ms : p.nextFiresMs)
        times.append(timeValue(ms));
    return QJsonObject{{QStringLiteral("description"), p.description},
                       {QStringLiteral("next_fires"), times}};
}

QJsonObject toJson(const BackfillResult &b)
{
    return QJsonObject{{QStringLiteral("started"), b.started},
                       {QStringLiteral("already_recorded"), b.alreadyRecorded},
                       {QStringLiteral("failed"), b.failed}};
}

QJsonObject toJson(const SchedulePreviewRequest &p)
{
    QJsonObject object{{QStringLiteral("spec"), p.spec},
                       {QStringLiteral("time_zone"), p.timeZone},
                       {QStringLiteral("count"), p.count}};
    if (p.startAtMs)
        object.insert(QStringLiteral("start_at"), timeValue(*p.startAtMs));
    if (p.endAtMs)
        object.insert(QStringLiteral("end_at"), timeValue(*p.endAtMs));
    if (p.afterMs)
        object.insert(QStringLiteral("after"), timeValue(*p.afterMs));
    return object;
}

QJsonObject toJson(const BackfillRequest &b)
{
    return QJsonObject{{QStringLiteral("from"), timeValue(b.fromMs)},
                       {QStringLiteral("to"), timeValue(b.toMs)}};
}

QJsonObject toJson(const SchedulePatch &p)
{
    QJsonObject o;
    if (p.name)
        o.insert(QStringLiteral("name"), *p.name);
    if (p.spec)
        o.insert(QStringLiteral("spec"), *p.spec);
    if (p.timeZone)
        o.insert(QStringLiteral("time_zone"), *p.timeZone);
    if (p.startAtMs)
        o.insert(QStringLiteral("start_at"), optionalTime(*p.startAtMs));
    if (p.endAtMs)
        o.insert(QStringLiteral("end_at"), optionalTime(*p.endAtMs));
    if (p.jitterS)
        o.insert(QStringLiteral("jitter_s"), *p.jitterS);
    if (p.queueId)
        o.insert(QStringLiteral("queue_id"), *p.queueId);
    if (p.task)
        o.insert(QStringLiteral("task"), Codec::toJson(*p.task));
    if (p.overlap)
        o.insert(QStringLiteral("overlap"), overlapPolicyName(*p.overlap));
    if (p.catchupWindowS)
        o.insert(QStringLiteral("catchup_window_s"), *p.catchupWindowS);
    if (p.paused)
        o.insert(QStringLiteral("paused"), *p.paused);
    return o;
}

Result<ScheduleDefinition> definitionFromJson(const QJsonObject &object)
{
    Reader r(object);
    ScheduleDefinition d;
    assign(d.name, r.string("name", true));
    assign(d.spec, r.string("spec", true));
    assign(d.timeZone, r.string("time_zone"));
    d.startAtMs = r.time("start_at");
    d.endAtMs = r.time("end_at");
    assign(d.jitterS, r.integer("jitter_s", 0, MaxJitterS));
    assign(d.queueId, r.string("queue_id", true));
    if (!r.has("task"))
        r.fail(QStringLiteral("task is required: the task each fire enqueues, like {\"type\": "
                              "\"nightly\", \"payload\": {}}"));
    if (auto task = readTemplate(r, "task"))
        d.task = *task;
    assign(d.overlap, readOverlap(r));
    assign(d.catchupWindowS, r.integer("catchup_window_s", 0, MaxCatchupS));
    assign(d.paused, r.boolean("paused"));
    return finished(r, d);
}

Result<SchedulePatch> patchFromJson(const QJsonObject &object)
{
    Reader r(object);
    SchedulePatch p;
    p.name = r.string("name");
    p.spec = r.string("spec");
    p.timeZone = r.string("time_zone");
    if (r.has("start_at"))
        p.startAtMs = r.time("start_at");
    if (r.has("end_at"))
        p.endAtMs = r.time("end_at");
    p.jitterS = r.integer("jitter_s", 0, MaxJitterS);
    p.queueId = r.string("queue_id");
    p.task = readTemplate(r, "task");
    p.overlap = readOverlap(r);
    p.catchupWindowS = r.integer("catchup_window_s", 0, MaxCatchupS);
    p.paused = r.boolean("paused");
    return finished(r, p);
}

Result<SchedulePreviewRequest> previewRequestFromJson(const QJsonObject &object)
{
    Reader r(object);
    SchedulePreviewRequest p;
    assign(p.spec, r.string("spec", true));
    assign(p.timeZone, r.string("time_zone"));
    p.startAtMs = r.time("start_at");
    p.endAtMs = r.time("end_at");
    p.afterMs = r.time("after");
    if (auto count = r.integer("count", 1, 50))
        p.count = int(*count);
    return finished(r, p);
}

Result<BackfillRequest> backfillFromJson(const QJsonObject &object)
{
    Reader r(object);
    BackfillRequest b;
    assign(b.fromMs, r.time("from", true));
    assign(b.toMs, r.time("to", true));
    if (auto error = r.finish())
        return std::unexpected(*error);
    if (b.toMs < b.fromMs)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("to must not be before from; swap them"));
    return b;
}

Result<ScheduleFire> fireFromJson(const QJsonObject &object)
{
    Reader r(object);
    ScheduleFire f;
    assign(f.scheduleId, r.string("schedule_id"));
    assign(f.fireTimeMs, r.time("fire_time", true));
    assign(f.kind, r.string("kind"));
    assign(f.outcome, r.string("outcome"));
    assign(f.reason, r.string("reason"));
    assign(f.taskId, r.string("task_id"));
    r.any("run_id");
    assign(f.recordedAtMs, r.time("recorded_at"));
    return finished(r, f);
}

Result<ScheduleInfo> scheduleFromJson(const QJsonObject &object)
{
    QJsonObject definition = object;
    ScheduleInfo s;
    Reader r(object);
    assign(s.id, r.string("id", true));
    assign(s.description, r.string("description"));
    assign(s.createdAtMs, r.time("created_at"));
    assign(s.updatedAtMs, r.time("updated_at"));
    s.nextFireMs = r.time("next_fire_at");
    if (auto last = r.object("last_fire")) {
        auto fire = fireFromJson(*last);
        if (!fire)
            return std::unexpected(fire.error());
        s.lastFire = *fire;
    }
    if (auto error = r.finish(); error && error->message.startsWith(u"unknown") == false)
        return std::unexpected(*error);
    for (const char *field :
         {"id", "description", "created_at", "updated_at", "next_fire_at", "last_fire"})
        definition.remove(QLatin1StringView(field));
    auto parsed = definitionFromJson(definition);
    if (!parsed)
        return std::unexpected(parsed.error());
    s.definition = *parsed;
    return s;
}

Result<SchedulePreview> previewFromJson(const QJsonObject &object)
{
    SchedulePreview p;
    p.description = object.value(QStringLiteral("description")).toString();
    for (const QJsonValue &value : object.value(QStringLiteral("next_fires")).toArray()) {
        const QDateTime time = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
        if (!time.isValid())
            return makeError(ErrorCode::Internal,
                             QStringLiteral("the server sent a fire time that is not a time: %1")
                                 .arg(value.toString()));
        p.nextFiresMs.append(time.toMSecsSinceEpoch());
    }
    return p;
}

Result<BackfillResult> backfillResultFromJson(const QJsonObject &object)
{
    BackfillResult b;
    b.started = object.value(QStringLiteral("started")).toInt();
    b.alreadyRecorded = object.value(QStringLiteral("already_recorded")).toInt();
    b.failed = object.value(QStringLiteral("failed")).toInt();
    return b;
}

} // namespace ScheduleCodec

} // namespace QueueDeck
