// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The audit log: the admin actions of the routes marked Audit::Yes, newest first.
#include "engine.h"
#include "resourceroutes.h"
#include "routesupport.h"

using namespace Qt::StringLiterals;

namespace QueueDeck::Api {

namespace {

void listAudit(ApiContext &api, const Call &call)
{
    const QUrlQuery &query = call.request.query;
    bool limitOk = true;
    const int limit =
        query.hasQueryItem(QStringLiteral("limit"))
            ? query.queryItemValue(QStringLiteral("limit"), QUrl::FullyDecoded).toInt(&limitOk)
            : 100;
    const qint64 before =
        query.queryItemValue(QStringLiteral("cursor"), QUrl::FullyDecoded).toLongLong();
    if (!limitOk) {
        sendError(call.responder, invalid(QStringLiteral("limit must be a whole number")));
        return;
    }
    reply(api, call, api.engine.listAudit(before, limit),
          [limit](const QList<AuditEntry> &entries) {
              const bool more = entries.size() == limit;
              return QJsonObject{
                  {QStringLiteral("items"), arrayOf(entries)},
                  {QStringLiteral("next_cursor"),
                   more ? QJsonValue(QString::number(entries.last().id)) : QJsonValue()}};
          });
}

} // namespace

void addAuditRoutes(RouteTable &table)
{
    table.add("GET", u"/api/v1/audit"_s, Access::Read, &listAudit);
}

} // namespace QueueDeck::Api
