// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "dashboarddelta.h"

#include "codec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

#include <algorithm>

namespace QueueDeck {

namespace {

const QString CardsKey = QStringLiteral("cards");
const QString IdKey = QStringLiteral("id");
const QString LastKey = QStringLiteral("last");

QJsonObject wholeCardObject(const QueueCard &card)
{
    DashboardSnapshot one;
    one.cards.append(card);
    return Codec::toJson(one).value(CardsKey).toArray().first().toObject();
}

bool sameCounts(const QueueCounts &a, const QueueCounts &b)
{
    return a.queued == b.queued && a.scheduled == b.scheduled && a.running == b.running &&
           a.succeeded == b.succeeded && a.dead == b.dead && a.cancelled == b.cancelled &&
           a.workersOnline == b.workersOnline && a.workersLost == b.workersLost &&
           a.oldestQueuedAgeMs == b.oldestQueuedAgeMs && a.activeRuns == b.activeRuns &&
           a.waitingRuns == b.waitingRuns;
}

// What a card shows of its queue (its join token is not on the card).
bool sameQueue(const QueueInfo &a, const QueueInfo &b)
{
    return a.id == b.id && a.environment == b.environment && a.name == b.name &&
           a.status == b.status && a.createdAtMs == b.createdAtMs && a.settings == b.settings &&
           sameCounts(a.counts, b.counts);
}

} // namespace

QJsonObject DashboardDelta::cardObject(const QueueCard &card)
{
    QJsonObject object = wholeCardObject(card);
    object.remove(LastKey);
    return object;
}

bool DashboardDelta::sameCard(const QueueCard &a, const QueueCard &b)
{
    return sameQueue(a.queue, b.queue) && a.addRate == b.addRate &&
           a.completionRate == b.completionRate && a.failureRate == b.failureRate &&
           a.waitP95Ms == b.waitP95Ms;
}

QJsonObject DashboardDelta::cardPart(const QueueCard &now, const QueueCard *before)
{
    if (!before)
        return cardObject(now);
    if (sameCard(now, *before))
        return {};
    const QJsonObject object = cardObject(now);
    const QJsonObject old = cardObject(*before);
    QJsonObject part{{IdKey, now.queue.id}};
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        if (old.value(it.key()) != it.value())
            part.insert(it.key(), it.value());
    }
    return part.size() > 1 ? part : QJsonObject();
}

QByteArray DashboardDelta::encode(const DashboardSnapshot &now, const QList<QJsonObject> &cards)
{
    DashboardSnapshot kpis = now;
    kpis.cards.clear();
    QJsonObject event = Codec::toJson(kpis);
    QJsonArray ids;
    QJsonObject samples;
    for (const QueueCard &card : now.cards) {
        const MetricSample &last = card.last;
        ids.append(card.queue.id);
        samples.insert(card.queue.id, QJsonArray{last.depth, last.running, last.waitP50Ms,
                                                 last.waitP95Ms, last.waitP99Ms});
    }
    QJsonArray parts;
    for (const QJsonObject &part : cards)
        parts.append(part);
    event.insert(CardsKey, parts);
    event.insert(QStringLiteral("queue_ids"), ids);
    event.insert(QStringLiteral("samples"), samples);
    event.insert(QStringLiteral("changed_only"), true);
    return QJsonDocument(event).toJson(QJsonDocument::Compact);
}

