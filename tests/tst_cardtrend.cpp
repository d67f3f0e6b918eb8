// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// Health at a glance on a queue card: the depth sparkline of the last five minutes and the
// add-vs-done balance, fed by a real server through the real window; the note a card shows when
// its backlog has grown for a minute; and the unfinished runs in the live charts.

#include "apifixture.h"
#include "chartsview.h"
#include "dashboardview.h"
#include "isolatedsettings.h"
#include "mainwindow.h"
#include "queuecardwidget.h"
#include "sparkline.h"
#include "translationloader.h"

#include <QComboBox>
#include <QLabel>
#include <QSettings>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTranslator>

using namespace QueueDeck;
using namespace QueueDeck::Testing;

namespace {

QueueCard cardAt(qint64 atMs, qint64 backlog, double added, double done)
{
    QueueCard card;
    card.queue.id = QStringLiteral("q_aaaaaaaaaa");
    card.queue.name = QStringLiteral("mail");
    card.last.atMs = atMs;
    card.queue.counts.queued = backlog;
    card.addRate = added;
    card.completionRate = done;
    return card;
}

} // namespace

class TestCardTrend final : public QObject
{
    Q_OBJECT

    IsolatedSettings m_settingsDir;
    QTranslator m_english;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        QVERIFY(m_settingsDir.apply());
        QVERIFY(!Ui::TranslationLoader::load(m_english, QLocale::c()).isEmpty());
        QCoreApplication::installTranslator(&m_english);
    }

    void sparklineFollowsTheServer()
    {
        ApiFixture server;
        QVERIFY(server.start());
        QD_AWAIT(queue, server.engine().createQueue(QStringLiteral("default"),
                                                    QStringLiteral("mail"), {}));
        Ui::MainWindow window;
        window.connectTo({server.url(), server.token(), false});
        window.show();
        QTRY_VERIFY_WITH_TIMEOUT(window.dashboard()->card(queue.id), 10000);
        Ui::QueueCardWidget *card = window.dashboard()->card(queue.id);
        QList<EnqueueRequest> batch(7, job());
        QD_AWAIT(ids, server.engine().enqueueBatch(queue.id, batch));
        // Depth 7 reaches the sparkline with the next samples, after some of depth 0.
        QTRY_VERIFY_WITH_TIMEOUT(card->sparkline()->values().size() >= 2 &&
                                     card->sparkline()->values().last() == 7.0,
                                 15000);
        const auto *balance = card->findChild<QLabel *>(QStringLiteral("balance"));
        QVERIFY(balance && balance->isVisible());
        QVERIFY2(balance->text().contains(u"more in than done"), qPrintable(balance->text()));
        QVERIFY(card->sparkline()->isVisible());
        const QImage picture = card->grab().toImage();
        QVERIFY(!picture.isNull());
        if (qEnvironmentVariableIsSet("QUEUEDECK_KEEP_PICTURES"))
            picture.save(qEnvironmentVariable("QUEUEDECK_KEEP_PICTURES") +
                         QStringLiteral("/card-trend.png"));
    }

    void chartsCountRuns()
    {
        ApiFixture server;
        QVERIFY(server.start());
        QueueSettings settings;
        settings.maxActiveRuns = 1;
        QD_AWAIT(queue, server.engine().createQueue(QStringLiteral("default"),
                                                    QStringLiteral("nightly"), settings));
        QD_AWAIT(first, server.engine().enqueue(queue.id, job()));
        QD_AWAIT(second, server.engine().enqueue(queue.id, job()));
        Ui::MainWindow window;
        window.connectTo({server.url(), server.token(), false});
        window.show();
        window.tabs()->setCurrentWidget(window.charts());
        QTRY_VERIFY_WITH_TIMEOUT(window.charts()
                                         ->findChild<QComboBox *>(QStringLiteral("chartScope"))
                                         ->findData(queue.id) > 0,
                                 10000);
        window.charts()->setScope(queue.id);
        // Two roots, one may run: the live chart draws 2 unfinished runs.
        QTRY_VERIFY_WITH_TIMEOUT(!window.charts()->points(QStringLiteral("Runs")).isEmpty() &&
                                     window.charts()->points(QStringLiteral("Runs")).last().y() ==
                                         2,
                                 15000);
    }

    void backlogGrowingForAMinuteIsSaid()
    {
        Ui::QueueCardWidget card;
        card.show();
        const auto *note = card.findChild<QLabel *>(QStringLiteral("trendNote"));
        QVERIFY(note);
        qint64 t = 1'700'000'000'000;
        // Flat for a minute: nothing to say.
        for (int second = 0; second < 60; ++second)
            card.setCard(cardAt(t += 1000, 10, 2, 2));
        QVERIFY(note->isHidden());
        QCOMPARE(card.balanceText(), QStringLiteral("balanced"));
        // Growing by 2 a second: said once it has grown for a minute, not before.
        for (int second = 0; second < 50; ++second)
            card.setCard(cardAt(t += 1000, 10 + 2 * (second + 1), 5, 3));
        QVERIFY2(note->isHidden(), qPrintable(note->text()));
        for (int second = 50; second < 70; ++second)
            card.setCard(cardAt(t += 1000, 10 + 2 * (second + 1), 5, 3));
        QVERIFY(!note->isHidden());
        QVERIFY2(note->text().startsWith(QStringLiteral("Backlog growing for 1 min")),
                 qPrintable(note->text()));
        QVERIFY2(note->text().contains(QStringLiteral("more tasks")), qPrintable(note->text()));
        QCOMPARE(card.balanceText(), QStringLiteral("▲ 2.0/s more in than done"));
        QCOMPARE(card.sparkline()->values().size(), 130);
        // Caught up: the backlog falls, the note goes.
        for (int second = 0; second < 15; ++second)
            card.setCard(cardAt(t += 1000, 150 - 5 * second, 1, 6));
        QVERIFY(note->isHidden());
        // Five minutes kept, no more.
        for (int second = 0; second < 400; ++second)
            card.setCard(cardAt(t += 1000, 0, 0, 0));
        QCOMPARE(card.sparkline()->values().size(), 301);
    }
};

QTEST_MAIN(TestCardTrend)
#include "tst_cardtrend.moc"
