// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "workeragent.h"

#include "protocol/childtoken.h"
#include "queuedeckclient.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRandomGenerator>
#include <QSysInfo>
#include <QTextStream>
#include <QTimer>

#include <csignal>
#include <unistd.h>

namespace QueueDeck::Cli {

namespace {

constexpr int MaxPendingLines = 1000; // per task, between two log flushes; the oldest go
constexpr int StderrTailBytes = 2000;
constexpr int CompleteBatch = 32;

QString defaultWorkerId()
{
    QString host = QSysInfo::machineHostName().toLower();
    for (QChar &c : host) {
        if (!c.isLetterOrNumber() && c != u'-')
            c = u'-';
    }
    return QStringLiteral("%1-%2-%3")
        .arg(host.isEmpty() ? QStringLiteral("worker") : host)
        .arg(QCoreApplication::applicationPid())
        .arg(QRandomGenerator::global()->bounded(0x10000), 4, 16, QChar(u'0'));
}

bool isJson(const QString &text)
{
    QJsonParseError error;
    QJsonDocument::fromJson(QByteArray('[' + text.toUtf8() + ']'), &error);
    return !text.trimmed().isEmpty() && error.error == QJsonParseError::NoError;
}

} // namespace

struct WorkerAgent::Running
{
    LeasedTask task;
    QProcess *process = nullptr; // exec mode: the task's own handler
    QObject *timers = nullptr;   // parent of the task's timers; goes with the task
    QByteArray partial[2];       // an unfinished line per channel (stdout, stderr)
    QString lastStdoutLine;
    QByteArray stderrTail;
    QJsonArray pendingLines;
    qint64 droppedLines = 0;
    QString terminatedBecause;
};

WorkerAgent::WorkerAgent(WorkerConfig config, QObject *parent)
    : QObject(parent), m_config(std::move(config)), m_heartbeatTimer(new QTimer(this)),
      m_flushTimer(new QTimer(this))
{
    m_workerId = m_config.name.isEmpty() ? defaultWorkerId() : m_config.name;
    m_token = m_config.joinToken;
    m_client = &clientFor(m_config.servers.current());
    connect(m_heartbeatTimer, &QTimer::timeout, this, &WorkerAgent::heartbeat);
    m_flushTimer->setInterval(250);
    connect(m_flushTimer, &QTimer::timeout, this, [this] {
        flushLogs();
        flushCompletions();
    });
}

WorkerAgent::~WorkerAgent()
{
    for (Running *run : std::as_const(m_running)) {
        if (run->process && run->process->state() != QProcess::NotRunning)
            ::kill(-pid_t(run->process->processId()), SIGKILL);
        delete run;
    }
    if (m_stream && m_stream->state() != QProcess::NotRunning)
        ::kill(-pid_t(m_stream->processId()), SIGKILL);
}

void WorkerAgent::log(const QString &line) const
{
    QTextStream(stderr) << QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs) << ' '
                        << m_workerId << ": " << line << Qt::endl;
}

Client::QueueDeckClient &WorkerAgent::clientFor(const QUrl &server)
{
    std::unique_ptr<Client::QueueDeckClient> &client = m_clients[server.toString()];
    if (!client) {
        Client::ClientOptions options{server, m_token};
        options.serverFingerprint = m_config.serverFingerprint;
        options.caFile = m_config.caFile;
        client = std::make_unique<Client::QueueDeckClient>(options);
    }
    client->setToken(m_token);
    return *client;
}

bool WorkerAgent::failOver(const QUrl &failedOn, const Error &error)
{
    if (!Client::isNodeFailure(error) || m_config.servers.size() < 2)
        return false;
    if (!m_config.servers.moveOn(failedOn))
        return failedOn != m_config.servers.current(); // another call moved on already
    m_client = &clientFor(m_config.servers.current());
    log(QStringLiteral("the server at %1 failed (%2); moving to %3")
            .arg(failedOn.toString(), error.message, m_config.servers.current().toString()));
    return true;
}

void WorkerAgent::start()
{
    m_flushTimer->start();
    registerNow();
}

