// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// Tasks as producers and operators see them: enqueue, list, read (and wait for), cancel, retry,
// delete, read the logs.
#include "engine.h"
#include "parkedrequests.h"
#include "protocol/jsonarrayscan.h"
#include "resourceroutes.h"
#include "routesupport.h"
#include "validation.h"

#include <QDateTime>

#include <optional>

using namespace Qt::StringLiterals;

namespace QueueDeck::Api {

namespace {

QByteArray taskText(const TaskInfo &task)
{
    return Codec::taskText(task);
}

// An enqueue's answer: the task, or with `Prefer: return=minimal` only its id (a producer that
// needs no more spares both ends the task's text).
class EnqueueAnswer
{
public:
    explicit EnqueueAnswer(const Call &call)
        : m_responder(call.responder),
          m_minimal(call.request.preference("return").compare("minimal", Qt::CaseInsensitive) == 0)
    {}

    bool minimal() const { return m_minimal; }

    // 201 for a task made now, 200 for one found by its idempotency key; or always `status`.
    void operator()(const Result<TaskInfo> &task, std::optional<int> status = {}) const
    {
        if (!task) {
            sendError(m_responder, task.error());
            return;
        }
        const int code = status.value_or(task->created ? 201 : 200);
        if (m_minimal)
            sendId(code, task->id);
        else
            sendJson(m_responder, code, Codec::taskText(*task));
    }
    void operator()(const Result<EnqueuedTask> &task) const
    {
        if (task)
            sendId(task->created ? 201 : 200, task->id);
        else
            sendError(m_responder, task.error());
    }

private:
    void sendId(int status, const QString &id) const
    {
        Http::HttpResponse response;
        response.status = status;
        response.headers.append(qMakePair(QByteArrayLiteral("Preference-Applied"),
                                          QByteArrayLiteral("return=minimal")));
        response.body = Codec::taskIdText(id);
        m_responder.send(response);
    }

    Http::HttpResponder m_responder;
    bool m_minimal;
};

void enqueue(ApiContext &api, const Call &call)
{
    const QString queueId = call.param("qid");
    if (!queueAllowed(call, queueId))
        return;
    auto request = parsed(call, Codec::enqueueFromBody(call.request.body));
    if (!request)
        return;
    // The one-by-one producer's call: answered from the engine's callback, without a future;
    // a producer that asked for the id alone gets it without the task being described.
    EnqueueAnswer answer(call);
    if (answer.minimal())
        api.engine.enqueueId(
            queueId, std::move(*request),
            onApiThread(api, [answer](Result<EnqueuedTask> task) { answer(task); }));
    else
        api.engine.enqueue(queueId, std::move(*request),
                           onApiThread(api, [answer](Result<TaskInfo> task) { answer(task); }));
}

void enqueueBatch(ApiContext &api, const Call &call)
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
            api, call, api.engine.enqueueBatch(queueId, *requests),
            [](const QStringList &ids) {
                return QJsonObject{{QStringLiteral("ids"), QJsonArray::fromStringList(ids)}};
            },
            201);
}

void bulkChange(ApiContext &api, const Call &call)
{
    auto request = parseBody(call, &Codec::bulkFromJson);
    if (request)
        reply(api, call, api.engine.bulkTasks(call.param("qid"), *request), [](qint64 affected) {
            return QJsonObject{{QStringLiteral("affected"), affected}};
        });
}

void enqueueByName(ApiContext &api, const Call &call)
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
    // Made now or found by its idempotency key, the answer is 201, as it always was here.
    api.engine.enqueueByName(call.param("env"), call.param("name"), *request)
        .then(api.receiver,
              [answer = EnqueueAnswer(call)](const Result<TaskInfo> &task) { answer(task, 201); });
}

