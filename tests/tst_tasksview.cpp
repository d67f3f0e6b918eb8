// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The desktop app's task browser against a real server in this process, offscreen: search,
// detail with live logs, bulk actions, the queue selectors, and the tasks model under
// QAbstractItemModelTester.

#include "apifixture.h"
#include "isolatedsettings.h"
#include "queuechoices.h"
#include "queuedeckclient.h"
#include "tasksmodel.h"
#include "tasksview.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>

using namespace QueueDeck;
using namespace QueueDeck::Testing;

class TestTasksView final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_settingsDir.apply());
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
    IsolatedSettings m_settingsDir;
};

QTEST_MAIN(TestTasksView)
#include "tst_tasksview.moc"
