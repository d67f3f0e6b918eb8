// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "queuedeckclient.h"

#include "clientlog.h"
#include "httpclientconnection.h"
#include "protocol/codec.h"
#include "protocol/nodecodec.h"

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMutex>
#include <QPromise>
#include <QThread>
#include <QTimer>
#include <QUrlQuery>

#include <deque>
#include <optional>

Q_LOGGING_CATEGORY(lcClient, "queuedeck.client", QtInfoMsg) // debug: on request

namespace QueueDeck::Client {

namespace {

struct Request
{
    QByteArray method;
    QString path;
    QByteArray body;
    CallOptions options;
    int attempt = 0;
    std::shared_ptr<QPromise<Result<QByteArray>>> promise;
};

} // namespace

// The network side, living on the client's thread: per lane a small pool of keep-alive
// connections, one request at a time on each.
class ClientCore final : public QObject
{
public:
    explicit ClientCore(ClientOptions options) : m_options(std::move(options))
    {
        m_basePath = m_options.server.path().toUtf8();
        while (m_basePath.endsWith('/'))
            m_basePath.chop(1);
        if (m_options.blocking)
            return; // stays on the creating thread
        m_thread.setObjectName(QStringLiteral("queuedeck-client"));
        moveToThread(&m_thread);
        m_thread.start();
    }

    TlsTrust trust() const
    {
        return TlsTrust{m_options.verifyTls, m_options.serverFingerprint, m_options.caFile};
    }

