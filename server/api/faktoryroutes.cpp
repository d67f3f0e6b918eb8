// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The Faktory listener's password (docs/faktory.md, "The password"), admin only: read it for a
// Faktory client's URL, or rotate it. It is kept retrievable because Faktory's salted handshake
// needs it in the clear (design §5 as amended there).
#include "apiservice.h"

#include "engine.h"
#include "faktoryserver.h"

#include <QDir>
#include <QFileInfo>

namespace QueueDeck::Api {

void ApiService::addFaktoryRoutes()
{
    const auto answer = [](ApiService *self, const Call &call, bool rotate) {
        const Http::HttpResponder responder = call.responder;
        const QString dataDirectory = self->m_engine.options().dataDirectory;
        self->m_engine.faktoryPassword(rotate).then(self, [responder, rotate, dataDirectory](
                                                              const Result<QString> &password) {
            if (!password) {
                sendError(responder, password.error());
                return;
            }
            // qdeck serve wrote the password for its operator; that copy follows a rotation.
            const QString file = QDir(dataDirectory).filePath(QStringLiteral("faktory-password"));
            if (rotate && QFileInfo::exists(file)) {
                if (auto written =
                        Faktory::FaktoryServer::writePasswordFile(dataDirectory, *password);
                    !written) {
                    sendError(responder, written.error());
                    return;
                }
            }
            sendJson(responder, 200, QJsonObject{{QStringLiteral("password"), *password}});
        });
    };
    m_router.add("GET", QStringLiteral("/api/v1/admin/faktory-password"), Access::Admin,
                 [answer](ApiService *self, const Call &call) { answer(self, call, false); });
    m_router.add("POST", QStringLiteral("/api/v1/admin/faktory-password/rotate"), Access::Admin,
                 [answer](ApiService *self, const Call &call) { answer(self, call, true); });
}

} // namespace QueueDeck::Api
