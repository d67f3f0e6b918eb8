// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/runtypes.h"

#include <QFuture>

namespace QueueDeck::Client {

class QueueDeckClient;

// The run routes of the API (docs/runs.md) over a QueueDeckClient, which it does not own and
// which must outlive it. Thread-safety and blocking as the client's.
class RunsClient final
{
public:
    template <typename T> using Reply = QFuture<Result<T>>;

    explicit RunsClient(QueueDeckClient &client);

    // GET /runs/{rid}: the run's tree; waitS > 0 waits up to that long for it to finish.
    Reply<RunInfo> run(const QString &runId, double waitS = 0);
    // POST /runs/{rid}/cancel: how many unfinished tasks were cancelled.
    Reply<qint64> cancel(const QString &runId);
    // POST /tasks/{parent}/children, with the client's token: the worker's credential (then
    // leaseId is needed) or the handler's child token.
    Reply<TaskInfo> enqueueChild(const ChildEnqueue &request);

private:
    QueueDeckClient &m_client;
};

} // namespace QueueDeck::Client
