// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// Metrics per task type: a queue's or every queue's types over a range.
#include "engine.h"
#include "resourceroutes.h"
#include "routesupport.h"

using namespace Qt::StringLiterals;

namespace QueueDeck::Api {

namespace {

void typeMetrics(ApiContext &api, const Call &call)
{
    const QString rangeName =
        call.request.query.queryItemValue(QStringLiteral("range"), QUrl::FullyDecoded);
    const auto range = metricRangeFromName(rangeName.isEmpty() ? QStringLiteral("5m") : rangeName);
    if (!range) {
        sendError(
            call.responder,
            invalid(QStringLiteral("range must be 5m, 1h, 24h or 7d (got %1)").arg(rangeName)));
        return;
    }
    reply(api, call, api.engine.typeMetrics(call.param("qid"), *range),
          [](const TypeMetricsReport &report) { return Codec::toJson(report); });
}

} // namespace

void addTypeMetricsRoutes(RouteTable &table)
{
    table.add("GET", u"/api/v1/worker-queues/{qid}/type-metrics"_s, Access::Read, &typeMetrics);
    table.add("GET", u"/api/v1/type-metrics"_s, Access::Read, &typeMetrics);
}

} // namespace QueueDeck::Api
