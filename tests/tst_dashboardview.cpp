// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The dashboard view given live updates: it sets only the cards that changed, takes new ones,
// drops removed ones, and keeps the chips current.

#include "dashboardfeed.h"
#include "dashboardview.h"
#include "queuecardwidget.h"

#include <QApplication>
#include <QTest>

using namespace QueueDeck;

namespace {

QueueCard card(const QString &id, qint64 queued = 0)
{
    QueueCard c;
    c.queue.id = id;
    c.queue.environment = QStringLiteral("default");
    c.queue.name = id.mid(2);
    c.queue.settings.maxWorkers = 10;
    c.queue.counts.queued = queued;
    return c;
}

DashboardSnapshot snapshotOf(const QList<QueueCard> &cards, int activeWorkers = 0)
{
    DashboardSnapshot s;
    s.queueCount = int(cards.size());
    s.activeWorkers = activeWorkers;
    s.cards = cards;
    return s;
}

} // namespace

class TestDashboardView final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void setsOnlyChangedCards()
    {
        Ui::DashboardView view;
        view.resize(1280, 800);
        view.show();
        const QString a = QStringLiteral("q_a"), b = QStringLiteral("q_b"),
                      c = QStringLiteral("q_c");
        view.setSnapshot(snapshotOf({card(a), card(b), card(c)}));
        QCOMPARE(view.card(a)->cardsSet(), 1);

        // Ten seconds in which only b changes, once.
        for (int second = 0; second < 10; ++second) {
            Client::DashboardUpdate update;
            QList<QueueCard> cards{card(a), card(b, second == 4 ? 5 : 0), card(c)};
            if (second == 4 || second == 5)
                update.changed.append(cards[1]);
            view.applyUpdate(snapshotOf(cards, second), update);
        }
        QCOMPARE(view.card(a)->cardsSet(), 1);
        QCOMPARE(view.card(c)->cardsSet(), 1);
        QCOMPARE(view.card(b)->cardsSet(), 3);
        QCOMPARE(view.chip(QStringLiteral("Active Workers")), QStringLiteral("9"));

        // c goes, d comes: d is set, a and b are not touched.
        Client::DashboardUpdate update;
        const QString d = QStringLiteral("q_d");
        update.added.append(card(d));
        update.removed.append(c);
        update.orderChanged = true;
        view.applyUpdate(snapshotOf({card(a), card(b), card(d)}), update);
        QCOMPARE(view.card(d)->cardsSet(), 1);
        QCOMPARE(view.card(a)->cardsSet(), 1);
        QCOMPARE(view.card(b)->cardsSet(), 3);
        QCOMPARE(view.card(c), nullptr);
        QCOMPARE(view.chip(QStringLiteral("Queues")), QStringLiteral("3"));
    }
};

QTEST_MAIN(TestDashboardView)
#include "tst_dashboardview.moc"
