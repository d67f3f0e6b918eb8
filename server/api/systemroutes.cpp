// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// What anyone may ask: is the server up, which version, the OpenAPI document.
#include "apidispatcher.h"
#include "protocol/versioncompat.h"
#include "resourceroutes.h"
#include "routesupport.h"

#include <QFile>

using namespace Qt::StringLiterals;

namespace QueueDeck::Api {

namespace {

// The OpenAPI document compiled into the binary (server/api/openapi.json).
QByteArray openApiDocument()
{
    static const QByteArray document = [] {
        QFile file(QStringLiteral(":/queuedeck/openapi.json"));
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("{}");
    }();
    return document;
}

void health(ApiContext &, const Call &call)
{
    sendJson(call.responder, 200, QJsonObject{{QStringLiteral("status"), QStringLiteral("ok")}});
}

void version(ApiContext &api, const Call &call)
{
    QJsonObject version{{QStringLiteral("version"), QStringLiteral(QUEUEDECK_VERSION)},
                        {QStringLiteral("api"), QStringLiteral("v1")},
                        {QStringLiteral("oldest_agent_version"),
                         QLatin1StringView(VersionCompat::OldestAgentVersion)},
                        {QStringLiteral("newest_agent_version"),
                         VersionCompat::newestAgentVersion(QStringLiteral(QUEUEDECK_VERSION))}};
    // For convenience only: a client pins what it was told out of band, not what this says.
    if (const QString fingerprint = api.service.fingerprint(); !fingerprint.isEmpty())
        version.insert(QStringLiteral("tls_fingerprint"), fingerprint);
    sendJson(call.responder, 200, version);
}

void openApi(ApiContext &, const Call &call)
{
    sendJson(call.responder, 200, openApiDocument());
}

} // namespace

void addSystemRoutes(RouteTable &table)
{
    table.add("GET", u"/api/v1/health"_s, Access::Anyone, &health);
    table.add("GET", u"/api/v1/version"_s, Access::Anyone, &version);
    table.add("GET", u"/api/v1/openapi.json"_s, Access::Anyone, &openApi);
}

} // namespace QueueDeck::Api
