// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "httptypes.h"

#include <QList>

#include <atomic>
#include <memory>

namespace QueueDeck::Api {

// The long polls being held: leases waiting for a task and producers waiting for a task's end.
// The engine answers them; this only remembers them so that a shutdown can answer those still
// open. Used on the API thread only.
class ParkedRequests final
{
    Q_DISABLE_COPY_MOVE(ParkedRequests)
public:
    ParkedRequests() = default;

    // `withdrawn` is set when the lease is answered at shutdown, so the engine hands it nothing.
    // Each is logged at debug level (queuedeck.api), which tests wait for.
    void parkLease(const Http::HttpResponder &responder,
                   std::shared_ptr<std::atomic<bool>> withdrawn, const QString &workerId);
    void parkWait(const Http::HttpResponder &responder, const QString &taskId);
    // Answers every one still open: leases get no tasks, waits get 503.
    void answerAll();

private:
    void forgetAnswered();

    struct ParkedLease
    {
        Http::HttpResponder responder;
        std::shared_ptr<std::atomic<bool>> withdrawn;
    };
    QList<ParkedLease> m_leases;
    QList<Http::HttpResponder> m_waits;
};

} // namespace QueueDeck::Api