void WorkerAgent::registerNow()
{
    RegisterRequest request;
    request.workerId = m_workerId;
    request.queueIds = m_config.queueIds;
    request.hostname = QSysInfo::machineHostName();
    request.pid = QCoreApplication::applicationPid();
    request.version = QCoreApplication::applicationVersion();
    request.concurrency = m_config.concurrency;
    request.labels = m_config.labels;
    request.joinTokens = m_config.joinTokens;
    m_token = m_config.joinToken;
    m_client->setToken(m_token);
    const QUrl on = m_client->server();
    m_client->registerWorker(request).then(this, [this,
                                                  on](const Result<Registration> &registered) {
        if (!registered) {
            const Error &error = registered.error();
            switch (error.code) {
            case ErrorCode::ResourceExhausted:
                log(QStringLiteral("cannot join: %1").arg(error.message));
                Q_EMIT finished(ExitNoCapacity);
                return;
            case ErrorCode::Unauthenticated:
            case ErrorCode::PermissionDenied:
                log(QStringLiteral("the server refused the token: %1. Copy the queue's connect "
                                   "command again (its token may have been rotated).")
                        .arg(error.message));
                Q_EMIT finished(ExitRefused);
                return;
            case ErrorCode::Unavailable:
                if (error.details.value(QStringLiteral("reason")).toString() ==
                    u"tls_certificate_refused") {
                    // Refused by every server in turn: no node holds the pinned certificate.
                    if (++m_certificateRefusals >= m_config.servers.size()) {
                        log(error.message);
                        Q_EMIT finished(ExitRefused);
                        return;
                    }
                } else {
                    m_certificateRefusals = 0;
                }
                if (!failOver(on, error))
                    log(QStringLiteral("%1; trying again in 2 s").arg(error.message));
                QTimer::singleShot(2000, this, &WorkerAgent::registerNow);
                return;
            default:
                log(QStringLiteral("registration failed: %1").arg(error.message));
                Q_EMIT finished(ExitUsage);
                return;
            }
        }
        m_registered = true;
        m_certificateRefusals = 0;
        m_token = registered->credential;
        m_client->setToken(m_token);
        m_credentialHash =
            QCryptographicHash::hash(registered->credential.toUtf8(), QCryptographicHash::Sha256);
        m_heartbeatTimer->start(int(qMax<qint64>(1, registered->heartbeatIntervalS) * 1000));
        log(QStringLiteral("registered on %1 at %2 with %3 slot(s); running: %4")
                .arg(m_config.queueIds.join(QStringLiteral(", ")), on.toString())
                .arg(m_config.concurrency)
                .arg(m_config.command.join(u' ')));
        if (m_draining)
            maybeFinish();
        else
            leaseMore();
    });
}

void WorkerAgent::heartbeat()
{
    if (!m_registered || m_deregistering)
        return;
    m_client
        ->heartbeat(m_workerId, m_running.keys(),
                    m_draining ? QStringLiteral("draining") : QStringLiteral("ok"))
        .then(this, [this, on = m_client->server()](const Result<HeartbeatReply> &reply) {
            if (!reply) {
                if (!failOver(on, reply.error()))
                    rejoinIfForgotten(reply.error(), true);
                return;
            }
            for (const QString &taskId : reply->cancel) {
                if (Running *run = m_running.value(taskId))
                    terminate(*run, QStringLiteral("cancelled"));
            }
            if (reply->command != WorkerCommand::Run && !m_draining) {
                log(QStringLiteral("the server asked this worker to %1")
                        .arg(workerCommandName(reply->command)));
                drain();
            }
        });
}

