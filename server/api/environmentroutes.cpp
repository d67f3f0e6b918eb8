// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// Environments beyond create and list: deleting one that holds no queue. (The `environment`
// filters of the dashboard, the queue list and the event stream are read by their own routes.)
#include "apiservice.h"

#include "engine.h"

namespace QueueDeck::Api {

void ApiService::addEnvironmentRoutes()
{
    m_router.add(
        "DELETE", QStringLiteral("/api/v1/environments/{env}"), Access::Admin,
        [](ApiService *self, const Call &call) {
            const Http::HttpResponder responder = call.responder;
            self->m_engine.deleteEnvironment(call.param("env"))
                .then(self, [responder](const Result<void> &deleted) {
                    if (!deleted)
                        sendError(responder, deleted.error());
                    else
                        sendJson(responder, 200, QJsonObject{{QStringLiteral("deleted"), true}});
                });
        });
}

} // namespace QueueDeck::Api
