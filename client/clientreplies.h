// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/error.h"

#include <QFuture>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QUrl>

// How QueueDeckClient's resource calls (queuedeckclient_<resource>.cpp) build paths and read
// answers. Private to the client library.
namespace QueueDeck::Client::Replies {

// A 2xx body as a JSON object (an empty body is an empty object).
inline Result<QJsonObject> asObject(const Result<QByteArray> &body)
{
    if (!body)
        return std::unexpected(body.error());
    if (body->isEmpty())
        return QJsonObject();
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(*body, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return makeError(ErrorCode::Internal,
                         QStringLiteral("the server sent a body that is not a JSON object"));
    return document.object();
}

// Maps a JSON answer to a typed value.
template <typename T, typename Decode>
QFuture<Result<T>> mapped(QFuture<Result<QJsonObject>> future, Decode decode)
{
    return future.then([decode](const Result<QJsonObject> &object) -> Result<T> {
        if (!object)
            return std::unexpected(object.error());
        return decode(*object);
    });
}

// Decodes a 2xx body from its text, for answers read without building a QJsonObject.
template <typename T, typename Decode>
QFuture<Result<T>> decoded(QFuture<Result<QByteArray>> future, Decode decode)
{
    return future.then([decode](const Result<QByteArray> &body) -> Result<T> {
        if (!body)
            return std::unexpected(body.error());
        return decode(*body);
    });
}

template <typename T, typename Decode>
Result<QList<T>> listOf(const QJsonArray &array, Decode decode)
{
    QList<T> out;
    out.reserve(array.size());
    for (const QJsonValue &value : array) {
        auto item = decode(value.toObject());
        if (!item)
            return std::unexpected(item.error());
        out.append(std::move(*item));
    }
    return out;
}

// The answer's "items", each decoded.
template <typename T, typename Decode> auto itemsOf(Decode decode)
{
    return [decode](const QJsonObject &o) {
        return listOf<T>(o.value(QLatin1StringView("items")).toArray(), decode);
    };
}

// An answer whose body carries nothing to decode.
inline Result<void> nothing(const QJsonObject &)
{
    return {};
}

inline QString encode(const QString &segment)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(segment));
}

inline QString queuePath(const QString &queueId, const char *rest = "")
{
    return QStringLiteral("/api/v1/worker-queues/") + encode(queueId) + QLatin1StringView(rest);
}

inline QString taskPath(const QString &taskId, const char *rest = "")
{
    return QStringLiteral("/api/v1/tasks/") + encode(taskId) + QLatin1StringView(rest);
}

} // namespace QueueDeck::Client::Replies
