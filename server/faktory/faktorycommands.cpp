// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The Faktory commands after HELLO: what each asks of the engine and how it is answered.
#include "faktoryconnection.h"
#include "faktoryjob.h"
#include "faktoryreply.h"
#include "faktoryservice.h"

#include "ids.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTimer>

namespace QueueDeck::Faktory {

namespace {

QJsonObject parseObject(const QByteArray &argument, bool *ok)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(argument, &error);
    *ok = error.error == QJsonParseError::NoError && document.isObject();
    return document.object();
}

QByteArray stateReply(const char *state)
{
    return FaktoryReply::bulk(QByteArray(R"({"state":")") + state + "\"}");
}

// Counts answers of calls made together and runs finish after the last one.
struct Countdown
{
    int remaining = 0;
    std::optional<QString> firstError;
    std::function<void(std::optional<QString>)> finish;
    void done(const std::optional<QString> &error)
    {
        if (error && !firstError)
            firstError = error;
        if (--remaining == 0)
            finish(firstError);
    }
};

} // namespace

void FaktoryService::answerError(FaktoryConnection *connection, const Error &error)
{
    connection->answer(FaktoryReply::error(error.message));
}

void FaktoryService::resolveQueues(QStringList names, QueueIdsCallback done, QStringList resolved,
                                   bool retried)
{
    while (resolved.size() < names.size()) {
        const auto cached = m_queueIds.constFind(names[resolved.size()]);
        if (cached == m_queueIds.cend())
            break;
        resolved.append(*cached);
    }
    if (resolved.size() == names.size()) {
        done(resolved);
        return;
    }
    const QString name = names[resolved.size()];
    m_engine.queueByName(m_options.environment, name)
        .then(this, [this, names, done, resolved, retried, name](const Result<QueueInfo> &found) {
            if (found) {
                m_queueIds.insert(name, found->id);
                resolveQueues(names, done, resolved, retried);
                return;
            }
            if (found.error().code != ErrorCode::NotFound || retried) {
                done(std::unexpected(found.error()));
                return;
            }
            // Created on demand, with Faktory's defaults: reserve_for 1800 s, a worker lost
            // after 60 s without a BEAT.
            QueueSettings settings;
            settings.description = QStringLiteral("Created by a Faktory client");
            settings.taskTimeoutS = 1800;
            settings.workerTimeoutS = 60;
            m_engine.createQueue(m_options.environment, name, settings)
                .then(this, [this, names, done, resolved, name](const Result<QueueInfo> &made) {
                    if (made) {
                        m_queueIds.insert(name, made->id);
                    } else if (made.error().code != ErrorCode::AlreadyExists) {
                        done(std::unexpected(made.error()));
                        return;
                    }
                    resolveQueues(names, done, resolved, true);
                });
        });
}

void FaktoryService::pushOne(const QJsonObject &job,
                             std::function<void(QString, std::optional<QString>)> done)
{
    auto parsed = FaktoryJob::fromJson(job, QDateTime::currentMSecsSinceEpoch());
    if (!parsed) {
        done(job.value(u"jid").toString(), parsed.error().message);
        return;
    }
    const FaktoryPush push = *parsed;
    resolveQueues({push.queue}, [this, push, done](const Result<QStringList> &ids) {
        if (!ids) {
            done(push.jid, ids.error().message);
            return;
        }
        m_engine.enqueue(ids->first(), push.request)
            .then(this, [this, push, done](const Result<TaskInfo> &task) {
                if (!task) {
                    if (task.error().code == ErrorCode::NotFound)
                        m_queueIds.remove(push.queue); // removed meanwhile: made again next time
                    done(push.jid, task.error().message);
                    return;
                }
                done(push.jid, std::nullopt);
            });
    });
}

void FaktoryService::push(FaktoryConnection *connection, const QByteArray &argument)
{
    bool ok = false;
    const QJsonObject job = parseObject(argument, &ok);
    if (!ok) {
        connection->answer(FaktoryReply::error(QStringLiteral("PUSH needs a job as a JSON hash")));
        return;
    }
    QPointer<FaktoryConnection> guard(connection);
    pushOne(job, [guard](const QString &, const std::optional<QString> &error) {
        if (guard)
            guard->answer(error ? FaktoryReply::error(*error) : FaktoryReply::ok());
    });
}

