// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// Errors, request bodies, and the tokens and audit entries of the access routes.
#include "protocol/codec.h"

#include "protocol/codecfields.h"
#include "protocol/fieldreader.h"
#include "protocol/jsontext.h"

#include <QDateTime>
#include <QJsonDocument>

namespace QueueDeck::Codec {

using namespace Detail;

QJsonObject errorBody(const Error &error)
{
    return QJsonObject{
        {QStringLiteral("error"), QJsonObject{{QStringLiteral("code"), errorCodeName(error.code)},
                                              {QStringLiteral("message"), error.message},
                                              {QStringLiteral("details"), error.details}}}};
}

Result<QJsonObject> parseObject(const QByteArray &body)
{
    if (body.trimmed().isEmpty())
        return QJsonObject();
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("the body is not valid JSON: %1 at byte %2")
                             .arg(error.errorString())
                             .arg(error.offset),
                         QJsonObject{{QStringLiteral("offset"), error.offset}});
    if (!document.isObject())
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("the body must be a JSON object"));
    return document.object();
}

Result<QJsonObject> answerObject(QByteArrayView body)
{
    if (body.isEmpty())
        return QJsonObject();
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return makeError(ErrorCode::Internal,
                         QStringLiteral("the server sent a body that is not a JSON object"));
    return document.object();
}

Error errorFromBody(int httpStatus, const QByteArray &body)
{
    const QJsonObject error =
        QJsonDocument::fromJson(body).object().value(QLatin1StringView("error")).toObject();
    const auto code = errorCodeFromName(error.value(QLatin1StringView("code")).toString());
    if (!code)
        return Error{
            httpStatus >= 500 ? ErrorCode::Unavailable : ErrorCode::Internal,
            QStringLiteral("the server answered HTTP %1 without an error body").arg(httpStatus),
            {}};
    return Error{*code, error.value(QLatin1StringView("message")).toString(),
                 error.value(QLatin1StringView("details")).toObject()};
}

QJsonObject toJson(const ProducerToken &t)
{
    QJsonObject object{{QStringLiteral("name"), t.name},
                       {QStringLiteral("queue_ids"), QJsonArray::fromStringList(t.queueIds)},
                       {QStringLiteral("created_at"), timeValue(t.createdAtMs)}};
    if (!t.token.isEmpty())
        object.insert(QStringLiteral("token"), t.token);
    return object;
}

QJsonObject toJson(const AuditEntry &e)
{
    return QJsonObject{{QStringLiteral("id"), e.id},
                       {QStringLiteral("at"), timeValue(e.atMs)},
                       {QStringLiteral("actor_kind"), e.actorKind},
                       {QStringLiteral("actor"), e.actor},
                       {QStringLiteral("action"), e.action},
                       {QStringLiteral("target"), e.target}};
}

Result<ProducerToken> producerTokenFromJson(const QJsonObject &o)
{
    ProducerToken t;
    t.name = o.value(QLatin1StringView("name")).toString();
    t.token = o.value(QLatin1StringView("token")).toString();
    t.queueIds = stringsFrom(o.value(QLatin1StringView("queue_ids")));
    t.createdAtMs = timeFrom(o.value(QLatin1StringView("created_at")));
    return t;
}

Result<AuditEntry> auditFromJson(const QJsonObject &o)
{
    return AuditEntry{integerAt(o, "id"),
                      timeFrom(o.value(QLatin1StringView("at"))),
                      o.value(QLatin1StringView("actor_kind")).toString(),
                      o.value(QLatin1StringView("actor")).toString(),
                      o.value(QLatin1StringView("action")).toString(),
                      o.value(QLatin1StringView("target")).toString()};
}

} // namespace QueueDeck::Codec
