// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/error.h"
#include "protocol/scheduletypes.h"

#include <QFuture>

namespace QueueDeck::Client {

class QueueDeckClient;

// Typed calls of /api/v1/schedules over a QueueDeckClient (docs/schedules.md). Thread-safe as
// the client it uses, which must outlive it; futures finish where the client's do.
class ScheduleClient final
{
public:
    template <typename T> using Reply = QFuture<Result<T>>;

    explicit ScheduleClient(QueueDeckClient &client) : m_client(client) {}

    Reply<QList<ScheduleInfo>> list();
    Reply<ScheduleInfo> get(const QString &scheduleId);
    Reply<ScheduleInfo> create(const ScheduleDefinition &definition);
    Reply<ScheduleInfo> update(const QString &scheduleId, const SchedulePatch &patch);
    Reply<void> remove(const QString &scheduleId);
    Reply<ScheduleInfo> pause(const QString &scheduleId);
    Reply<ScheduleInfo> resume(const QString &scheduleId);
    Reply<ScheduleFire> trigger(const QString &scheduleId);
    Reply<BackfillResult> backfill(const QString &scheduleId, const BackfillRequest &request);
    // Newest first.
    Reply<QList<ScheduleFire>> fires(const QString &scheduleId, int limit = 100);
    Reply<SchedulePreview> preview(const SchedulePreviewRequest &request);

private:
    QueueDeckClient &m_client;
};

} // namespace QueueDeck::Client