void FaktoryService::pushBulk(FaktoryConnection *connection, const QByteArray &argument)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(argument, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isArray()) {
        connection->answer(FaktoryReply::error(QStringLiteral("PUSHB needs a JSON array of jobs")));
        return;
    }
    const QJsonArray jobs = document.array();
    if (jobs.isEmpty()) {
        connection->answer(FaktoryReply::bulk("{}"));
        return;
    }
    // Each job on its own: one refused job does not hold back the others.
    QPointer<FaktoryConnection> guard(connection);
    auto errors = std::make_shared<QJsonObject>();
    auto countdown = std::make_shared<Countdown>();
    countdown->remaining = int(jobs.size());
    countdown->finish = [guard, errors](const std::optional<QString> &) {
        if (guard)
            guard->answer(
                FaktoryReply::bulk(QJsonDocument(*errors).toJson(QJsonDocument::Compact)));
    };
    for (qsizetype i = 0; i < jobs.size(); ++i) {
        if (!jobs[i].isObject()) {
            errors->insert(QStringLiteral("#%1").arg(i), QStringLiteral("not a JSON hash"));
            countdown->done(std::nullopt);
            continue;
        }
        pushOne(jobs[i].toObject(),
                [errors, countdown](const QString &jid, const std::optional<QString> &error) {
                    if (error)
                        errors->insert(jid.isEmpty() ? QStringLiteral("(no jid)") : jid, *error);
                    countdown->done(std::nullopt);
                });
    }
}

void FaktoryService::fetch(FaktoryConnection *connection, const QByteArray &argument)
{
    if (connection->wid.isEmpty()) {
        connection->answer(
            FaktoryReply::error(QStringLiteral("FETCH is for consumers: give a wid in HELLO")));
        return;
    }
    QPointer<FaktoryConnection> guard(connection);
    const QString wid = connection->wid;
    if (m_workers[wid].state != Worker::State::Running) {
        // Quiet or terminating: no new jobs; answer empty after the usual wait.
        QTimer::singleShot(m_options.fetchWaitMs, this, [guard] {
            if (guard)
                guard->answer(FaktoryReply::null());
        });
        return;
    }
    QStringList names = QString::fromUtf8(argument).split(u' ', Qt::SkipEmptyParts);
    names.removeDuplicates();
    if (names.isEmpty())
        names = {QStringLiteral("default")};
    resolveQueues(names, [this, guard, wid](const Result<QStringList> &ids) {
        if (!guard)
            return;
        if (!ids) {
            answerError(guard, ids.error());
            return;
        }
        ensureRegistered(wid, *ids, [this, guard, wid, ids](const std::optional<Error> &error) {
            if (!guard)
                return;
            if (error) {
                answerError(guard, *error);
                return;
            }
            leaseFor(guard, wid, *ids);
        });
    });
}

void FaktoryService::ensureRegistered(const QString &wid, const QStringList &queueIds,
                                      std::function<void(const std::optional<Error> &)> done)
{
    Worker &worker = m_workers[wid];
    for (const QString &id : queueIds) {
        if (!worker.wanted.contains(id))
            worker.wanted.append(id);
    }
    auto covered = [&worker](const QStringList &ids) {
        return std::all_of(ids.cbegin(), ids.cend(),
                           [&worker](const QString &id) { return worker.queueIds.contains(id); });
    };
    if (worker.registered && covered(queueIds)) {
        done(std::nullopt);
        return;
    }
    worker.waiting.append(std::move(done));
    if (!worker.registering)
        registerWorker(wid);
}

void FaktoryService::registerWorker(const QString &wid)
{
    Worker &worker = m_workers[wid];
    worker.registering = true;
    RegisterRequest request;
    request.workerId = worker.workerId;
    request.queueIds = worker.wanted;
    request.hostname = worker.hostname;
    request.pid = worker.pid;
    request.version = QStringLiteral("faktory");
    request.labels = worker.labels;
    request.capabilities = QJsonObject{{QStringLiteral("protocol"), QStringLiteral("faktory")}};
    m_engine.registerWorker(request).then(
        this, [this, wid, asked = request.queueIds](const Result<Registration> &registered) {
            Worker &worker = m_workers[wid];
            worker.registering = false;
            if (registered) {
                worker.registered = true;
                worker.queueIds = asked;
                if (worker.wanted.size() > asked.size()) { // more queues were named meanwhile
                    registerWorker(wid);
                    return;
                }
            }
            const auto waiting = std::exchange(worker.waiting, {});
            for (const auto &callback : waiting)
                callback(registered ? std::nullopt : std::optional<Error>(registered.error()));
            if (!registered) {
                worker.wanted = worker.queueIds;
                if (registered.error().code == ErrorCode::NotFound)
                    m_queueIds.clear(); // a queue went away: look the names up again
            }
        });
}

