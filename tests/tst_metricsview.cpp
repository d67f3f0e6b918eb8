// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The Metrics tab through the real window against a real server in this process: tasks of two
// types run with known run times and waits on the injected clock; the table shows each type's
// processed, failed share and percentiles in units a person reads, sorts by value, and draws the
// run-time histogram of the selected type.

#include "apifixture.h"
#include "isolatedsettings.h"
#include "mainwindow.h"
#include "metricsview.h"
#include "typemetricsmodel.h"

#include <QComboBox>
#include <QDir>
#include <QHeaderView>
#include <QLabel>
#include <QSettings>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTableView>
#include <QTabWidget>
#include <QTemporaryDir>

using namespace QueueDeck;
using namespace QueueDeck::Testing;

class TestMetricsView final : public QObject
{
    Q_OBJECT

    IsolatedSettings m_settingsDir;

    void runTasks(Engine &engine, ManualClock &clock, const QString &queueId,
                  const QString &workerId, const QString &type, int count, qint64 waitMs,
                  qint64 runMs, int failures)
    {
        QList<EnqueueRequest> batch(count, EnqueueRequest{});
        for (auto &request : batch)
            request.type = type;
        QD_AWAIT(ids, engine.enqueueBatch(queueId, batch));
        clock.advance(waitMs);
        QD_AWAIT(leased, engine.lease({workerId, count, 0}));
        QCOMPARE(leased.size(), count);
        clock.advance(runMs);
        CompleteRequest complete{workerId, {}, {}};
        for (int i = 0; i < count; ++i) {
            if (i < count - failures)
                complete.acks.append({leased[i].id, leased[i].leaseId, {}});
            else
                complete.fails.append(
                    {leased[i].id, leased[i].leaseId, QStringLiteral("x"), false});
        }
        QD_AWAIT(outcomes, engine.complete(complete));
    }

    static QString cell(const QAbstractItemModel *model, const QString &type, int column)
    {
        for (int row = 0; row < model->rowCount(); ++row) {
            if (model->index(row, 0).data(Ui::TypeMetricsModel::TypeRole).toString() == type)
                return model->index(row, column).data().toString();
        }
        return {};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        QVERIFY(m_settingsDir.apply());
    }

    void showsEachTypeWithItsRunTimes()
    {
        ManualClock clock;
        ApiFixture server;
        QVERIFY(server.start(&clock));
        Engine &engine = server.engine();
        QueueSettings settings;
        settings.maxWorkers = 2;
        QD_AWAIT(queue,
                 engine.createQueue(QStringLiteral("default"), QStringLiteral("media"), settings));
        QD_AWAIT(reg, engine.registerWorker(workerOn({queue.id})));
        for (int hundred = 0; hundred < 12; ++hundred)
            runTasks(engine, clock, queue.id, reg.workerId, QStringLiteral("resize"), 100, 100, 400,
                     0);
        runTasks(engine, clock, queue.id, reg.workerId, QStringLiteral("email"), 6, 2000, 30, 2);

        Ui::MainWindow window;
        window.connectTo({server.url(), server.token(), false});
        window.show();
        Ui::MetricsView *view = window.typeMetrics();
        QVERIFY(view);
        window.tabs()->setCurrentWidget(view);
        QTRY_VERIFY_WITH_TIMEOUT(
            view->findChild<QComboBox *>(QStringLiteral("metricsScope"))->findData(queue.id) > 0,
            10000);
        view->setScope(queue.id);
        QSortFilterProxyModel *proxy = view->proxy();
        QTRY_COMPARE_WITH_TIMEOUT(proxy->rowCount(), 2, 10000);

        // Units a person reads: counts with separators, shares in percent, durations.
        using Column = Ui::TypeMetricsModel::Column;
        QCOMPARE(cell(proxy, QStringLiteral("resize"), Column::Processed), QStringLiteral("1,200"));
        QCOMPARE(cell(proxy, QStringLiteral("resize"), Column::Failed), QStringLiteral("0.0 %"));
        QCOMPARE(cell(proxy, QStringLiteral("resize"), Column::RunP50), QStringLiteral("400 ms"));
        QCOMPARE(cell(proxy, QStringLiteral("resize"), Column::WaitP99), QStringLiteral("100 ms"));
        QCOMPARE(cell(proxy, QStringLiteral("email"), Column::Processed), QStringLiteral("6"));
        QCOMPARE(cell(proxy, QStringLiteral("email"), Column::Failed), QStringLiteral("33.3 %"));
        QCOMPARE(cell(proxy, QStringLiteral("email"), Column::RunP95), QStringLiteral("30 ms"));
        QCOMPARE(cell(proxy, QStringLiteral("email"), Column::WaitP50), QStringLiteral("2 s"));

        // Sorted by processed, most first; a click on "Run p50" sorts by the value behind it.
        QCOMPARE(proxy->index(0, 0).data().toString(), QStringLiteral("resize"));
        view->table()->sortByColumn(Column::RunP50, Qt::AscendingOrder);
        QCOMPARE(proxy->index(0, 0).data().toString(), QStringLiteral("email"));
        view->table()->sortByColumn(Column::Failed, Qt::DescendingOrder);
        QCOMPARE(proxy->index(0, 0).data().toString(), QStringLiteral("email"));

        // The histogram of the selected type: every attempt in it.
        view->table()->selectRow(0);
        qint64 total = 0;
        for (const auto &[label, count] : view->histogram()) {
            QVERIFY2(label.startsWith(QStringLiteral("≤ ")), qPrintable(label));
            total += count;
        }
        QCOMPARE(total, qint64(6));
        view->table()->selectRow(1);
        total = 0;
        for (const auto &[label, count] : view->histogram())
            total += count;
        QCOMPARE(total, qint64(1200));

        // All queues and another range ask the server again.
        view->setScope(QString());
        QTRY_COMPARE_WITH_TIMEOUT(cell(proxy, QStringLiteral("resize"), Column::Processed),
                                  QStringLiteral("1,200"), 10000);
        QCoreApplication::processEvents(); // the chart lays itself out on the next turn
        const QString picture = QDir(m_settingsDir.path()).filePath(QStringLiteral("metrics.png"));
        QVERIFY(window.grab().save(picture));
        if (qEnvironmentVariableIsSet("QUEUEDECK_KEEP_PICTURES"))
            window.grab().save(qEnvironmentVariable("QUEUEDECK_KEEP_PICTURES") +
                               QStringLiteral("/metrics.png"));
        QSignalSpy loaded(view, &Ui::MetricsView::loaded);
        view->setRange(Ui::MetricsView::Range::Hour);
        QVERIFY(loaded.wait(10000));
        QVERIFY(view->findChild<QLabel *>(QStringLiteral("metricsStatus"))->isVisible());
    }
};

QTEST_MAIN(TestMetricsView)
#include "tst_metricsview.moc"