    ~ClientCore() override
    {
        const auto closeAll = [this] {
            delete m_blockingConnection;
            for (Lane &lane : m_lanes) {
                qDeleteAll(lane.connections);
                for (Request &request : lane.waiting)
                    resolve(request, makeError(ErrorCode::Unavailable,
                                               QStringLiteral("the client was closed")));
            }
            m_lanes.clear();
        };
        if (m_options.blocking) {
            closeAll();
            return;
        }
        QMetaObject::invokeMethod(this, closeAll, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }

    void setToken(const QString &token)
    {
        QMutexLocker lock(&m_mutex);
        m_options.token = token;
    }
    QUrl server() const { return m_options.server; }

    QFuture<Result<QByteArray>> send(QByteArray method, QString path, QByteArray body,
                                     CallOptions options)
    {
        auto promise = std::make_shared<QPromise<Result<QByteArray>>>();
        promise->start();
        QFuture<Result<QByteArray>> future = promise->future();
        if (method == "GET")
            options.idempotent = true;
        Request request{
            std::move(method), std::move(path), std::move(body), std::move(options), 0, promise};
        if (m_options.blocking)
            runBlocking(std::move(request));
        else
            QMetaObject::invokeMethod(
                this, [this, request] { start(request); }, Qt::QueuedConnection);
        return future;
    }

private:
    // Connections idle longer than this are not reused: the server closes idle ones after 60 s.
    static constexpr qint64 MaxIdleMs = 45'000;
    static constexpr int MaxConnectionsPerLane = 8;

    struct Lane
    {
        std::vector<HttpClientConnection *> connections;
        std::deque<Request> waiting;
    };

    void start(Request request)
    {
        Lane &lane = m_lanes[request.options.parkedLane];
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        HttpClientConnection *connection = nullptr;
        for (auto it = lane.connections.begin(); it != lane.connections.end();) {
            HttpClientConnection *candidate = *it;
            if (!candidate->isBusy() &&
                (!candidate->isUsable() || now - candidate->idleSinceMs() > MaxIdleMs)) {
                candidate->deleteLater();
                it = lane.connections.erase(it);
                continue;
            }
            if (!connection && !candidate->isBusy())
                connection = candidate;
            ++it;
        }
        if (!connection) {
            if (int(lane.connections.size()) >= MaxConnectionsPerLane) {
                lane.waiting.push_back(std::move(request));
                return;
            }
            connection = new HttpClientConnection(m_options.server, trust(), this);
            lane.connections.push_back(connection);
        }
        const QString laneName = request.options.parkedLane;
        connection->send(request.method, m_basePath + request.path.toUtf8(), headers(),
                         request.body, int(m_options.timeoutMs + request.options.extraTimeoutMs),
                         [this, request, laneName](HttpAnswer answer) {
                             finish(laneName, request, std::move(answer));
                         });
    }

    // What an answer means for its request: its result, or nothing when it is to be retried.
    std::optional<Result<QByteArray>> outcome(const Request &request, HttpAnswer answer) const
    {
        if (m_options.onAnswer && answer.status != 0)
            m_options.onAnswer(request.method, request.path, answer.status, answer.body,
                               answer.contentType);
        const bool mayRetry = request.options.idempotent && request.attempt < m_options.retries;
        if (answer.status == 0 && answer.certificateRefused) // asking again cannot help
            return makeError(
                ErrorCode::Unavailable,
                QStringLiteral("cannot reach the QueueDeck server at %1: %2")
                    .arg(m_options.server.toString(), answer.failure),
                QJsonObject{{QStringLiteral("reason"), QStringLiteral("tls_certificate_refused")}});
        if (answer.status == 0) {
            if (mayRetry) {
                qCDebug(lcClient) << request.method << request.path << "failed:" << answer.failure
                                  << "- asking again";
                return std::nullopt;
            }
            return makeError(ErrorCode::Unavailable,
                             QStringLiteral("cannot reach the QueueDeck server at %1: %2")
                                 .arg(m_options.server.toString(), answer.failure));
        }
        if (answer.status >= 200 && answer.status < 300)
            return std::move(answer.body);
        if (answer.status == 503 && mayRetry) {
            qCDebug(lcClient) << request.method << request.path << "answered 503 - asking again";
            return std::nullopt;
        }
        return std::unexpected(Codec::errorFromBody(answer.status, answer.body));
    }

    static int retryDelayMs(int attempt) { return 100 << (2 * attempt); } // 100 ms, 400 ms, 1.6 s

    QByteArray headers()
    {
        QByteArray headers = "Content-Type: application/json\r\n";
        QMutexLocker lock(&m_mutex);
        if (!m_options.token.isEmpty())
            headers += "Authorization: Bearer " + m_options.token.toUtf8() + "\r\n";
        return headers;
    }

    void runBlocking(Request request)
    {
        if (QThread::currentThread() != thread()) {
            resolve(request, makeError(ErrorCode::FailedPrecondition,
                                       QStringLiteral("a blocking QueueDeck client is used only "
                                                      "from the thread that created it")));
            return;
        }
        Q_FOREVER
        {
            if (m_blockingConnection && !m_blockingConnection->isUsable()) {
                delete m_blockingConnection;
                m_blockingConnection = nullptr;
            }
            if (!m_blockingConnection)
                m_blockingConnection = new HttpClientConnection(m_options.server, trust(), this);
            auto result =
                outcome(request, m_blockingConnection->exchange(
                                     request.method, m_basePath + request.path.toUtf8(), headers(),
                                     request.body,
                                     int(m_options.timeoutMs + request.options.extraTimeoutMs)));
            if (result) {
                resolve(request, std::move(*result));
                return;
            }
            QThread::msleep(retryDelayMs(request.attempt));
            ++request.attempt;
        }
    }

    void finish(const QString &laneName, Request request, HttpAnswer answer)
    {
        if (auto result = outcome(request, std::move(answer)))
            resolve(request, std::move(*result));
        else
            retry(std::move(request));
        // A connection came free: the next waiting request of its lane goes.
        Lane &lane = m_lanes[laneName];
        if (!lane.waiting.empty()) {
            Request next = std::move(lane.waiting.front());
            lane.waiting.pop_front();
            QMetaObject::invokeMethod(
                this, [this, next] { start(next); }, Qt::QueuedConnection);
        }
    }

    void retry(Request request)
    {
        const int delayMs = retryDelayMs(request.attempt);
        ++request.attempt;
        QTimer::singleShot(delayMs, this, [this, request] { start(request); });
    }

    static void resolve(const Request &request, Result<QByteArray> result)
    {
        request.promise->addResult(std::move(result));
        request.promise->finish();
    }

    QThread m_thread;
    QMutex m_mutex;
    ClientOptions m_options;
    QByteArray m_basePath;
    QHash<QString, Lane> m_lanes;
    HttpClientConnection *m_blockingConnection = nullptr; // blocking mode only
};

namespace {

Result<QJsonObject> asObject(const Result<QByteArray> &body)
{
    if (!body)
        return std::unexpected(body.error());
    if (body->isEmpty())
        return QJsonObject();
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(*body, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return makeError(ErrorCode::Internal,
                         QStringLiteral("the server sent a body that is not a JSON object"));
    return document.object();
}

// Maps a JSON answer to a typed value.
template <typename T, typename Decode>
QFuture<Result<T>> mapped(QFuture<Result<QJsonObject>> future, Decode decode)
{
    return future.then([decode](const Result<QJsonObject> &object) -> Result<T> {
        if (!object)
            return std::unexpected(object.error());
        return decode(*object);
    });
}

template <typename T, typename Decode>
Result<QList<T>> listOf(const QJsonArray &array, Decode decode)
{
    QList<T> out;
    out.reserve(array.size());
    for (const QJsonValue &value : array) {
        auto item = decode(value.toObject());
        if (!item)
            return std::unexpected(item.error());
        out.append(std::move(*item));
    }
    return out;
}

QString encode(const QString &segment)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(segment));
}

} // namespace

QueueDeckClient::QueueDeckClient(ClientOptions options)
    : m_core(std::make_unique<ClientCore>(std::move(options)))
{}

QueueDeckClient::~QueueDeckClient() = default;

void QueueDeckClient::setToken(const QString &token)
{
    m_core->setToken(token);
}

QUrl QueueDeckClient::server() const
{
    return m_core->server();
}

QueueDeckClient::Reply<QJsonObject> QueueDeckClient::call(const QByteArray &method,
                                                          const QString &path,
                                                          const QJsonObject &body,
                                                          CallOptions options)
{
    const QByteArray bytes =
        method == "GET" ? QByteArray() : QJsonDocument(body).toJson(QJsonDocument::Compact);
    return m_core->send(method, path, bytes, std::move(options)).then(&asObject);
}

QueueDeckClient::Reply<QByteArray>
QueueDeckClient::callText(const QByteArray &method, const QString &path, CallOptions options)
{
    return m_core->send(method, path, {}, std::move(options));
}

QueueDeckClient::Reply<QueueInfo> QueueDeckClient::createQueue(const QString &environment,
                                                               const QString &name,
                                                               const QueueSettings &settings)
{
    QJsonObject body = Codec::settingsToJson(settings);
    body.insert(QStringLiteral("name"), name);
    return mapped<QueueInfo>(
        call("POST",
             QStringLiteral("/api/v1/environments/%1/worker-queues").arg(encode(environment)),
             body),
        &Codec::queueFromJson);
}

QueueDeckClient::Reply<QList<QueueInfo>> QueueDeckClient::listQueues(const QString &environment)
{
    const QString path =
        environment.isEmpty()
            ? QStringLiteral("/api/v1/worker-queues")
            : QStringLiteral("/api/v1/environments/%1/worker-queues").arg(encode(environment));
    return mapped<QList<QueueInfo>>(call("GET", path), [](const QJsonObject &o) {
        return listOf<QueueInfo>(o.value(QLatin1StringView("items")).toArray(),
                                 &Codec::queueFromJson);
    });
}

QueueDeckClient::Reply<QueueInfo> QueueDeckClient::queue(const QString &queueId)
{
    return mapped<QueueInfo>(
        call("GET", QStringLiteral("/api/v1/worker-queues/%1").arg(encode(queueId))),
        &Codec::queueFromJson);
}

QueueDeckClient::Reply<QueueInfo> QueueDeckClient::updateQueue(const QString &queueId,
                                                               const QueuePatch &patch)
{
    return mapped<QueueInfo>(call("PATCH",
                                  QStringLiteral("/api/v1/worker-queues/%1").arg(encode(queueId)),
                                  Codec::toJson(patch), CallOptions{true, {}, 0}),
                             &Codec::queueFromJson);
}

QueueDeckClient::Reply<QJsonObject> QueueDeckClient::workerCommand(const QString &queueId)
{
    return call("GET",
                QStringLiteral("/api/v1/worker-queues/%1/worker-command").arg(encode(queueId)));
}

QueueDeckClient::Reply<TaskInfo> QueueDeckClient::enqueue(const QString &queueId,
                                                          const EnqueueRequest &request)
{
    // Retried only with an idempotency key: without one a retry could enqueue twice.
    const CallOptions options{!request.idempotencyKey.isEmpty(), {}, 0};
    return mapped<TaskInfo>(
        call("POST", QStringLiteral("/api/v1/worker-queues/%1/tasks").arg(encode(queueId)),
             Codec::toJson(request), options),
        &Codec::taskFromJson);
}

QueueDeckClient::Reply<QStringList>
QueueDeckClient::enqueueBatch(const QString &queueId, const QList<EnqueueRequest> &requests)
{
    QJsonArray tasks;
    for (const EnqueueRequest &request : requests)
        tasks.append(Codec::toJson(request));
    return mapped<QStringList>(
        call("POST", QStringLiteral("/api/v1/worker-queues/%1/tasks:batch").arg(encode(queueId)),
             QJsonObject{{QStringLiteral("tasks"), tasks}}),
        [](const QJsonObject &o) -> Result<QStringList> {
            QStringList ids;
            for (const QJsonValue &id : o.value(QLatin1StringView("ids")).toArray())
                ids.append(id.toString());
            return ids;
        });
}

QueueDeckClient::Reply<TaskInfo> QueueDeckClient::task(const QString &taskId, double waitS)
{
    CallOptions options;
    if (waitS > 0) {
        options.parkedLane = QStringLiteral("wait");
        options.extraTimeoutMs = qint64(waitS * 1000);
    }
    const QString path =
        waitS > 0 ? QStringLiteral("/api/v1/tasks/%1?wait_s=%2").arg(encode(taskId)).arg(waitS)
                  : QStringLiteral("/api/v1/tasks/%1").arg(encode(taskId));
    return mapped<TaskInfo>(call("GET", path, {}, options), &Codec::taskFromJson);
}

QueueDeckClient::Reply<Registration> QueueDeckClient::registerWorker(const RegisterRequest &request)
{
    return mapped<Registration>(
        call("POST", QStringLiteral("/api/v1/workers/register"), Codec::toJson(request)),
        [](const QJsonObject &o) -> Result<Registration> {
            Registration r;
            r.workerId = o.value(QLatin1StringView("worker_id")).toString();
            r.credential = o.value(QLatin1StringView("credential")).toString();
            r.heartbeatIntervalS =
                int(o.value(QLatin1StringView("heartbeat_interval_s")).toInteger(5));
            r.workerTimeoutS = o.value(QLatin1StringView("worker_timeout_s")).toInteger(30);
            if (r.workerId.isEmpty() || r.credential.isEmpty())
                return makeError(
                    ErrorCode::Internal,
                    QStringLiteral("the server's registration had no worker id or credential"));
            return r;
        });
}

QueueDeckClient::Reply<HeartbeatReply> QueueDeckClient::heartbeat(const QString &workerId,
                                                                  const QStringList &running,
                                                                  const QString &status)
{
    return mapped<HeartbeatReply>(
        call("POST", QStringLiteral("/api/v1/workers/%1/heartbeat").arg(encode(workerId)),
             QJsonObject{{QStringLiteral("status"), status},
                         {QStringLiteral("running"), QJsonArray::fromStringList(running)}},
             CallOptions{true, {}, 0}),
        [](const QJsonObject &o) -> Result<HeartbeatReply> {
            HeartbeatReply reply;
            const QString state = o.value(QLatin1StringView("state")).toString();
            reply.command = state == u"drain"  ? WorkerCommand::Drain
                            : state == u"stop" ? WorkerCommand::Stop
                                               : WorkerCommand::Run;
            for (const QJsonValue &id : o.value(QLatin1StringView("cancel")).toArray())
                reply.cancel.append(id.toString());
            return reply;
        });
}

QueueDeckClient::Reply<QList<LeasedTask>> QueueDeckClient::lease(const QString &workerId, int max,
                                                                 qint64 waitMs)
{
    CallOptions options;
    if (waitMs > 0) {
        options.parkedLane = QStringLiteral("lease:") + workerId;
        options.extraTimeoutMs = waitMs;
    }
    return mapped<QList<LeasedTask>>(
        call("POST", QStringLiteral("/api/v1/workers/%1/lease").arg(encode(workerId)),
             QJsonObject{{QStringLiteral("max"), max}, {QStringLiteral("wait_ms"), waitMs}},
             options),
        [](const QJsonObject &o) {
            return listOf<LeasedTask>(o.value(QLatin1StringView("tasks")).toArray(),
                                      &Codec::leasedTaskFromJson);
        });
}

namespace {

// The "results" of a complete: one outcome per acknowledged or failed task.
Result<QList<ItemOutcome>> outcomesOf(const QJsonObject &o)
{
    QList<ItemOutcome> out;
    for (const QJsonValue &value : o.value(QLatin1StringView("results")).toArray()) {
        const QJsonObject item = value.toObject();
        ItemOutcome outcome;
        outcome.taskId = item.value(QLatin1StringView("task_id")).toString();
        if (!item.value(QLatin1StringView("ok")).toBool())
            outcome.error = Codec::errorFromBody(
                409, QJsonDocument(QJsonObject{{QStringLiteral("error"),
                                                item.value(QLatin1StringView("error"))}})
                         .toJson());
        else
            outcome.state = taskStateFromName(item.value(QLatin1StringView("state")).toString())
                                .value_or(TaskState::Succeeded);
        out.append(outcome);
    }
    return out;
}

} // namespace

QueueDeckClient::Reply<QList<ItemOutcome>> QueueDeckClient::complete(const QString &workerId,
                                                                     const QList<TaskAck> &acks,
                                                                     const QList<TaskFail> &fails)
{
    // Retrying is safe: the same ack again is harmless.
    return mapped<QList<ItemOutcome>>(
        call("POST", QStringLiteral("/api/v1/workers/%1/complete").arg(encode(workerId)),
             Codec::toJson(CompleteRequest{workerId, acks, fails, std::nullopt}),
             CallOptions{true, {}, 0}),
        &outcomesOf);
}

QueueDeckClient::Reply<CompleteAndLease>
QueueDeckClient::completeAndLease(const QString &workerId, const QList<TaskAck> &acks,
                                  const QList<TaskFail> &fails, int max, qint64 waitMs)
{
    // Not retried: a retry would lease again while the first answer's tasks may be out.
    CallOptions options;
    if (waitMs > 0) {
        options.parkedLane = QStringLiteral("lease:") + workerId;
        options.extraTimeoutMs = waitMs;
    }
    return mapped<CompleteAndLease>(
        call("POST", QStringLiteral("/api/v1/workers/%1/complete").arg(encode(workerId)),
             Codec::toJson(
                 CompleteRequest{workerId, acks, fails, LeaseRequest{workerId, max, waitMs}}),
             options),
        [](const QJsonObject &o) -> Result<CompleteAndLease> {
            auto outcomes = outcomesOf(o);
            auto tasks = listOf<LeasedTask>(o.value(QLatin1StringView("tasks")).toArray(),
                                            &Codec::leasedTaskFromJson);
            if (!tasks)
                return std::unexpected(tasks.error());
            return CompleteAndLease{*outcomes, *tasks};
        });
}

QueueDeckClient::Reply<QList<WorkerInfo>> QueueDeckClient::listWorkers(const QString &queueId)
{
    const QString path =
        queueId.isEmpty() ? QStringLiteral("/api/v1/workers")
                          : QStringLiteral("/api/v1/worker-queues/%1/workers").arg(encode(queueId));
    return mapped<QList<WorkerInfo>>(call("GET", path), [](const QJsonObject &o) {
        return listOf<WorkerInfo>(o.value(QLatin1StringView("items")).toArray(),
                                  &Codec::workerFromJson);
    });
}

QueueDeckClient::Reply<void> QueueDeckClient::deregisterWorker(const QString &workerId)
{
    return mapped<void>(call("DELETE", QStringLiteral("/api/v1/workers/%1").arg(encode(workerId)),
                             {}, CallOptions{true, {}, 0}),
                        [](const QJsonObject &) -> Result<void> { return {}; });
}

namespace {

// An answer whose body carries nothing to decode.
Result<void> nothing(const QJsonObject &)
{
    return {};
}

QString queuePath(const QString &queueId, const char *rest = "")
{
    return QStringLiteral("/api/v1/worker-queues/") + encode(queueId) + QLatin1StringView(rest);
}

QString taskPath(const QString &taskId, const char *rest = "")
{
    return QStringLiteral("/api/v1/tasks/") + encode(taskId) + QLatin1StringView(rest);
}

template <typename T, typename Decode> auto itemsOf(Decode decode)
{
    return [decode](const QJsonObject &o) {
        return listOf<T>(o.value(QLatin1StringView("items")).toArray(), decode);
    };
}

} // namespace

QueueDeckClient::Reply<WorkerInfo> QueueDeckClient::drainWorker(const QString &workerId)
{
    return mapped<WorkerInfo>(call("POST",
                                   QStringLiteral("/api/v1/workers/%1/drain").arg(encode(workerId)),
                                   {}, CallOptions{true, {}, 0}),
                              &Codec::workerFromJson);
}

QueueDeckClient::Reply<QList<EnvironmentInfo>> QueueDeckClient::listEnvironments()
{
    return mapped<QList<EnvironmentInfo>>(
        call("GET", QStringLiteral("/api/v1/environments")),
        itemsOf<EnvironmentInfo>(&Codec::environmentInfoFromJson));
}

QueueDeckClient::Reply<EnvironmentInfo>
QueueDeckClient::createEnvironment(const EnvironmentInfo &environment)
{
    return mapped<EnvironmentInfo>(
        call("POST", QStringLiteral("/api/v1/environments"),
             QJsonObject{{QStringLiteral("name"), environment.name},
                         {QStringLiteral("description"), environment.description},
                         {QStringLiteral("auto_create"), environment.autoCreate}}),
        &Codec::environmentInfoFromJson);
}

QueueDeckClient::Reply<void> QueueDeckClient::deleteEnvironment(const QString &name)
{
    return mapped<void>(call("DELETE", QStringLiteral("/api/v1/environments/") + encode(name), {},
                             CallOptions{true, {}, 0}),
                        &nothing);
}

QueueDeckClient::Reply<void> QueueDeckClient::deleteQueue(const QString &queueId, bool force)
{
    return mapped<void>(call("DELETE", queuePath(queueId, force ? "?force=true" : ""), {},
                             CallOptions{true, {}, 0}),
                        &nothing);
}

QueueDeckClient::Reply<QueueInfo> QueueDeckClient::pauseQueue(const QString &queueId)
{
    return mapped<QueueInfo>(
        call("POST", queuePath(queueId, "/pause"), {}, CallOptions{true, {}, 0}),
        &Codec::queueFromJson);
}

QueueDeckClient::Reply<QueueInfo> QueueDeckClient::resumeQueue(const QString &queueId)
{
    return mapped<QueueInfo>(
        call("POST", queuePath(queueId, "/resume"), {}, CallOptions{true, {}, 0}),
        &Codec::queueFromJson);
}

QueueDeckClient::Reply<qint64> QueueDeckClient::purgeQueue(const QString &queueId)
{
    return mapped<qint64>(call("POST", queuePath(queueId, "/purge")),
                          [](const QJsonObject &o) -> Result<qint64> {
                              return o.value(QLatin1StringView("purged")).toInteger();
                          });
}

QueueDeckClient::Reply<QueueInfo> QueueDeckClient::rotateJoinToken(const QString &queueId)
{
    return mapped<QueueInfo>(call("POST", queuePath(queueId, "/rotate-token")),
                             &Codec::queueFromJson);
}

QueueDeckClient::Reply<QString> QueueDeckClient::installScript(const QString &queueId,
                                                               const QString &platform)
{
    return callText("GET", queuePath(queueId, "/install-script?platform=") + encode(platform))
        .then([](const Result<QByteArray> &text) -> Result<QString> {
            if (!text)
                return std::unexpected(text.error());
            return QString::fromUtf8(*text);
        });
}

QueueDeckClient::Reply<TaskPage> QueueDeckClient::listTasks(const QString &queueId,
                                                            const TaskFilter &filter)
{
    QString query = QStringLiteral("limit=%1").arg(filter.limit);
    if (filter.state)
        query += QStringLiteral("&state=") + taskStateName(*filter.state);
    if (!filter.type.isEmpty())
        query += QStringLiteral("&type=") + encode(filter.type);
    if (!filter.text.isEmpty())
        query += QStringLiteral("&q=") + encode(filter.text);
    if (!filter.cursor.isEmpty())
        query += QStringLiteral("&cursor=") + encode(filter.cursor);
    return mapped<TaskPage>(
        call("GET", queuePath(queueId, "/tasks?") + query),
        [](const QJsonObject &o) -> Result<TaskPage> {
            auto items = listOf<TaskInfo>(o.value(QLatin1StringView("items")).toArray(),
                                          &Codec::taskFromJson);
            if (!items)
                return std::unexpected(items.error());
            return TaskPage{*items, o.value(QLatin1StringView("next_cursor")).toString()};
        });
}

QueueDeckClient::Reply<TaskInfo> QueueDeckClient::cancelTask(const QString &taskId)
{
    return mapped<TaskInfo>(call("POST", taskPath(taskId, "/cancel")), &Codec::taskFromJson);
}

QueueDeckClient::Reply<TaskInfo> QueueDeckClient::retryTask(const QString &taskId)
{
    return mapped<TaskInfo>(call("POST", taskPath(taskId, "/retry")), &Codec::taskFromJson);
}

QueueDeckClient::Reply<void> QueueDeckClient::deleteTask(const QString &taskId)
{
    return mapped<void>(call("DELETE", taskPath(taskId), {}, CallOptions{true, {}, 0}), &nothing);
}

QueueDeckClient::Reply<qint64> QueueDeckClient::bulkTasks(const QString &queueId,
                                                          const BulkRequest &request)
{
    return mapped<qint64>(call("POST", queuePath(queueId, "/tasks:bulk"), Codec::toJson(request)),
                          [](const QJsonObject &o) -> Result<qint64> {
                              return o.value(QLatin1StringView("affected")).toInteger();
                          });
}

QueueDeckClient::Reply<QList<LogLine>> QueueDeckClient::taskLogs(const QString &taskId,
                                                                 qint64 afterId, int limit)
{
    return mapped<QList<LogLine>>(
        call("GET", taskPath(taskId, "/logs") +
                        QStringLiteral("?after=%1&limit=%2").arg(afterId).arg(limit)),
        itemsOf<LogLine>(&Codec::logLineFromJson));
}

QueueDeckClient::Reply<int> QueueDeckClient::appendLogs(const QString &taskId,
                                                        const QString &leaseId,
                                                        const QList<LogLine> &lines)
{
    QJsonArray items;
    for (const LogLine &line : lines)
        items.append(QJsonObject{{QStringLiteral("stream"),
                                  line.stream.isEmpty() ? QStringLiteral("stdout") : line.stream},
                                 {QStringLiteral("line"), line.text}});
    return mapped<int>(
        call("POST", taskPath(taskId, "/logs"),
             QJsonObject{{QStringLiteral("lease_id"), leaseId}, {QStringLiteral("lines"), items}}),
        [](const QJsonObject &o) -> Result<int> {
            return int(o.value(QLatin1StringView("appended")).toInteger());
        });
}

QueueDeckClient::Reply<qint64> QueueDeckClient::extendLease(const QString &taskId,
                                                            const QString &leaseId)
{
    return mapped<qint64>(
        call("POST", taskPath(taskId, "/extend"),
             QJsonObject{{QStringLiteral("lease_id"), leaseId}}, CallOptions{true, {}, 0}),
        [](const QJsonObject &o) -> Result<qint64> {
            return QDateTime::fromString(o.value(QLatin1StringView("lease_expires_at")).toString(),
                                         Qt::ISODateWithMs)
                .toMSecsSinceEpoch();
        });
}

QueueDeckClient::Reply<ProducerToken>
QueueDeckClient::createProducerToken(const QString &name, const QStringList &queueIds)
{
    return mapped<ProducerToken>(
        call("POST", QStringLiteral("/api/v1/producer-tokens"),
             QJsonObject{{QStringLiteral("name"), name},
                         {QStringLiteral("queue_ids"), QJsonArray::fromStringList(queueIds)}}),
        &Codec::producerTokenFromJson);
}

QueueDeckClient::Reply<QList<ProducerToken>> QueueDeckClient::listProducerTokens()
{
    return mapped<QList<ProducerToken>>(call("GET", QStringLiteral("/api/v1/producer-tokens")),
                                        itemsOf<ProducerToken>(&Codec::producerTokenFromJson));
}

QueueDeckClient::Reply<void> QueueDeckClient::revokeProducerToken(const QString &name)
{
    return mapped<void>(call("DELETE",
                             QStringLiteral("/api/v1/producer-tokens/%1").arg(encode(name)), {},
                             CallOptions{true, {}, 0}),
                        &nothing);
}

QueueDeckClient::Reply<QList<AuditEntry>> QueueDeckClient::listAudit(qint64 beforeId, int limit)
{
    QString path = QStringLiteral("/api/v1/audit?limit=%1").arg(limit);
    if (beforeId > 0)
        path += QStringLiteral("&cursor=%1").arg(beforeId);
    return mapped<QList<AuditEntry>>(call("GET", path), itemsOf<AuditEntry>(&Codec::auditFromJson));
}

QueueDeckClient::Reply<DashboardSnapshot> QueueDeckClient::dashboard(const QString &environment)
{
    const QString query =
        environment.isEmpty() ? QString() : QStringLiteral("?environment=") + encode(environment);
    return mapped<DashboardSnapshot>(call("GET", QStringLiteral("/api/v1/dashboard") + query),
                                     &Codec::dashboardFromJson);
}

QueueDeckClient::Reply<QList<NodeInfo>> QueueDeckClient::listNodes()
{
    return mapped<QList<NodeInfo>>(call("GET", QStringLiteral("/api/v1/nodes")),
                                   &NodeCodec::nodesFromJson);
}

QueueDeckClient::Reply<MetricSeries> QueueDeckClient::metrics(const QString &queueId,
                                                              const QString &range)
{
    const QString path =
        queueId.isEmpty() ? QStringLiteral("/api/v1/metrics") : queuePath(queueId, "/metrics");
    return mapped<MetricSeries>(call("GET", path + QStringLiteral("?range=") + encode(range)),
                                &Codec::metricSeriesFromJson);
}

} // namespace QueueDeck::Client
