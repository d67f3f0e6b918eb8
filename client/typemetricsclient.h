// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/typemetrics.h"

#include <QFuture>

namespace QueueDeck::Client {

class QueueDeckClient;

// The metrics-per-task-type routes over a QueueDeckClient, which it does not own and which must
// outlive it. Thread-safety and blocking as the client's.
class TypeMetricsClient final
{
public:
    template <typename T> using Reply = QFuture<Result<T>>;

    explicit TypeMetricsClient(QueueDeckClient &client);

    // GET /worker-queues/{qid}/type-metrics, or /type-metrics for an empty queueId;
    // range is 5m, 1h, 24h or 7d.
    Reply<TypeMetricsReport> typeMetrics(const QString &queueId, const QString &range);

private:
    QueueDeckClient &m_client;
};

} // namespace QueueDeck::Client
