// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The desktop app's workers table against a real server in this process, offscreen: filter and
// drain.

#include "apifixture.h"
#include "isolatedsettings.h"
#include "queuedeckclient.h"
#include "workersmodel.h"
#include "workersview.h"

#include <QAbstractItemModelTester>
#include <QLineEdit>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>

using namespace QueueDeck;
using namespace QueueDeck::Testing;

class TestWorkersView final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_settingsDir.apply());
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

private:
    IsolatedSettings m_settingsDir;
};

QTEST_MAIN(TestWorkersView)
#include "tst_workersview.moc"
