// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/error.h"
#include "protocol/scheduletypes.h"
#include "schedulespec.h"
#include "schedulestore.h"

#include <QFuture>
#include <QHash>
#include <QTimeZone>

#include <optional>

namespace QueueDeck {

class BatchedEngine;

// Schedules (design §10, docs/schedules.md): cron and interval rules that enqueue a task template
// into a queue, each fire recorded exactly once.
//
// Thread rule: the public methods returning futures are thread-safe; they run as operations of
// the engine's batches on the engine thread and are answered after the commit, like Engine's.
// Everything else — load(), runDue(), nextDueMs() and all state — belongs to the engine thread
// and is called by BatchedEngine only. Time is the engine's injected clock: a ManualClock moves
// schedules exactly as it moves the rest of the engine.
//
// Exactly once: a fire inserts its (schedule, fire time) record — unique in the store — and
// enqueues its task in the same savepoint of the same transaction; the schedule's cursor moves in
// it too. A fire already recorded (after a restart, a clock jump backwards, a backfill) inserts
// nothing and enqueues nothing.
class Scheduler final
{
    Q_DISABLE_COPY_MOVE(Scheduler)
public:
    template <typename T> using Reply = QFuture<Result<T>>;

    // core: the engine this scheduler belongs to; it owns the scheduler.
    explicit Scheduler(BatchedEngine &core);
    ~Scheduler();

    Reply<QList<ScheduleInfo>> list();
    Reply<ScheduleInfo> get(QString scheduleId);
    Reply<ScheduleInfo> create(ScheduleDefinition definition);
    Reply<ScheduleInfo> update(QString scheduleId, SchedulePatch patch);
    Reply<void> remove(QString scheduleId);
    Reply<ScheduleInfo> pause(QString scheduleId);
    // Fires missed while paused are not caught up: the schedule goes on from now.
    Reply<ScheduleInfo> resume(QString scheduleId);
    // Fires now, whatever the overlap policy (an operator asked for it); the fire's kind is manual.
    Reply<ScheduleFire> trigger(QString scheduleId);
    // Fires every fire time of the spec in [from, to] (≤ now) that has no record, and those
    // recorded as missed; others are left as they are. The overlap policy does not apply.
    Reply<BackfillResult> backfill(QString scheduleId, BackfillRequest request);
    // Newest first, before the given fire time when set.
    Reply<QList<ScheduleFire>> fires(QString scheduleId, std::optional<qint64> beforeMs, int limit);
    // The next fire times of a spec that is not saved, or the error that points at its mistake.
    Reply<SchedulePreview> preview(SchedulePreviewRequest request);

    // --- engine thread, called by BatchedEngine ---
    // (Re)loads every schedule from the store, inside or outside a batch.
    Result<void> load();
    // Handles what is due at the clock's time, each fire in an operation of its own. Inside a
    // batch.
    void runDue();
    // When runDue() has something to do next, or nothing.
    std::optional<qint64> nextDueMs() const;

    static constexpr int MaxBackfillFires = 1000;
    static constexpr int MaxFiresPerTurn = 1000; // per schedule and runDue(); more next turn
    static constexpr qint64 FireHistoryMs = 30LL * 24 * 3600 * 1000; // older records go

private:
    struct State
    {
        ScheduleRow row;
        std::optional<ScheduleSpec> spec;
        QTimeZone zone;
        std::optional<qint64> next; // the next fire time after the cursor
        QString lastTaskId;         // the task of the newest fire that enqueued one
        std::optional<qint64> bufferedFireMs;
        std::optional<ScheduleFire> lastFire;
    };

    Result<State *> find(const QString &scheduleId);
    Result<void> validate(const ScheduleDefinition &definition, const QString &scheduleId) const;
    ScheduleInfo describe(const State &state) const;
    void computeNext(State &state) const;
    Result<void> save(State &state);

    // The overlap rule's one question: is the run the schedule's previous fire started still
    // active? Until runs exist, that run is the task the fire enqueued, active while unfinished.
    Result<bool> previousRunActive(const State &state);

    // Records and carries out one fire inside the current operation. overlap: apply the policy.
    Result<ScheduleFire> fire(State &state, qint64 fireTimeMs, const QString &kind, bool overlap);
    // Enqueues the fire's task and completes its record (started or failed_to_enqueue).
    Result<void> start(State &state, ScheduleFire &fire);
    // Inserts the fire's record; false when its time was recorded before (fire then holds that
    // record).
    Result<bool> record(State &state, ScheduleFire &fire);
    // One unit of due work in a savepoint of its own; false when the store failed.
    bool inOperation(const std::function<Result<void>()> &work);

    BatchedEngine &m_core;
    QHash<QString, State> m_schedules;
    bool m_behind = false;  // more fires were due than one turn handles
    qint64 m_retryAtMs = 0; // after a failed fire, the next try
    qint64 m_nextPruneMs = 0;
};

} // namespace QueueDeck
