// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

// What every route handler answers with: JSON bodies, errors, the engine's answer when it
// arrives, and the checks several resources share. Called on the API thread.

#include "apicontext.h"
#include "call.h"
#include "protocol/codec.h"

#include <QFuture>
#include <QJsonArray>
#include <QJsonObject>
#include <QPointer>
#include <QThread>

#include <optional>

namespace QueueDeck::Api {

void sendJson(const Http::HttpResponder &responder, int status, const QJsonObject &body);
// A body that already is compact JSON text.
void sendJson(const Http::HttpResponder &responder, int status, QByteArray body);
void sendError(const Http::HttpResponder &responder, const Error &error);
Error invalid(QString message);

// {"items": [...], "next_cursor": null}
QJsonObject items(const QJsonArray &array);
template <typename T> QJsonArray arrayOf(const QList<T> &values)
{
    QJsonArray array;
    for (const T &value : values)
        array.append(Codec::toJson(value));
    return array;
}

// The answer to an engine's result: toJson(value) with `status`, or the error.
template <typename T, typename ToJson>
auto answerWith(const Call &call, ToJson toJson, int status = 200)
{
    return
        [responder = call.responder, toJson = std::move(toJson), status](const Result<T> &result) {
            if (!result) {
                sendError(responder, result.error());
                return;
            }
            if constexpr (std::is_void_v<T>)
                sendJson(responder, status, toJson());
            else
                sendJson(responder, status, toJson(*result));
        };
}

// Sends the engine's answer when it arrives: toJson(value) with `status`, or the error.
template <typename T, typename ToJson>
void reply(ApiContext &api, const Call &call, QFuture<Result<T>> future, ToJson toJson,
           int status = 200)
{
    future.then(api.receiver, answerWith<T>(call, std::move(toJson), status));
}

// An answer to an engine callback (Engine::Done), run as future.then(api.receiver, …) would run
// it: on the API's thread, and not at all once the API is gone.
template <typename Fn> auto onApiThread(ApiContext &api, Fn fn)
{
    return [receiver = QPointer<QObject>(api.receiver), fn = std::move(fn)](auto result) mutable {
        if (!receiver)
            return;
        if (receiver->thread() == QThread::currentThread()) {
            fn(std::move(result));
            return;
        }
        QMetaObject::invokeMethod(
            receiver.get(), [fn, result = std::move(result)]() mutable { fn(std::move(result)); },
            Qt::QueuedConnection);
    };
}

// As reply(), for the engine's calls that take a callback instead of answering with a future
// (the hot paths: no promise, no future, no continuation per request).
template <typename T, typename ToJson>
std::function<void(Result<T>)> replyTo(ApiContext &api, const Call &call, ToJson toJson,
                                       int status = 200)
{
    return onApiThread(api, answerWith<T>(call, std::move(toJson), status));
}

// The value, or nothing when it is an error (then answered already).
template <typename T> std::optional<T> parsed(const Call &call, Result<T> value)
{
    if (!value) {
        sendError(call.responder, value.error());
        return std::nullopt;
    }
    return std::move(*value);
}

// The request body decoded with `decode`, or nothing (the error is answered already).
template <typename T>
std::optional<T> parseBody(const Call &call, Result<T> (*decode)(const QJsonObject &))
{
    auto body = parsed(call, Codec::parseObject(call.request.body));
    if (!body)
        return std::nullopt;
    return parsed(call, decode(*body));
}

// Whether the caller may use the queue; when not, the 403 is answered already.
bool queueAllowed(const Call &call, const QString &queueId);

// The placeholder connect commands and install scripts show a viewer instead of a join token.
QString joinTokenPlaceholder();
// The join token a principal may see: empty for the admin (the real one is shown), the
// placeholder for anyone else (a viewer never sees a secret).
QString joinTokenShownTo(const Principal &principal);

} // namespace QueueDeck::Api
