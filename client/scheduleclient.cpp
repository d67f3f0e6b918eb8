// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "scheduleclient.h"

#include "protocol/schedulecodec.h"
#include "queuedeckclient.h"

#include <QJsonArray>

namespace QueueDeck::Client {

namespace {

const QString s_base = QStringLiteral("/api/v1/schedules");

template <typename T, typename Decode>
QFuture<Result<T>> decoded(QFuture<Result<QJsonObject>> future, Decode decode)
{
    return future.then([decode](const Result<QJsonObject> &object) -> Result<T> {
        if (!object)
            return std::unexpected(object.error());
        if constexpr (std::is_void_v<T>)
            return {};
        else
            return decode(*object);
    });
}

template <typename T>
Result<QList<T>> itemsOf(const QJsonObject &page, Result<T> (*decode)(const QJsonObject &))
{
    QList<T> out;
    for (const QJsonValue &item : page.value(QStringLiteral("items")).toArray()) {
        auto value = decode(item.toObject());
        if (!value)
            return std::unexpected(value.error());
        out.append(*value);
    }
    return out;
}

} // namespace

ScheduleClient::Reply<QList<ScheduleInfo>> ScheduleClient::list()
{
    return decoded<QList<ScheduleInfo>>(m_client.call("GET", s_base), [](const QJsonObject &o) {
        return itemsOf(o, &ScheduleCodec::scheduleFromJson);
    });
}

ScheduleClient::Reply<ScheduleInfo> ScheduleClient::get(const QString &scheduleId)
{
    return decoded<ScheduleInfo>(m_client.call("GET", s_base + u'/' + scheduleId),
                                 &ScheduleCodec::scheduleFromJson);
}

ScheduleClient::Reply<ScheduleInfo> ScheduleClient::create(const ScheduleDefinition &definition)
{
    QJsonObject body = ScheduleCodec::toJson(definition);
    for (const char *field : {"start_at", "end_at"}) {
        if (body.value(QLatin1StringView(field)).isNull())
            body.remove(QLatin1StringView(field));
    }
    return decoded<ScheduleInfo>(m_client.call("POST", s_base, body),
                                 &ScheduleCodec::scheduleFromJson);
}

ScheduleClient::Reply<ScheduleInfo> ScheduleClient::update(const QString &scheduleId,
                                                           const SchedulePatch &patch)
{
    return decoded<ScheduleInfo>(
        m_client.call("PATCH", s_base + u'/' + scheduleId, ScheduleCodec::toJson(patch)),
        &ScheduleCodec::scheduleFromJson);
}

ScheduleClient::Reply<void> ScheduleClient::remove(const QString &scheduleId)
{
    return decoded<void>(m_client.call("DELETE", s_base + u'/' + scheduleId),
                         [](const QJsonObject &) {});
}

ScheduleClient::Reply<ScheduleInfo> ScheduleClient::pause(const QString &scheduleId)
{
    return decoded<ScheduleInfo>(m_client.call("POST", s_base + u'/' + scheduleId + u"/pause"),
                                 &ScheduleCodec::scheduleFromJson);
}

ScheduleClient::Reply<ScheduleInfo> ScheduleClient::resume(const QString &scheduleId)
{
    return decoded<ScheduleInfo>(m_client.call("POST", s_base + u'/' + scheduleId + u"/resume"),
                                 &ScheduleCodec::scheduleFromJson);
}

ScheduleClient::Reply<ScheduleFire> ScheduleClient::trigger(const QString &scheduleId)
{
    return decoded<ScheduleFire>(m_client.call("POST", s_base + u'/' + scheduleId + u"/trigger"),
                                 &ScheduleCodec::fireFromJson);
}

ScheduleClient::Reply<BackfillResult> ScheduleClient::backfill(const QString &scheduleId,
                                                               const BackfillRequest &request)
{
    return decoded<BackfillResult>(m_client.call("POST", s_base + u'/' + scheduleId + u"/backfill",
                                                 ScheduleCodec::toJson(request)),
                                   &ScheduleCodec::backfillResultFromJson);
}

ScheduleClient::Reply<QList<ScheduleFire>> ScheduleClient::fires(const QString &scheduleId,
                                                                 int limit)
{
    return decoded<QList<ScheduleFire>>(
        m_client.call("GET",
                      s_base + u'/' + scheduleId + QStringLiteral("/fires?limit=%1").arg(limit)),
        [](const QJsonObject &o) { return itemsOf(o, &ScheduleCodec::fireFromJson); });
}

ScheduleClient::Reply<SchedulePreview>
ScheduleClient::preview(const SchedulePreviewRequest &request)
{
    return decoded<SchedulePreview>(
        m_client.call("POST", s_base + QStringLiteral("/preview"), ScheduleCodec::toJson(request)),
        &ScheduleCodec::previewFromJson);
}

} // namespace QueueDeck::Client
