// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// Workers: the worker protocol (register, heartbeat, lease, complete, logs, extend) and what an
// operator does with workers (list, drain, deregister).
#include "engine.h"
#include "parkedrequests.h"
#include "protocol/versioncompat.h"
#include "resourceroutes.h"
#include "routesupport.h"

#include <QDateTime>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace QueueDeck::Api {

namespace {

// The worker a call acts for: the worker's own credential names it; the admin names none.
QString callingWorker(const Call &call)
{
    return call.principal.kind == PrincipalKind::Worker ? call.principal.name : QString();
}

void listWorkers(ApiContext &api, const Call &call)
{
    reply(api, call, api.engine.listWorkers(),
          [](const QList<WorkerInfo> &v) { return items(arrayOf(v)); });
}

void listQueueWorkers(ApiContext &api, const Call &call)
{
    reply(api, call, api.engine.listWorkers(call.param("qid")),
          [](const QList<WorkerInfo> &v) { return items(arrayOf(v)); });
}

void registerWorker(ApiContext &api, const Call &call)
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
        const auto principal = api.engine.credentials().find(it.value().toUtf8());
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
    auto go = [&api, call, authority](RegisterRequest request) {
        reply(
            api, call, api.engine.registerWorker(request, authority),
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
        api.engine.queueByName(environment, name)
            .then(api.receiver, [go, responder, request = registration->request](
                                    const Result<QueueInfo> &queue) mutable {
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
    auto exact = api.engine.queueByName(QStringLiteral("default"), name);
    auto split = api.engine.queueByName(environment, shortName);
    exact.then(
        api.receiver, [receiver = api.receiver, go, responder, split, name, environment, shortName,
                       request = registration->request](const Result<QueueInfo> &asNamed) mutable {
            split.then(receiver, [go, responder, asNamed, name, environment, shortName,
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

void heartbeatFor(ApiContext &api, const Call &call, const QString &pathWorkerId)
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
    api.engine.heartbeat(workerId, beat->running, beat->status,
                         replyTo<HeartbeatReply>(api, call, [](const HeartbeatReply &r) {
                             return Codec::heartbeatText(r);
                         }));
}

void heartbeatByPath(ApiContext &api, const Call &call)
{
    heartbeatFor(api, call, call.param("id"));
}

void heartbeatByBody(ApiContext &api, const Call &call)
{
    heartbeatFor(api, call, {});
}

using Outcomes = QFuture<Result<QList<ItemOutcome>>>;

// Leases (parked up to waitMs) and answers {"tasks": [...]}, after {"results": [...]} when
// `completed` (the acknowledgements asked of the engine just before this lease) is given.
void leaseAndAnswer(ApiContext &api, const Http::HttpResponder &responder,
                    const LeaseRequest &request, std::optional<Outcomes> completed = {})
{
    const QString workerId = request.workerId;
    Engine *engine = &api.engine;
    // A client that leaves withdraws its parked lease; whatever reaches it after it left is given
    // back below, where the answer would have been sent.
    auto withdrawn = std::make_shared<std::atomic<bool>>(false);
    responder.onClientGone([withdrawn] { withdrawn->store(true); });
    if (completed) {
        // A refused acknowledgement is answered at once; the lease made after it is withdrawn
        // (parked) or given back (below).
        completed->then(api.receiver, [responder, withdrawn](const Result<QList<ItemOutcome>> &r) {
            if (!r) {
                withdrawn->store(true);
                sendError(responder, r.error());
            }
        });
    }
    if (request.waitMs > 0)
        api.parked.parkLease(responder, withdrawn, workerId);
    api.engine.lease(request, withdrawn)
        .then(api.receiver,
              [responder, workerId, engine, completed](const Result<QList<LeasedTask>> &tasks) {
                  if (!tasks) {
                      if (!completed || completed->result())
                          sendError(responder, tasks.error());
                      return;
                  }
                  // The engine runs its operations in the order they were asked for and delivers
                  // them in that order: the acknowledgements were delivered (and their continuation
                  // above ran) before this lease.
                  if (!responder.isOpen() || (completed && !completed->result())) {
                      // The worker left while its lease was parked, or its acknowledgements were
                      // refused: the tasks go back, the attempt returned.
                      if (!tasks->isEmpty())
                          engine->abandonLeases(workerId, *tasks);
                      return;
                  }
                  // Taken back if the answer never reaches the worker (it left just before).
                  Http::HttpResponse response;
                  // {"results": […], "tasks": […]}, written as text (the hot path of every worker).
                  QByteArray body("{");
                  if (completed)
                      body += "\"results\":" + Codec::outcomesText(*completed->result()) + ',';
                  response.body = body + "\"tasks\":" + Codec::leasedTasksText(*tasks) + '}';
                  const QList<LeasedTask> handedOut = *tasks;
                  responder.send(response, [engine, workerId, handedOut] {
                      if (!handedOut.isEmpty())
                          engine->abandonLeases(workerId, handedOut);
                  });
              });
}

void lease(ApiContext &api, const Call &call)
{
    auto request = parseBody(call, &Codec::leaseFromJson);
    if (!request)
        return;
    request->workerId = call.param("id");
    leaseAndAnswer(api, call.responder, *request);
}

void complete(ApiContext &api, const Call &call)
{
    auto request = parseBody(call, &Codec::completeFromJson);
    if (!request)
        return;
    request->workerId =
        call.principal.kind == PrincipalKind::Worker ? call.principal.name : call.param("id");
    if (!request->thenLease) {
        reply(api, call, api.engine.complete(*request),
              [](const QList<ItemOutcome> &outcomes) -> QByteArray {
                  return "{\"results\":" + Codec::outcomesText(outcomes) + '}';
              });
        return;
    }
    // Acknowledged first, then leased: the answer carries both. Both are asked of the engine at
    // once; it runs them in that order, mostly in one transaction (one commit, one round trip
    // between the threads, where waiting for the first before asking the second took two).
    LeaseRequest more = *request->thenLease;
    more.workerId = call.param("id");
    leaseAndAnswer(api, call.responder, more, api.engine.complete(*request));
}

void completeOne(ApiContext &api, const Call &call, bool ack)
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
    request->workerId = callingWorker(call);
    const Http::HttpResponder responder = call.responder;
    api.engine.complete(*request).then(api.receiver,
                                       [responder](const Result<QList<ItemOutcome>> &outcomes) {
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

void ack(ApiContext &api, const Call &call)
{
    completeOne(api, call, true);
}

void fail(ApiContext &api, const Call &call)
{
    completeOne(api, call, false);
}

void appendLogs(ApiContext &api, const Call &call)
{
    auto body = parsed(call, Codec::parseObject(call.request.body));
    if (!body)
        return;
    QList<LogLine> lines;
    for (const QJsonValue &value : body->value(QStringLiteral("lines")).toArray()) {
        const QJsonObject item = value.toObject();
        if (!item.value(QStringLiteral("line")).isString()) {
            sendError(call.responder, invalid(QStringLiteral("lines must be objects like "
                                                             "{\"line\": \"…\", \"stream\": "
                                                             "\"stderr\"}")));
            return;
        }
        lines.append({0, 0, item.value(QStringLiteral("stream")).toString(),
                      item.value(QStringLiteral("line")).toString()});
    }
    reply(api, call,
          api.engine.appendLogs(callingWorker(call), call.param("tid"),
                                body->value(QStringLiteral("lease_id")).toString(), lines),
          [count = lines.size()] {
              return QJsonObject{{QStringLiteral("appended"), count}};
          });
}

void extendLease(ApiContext &api, const Call &call)
{
    auto body = parsed(call, Codec::parseObject(call.request.body));
    if (!body)
        return;
    const QString leaseId = body->value(QStringLiteral("lease_id")).toString();
    if (leaseId.isEmpty()) {
        sendError(call.responder, invalid(QStringLiteral("lease_id is required")));
        return;
    }
    reply(api, call, api.engine.extendLease(callingWorker(call), call.param("tid"), leaseId),
          [](qint64 expires) {
              return QJsonObject{
                  {QStringLiteral("lease_expires_at"),
                   QDateTime::fromMSecsSinceEpoch(expires, Qt::UTC).toString(Qt::ISODateWithMs)}};
          });
}

void drainWorker(ApiContext &api, const Call &call)
{
    reply(api, call, api.engine.drainWorker(call.param("id")),
          [](const WorkerInfo &w) { return Codec::toJson(w); });
}

void deregisterWorker(ApiContext &api, const Call &call)
{
    reply(api, call, api.engine.deregisterWorker(call.param("id")), [] {
        return QJsonObject{{QStringLiteral("deregistered"), true}};
    });
}

} // namespace

void addWorkerRoutes(RouteTable &table)
{
    table.add("GET", u"/api/v1/worker-queues/{qid}/workers"_s, Access::Read, &listQueueWorkers);
    table.add("GET", u"/api/v1/workers"_s, Access::Read, &listWorkers);
    table.add("POST", u"/api/v1/workers/register"_s, Access::JoinOrAdmin, &registerWorker);
    table.add("POST", u"/api/v1/workers/{id}/heartbeat"_s, Access::Worker, &heartbeatByPath);
    table.add("POST", u"/api/v1/workers/heartbeat"_s, Access::Worker, &heartbeatByBody);
    table.add("POST", u"/api/v1/workers/{id}/lease"_s, Access::Worker, &lease);
    table.add("POST", u"/api/v1/workers/{id}/complete"_s, Access::Worker, &complete);
    table.add("POST", u"/api/v1/tasks/{tid}/ack"_s, Access::Worker, &ack);
    table.add("POST", u"/api/v1/tasks/{tid}/fail"_s, Access::Worker, &fail);
    table.add("POST", u"/api/v1/tasks/{tid}/logs"_s, Access::Worker, &appendLogs);
    table.add("POST", u"/api/v1/tasks/{tid}/extend"_s, Access::Worker, &extendLease);
    table.add("POST", u"/api/v1/workers/{id}/drain"_s, Access::Admin, &drainWorker, Audit::Yes);
    table.add("DELETE", u"/api/v1/workers/{id}"_s, Access::WorkerOrAdmin, &deregisterWorker,
              Audit::Yes);
}

} // namespace QueueDeck::Api
