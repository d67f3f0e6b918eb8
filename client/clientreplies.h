// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/codec.h"
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
    return Codec::answerObject(*body);
}

// Maps an answer (a JSON object, or a body's text for the decoders that read it directly) to a
// typed value; an error passes through.
template <typename T, typename In, typename Decode>
QFuture<Result<T>> mapped(QFuture<Result<In>> future, Decode decode)
{
    auto map = [decode](const Result<In> &answer) -> Result<T> {
        if (!answer)
            return std::unexpected(answer.error());
        return decode(*answer);
    };
    // A blocking client's answer is there already: mapped now, with no continuation set up.
    if (future.isFinished() && future.resultCount() > 0)
        return QtFuture::makeReadyFuture(map(future.result()));
    return future.then(std::move(map));
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