void FaktoryService::leaseFor(QPointer<FaktoryConnection> connection, const QString &wid,
                              const QStringList &queueIds)
{
    const QString workerId = m_workers[wid].workerId;
    LeaseRequest request;
    request.workerId = workerId;
    request.max = 1;
    request.waitMs = m_options.fetchWaitMs;
    request.queueOrder = queueIds;
    m_engine.lease(request, connection->withdrawn)
        .then(this, [this, connection, wid, workerId](const Result<QList<LeasedTask>> &leased) {
            if (!leased) {
                if (leased.error().code == ErrorCode::NotFound)
                    m_workers[wid].registered = false; // removed: BEAT says terminate
                if (connection)
                    answerError(connection, leased.error());
                return;
            }
            if (leased->isEmpty()) {
                if (connection)
                    connection->answer(FaktoryReply::null());
                return;
            }
            if (!connection || connection->isGone()) {
                // The client left while it waited: the job goes back, its attempt given back.
                m_engine.abandonLeases(workerId, *leased);
                return;
            }
            const LeasedTask task = leased->first();
            const QJsonObject job = QJsonDocument::fromJson(task.payload).object();
            const QString jid = job.value(u"jid").toString(task.id);
            m_inFlight.insert(
                jid, InFlight{wid, task.id, task.leaseId, FaktoryJob::retryOf(task.payload)});
            if (task.attempt <= 1) {
                connection->answer(FaktoryReply::bulk(task.payload));
                return;
            }
            // A retry: the job carries its previous failure, as Faktory's does.
            m_engine.task(task.id).then(
                this, [this, connection, task, workerId](const Result<TaskInfo> &info) {
                    if (!connection || connection->isGone()) {
                        m_engine.abandonLeases(workerId, {task});
                        return;
                    }
                    connection->answer(FaktoryReply::bulk(FaktoryJob::forFetch(
                        task.payload, task.attempt, info ? info->lastError : QString())));
                });
        });
}

void FaktoryService::ack(FaktoryConnection *connection, const QByteArray &argument)
{
    bool ok = false;
    const QString jid = parseObject(argument, &ok).value(u"jid").toString();
    if (!ok || jid.isEmpty()) {
        connection->answer(FaktoryReply::error(QStringLiteral("ACK needs {\"jid\":\"…\"}")));
        return;
    }
    const auto found = m_inFlight.constFind(jid);
    if (found == m_inFlight.cend()) {
        connection->answer(
            FaktoryReply::error(QStringLiteral("Job not found %1: it is not running").arg(jid)));
        return;
    }
    CompleteRequest request;
    request.workerId = m_workers.value(found->wid).workerId;
    request.acks = {TaskAck{found->taskId, found->leaseId, {}}};
    QPointer<FaktoryConnection> guard(connection);
    m_engine.complete(request).then(this,
                                    [this, guard, jid](const Result<QList<ItemOutcome>> &outcomes) {
                                        if (outcomes)
                                            m_inFlight.remove(jid);
                                        if (!guard)
                                            return;
                                        if (!outcomes)
                                            answerError(guard, outcomes.error());
                                        else if (!outcomes->isEmpty() && outcomes->first().error)
                                            answerError(guard, *outcomes->first().error);
                                        else
                                            guard->answer(FaktoryReply::ok());
                                    });
}

void FaktoryService::fail(FaktoryConnection *connection, const QByteArray &argument)
{
    bool ok = false;
    const QJsonObject failure = parseObject(argument, &ok);
    const QString jid = failure.value(u"jid").toString();
    if (!ok || jid.isEmpty()) {
        connection->answer(FaktoryReply::error(QStringLiteral(
            "FAIL needs {\"jid\":…,\"errtype\":…,\"message\":…,\"backtrace\":[…]}")));
        return;
    }
    const auto found = m_inFlight.constFind(jid);
    if (found == m_inFlight.cend()) {
        connection->answer(
            FaktoryReply::error(QStringLiteral("Job not found %1: it is not running").arg(jid)));
        return;
    }
    QStringList backtrace;
    for (const QJsonValue &line : failure.value(u"backtrace").toArray())
        backtrace.append(line.toString());
    CompleteRequest request;
    request.workerId = m_workers.value(found->wid).workerId;
    // retry -1: dead at once; otherwise the queue's backoff until max attempts (retry + 1).
    request.fails = {
        TaskFail{found->taskId, found->leaseId,
                 FaktoryJob::failureText(failure.value(u"errtype").toString(),
                                         failure.value(u"message").toString(), backtrace),
                 found->retry >= 0}};
    QPointer<FaktoryConnection> guard(connection);
    m_engine.complete(request).then(this,
                                    [this, guard, jid](const Result<QList<ItemOutcome>> &outcomes) {
                                        if (outcomes)
                                            m_inFlight.remove(jid);
                                        if (!guard)
                                            return;
                                        if (!outcomes)
                                            answerError(guard, outcomes.error());
                                        else if (!outcomes->isEmpty() && outcomes->first().error)
                                            answerError(guard, *outcomes->first().error);
                                        else
                                            guard->answer(FaktoryReply::ok());
                                    });
}

