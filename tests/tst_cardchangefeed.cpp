// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "cardchangefeed.h"

#include <QTest>

using namespace QueueDeck;
using namespace Qt::StringLiterals;

namespace {

QueueCard card(const QString &id, qint64 queued = 0, double addRate = 0)
{
    QueueCard card;
    card.queue.id = id;
    card.queue.name = id;
    card.queue.counts.queued = queued;
    card.addRate = addRate;
    return card;
}

// The changed cards as "id" (new) or "id<queued before>" (changed), in order.
QStringList named(const QList<QueueCard> &cards, const QList<ChangedCard> &changed)
{
    QStringList out;
    for (const ChangedCard &change : changed) {
        const QString id = cards.at(change.index).queue.id;
        out.append(change.before
                       ? QStringLiteral("%1<%2").arg(id).arg(change.before->queue.counts.queued)
                       : id);
    }
    return out;
}

QStringList take(CardChangeFeed &feed, const QList<QueueCard> &cards, qint64 nowMs,
                 const QString &environment = {})
{
    return named(cards, feed.take(environment, cards, nowMs));
}

} // namespace

class TestCardChangeFeed final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void theFirstLookHasEveryCardNew()
    {
        CardChangeFeed feed;
        QCOMPARE(take(feed, {card(u"a"_s), card(u"b"_s)}, 1000), QStringList({u"a"_s, u"b"_s}));
    }

    void onlyCardsThatChangedAreNamedWithHowTheyWere()
    {
        CardChangeFeed feed;
        take(feed, {card(u"a"_s, 1), card(u"b"_s, 2), card(u"c"_s, 3)}, 1000);
        QCOMPARE(take(feed, {card(u"a"_s, 1), card(u"b"_s, 2), card(u"c"_s, 3)}, 2000),
                 QStringList());
        // b's count and c's rate changed; the card keeps where it is in the look.
        QList<QueueCard> now{card(u"a"_s, 1), card(u"b"_s, 5), card(u"c"_s, 3, 0.5)};
        const QList<ChangedCard> changed = feed.take({}, now, 3000);
        QCOMPARE(named(now, changed), QStringList({u"b<2"_s, u"c<3"_s}));
        QCOMPARE(changed.at(0).index, 1);
        QCOMPARE(changed.at(1).index, 2);
        QCOMPARE(changed.at(1).before->addRate, 0.0);
        // Measured from the previous look, not the first.
        QCOMPARE(take(feed, {card(u"a"_s, 1), card(u"b"_s, 6), card(u"c"_s, 3, 0.5)}, 4000),
                 QStringList({u"b<5"_s}));
    }

    void theNewestSampleAloneIsNoChange()
    {
        CardChangeFeed feed;
        QueueCard a = card(u"a"_s, 1);
        take(feed, {a}, 1000);
        a.last.atMs = 2000;
        a.last.depth = 7;
        QCOMPARE(take(feed, {a}, 2000), QStringList());
    }

    void aQueueRemovedAndMadeAgainIsNew()
    {
        CardChangeFeed feed;
        take(feed, {card(u"a"_s), card(u"b"_s)}, 1000);
        QCOMPARE(take(feed, {card(u"b"_s)}, 2000), QStringList());
        QCOMPARE(take(feed, {card(u"a"_s), card(u"b"_s)}, 3000), QStringList({u"a"_s}));
    }

    void environmentsAreLookedAtApart()
    {
        CardChangeFeed feed;
        QCOMPARE(take(feed, {card(u"a"_s, 1)}, 1000, u"prod"_s), QStringList({u"a"_s}));
        QCOMPARE(take(feed, {card(u"a"_s, 1)}, 1000), QStringList({u"a"_s}));
        QCOMPARE(take(feed, {card(u"a"_s, 2)}, 2000), QStringList({u"a<1"_s}));
        // prod's look is still the first one.
        QCOMPARE(take(feed, {card(u"a"_s, 2)}, 2000, u"prod"_s), QStringList({u"a<1"_s}));
    }

    void aLookUnreadTooLongIsForgotten()
    {
        CardChangeFeed feed;
        const qint64 limit = CardChangeFeed::UnreadAfterMs;
        take(feed, {card(u"a"_s, 1)}, 1000);
        QCOMPARE(take(feed, {card(u"a"_s, 1)}, 1000 + limit), QStringList()); // just in time
        QCOMPARE(take(feed, {card(u"a"_s, 1)}, 1000 + 2 * limit + 1), QStringList({u"a"_s}));
    }
};

QTEST_GUILESS_MAIN(TestCardChangeFeed)
#include "tst_cardchangefeed.moc"
