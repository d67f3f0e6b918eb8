// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "cardchangefeed.h"

#include "protocol/dashboarddelta.h"

namespace QueueDeck {

QList<ChangedCard> CardChangeFeed::take(const QString &environment, const QList<QueueCard> &cards,
                                        qint64 nowMs)
{
    m_looks.removeIf([&](const QHash<QString, Look>::iterator &look) {
        return look.key() != environment && nowMs - look->atMs > UnreadAfterMs;
    });
    Look &look = m_looks[environment];
    if (nowMs - look.atMs > UnreadAfterMs)
        look.cards.clear(); // too old to compare with: every card is new again
    look.atMs = nowMs;

    QList<ChangedCard> changed;
    QHash<QString, QueueCard> now;
    now.reserve(cards.size());
    for (qsizetype i = 0; i < cards.size(); ++i) {
        const QueueCard &card = cards.at(i);
        const auto before = look.cards.constFind(card.queue.id);
        if (before == look.cards.cend())
            changed.append({i, std::nullopt});
        else if (!DashboardDelta::sameCard(card, *before))
            changed.append({i, *before});
        now.insert(card.queue.id, card);
    }
    look.cards = std::move(now);
    return changed;
}

} // namespace QueueDeck
