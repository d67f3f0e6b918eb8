// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// FaktoryService's MUTATE command: the tasks of a Faktory set (FaktoryMutation) are listed queue
// by queue, then each is killed, requeued or deleted with the engine's own task operations.
#include "faktoryconnection.h"
#include "faktorymutation.h"
#include "faktoryreply.h"
#include "faktoryservice.h"

namespace QueueDeck::Faktory {

// One MUTATE in progress.
struct FaktoryService::MutateRun
{
    FaktoryMutation mutation;
    QPointer<FaktoryConnection> connection;
    QStringList queueIds;
    QList<TaskState> states;
    qsizetype queueIndex = 0;
    qsizetype stateIndex = 0;
    QString cursor;
    QStringList taskIds; // what it applies to
    int pending = 0;
    std::optional<QString> error;

    void finishOne(const std::optional<Error> &failure)
    {
        // A task that changed meanwhile (it ran, was deleted, …) is passed over, as a set entry
        // that went away is in Faktory; the engine's other refusals are answered.
        if (failure && failure->code != ErrorCode::NotFound &&
            failure->code != ErrorCode::FailedPrecondition &&
            failure->code != ErrorCode::AlreadyExists && !error)
            error = failure->message;
        if (--pending == 0 && connection)
            connection->answer(error ? FaktoryReply::error(*error) : FaktoryReply::ok());
    }
};

void FaktoryService::mutate(FaktoryConnection *connection, const QByteArray &argument)
{
    auto parsed = FaktoryMutation::parse(argument);
    if (!parsed) {
        answerError(connection, parsed.error());
        return;
    }
    auto run = std::make_shared<MutateRun>();
    run->mutation = *parsed;
    run->connection = connection;
    run->states = parsed->states();
    m_engine.listQueues(m_options.environment)
        .then(this, [this, run](const Result<QList<QueueInfo>> &queues) {
            if (!queues) {
                if (run->connection)
                    answerError(run->connection, queues.error());
                return;
            }
            for (const QueueInfo &queue : *queues)
                run->queueIds.append(queue.id);
            mutateCollect(run);
        });
}

void FaktoryService::mutateCollect(std::shared_ptr<MutateRun> run)
{
    if (run->queueIndex >= run->queueIds.size()) {
        mutateApply(run);
        return;
    }
    TaskFilter filter;
    filter.state = run->states[run->stateIndex];
    filter.type = run->mutation.jobtype();
    filter.limit = 1000;
    filter.cursor = run->cursor;
    m_engine.listTasks(run->queueIds[run->queueIndex], filter)
        .then(this, [this, run](const Result<TaskPage> &page) {
            if (!page && page.error().code != ErrorCode::NotFound) { // a queue removed meanwhile
                if (run->connection)
                    answerError(run->connection, page.error());
                return;
            }
            if (page) {
                for (const TaskInfo &task : page->items) {
                    if (run->mutation.inTarget(task) && run->mutation.matches(task))
                        run->taskIds.append(task.id);
                }
            }
            if (page && !page->nextCursor.isEmpty()) {
                run->cursor = page->nextCursor;
            } else {
                run->cursor.clear();
                if (++run->stateIndex >= run->states.size()) {
                    run->stateIndex = 0;
                    ++run->queueIndex;
                }
            }
            mutateCollect(run);
        });
}

void FaktoryService::mutateApply(std::shared_ptr<MutateRun> run)
{
    using Command = FaktoryMutation::Command;
    const Command command = run->mutation.command();
    const bool dead = run->mutation.target() == FaktoryMutation::Target::Dead;
    // Killing what is dead already changes nothing.
    if (run->taskIds.isEmpty() || (command == Command::Kill && dead)) {
        if (run->connection)
            run->connection->answer(FaktoryReply::ok());
        return;
    }
    run->pending = int(run->taskIds.size());
    const auto deleted = [run](const Result<void> &result) {
        run->finishOne(result ? std::nullopt : std::optional<Error>(result.error()));
    };
    const auto done = [run](const Result<TaskInfo> &result) {
        run->finishOne(result ? std::nullopt : std::optional<Error>(result.error()));
    };
    for (const QString &taskId : std::as_const(run->taskIds)) {
        switch (command) {
        case Command::Clear:
        case Command::Discard:
            m_engine.deleteTask(taskId).then(this, deleted);
            break;
        case Command::Kill: // cancelled: finished, in the dead set, retryable
            m_engine.cancelTask(taskId).then(this, done);
            break;
        case Command::Requeue:
            if (dead) {
                m_engine.retryTask(taskId).then(this, done);
                break;
            }
            // A waiting task is queued now: cancelled, then retried at once, in the engine's
            // order, with its attempts starting again.
            m_engine.cancelTask(taskId).then(
                this, [this, taskId, run, done](const Result<TaskInfo> &cancelled) {
                    if (!cancelled) {
                        run->finishOne(cancelled.error());
                        return;
                    }
                    m_engine.retryTask(taskId).then(this, done);
                });
            break;
        }
    }
}

} // namespace QueueDeck::Faktory
