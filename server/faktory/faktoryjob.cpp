// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "faktoryjob.h"

#include "validation.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

#include <algorithm>

namespace QueueDeck::Faktory {

namespace {

Error invalid(const QString &message)
{
    return Error{ErrorCode::InvalidArgument, message, {}};
}

QString nowText(qint64 nowMs)
{
    return QDateTime::fromMSecsSinceEpoch(nowMs, Qt::UTC).toString(Qt::ISODateWithMs);
}

} // namespace

Result<FaktoryPush> FaktoryJob::fromText(QByteArrayView text, qint64 nowMs)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return std::unexpected(invalid(
            QStringLiteral("the job is not a JSON hash (%1 at offset %2)")
                .arg(parseError.error == QJsonParseError::NoError ? QStringLiteral("not a hash")
                                                                  : parseError.errorString())
                .arg(parseError.offset)));
    return fromJson(document.object(), nowMs);
}

Result<FaktoryPush> FaktoryJob::fromJson(const QJsonObject &source, qint64 nowMs)
{
    QJsonObject job = source;
    FaktoryPush push;
    if (!job.value(u"jid").isString() || job.value(u"jid").toString().isEmpty())
        return std::unexpected(
            invalid(QStringLiteral("jobs must have a jid (a non-empty string)")));
    push.jid = job.value(u"jid").toString();
    if (push.jid.size() > 128)
        return std::unexpected(invalid(
            QStringLiteral("jid %1… is longer than 128 characters").arg(push.jid.left(16))));
    if (!job.value(u"jobtype").isString() || job.value(u"jobtype").toString().isEmpty())
        return std::unexpected(invalid(
            QStringLiteral("job %1 must have a jobtype (a non-empty string)").arg(push.jid)));
    if (job.contains(u"args") && !job.value(u"args").isArray())
        return std::unexpected(
            invalid(QStringLiteral("job %1: args must be an array").arg(push.jid)));
    if (!job.contains(u"args"))
        job.insert(u"args", QJsonArray());

    push.queue = job.value(u"queue").toString();
    if (push.queue.isEmpty())
        push.queue = QStringLiteral("default");
    job.insert(u"queue", push.queue);

    EnqueueRequest &request = push.request;
    request.type = job.value(u"jobtype").toString();
    request.idempotencyKey = push.jid;

    const QJsonValue at = job.value(u"at");
    if (at.isString() && !at.toString().isEmpty()) {
        const QDateTime when = QDateTime::fromString(at.toString(), Qt::ISODateWithMs);
        if (!when.isValid())
            return std::unexpected(
                invalid(QStringLiteral("job %1: at \"%2\" is not an RFC 3339 time such as "
                                       "2026-01-01T12:00:00Z")
                            .arg(push.jid, at.toString())));
        if (when.toMSecsSinceEpoch() > nowMs)
            request.runAtMs = when.toMSecsSinceEpoch();
    } else if (!at.isUndefined() && !at.isNull() && !at.isString()) {
        return std::unexpected(
            invalid(QStringLiteral("job %1: at must be an RFC 3339 string").arg(push.jid)));
    }

    const QJsonValue reserveFor = job.value(u"reserve_for");
    if (!reserveFor.isUndefined() && !reserveFor.isNull()) {
        const qint64 seconds = reserveFor.toInteger(-1);
        if (!reserveFor.isDouble() || seconds < 1 || seconds > Validation::MaxTimeoutS)
            return std::unexpected(invalid(QStringLiteral("job %1: reserve_for must be seconds "
                                                          "from 1 to %2")
                                               .arg(push.jid)
                                               .arg(Validation::MaxTimeoutS)));
        request.timeoutS = seconds;
    }

    const QJsonValue retry = job.value(u"retry");
    push.retry = DefaultRetry;
    if (!retry.isUndefined() && !retry.isNull()) {
        if (!retry.isDouble())
            return std::unexpected(
                invalid(QStringLiteral("job %1: retry must be an integer").arg(push.jid)));
        push.retry = int(std::clamp<qint64>(retry.toInteger(), -1, Validation::MaxAttempts - 1));
    }
    // retry 0 and -1 both allow one attempt; -1 is also failed as non-retryable (see FAIL).
    request.maxAttempts = push.retry < 0 ? 1 : push.retry + 1;

    const QJsonValue priority = job.value(u"priority");
    if (priority.isDouble())
        request.priority = int(std::clamp<qint64>((priority.toInteger(5) - 5) * 25, -100, 100));

    if (!job.value(u"created_at").isString())
        job.insert(u"created_at", nowText(nowMs));
    job.insert(u"enqueued_at", nowText(nowMs));
    request.payload = QJsonDocument(job).toJson(QJsonDocument::Compact);
    return push;
}

QByteArray FaktoryJob::forFetch(const QByteArray &payload, int attempt, const QString &lastError)
{
    if (attempt <= 1 || lastError.isEmpty())
        return payload;
    QJsonObject job = QJsonDocument::fromJson(payload).object();
    QStringList lines = lastError.split(u'\n');
    const QString head = lines.takeFirst();
    const qsizetype colon = head.indexOf(QStringLiteral(": "));
    const int retry = job.value(u"retry").isDouble() ? job.value(u"retry").toInt() : DefaultRetry;
    QJsonObject failure{
        {QStringLiteral("retry_count"), attempt - 2},
        {QStringLiteral("retry_remaining"), qMax(0, retry - (attempt - 1))},
        {QStringLiteral("errtype"), colon > 0 ? head.left(colon) : QStringLiteral("unknown")},
        {QStringLiteral("message"), colon > 0 ? head.mid(colon + 2) : head},
        {QStringLiteral("backtrace"), QJsonArray::fromStringList(lines)}};
    job.insert(u"failure", failure);
    return QJsonDocument(job).toJson(QJsonDocument::Compact);
}

QString FaktoryJob::failureText(const QString &errorType, const QString &message,
                                const QStringList &backtrace)
{
    QString text = (errorType.trimmed().isEmpty() ? QStringLiteral("unknown") : errorType.trimmed())
                       .left(100) +
                   QStringLiteral(": ") +
                   (message.trimmed().isEmpty() ? QStringLiteral("unknown") : message.trimmed())
                       .left(1000)
                       .replace(u'\n', u' ');
    for (const QString &line : backtrace.mid(0, 50))
        text += u'\n' + line;
    return text;
}

int FaktoryJob::retryOf(const QByteArray &payload)
{
    const QJsonValue retry = QJsonDocument::fromJson(payload).object().value(u"retry");
    return retry.isDouble() ? retry.toInt() : DefaultRetry;
}

} // namespace QueueDeck::Faktory
