// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/error.h"
#include "protocol/wiretypes.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace QueueDeck::Faktory {

// A job as PUSH sends it, mapped to the task it becomes (docs/faktory.md).
struct FaktoryPush
{
    QString jid;
    QString queue; // Faktory queue name = QueueDeck queue name in the listener's environment
    int retry = 25;
    EnqueueRequest request;
};

// The job ↔ task mapping of docs/faktory.md: jid → idempotency key, jobtype → type, the whole
// job hash (unknown fields included) → payload, at → run_at, reserve_for → lease timeout,
// retry → max attempts (retry + 1; a negative retry fails for good at once), priority 1…9 →
// task priority −100…100.
class FaktoryJob final
{
public:
    static constexpr int DefaultRetry = 25;

    static Result<FaktoryPush> fromJson(const QJsonObject &job, qint64 nowMs);
    static Result<FaktoryPush> fromText(QByteArrayView text, qint64 nowMs);
    // The job hash a FETCH answers with: what was pushed, with the failure of the previous
    // attempt when there was one (lastError as written by failureText).
    static QByteArray forFetch(const QByteArray &payload, int attempt, const QString &lastError);
    // How a FAIL is kept as the task's error: "errtype: message", then the backtrace lines.
    static QString failureText(const QString &errorType, const QString &message,
                               const QStringList &backtrace);
    static int retryOf(const QByteArray &payload);
};

} // namespace QueueDeck::Faktory
