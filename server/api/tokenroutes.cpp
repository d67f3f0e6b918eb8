// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// Producer tokens (enqueue to named queues) and viewer tokens (read everything, change nothing).
#include "engine.h"
#include "resourceroutes.h"
#include "routesupport.h"

using namespace Qt::StringLiterals;

namespace QueueDeck::Api {

namespace {

// A viewer token as the API shows it: a name, when it was made, and the token only at creation.
QJsonObject viewerTokenJson(const ProducerToken &token)
{
    QJsonObject object = Codec::toJson(token);
    object.remove(QStringLiteral("queue_ids"));
    return object;
}

QJsonObject revoked()
{
    return QJsonObject{{QStringLiteral("revoked"), true}};
}

void createProducerToken(ApiContext &api, const Call &call)
{
    auto body = parsed(call, Codec::parseObject(call.request.body));
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
    reply(
        api, call, api.engine.createProducerToken(name, queueIds),
        [](const ProducerToken &t) { return Codec::toJson(t); }, 201);
}

void listProducerTokens(ApiContext &api, const Call &call)
{
    reply(api, call, api.engine.listProducerTokens(),
          [](const QList<ProducerToken> &v) { return items(arrayOf(v)); });
}

void revokeProducerToken(ApiContext &api, const Call &call)
{
    reply(api, call, api.engine.revokeProducerToken(call.param("name")), &revoked);
}

void createViewerToken(ApiContext &api, const Call &call)
{
    auto body = parsed(call, Codec::parseObject(call.request.body));
    if (!body)
        return;
    for (const QString &key : body->keys()) {
        if (key != u"name") {
            sendError(call.responder,
                      invalid(QStringLiteral("unknown field %1; send only name").arg(key)));
            return;
        }
    }
    reply(api, call, api.engine.createViewerToken(body->value(QStringLiteral("name")).toString()),
          &viewerTokenJson, 201);
}

void listViewerTokens(ApiContext &api, const Call &call)
{
    reply(api, call, api.engine.listViewerTokens(), [](const QList<ProducerToken> &v) {
        QJsonArray array;
        for (const ProducerToken &token : v)
            array.append(viewerTokenJson(token));
        return items(array);
    });
}

void revokeViewerToken(ApiContext &api, const Call &call)
{
    reply(api, call, api.engine.revokeViewerToken(call.param("name")), &revoked);
}

} // namespace

void addTokenRoutes(RouteTable &table)
{
    table.add("POST", u"/api/v1/producer-tokens"_s, Access::Admin, &createProducerToken,
              Audit::Yes);
    table.add("GET", u"/api/v1/producer-tokens"_s, Access::Read, &listProducerTokens);
    table.add("DELETE", u"/api/v1/producer-tokens/{name}"_s, Access::Admin, &revokeProducerToken,
              Audit::Yes);
    table.add("POST", u"/api/v1/viewer-tokens"_s, Access::Admin, &createViewerToken, Audit::Yes);
    table.add("GET", u"/api/v1/viewer-tokens"_s, Access::Read, &listViewerTokens);
    table.add("DELETE", u"/api/v1/viewer-tokens/{name}"_s, Access::Admin, &revokeViewerToken,
              Audit::Yes);
}

} // namespace QueueDeck::Api