// The server counts a task as this worker's until it has confirmed its outcome; a lease is never
// for more than the slots free by that count, so no more than --concurrency tasks are ever out.
// Outcomes still to send go with the lease (complete-and-lease): they are taken before it.
void WorkerAgent::leaseMore()
{
    if (!m_registered || m_draining || m_leasing)
        return;
    // Outcomes wait for their tasks' last log lines: a task's lease ends with its outcome, and
    // lines that reach the server after it would be refused (they may travel on another
    // connection, and so overtake).
    const bool withOutcomes =
        !m_completing && m_logCallsInFlight == 0 && (!m_acks.isEmpty() || !m_fails.isEmpty());
    const int unconfirmed = withOutcomes ? 0 : int(m_acks.size() + m_fails.size()) + m_sentOutcomes;
    const int free = m_config.concurrency - int(m_running.size()) - unconfirmed;
    if (free <= 0) {
        if (withOutcomes)
            flushCompletions();
        return;
    }
    if (withOutcomes) {
        leaseWithOutcomes(free);
        return;
    }
    m_leasing = true;
    QElapsedTimer asked;
    asked.start();
    m_client->lease(m_workerId, free, m_config.leaseWaitMs)
        .then(this, [this, asked, on = m_client->server()](const Result<QList<LeasedTask>> &tasks) {
            m_leasing = false;
            if (tasks && tasks->isEmpty() && asked.elapsed() < m_config.leaseWaitMs / 2 &&
                !m_draining) {
                // Nothing, and long before the wait was over: the server will not park this
                // worker's leases (it is draining, say). Ask what it wants instead of asking for
                // work again at once, and lease again a little later.
                heartbeat();
                QTimer::singleShot(1000, this, &WorkerAgent::leaseMore);
                return;
            }
            if (!tasks) {
                leaseFailed(on, tasks.error());
                return;
            }
            if (m_leaseFailures > 0)
                log(QStringLiteral("the server answers again"));
            m_leaseFailures = 0;
            for (const LeasedTask &task : *tasks)
                runTask(task); // leased to this worker: run even when a drain began meanwhile
            leaseMore();
        });
}

// Sends the outcomes waiting to go and leases up to max in the same call, without waiting: the
// outcomes are answered at once, and a lease that finds nothing parks in the next call.
void WorkerAgent::leaseWithOutcomes(int max)
{
    const QList<TaskAck> acks = std::exchange(m_acks, {});
    const QList<TaskFail> fails = std::exchange(m_fails, {});
    m_leasing = true;
    m_completing = true;
    m_client->completeAndLease(m_workerId, acks, fails, max, 0)
        .then(this,
              [this, acks, fails, on = m_client->server()](const Result<CompleteAndLease> &answer) {
                  m_leasing = false;
                  m_completing = false;
                  if (!answer) {
                      // Kept until the server takes them: the same ack again is harmless.
                      m_acks = acks + m_acks;
                      m_fails = fails + m_fails;
                      leaseFailed(on, answer.error());
                      return;
                  }
                  if (m_leaseFailures > 0)
                      log(QStringLiteral("the server answers again"));
                  m_leaseFailures = 0;
                  reportOutcomes(answer->outcomes);
                  for (const LeasedTask &task : answer->tasks)
                      runTask(task);
                  leaseMore();
                  maybeFinish();
              });
}

void WorkerAgent::leaseFailed(const QUrl &failedOn, const Error &error)
{
    if (rejoinIfForgotten(error, true))
        return;
    const bool moved = failOver(failedOn, error);
    if (m_leaseFailures++ == 0 && !moved)
        log(QStringLiteral("lease failed: %1; retrying").arg(error.message));
    QTimer::singleShot(qMin(5000, 500 * m_leaseFailures), this, &WorkerAgent::leaseMore);
}

// The server no longer knows this worker's credential, or declared it lost and gave its slot
// away (404 with details.reason "worker_lost"): it joins again at once, with the same id. A
// worker on its way out never joins again. anyNotFound: a NOT_FOUND of this call can only be
// about the worker (heartbeat, lease, complete); elsewhere only the reason says so.
bool WorkerAgent::rejoinIfForgotten(const Error &error, bool anyNotFound)
{
    const QString reason = error.details.value(QStringLiteral("reason")).toString();
    const bool lost = reason == u"worker_lost";
    const bool forgotten = error.code == ErrorCode::Unauthenticated ||
                           (error.code == ErrorCode::NotFound && (anyNotFound || lost));
    if (!forgotten)
        return false;
    if (m_registered && !m_draining) {
        log(lost ? QStringLiteral("the server declared this worker lost; registering again")
                 : QStringLiteral("the server no longer knows this worker; registering again"));
        m_registered = false;
        m_heartbeatTimer->stop();
        registerNow();
    }
    return true;
}

void WorkerAgent::reportOutcomes(const QList<ItemOutcome> &outcomes)
{
    for (const ItemOutcome &outcome : outcomes) {
        if (outcome.error)
            log(QStringLiteral("task %1: the server did not take its outcome: %2")
                    .arg(outcome.taskId, outcome.error->message));
    }
}

