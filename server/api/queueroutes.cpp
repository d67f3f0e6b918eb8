// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// Worker queues: create, read, change, pause, delete, and the commands and install scripts that
// connect a worker to one.
#include "apidispatcher.h"
#include "engine.h"
#include "installscripts.h"
#include "resourceroutes.h"
#include "routesupport.h"

using namespace Qt::StringLiterals;

namespace QueueDeck::Api {

namespace {

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

QJsonObject queueJson(const QueueInfo &queue)
{
    return Codec::toJson(queue);
}

void createQueue(ApiContext &api, const Call &call)
{
    auto create = parseBody(call, &Codec::queueCreateFromJson);
    if (create)
        reply(api, call, api.engine.createQueue(call.param("env"), create->name, create->settings),
              &queueJson, 201);
}

void listQueues(ApiContext &api, const Call &call)
{
    // GET /environments/{env}/worker-queues, or GET /worker-queues?environment=
    const QString environment =
        call.params.contains(QLatin1StringView("env"))
            ? call.param("env")
            : call.request.query.queryItemValue(QStringLiteral("environment"), QUrl::FullyDecoded);
    reply(api, call, api.engine.listQueues(environment),
          [](const QList<QueueInfo> &v) { return items(arrayOf(v)); });
}

void getQueue(ApiContext &api, const Call &call)
{
    reply(api, call, api.engine.queue(call.param("qid")), &queueJson);
}

void patchQueue(ApiContext &api, const Call &call)
{
    auto patch = parseBody(call, &Codec::queuePatchFromJson);
    if (patch)
        reply(api, call, api.engine.updateQueue(call.param("qid"), *patch), &queueJson);
}

void deleteQueue(ApiContext &api, const Call &call)
{
    const bool force =
        call.request.query.queryItemValue(QStringLiteral("force"), QUrl::FullyDecoded) == u"true";
    reply(api, call, api.engine.deleteQueue(call.param("qid"), force), [] {
        return QJsonObject{{QStringLiteral("deleted"), true}};
    });
}

void setPaused(ApiContext &api, const Call &call, bool paused)
{
    QueuePatch patch;
    patch.paused = paused;
    reply(api, call, api.engine.updateQueue(call.param("qid"), patch), &queueJson);
}

void pauseQueue(ApiContext &api, const Call &call)
{
    setPaused(api, call, true);
}

void resumeQueue(ApiContext &api, const Call &call)
{
    setPaused(api, call, false);
}

void purgeQueue(ApiContext &api, const Call &call)
{
    reply(api, call, api.engine.purgeQueue(call.param("qid")), [](qint64 removed) {
        return QJsonObject{{QStringLiteral("purged"), removed}};
    });
}

void rotateJoinToken(ApiContext &api, const Call &call)
{
    reply(api, call, api.engine.rotateJoinToken(call.param("qid")), &queueJson);
}

void workerCommand(ApiContext &api, const Call &call)
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
    const QString serverUrl = api.service.publicUrl();
    const QString workerProgram = api.service.options().workerProgram;
    const QString program =
        workerProgram.isEmpty() ? QStringLiteral("qdeck") : shellQuote(workerProgram);
    const QString fingerprint = api.service.fingerprint();
    const QString joinToken = joinTokenShownTo(call.principal);
    reply(api, call, api.engine.queue(call.param("qid")),
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

void installScript(ApiContext &api, const Call &call)
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
    const QString serverUrl = api.service.publicUrl();
    const QString fingerprint = api.service.fingerprint();
    const QString joinToken = joinTokenShownTo(call.principal);
    const Http::HttpResponder responder = call.responder;
    api.engine.queue(call.param("qid"))
        .then(api.receiver, [responder, writer, contentType, serverUrl, fingerprint, joinToken,
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

} // namespace

void addQueueRoutes(RouteTable &table)
{
    table.add("POST", u"/api/v1/environments/{env}/worker-queues"_s, Access::Admin, &createQueue,
              Audit::Yes);
    table.add("GET", u"/api/v1/worker-queues"_s, Access::Read, &listQueues);
    table.add("GET", u"/api/v1/environments/{env}/worker-queues"_s, Access::Read, &listQueues);
    table.add("GET", u"/api/v1/worker-queues/{qid}"_s, Access::Read, &getQueue);
    table.add("PATCH", u"/api/v1/worker-queues/{qid}"_s, Access::Admin, &patchQueue, Audit::Yes);
    table.add("DELETE", u"/api/v1/worker-queues/{qid}"_s, Access::Admin, &deleteQueue, Audit::Yes);
    table.add("POST", u"/api/v1/worker-queues/{qid}/pause"_s, Access::Admin, &pauseQueue,
              Audit::Yes);
    table.add("POST", u"/api/v1/worker-queues/{qid}/resume"_s, Access::Admin, &resumeQueue,
              Audit::Yes);
    table.add("POST", u"/api/v1/worker-queues/{qid}/purge"_s, Access::Admin, &purgeQueue,
              Audit::Yes);
    table.add("POST", u"/api/v1/worker-queues/{qid}/rotate-token"_s, Access::Admin,
              &rotateJoinToken, Audit::Yes);
    table.add("GET", u"/api/v1/worker-queues/{qid}/worker-command"_s, Access::Read, &workerCommand);
    table.add("GET", u"/api/v1/worker-queues/{qid}/install-script"_s, Access::Read, &installScript);
}

} // namespace QueueDeck::Api
