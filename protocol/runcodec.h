// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

// JSON shapes of runs (GET /api/v1/runs/{rid}, POST /api/v1/tasks/{tid}/children), for the
// server and its clients.

#include "protocol/error.h"
#include "protocol/runtypes.h"

#include <QJsonObject>

namespace QueueDeck::Codec {

QJsonObject toJson(const RunInfo &run);
Result<RunInfo> runFromJson(const QJsonObject &object);
// The body of POST /tasks/{tid}/children: an enqueue body (design §6) with lease_id (required
// with a worker credential) and queue_id (optional) beside it. parentId is left to the caller.
Result<ChildEnqueue> childEnqueueFromJson(const QJsonObject &object);
QJsonObject toJson(const ChildEnqueue &request);

} // namespace QueueDeck::Codec