// The lease lasts the task's timeout from when it was given; the handler is stopped at its
// timeout from when it started, plus a grace period. Renewed at half the timeout, the lease stays
// this worker's until the handler's outcome is in.
void WorkerAgent::armTimers(Running &run)
{
    const LeasedTask &task = run.task;
    if (task.timeoutS <= 0)
        return;
    const QString taskId = task.id;
    auto *renew = new QTimer(run.timers);
    renew->setInterval(int(qMax<qint64>(1, task.timeoutS / 2) * 1000));
    connect(renew, &QTimer::timeout, this, [this, taskId, leaseId = task.leaseId] {
        const QUrl on = m_client->server();
        m_client->extendLease(taskId, leaseId)
            .then(this, [this, taskId, on](const Result<qint64> &r) {
                if (!r && r.error().code == ErrorCode::FailedPrecondition)
                    log(QStringLiteral("task %1: %2").arg(taskId, r.error().message));
                else if (!r && !failOver(on, r.error()))
                    rejoinIfForgotten(r.error(), false);
            });
    });
    renew->start();
    QTimer::singleShot(int(task.timeoutS * 1000), run.timers, [this, taskId, task] {
        if (Running *r = m_running.value(taskId))
            terminate(*r, QStringLiteral("timed out after %1 s").arg(task.timeoutS));
    });
}

void WorkerAgent::runTask(const LeasedTask &task)
{
    auto *run = new Running;
    run->task = task;
    run->timers = new QObject(this);
    m_running.insert(task.id, run);
    armTimers(*run);
    if (m_config.streamMode) {
        startStream();
        QJsonObject line{
            {QStringLiteral("id"), task.id},
            {QStringLiteral("type"), task.type},
            {QStringLiteral("queue"), task.queueId},
            {QStringLiteral("attempt"), task.attempt},
            {QStringLiteral("child_token"),
             ChildToken::make(m_workerId, m_credentialHash, task.id, task.leaseId)},
            {QStringLiteral("payload"),
             QJsonDocument::fromJson(QByteArray('[' + task.payload + ']')).array().first()}};
        if (task.deadlineMs)
            line.insert(QStringLiteral("deadline"),
                        QDateTime::fromMSecsSinceEpoch(*task.deadlineMs, Qt::UTC)
                            .toString(Qt::ISODateWithMs));
        m_stream->write(QJsonDocument(line).toJson(QJsonDocument::Compact) + '\n');
        return;
    }
    run->process = new QProcess(run->timers);

    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("QUEUEDECK_TOKEN"));
    environment.insert(QStringLiteral("QUEUEDECK_TASK_ID"), task.id);
    environment.insert(QStringLiteral("QUEUEDECK_TYPE"), task.type);
    environment.insert(QStringLiteral("QUEUEDECK_QUEUE"), task.queueId);
    environment.insert(QStringLiteral("QUEUEDECK_ATTEMPT"), QString::number(task.attempt));
    if (task.deadlineMs)
        environment.insert(
            QStringLiteral("QUEUEDECK_DEADLINE"),
            QDateTime::fromMSecsSinceEpoch(*task.deadlineMs, Qt::UTC).toString(Qt::ISODateWithMs));
    addChildAccess(environment, &task);
    run->process->setProcessEnvironment(environment);
    // Its own process group: a timeout or cancel reaches the handler's children too.
    run->process->setChildProcessModifier([] { ::setpgid(0, 0); });

    const QString taskId = task.id;
    connect(run->process, &QProcess::readyReadStandardOutput, this, [this, taskId] {
        if (Running *r = m_running.value(taskId))
            handlerOutput(*r, false);
    });
    connect(run->process, &QProcess::readyReadStandardError, this, [this, taskId] {
        if (Running *r = m_running.value(taskId))
            handlerOutput(*r, true);
    });
    connect(run->process, &QProcess::finished, this,
            [this, taskId](int exitCode, QProcess::ExitStatus status) {
                handlerFinished(taskId, exitCode, status == QProcess::CrashExit);
            });
    connect(run->process, &QProcess::errorOccurred, this,
            [this, taskId](QProcess::ProcessError error) {
                Running *r = m_running.value(taskId);
                if (error == QProcess::FailedToStart && r) {
                    r->stderrTail = QStringLiteral("could not start the handler %1: %2")
                                        .arg(m_config.command.value(0), r->process->errorString())
                                        .toUtf8();
                    handlerFinished(taskId, -1, true);
                }
            });
    run->process->start(m_config.command.value(0), m_config.command.mid(1));
    run->process->write(task.payload);
    run->process->closeWriteChannel();
}

