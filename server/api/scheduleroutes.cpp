// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// Schedules (docs/schedules.md): /api/v1/schedules. The admin manages them; a viewer token reads
// them, their fire history and previews; producer tokens have no part in them (a schedule
// enqueues with the server's own authority into the queue it names).
#include "apiservice.h"

#include "engine.h"
#include "protocol/codec.h"
#include "protocol/schedulecodec.h"
#include "scheduler.h"

#include <QDateTime>
#include <QJsonArray>

namespace QueueDeck::Api {

namespace {

constexpr int DefaultFireLimit = 100;
constexpr int MaxFireLimit = 1000;

QJsonObject scheduleJson(const ScheduleInfo &schedule)
{
    return ScheduleCodec::toJson(schedule);
}

} // namespace

void ApiService::addScheduleRoutes()
{
    // Sends the scheduler's answer when it arrives (like ApiService::reply).
    const auto answer = []<typename T, typename ToJson>(ApiService *self, const Call &call,
                                                        QFuture<Result<T>> future, ToJson toJson,
                                                        int status) {
        const Http::HttpResponder responder = call.responder;
        future.then(self, [responder, toJson, status](const Result<T> &result) {
            if (!result)
                sendError(responder, result.error());
            else if constexpr (std::is_void_v<T>)
                sendJson(responder, status, toJson());
            else
                sendJson(responder, status, toJson(*result));
        });
    };
    // The request body decoded, or nothing (the error is answered already).
    const auto body = []<typename T>(const Call &call,
                                     Result<T> (*decode)(const QJsonObject &)) -> std::optional<T> {
        auto object = Codec::parseObject(call.request.body);
        if (!object) {
            sendError(call.responder, object.error());
            return std::nullopt;
        }
        auto value = decode(*object);
        if (!value) {
            sendError(call.responder, value.error());
            return std::nullopt;
        }
        return std::move(*value);
    };
    const auto route = [this](const char *method, const char *path, Access access,
                              Handler handler) {
        m_router.add(QByteArray(method), QString::fromLatin1(path), access, std::move(handler));
        if (access == Access::Admin)
            m_audited.insert(QString::fromLatin1(method) + u' ' + QString::fromLatin1(path));
    };

    route("GET", "/api/v1/schedules", Access::Read, [answer](ApiService *self, const Call &call) {
        answer(
            self, call, self->m_engine.scheduler().list(),
            [](const QList<ScheduleInfo> &schedules) {
                QJsonArray items;
                for (const ScheduleInfo &schedule : schedules)
                    items.append(scheduleJson(schedule));
                return QJsonObject{{QStringLiteral("items"), items},
                                   {QStringLiteral("next_cursor"), QJsonValue()}};
            },
            200);
    });
    route("POST", "/api/v1/schedules", Access::Admin,
          [answer, body](ApiService *self, const Call &call) {
              if (auto definition = body(call, &ScheduleCodec::definitionFromJson))
                  answer(self, call, self->m_engine.scheduler().create(*definition), &scheduleJson,
                         201);
          });
    // Before the {sid} routes: "preview" is no schedule id.
    route("POST", "/api/v1/schedules/preview", Access::Read,
          [answer, body](ApiService *self, const Call &call) {
              if (auto request = body(call, &ScheduleCodec::previewRequestFromJson))
                  answer(
                      self, call, self->m_engine.scheduler().preview(*request),
                      [](const SchedulePreview &p) { return ScheduleCodec::toJson(p); }, 200);
          });
    route("GET", "/api/v1/schedules/{sid}", Access::Read,
          [answer](ApiService *self, const Call &call) {
              answer(self, call, self->m_engine.scheduler().get(call.param("sid")), &scheduleJson,
                     200);
          });
    route("PATCH", "/api/v1/schedules/{sid}", Access::Admin,
          [answer, body](ApiService *self, const Call &call) {
              if (auto patch = body(call, &ScheduleCodec::patchFromJson))
                  answer(self, call, self->m_engine.scheduler().update(call.param("sid"), *patch),
                         &scheduleJson, 200);
          });
    route("DELETE", "/api/v1/schedules/{sid}", Access::Admin,
          [answer](ApiService *self, const Call &call) {
              answer(
                  self, call, self->m_engine.scheduler().remove(call.param("sid")),
                  [] {
                      return QJsonObject{{QStringLiteral("deleted"), true}};
                  },
                  200);
          });
    route("POST", "/api/v1/schedules/{sid}/pause", Access::Admin,
          [answer](ApiService *self, const Call &call) {
              answer(self, call, self->m_engine.scheduler().pause(call.param("sid")), &scheduleJson,
                     200);
          });
    route("POST", "/api/v1/schedules/{sid}/resume", Access::Admin,
          [answer](ApiService *self, const Call &call) {
              answer(self, call, self->m_engine.scheduler().resume(call.param("sid")),
                     &scheduleJson, 200);
          });
    route("POST", "/api/v1/schedules/{sid}/trigger", Access::Admin,
          [answer](ApiService *self, const Call &call) {
              answer(
                  self, call, self->m_engine.scheduler().trigger(call.param("sid")),
                  [](const ScheduleFire &fire) { return ScheduleCodec::toJson(fire); }, 201);
          });
    route("POST", "/api/v1/schedules/{sid}/backfill", Access::Admin,
          [answer, body](ApiService *self, const Call &call) {
              if (auto request = body(call, &ScheduleCodec::backfillFromJson))
                  answer(
                      self, call, self->m_engine.scheduler().backfill(call.param("sid"), *request),
                      [](const BackfillResult &r) { return ScheduleCodec::toJson(r); }, 200);
          });
    route("GET", "/api/v1/schedules/{sid}/fires", Access::Read,
          [answer](ApiService *self, const Call &call) {
              const QUrlQuery &query = call.request.query;
              bool limitOk = true;
              const int limit = query.hasQueryItem(QStringLiteral("limit"))
                                    ? query.queryItemValue(QStringLiteral("limit")).toInt(&limitOk)
                                    : DefaultFireLimit;
              std::optional<qint64> before;
              if (const QString cursor = query.queryItemValue(QStringLiteral("cursor"));
                  !cursor.isEmpty()) {
                  const QDateTime time = QDateTime::fromString(cursor, Qt::ISODateWithMs);
                  if (!time.isValid()) {
                      sendError(call.responder,
                                Error{ErrorCode::InvalidArgument,
                                      QStringLiteral("cursor must be a next_cursor this route "
                                                     "gave"),
                                      {}});
                      return;
                  }
                  before = time.toMSecsSinceEpoch();
              }
              if (!limitOk || limit < 1 || limit > MaxFireLimit) {
                  sendError(call.responder,
                            Error{ErrorCode::InvalidArgument,
                                  QStringLiteral("limit must be from 1 to %1").arg(MaxFireLimit),
                                  {}});
                  return;
              }
              answer(
                  self, call, self->m_engine.scheduler().fires(call.param("sid"), before, limit),
                  [limit](const QList<ScheduleFire> &fires) {
                      QJsonArray items;
                      for (const ScheduleFire &fire : fires)
                          items.append(ScheduleCodec::toJson(fire));
                      return QJsonObject{{QStringLiteral("items"), items},
                                         {QStringLiteral("next_cursor"),
                                          fires.size() == limit
                                              ? ScheduleCodec::timeValue(fires.last().fireTimeMs)
                                              : QJsonValue()}};
                  },
                  200);
          });
}

} // namespace QueueDeck::Api
