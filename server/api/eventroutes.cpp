// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The event stream (server-sent events): which topics and cards a reader asked for; the
// EventHub sends them.
#include "eventhub.h"
#include "resourceroutes.h"
#include "routesupport.h"

using namespace Qt::StringLiterals;

namespace QueueDeck::Api {

namespace {

void openEventStream(ApiContext &api, const Call &call)
{
    QList<QByteArray> topics;
    const QString asked =
        call.request.query.queryItemValue(QStringLiteral("topics"), QUrl::FullyDecoded);
    static const QList<QByteArray> known{"stats", "queue", "worker", "task"};
    for (const QString &topic : asked.split(u',', Qt::SkipEmptyParts)) {
        const QByteArray name = topic.trimmed().toLatin1();
        if (!known.contains(name))
            return sendError(call.responder,
                             invalid(QStringLiteral("unknown topic %1; topics are stats, queue, "
                                                    "worker and task")
                                         .arg(topic)));
        topics.append(name);
    }
    if (!topics.isEmpty() && topics.contains("task"))
        topics.append("overflow"); // task readers learn when task changes were dropped
    const QString cards =
        call.request.query.queryItemValue(QStringLiteral("cards"), QUrl::FullyDecoded);
    if (!cards.isEmpty() && cards != u"all" && cards != u"changed")
        return sendError(
            call.responder,
            invalid(QStringLiteral("cards must be all or changed (got %1)").arg(cards)));
    api.events.addReader(
        call.responder, std::move(topics), cards == u"changed",
        call.request.query.queryItemValue(QStringLiteral("environment"), QUrl::FullyDecoded));
}

} // namespace

void addEventRoutes(RouteTable &table)
{
    table.add("GET", u"/api/v1/events"_s, Access::Read, &openEventStream);
}

} // namespace QueueDeck::Api
