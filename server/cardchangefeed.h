// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/metrictypes.h"

#include <QHash>
#include <QList>
#include <QString>

#include <optional>

namespace QueueDeck {

// A dashboard card that changed since the previous look: where it is in the look's cards, and
// how the previous look showed it (nullopt: it is new).
struct ChangedCard
{
    qsizetype index = 0;
    std::optional<QueueCard> before;
};

// The dashboard as it is now, and which of its cards changed since the previous look of the same
// environment (in the order of the cards).
struct DashboardChanges
{
    DashboardSnapshot now;
    QList<ChangedCard> changed;
};

// Which dashboard cards changed: the engine keeps each environment's cards as the previous look
// showed them and compares a new look with them, on the typed cards (DashboardDelta::sameCard:
// what a card shows, its newest sample aside). The first look of an environment has every card
// new. A card gone since the previous look is simply not among the cards. An environment nobody
// looked at for UnreadAfterMs is forgotten (its next look starts again with every card new).
//
// One reader: the event stream's hub, which encodes the changed cards once a second for all its
// readers of changed cards (each new reader first gets every card whole, so a look it did not see
// the start of does not matter to it).
//
// Thread rule: not thread-safe. The engine owns it and uses it on the engine thread only.
class CardChangeFeed final
{
public:
    static constexpr qint64 UnreadAfterMs = 10'000;

    // The cards of `cards` that changed since the previous look of `environment`; `cards` becomes
    // the look the next one is compared with.
    QList<ChangedCard> take(const QString &environment, const QList<QueueCard> &cards,
                            qint64 nowMs);

private:
    struct Look
    {
        QHash<QString, QueueCard> cards; // by queue id
        qint64 atMs = 0;
    };
    QHash<QString, Look> m_looks; // by environment (empty: the whole server)
};

} // namespace QueueDeck
