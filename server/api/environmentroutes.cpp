// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// Environments: the groups queues live in. One is deleted only when it holds no queue. (The
// `environment` filters of the dashboard, the queue list and the event stream are read by their
// own routes.)
#include "engine.h"
#include "resourceroutes.h"
#include "routesupport.h"

using namespace Qt::StringLiterals;

namespace QueueDeck::Api {

namespace {

void listEnvironments(ApiContext &api, const Call &call)
{
    reply(api, call, api.engine.listEnvironments(),
          [](const QList<EnvironmentInfo> &v) { return items(arrayOf(v)); });
}

void createEnvironment(ApiContext &api, const Call &call)
{
    auto environment = parseBody(call, &Codec::environmentFromJson);
    if (environment)
        reply(
            api, call, api.engine.createEnvironment(*environment),
            [](const EnvironmentInfo &e) { return Codec::toJson(e); }, 201);
}

void deleteEnvironment(ApiContext &api, const Call &call)
{
    reply(api, call, api.engine.deleteEnvironment(call.param("env")), [] {
        return QJsonObject{{u"deleted"_s, true}};
    });
}

} // namespace

void addEnvironmentRoutes(RouteTable &table)
{
    table.add("GET", u"/api/v1/environments"_s, Access::Read, &listEnvironments);
    table.add("POST", u"/api/v1/environments"_s, Access::Admin, &createEnvironment, Audit::Yes);
    table.add("DELETE", u"/api/v1/environments/{env}"_s, Access::Admin, &deleteEnvironment,
              Audit::Yes);
}

} // namespace QueueDeck::Api
