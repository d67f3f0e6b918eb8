// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "validation.h"

#include "protocol/jsonscan.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace QueueDeck::Validation {

namespace {

std::unexpected<Error> invalid(QString message, const char *field)
{
    return makeError(ErrorCode::InvalidArgument, std::move(message),
                     QJsonObject{{QStringLiteral("field"), QString::fromLatin1(field)}});
}

QString fieldName(const char *field)
{
    return QString::fromLatin1(field);
}

bool isNameChar(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') ||
           c == u'-' || c == u'_' || c == u'.';
}

bool hasControlCharacters(const QString &value)
{
    for (QChar c : value) {
        if (c.category() == QChar::Other_Control)
            return true;
    }
    return false;
}

template <typename T>
Result<void> range(T value, T low, T high, const char *field, const char *hint = nullptr)
{
    if (value >= low && value <= high)
        return {};
    QString message = QStringLiteral("%1 must be between %2 and %3 (got %4)")
                          .arg(fieldName(field))
                          .arg(low)
                          .arg(high)
                          .arg(value);
    if (hint)
        message += QStringLiteral("; ") + QString::fromLatin1(hint);
    return invalid(message, field);
}

Result<void> text(const QString &value, int maxLength, const char *field)
{
    if (value.size() > maxLength)
        return invalid(QStringLiteral("%1 is %2 characters long; shorten it to at most %3")
                           .arg(fieldName(field))
                           .arg(value.size())
                           .arg(maxLength),
                       field);
    if (hasControlCharacters(value) && maxLength != MaxDescriptionLength)
        return invalid(
            QStringLiteral("%1 must not contain control characters").arg(fieldName(field)), field);
    return {};
}

} // namespace

Result<void> name(const QString &value, const char *field)
{
    if (value.isEmpty())
        return invalid(QStringLiteral("%1 is required").arg(fieldName(field)), field);
    if (value.size() > MaxNameLength)
        return invalid(QStringLiteral("%1 is %2 characters long; use at most %3")
                           .arg(fieldName(field))
                           .arg(value.size())
                           .arg(MaxNameLength),
                       field);
    const bool startsWell = value.front().isLetterOrNumber() && value.front().unicode() < 128;
    bool allValid = startsWell;
    for (QChar c : value)
        allValid = allValid && isNameChar(c);
    if (!allValid)
        return invalid(
            QStringLiteral("%1 \"%2\" may contain only letters, digits, '-', '_' and '.', "
                           "and must start with a letter or digit")
                .arg(fieldName(field), value),
            field);
    return {};
}

Result<void> workerId(const QString &value)
{
    if (value.isEmpty())
        return {};
    if (value.size() > 128)
        return invalid(
            QStringLiteral("worker_id is %1 characters long; use at most 128").arg(value.size()),
            "worker_id");
    for (QChar c : value) {
        if (!isNameChar(c) && c != u':')
            return invalid(QStringLiteral("worker_id \"%1\" may contain only letters, digits and "
                                          "'-', '_', '.', ':'")
                               .arg(value),
                           "worker_id");
    }
    return {};
}

Result<void> settings(const QueueSettings &s)
{
    const Result<void> checks[] = {
        text(s.displayName, MaxNameLength * 2, "display_name"),
        text(s.description, MaxDescriptionLength, "description"),
        text(s.runnerName, MaxNameLength * 2, "runner_name"),
        range(s.maxWorkers, 0, MaxMaxWorkers, "max_workers", "0 means unlimited"),
        range(s.concurrency, 0, 1000000, "concurrency", "0 means unlimited"),
        range(s.maxPerKey, 0, 1000000, "max_per_key", "0 means unlimited"),
        range<qint64>(s.maxDepth, 0, 1'000'000'000'000LL, "max_depth", "0 means unlimited"),
        range(s.rateLimit, 0.0, 1'000'000.0, "rate_limit", "tasks per second; 0 means unlimited"),
        range(s.priority, -100, 100, "priority"),
        range<qint64>(s.maxQueuedTimeS, 0, 366LL * 24 * 3600, "max_queued_time_s", "0 means never"),
        range<qint64>(s.taskTimeoutS, 1, MaxTimeoutS, "task_timeout_s"),
        range<qint64>(s.workerTimeoutS, 5, 3600, "worker_timeout_s",
                      "workers heartbeat every 5 s, so less would lose healthy workers"),
        range(s.retry.maxAttempts, 1, MaxAttempts, "max_attempts"),
        range<qint64>(s.retry.initialBackoffMs, 0, 24LL * 3600 * 1000, "initial_backoff_ms"),
        range(s.retry.multiplier, 1.0, 100.0, "multiplier"),
        range<qint64>(s.retry.maxBackoffMs, 0, 7LL * 24 * 3600 * 1000, "max_backoff_ms"),
        range<qint64>(s.retentionS, 0, 366LL * 24 * 3600, "retention_s"),
        range(s.maxActiveRuns, 0, 1000000, "max_active_runs", "0 means unlimited"),
        range<qsizetype>(s.childQueues.size(), 0, 100, "child_queues",
                         "the number of queue ids listed"),
    };
    for (const auto &check : checks) {
        if (!check)
            return check;
    }
    if (s.retry.maxBackoffMs < s.retry.initialBackoffMs)
        return invalid(
            QStringLiteral("max_backoff_ms (%1) must not be smaller than initial_backoff_ms "
                           "(%2)")
                .arg(s.retry.maxBackoffMs)
                .arg(s.retry.initialBackoffMs),
            "max_backoff_ms");
    return {};
}

