// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "storecodec.h"

#include "protocol/codec.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace QueueDeck::StoreCodec {

namespace {

QJsonObject labelsObject(const Labels &labels)
{
    QJsonObject object;
    for (auto it = labels.cbegin(); it != labels.cend(); ++it)
        object.insert(it.key(), it.value());
    return object;
}

Labels labelsFrom(const QJsonObject &object)
{
    Labels labels;
    for (auto it = object.constBegin(); it != object.constEnd(); ++it)
        labels.insert(it.key(), it.value().toString());
    return labels;
}

} // namespace

QByteArray encodeSettings(const QueueSettings &s)
{
    // The same shape as on the wire; decodeSettings stays lenient for rows of older versions.
    return QJsonDocument(Codec::settingsToJson(s)).toJson(QJsonDocument::Compact);
}

QueueSettings decodeSettings(const QByteArray &text)
{
    const QJsonObject o = QJsonDocument::fromJson(text).object();
    QueueSettings s;
    auto integer = [&o](const char *key, qint64 fallback) {
        return o.value(QLatin1StringView(key)).toInteger(fallback);
    };
    s.displayName = o.value(QLatin1StringView("display_name")).toString();
    s.description = o.value(QLatin1StringView("description")).toString();
    s.runnerName = o.value(QLatin1StringView("runner_name")).toString();
    s.maxWorkers = int(integer("max_workers", s.maxWorkers));
    s.concurrency = int(integer("concurrency", s.concurrency));
    s.maxPerKey = int(integer("max_per_key", s.maxPerKey));
    s.maxDepth = integer("max_depth", s.maxDepth);
    s.rateLimit = o.value(QLatin1StringView("rate_limit")).toDouble(s.rateLimit);
    s.priority = int(integer("priority", s.priority));
    s.maxQueuedTimeS = integer("max_queued_time_s", s.maxQueuedTimeS);
    s.taskTimeoutS = integer("task_timeout_s", s.taskTimeoutS);
    s.workerTimeoutS = integer("worker_timeout_s", s.workerTimeoutS);
    s.retry.maxAttempts = int(integer("max_attempts", s.retry.maxAttempts));
    s.retry.initialBackoffMs = integer("initial_backoff_ms", s.retry.initialBackoffMs);
    s.retry.multiplier = o.value(QLatin1StringView("multiplier")).toDouble(s.retry.multiplier);
    s.retry.maxBackoffMs = integer("max_backoff_ms", s.retry.maxBackoffMs);
    s.retentionS = integer("retention_s", s.retentionS);
    s.paused = o.value(QLatin1StringView("paused")).toBool(false);
    s.maxActiveRuns = int(integer("max_active_runs", s.maxActiveRuns));
    for (const auto &queueId : o.value(QLatin1StringView("child_queues")).toArray())
        s.childQueues.append(queueId.toString());
    return s;
}

QByteArray encodeLabels(const Labels &labels)
{
    if (labels.isEmpty())
        return {};
    return QJsonDocument(labelsObject(labels)).toJson(QJsonDocument::Compact);
}

Labels decodeLabels(const QByteArray &text)
{
    if (text.isEmpty())
        return {};
    return labelsFrom(QJsonDocument::fromJson(text).object());
}

QByteArray encodeWorker(const WorkerRow &w)
{
    const QJsonObject object{
        {QStringLiteral("queue_ids"), QJsonArray::fromStringList(w.queueIds)},
        {QStringLiteral("hostname"), w.hostname},
        {QStringLiteral("pid"), w.pid},
        {QStringLiteral("version"), w.version},
        {QStringLiteral("concurrency"), w.concurrency},
        {QStringLiteral("capabilities"), w.capabilities},
        {QStringLiteral("labels"), labelsObject(w.labels)},
        {QStringLiteral("draining"), w.draining},
        {QStringLiteral("registered_at"), w.registeredAtMs},
        {QStringLiteral("done"), w.done},
        {QStringLiteral("failed"), w.failed},
        {QStringLiteral("credential_sha256"), QString::fromLatin1(w.credentialHash.toBase64())},
    };
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

WorkerRow decodeWorker(const QByteArray &text)
{
    const QJsonObject o = QJsonDocument::fromJson(text).object();
    WorkerRow w;
    for (const auto &value : o.value(QLatin1StringView("queue_ids")).toArray())
        w.queueIds.append(value.toString());
    w.hostname = o.value(QLatin1StringView("hostname")).toString();
    w.pid = o.value(QLatin1StringView("pid")).toInteger();
    w.version = o.value(QLatin1StringView("version")).toString();
    w.concurrency = int(o.value(QLatin1StringView("concurrency")).toInteger(1));
    w.capabilities = o.value(QLatin1StringView("capabilities")).toObject();
    w.labels = labelsFrom(o.value(QLatin1StringView("labels")).toObject());
    w.draining = o.value(QLatin1StringView("draining")).toBool();
    w.registeredAtMs = o.value(QLatin1StringView("registered_at")).toInteger();
    w.done = o.value(QLatin1StringView("done")).toInteger();
    w.failed = o.value(QLatin1StringView("failed")).toInteger();
    w.credentialHash = QByteArray::fromBase64(
        o.value(QLatin1StringView("credential_sha256")).toString().toLatin1());
    return w;
}

} // namespace QueueDeck::StoreCodec
