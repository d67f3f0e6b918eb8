// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The route table of design §6 and the handlers: parse, authorise, call the engine, serialise.
#include "apiservice.h"

#include "engine.h"
#include "httptypes.h"
#include "ids.h"
#include "installscripts.h"
#include "protocol/codec.h"
#include "protocol/jsonarrayscan.h"
#include "protocol/versioncompat.h"
#include "validation.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QTimer>

namespace QueueDeck::Api {

namespace {

QJsonObject items(const QJsonArray &array)
{
    return QJsonObject{{QStringLiteral("items"), array},
                       {QStringLiteral("next_cursor"), QJsonValue()}};
}

template <typename T> QJsonArray arrayOf(const QList<T> &values)
{
    QJsonArray array;
    for (const T &value : values)
        array.append(Codec::toJson(value));
    return array;
}

// The OpenAPI document compiled into the binary (server/api/openapi.json).
QByteArray openApiDocument()
{
    static const QByteArray document = [] {
        QFile file(QStringLiteral(":/queuedeck/openapi.json"));
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("{}");
    }();
    return document;
}

// A viewer token as the API shows it: a name, when it was made, and the token only at creation.
QJsonObject viewerTokenJson(const ProducerToken &token)
{
    QJsonObject object = Codec::toJson(token);
    object.remove(QStringLiteral("queue_ids"));
    return object;
}

Error invalid(QString message)
{
    return Error{ErrorCode::InvalidArgument, std::move(message), {}};
}

// Shell-quotes a value for the connect command.
QString shellQuote(const QString &value)
{
    static const QString safe =
        QStringLiteral("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./:=@%+,");
    bool plain = !value.isEmpty();
    for (QChar c : value)
        plain = plain && safe.contains(c);
    if (plain)
        return value;
    QString quoted = value;
    quoted.replace(u'\'', QStringLiteral("'\\''"));
    return u'\'' + quoted + u'\'';
}

} // namespace

template <typename T, typename ToJson>
void ApiService::reply(const Call &call, QFuture<Result<T>> future, ToJson toJson, int status)
{
    const Http::HttpResponder responder = call.responder;
    future.then(this, [responder, toJson, status](const Result<T> &result) {
        if (!result) {
            sendError(responder, result.error());
            return;
        }
        if constexpr (std::is_void_v<T>)
            sendJson(responder, status, toJson());
        else
            sendJson(responder, status, toJson(*result));
    });
}

template <typename T> std::optional<T> ApiService::parsed(const Call &call, Result<T> value)
{
    if (!value) {
        sendError(call.responder, value.error());
        return std::nullopt;
    }
    return std::move(*value);
}

template <typename T>
std::optional<T> ApiService::parseBody(const Call &call, Result<T> (*decode)(const QJsonObject &))
{
    auto body = parsed(call, Codec::parseObject(call.request.body));
    if (!body)
        return std::nullopt;
    return parsed(call, decode(*body));
}

void ApiService::addRoutes()
{
    auto route = [this](const char *method, const char *path, Access access, Handler handler) {
        m_router.add(QByteArray(method), QString::fromLatin1(path), access, std::move(handler));
    };

    route("GET", "/api/v1/health", Access::Anyone, [](ApiService *, const Call &call) {
        sendJson(call.responder, 200,
                 QJsonObject{{QStringLiteral("status"), QStringLiteral("ok")}});
    });
    route("GET", "/api/v1/version", Access::Anyone, [](ApiService *self, const Call &call) {
        QJsonObject version{{QStringLiteral("version"), QStringLiteral(QUEUEDECK_VERSION)},
                            {QStringLiteral("api"), QStringLiteral("v1")},
                            {QStringLiteral("oldest_agent_version"),
                             QLatin1StringView(VersionCompat::OldestAgentVersion)},
                            {QStringLiteral("newest_agent_version"),
                             VersionCompat::newestAgentVersion(QStringLiteral(QUEUEDECK_VERSION))}};
        // For convenience only: a client pins what it was told out of band, not what this says.
        if (!self->m_fingerprint.isEmpty())
            version.insert(QStringLiteral("tls_fingerprint"), self->m_fingerprint);
        sendJson(call.responder, 200, version);
    });

    route("GET", "/api/v1/openapi.json", Access::Anyone,
          [](ApiService *, const Call &call) { sendJson(call.responder, 200, openApiDocument()); });

    route("GET", "/api/v1/environments", Access::Read, [](ApiService *self, const Call &call) {
        self->reply(call, self->m_engine.listEnvironments(),
                    [](const QList<EnvironmentInfo> &v) { return items(arrayOf(v)); });
    });
    route("POST", "/api/v1/environments", Access::Admin, [](ApiService *self, const Call &call) {
        auto environment = self->parseBody(call, &Codec::environmentFromJson);
        if (environment)
            self->reply(
                call, self->m_engine.createEnvironment(*environment),
                [](const EnvironmentInfo &e) { return Codec::toJson(e); }, 201);
    });

    route("POST", "/api/v1/environments/{env}/worker-queues", Access::Admin,
          [](ApiService *self, const Call &call) { self->createQueue(call); });
    route("GET", "/api/v1/worker-queues", Access::Read,
          [](ApiService *self, const Call &call) { self->listQueues(call); });
    route("GET", "/api/v1/environments/{env}/worker-queues", Access::Read,
          [](ApiService *self, const Call &call) { self->listQueues(call); });
    route("GET", "/api/v1/worker-queues/{qid}", Access::Read,
          [](ApiService *self, const Call &call) {
              self->reply(call, self->m_engine.queue(call.param("qid")),
                          [](const QueueInfo &q) { return Codec::toJson(q); });
          });
    route("PATCH", "/api/v1/worker-queues/{qid}", Access::Admin,
          [](ApiService *self, const Call &call) { self->patchQueue(call); });
    route("DELETE", "/api/v1/worker-queues/{qid}", Access::Admin,
          [](ApiService *self, const Call &call) {
              const bool force = call.request.query.queryItemValue(QStringLiteral("force"),
                                                                   QUrl::FullyDecoded) == u"true";
              self->reply(call, self->m_engine.deleteQueue(call.param("qid"), force), [] {
                  return QJsonObject{{QStringLiteral("deleted"), true}};
              });
          });
    for (const char *action : {"pause", "resume", "purge", "rotate-token"}) {
        const QString name = QString::fromLatin1(action);
        route("POST", qPrintable(QStringLiteral("/api/v1/worker-queues/{qid}/") + name),
              Access::Admin,
              [name](ApiService *self, const Call &call) { self->queueAction(call, name); });
    }
    route("GET", "/api/v1/worker-queues/{qid}/worker-command", Access::Read,
          [](ApiService *self, const Call &call) { self->workerCommand(call); });
    route("GET", "/api/v1/worker-queues/{qid}/install-script", Access::Read,
          [](ApiService *self, const Call &call) { self->installScript(call); });
    route("GET", "/api/v1/worker-queues/{qid}/workers", Access::Read,
          [](ApiService *self, const Call &call) {
              self->reply(call, self->m_engine.listWorkers(call.param("qid")),
                          [](const QList<WorkerInfo> &v) { return items(arrayOf(v)); });
          });
    route("GET", "/api/v1/workers", Access::Read, [](ApiService *self, const Call &call) {
        self->reply(call, self->m_engine.listWorkers(),
                    [](const QList<WorkerInfo> &v) { return items(arrayOf(v)); });
    });

    route("POST", "/api/v1/worker-queues/{qid}/tasks", Access::ProducerOrAdmin,
          [](ApiService *self, const Call &call) { self->enqueue(call); });
    route("POST", "/api/v1/worker-queues/{qid}/tasks:batch", Access::ProducerOrAdmin,
          [](ApiService *self, const Call &call) { self->enqueueBatch(call); });
    route("POST", "/api/v1/worker-queues/{qid}/tasks:bulk", Access::Admin,
          [](ApiService *self, const Call &call) {
              auto request = self->parseBody(call, &Codec::bulkFromJson);
              if (request)
                  self->reply(call, self->m_engine.bulkTasks(call.param("qid"), *request),
                              [](qint64 affected) {
                                  return QJsonObject{{QStringLiteral("affected"), affected}};
                              });
          });
    route("POST", "/api/v1/environments/{env}/queues/{name}/tasks", Access::ProducerOrAdmin,
          [](ApiService *self, const Call &call) { self->enqueueByName(call); });
    route("GET", "/api/v1/worker-queues/{qid}/tasks", Access::ProducerOrRead,
          [](ApiService *self, const Call &call) { self->listTasks(call); });
    route("GET", "/api/v1/tasks/{tid}", Access::ProducerOrRead,
          [](ApiService *self, const Call &call) { self->getTask(call); });
    route("POST", "/api/v1/tasks/{tid}/cancel", Access::Admin,
          [](ApiService *self, const Call &call) {
              self->reply(call, self->m_engine.cancelTask(call.param("tid")),
                          [](const TaskInfo &t) { return Codec::taskText(t); });
          });
    route("POST", "/api/v1/tasks/{tid}/retry", Access::Admin,
          [](ApiService *self, const Call &call) {
              self->reply(call, self->m_engine.retryTask(call.param("tid")),
                          [](const TaskInfo &t) { return Codec::taskText(t); });
          });
    route("DELETE", "/api/v1/tasks/{tid}", Access::Admin, [](ApiService *self, const Call &call) {
        self->reply(call, self->m_engine.deleteTask(call.param("tid")), [] {
            return QJsonObject{{QStringLiteral("deleted"), true}};
        });
    });

    route("POST", "/api/v1/workers/register", Access::JoinOrAdmin,
          [](ApiService *self, const Call &call) { self->registerWorker(call); });
    route("POST", "/api/v1/workers/{id}/heartbeat", Access::Worker,
          [](ApiService *self, const Call &call) { self->heartbeat(call, call.param("id")); });
    route("POST", "/api/v1/workers/heartbeat", Access::Worker,
          [](ApiService *self, const Call &call) { self->heartbeat(call, {}); });
    route("POST", "/api/v1/workers/{id}/lease", Access::Worker,
          [](ApiService *self, const Call &call) { self->lease(call); });
    route("POST", "/api/v1/workers/{id}/complete", Access::Worker,
          [](ApiService *self, const Call &call) { self->complete(call); });
    route("POST", "/api/v1/tasks/{tid}/ack", Access::Worker,
          [](ApiService *self, const Call &call) { self->singleComplete(call, true); });
    route("POST", "/api/v1/tasks/{tid}/fail", Access::Worker,
          [](ApiService *self, const Call &call) { self->singleComplete(call, false); });
    route("POST", "/api/v1/tasks/{tid}/logs", Access::Worker,
          [](ApiService *self, const Call &call) {
              auto body = self->parsed(call, Codec::parseObject(call.request.body));
              if (!body)
                  return;
              QList<LogLine> lines;
              for (const QJsonValue &value : body->value(QStringLiteral("lines")).toArray()) {
                  const QJsonObject item = value.toObject();
                  if (!item.value(QStringLiteral("line")).isString()) {
                      sendError(call.responder,
                                invalid(QStringLiteral("lines must be objects like {\"line\": "
                                                       "\"…\", \"stream\": \"stderr\"}")));
                      return;
                  }
                  lines.append({0, 0, item.value(QStringLiteral("stream")).toString(),
                                item.value(QStringLiteral("line")).toString()});
              }
              const QString workerId =
                  call.principal.kind == PrincipalKind::Worker ? call.principal.name : QString();
              self->reply(call,
                          self->m_engine.appendLogs(
                              workerId, call.param("tid"),
                              body->value(QStringLiteral("lease_id")).toString(), lines),
                          [count = lines.size()] {
                              return QJsonObject{{QStringLiteral("appended"), count}};
                          });
          });
    route("GET", "/api/v1/tasks/{tid}/logs", Access::ProducerOrRead,
          [](ApiService *self, const Call &call) {
              const QUrlQuery &query = call.request.query;
              const qint64 after =
                  query.queryItemValue(QStringLiteral("after"), QUrl::FullyDecoded).toLongLong();
              bool limitOk = true;
              const int limit =
                  query.hasQueryItem(QStringLiteral("limit"))
                      ? query.queryItemValue(QStringLiteral("limit"), QUrl::FullyDecoded)
                            .toInt(&limitOk)
                      : 1000;
              if (!limitOk) {
                  sendError(call.responder,
                            invalid(QStringLiteral("limit must be a whole number")));
                  return;
              }
              auto answer = [self, call, after, limit] {
                  self->reply(
                      call, self->m_engine.taskLogs(call.param("tid"), after, limit),
                      [](const QList<LogLine> &lines) {
                          QJsonArray items;
                          for (const LogLine &line : lines)
                              items.append(
                                  QJsonObject{{QStringLiteral("id"), line.id},
                                              {QStringLiteral("at"),
                                               QDateTime::fromMSecsSinceEpoch(line.atMs, Qt::UTC)
                                                   .toString(Qt::ISODateWithMs)},
                                              {QStringLiteral("stream"), line.stream},
                                              {QStringLiteral("line"), line.text}});
                          return QJsonObject{{QStringLiteral("items"), items},
                                             {QStringLiteral("next_cursor"),
                                              lines.isEmpty()
                                                  ? QJsonValue()
                                                  : QJsonValue(QString::number(lines.last().id))}};
                      });
              };
              if (call.principal.kind == PrincipalKind::Admin ||
                  call.principal.kind == PrincipalKind::Viewer) {
                  answer();
                  return;
              }
              // A producer token reads only the logs of tasks in its queues.
              self->m_engine.task(call.param("tid"))
                  .then(self, [self, call, answer](const Result<TaskInfo> &task) {
                      if (!task)
                          sendError(call.responder, task.error());
                      else if (self->queueAllowed(call, task->queueId))
                          answer();
                  });
          });
    route("POST", "/api/v1/tasks/{tid}/extend", Access::Worker,
          [](ApiService *self, const Call &call) { self->extend(call); });
    route("POST", "/api/v1/workers/{id}/drain", Access::Admin,
          [](ApiService *self, const Call &call) {
              self->reply(call, self->m_engine.drainWorker(call.param("id")),
                          [](const WorkerInfo &w) { return Codec::toJson(w); });
          });
    route("DELETE", "/api/v1/workers/{id}", Access::WorkerOrAdmin,
          [](ApiService *self, const Call &call) {
              self->reply(call, self->m_engine.deregisterWorker(call.param("id")), [] {
                  return QJsonObject{{QStringLiteral("deregistered"), true}};
              });
          });

    route("POST", "/api/v1/producer-tokens", Access::Admin, [](ApiService *self, const Call &call) {
        auto body = self->parsed(call, Codec::parseObject(call.request.body));
        if (!body)
            return;
        const QString name = body->value(QStringLiteral("name")).toString();
        QStringList queueIds;
        for (const QJsonValue &id : body->value(QStringLiteral("queue_ids")).toArray())
            queueIds.append(id.toString());
        for (const QString &key : body->keys()) {
            if (key != u"name" && key != u"queue_ids") {
                sendError(
                    call.responder,
                    invalid(QStringLiteral("unknown field %1; send name and queue_ids").arg(key)));
                return;
            }
        }
        self->reply(
            call, self->m_engine.createProducerToken(name, queueIds),
            [](const ProducerToken &t) { return Codec::toJson(t); }, 201);
    });
    route("GET", "/api/v1/producer-tokens", Access::Read, [](ApiService *self, const Call &call) {
        self->reply(call, self->m_engine.listProducerTokens(),
                    [](const QList<ProducerToken> &v) { return items(arrayOf(v)); });
    });
    route("DELETE", "/api/v1/producer-tokens/{name}", Access::Admin,
          [](ApiService *self, const Call &call) {
              self->reply(call, self->m_engine.revokeProducerToken(call.param("name")), [] {
                  return QJsonObject{{QStringLiteral("revoked"), true}};
              });
          });
    route("POST", "/api/v1/viewer-tokens", Access::Admin, [](ApiService *self, const Call &call) {
        auto body = self->parsed(call, Codec::parseObject(call.request.body));
        if (!body)
            return;
        for (const QString &key : body->keys()) {
            if (key != u"name") {
                sendError(call.responder,
                          invalid(QStringLiteral("unknown field %1; send only name").arg(key)));
                return;
            }
        }
        self->reply(
            call, self->m_engine.createViewerToken(body->value(QStringLiteral("name")).toString()),
            [](const ProducerToken &t) { return viewerTokenJson(t); }, 201);
    });
    route("GET", "/api/v1/viewer-tokens", Access::Read, [](ApiService *self, const Call &call) {
        self->reply(call, self->m_engine.listViewerTokens(), [](const QList<ProducerToken> &v) {
            QJsonArray array;
            for (const ProducerToken &token : v)
                array.append(viewerTokenJson(token));
            return items(array);
        });
    });
    route("DELETE", "/api/v1/viewer-tokens/{name}", Access::Admin,
          [](ApiService *self, const Call &call) {
              self->reply(call, self->m_engine.revokeViewerToken(call.param("name")), [] {
                  return QJsonObject{{QStringLiteral("revoked"), true}};
              });
          });
    route("GET", "/api/v1/audit", Access::Read, [](ApiService *self, const Call &call) {
        const QUrlQuery &query = call.request.query;
        bool limitOk = true;
        const int limit =
            query.hasQueryItem(QStringLiteral("limit"))
                ? query.queryItemValue(QStringLiteral("limit"), QUrl::FullyDecoded).toInt(&limitOk)
                : 100;
        const qint64 before =
            query.queryItemValue(QStringLiteral("cursor"), QUrl::FullyDecoded).toLongLong();
        if (!limitOk) {
            sendError(call.responder, invalid(QStringLiteral("limit must be a whole number")));
            return;
        }
        self->reply(call, self->m_engine.listAudit(before, limit),
                    [limit](const QList<AuditEntry> &entries) {
                        const bool more = entries.size() == limit;
                        return QJsonObject{
                            {QStringLiteral("items"), arrayOf(entries)},
                            {QStringLiteral("next_cursor"),
                             more ? QJsonValue(QString::number(entries.last().id)) : QJsonValue()}};
                    });
    });

    route("GET", "/api/v1/dashboard", Access::Read, [](ApiService *self, const Call &call) {
        self->reply(call,
                    self->m_engine.dashboard(call.request.query.queryItemValue(
                        QStringLiteral("environment"), QUrl::FullyDecoded)),
                    [](const DashboardSnapshot &d) { return Codec::toJson(d); });
    });
    auto metrics = [](ApiService *self, const Call &call) {
        const QString rangeName =
            call.request.query.queryItemValue(QStringLiteral("range"), QUrl::FullyDecoded);
        const auto range =
            metricRangeFromName(rangeName.isEmpty() ? QStringLiteral("5m") : rangeName);
        if (!range) {
            sendError(
                call.responder,
                invalid(QStringLiteral("range must be 5m, 1h, 24h or 7d (got %1)").arg(rangeName)));
            return;
        }
        self->reply(call, self->m_engine.metrics(call.param("qid"), *range),
                    [](const MetricSeries &s) { return Codec::toJson(s); });
    };
    route("GET", "/api/v1/worker-queues/{qid}/metrics", Access::Read, metrics);
    route("GET", "/api/v1/metrics", Access::Read, metrics);
    route("GET", "/api/v1/events", Access::Read,
          [](ApiService *self, const Call &call) { self->events(call); });
    route("GET", "/metrics", Access::Read,
          [](ApiService *self, const Call &call) { self->prometheus(call); });
    addBackupRoutes();
    addEnvironmentRoutes();
}

void ApiService::markAudited()
{
    for (const char *action : {"POST /api/v1/environments",
                               "POST /api/v1/environments/{env}/worker-queues",
                               "PATCH /api/v1/worker-queues/{qid}",
                               "DELETE /api/v1/worker-queues/{qid}",
                               "POST /api/v1/worker-queues/{qid}/pause",
                               "POST /api/v1/worker-queues/{qid}/resume",
                               "POST /api/v1/worker-queues/{qid}/purge",
                               "POST /api/v1/worker-queues/{qid}/rotate-token",
                               "POST /api/v1/tasks/{tid}/cancel",
                               "POST /api/v1/tasks/{tid}/retry",
                               "DELETE /api/v1/tasks/{tid}",
                               "POST /api/v1/workers/{id}/drain",
                               "DELETE /api/v1/workers/{id}",
                               "POST /api/v1/producer-tokens",
                               "DELETE /api/v1/producer-tokens/{name}",
                               "POST /api/v1/viewer-tokens",
                               "DELETE /api/v1/viewer-tokens/{name}",
                               "POST /api/v1/admin/backups",
                               "DELETE /api/v1/admin/backups/{bid}",
                               "DELETE /api/v1/environments/{env}"})
        m_audited.insert(QString::fromLatin1(action));
}

void ApiService::createQueue(const Call &call)
{
    auto create = parseBody(call, &Codec::queueCreateFromJson);
    if (create)
        reply(
            call, m_engine.createQueue(call.param("env"), create->name, create->settings),
            [](const QueueInfo &q) { return Codec::toJson(q); }, 201);
}

void ApiService::listQueues(const Call &call)
{
    // GET /environments/{env}/worker-queues, or GET /worker-queues?environment=
    const QString environment =
        call.params.contains(QStringLiteral("env"))
            ? call.param("env")
            : call.request.query.queryItemValue(QStringLiteral("environment"), QUrl::FullyDecoded);
    reply(call, m_engine.listQueues(environment),
          [](const QList<QueueInfo> &v) { return items(arrayOf(v)); });
}

void ApiService::patchQueue(const Call &call)
{
    auto patch = parseBody(call, &Codec::queuePatchFromJson);
    if (patch)
        reply(call, m_engine.updateQueue(call.param("qid"), *patch),
              [](const QueueInfo &q) { return Codec::toJson(q); });
}

void ApiService::queueAction(const Call &call, const QString &action)
{
    const QString queueId = call.param("qid");
    if (action == u"purge") {
        reply(call, m_engine.purgeQueue(queueId), [](qint64 removed) {
            return QJsonObject{{QStringLiteral("purged"), removed}};
        });
        return;
    }
    if (action == u"rotate-token") {
        reply(call, m_engine.rotateJoinToken(queueId),
              [](const QueueInfo &q) { return Codec::toJson(q); });
        return;
    }
    QueuePatch patch;
    patch.paused = action == u"pause";
    reply(call, m_engine.updateQueue(queueId, patch),
          [](const QueueInfo &q) { return Codec::toJson(q); });
}

void ApiService::installScript(const Call &call)
{
    const QString platform =
        call.request.query.queryItemValue(QStringLiteral("platform"), QUrl::FullyDecoded);
    using Writer = QString (*)(const InstallTarget &);
    Writer writer = nullptr;
    QByteArray contentType = "text/x-shellscript; charset=utf-8";
    if (platform.isEmpty() || platform == u"local") {
        writer = &localInstallScript;
    } else if (platform == u"docker") {
        writer = &dockerInstallScript;
    } else if (platform == u"kubernetes") {
        writer = &kubernetesManifest;
        contentType = "application/yaml; charset=utf-8";
    } else {
        sendError(call.responder,
                  invalid(QStringLiteral("platform must be local, docker or kubernetes (got %1)")
                              .arg(platform)));
        return;
    }
    QString image = call.request.query.queryItemValue(QStringLiteral("image"), QUrl::FullyDecoded);
    if (image.isEmpty()) {
        image = defaultWorkerImage();
    } else if (!isImageReference(image)) {
        sendError(call.responder,
                  invalid(QStringLiteral("image must be an image reference such as "
                                         "registry.example.com/queuedeck-worker:%1 (letters, "
                                         "digits and . _ - / : @ only; got %2)")
                              .arg(QString::fromLatin1(QUEUEDECK_VERSION), image)));
        return;
    }
    const QString serverUrl = publicUrl();
    const QString fingerprint = m_fingerprint;
    const QString joinToken = joinTokenShownTo(call.principal);
    const Http::HttpResponder responder = call.responder;
    m_engine.queue(call.param("qid"))
        .then(this, [responder, writer, contentType, serverUrl, fingerprint, joinToken,
                     image](const Result<QueueInfo> &queue) {
            if (!queue) {
                sendError(responder, queue.error());
                return;
            }
            Http::HttpResponse response;
            response.contentType = contentType;
            InstallTarget target{queue->id, queue->name, serverUrl,
                                 joinToken.isEmpty() ? queue->joinToken : joinToken};
            target.image = image;
            target.serverFingerprint = fingerprint;
            response.body = writer(target).toUtf8();
            responder.send(response);
        });
}

void ApiService::workerCommand(const Call &call)
{
    const QString platform =
        call.request.query.queryItemValue(QStringLiteral("platform"), QUrl::FullyDecoded);
    if (!platform.isEmpty() && platform != u"local") {
        sendError(call.responder,
                  invalid(QStringLiteral("platform must be local; docker and kubernetes come as "
                                         "install-script (got %1)")
                              .arg(platform)));
        return;
    }
    const QString serverUrl = publicUrl();
    const QString program = m_options.workerProgram.isEmpty() ? QStringLiteral("qdeck")
                                                              : shellQuote(m_options.workerProgram);
    const QString fingerprint = m_fingerprint;
    const QString joinToken = joinTokenShownTo(call.principal);
    reply(call, m_engine.queue(call.param("qid")),
          [serverUrl, program, fingerprint, joinToken](const QueueInfo &q) {
              const QString pin = fingerprint.isEmpty()
                                      ? QString()
                                      : QStringLiteral(" --server-fingerprint ") + fingerprint;
              const QString command =
                  QStringLiteral("QUEUEDECK_TOKEN=%1 %5 worker start --queue-id %2 --server "
                                 "%3%4 -- ./handle-task")
                      .arg(joinToken.isEmpty() ? q.joinToken : joinToken, q.id,
                           shellQuote(serverUrl), pin, program);
              QJsonObject answer{
                  {QStringLiteral("command"), command},
                  {QStringLiteral("queue_id"), q.id},
                  {QStringLiteral("server_url"), serverUrl},
                  {QStringLiteral("platform"), QStringLiteral("local")},
                  {QStringLiteral("handler_placeholder"), QStringLiteral("./handle-task")}};
              if (!fingerprint.isEmpty())
                  answer.insert(QStringLiteral("server_fingerprint"), fingerprint);
              return answer;
          });
}

void ApiService::enqueue(const Call &call)
{
    const QString queueId = call.param("qid");
    if (!queueAllowed(call, queueId))
        return;
    auto request = parseBody(call, &Codec::enqueueFromJson);
    if (!request)
        return;
    const Http::HttpResponder responder = call.responder;
    m_engine.enqueue(queueId, *request).then(this, [responder](const Result<TaskInfo> &task) {
        if (!task)
            sendError(responder, task.error());
        else
            sendJson(responder, task->created ? 201 : 200, Codec::taskText(*task));
    });
}

void ApiService::enqueueBatch(const Call &call)
{
    const QString queueId = call.param("qid");
    if (!queueAllowed(call, queueId))
        return;
    // Refused before parsing: a parse of 200,000 tasks costs seconds and a hundred MB first.
    if (Codec::countArrayItems(call.request.body, "tasks", Validation::MaxEnqueueBatch) >
        Validation::MaxEnqueueBatch) {
        sendError(call.responder,
                  Error{ErrorCode::InvalidArgument,
                        QStringLiteral("a batch holds at most %1 tasks and this one holds more; "
                                       "split it")
                            .arg(Validation::MaxEnqueueBatch),
                        QJsonObject{{QStringLiteral("max_tasks"), Validation::MaxEnqueueBatch}}});
        return;
    }
    auto requests = parseBody(call, &Codec::enqueueBatchFromJson);
    if (requests)
        reply(
            call, m_engine.enqueueBatch(queueId, *requests),
            [](const QStringList &ids) {
                return QJsonObject{{QStringLiteral("ids"), QJsonArray::fromStringList(ids)}};
            },
            201);
}

void ApiService::enqueueByName(const Call &call)
{
    auto request = parseBody(call, &Codec::enqueueFromJson);
    if (!request)
        return;
    if (call.principal.kind != PrincipalKind::Admin) {
        sendError(call.responder,
                  Error{ErrorCode::PermissionDenied,
                        QStringLiteral("enqueue by name may create queues: use the admin token, or "
                                       "enqueue by queue id"),
                        {}});
        return;
    }
    reply(
        call, m_engine.enqueueByName(call.param("env"), call.param("name"), *request),
        [](const TaskInfo &t) { return Codec::taskText(t); }, 201);
}

void ApiService::listTasks(const Call &call)
{
    const QString queueId = call.param("qid");
    if (!queueAllowed(call, queueId))
        return;
    const QUrlQuery &query = call.request.query;
    TaskFilter filter;
    if (const QString state = query.queryItemValue(QStringLiteral("state"), QUrl::FullyDecoded);
        !state.isEmpty()) {
        filter.state = taskStateFromName(state);
        if (!filter.state) {
            sendError(call.responder,
                      invalid(QStringLiteral("state must be one of scheduled, queued, running, "
                                             "succeeded, dead, cancelled (got %1)")
                                  .arg(state)));
            return;
        }
    }
    filter.type = query.queryItemValue(QStringLiteral("type"), QUrl::FullyDecoded);
    filter.text = query.queryItemValue(QStringLiteral("q"), QUrl::FullyDecoded);
    filter.cursor = query.queryItemValue(QStringLiteral("cursor"), QUrl::FullyDecoded);
    if (const QString limit = query.queryItemValue(QStringLiteral("limit"), QUrl::FullyDecoded);
        !limit.isEmpty()) {
        bool ok = false;
        filter.limit = limit.toInt(&ok);
        if (!ok) {
            sendError(call.responder,
                      invalid(QStringLiteral("limit must be a whole number (got %1)").arg(limit)));
            return;
        }
    }
    reply(call, m_engine.listTasks(queueId, filter), [](const TaskPage &page) {
        return QJsonObject{{QStringLiteral("items"), arrayOf(page.items)},
                           {QStringLiteral("next_cursor"), page.nextCursor.isEmpty()
                                                               ? QJsonValue()
                                                               : QJsonValue(page.nextCursor)}};
    });
}

void ApiService::getTask(const Call &call)
{
    const QString waitText =
        call.request.query.queryItemValue(QStringLiteral("wait_s"), QUrl::FullyDecoded);
    qint64 waitMs = 0;
    if (!waitText.isEmpty()) {
        bool ok = false;
        const double seconds = waitText.toDouble(&ok);
        if (!ok || seconds < 0 || seconds > 60) {
            sendError(
                call.responder,
                invalid(QStringLiteral("wait_s must be between 0 and 60 (got %1)").arg(waitText)));
            return;
        }
        waitMs = qint64(seconds * 1000);
    }
    const Http::HttpResponder responder = call.responder;
    const Principal principal = call.principal;
    if (waitMs > 0) {
        forgetAnswered();
        m_parkedWaits.append(responder);
    }
    m_engine.awaitTask(call.param("tid"), waitMs)
        .then(this, [responder, principal](const Result<TaskInfo> &task) {
            if (!task) {
                sendError(responder, task.error());
                return;
            }
            if (principal.kind != PrincipalKind::Admin && principal.kind != PrincipalKind::Viewer &&
                !principal.queueIds.contains(task->queueId)) {
                sendError(responder,
                          Error{ErrorCode::PermissionDenied,
                                QStringLiteral("this token may not read tasks of queue %1")
                                    .arg(task->queueId),
                                {}});
                return;
            }
            sendJson(responder, 200, Codec::taskText(*task));
        });
}

void ApiService::registerWorker(const Call &call)
{
    auto registration = parseBody(call, &Codec::registerFromJson);
    if (!registration)
        return;
    if (auto refused = VersionCompat::checkAgent(registration->request.version,
                                                 QStringLiteral(QUEUEDECK_VERSION))) {
        sendError(call.responder, *refused);
        return;
    }
    // What the caller may do (design §5): the Authorization header's token, and a join token per
    // queue in join_tokens for a worker on several queues.
    RegisterAuthority authority;
    authority.admin = call.principal.kind == PrincipalKind::Admin;
    if (call.principal.kind == PrincipalKind::Worker)
        authority.workerId = call.principal.name;
    if (call.principal.kind == PrincipalKind::Join)
        authority.queueIds = call.principal.queueIds;
    const auto &joinTokens = registration->request.joinTokens;
    for (auto it = joinTokens.cbegin(); it != joinTokens.cend(); ++it) {
        const auto principal = m_engine.credentials().find(it.value().toUtf8());
        if (!principal || principal->kind != PrincipalKind::Join ||
            !principal->queueIds.contains(it.key())) {
            sendError(call.responder,
                      Error{ErrorCode::Unauthenticated,
                            QStringLiteral("join_tokens: the token given for queue %1 is not its "
                                           "join token (mistyped, rotated, or of another queue); "
                                           "copy the queue's connect command again")
                                .arg(it.key()),
                            QJsonObject{{QStringLiteral("queue_id"), it.key()}}});
            return;
        }
        authority.queueIds.append(it.key());
    }
    auto go = [this, call, authority](RegisterRequest request) {
        reply(
            call, m_engine.registerWorker(request, authority),
            [](const Registration &r) { return Codec::toJson(r); }, 201);
    };
    if (registration->queueName.isEmpty()) {
        go(registration->request);
        return;
    }
    const Http::HttpResponder responder = call.responder;
    const QString name = registration->queueName;
    if (!registration->environment.isEmpty() || !name.contains(u'.')) {
        const QString environment = registration->environment.isEmpty() ? QStringLiteral("default")
                                                                        : registration->environment;
        m_engine.queueByName(environment, name)
            .then(this, [go, responder,
                         request = registration->request](const Result<QueueInfo> &queue) mutable {
                if (!queue) {
                    sendError(responder, queue.error());
                    return;
                }
                request.queueIds.append(queue->id);
                go(request);
            });
        return;
    }
    // The seed's form "environment.queue": queue names may hold dots too, so both readings are
    // tried; exactly one must match.
    const QString environment = name.section(u'.', 0, 0);
    const QString shortName = name.section(u'.', 1);
    auto exact = m_engine.queueByName(QStringLiteral("default"), name);
    auto split = m_engine.queueByName(environment, shortName);
    exact.then(this, [this, go, responder, split, name, environment, shortName,
                      request = registration->request](const Result<QueueInfo> &asNamed) mutable {
        split.then(this, [go, responder, asNamed, name, environment, shortName,
                          request](const Result<QueueInfo> &asSplit) mutable {
            if (asNamed && asSplit && asNamed->id != asSplit->id) {
                sendError(
                    responder,
                    invalid(QStringLiteral("queue_name %1 is ambiguous: it names queue \"%1\" "
                                           "of environment default (%2) and queue \"%3\" "
                                           "of environment %4 (%5); send queue_id, or "
                                           "queue_name with environment")
                                .arg(name, asNamed->id, shortName, environment, asSplit->id)));
                return;
            }
            if (!asNamed && !asSplit) {
                sendError(responder,
                          Error{ErrorCode::NotFound,
                                QStringLiteral("no queue \"%1\" in environment default and no "
                                               "queue \"%2\" in environment %3; check the name "
                                               "or send queue_id")
                                    .arg(name, shortName, environment),
                                {}});
                return;
            }
            request.queueIds.append(asNamed ? asNamed->id : asSplit->id);
            go(request);
        });
    });
}

void ApiService::heartbeat(const Call &call, const QString &pathWorkerId)
{
    auto beat = parseBody(call, &Codec::heartbeatFromJson);
    if (!beat)
        return;
    const QString workerId = pathWorkerId.isEmpty() ? beat->workerId : pathWorkerId;
    if (workerId.isEmpty()) {
        sendError(call.responder, invalid(QStringLiteral("worker_id is required")));
        return;
    }
    if (call.principal.kind == PrincipalKind::Worker && call.principal.name != workerId) {
        sendError(call.responder, Error{ErrorCode::PermissionDenied,
                                        QStringLiteral("a worker may heartbeat only for itself"),
                                        {}});
        return;
    }
    reply(call, m_engine.heartbeat(workerId, beat->running, beat->status),
          [](const HeartbeatReply &r) { return Codec::toJson(r); });
}

void ApiService::lease(const Call &call)
{
    auto request = parseBody(call, &Codec::leaseFromJson);
    if (!request)
        return;
    request->workerId = call.param("id");
    leaseAndAnswer(call.responder, *request, {});
}

// Leases (parked up to waitMs) and answers {"tasks": [...]} plus the fields of `answer`.
void ApiService::leaseAndAnswer(const Http::HttpResponder &responder, const LeaseRequest &request,
                                const QJsonObject &answer)
{
    const QString workerId = request.workerId;
    Engine *engine = &m_engine;
    // A client that leaves withdraws its parked lease; whatever reaches it after it left is given
    // back below, where the answer would have been sent.
    auto withdrawn = std::make_shared<std::atomic<bool>>(false);
    responder.onClientGone([withdrawn] { withdrawn->store(true); });
    if (request.waitMs > 0) {
        forgetAnswered();
        m_parkedLeases.append({responder, withdrawn});
    }
    m_engine.lease(request, withdrawn)
        .then(this, [responder, workerId, engine, answer](const Result<QList<LeasedTask>> &tasks) {
            if (!tasks) {
                sendError(responder, tasks.error());
                return;
            }
            if (!responder.isOpen()) {
                // The worker left while its lease was parked: the tasks go back, the attempt
                // returned.
                if (!tasks->isEmpty())
                    engine->abandonLeases(workerId, *tasks);
                return;
            }
            // Taken back if the answer never reaches the worker (it left just before).
            Http::HttpResponse response;
            // {…answer, "tasks": […]}, the tasks written as text (the hot path of every worker).
            QByteArray body =
                answer.isEmpty()
                    ? QByteArray("{")
                    : QJsonDocument(answer).toJson(QJsonDocument::Compact).chopped(1) + ',';
            response.body = body + "\"tasks\":" + Codec::leasedTasksText(*tasks) + '}';
            const QList<LeasedTask> handedOut = *tasks;
            responder.send(response, [engine, workerId, handedOut] {
                if (!handedOut.isEmpty())
                    engine->abandonLeases(workerId, handedOut);
            });
        });
}

void ApiService::complete(const Call &call)
{
    auto request = parseBody(call, &Codec::completeFromJson);
    if (!request)
        return;
    request->workerId =
        call.principal.kind == PrincipalKind::Worker ? call.principal.name : call.param("id");
    if (!request->thenLease) {
        reply(call, m_engine.complete(*request), [](const QList<ItemOutcome> &outcomes) {
            return QJsonObject{{QStringLiteral("results"), arrayOf(outcomes)}};
        });
        return;
    }
    // Acknowledged first, then leased: the answer carries both.
    LeaseRequest more = *request->thenLease;
    more.workerId = call.param("id");
    const Http::HttpResponder responder = call.responder;
    m_engine.complete(*request).then(
        this, [this, responder, more](const Result<QList<ItemOutcome>> &outcomes) {
            if (!outcomes) {
                sendError(responder, outcomes.error());
                return;
            }
            leaseAndAnswer(responder, more,
                           QJsonObject{{QStringLiteral("results"), arrayOf(*outcomes)}});
        });
}

void ApiService::singleComplete(const Call &call, bool ack)
{
    auto body = parsed(call, Codec::parseObject(call.request.body));
    if (!body)
        return;
    QJsonObject item = *body;
    item.insert(QStringLiteral("task_id"), call.param("tid"));
    auto request = parsed(
        call, Codec::completeFromJson(QJsonObject{
                  {ack ? QStringLiteral("acks") : QStringLiteral("fails"), QJsonArray{item}}}));
    if (!request)
        return;
    request->workerId =
        call.principal.kind == PrincipalKind::Worker ? call.principal.name : QString();
    const Http::HttpResponder responder = call.responder;
    m_engine.complete(*request).then(this, [responder](const Result<QList<ItemOutcome>> &outcomes) {
        if (!outcomes) {
            sendError(responder, outcomes.error());
            return;
        }
        const ItemOutcome &outcome = outcomes->first();
        if (outcome.error)
            sendError(responder, *outcome.error);
        else
            sendJson(responder, 200, Codec::toJson(outcome));
    });
}

void ApiService::extend(const Call &call)
{
    auto body = parsed(call, Codec::parseObject(call.request.body));
    if (!body)
        return;
    const QString leaseId = body->value(QStringLiteral("lease_id")).toString();
    if (leaseId.isEmpty()) {
        sendError(call.responder, invalid(QStringLiteral("lease_id is required")));
        return;
    }
    const QString workerId =
        call.principal.kind == PrincipalKind::Worker ? call.principal.name : QString();
    reply(call, m_engine.extendLease(workerId, call.param("tid"), leaseId), [](qint64 expires) {
        return QJsonObject{
            {QStringLiteral("lease_expires_at"),
             QDateTime::fromMSecsSinceEpoch(expires, Qt::UTC).toString(Qt::ISODateWithMs)}};
    });
}

void ApiService::events(const Call &call)
{
    EventReader reader;
    reader.stream = call.responder;
    const QString topics =
        call.request.query.queryItemValue(QStringLiteral("topics"), QUrl::FullyDecoded);
    static const QList<QByteArray> known{"stats", "queue", "worker", "task"};
    for (const QString &topic : topics.split(u',', Qt::SkipEmptyParts)) {
        const QByteArray name = topic.trimmed().toLatin1();
        if (!known.contains(name))
            return sendError(call.responder,
                             invalid(QStringLiteral("unknown topic %1; topics are stats, queue, "
                                                    "worker and task")
                                         .arg(topic)));
        reader.topics.append(name);
    }
    if (!reader.topics.isEmpty() && reader.topics.contains("task"))
        reader.topics.append("overflow"); // task readers learn when task changes were dropped
    const QString cards =
        call.request.query.queryItemValue(QStringLiteral("cards"), QUrl::FullyDecoded);
    if (!cards.isEmpty() && cards != u"all" && cards != u"changed")
        return sendError(
            call.responder,
            invalid(QStringLiteral("cards must be all or changed (got %1)").arg(cards)));
    reader.changedCardsOnly = cards == u"changed";
    reader.environment =
        call.request.query.queryItemValue(QStringLiteral("environment"), QUrl::FullyDecoded);
    call.responder.startEventStream();
    m_eventStreams.append(reader);
    if (!m_statsTimer->isActive()) {
        m_statsTimer->start();
        m_changesTimer->start();
        broadcastChanges(); // the first look is the baseline later changes are measured from
    }
    broadcastStats();
}

void ApiService::prometheus(const Call &call)
{
    const Http::HttpResponder responder = call.responder;
    m_engine.dashboard().then(this, [responder](const Result<DashboardSnapshot> &snapshot) {
        if (!snapshot) {
            sendError(responder, snapshot.error());
            return;
        }
        QByteArray text;
        auto metric = [&text](const char *name, const char *help, const char *type) {
            text.append("# HELP ").append(name).append(' ').append(help).append('\n');
            text.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        };
        auto label = [](const QueueInfo &q) -> QByteArray {
            QString environment = q.environment;
            QString name = q.name;
            return QByteArray("{queue_id=\"") + q.id.toUtf8() + "\",environment=\"" +
                   environment.replace(u'"', u'_').toUtf8() + "\",queue=\"" +
                   name.replace(u'"', u'_').toUtf8() + "\"}";
        };
        struct Gauge
        {
            const char *name;
            const char *help;
            std::function<double(const QueueCard &)> value;
        };
        const Gauge gauges[] = {
            {"queuedeck_queue_depth", "Tasks ready to run, waiting for a worker.",
             [](const QueueCard &c) { return double(c.queue.counts.queued); }},
            {"queuedeck_queue_scheduled", "Tasks waiting for their run_at.",
             [](const QueueCard &c) { return double(c.queue.counts.scheduled); }},
            {"queuedeck_queue_running", "Tasks leased to workers.",
             [](const QueueCard &c) { return double(c.queue.counts.running); }},
            {"queuedeck_queue_dead", "Dead letters kept.",
             [](const QueueCard &c) { return double(c.queue.counts.dead); }},
            {"queuedeck_queue_oldest_queued_age_seconds", "Age of the oldest ready task.",
             [](const QueueCard &c) { return c.queue.counts.oldestQueuedAgeMs / 1000.0; }},
            {"queuedeck_queue_workers_online", "Slots used: online workers attached.",
             [](const QueueCard &c) { return double(c.queue.counts.workersOnline); }},
            {"queuedeck_queue_capacity", "max_workers of the queue (0 = unlimited).",
             [](const QueueCard &c) { return double(c.queue.settings.maxWorkers); }},
            {"queuedeck_queue_wait_p95_seconds", "p95 wait latency over the last 5 minutes.",
             [](const QueueCard &c) { return c.waitP95Ms / 1000.0; }},
        };
        for (const Gauge &gauge : gauges) {
            metric(gauge.name, gauge.help, "gauge");
            for (const QueueCard &card : snapshot->cards)
                text.append(gauge.name)
                    .append(label(card.queue))
                    .append(' ')
                    .append(QByteArray::number(gauge.value(card)))
                    .append('\n');
        }
        metric("queuedeck_workers_online", "Online workers.", "gauge");
        text.append("queuedeck_workers_online ")
            .append(QByteArray::number(snapshot->activeWorkers))
            .append('\n');
        Http::HttpResponse response;
        response.contentType = "text/plain; version=0.0.4";
        response.body = text;
        responder.send(response);
    });
}

} // namespace QueueDeck::Api
