// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "scheduler.h"

#include "batchedengine.h"
#include "ids.h"
#include "validation.h"

#include <QCryptographicHash>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcScheduler, "queuedeck.scheduler", QtInfoMsg) // debug: on request

namespace QueueDeck {

namespace {

using Kind = BatchedEngine::Kind;

Error notFound(const QString &scheduleId)
{
    return Error{ErrorCode::NotFound,
                 QStringLiteral("no schedule with id %1; list them with GET /api/v1/schedules")
                     .arg(scheduleId),
                 {}};
}

Error invalid(QString message, const QString &field)
{
    return Error{ErrorCode::InvalidArgument, std::move(message),
                 QJsonObject{{QStringLiteral("field"), field}}};
}

// A spec error as the API shows it: the JSON field, then the part of the expression.
Error specError(const QString &spec, const Error &error)
{
    QJsonObject details{{QStringLiteral("field"), QStringLiteral("spec")}};
    if (error.details.contains(QStringLiteral("field")))
        details.insert(QStringLiteral("cron_field"), error.details.value(QStringLiteral("field")));
    if (error.details.contains(QStringLiteral("field_name")))
        details.insert(QStringLiteral("cron_field_name"),
                       error.details.value(QStringLiteral("field_name")));
    if (error.details.contains(QStringLiteral("part")))
        details.insert(QStringLiteral("part"), error.details.value(QStringLiteral("part")));
    return Error{ErrorCode::InvalidArgument,
                 QStringLiteral("spec \"%1\": %2").arg(spec, error.message), details};
}

Result<QTimeZone> zoneOf(const QString &name)
{
    if (name.isEmpty() || name == u"UTC")
        return QTimeZone::utc();
    const QTimeZone zone(name.toUtf8());
    if (!zone.isValid())
        return std::unexpected(
            invalid(QStringLiteral("time_zone \"%1\" is not a known IANA time zone; use a name "
                                   "such as Europe/Berlin, America/New_York or UTC")
                        .arg(name),
                    QStringLiteral("time_zone")));
    return zone;
}

// The same spread for the same fire after any restart: a hash, not a random draw.
qint64 jitterMs(const QString &scheduleId, qint64 fireTimeMs, qint64 jitterS)
{
    if (jitterS <= 0)
        return 0;
    const QByteArray key = scheduleId.toUtf8() + ':' + QByteArray::number(fireTimeMs);
    const QByteArray digest = QCryptographicHash::hash(key, QCryptographicHash::Sha256);
    quint64 value = 0;
    for (int i = 0; i < 8; ++i)
        value = (value << 8) | quint8(digest[i]);
    return qint64(value % quint64(jitterS * 1000 + 1));
}

std::optional<qint64> nextWithin(const ScheduleSpec &spec, const QTimeZone &zone,
                                 const ScheduleDefinition &definition, qint64 afterMs)
{
    if (definition.startAtMs)
        afterMs = qMax(afterMs, *definition.startAtMs - 1);
    const auto next = spec.nextFire(afterMs, zone);
    if (!next || (definition.endAtMs && *next > *definition.endAtMs))
        return std::nullopt;
    return next;
}

} // namespace

Scheduler::Scheduler(BatchedEngine &core) : m_core(core) {}

Scheduler::~Scheduler() = default;

// --- thread-safe calls ---

Scheduler::Reply<QList<ScheduleInfo>> Scheduler::list()
{
    return m_core.run<QList<ScheduleInfo>>(Kind::Read, [this]() -> Result<QList<ScheduleInfo>> {
        QList<ScheduleInfo> out;
        for (const State &state : std::as_const(m_schedules))
            out.append(describe(state));
        std::sort(out.begin(), out.end(), [](const ScheduleInfo &a, const ScheduleInfo &b) {
            return a.definition.name < b.definition.name;
        });
        return out;
    });
}

Scheduler::Reply<ScheduleInfo> Scheduler::get(QString scheduleId)
{
    return m_core.run<ScheduleInfo>(Kind::Read, [this, scheduleId]() -> Result<ScheduleInfo> {
        auto state = find(scheduleId);
        if (!state)
            return std::unexpected(state.error());
        return describe(**state);
    });
}

Scheduler::Reply<ScheduleInfo> Scheduler::create(ScheduleDefinition definition)
{
    return m_core.run<ScheduleInfo>(Kind::Write, [this, definition]() -> Result<ScheduleInfo> {
        if (auto valid = validate(definition, {}); !valid)
            return std::unexpected(valid.error());
        const qint64 t = m_core.now();
        State state;
        state.row.id = QStringLiteral("s_") + Ids::newQueueId().mid(2);
        state.row.definition = definition;
        state.row.cursorMs = t; // fires strictly after its creation
        state.row.createdAtMs = t;
        state.row.updatedAtMs = t;
        if (auto inserted = m_core.m_store->schedules().insertSchedule(state.row);
            m_core.failed(inserted))
            return std::unexpected(inserted.error());
        state.spec = *ScheduleSpec::parse(definition.spec);
        state.zone = *zoneOf(definition.timeZone);
        computeNext(state);
        const QString id = state.row.id;
        m_schedules.insert(id, std::move(state));
        return describe(m_schedules[id]);
    });
}

Scheduler::Reply<ScheduleInfo> Scheduler::update(QString scheduleId, SchedulePatch patch)
{
    return m_core.run<ScheduleInfo>(
        Kind::Write, [this, scheduleId, patch]() -> Result<ScheduleInfo> {
            auto found = find(scheduleId);
            if (!found)
                return std::unexpected(found.error());
            State &state = **found;
            const ScheduleDefinition changed = applyPatch(state.row.definition, patch);
            if (auto valid = validate(changed, scheduleId); !valid)
                return std::unexpected(valid.error());
            const ScheduleDefinition &before = state.row.definition;
            // A new rule, or a schedule taken out of its pause, goes on from now: no catch-up of
            // times the old rule or the pause covered.
            if (changed.spec != before.spec || changed.timeZone != before.timeZone ||
                changed.startAtMs != before.startAtMs || (before.paused && !changed.paused))
                state.row.cursorMs = qMax(state.row.cursorMs, m_core.now());
            state.row.definition = changed;
            if (auto saved = save(state); !saved)
                return std::unexpected(saved.error());
            return describe(state);
        });
}

Scheduler::Reply<void> Scheduler::remove(QString scheduleId)
{
    return m_core.run<void>(Kind::Write, [this, scheduleId]() -> Result<void> {
        if (auto found = find(scheduleId); !found)
            return std::unexpected(found.error());
        if (auto deleted = m_core.m_store->schedules().deleteSchedule(scheduleId);
            m_core.failed(deleted))
            return deleted;
        m_schedules.remove(scheduleId);
        return {};
    });
}

Scheduler::Reply<ScheduleInfo> Scheduler::pause(QString scheduleId)
{
    SchedulePatch patch;
    patch.paused = true;
    return update(std::move(scheduleId), patch);
}

Scheduler::Reply<ScheduleInfo> Scheduler::resume(QString scheduleId)
{
    SchedulePatch patch;
    patch.paused = false;
    return update(std::move(scheduleId), patch);
}

Scheduler::Reply<ScheduleFire> Scheduler::trigger(QString scheduleId)
{
    return m_core.run<ScheduleFire>(Kind::Write, [this, scheduleId]() -> Result<ScheduleFire> {
        auto found = find(scheduleId);
        if (!found)
            return std::unexpected(found.error());
        // A fire time of its own: the first free millisecond from now.
        qint64 t = m_core.now();
        for (;; ++t) {
            auto existing = m_core.m_store->schedules().loadFire(scheduleId, t);
            if (m_core.failed(existing))
                return std::unexpected(existing.error());
            if (!existing->has_value())
                break;
        }
        return fire(**found, t, QStringLiteral("manual"), false);
    });
}

Scheduler::Reply<BackfillResult> Scheduler::backfill(QString scheduleId, BackfillRequest request)
{
    return m_core.run<BackfillResult>(
        Kind::Write, [this, scheduleId, request]() -> Result<BackfillResult> {
            auto found = find(scheduleId);
            if (!found)
                return std::unexpected(found.error());
            State &state = **found;
            if (!state.spec)
                return std::unexpected(invalid(QStringLiteral("the schedule's spec cannot be read; "
                                                              "update it first"),
                                               QStringLiteral("spec")));
            if (request.toMs > m_core.now())
                return std::unexpected(invalid(
                    QStringLiteral("to is in the future; a backfill covers fire times that passed"),
                    QStringLiteral("to")));
            QList<qint64> times;
            for (auto t =
                     nextWithin(*state.spec, state.zone, state.row.definition, request.fromMs - 1);
                 t && *t <= request.toMs;
                 t = nextWithin(*state.spec, state.zone, state.row.definition, *t)) {
                if (times.size() == MaxBackfillFires)
                    return std::unexpected(
                        invalid(QStringLiteral(
                                    "the range holds more than %1 fire times; backfill a shorter "
                                    "range at a time")
                                    .arg(MaxBackfillFires),
                                QStringLiteral("to")));
                times.append(*t);
            }
            BackfillResult result;
            auto &store = m_core.m_store->schedules();
            for (qint64 t : std::as_const(times)) {
                auto existing = store.loadFire(scheduleId, t);
                if (m_core.failed(existing))
                    return std::unexpected(existing.error());
                ScheduleFire done;
                if (!existing->has_value()) {
                    auto fired = fire(state, t, QStringLiteral("backfill"), false);
                    if (!fired)
                        return std::unexpected(fired.error());
                    done = *fired;
                } else if ((*existing)->outcome == u"missed") {
                    // A missed fire's record is the one record of its time: it now starts.
                    done = **existing;
                    done.kind = QStringLiteral("backfill");
                    if (auto started = start(state, done); !started)
                        return std::unexpected(started.error());
                } else {
                    ++result.alreadyRecorded;
                    continue;
                }
                if (done.outcome == u"started")
                    ++result.started;
                else
                    ++result.failed;
            }
            return result;
        });
}

Scheduler::Reply<QList<ScheduleFire>> Scheduler::fires(QString scheduleId,
                                                       std::optional<qint64> beforeMs, int limit)
{
    return m_core.run<QList<ScheduleFire>>(
        Kind::Read, [this, scheduleId, beforeMs, limit]() -> Result<QList<ScheduleFire>> {
            if (auto found = find(scheduleId); !found)
                return std::unexpected(found.error());
            auto fires = m_core.m_store->schedules().listFires(scheduleId, beforeMs, limit);
            if (m_core.failed(fires))
                return std::unexpected(fires.error());
            return *fires;
        });
}

Scheduler::Reply<SchedulePreview> Scheduler::preview(SchedulePreviewRequest request)
{
    return m_core.run<SchedulePreview>(Kind::Read, [this, request]() -> Result<SchedulePreview> {
        auto spec = ScheduleSpec::parse(request.spec);
        if (!spec)
            return std::unexpected(specError(request.spec, spec.error()));
        auto zone = zoneOf(request.timeZone);
        if (!zone)
            return std::unexpected(zone.error());
        ScheduleDefinition bounds;
        bounds.startAtMs = request.startAtMs;
        bounds.endAtMs = request.endAtMs;
        SchedulePreview preview;
        preview.description = spec->describe(*zone);
        qint64 t = request.afterMs.value_or(m_core.now());
        for (int i = 0; i < request.count; ++i) {
            const auto next = nextWithin(*spec, *zone, bounds, t);
            if (!next)
                break;
            preview.nextFiresMs.append(*next);
            t = *next;
        }
        return preview;
    });
}

// --- engine thread ---

Result<Scheduler::State *> Scheduler::find(const QString &scheduleId)
{
    const auto it = m_schedules.find(scheduleId);
    if (it == m_schedules.end())
        return std::unexpected(notFound(scheduleId));
    return &*it;
}

Result<void> Scheduler::validate(const ScheduleDefinition &d, const QString &scheduleId) const
{
    if (auto name = Validation::name(d.name, "name"); !name)
        return name;
    for (const State &other : m_schedules) {
        if (other.row.id != scheduleId && other.row.definition.name == d.name)
            return makeError(ErrorCode::AlreadyExists,
                             QStringLiteral("a schedule named \"%1\" exists (%2); choose another "
                                            "name or change that one")
                                 .arg(d.name, other.row.id),
                             QJsonObject{{QStringLiteral("field"), QStringLiteral("name")}});
    }
    if (auto spec = ScheduleSpec::parse(d.spec); !spec)
        return std::unexpected(specError(d.spec, spec.error()));
    if (auto zone = zoneOf(d.timeZone); !zone)
        return std::unexpected(zone.error());
    if (d.startAtMs && d.endAtMs && *d.endAtMs < *d.startAtMs)
        return std::unexpected(
            invalid(QStringLiteral("end_at is before start_at; swap them or drop one"),
                    QStringLiteral("end_at")));
    if (d.jitterS < 0 || d.catchupWindowS < 0)
        return std::unexpected(invalid(
            QStringLiteral("jitter_s and catchup_window_s must be 0 or more"),
            d.jitterS < 0 ? QStringLiteral("jitter_s") : QStringLiteral("catchup_window_s")));
    if (!m_core.findQueue(d.queueId))
        return std::unexpected(m_core.missingQueue(d.queueId));
    if (auto task = Validation::enqueue(d.task, m_core.options().maxPayloadBytes); !task) {
        Error error = task.error();
        error.message = QStringLiteral("task: ") + error.message;
        return std::unexpected(error);
    }
    return {};
}

ScheduleInfo Scheduler::describe(const State &state) const
{
    ScheduleInfo info;
    info.id = state.row.id;
    info.definition = state.row.definition;
    info.description = state.spec ? state.spec->describe(state.zone) : QString();
    info.createdAtMs = state.row.createdAtMs;
    info.updatedAtMs = state.row.updatedAtMs;
    if (!state.row.definition.paused)
        info.nextFireMs = state.next;
    info.lastFire = state.lastFire;
    return info;
}

void Scheduler::computeNext(State &state) const
{
    if (!state.spec) {
        state.next.reset();
        return;
    }
    state.next = nextWithin(*state.spec, state.zone, state.row.definition, state.row.cursorMs);
}

Result<void> Scheduler::save(State &state)
{
    state.row.updatedAtMs = m_core.now();
    if (auto saved = m_core.m_store->schedules().updateSchedule(state.row); m_core.failed(saved))
        return saved;
    state.spec = *ScheduleSpec::parse(state.row.definition.spec);
    state.zone = *zoneOf(state.row.definition.timeZone);
    computeNext(state);
    return {};
}

Result<void> Scheduler::load()
{
    m_schedules.clear();
    auto &store = m_core.m_store->schedules();
    auto rows = store.loadSchedules();
    if (!rows)
        return std::unexpected(rows.error());
    for (const ScheduleRow &row : std::as_const(*rows)) {
        State state;
        state.row = row;
        auto spec = ScheduleSpec::parse(row.definition.spec);
        auto zone = zoneOf(row.definition.timeZone);
        if (!spec || !zone) {
            // Kept, so that it can be mended or deleted, but it never fires.
            qCWarning(lcScheduler)
                << "schedule" << row.id
                << "cannot fire:" << (spec ? zone.error().message : spec.error().message);
            state.row.definition.paused = true;
        } else {
            state.spec = *spec;
            state.zone = *zone;
            computeNext(state);
        }
        auto last = store.latestFire(row.id, {});
        auto withTask = store.latestFire(row.id, QStringLiteral("task"));
        auto buffered = store.latestFire(row.id, QStringLiteral("buffered"));
        if (!last || !withTask || !buffered)
            return std::unexpected(!last       ? last.error()
                                   : !withTask ? withTask.error()
                                               : buffered.error());
        state.lastFire = *last;
        if (*withTask)
            state.lastTaskId = (*withTask)->taskId;
        if (*buffered)
            state.bufferedFireMs = (*buffered)->fireTimeMs;
        m_schedules.insert(row.id, std::move(state));
    }
    return {};
}

std::optional<qint64> Scheduler::nextDueMs() const
{
    const qint64 t = m_core.now();
    if (t < m_retryAtMs)
        return m_retryAtMs;
    if (m_behind)
        return t;
    std::optional<qint64> due;
    for (const State &state : m_schedules) {
        if (state.row.definition.paused)
            continue;
        if (state.bufferedFireMs)
            due = qMin(due.value_or(t + 1000), t + 1000); // the previous run may end any moment
        if (state.next)
            due = qMin(due.value_or(*state.next), *state.next);
    }
    return due;
}

Result<bool> Scheduler::previousRunActive(const State &state)
{
    if (state.lastTaskId.isEmpty())
        return false;
    // The fire's task is the root of its run: the run is active while it or any task it
    // enqueued is unfinished (a root held back by max_active_runs counts as active too). The
    // engine keeps unfinished runs in memory, so this reads nothing from the store.
    const auto root = Ids::parseTaskId(state.lastTaskId);
    return root && m_core.m_runs.contains(root->seq);
}

Result<bool> Scheduler::record(State &state, ScheduleFire &fire)
{
    fire.scheduleId = state.row.id;
    fire.recordedAtMs = m_core.now();
    auto inserted = m_core.m_store->schedules().insertFire(fire);
    if (m_core.failed(inserted))
        return std::unexpected(inserted.error());
    if (!*inserted) {
        // Recorded before (a restart, a clock jump, a backfill): exactly once, so nothing more.
        auto existing = m_core.m_store->schedules().loadFire(state.row.id, fire.fireTimeMs);
        if (m_core.failed(existing))
            return std::unexpected(existing.error());
        if (existing->has_value())
            fire = **existing;
        return false;
    }
    state.lastFire = fire;
    return true;
}

Result<void> Scheduler::start(State &state, ScheduleFire &fire)
{
    EnqueueRequest request = state.row.definition.task;
    if (const qint64 jitter = jitterMs(state.row.id, fire.fireTimeMs, state.row.definition.jitterS);
        jitter > 0) {
        request.runAtMs = fire.fireTimeMs + jitter + request.delayMs.value_or(0);
        request.delayMs.reset();
    }
    auto task = m_core.enqueue(state.row.definition.queueId, request);
    if (!task && m_core.m_storeFailed)
        return std::unexpected(task.error()); // the whole fire is undone and tried again
    fire.recordedAtMs = m_core.now();
    if (task) {
        fire.outcome = QStringLiteral("started");
        fire.taskId = task->id;
        state.lastTaskId = task->id;
    } else {
        fire.outcome = QStringLiteral("failed_to_enqueue");
        fire.reason = task.error().message;
    }
    if (auto updated = m_core.m_store->schedules().updateFire(fire); m_core.failed(updated))
        return updated;
    state.lastFire = fire;
    return {};
}

Result<ScheduleFire> Scheduler::fire(State &state, qint64 fireTimeMs, const QString &kind,
                                     bool overlap)
{
    ScheduleFire fire;
    fire.fireTimeMs = fireTimeMs;
    fire.kind = kind;
    fire.outcome = QStringLiteral("started");
    bool buffer = false;
    if (overlap && state.row.definition.overlap != OverlapPolicy::AllowAll) {
        auto active = previousRunActive(state);
        if (!active)
            return std::unexpected(active.error());
        if (*active) {
            if (state.row.definition.overlap == OverlapPolicy::BufferOne && !state.bufferedFireMs) {
                fire.outcome = QStringLiteral("buffered");
                fire.reason = QStringLiteral("waits for run %1 to finish").arg(state.lastTaskId);
                buffer = true;
            } else {
                fire.outcome = QStringLiteral("skipped_overlap");
                fire.reason =
                    state.row.definition.overlap == OverlapPolicy::BufferOne
                        ? QStringLiteral("run %1 is still active and a fire already waits")
                              .arg(state.lastTaskId)
                        : QStringLiteral("run %1 of the previous fire is still active")
                              .arg(state.lastTaskId);
            }
        }
    }
    auto inserted = record(state, fire);
    if (!inserted)
        return std::unexpected(inserted.error());
    if (!*inserted)
        return fire; // recorded before: nothing more to do
    if (buffer) {
        state.bufferedFireMs = fireTimeMs;
        return fire;
    }
    if (fire.outcome != u"started")
        return fire;
    if (auto done = start(state, fire); !done)
        return std::unexpected(done.error());
    return fire;
}

bool Scheduler::inOperation(const std::function<Result<void>()> &work)
{
    if (auto began = m_core.m_store->beginOperation(); !began)
        return false;
    m_core.m_storeFailed = false;
    const Result<void> done = work();
    m_core.m_store->endOperation(done.has_value());
    if (!done) {
        qCWarning(lcScheduler) << "a schedule's fire failed and is tried again:"
                               << done.error().message;
        m_core.m_reloadAfterBatch = m_core.m_reloadAfterBatch || m_core.m_storeFailed;
        return false;
    }
    return true;
}

void Scheduler::runDue()
{
    const qint64 t = m_core.now();
    m_behind = false;
    auto &store = m_core.m_store->schedules();
    const QStringList ids = m_schedules.keys();
    for (const QString &id : ids) {
        State &state = m_schedules[id];
        if (state.row.definition.paused)
            continue;
        // A buffered fire starts once the run before it has ended.
        if (state.bufferedFireMs) {
            const bool ok = inOperation([&]() -> Result<void> {
                auto active = previousRunActive(state);
                if (!active)
                    return std::unexpected(active.error());
                if (*active)
                    return {};
                auto buffered = store.loadFire(id, *state.bufferedFireMs);
                if (m_core.failed(buffered))
                    return std::unexpected(buffered.error());
                state.bufferedFireMs.reset();
                if (!buffered->has_value() || (*buffered)->outcome != u"buffered")
                    return {};
                ScheduleFire fire = **buffered;
                fire.reason = QStringLiteral("started when the previous run ended");
                return start(state, fire);
            });
            if (!ok) {
                m_retryAtMs = t + 1000;
                return;
            }
        }
        const qint64 window = state.row.definition.catchupWindowS * 1000;
        for (int turn = 0; state.next && *state.next <= t; ++turn) {
            if (turn == MaxFiresPerTurn) {
                m_behind = true;
                break;
            }
            const qint64 fireTime = *state.next;
            const State before = state;
            const bool ok = inOperation([&]() -> Result<void> {
                if (fireTime < t - window) {
                    ScheduleFire missed;
                    missed.fireTimeMs = fireTime;
                    missed.kind = QStringLiteral("scheduled");
                    missed.outcome = QStringLiteral("missed");
                    missed.reason =
                        QStringLiteral("older than the catch-up window (%1 s) when the server "
                                       "could fire it")
                            .arg(state.row.definition.catchupWindowS);
                    if (auto recorded = record(state, missed); !recorded)
                        return std::unexpected(recorded.error());
                } else if (auto fired = fire(state, fireTime, QStringLiteral("scheduled"), true);
                           !fired) {
                    return std::unexpected(fired.error());
                }
                // The cursor moves in the same savepoint as the record.
                state.row.cursorMs = fireTime;
                if (auto moved = store.setCursor(id, fireTime); m_core.failed(moved))
                    return moved;
                return {};
            });
            if (!ok) {
                state = before; // memory as the store has it; tried again in a second
                m_retryAtMs = t + 1000;
                return;
            }
            computeNext(state);
        }
    }
    if (t >= m_nextPruneMs) {
        m_nextPruneMs = t + 3600 * 1000;
        inOperation([&]() -> Result<void> {
            auto pruned = store.deleteFiresBefore(t - FireHistoryMs);
            if (m_core.failed(pruned))
                return std::unexpected(pruned.error());
            return {};
        });
    }
}

} // namespace QueueDeck
