// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "scheduleclient.h"

#include "clientreplies.h"
#include "protocol/schedulecodec.h"
#include "queuedeckclient.h"

#include <QJsonArray>

namespace QueueDeck::Client {

using namespace Replies;

namespace {

const QString s_base = QStringLiteral("/api/v1/schedules");

} // namespace

ScheduleClient::Reply<QList<ScheduleInfo>> ScheduleClient::list()
{
    return mapped<QList<ScheduleInfo>>(m_client.call("GET", s_base),
                                       itemsOf<ScheduleInfo>(&ScheduleCodec::scheduleFromJson));
}

ScheduleClient::Reply<ScheduleInfo> ScheduleClient::get(const QString &scheduleId)
{
    return mapped<ScheduleInfo>(m_client.call("GET", s_base + u'/' + scheduleId),
                                &ScheduleCodec::scheduleFromJson);
}

ScheduleClient::Reply<ScheduleInfo> ScheduleClient::create(const ScheduleDefinition &definition)
{
    QJsonObject body = ScheduleCodec::toJson(definition);
    for (const char *field : {"start_at", "end_at"}) {
        if (body.value(QLatin1StringView(field)).isNull())
            body.remove(QLatin1StringView(field));
    }
    return mapped<ScheduleInfo>(m_client.call("POST", s_base, body),
                                &ScheduleCodec::scheduleFromJson);
}

ScheduleClient::Reply<ScheduleInfo> ScheduleClient::update(const QString &scheduleId,
                                                           const SchedulePatch &patch)
{
    return mapped<ScheduleInfo>(
        m_client.call("PATCH", s_base + u'/' + scheduleId, ScheduleCodec::toJson(patch)),
        &ScheduleCodec::scheduleFromJson);
}

ScheduleClient::Reply<void> ScheduleClient::remove(const QString &scheduleId)
{
    return mapped<void>(m_client.call("DELETE", s_base + u'/' + scheduleId), &nothing);
}

ScheduleClient::Reply<ScheduleInfo> ScheduleClient::pause(const QString &scheduleId)
{
    return mapped<ScheduleInfo>(m_client.call("POST", s_base + u'/' + scheduleId + u"/pause"),
                                &ScheduleCodec::scheduleFromJson);
}

ScheduleClient::Reply<ScheduleInfo> ScheduleClient::resume(const QString &scheduleId)
{
    return mapped<ScheduleInfo>(m_client.call("POST", s_base + u'/' + scheduleId + u"/resume"),
                                &ScheduleCodec::scheduleFromJson);
}

ScheduleClient::Reply<ScheduleFire> ScheduleClient::trigger(const QString &scheduleId)
{
    return mapped<ScheduleFire>(m_client.call("POST", s_base + u'/' + scheduleId + u"/trigger"),
                                &ScheduleCodec::fireFromJson);
}

ScheduleClient::Reply<BackfillResult> ScheduleClient::backfill(const QString &scheduleId,
                                                               const BackfillRequest &request)
{
    return mapped<BackfillResult>(m_client.call("POST", s_base + u'/' + scheduleId + u"/backfill",
                                                ScheduleCodec::toJson(request)),
                                  &ScheduleCodec::backfillResultFromJson);
}

ScheduleClient::Reply<QList<ScheduleFire>> ScheduleClient::fires(const QString &scheduleId,
                                                                 int limit)
{
    return mapped<QList<ScheduleFire>>(
        m_client.call("GET",
                      s_base + u'/' + scheduleId + QStringLiteral("/fires?limit=%1").arg(limit)),
        itemsOf<ScheduleFire>(&ScheduleCodec::fireFromJson));
}

ScheduleClient::Reply<SchedulePreview>
ScheduleClient::preview(const SchedulePreviewRequest &request)
{
    return mapped<SchedulePreview>(
        m_client.call("POST", s_base + QStringLiteral("/preview"), ScheduleCodec::toJson(request)),
        &ScheduleCodec::previewFromJson);
}

} // namespace QueueDeck::Client