void FaktoryService::beat(FaktoryConnection *connection, const QByteArray &argument)
{
    bool ok = false;
    const QString wid = parseObject(argument, &ok).value(u"wid").toString();
    if (!ok || wid.isEmpty() || wid != connection->wid) {
        connection->answer(FaktoryReply::error(
            QStringLiteral("BEAT is for consumers: send {\"wid\":…} with the wid of your HELLO")));
        return;
    }
    Worker &worker = m_workers[wid];
    if (worker.state == Worker::State::Terminate) {
        connection->answer(stateReply("terminate"));
        return;
    }
    if (!worker.registered) { // no FETCH yet: nothing to tell it
        connection->answer(worker.state == Worker::State::Quiet ? stateReply("quiet")
                                                                : FaktoryReply::ok());
        return;
    }
    QPointer<FaktoryConnection> guard(connection);
    m_engine.heartbeat(worker.workerId, {})
        .then(this, [this, guard, wid](const Result<HeartbeatReply> &reply) {
            Worker &worker = m_workers[wid];
            QByteArray answer;
            if (!reply) {
                if (reply.error().code != ErrorCode::NotFound) {
                    if (guard)
                        answerError(guard, reply.error());
                    return;
                }
                if (reply.error().details.value(u"reason").toString() == u"worker_lost") {
                    // Lost (silent past worker_timeout_s) and its slot taken meanwhile: its next
                    // FETCH registers it again, as a worker agent does.
                    worker.registered = false;
                    worker.queueIds.clear();
                    if (guard)
                        guard->answer(FaktoryReply::ok());
                    return;
                }
                worker.state = Worker::State::Terminate; // removed by an operator
            } else if (reply->command == WorkerCommand::Stop) {
                worker.state = Worker::State::Terminate;
            } else if (reply->command == WorkerCommand::Drain) {
                worker.state = Worker::State::Quiet;
            }
            if (!guard)
                return;
            switch (worker.state) {
            case Worker::State::Running:
                guard->answer(FaktoryReply::ok());
                break;
            case Worker::State::Quiet:
                guard->answer(stateReply("quiet"));
                break;
            case Worker::State::Terminate:
                guard->answer(stateReply("terminate"));
                break;
            }
        });
}

void FaktoryService::info(FaktoryConnection *connection)
{
    QPointer<FaktoryConnection> guard(connection);
    m_engine.listQueues(m_options.environment)
        .then(this, [this, guard](const Result<QList<QueueInfo>> &queues) {
            if (!guard)
                return;
            if (!queues) {
                answerError(guard, queues.error());
                return;
            }
            QJsonObject sizes;
            qint64 queued = 0, scheduled = 0, running = 0, dead = 0, succeeded = 0;
            for (const QueueInfo &queue : *queues) {
                sizes.insert(queue.name, queue.counts.queued);
                queued += queue.counts.queued;
                scheduled += queue.counts.scheduled;
                running += queue.counts.running;
                dead += queue.counts.dead + queue.counts.cancelled; // Faktory's dead set
                succeeded += queue.counts.succeeded;
            }
            const QDateTime now = QDateTime::currentDateTimeUtc();
            const QJsonObject state{
                {QStringLiteral("now"), now.toString(Qt::ISODateWithMs)},
                {QStringLiteral("server_utc_time"), now.toString(QStringLiteral("HH:mm:ss 'UTC'"))},
                {QStringLiteral("faktory"),
                 QJsonObject{
                     {QStringLiteral("queues"), sizes},
                     {QStringLiteral("sets"), QJsonObject{{QStringLiteral("scheduled"), scheduled},
                                                          {QStringLiteral("retries"), 0},
                                                          {QStringLiteral("dead"), dead},
                                                          {QStringLiteral("working"), running}}},
                     {QStringLiteral("tasks"), QJsonObject()},
                     {QStringLiteral("total_failures"), dead},
                     {QStringLiteral("total_processed"), succeeded},
                     {QStringLiteral("total_enqueued"), queued},
                     {QStringLiteral("total_queues"), qint64(queues->size())}}},
                {QStringLiteral("server"),
                 QJsonObject{{QStringLiteral("description"), QStringLiteral("QueueDeck")},
                             {QStringLiteral("faktory_version"), QStringLiteral(QUEUEDECK_VERSION)},
                             {QStringLiteral("uptime"), m_uptime.elapsed() / 1000},
                             {QStringLiteral("connections"), qint64(m_connections.size())},
                             {QStringLiteral("command_count"), qint64(m_commands)},
                             {QStringLiteral("used_memory_mb"), 0}}}};
            guard->answer(FaktoryReply::bulk(QJsonDocument(state).toJson(QJsonDocument::Compact)));
        });
}