Result<void> json(const QByteArray &value, const char *field, qint64 limit)
{
    if (value.size() > limit)
        return makeError(ErrorCode::PayloadTooLarge,
                         QStringLiteral("%1 is %2 bytes; the limit is %3 bytes")
                             .arg(fieldName(field))
                             .arg(value.size())
                             .arg(limit),
                         QJsonObject{{QStringLiteral("field"), fieldName(field)}});
    // Plain text (almost every payload) is taken without building a document to throw away.
    if (Codec::isPlainJson(value))
        return {};
    QJsonParseError error;
    QJsonDocument::fromJson(value, &error);
    if (error.error != QJsonParseError::NoError) {
        // QJsonDocument takes only objects and arrays; other JSON values are wrapped to check them.
        const QByteArray wrapped = '[' + value + ']';
        QJsonParseError wrappedError;
        QJsonDocument::fromJson(wrapped, &wrappedError);
        if (wrappedError.error != QJsonParseError::NoError || value.trimmed().isEmpty())
            return invalid(QStringLiteral("%1 is not valid JSON: %2 at offset %3")
                               .arg(fieldName(field), error.errorString())
                               .arg(error.offset),
                           field);
    }
    return {};
}

Result<void> labels(const Labels &values, const char *field)
{
    if (values.size() > MaxLabels)
        return invalid(QStringLiteral("%1 has %2 entries; use at most %3")
                           .arg(fieldName(field))
                           .arg(values.size())
                           .arg(MaxLabels),
                       field);
    for (auto it = values.cbegin(); it != values.cend(); ++it) {
        if (it.key().isEmpty() || it.key().size() > MaxLabelLength ||
            it.value().size() > MaxLabelLength || hasControlCharacters(it.key()) ||
            hasControlCharacters(it.value()))
            return invalid(
                QStringLiteral("%1 entry \"%2\": keys must be 1 to %3 characters and values "
                               "at most %3, without control characters")
                    .arg(fieldName(field), it.key())
                    .arg(MaxLabelLength),
                field);
    }
    return {};
}

Result<void> enqueue(const EnqueueRequest &r, qint64 payloadLimit)
{
    if (r.type.isEmpty())
        return invalid(
            QStringLiteral("type is required: name the kind of task, e.g. \"send-email\""), "type");
    if (auto check = text(r.type, MaxTypeLength, "type"); !check)
        return check;
    if (auto check = json(r.payload, "payload", payloadLimit); !check)
        return check;
    if (auto check = range(r.priority, -100, 100, "priority"); !check)
        return check;
    if (r.runAtMs && r.delayMs)
        return invalid(QStringLiteral("give either run_at or delay_ms, not both"), "run_at");
    if (r.delayMs) {
        if (auto check = range<qint64>(*r.delayMs, 0, MaxDelayMs, "delay_ms"); !check)
            return check;
    }
    if (r.runAtMs && *r.runAtMs < 0)
        return invalid(QStringLiteral("run_at must be a time after 1970"), "run_at");
    if (auto check = text(r.idempotencyKey, MaxKeyLength, "idempotency_key"); !check)
        return check;
    if (auto check = text(r.concurrencyKey, MaxKeyLength, "concurrency_key"); !check)
        return check;
    if (auto check = labels(r.requiredLabels, "required_labels"); !check)
        return check;
    if (auto check = workerId(r.workerId); !check)
        return check;
    if (r.timeoutS) {
        if (auto check = range<qint64>(*r.timeoutS, 1, MaxTimeoutS, "timeout_s"); !check)
            return check;
    }
    if (r.maxAttempts) {
        if (auto check = range(*r.maxAttempts, 1, MaxAttempts, "max_attempts"); !check)
            return check;
    }
    if (r.maxQueuedTimeS) {
        if (auto check =
                range<qint64>(*r.maxQueuedTimeS, 0, 366LL * 24 * 3600, "max_queued_time_s");
            !check)
            return check;
    }
    if (r.deadlineMs && *r.deadlineMs <= 0)
        return invalid(QStringLiteral("deadline must be a time after 1970"), "deadline");
    return {};
}

} // namespace QueueDeck::Validation
