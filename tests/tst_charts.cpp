// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The desktop app's charts and alerts against a real server in this process, offscreen: live
// points from the event stream, history after a restart, one notification per crossing.

#include "alertmonitor.h"
#include "apifixture.h"
#include "chartsview.h"
#include "dashboardcontroller.h"
#include "dashboardview.h"
#include "isolatedsettings.h"
#include "mainwindow.h"

#include <QComboBox>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>

using namespace QueueDeck;
using namespace QueueDeck::Testing;
using Ui::ChartsView;

namespace {

// A snapshot with one queue of the given depth and lost workers.
DashboardSnapshot snapshotWith(qint64 depth, int lost = 0, qint64 oldestMs = 0)
{
    QueueCard card;
    card.queue.id = QStringLiteral("q_alerts0001");
    card.queue.name = QStringLiteral("emails");
    card.queue.counts.queued = depth;
    card.queue.counts.workersLost = lost;
    card.queue.counts.oldestQueuedAgeMs = oldestMs;
    DashboardSnapshot s;
    s.cards.append(card);
    return s;
}

} // namespace

class TestCharts final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_settingsDir.apply());
    }

    void chartsTakeLivePointsFromTheEventStream()
    {
        ApiFixture server;
        QVERIFY(server.start());
        QD_AWAIT(queue, server.engine().createQueue(QStringLiteral("default"),
                                                    QStringLiteral("mail"), {}));
        Ui::MainWindow window;
        window.connectTo({server.url(), server.token(), false});
        window.show();
        ChartsView *charts = window.charts();
        QTRY_VERIFY_WITH_TIMEOUT(
            charts->findChild<QComboBox *>(QStringLiteral("chartScope"))->findData(queue.id) > 0,
            10000);
        charts->setScope(queue.id);
        for (int i = 0; i < 7; ++i)
            QD_AWAIT_VOID(server.engine().enqueue(queue.id, job()));
        // Each second a new point; the newest says 7 queued.
        QTRY_VERIFY_WITH_TIMEOUT(!charts->points(QStringLiteral("Depth")).isEmpty() &&
                                     charts->points(QStringLiteral("Depth")).last().y() == 7,
                                 10000);
        const qsizetype before = charts->points(QStringLiteral("Depth")).size();
        QTRY_VERIFY_WITH_TIMEOUT(charts->points(QStringLiteral("Depth")).size() >= before + 2,
                                 10000);
        const QList<QPointF> points = charts->points(QStringLiteral("Depth"));
        for (qsizetype i = 1; i < points.size(); ++i)
            QVERIFY(points[i].x() > points[i - 1].x()); // each second once, in order
        QCOMPARE(charts->points(QStringLiteral("p95")).size(), points.size());
    }

    void chartHistoryIsThereAfterARestart()
    {
        ManualClock clock;
        QTemporaryDir dir;
        QString queueId;
        {
            EngineOptions options;
            options.dataDirectory = dir.path();
            Engine engine(options, &clock);
            QVERIFY(engine.start().has_value());
            QD_AWAIT(queue,
                     engine.createQueue(QStringLiteral("default"), QStringLiteral("mail"), {}));
            queueId = queue.id;
            for (int i = 0; i < 4; ++i)
                QD_AWAIT_VOID(engine.enqueue(queue.id, job()));
            for (int second = 0; second < 150; ++second) { // rollups of two closed minutes
                await(engine.listEnvironments());
                clock.advance(1000);
            }
            await(engine.listEnvironments());
        }
        ApiFixture server;
        QVERIFY(server.start(&clock, dir.path()));
        Ui::MainWindow window;
        window.connectTo({server.url(), server.token(), false});
        window.show();
        ChartsView *charts = window.charts();
        QTRY_VERIFY_WITH_TIMEOUT(
            charts->findChild<QComboBox *>(QStringLiteral("chartScope"))->findData(queueId) > 0,
            10000);
        charts->setScope(queueId);
        charts->setRange(ChartsView::Range::Hour);
        QTRY_VERIFY_WITH_TIMEOUT(charts->points(QStringLiteral("Depth")).size() >= 2, 10000);
        QCOMPARE(charts->points(QStringLiteral("Depth")).last().y(), 4.0);
    }

    void alertIsRaisedOncePerCrossing()
    {
        Ui::AlertMonitor monitor;
        monitor.setRule(QStringLiteral("q_alerts0001"), {5, 0, true});
        QSignalSpy raised(&monitor, &Ui::AlertMonitor::raised);
        monitor.check(snapshotWith(3));
        QCOMPARE(raised.size(), 0);
        monitor.check(snapshotWith(6)); // crossed
        monitor.check(snapshotWith(9)); // still above: nothing new
        QCOMPARE(raised.size(), 1);
        monitor.check(snapshotWith(2)); // back under: armed again
        monitor.check(snapshotWith(7));
        QCOMPARE(raised.size(), 2);
        monitor.check(snapshotWith(7, 1)); // a worker lost
        monitor.check(snapshotWith(7, 1));
        QCOMPARE(raised.size(), 3);
        QVERIFY(raised.last().at(1).toString().contains(u"worker lost"));

        Ui::AlertMonitor ages;
        ages.setRule(QStringLiteral("q_alerts0001"), {0, 60, false});
        QSignalSpy aged(&ages, &Ui::AlertMonitor::raised);
        ages.check(snapshotWith(1, 3, 30'000)); // lost workers: not asked for
        ages.check(snapshotWith(1, 3, 61'000));
        ages.check(snapshotWith(1, 3, 90'000));
        QCOMPARE(aged.size(), 1);
    }

    void windowNotifiesOnceWhenAThresholdIsCrossed()
    {
        ApiFixture server;
        QVERIFY(server.start());
        QD_AWAIT(queue, server.engine().createQueue(QStringLiteral("default"),
                                                    QStringLiteral("mail"), {}));
        Ui::MainWindow window;
        window.alerts()->setRule(queue.id, {2, 0, true});
        window.connectTo({server.url(), server.token(), false});
        window.show();
        QTRY_VERIFY_WITH_TIMEOUT(window.controller()->lastSnapshot().queueCount == 2, 10000);
        QCOMPARE(window.notifications().size(), 0);
        for (int i = 0; i < 3; ++i)
            QD_AWAIT_VOID(server.engine().enqueue(queue.id, job()));
        QTRY_COMPARE_WITH_TIMEOUT(window.notifications().size(), 1, 10000);
        QVERIFY2(window.notifications().first().contains(u"3 tasks are waiting"),
                 qPrintable(window.notifications().first()));
        // Two more snapshots with the queue still above its threshold: no second notification.
        QSignalSpy snapshots(window.controller(), &Ui::DashboardController::snapshotArrived);
        window.controller()->refreshNow();
        window.controller()->refreshNow();
        QTRY_VERIFY_WITH_TIMEOUT(snapshots.size() >= 2, 10000);
        QCOMPARE(window.notifications().size(), 1);
    }

private:
    IsolatedSettings m_settingsDir;
};

QTEST_MAIN(TestCharts)
#include "tst_charts.moc"
