// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/error.h"
#include "protocol/metrictypes.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QStringList>

namespace QueueDeck {

// The `stats` event of a reader of changed cards only (GET /api/v1/events?cards=changed):
//
//   {…the KPIs of GET /dashboard…, "changed_only": true,
//    "queue_ids": [every queue shown, in order],
//    "samples": {queue id: [depth, running, wait p50, wait p95, wait p99] of its newest second},
//    "cards": [a new card whole, a changed one as {"id", and the fields that changed}]}
//
// Cards here never carry "last": the samples do. The server encodes one event per tick for all
// such readers (a new reader first gets every card whole); the client decodes it and completes
// each changed card from the one it knew. Both sides use this one type, so the shape is written
// once. Values only: usable on any thread.
struct DashboardDelta
{
    DashboardSnapshot kpis;               // its cards empty
    QStringList queueIds;                 // every queue shown, in order
    QHash<QString, MetricSample> samples; // by queue id; atMs = kpis.total.atMs
    QList<QJsonObject> cards;             // whole (new) or partial (changed) cards

    // A card as the event carries it whole: the card of GET /dashboard without "last".
    static QJsonObject cardObject(const QueueCard &card);
    // What a reader that knew `before` (nullptr: none) needs of `now`: the card whole, its id and
    // the fields that changed, or an empty object when nothing it shows changed.
    static QJsonObject cardPart(const QueueCard &now, const QueueCard *before);
    // Whether two cards show the same (their newest samples aside).
    static bool sameCard(const QueueCard &a, const QueueCard &b);
    // The event text for `now` with the given card parts.
    static QByteArray encode(const DashboardSnapshot &now, const QList<QJsonObject> &cards);

    // Reads an event (whole `stats` events of every card are read too: each card comes whole).
    static Result<DashboardDelta> decode(const QJsonObject &event);
    // A card of the event completed from the one known before (nullptr: none; then the part must
    // be whole). Its sample is left empty: the caller sets it from `samples`.
    static Result<QueueCard> card(const QJsonObject &part, const QueueCard *before);
};

} // namespace QueueDeck
