// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The desktop app's parts against a real server in this process, offscreen: the queue and
// enqueue dialogs (checks, server errors inline), charts (live points from the event stream,
// history after a restart), alerts (one notification per crossing), the task browser (search,
// detail, bulk), the workers table (filter, drain), producer tokens, and the models under
// QAbstractItemModelTester.

#include "alerts.h"
#include "apifixture.h"
#include "chartsview.h"
#include "dashboardcontroller.h"
#include "dashboardview.h"
#include "enqueuedialog.h"
#include "environmentsdialog.h"
#include "mainwindow.h"
#include "queuechoices.h"
#include "queuedeckclient.h"
#include "queuedialog.h"
#include "savedtokens.h"
#include "serverdialogs.h"
#include "tasksmodel.h"
#include "tasksview.h"
#include "tokensdialog.h"
#include "workersmodel.h"
#include "workersview.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTemporaryFile>
#include <QTimer>

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

class TestDesktop final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        // The window's settings in a directory of this run: nothing read from, or left in, the
        // user's configuration or another run's.
        QVERIFY(m_settingsDir.isValid());
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
    }

    void environmentsAreCreatedFilteredAndDeleted()
    {
        ApiFixture server;
        QVERIFY(server.start());
        QSettings().remove(QStringLiteral("dashboard/environment"));
        QD_AWAIT(plain, server.engine().createQueue(QStringLiteral("default"),
                                                    QStringLiteral("mail"), {}));
        QString stagingQueueId;
        {
            Ui::MainWindow window;
            window.connectTo({server.url(), server.token(), false});
            window.show();
            window.showEnvironments();
            auto *dialog = window.findChild<Ui::EnvironmentsDialog *>();
            QVERIFY(dialog);
            QTRY_VERIFY_WITH_TIMEOUT(dialog->names().contains(QStringLiteral("default")), 10000);
            dialog->findChild<QLineEdit *>(QStringLiteral("environmentName"))
                ->setText(QStringLiteral("staging"));
            dialog->findChild<QLineEdit *>(QStringLiteral("environmentDescription"))
                ->setText(QStringLiteral("before release"));
            dialog->findChild<QCheckBox *>(QStringLiteral("environmentAutoCreate"))
                ->setChecked(false);
            dialog->findChild<QPushButton *>(QStringLiteral("createEnvironment"))->click();
            QTRY_VERIFY_WITH_TIMEOUT(dialog->names().contains(QStringLiteral("staging")), 10000);
            QD_AWAIT(environments, server.engine().listEnvironments());
            const auto staging =
                std::find_if(environments.cbegin(), environments.cend(),
                             [](const EnvironmentInfo &e) { return e.name == u"staging"; });
            QVERIFY(staging != environments.cend());
            QCOMPARE(staging->description, QStringLiteral("before release"));
            QVERIFY(!staging->autoCreate);
            // The dashboard filter offers it at once.
            auto *filter =
                window.dashboard()->findChild<QComboBox *>(QStringLiteral("environmentFilter"));
            QTRY_VERIFY_WITH_TIMEOUT(filter->findData(QStringLiteral("staging")) > 0, 10000);

            QD_AWAIT(stagingQueue, server.engine().createQueue(QStringLiteral("staging"),
                                                               QStringLiteral("mail"), {}));
            stagingQueueId = stagingQueue.id;
            // All environments: grouped, one header per environment.
            QTRY_VERIFY_WITH_TIMEOUT(window.dashboard()->card(stagingQueue.id) &&
                                         window.dashboard()->card(plain.id),
                                     10000);
            QTRY_COMPARE_WITH_TIMEOUT(
                window.dashboard()->groupHeaders(),
                QStringList({QStringLiteral("default"), QStringLiteral("staging")}), 10000);
            QCOMPARE(window.dashboard()->chip(QStringLiteral("Queues")), QStringLiteral("3"));

            // Only staging: its card alone, the chips its own.
            const int index = filter->findData(QStringLiteral("staging"));
            filter->setCurrentIndex(index);
            Q_EMIT filter->activated(index);
            QTRY_VERIFY_WITH_TIMEOUT(!window.dashboard()->card(plain.id), 10000);
            QVERIFY(window.dashboard()->card(stagingQueue.id));
            QTRY_COMPARE_WITH_TIMEOUT(window.dashboard()->chip(QStringLiteral("Queues")),
                                      QStringLiteral("1"), 10000);
            QVERIFY(window.dashboard()->groupHeaders().isEmpty());
            // The live stream follows the choice: a second later it still holds.
            QD_AWAIT(more, server.engine().createQueue(QStringLiteral("default"),
                                                       QStringLiteral("video"), {}));
            QTRY_VERIFY_WITH_TIMEOUT(window.controller()->lastSnapshot().updatedAtMs > 0, 10000);
            const qint64 after = window.controller()->lastSnapshot().updatedAtMs;
            QTRY_VERIFY_WITH_TIMEOUT(window.controller()->lastSnapshot().updatedAtMs > after,
                                     10000);
            QVERIFY(!window.dashboard()->card(more.id));
            QCOMPARE(window.dashboard()->chip(QStringLiteral("Queues")), QStringLiteral("1"));

            // Deleting an environment with a queue is refused, and said.
            dialog->remove(QStringLiteral("staging"));
            QTRY_VERIFY_WITH_TIMEOUT(dialog->errorText().contains(u"delete them first"), 10000);
        }
        {
            // Kept across restarts of the window.
            Ui::MainWindow window;
            window.connectTo({server.url(), server.token(), false});
            window.show();
            QCOMPARE(window.dashboard()->environment(), QStringLiteral("staging"));
            QTRY_VERIFY_WITH_TIMEOUT(window.dashboard()->card(stagingQueueId), 10000);
            QVERIFY(!window.dashboard()->card(plain.id));
            QD_AWAIT_VOID(server.engine().deleteQueue(stagingQueueId, true));
            window.showEnvironments();
            auto *dialog = window.findChild<Ui::EnvironmentsDialog *>();
            QTRY_VERIFY_WITH_TIMEOUT(dialog->names().contains(QStringLiteral("staging")), 10000);
            dialog->remove(QStringLiteral("staging"));
            QTRY_VERIFY_WITH_TIMEOUT(!dialog->names().contains(QStringLiteral("staging")), 10000);
            QVERIFY(dialog->errorText().isEmpty());
        }
        QSettings().remove(QStringLiteral("dashboard/environment"));
    }

    void queueDialogChecksAndShowsServerErrorsInline()
    {
        ApiFixture server;
        QVERIFY(server.start());
        Client::QueueDeckClient client({server.url(), server.token()});
        int submitted = 0;
        Ui::QueueDialog dialog(
            [&](const Ui::QueueDraft &d) {
                ++submitted;
                return client.createQueue(d.environment, d.name, d.settings);
            },
            QStringList{QStringLiteral("default")});
        dialog.show();

        dialog.accept(); // no name: caught here, nothing sent
        QCOMPARE(submitted, 0);
        QVERIFY(!dialog.errorText(QStringLiteral("name")).isEmpty());
        QVERIFY(dialog.isVisible());

        Ui::QueueDraft draft = dialog.draft();
        draft.name = QStringLiteral("bad name!");
        dialog.setDraft(draft);
        dialog.accept(); // the server refuses the name: said under the name, dialog stays
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.errorText(QStringLiteral("name")).isEmpty(), 10000);
        QCOMPARE(submitted, 1);
        QVERIFY2(dialog.errorText(QStringLiteral("name")).contains(u"letters, digits"),
                 qPrintable(dialog.errorText(QStringLiteral("name"))));
        QVERIFY(dialog.isVisible());
        QCOMPARE(dialog.draft().name, QStringLiteral("bad name!")); // nothing typed is lost

        draft.name = QStringLiteral("emails");
        draft.settings.retry.initialBackoffMs = 5000;
        draft.settings.retry.maxBackoffMs = 1000;
        dialog.setDraft(draft);
        dialog.accept();
        QCOMPARE(submitted, 1);
        QVERIFY(!dialog.errorText(QStringLiteral("max_backoff_ms")).isEmpty());
        QVERIFY(dialog.errorText(QStringLiteral("name")).isEmpty()); // the old error went

        draft.settings.retry.maxBackoffMs = 60000;
        draft.settings.maxWorkers = 4;
        dialog.setDraft(draft);
        dialog.accept();
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.isVisible(), 10000);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(dialog.queue().name, QStringLiteral("emails"));
        QCOMPARE(dialog.queue().settings.maxWorkers, 4);

        // Configure: renaming onto a name that exists is refused by the server, shown at the
        // name; a change that is allowed lands.
        QD_AWAIT(other, server.engine().createQueue(QStringLiteral("default"),
                                                    QStringLiteral("reports"), {}));
        const QueueInfo created = dialog.queue();
        Ui::QueueDialog configure(
            [&](const Ui::QueueDraft &d) {
                return client.updateQueue(created.id, Ui::QueueDialog::patchBetween(created, d));
            },
            created);
        configure.show();
        Ui::QueueDraft change = configure.draft();
        change.name = other.name;
        configure.setDraft(change);
        configure.accept();
        QTRY_VERIFY_WITH_TIMEOUT(!configure.errorText(QStringLiteral("name")).isEmpty(), 10000);
        change.name = created.name;
        change.settings.maxWorkers = 0;
        change.settings.taskTimeoutS = 120;
        configure.setDraft(change);
        configure.accept();
        QTRY_VERIFY_WITH_TIMEOUT(!configure.isVisible(), 10000);
        QD_AWAIT(stored, server.engine().queue(created.id));
        QCOMPARE(stored.settings.maxWorkers, 0);
        QCOMPARE(stored.settings.taskTimeoutS, qint64(120));
        QCOMPARE(stored.settings.retry.maxBackoffMs, qint64(60000)); // untouched stays
    }

    void enqueueDialogChecksThePayload()
    {
        ApiFixture server;
        QVERIFY(server.start());
        Client::QueueDeckClient client({server.url(), server.token()});
        QD_AWAIT(queue, server.engine().createQueue(QStringLiteral("default"),
                                                    QStringLiteral("mail"), {}));
        int submitted = 0;
        Ui::EnqueueDialog dialog(
            [&](const QString &id, const EnqueueRequest &r) {
                ++submitted;
                return client.enqueue(id, r);
            },
            {queue}, queue.id);
        dialog.show();
        QVERIFY2(Ui::EnqueueDialog::queueLabel(queue).contains(u"0 / 10 workers"),
                 qPrintable(Ui::EnqueueDialog::queueLabel(queue)));
        dialog.findChild<QLineEdit *>(QStringLiteral("type"))->setText(QStringLiteral("send"));
        dialog.findChild<QPlainTextEdit *>(QStringLiteral("payload"))
            ->setPlainText(QStringLiteral("{\"to\": "));
        QVERIFY(dialog.errorText().contains(u"not valid JSON"));
        dialog.accept();
        QCOMPARE(submitted, 0);
        dialog.findChild<QPlainTextEdit *>(QStringLiteral("payload"))
            ->setPlainText(QStringLiteral("{\"to\": \"ops@example.com\"}"));
        QVERIFY(dialog.errorText().isEmpty());
        dialog.accept();
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.isVisible(), 10000);
        QD_AWAIT(task, server.engine().task(dialog.task().id));
        QCOMPARE(task.type, QStringLiteral("send"));
        QCOMPARE(QJsonDocument::fromJson(task.payload).object().value(u"to").toString(),
                 QStringLiteral("ops@example.com"));
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
        QTest::qWait(2500); // more snapshots, still above: no second notification
        QCOMPARE(window.notifications().size(), 1);
    }

    void taskBrowserSearchesShowsAndActsOnEverythingMatching()
    {
        ApiFixture server;
        QVERIFY(server.start());
        Client::QueueDeckClient client({server.url(), server.token()});
        QD_AWAIT(queue, server.engine().createQueue(QStringLiteral("default"),
                                                    QStringLiteral("mail"), {}));
        for (int i = 0; i < 30; ++i) {
            EnqueueRequest request =
                job(QStringLiteral("{\"to\":\"user%1@example.com\"}").arg(i).toUtf8());
            request.type = i % 3 == 0 ? QStringLiteral("report") : QStringLiteral("send");
            QD_AWAIT_VOID(server.engine().enqueue(queue.id, request));
        }
        Ui::TasksView view(&client);
        QAbstractItemModelTester tester(view.model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        view.resize(1200, 700);
        view.show();
        view.setQueues({{queue.id, queue.name}});
        view.showQueue(queue.id);
        QTRY_COMPARE_WITH_TIMEOUT(view.model()->rowCount(), 30, 10000);

        // Payload text search.
        auto edits = view.findChildren<QLineEdit *>();
        QLineEdit *text = nullptr;
        for (QLineEdit *edit : edits) {
            if (edit->placeholderText().contains(u"payload"))
                text = edit;
        }
        QVERIFY(text);
        text->setText(QStringLiteral("user7@"));
        view.search();
        QTRY_COMPARE_WITH_TIMEOUT(view.model()->rowCount(), 1, 10000);
        view.selectRow(0);
        QTRY_VERIFY_WITH_TIMEOUT(view.detailText().contains(u"user7@example.com"), 10000);
        QVERIFY(view.detailText().contains(u"Attempts:"));

        // Cancel everything of type "report" (10 tasks) on the server, not only what is loaded.
        text->clear();
        for (QLineEdit *edit : edits) {
            if (edit->placeholderText() == u"Type")
                edit->setText(QStringLiteral("report"));
        }
        view.search();
        QTRY_COMPARE_WITH_TIMEOUT(view.model()->rowCount(), 10, 10000);
        view.runOnAllMatching(BulkAction::Cancel);
        QTRY_VERIFY2_WITH_TIMEOUT(view.statusText().startsWith(u"Done: 10 task"),
                                  qPrintable(view.statusText()), 10000);
        TaskFilter cancelled;
        cancelled.state = TaskState::Cancelled;
        QD_AWAIT(page, server.engine().listTasks(queue.id, cancelled));
        QCOMPARE(page.items.size(), 10);
        for (const TaskInfo &task : page.items)
            QCOMPARE(task.type, QStringLiteral("report"));

        // Retry two of them by selection.
        QTRY_COMPARE_WITH_TIMEOUT(view.model()->index(0, Ui::TasksModel::State).data().toString(),
                                  QStringLiteral("cancelled"), 10000);
        view.selectRow(0);
        view.runOnSelection(BulkAction::Retry);
        QTRY_VERIFY2_WITH_TIMEOUT(view.statusText().startsWith(u"Done: 1 task"),
                                  qPrintable(view.statusText()), 10000);
        QD_AWAIT(after, server.engine().listTasks(queue.id, cancelled));
        QCOMPARE(after.items.size(), 9);

        // A retry the server refuses (the task still waits) is counted and said, not hidden.
        for (QLineEdit *edit : edits) {
            if (edit->placeholderText() == u"Type")
                edit->setText(QStringLiteral("send"));
        }
        view.search();
        QTRY_COMPARE_WITH_TIMEOUT(view.model()->rowCount(), 20, 10000);
        view.selectRow(0);
        view.runOnSelection(BulkAction::Retry);
        QTRY_VERIFY2_WITH_TIMEOUT(view.statusText().startsWith(u"1 of 1 failed: "),
                                  qPrintable(view.statusText()), 10000);
    }

    void taskDetailStreamsTheLogs()
    {
        ApiFixture server;
        QVERIFY(server.start());
        Client::QueueDeckClient client({server.url(), server.token()});
        QD_AWAIT(queue, server.engine().createQueue(QStringLiteral("default"),
                                                    QStringLiteral("mail"), {}));
        QD_AWAIT(task, server.engine().enqueue(queue.id, job("{\"to\":\"a@example.com\"}")));
        QD_AWAIT(worker, server.engine().registerWorker(workerOn({queue.id})));
        QD_AWAIT(leased, server.engine().lease({worker.workerId, 1, 0}));
        QCOMPARE(leased.size(), 1);
        const auto log = [&](const QString &text) {
            return server.engine().appendLogs(worker.workerId, task.id, leased[0].leaseId,
                                              {LogLine{0, 0, QStringLiteral("stdout"), text}});
        };
        QD_AWAIT_VOID(log(QStringLiteral("connecting to smtp")));
        Ui::TasksView view(&client);
        view.show();
        view.setQueues({{queue.id, queue.name}});
        view.showQueue(queue.id);
        QTRY_COMPARE_WITH_TIMEOUT(view.model()->rowCount(), 1, 10000);
        view.selectRow(0);
        QTRY_VERIFY_WITH_TIMEOUT(view.logText().contains(u"connecting to smtp"), 10000);
        QVERIFY(view.detailText().contains(u"running"));
        QD_AWAIT_VOID(log(QStringLiteral("sent, id 42")));
        QTRY_VERIFY_WITH_TIMEOUT(view.logText().contains(u"sent, id 42"), 10000); // streamed
        QCOMPARE(view.logText().count(u"connecting to smtp"), 1);                 // each line once
        QD_AWAIT(outcomes,
                 server.engine().complete(
                     {worker.workerId, {{task.id, leased[0].leaseId, "{\"ok\":1}"}}, {}}));
        QTRY_VERIFY_WITH_TIMEOUT(view.detailText().contains(u"succeeded"), 10000);
        QVERIFY(view.detailText().contains(u"\"ok\": 1"));

        // A dead letter says why it died.
        QD_AWAIT(doomed, server.engine().enqueue(queue.id, job()));
        QD_AWAIT(again, server.engine().lease({worker.workerId, 1, 0}));
        QCOMPARE(again.size(), 1);
        QD_AWAIT(failed, server.engine().complete(
                             {worker.workerId,
                              {},
                              {{doomed.id, again[0].leaseId, QStringLiteral("bad"), false}}}));
        view.showQueue(queue.id, QStringLiteral("dead"));
        QTRY_COMPARE_WITH_TIMEOUT(view.model()->index(0, Ui::TasksModel::Id).data().toString(),
                                  doomed.id, 10000);
        QCOMPARE(view.model()->rowCount(), 1);
        QCOMPARE(view.model()->index(0, Ui::TasksModel::State).data().toString(),
                 QStringLiteral("dead"));
        QCOMPARE(view.model()->index(0, Ui::TasksModel::Reason).data().toString(),
                 QStringLiteral("non-retryable"));
    }

    void serversDialogTriesTheServerAndKeepsTheToken()
    {
        ApiFixture server;
        QVERIFY(server.start());
        Ui::ServersDialog dialog(true);
        dialog.show();
        QSignalSpy chosen(&dialog, &Ui::ServersDialog::chosen);
        auto edits = dialog.findChildren<QLineEdit *>();
        QCOMPARE(edits.size(), 2);
        QPushButton *connectButton = nullptr;
        for (QPushButton *button : dialog.findChildren<QPushButton *>()) {
            if (button->text() == u"Connect")
                connectButton = button;
        }
        QVERIFY(connectButton);
        edits[0]->setText(server.url().toString());
        edits[1]->setText(QStringLiteral("qda_wrong"));
        connectButton->click();
        QLabel *error = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (QLabel *label : dialog.findChildren<QLabel *>()) {
                    if (label->isVisible() && label->text().contains(u"answered"))
                        error = label;
                }
                return error != nullptr;
            }(),
            10000);
        QCOMPARE(chosen.size(), 0);
        edits[1]->setText(server.token());
        QTRY_VERIFY(connectButton->isEnabled());
        connectButton->click();
        QTRY_VERIFY2_WITH_TIMEOUT(chosen.size() == 1, qPrintable(error->text()), 10000);
        const auto target = chosen.first().first().value<Ui::ServerTarget>();
        QCOMPARE(target.token, server.token());
        QVERIFY(Ui::ServersDialog::remembered().contains(server.url().toString()));
        // The token is kept for next time: in the keychain, or in a file only its owner reads.
        QString kept;
        Ui::SavedTokens().read(server.url().toString(), this,
                               [&kept](const QString &token) { kept = token; });
        QTRY_COMPARE_WITH_TIMEOUT(kept, server.token(), 10000);
        const QFileInfo file(Ui::SavedTokens().filePath(server.url().toString()));
        if (file.exists())
            QCOMPARE(file.permissions() & (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup |
                                           QFile::WriteOther),
                     QFile::Permissions());
        Ui::ServersDialog::forget(server.url().toString());
        Ui::SavedTokens().remove(server.url().toString());
        // Where no file can be written, the error says so instead of losing the token silently.
        QTemporaryFile notADirectory;
        QVERIFY(notADirectory.open());
        const QString refused =
            Ui::SavedTokens(notADirectory.fileName() + QStringLiteral("/tokens"))
                .writeFile(server.url().toString(), server.token());
        QVERIFY2(refused.contains(u"cannot create"), qPrintable(refused));
    }

    void networkDialogAppliesCheckedSettings()
    {
        struct FakeServer final : Ui::EmbeddedServer
        {
            QUrl url() const override { return QUrl(QStringLiteral("http://127.0.0.1:7070")); }
            QString adminToken() const override { return QStringLiteral("qda_x"); }
            QString applyNetwork(const Ui::NetworkSettings &settings) override
            {
                applied.append(settings);
                return settings.port == 1 ? QStringLiteral("port 1 is not ours") : QString();
            }
            Ui::NetworkSettings network() const override { return {}; }
            QString securityWarning() const override { return {}; }
            QString faktoryUrl() const override { return QStringLiteral("tcp://127.0.0.1:7419"); }
            Result<QString> faktoryPassword() override { return password; }
            Result<QString> rotateFaktoryPassword() override
            {
                password = QStringLiteral("qdf_new");
                return password;
            }
            QString password = QStringLiteral("qdf_old");
            QList<Ui::NetworkSettings> applied;
        } fake;
        Ui::NetworkDialog dialog(&fake);
        dialog.show();
        dialog.findChild<QCheckBox *>()->setChecked(true);
        const QList<QLineEdit *> edits{dialog.findChild<QLineEdit *>(QStringLiteral("publicUrl")),
                                       dialog.findChild<QLineEdit *>(QStringLiteral("tlsCert"))};
        QLabel *warning = nullptr;
        for (QLabel *label : dialog.findChildren<QLabel *>()) {
            if (label->text().contains(u"self-signed"))
                warning = label;
        }
        QVERIFY(warning && warning->isVisible()); // on the network without a certificate: said
        edits[0]->setText(QStringLiteral("not a url"));
        dialog.accept();
        QVERIFY(dialog.errorText().contains(u"https://deck.example:7070"));
        QCOMPARE(fake.applied.size(), 0);
        edits[0]->setText(QStringLiteral("https://deck.example.com:7070"));
        edits[1]->setText(QStringLiteral("/etc/deck.pem")); // a certificate without its key
        dialog.accept();
        QVERIFY(dialog.errorText().contains(u"both"));
        QCOMPARE(fake.applied.size(), 0);
        edits[1]->clear();
        dialog.findChild<QSpinBox *>()->setValue(1);
        dialog.accept(); // the server's own refusal is shown too
        QCOMPARE(fake.applied.size(), 1);
        QVERIFY(dialog.errorText().contains(u"port 1 is not ours"));
        QVERIFY(dialog.isVisible());
        dialog.findChild<QSpinBox *>()->setValue(7443);
        dialog.accept();
        QCOMPARE(fake.applied.size(), 2);
        QVERIFY(fake.applied.last().acceptRemoteWorkers);
        QCOMPARE(fake.applied.last().publicUrl, QStringLiteral("https://deck.example.com:7070"));
        QVERIFY(!dialog.isVisible());
        QCOMPARE(Ui::NetworkDialog::load().port, quint16(7443)); // remembered for the next start
    }

    void networkDialogShowsAndRotatesTheFaktoryPassword()
    {
        struct FakeServer final : Ui::EmbeddedServer
        {
            QUrl url() const override { return QUrl(QStringLiteral("http://127.0.0.1:7070")); }
            QString adminToken() const override { return QStringLiteral("qda_x"); }
            QString applyNetwork(const Ui::NetworkSettings &settings) override
            {
                applied.append(settings);
                return {};
            }
            Ui::NetworkSettings network() const override { return {}; }
            QString securityWarning() const override { return {}; }
            QString faktoryUrl() const override { return QStringLiteral("tcp://127.0.0.1:7419"); }
            Result<QString> faktoryPassword() override { return password; }
            Result<QString> rotateFaktoryPassword() override
            {
                password = QStringLiteral("qdf_new");
                return password;
            }
            QString password = QStringLiteral("qdf_old");
            QList<Ui::NetworkSettings> applied;
        } fake;
        Ui::NetworkDialog dialog(&fake);
        dialog.show();
        auto *url = dialog.findChild<QLabel *>(QStringLiteral("faktoryUrl"));
        auto *password = dialog.findChild<QLineEdit *>(QStringLiteral("faktoryPassword"));
        QVERIFY(url && password);
        QCOMPARE(url->text(), QStringLiteral("tcp://127.0.0.1:7419"));
        QCOMPARE(password->text(), QStringLiteral("qdf_old"));
        QCOMPARE(password->echoMode(), QLineEdit::Password); // hidden until asked
        dialog.findChild<QPushButton *>(QStringLiteral("faktoryShow"))->click();
        QCOMPARE(password->echoMode(), QLineEdit::Normal);
        // Rotate asks first; the answer is given as soon as the question shows.
        QTimer::singleShot(0, &dialog, [] {
            for (QWidget *widget : QApplication::topLevelWidgets()) {
                if (auto *box = qobject_cast<QMessageBox *>(widget))
                    box->button(QMessageBox::Yes)->click();
            }
        });
        dialog.findChild<QPushButton *>(QStringLiteral("faktoryRotate"))->click();
        QCOMPARE(password->text(), QStringLiteral("qdf_new"));
        dialog.findChild<QCheckBox *>(QStringLiteral("faktoryEnabled"))->setChecked(true);
        dialog.findChild<QSpinBox *>(QStringLiteral("faktoryPort"))->setValue(7420);
        dialog.accept();
        QCOMPARE(fake.applied.size(), 1);
        QVERIFY(fake.applied.last().faktory);
        QCOMPARE(fake.applied.last().faktoryPort, quint16(7420));
        QCOMPARE(Ui::NetworkDialog::load().faktoryPort, quint16(7420));
    }

    void workersTableFiltersAndDrains()
    {
        ApiFixture server;
        QVERIFY(server.start());
        Client::QueueDeckClient client({server.url(), server.token()});
        QD_AWAIT(mail, server.engine().createQueue(QStringLiteral("default"),
                                                   QStringLiteral("mail"), {}));
        QD_AWAIT(video, server.engine().createQueue(QStringLiteral("default"),
                                                    QStringLiteral("video"), {}));
        QD_AWAIT(a, server.engine().registerWorker(
                        workerOn({mail.id}, {{QStringLiteral("zone"), QStringLiteral("eu")}})));
        QD_AWAIT(b, server.engine().registerWorker(workerOn({video.id})));
        QD_AWAIT(c, server.engine().registerWorker(workerOn({mail.id, video.id})));
        Ui::WorkersView view(&client);
        QAbstractItemModelTester tester(view.model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        view.show();
        view.setQueues({{mail.id, mail.name}, {video.id, video.name}});
        view.reload();
        QTRY_COMPARE_WITH_TIMEOUT(view.visibleRows(), 3, 10000);
        view.showQueue(mail.id);
        QCOMPARE(view.visibleRows(), 2);
        view.findChildren<QLineEdit *>().first()->setText(QStringLiteral("zone=eu"));
        QCOMPARE(view.visibleRows(), 1);
        view.drain({a.workerId});
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                auto workers = await(server.engine().listWorkers(mail.id));
                return workers &&
                       std::any_of(workers->cbegin(), workers->cend(), [&](const WorkerInfo &w) {
                           return w.id == a.workerId && w.state == WorkerState::Draining;
                       });
            }(),
            10000);
        view.remove({b.workerId});
        QTRY_VERIFY_WITH_TIMEOUT(await(server.engine().listWorkers()).value().size() == 2, 10000);
        // The change reaches the table through applyChanges as the event stream brings it.
        view.applyChanges({}, {b.workerId});
        view.showQueue(QString());
        view.findChildren<QLineEdit *>().first()->clear();
        QCOMPARE(view.visibleRows(), 2);
        Q_UNUSED(c);
    }

    void producerTokensAreShownOnceAndRevoked()
    {
        ApiFixture server;
        QVERIFY(server.start());
        Client::QueueDeckClient client({server.url(), server.token()});
        QD_AWAIT(queue, server.engine().createQueue(QStringLiteral("default"),
                                                    QStringLiteral("mail"), {}));
        Ui::TokensDialog dialog(&client, {queue});
        dialog.show();
        dialog.create(QStringLiteral("billing"), {queue.id});
        QTRY_VERIFY_WITH_TIMEOUT(dialog.shownSecret().startsWith(u"qdp_"), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(dialog.names(), QStringList{QStringLiteral("billing")}, 10000);
        dialog.create(QStringLiteral("billing"), {queue.id}); // the name is taken
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.errorText().isEmpty(), 10000);
        dialog.revoke(QStringLiteral("billing"));
        QTRY_VERIFY_WITH_TIMEOUT(dialog.names().isEmpty(), 10000);
    }

    void queueSelectorsKeepTheSelection()
    {
        QComboBox combo;
        combo.addItem(QStringLiteral("All queues"), QString());
        QSignalSpy changed(&combo, &QComboBox::currentIndexChanged);
        const std::pair<QString, QString> a{QStringLiteral("q_a"), QStringLiteral("a")};
        const std::pair<QString, QString> b{QStringLiteral("q_b"), QStringLiteral("b")};
        const std::pair<QString, QString> c{QStringLiteral("q_c"), QStringLiteral("c")};
        QVERIFY(!Ui::setQueueChoices(&combo, {a, b}, 1));
        QCOMPARE(combo.count(), 3);
        QCOMPARE(combo.currentIndex(), 0); // "All queues" stays chosen
        combo.setCurrentIndex(2);          // b
        changed.clear();
        // A queue before it arrives and one is renamed: b stays selected, no signal.
        QVERIFY(!Ui::setQueueChoices(&combo, {c, a, {b.first, QStringLiteral("b2")}}, 1));
        QCOMPARE(combo.currentData().toString(), b.first);
        QCOMPARE(combo.currentText(), QStringLiteral("b2"));
        QCOMPARE(combo.count(), 4);
        QCOMPARE(changed.size(), 0);
        // b is gone: the first item is chosen and the caller is told.
        QVERIFY(Ui::setQueueChoices(&combo, {c, a}, 1));
        QCOMPARE(combo.currentIndex(), 0);
        QCOMPARE(combo.count(), 3);
        QCOMPARE(combo.itemData(1).toString(), c.first);
    }

    void tasksModelPassesTheTester()
    {
        Ui::TasksModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QList<TaskInfo> tasks;
        for (int i = 0; i < 5; ++i) {
            TaskInfo task;
            task.id = QStringLiteral("t_%1").arg(i);
            task.type = QStringLiteral("job");
            task.maxAttempts = 3;
            tasks.append(task);
        }
        model.setTasks(tasks.mid(0, 3));
        model.appendTasks(tasks); // only the two new ones are added
        QCOMPARE(model.rowCount(), 5);
        model.setState(QStringLiteral("t_2"), QStringLiteral("running"));
        QCOMPARE(model.index(2, Ui::TasksModel::State).data().toString(),
                 QStringLiteral("running"));
        model.setState(QStringLiteral("t_1"), QStringLiteral("deleted"));
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.rowOf(QStringLiteral("t_4")), 3);
        model.setTasks({});
        QCOMPARE(model.rowCount(), 0);
    }

private:
    QTemporaryDir m_settingsDir;
};

QTEST_MAIN(TestDesktop)
#include "tst_desktop.moc"
