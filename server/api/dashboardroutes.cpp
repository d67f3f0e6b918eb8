// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// What the dashboard reads: the cards of every queue, a queue's metric series, and the same
// figures for Prometheus.
#include "engine.h"
#include "prometheustext.h"
#include "resourceroutes.h"
#include "routesupport.h"

using namespace Qt::StringLiterals;

namespace QueueDeck::Api {

namespace {

void dashboard(ApiContext &api, const Call &call)
{
    // ?environment=: the cards and KPIs of that environment only.
    reply(api, call,
          api.engine.dashboard(
              call.request.query.queryItemValue(QStringLiteral("environment"), QUrl::FullyDecoded)),
          [](const DashboardSnapshot &d) { return Codec::toJson(d); });
}

void metrics(ApiContext &api, const Call &call)
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
    reply(api, call, api.engine.metrics(call.param("qid"), *range),
          [](const MetricSeries &s) { return Codec::toJson(s); });
}

void prometheus(ApiContext &api, const Call &call)
{
    const Http::HttpResponder responder = call.responder;
    api.engine.dashboard().then(api.receiver,
                                [responder](const Result<DashboardSnapshot> &snapshot) {
                                    if (!snapshot) {
                                        sendError(responder, snapshot.error());
                                        return;
                                    }
                                    Http::HttpResponse response;
                                    response.contentType = PrometheusText::ContentType;
                                    response.body = PrometheusText::fromDashboard(*snapshot);
                                    responder.send(response);
                                });
}

} // namespace

void addDashboardRoutes(RouteTable &table)
{
    table.add("GET", u"/api/v1/dashboard"_s, Access::Read, &dashboard);
    table.add("GET", u"/api/v1/worker-queues/{qid}/metrics"_s, Access::Read, &metrics);
    table.add("GET", u"/api/v1/metrics"_s, Access::Read, &metrics);
    table.add("GET", u"/metrics"_s, Access::Read, &prometheus);
}

} // namespace QueueDeck::Api
