// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "parkedrequests.h"

#include "apilog.h"
#include "routesupport.h"

namespace QueueDeck::Api {

void ParkedRequests::parkLease(const Http::HttpResponder &responder,
                               std::shared_ptr<std::atomic<bool>> withdrawn,
                               const QString &workerId)
{
    forgetAnswered();
    m_leases.append({responder, std::move(withdrawn)});
    qCDebug(lcApi) << "parked a lease of worker" << workerId;
}

void ParkedRequests::parkWait(const Http::HttpResponder &responder, const QString &taskId)
{
    forgetAnswered();
    m_waits.append(responder);
    qCDebug(lcApi) << "parked a wait for task" << taskId;
}

void ParkedRequests::forgetAnswered()
{
    m_leases.removeIf([](const ParkedLease &parked) { return !parked.responder.isPending(); });
    m_waits.removeIf([](const Http::HttpResponder &responder) { return !responder.isPending(); });
}

void ParkedRequests::answerAll()
{
    forgetAnswered();
    for (const ParkedLease &parked : std::as_const(m_leases)) {
        parked.withdrawn->store(true);
        sendJson(parked.responder, 200, QJsonObject{{QStringLiteral("tasks"), QJsonArray()}});
    }
    for (const Http::HttpResponder &responder : std::as_const(m_waits))
        sendError(responder,
                  Error{ErrorCode::Unavailable,
                        QStringLiteral("the server is shutting down; ask again in a moment"),
                        {}});
    m_leases.clear();
    m_waits.clear();
}

} // namespace QueueDeck::Api
