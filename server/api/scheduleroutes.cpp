// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// Schedules (docs/schedules.md): /api/v1/schedules. The admin manages them; a viewer token reads
// them, their fire history and previews; producer tokens have no part in them (a schedule
// enqueues with the server's own authority into the queue it names).
#include "engine.h"
#include "protocol/codec.h"
#include "protocol/schedulecodec.h"
#include "resourceroutes.h"
#include "routesupport.h"
#include "scheduler.h"

#include <QDateTime>
#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace QueueDeck::Api {

namespace {

constexpr int DefaultFireLimit = 100;
constexpr int MaxFireLimit = 1000;

QJsonObject scheduleJson(const ScheduleInfo &schedule)
{
    return ScheduleCodec::toJson(schedule);
}

void listSchedules(ApiContext &api, const Call &call)
{
    reply(api, call, api.engine.scheduler().list(), [](const QList<ScheduleInfo> &schedules) {
        QJsonArray items;
        for (const ScheduleInfo &schedule : schedules)
            items.append(scheduleJson(schedule));
        return QJsonObject{{u"items"_s, items}, {u"next_cursor"_s, QJsonValue()}};
    });
}

void createSchedule(ApiContext &api, const Call &call)
{
    if (auto definition = parseBody(call, &ScheduleCodec::definitionFromJson))
        reply(api, call, api.engine.scheduler().create(*definition), &scheduleJson, 201);
}

void previewSchedule(ApiContext &api, const Call &call)
{
    if (auto request = parseBody(call, &ScheduleCodec::previewRequestFromJson))
        reply(api, call, api.engine.scheduler().preview(*request),
              [](const SchedulePreview &preview) { return ScheduleCodec::toJson(preview); });
}

void getSchedule(ApiContext &api, const Call &call)
{
    reply(api, call, api.engine.scheduler().get(call.param("sid")), &scheduleJson);
}

void updateSchedule(ApiContext &api, const Call &call)
{
    if (auto patch = parseBody(call, &ScheduleCodec::patchFromJson))
        reply(api, call, api.engine.scheduler().update(call.param("sid"), *patch), &scheduleJson);
}

void deleteSchedule(ApiContext &api, const Call &call)
{
    reply(api, call, api.engine.scheduler().remove(call.param("sid")), [] {
        return QJsonObject{{u"deleted"_s, true}};
    });
}

void pauseSchedule(ApiContext &api, const Call &call)
{
    reply(api, call, api.engine.scheduler().pause(call.param("sid")), &scheduleJson);
}

void resumeSchedule(ApiContext &api, const Call &call)
{
    reply(api, call, api.engine.scheduler().resume(call.param("sid")), &scheduleJson);
}

void triggerSchedule(ApiContext &api, const Call &call)
{
    reply(
        api, call, api.engine.scheduler().trigger(call.param("sid")),
        [](const ScheduleFire &fire) { return ScheduleCodec::toJson(fire); }, 201);
}

void backfillSchedule(ApiContext &api, const Call &call)
{
    if (auto request = parseBody(call, &ScheduleCodec::backfillFromJson))
        reply(api, call, api.engine.scheduler().backfill(call.param("sid"), *request),
              [](const BackfillResult &result) { return ScheduleCodec::toJson(result); });
}

void scheduleFires(ApiContext &api, const Call &call)
{
    const QUrlQuery &query = call.request.query;
    bool limitOk = true;
    const int limit = query.hasQueryItem(u"limit"_s)
                          ? query.queryItemValue(u"limit"_s).toInt(&limitOk)
                          : DefaultFireLimit;
    std::optional<qint64> before;
    if (const QString cursor = query.queryItemValue(u"cursor"_s); !cursor.isEmpty()) {
        const QDateTime time = QDateTime::fromString(cursor, Qt::ISODateWithMs);
        if (!time.isValid()) {
            sendError(call.responder, Error{ErrorCode::InvalidArgument,
                                            u"cursor must be a next_cursor this route gave"_s,
                                            {}});
            return;
        }
        before = time.toMSecsSinceEpoch();
    }
    if (!limitOk || limit < 1 || limit > MaxFireLimit) {
        sendError(call.responder, Error{ErrorCode::InvalidArgument,
                                        u"limit must be from 1 to %1"_s.arg(MaxFireLimit),
                                        {}});
        return;
    }
    reply(api, call, api.engine.scheduler().fires(call.param("sid"), before, limit),
          [limit](const QList<ScheduleFire> &fires) {
              QJsonArray items;
              for (const ScheduleFire &fire : fires)
                  items.append(ScheduleCodec::toJson(fire));
              return QJsonObject{
                  {u"items"_s, items},
                  {u"next_cursor"_s, fires.size() == limit
                                         ? ScheduleCodec::timeValue(fires.last().fireTimeMs)
                                         : QJsonValue()}};
          });
}

} // namespace

void addScheduleRoutes(RouteTable &table)
{
    table.add("GET", u"/api/v1/schedules"_s, Access::Read, &listSchedules);
    table.add("POST", u"/api/v1/schedules"_s, Access::Admin, &createSchedule, Audit::Yes);
    // Before the {sid} routes: "preview" is no schedule id.
    table.add("POST", u"/api/v1/schedules/preview"_s, Access::Read, &previewSchedule);
    table.add("GET", u"/api/v1/schedules/{sid}"_s, Access::Read, &getSchedule);
    table.add("PATCH", u"/api/v1/schedules/{sid}"_s, Access::Admin, &updateSchedule, Audit::Yes);
    table.add("DELETE", u"/api/v1/schedules/{sid}"_s, Access::Admin, &deleteSchedule, Audit::Yes);
    table.add("POST", u"/api/v1/schedules/{sid}/pause"_s, Access::Admin, &pauseSchedule,
              Audit::Yes);
    table.add("POST", u"/api/v1/schedules/{sid}/resume"_s, Access::Admin, &resumeSchedule,
              Audit::Yes);
    table.add("POST", u"/api/v1/schedules/{sid}/trigger"_s, Access::Admin, &triggerSchedule,
              Audit::Yes);
    table.add("POST", u"/api/v1/schedules/{sid}/backfill"_s, Access::Admin, &backfillSchedule,
              Audit::Yes);
    table.add("GET", u"/api/v1/schedules/{sid}/fires"_s, Access::Read, &scheduleFires);
}

} // namespace QueueDeck::Api
