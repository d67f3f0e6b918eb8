// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// Runs (design §10, docs/runs.md): a run's tree, cancelling a run, waiting for one, and children
// enqueued by the worker that holds their parent — with its credential and the lease_id, or with
// the child token (qdc_) its agent gave the handler.
#include "engine.h"
#include "parkedrequests.h"
#include "protocol/codec.h"
#include "protocol/runcodec.h"
#include "resourceroutes.h"
#include "routesupport.h"

using namespace Qt::StringLiterals;

namespace QueueDeck::Api {

namespace {

// The seconds of ?wait_s=, 0…60, or an error.
Result<qint64> waitMsOf(const Call &call)
{
    const QString text =
        call.request.query.queryItemValue(QStringLiteral("wait_s"), QUrl::FullyDecoded);
    if (text.isEmpty())
        return 0;
    bool ok = false;
    const double seconds = text.toDouble(&ok);
    if (!ok || seconds < 0 || seconds > 60)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("wait_s must be between 0 and 60 (got %1)").arg(text));
    return qint64(seconds * 1000);
}

bool mayRead(const Principal &who, const QString &queueId)
{
    return who.kind == PrincipalKind::Admin || who.kind == PrincipalKind::Viewer ||
           (who.kind == PrincipalKind::Producer && who.queueIds.contains(queueId));
}

void getRun(ApiContext &api, const Call &call)
{
    const auto waitMs = waitMsOf(call);
    if (!waitMs) {
        sendError(call.responder, waitMs.error());
        return;
    }
    const Http::HttpResponder responder = call.responder;
    const Principal principal = call.principal;
    if (*waitMs > 0)
        api.parked.parkWait(responder, call.param("rid"));
    api.engine.awaitRun(call.param("rid"), *waitMs)
        .then(api.receiver, [responder, principal](const Result<RunInfo> &run) {
            if (!run) {
                sendError(responder, run.error());
                return;
            }
            if (!mayRead(principal, run->queueId)) {
                sendError(responder,
                          Error{ErrorCode::PermissionDenied,
                                u"this token may not read runs of queue %1"_s.arg(run->queueId),
                                {}});
                return;
            }
            sendJson(responder, 200, Codec::toJson(*run));
        });
}

void cancelRun(ApiContext &api, const Call &call)
{
    const QString runId = call.param("rid");
    reply(api, call, api.engine.cancelRun(runId), [runId](qint64 cancelled) {
        return QJsonObject{{u"id"_s, runId}, {u"cancelled"_s, cancelled}};
    });
}

void enqueueChild(ApiContext &api, const Call &call)
{
    auto child = parseBody(call, &Codec::childEnqueueFromJson);
    if (!child)
        return;
    child->parentId = call.param("tid");
    const Principal &who = call.principal;
    if (who.kind == PrincipalKind::Child) {
        // The token names its lease; a lease_id in the body must be the same one.
        if (!child->leaseId.isEmpty() && child->leaseId != who.leaseId) {
            sendError(call.responder,
                      Error{ErrorCode::PermissionDenied,
                            u"this child token belongs to another lease; leave lease_id out"_s,
                            {}});
            return;
        }
        child->leaseId = who.leaseId;
    }
    if (who.kind != PrincipalKind::Admin)
        child->workerId = who.name;
    const Http::HttpResponder responder = call.responder;
    api.engine.enqueueChild(*child).then(api.receiver, [responder](const Result<TaskInfo> &task) {
        if (!task)
            sendError(responder, task.error());
        else
            sendJson(responder, 201, Codec::taskText(*task));
    });
}

} // namespace

void addRunRoutes(RouteTable &table)
{
    table.add("GET", u"/api/v1/runs/{rid}"_s, Access::ProducerOrRead, &getRun);
    table.add("POST", u"/api/v1/runs/{rid}/cancel"_s, Access::Admin, &cancelRun, Audit::Yes);
    table.add("POST", u"/api/v1/tasks/{tid}/children"_s, Access::WorkerOrChild, &enqueueChild);
}

} // namespace QueueDeck::Api
