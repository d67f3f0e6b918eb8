// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// Runs (design §10, docs/runs.md): a run's tree, cancelling a run, waiting for one, and children
// enqueued by the worker that holds their parent — with its credential and the lease_id, or with
// the child token (qdc_) its agent gave the handler.
#include "apiservice.h"

#include "engine.h"
#include "protocol/codec.h"
#include "protocol/runcodec.h"

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

} // namespace

void ApiService::addRunRoutes()
{
    m_router.add(
        "GET", QStringLiteral("/api/v1/runs/{rid}"), Access::ProducerOrRead,
        [](ApiService *self, const Call &call) {
            const auto waitMs = waitMsOf(call);
            if (!waitMs) {
                sendError(call.responder, waitMs.error());
                return;
            }
            const Http::HttpResponder responder = call.responder;
            const Principal principal = call.principal;
            if (*waitMs > 0) {
                self->forgetAnswered();
                self->m_parkedWaits.append(responder);
            }
            self->m_engine.awaitRun(call.param("rid"), *waitMs)
                .then(self, [responder, principal](const Result<RunInfo> &run) {
                    if (!run) {
                        sendError(responder, run.error());
                        return;
                    }
                    if (!mayRead(principal, run->queueId)) {
                        sendError(responder,
                                  Error{ErrorCode::PermissionDenied,
                                        QStringLiteral("this token may not read runs of queue %1")
                                            .arg(run->queueId),
                                        {}});
                        return;
                    }
                    sendJson(responder, 200, Codec::toJson(*run));
                });
        });
    m_router.add("POST", QStringLiteral("/api/v1/runs/{rid}/cancel"), Access::Admin,
                 [](ApiService *self, const Call &call) {
                     const Http::HttpResponder responder = call.responder;
                     const QString runId = call.param("rid");
                     self->m_engine.cancelRun(runId).then(
                         self, [responder, runId](const Result<qint64> &cancelled) {
                             if (!cancelled)
                                 sendError(responder, cancelled.error());
                             else
                                 sendJson(responder, 200,
                                          QJsonObject{{QStringLiteral("id"), runId},
                                                      {QStringLiteral("cancelled"), *cancelled}});
                         });
                 });
    m_audited.insert(QStringLiteral("POST /api/v1/runs/{rid}/cancel"));
    m_router.add("POST", QStringLiteral("/api/v1/tasks/{tid}/children"), Access::WorkerOrChild,
                 [](ApiService *self, const Call &call) {
                     auto body = Codec::parseObject(call.request.body);
                     auto child = body ? Codec::childEnqueueFromJson(*body)
                                       : Result<ChildEnqueue>(std::unexpected(body.error()));
                     if (!child) {
                         sendError(call.responder, child.error());
                         return;
                     }
                     child->parentId = call.param("tid");
                     const Principal &who = call.principal;
                     if (who.kind == PrincipalKind::Child) {
                         // The token names its lease; a lease_id in the body must be the same one.
                         if (!child->leaseId.isEmpty() && child->leaseId != who.leaseId) {
                             sendError(
                                 call.responder,
                                 Error{ErrorCode::PermissionDenied,
                                       QStringLiteral("this child token belongs to another lease; "
                                                      "leave lease_id out"),
                                       {}});
                             return;
                         }
                         child->leaseId = who.leaseId;
                     }
                     if (who.kind != PrincipalKind::Admin)
                         child->workerId = who.name;
                     const Http::HttpResponder responder = call.responder;
                     self->m_engine.enqueueChild(*child).then(
                         self, [responder](const Result<TaskInfo> &task) {
                             if (!task)
                                 sendError(responder, task.error());
                             else
                                 sendJson(responder, 201, Codec::taskText(*task));
                         });
                 });
}

} // namespace QueueDeck::Api