Result<DashboardDelta> DashboardDelta::decode(const QJsonObject &event)
{
    QJsonObject rest = event;
    const QJsonArray parts = rest.take(CardsKey).toArray();
    auto kpis = Codec::dashboardFromJson(rest);
    if (!kpis)
        return std::unexpected(kpis.error());
    DashboardDelta delta;
    delta.kpis = std::move(*kpis);
    delta.cards.reserve(parts.size());
    for (const QJsonValue &value : parts)
        delta.cards.append(value.toObject());
    if (!event.value(QLatin1StringView("changed_only")).toBool()) {
        // A whole event: every card comes whole, with its sample.
        for (const QJsonObject &card : std::as_const(delta.cards)) {
            const QString id = card.value(IdKey).toString();
            delta.queueIds.append(id);
            auto whole = Codec::queueCardFromJson(card);
            if (!whole)
                return std::unexpected(whole.error());
            delta.samples.insert(id, whole->last);
        }
        return delta;
    }
    const QJsonArray ids = event.value(QLatin1StringView("queue_ids")).toArray();
    const QJsonObject samples = event.value(QLatin1StringView("samples")).toObject();
    delta.queueIds.reserve(ids.size());
    delta.samples.reserve(ids.size());
    for (const QJsonValue &value : ids) {
        const QString id = value.toString();
        delta.queueIds.append(id);
        const QJsonArray sample = samples.value(id).toArray();
        MetricSample last;
        last.atMs = delta.kpis.total.atMs;
        last.depth = sample.at(0).toInteger();
        last.running = sample.at(1).toInteger();
        last.waitP50Ms = sample.at(2).toInteger();
        last.waitP95Ms = sample.at(3).toInteger();
        last.waitP99Ms = sample.at(4).toInteger();
        delta.samples.insert(id, last);
    }
    return delta;
}

Result<QueueCard> DashboardDelta::card(const QJsonObject &part, const QueueCard *before)
{
    if (!before) {
        // A whole card has everything, its creation time too (which a changed part never has).
        if (!part.contains(QLatin1StringView("created_at")))
            return std::unexpected(
                Error{ErrorCode::InvalidArgument,
                      QStringLiteral("card %1 came as a change of a card not known; read the "
                                     "stream again from its start")
                          .arg(part.value(IdKey).toString())});
        auto card = Codec::queueCardFromJson(part);
        if (card)
            card->last = {};
        return card;
    }
    // The usual change (counts, workers, status, rates) is read onto the card known; a change of
    // settings or names completes the card's whole text first.
    static const QSet<QString> figures{
        QStringLiteral("id"),           QStringLiteral("counts"),
        QStringLiteral("workers"),      QStringLiteral("status"),
        QStringLiteral("add_rate"),     QStringLiteral("completion_rate"),
        QStringLiteral("failure_rate"), QStringLiteral("wait_p95_ms")};
    const QStringList keys = part.keys();
    if (std::all_of(keys.cbegin(), keys.cend(),
                    [](const QString &key) { return figures.contains(key); })) {
        auto read = Codec::queueCardFromJson(part);
        if (!read)
            return read;
        QueueCard card = *before;
        card.last = {};
        for (const QString &key : keys) {
            if (key == u"counts") {
                const QueueCounts &c = read->queue.counts;
                QueueCounts &to = card.queue.counts;
                to.queued = c.queued;
                to.scheduled = c.scheduled;
                to.running = c.running;
                to.succeeded = c.succeeded;
                to.dead = c.dead;
                to.cancelled = c.cancelled;
                to.oldestQueuedAgeMs = c.oldestQueuedAgeMs;
                to.activeRuns = c.activeRuns;
                to.waitingRuns = c.waitingRuns;
            } else if (key == u"workers") {
                card.queue.counts.workersOnline = read->queue.counts.workersOnline;
                card.queue.counts.workersLost = read->queue.counts.workersLost;
            } else if (key == u"status") {
                card.queue.status = read->queue.status;
            } else if (key == u"add_rate") {
                card.addRate = read->addRate;
            } else if (key == u"completion_rate") {
                card.completionRate = read->completionRate;
            } else if (key == u"failure_rate") {
                card.failureRate = read->failureRate;
            } else if (key == u"wait_p95_ms") {
                card.waitP95Ms = read->waitP95Ms;
            }
        }
        return card;
    }
    QJsonObject whole = cardObject(*before);
    for (auto it = part.constBegin(); it != part.constEnd(); ++it)
        whole.insert(it.key(), it.value());
    return Codec::queueCardFromJson(whole);
}

} // namespace QueueDeck
