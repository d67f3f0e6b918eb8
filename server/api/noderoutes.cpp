// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The nodes of the cluster (design §11): GET /api/v1/nodes, for the admin and viewers.
#include "apidispatcher.h"
#include "protocol/nodecodec.h"
#include "resourceroutes.h"
#include "routesupport.h"

using namespace Qt::StringLiterals;

namespace QueueDeck::Api {

namespace {

void listNodes(ApiContext &api, const Call &call)
{
    sendJson(call.responder, 200, NodeCodec::toJson(api.service.nodes()));
}

} // namespace

void addNodeRoutes(RouteTable &table)
{
    table.add("GET", u"/api/v1/nodes"_s, Access::Read, &listNodes);
}

} // namespace QueueDeck::Api