// A child token bound to the task's lease (it dies with the lease), and where to send it. The
// worker's credential stays in this process.
void WorkerAgent::addChildAccess(QProcessEnvironment &environment, const LeasedTask *task) const
{
    environment.insert(QStringLiteral("QUEUEDECK_SERVER"), m_config.servers.joined());
    if (!m_config.serverFingerprint.isEmpty())
        environment.insert(QStringLiteral("QUEUEDECK_SERVER_FINGERPRINT"),
                           m_config.serverFingerprint);
    if (!m_config.caFile.isEmpty())
        environment.insert(QStringLiteral("QUEUEDECK_CA_FILE"), m_config.caFile);
    if (task)
        environment.insert(QStringLiteral("QUEUEDECK_CHILD_TOKEN"),
                           ChildToken::make(m_workerId, m_credentialHash, task->id, task->leaseId));
}

// Stream mode: the handler starts once (at the first task) and lives on. One JSON object per
// line each way; see README "Stream handlers".
void WorkerAgent::startStream()
{
    if (m_stream)
        return;
    m_stream = new QProcess(this);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("QUEUEDECK_TOKEN"));
    addChildAccess(environment, nullptr); // the token of each task comes with it (child_token)
    m_stream->setProcessEnvironment(environment);
    m_stream->setChildProcessModifier([] { ::setpgid(0, 0); });
    m_stream->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    connect(m_stream, &QProcess::readyReadStandardOutput, this, &WorkerAgent::streamOutput);
    connect(m_stream, &QProcess::finished, this, [this](int exitCode, QProcess::ExitStatus status) {
        streamExited(status == QProcess::CrashExit
                         ? QStringLiteral("the stream handler crashed")
                         : QStringLiteral("the stream handler exited with code %1").arg(exitCode));
    });
    connect(m_stream, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            streamExited(QStringLiteral("could not start the stream handler %1: %2")
                             .arg(m_config.command.value(0), m_stream->errorString()));
    });
    m_stream->start(m_config.command.value(0), m_config.command.mid(1));
}

void WorkerAgent::streamOutput()
{
    m_streamPartial += m_stream->readAllStandardOutput();
    qsizetype newline;
    while ((newline = m_streamPartial.indexOf('\n')) >= 0) {
        const QByteArray line = m_streamPartial.left(newline).trimmed();
        m_streamPartial.remove(0, newline + 1);
        if (line.isEmpty())
            continue;
        const QJsonObject message = QJsonDocument::fromJson(line).object();
        Running *run = m_running.value(message.value(QStringLiteral("id")).toString());
        if (!run) {
            log(QStringLiteral("stream handler: %1").arg(QString::fromUtf8(line)));
            continue;
        }
        if (message.contains(QStringLiteral("log"))) {
            run->pendingLines.append(
                QJsonObject{{QStringLiteral("stream"), QStringLiteral("stdout")},
                            {QStringLiteral("line"), message.value(QStringLiteral("log"))}});
        } else if (message.contains(QStringLiteral("error"))) {
            settle(run->task.id, std::nullopt, message.value(QStringLiteral("error")).toString(),
                   message.value(QStringLiteral("retryable")).toBool(true));
        } else {
            const QJsonValue result = message.value(QStringLiteral("result"));
            settle(run->task.id,
                   result.isUndefined() || result.isNull() ? QByteArray()
                                                           : QJsonDocument(QJsonArray{result})
                                                                 .toJson(QJsonDocument::Compact)
                                                                 .chopped(1)
                                                                 .mid(1),
                   {}, false);
        }
    }
}

