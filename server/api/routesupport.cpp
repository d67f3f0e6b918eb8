// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "routesupport.h"

#include <QJsonDocument>

namespace QueueDeck::Api {

void sendJson(const Http::HttpResponder &responder, int status, const QJsonObject &body)
{
    sendJson(responder, status, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

void sendJson(const Http::HttpResponder &responder, int status, QByteArray body)
{
    Http::HttpResponse response;
    response.status = status;
    response.body = std::move(body);
    responder.send(response);
}

void sendError(const Http::HttpResponder &responder, const Error &error)
{
    sendJson(responder, httpStatus(error.code), Codec::errorBody(error));
}

Error invalid(QString message)
{
    return Error{ErrorCode::InvalidArgument, std::move(message), {}};
}

QJsonObject items(const QJsonArray &array)
{
    return QJsonObject{{QStringLiteral("items"), array},
                       {QStringLiteral("next_cursor"), QJsonValue()}};
}

bool queueAllowed(const Call &call, const QString &queueId)
{
    // Reached only through routes a principal was authorised for: a viewer here only reads.
    if (call.principal.kind == PrincipalKind::Admin ||
        call.principal.kind == PrincipalKind::Viewer || call.principal.queueIds.contains(queueId))
        return true;
    sendError(call.responder, Error{ErrorCode::PermissionDenied,
                                    QStringLiteral("this token may not use queue %1").arg(queueId),
                                    {}});
    return false;
}

QString joinTokenPlaceholder()
{
    return QStringLiteral("JOIN_TOKEN_HIDDEN_ASK_AN_ADMIN");
}

QString joinTokenShownTo(const Principal &principal)
{
    return principal.kind == PrincipalKind::Admin ? QString() : joinTokenPlaceholder();
}

} // namespace QueueDeck::Api