void listTasks(ApiContext &api, const Call &call)
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
    reply(api, call, api.engine.listTasks(queueId, filter), [](const TaskPage &page) {
        return QJsonObject{{QStringLiteral("items"), arrayOf(page.items)},
                           {QStringLiteral("next_cursor"), page.nextCursor.isEmpty()
                                                               ? QJsonValue()
                                                               : QJsonValue(page.nextCursor)}};
    });
}

void getTask(ApiContext &api, const Call &call)
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
    if (waitMs > 0)
        api.parked.parkWait(responder, call.param("tid"));
    api.engine.awaitTask(call.param("tid"), waitMs)
        .then(api.receiver, [responder, principal](const Result<TaskInfo> &task) {
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

void cancelTask(ApiContext &api, const Call &call)
{
    reply(api, call, api.engine.cancelTask(call.param("tid")), &taskText);
}

void retryTask(ApiContext &api, const Call &call)
{
    reply(api, call, api.engine.retryTask(call.param("tid")), &taskText);
}

void deleteTask(ApiContext &api, const Call &call)
{
    reply(api, call, api.engine.deleteTask(call.param("tid")), [] {
        return QJsonObject{{QStringLiteral("deleted"), true}};
    });
}

void readLogs(ApiContext &api, const Call &call)
{
    const QUrlQuery &query = call.request.query;
    const qint64 after =
        query.queryItemValue(QStringLiteral("after"), QUrl::FullyDecoded).toLongLong();
    bool limitOk = true;
    const int limit =
        query.hasQueryItem(QStringLiteral("limit"))
            ? query.queryItemValue(QStringLiteral("limit"), QUrl::FullyDecoded).toInt(&limitOk)
            : 1000;
    if (!limitOk) {
        sendError(call.responder, invalid(QStringLiteral("limit must be a whole number")));
        return;
    }
    auto answer = [&api, call, after, limit] {
        reply(api, call, api.engine.taskLogs(call.param("tid"), after, limit),
              [](const QList<LogLine> &lines) {
                  QJsonArray items;
                  for (const LogLine &line : lines)
                      items.append(QJsonObject{
                          {QStringLiteral("id"), line.id},
                          {QStringLiteral("at"), QDateTime::fromMSecsSinceEpoch(line.atMs, Qt::UTC)
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
    api.engine.task(call.param("tid"))
        .then(api.receiver, [call, answer](const Result<TaskInfo> &task) {
            if (!task)
                sendError(call.responder, task.error());
            else if (queueAllowed(call, task->queueId))
                answer();
        });
}

} // namespace

void addTaskRoutes(RouteTable &table)
{
    table.add("POST", u"/api/v1/worker-queues/{qid}/tasks"_s, Access::ProducerOrAdmin, &enqueue);
    table.add("POST", u"/api/v1/worker-queues/{qid}/tasks:batch"_s, Access::ProducerOrAdmin,
              &enqueueBatch);
    table.add("POST", u"/api/v1/worker-queues/{qid}/tasks:bulk"_s, Access::Admin, &bulkChange);
    table.add("POST", u"/api/v1/environments/{env}/queues/{name}/tasks"_s, Access::ProducerOrAdmin,
              &enqueueByName);
    table.add("GET", u"/api/v1/worker-queues/{qid}/tasks"_s, Access::ProducerOrRead, &listTasks);
    table.add("GET", u"/api/v1/tasks/{tid}"_s, Access::ProducerOrRead, &getTask);
    table.add("POST", u"/api/v1/tasks/{tid}/cancel"_s, Access::Admin, &cancelTask, Audit::Yes);
    table.add("POST", u"/api/v1/tasks/{tid}/retry"_s, Access::Admin, &retryTask, Audit::Yes);
    table.add("DELETE", u"/api/v1/tasks/{tid}"_s, Access::Admin, &deleteTask, Audit::Yes);
    table.add("GET", u"/api/v1/tasks/{tid}/logs"_s, Access::ProducerOrRead, &readLogs);
}

} // namespace QueueDeck::Api