void FaktoryService::flush(FaktoryConnection *connection)
{
    if (!m_options.allowFlush) {
        connection->answer(FaktoryReply::error(
            QStringLiteral("FLUSH is off on this listener: it would purge every queue of "
                           "environment \"%1\"; start qdeck serve with --faktory-allow-flush "
                           "to allow it")
                .arg(m_options.environment)));
        return;
    }
    QPointer<FaktoryConnection> guard(connection);
    m_engine.listQueues(m_options.environment)
        .then(this, [this, guard](const Result<QList<QueueInfo>> &queues) {
            if (!queues) {
                if (guard)
                    answerError(guard, queues.error());
                return;
            }
            // Waiting tasks are purged and dead ones deleted; running ones finish as they do.
            auto countdown = std::make_shared<Countdown>();
            countdown->remaining = int(queues->size()) * 2 + 1;
            countdown->finish = [guard](const std::optional<QString> &error) {
                if (guard)
                    guard->answer(error ? FaktoryReply::error(*error) : FaktoryReply::ok());
            };
            for (const QueueInfo &queue : *queues) {
                m_engine.purgeQueue(queue.id).then(this, [countdown](const Result<qint64> &r) {
                    countdown->done(r ? std::nullopt : std::optional(r.error().message));
                });
                BulkRequest deleteDead;
                deleteDead.action = BulkAction::Delete;
                deleteDead.filter.state = TaskState::Dead;
                m_engine.bulkTasks(queue.id, deleteDead)
                    .then(this, [countdown](const Result<qint64> &r) {
                        countdown->done(r ? std::nullopt : std::optional(r.error().message));
                    });
            }
            countdown->done(std::nullopt);
        });
}

void FaktoryService::queueCommand(FaktoryConnection *connection, const QByteArray &argument)
{
    QStringList words = QString::fromUtf8(argument).split(u' ', Qt::SkipEmptyParts);
    const QString action = words.isEmpty() ? QString() : words.takeFirst().toUpper();
    if ((action != u"PAUSE" && action != u"RESUME" && action != u"REMOVE") || words.isEmpty()) {
        connection->answer(FaktoryReply::error(
            QStringLiteral("QUEUE takes PAUSE, RESUME or REMOVE and queue names or *")));
        return;
    }
    QPointer<FaktoryConnection> guard(connection);
    m_engine.listQueues(m_options.environment)
        .then(this, [this, guard, action, words](const Result<QList<QueueInfo>> &queues) {
            if (!queues) {
                if (guard)
                    answerError(guard, queues.error());
                return;
            }
            const bool all = words.contains(QStringLiteral("*"));
            auto countdown = std::make_shared<Countdown>();
            countdown->remaining = 1;
            countdown->finish = [guard](const std::optional<QString> &error) {
                if (guard)
                    guard->answer(error ? FaktoryReply::error(*error) : FaktoryReply::ok());
            };
            for (const QueueInfo &queue : *queues) {
                if (!all && !words.contains(queue.name))
                    continue; // names that are no queue are passed over, as Faktory does
                ++countdown->remaining;
                if (action == u"REMOVE") {
                    m_queueIds.remove(queue.name);
                    m_engine.deleteQueue(queue.id, true)
                        .then(this, [countdown](const Result<void> &r) {
                            countdown->done(r ? std::nullopt : std::optional(r.error().message));
                        });
                } else {
                    QueuePatch patch;
                    patch.paused = action == u"PAUSE";
                    m_engine.updateQueue(queue.id, patch)
                        .then(this, [countdown](const Result<QueueInfo> &r) {
                            countdown->done(r ? std::nullopt : std::optional(r.error().message));
                        });
                }
            }
            countdown->done(std::nullopt);
        });
}

} // namespace QueueDeck::Faktory
