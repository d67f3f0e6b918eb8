// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

// JSON shapes of /api/v1/schedules (docs/schedules.md, openapi.json), for the server and its
// clients. Readers are strict like those of codec.h: a wrong type or an unknown field is an
// INVALID_ARGUMENT that names the field. Times are RFC 3339 strings (milliseconds since 1970 are
// accepted too).

#include "protocol/error.h"
#include "protocol/scheduletypes.h"

#include <QJsonObject>

namespace QueueDeck::ScheduleCodec {

QJsonObject toJson(const ScheduleDefinition &definition);
QJsonObject toJson(const ScheduleInfo &schedule);
QJsonObject toJson(const ScheduleFire &fire);
QJsonObject toJson(const SchedulePreview &preview);
QJsonObject toJson(const BackfillResult &result);
QJsonObject toJson(const SchedulePreviewRequest &request);
QJsonObject toJson(const BackfillRequest &request);
QJsonObject toJson(const SchedulePatch &patch);

Result<ScheduleDefinition> definitionFromJson(const QJsonObject &object);
Result<SchedulePatch> patchFromJson(const QJsonObject &object);
Result<SchedulePreviewRequest> previewRequestFromJson(const QJsonObject &object);
Result<BackfillRequest> backfillFromJson(const QJsonObject &object);

Result<ScheduleInfo> scheduleFromJson(const QJsonObject &object);
Result<ScheduleFire> fireFromJson(const QJsonObject &object);
Result<SchedulePreview> previewFromJson(const QJsonObject &object);
Result<BackfillResult> backfillResultFromJson(const QJsonObject &object);

QJsonValue timeValue(qint64 ms);

} // namespace QueueDeck::ScheduleCodec