void WorkerAgent::streamExited(const QString &why)
{
    if (!m_stream)
        return;
    m_stream->disconnect(this);
    m_stream->deleteLater();
    m_stream = nullptr;
    m_streamPartial.clear();
    const QStringList lost = m_running.keys();
    if (!lost.isEmpty())
        log(QStringLiteral("%1; %2 task(s) fail and go back to the queue")
                .arg(why)
                .arg(lost.size()));
    for (const QString &taskId : lost)
        settle(taskId, std::nullopt, why, true);
    if (m_deregistered)
        Q_EMIT finished(ExitOk);
    if (m_draining)
        return;
    // Started again at the next task; a handler that keeps dying is not restarted in a loop.
    m_leasing = true;
    QTimer::singleShot(m_streamRestartMs, this, [this] {
        m_leasing = false;
        leaseMore();
    });
    m_streamRestartMs = qMin(30'000, m_streamRestartMs * 2);
}

void WorkerAgent::handlerOutput(Running &run, bool stderrChannel)
{
    QByteArray &partial = run.partial[stderrChannel ? 1 : 0];
    partial +=
        stderrChannel ? run.process->readAllStandardError() : run.process->readAllStandardOutput();
    if (stderrChannel) {
        run.stderrTail += partial;
        if (run.stderrTail.size() > StderrTailBytes)
            run.stderrTail = run.stderrTail.right(StderrTailBytes);
    }
    qsizetype newline;
    while ((newline = partial.indexOf('\n')) >= 0) {
        const QString line = QString::fromUtf8(partial.left(newline));
        partial.remove(0, newline + 1);
        if (!stderrChannel && !line.trimmed().isEmpty())
            run.lastStdoutLine = line;
        if (run.pendingLines.size() >= MaxPendingLines) {
            run.pendingLines.removeFirst();
            ++run.droppedLines;
        }
        run.pendingLines.append(
            QJsonObject{{QStringLiteral("stream"),
                         stderrChannel ? QStringLiteral("stderr") : QStringLiteral("stdout")},
                        {QStringLiteral("line"), line}});
    }
}

void WorkerAgent::flushLogs()
{
    for (Running *run : std::as_const(m_running)) {
        if (run->pendingLines.isEmpty())
            continue;
        if (run->droppedLines > 0) {
            run->pendingLines.prepend(QJsonObject{
                {QStringLiteral("stream"), QStringLiteral("stderr")},
                {QStringLiteral("line"),
                 QStringLiteral("[qdeck: %1 lines dropped: the handler wrote faster than they "
                                "could be sent]")
                     .arg(run->droppedLines)}});
            run->droppedLines = 0;
        }
        ++m_logCallsInFlight;
        m_client
            ->call("POST", QStringLiteral("/api/v1/tasks/%1/logs").arg(run->task.id),
                   QJsonObject{{QStringLiteral("lease_id"), run->task.leaseId},
                               {QStringLiteral("lines"), std::exchange(run->pendingLines, {})}})
            .then(this, [this, on = m_client->server()](const Result<QJsonObject> &sent) {
                if (--m_logCallsInFlight == 0 && (!m_acks.isEmpty() || !m_fails.isEmpty())) {
                    flushCompletions();
                    leaseMore();
                }
                if (!sent && !failOver(on, sent.error()))
                    rejoinIfForgotten(sent.error(), false);
            });
    }
}

void WorkerAgent::handlerFinished(const QString &taskId, int exitCode, bool crashed)
{
    Running *run = m_running.value(taskId);
    if (!run)
        return;
    // What is left of the output, then the last log lines, then the outcome.
    for (bool stderrChannel : {false, true}) {
        handlerOutput(*run, stderrChannel);
        QByteArray &partial = run->partial[stderrChannel ? 1 : 0];
        if (!partial.isEmpty()) {
            partial += '\n';
            handlerOutput(*run, stderrChannel);
        }
    }
    const QString tail = QString::fromUtf8(run->stderrTail).trimmed();
    if (!run->terminatedBecause.isEmpty()) {
        settle(taskId, std::nullopt,
               QStringLiteral("the handler was stopped: %1").arg(run->terminatedBecause), true);
    } else if (crashed) {
        settle(taskId, std::nullopt, tail.isEmpty() ? QStringLiteral("the handler crashed") : tail,
               true);
    } else if (exitCode == 0) {
        const QString last = run->lastStdoutLine.trimmed();
        settle(taskId, isJson(last) ? last.toUtf8() : QByteArray(), {}, false);
    } else {
        QString error = QStringLiteral("exit code %1").arg(exitCode);
        if (!tail.isEmpty())
            error += QStringLiteral(": ") + tail;
        settle(taskId, std::nullopt, error, exitCode != 65);
    }
}

void WorkerAgent::settle(const QString &taskId, std::optional<QByteArray> result,
                         const QString &error, bool retryable)
{
    Running *run = m_running.value(taskId);
    if (!run)
        return;
    flushLogs(); // its last lines go before its outcome
    if (result)
        m_acks.append({taskId, run->task.leaseId, *result});
    else
        m_fails.append({taskId, run->task.leaseId, error, retryable});
    m_running.remove(taskId);
    run->timers->deleteLater(); // and the process with it
    delete run;
    if (m_acks.size() + m_fails.size() >= CompleteBatch)
        flushCompletions();
    else
        QTimer::singleShot(20, this, &WorkerAgent::flushCompletions);
    leaseMore();
    maybeFinish();
}

void WorkerAgent::terminate(Running &run, const QString &why)
{
    if (!run.process) {
        // Stream mode: the handler is told to drop the task, which fails here and now.
        log(QStringLiteral("task %1: %2").arg(run.task.id, why));
        if (m_stream)
            m_stream->write(QJsonDocument(QJsonObject{{QStringLiteral("cancel"), run.task.id}})
                                .toJson(QJsonDocument::Compact) +
                            '\n');
        settle(run.task.id, std::nullopt, QStringLiteral("the handler was stopped: %1").arg(why),
               true);
        return;
    }
    if (!run.terminatedBecause.isEmpty() || run.process->state() == QProcess::NotRunning)
        return;
    run.terminatedBecause = why;
    log(QStringLiteral("task %1: %2; stopping its handler").arg(run.task.id, why));
    const auto group = -pid_t(run.process->processId());
    ::kill(group, SIGTERM);
    QTimer::singleShot(m_config.graceMs, run.process, [group] { ::kill(group, SIGKILL); });
}

void WorkerAgent::flushCompletions()
{
    if (m_completing || (m_acks.isEmpty() && m_fails.isEmpty()) || !m_registered ||
        m_logCallsInFlight > 0)
        return;
    const QList<TaskAck> acks = std::exchange(m_acks, {});
    const QList<TaskFail> fails = std::exchange(m_fails, {});
    m_completing = true;
    m_sentOutcomes = int(acks.size() + fails.size());
    m_client->complete(m_workerId, acks, fails)
        .then(this, [this, acks, fails,
                     on = m_client->server()](const Result<QList<ItemOutcome>> &outcomes) {
            m_completing = false;
            m_sentOutcomes = 0;
            if (!outcomes) {
                // Kept until the server takes them: a restarting server answers again.
                m_acks = acks + m_acks;
                m_fails = fails + m_fails;
                if (failOver(on, outcomes.error()) || !rejoinIfForgotten(outcomes.error(), true))
                    QTimer::singleShot(1000, this, &WorkerAgent::flushCompletions);
                return;
            }
            reportOutcomes(*outcomes);
            flushCompletions();
            leaseMore(); // their slots are free now
            maybeFinish();
        });
}

void WorkerAgent::drain()
{
    if (m_draining) {
        log(QStringLiteral("stopping the running handlers"));
        for (const QString &taskId : m_running.keys()) { // stopping may settle a task at once
            if (Running *run = m_running.value(taskId))
                terminate(*run, QStringLiteral("the worker is stopping"));
        }
        return;
    }
    m_draining = true;
    log(QStringLiteral("draining: taking nothing new, %1 task(s) running").arg(m_running.size()));
    maybeFinish();
}

void WorkerAgent::maybeFinish()
{
    if (!m_draining || !m_running.isEmpty() || m_completing || !m_acks.isEmpty() ||
        !m_fails.isEmpty() || m_deregistering)
        return;
    if (m_stream) {
        // End of input tells the stream handler to finish; it is stopped if it lingers.
        m_stream->closeWriteChannel();
        const auto group = -pid_t(m_stream->processId());
        QTimer::singleShot(m_config.graceMs, m_stream, [group] { ::kill(group, SIGKILL); });
    }
    if (!m_registered) {
        m_deregistered = true;
        if (!m_stream)
            Q_EMIT finished(ExitOk);
        return;
    }
    m_deregistering = true;
    const QUrl on = m_client->server();
    m_client->deregisterWorker(m_workerId).then(this, [this, on](const Result<void> &done) {
        if (!done && ++m_deregisterTries < m_config.servers.size() && failOver(on, done.error())) {
            m_deregistering = false; // once more, on the next server
            maybeFinish();
            return;
        }
        if (!done)
            log(QStringLiteral("deregistering failed: %1").arg(done.error().message));
        else
            log(QStringLiteral("deregistered"));
        m_deregistered = true;
        if (!m_stream) // else once the stream handler has ended (streamExited)
            Q_EMIT finished(ExitOk);
    });
}

} // namespace QueueDeck::Cli
