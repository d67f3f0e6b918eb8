// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The Faktory listener's password (docs/faktory.md, "The password"), admin only: read it for a
// Faktory client's URL, or rotate it. It is kept retrievable because Faktory's salted handshake
// needs it in the clear (design §5 as amended there).
#include "engine.h"
#include "faktoryserver.h"
#include "resourceroutes.h"
#include "routesupport.h"

#include <QDir>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace QueueDeck::Api {

namespace {

void answerPassword(ApiContext &api, const Call &call, bool rotate)
{
    const Http::HttpResponder responder = call.responder;
    const QString dataDirectory = api.engine.options().dataDirectory;
    api.engine.faktoryPassword(rotate).then(api.receiver, [responder, rotate, dataDirectory](
                                                              const Result<QString> &password) {
        if (!password) {
            sendError(responder, password.error());
            return;
        }
        // qdeck serve wrote the password for its operator; that copy follows a rotation.
        const QString file = QDir(dataDirectory).filePath(u"faktory-password"_s);
        if (rotate && QFileInfo::exists(file)) {
            if (auto written = Faktory::FaktoryServer::writePasswordFile(dataDirectory, *password);
                !written) {
                sendError(responder, written.error());
                return;
            }
        }
        sendJson(responder, 200, QJsonObject{{u"password"_s, *password}});
    });
}

void readPassword(ApiContext &api, const Call &call)
{
    answerPassword(api, call, false);
}

void rotatePassword(ApiContext &api, const Call &call)
{
    answerPassword(api, call, true);
}

} // namespace

void addFaktoryRoutes(RouteTable &table)
{
    table.add("GET", u"/api/v1/admin/faktory-password"_s, Access::Admin, &readPassword);
    table.add("POST", u"/api/v1/admin/faktory-password/rotate"_s, Access::Admin, &rotatePassword,
              Audit::Yes);
}

} // namespace QueueDeck::Api
