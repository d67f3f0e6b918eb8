// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/error.h"
#include "protocol/wiretypes.h"

namespace QueueDeck::Validation {

// Sane maxima the engine enforces; every rejection names the field and what to change.
inline constexpr int MaxNameLength = 64;
inline constexpr int MaxTypeLength = 128;
inline constexpr int MaxKeyLength = 256;
inline constexpr int MaxLabels = 32;
inline constexpr int MaxLabelLength = 128;
inline constexpr int MaxDescriptionLength = 2000;
inline constexpr int MaxMaxWorkers = 100000;
inline constexpr int MaxAttempts = 1000;
inline constexpr qint64 MaxTimeoutS = 7 * 24 * 3600;
inline constexpr qint64 MaxDelayMs = 366LL * 24 * 3600 * 1000;
inline constexpr qint64 MaxResultBytes = 1 << 20;
inline constexpr int MaxLeaseBatch = 1000;
inline constexpr qint64 MaxLeaseWaitMs = 60000;
inline constexpr int MaxEnqueueBatch = 10000;
inline constexpr int MaxLogLineLength = 16 * 1024;
inline constexpr qint64 MaxLogBytesPerTask = 1 << 20;

Result<void> name(const QString &value, const char *field);
Result<void> workerId(const QString &value);
Result<void> settings(const QueueSettings &settings);
// payloadLimit: the largest payload in bytes the server accepts.
Result<void> enqueue(const EnqueueRequest &request, qint64 payloadLimit);
Result<void> json(const QByteArray &text, const char *field, qint64 limit);
Result<void> labels(const Labels &labels, const char *field);

} // namespace QueueDeck::Validation
