// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The Schedules tab and the schedule dialog against a real server in this process: the live
// preview and its inline errors, saving, the table's columns, Trigger now, pause and delete.

#include "apifixture.h"
#include "queuecardwidget.h"
#include "queuedeckclient.h"
#include "scheduledialog.h"
#include "scheduler.h"
#include "schedulesmodel.h"
#include "schedulesview.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTest>

using namespace QueueDeck;
using namespace QueueDeck::Testing;

class TestSchedulesView final : public QObject
{
    Q_OBJECT

    ApiFixture m_server;
    std::unique_ptr<Client::QueueDeckClient> m_client;
    QueueInfo m_queue;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_server.start());
        m_client = std::make_unique<Client::QueueDeckClient>(
            Client::ClientOptions{m_server.url(), m_server.token()});
        QD_AWAIT(queue, m_server.engine().createQueue(QStringLiteral("default"),
                                                      QStringLiteral("batch"), {}));
        m_queue = queue;
    }

    void dialogPreviewsAndSaves()
    {
        Ui::ScheduleDialog dialog(m_client.get(), {{m_queue.id, m_queue.name}});
        dialog.show();
        QSignalSpy previewed(&dialog, &Ui::ScheduleDialog::previewed);
        dialog.zoneField()->setCurrentText(QStringLiteral("Europe/Berlin"));
        dialog.specField()->setText(QStringLiteral("0 25 * * *"));
        QTRY_VERIFY_WITH_TIMEOUT(
            dialog.errorText().contains(QStringLiteral("field 2 (hour): 25 is out of range 0-23")),
            10000);
        dialog.specField()->setText(QStringLiteral("0 2 * * *"));
        QTRY_VERIFY_WITH_TIMEOUT(
            dialog.previewText().startsWith(QStringLiteral("At 02:00 every day, Europe/Berlin")),
            10000);
        QCOMPARE(dialog.errorText(), QString());
        QCOMPARE(dialog.previewText().count(u'\n'), 5); // the words, then five fire times
        QVERIFY(dialog.previewText().contains(QStringLiteral("02:00:00")));

        // Saving shows the server's refusal beside the fields.
        dialog.nameField()->setText(QStringLiteral("nightly"));
        dialog.accept();
        QTRY_VERIFY_WITH_TIMEOUT(dialog.errorText().contains(QStringLiteral("task")), 10000);
        QVERIFY(dialog.isVisible());
        dialog.typeField()->setText(QStringLiteral("report"));
        QSignalSpy accepted(&dialog, &QDialog::accepted);
        dialog.accept();
        QTRY_COMPARE_WITH_TIMEOUT(accepted.count(), 1, 10000);
        QCOMPARE(dialog.saved().definition.name, QStringLiteral("nightly"));
        QD_AWAIT(list, m_server.engine().scheduler().list());
        QCOMPARE(list.size(), 1);
        QCOMPARE(list.first().definition.timeZone, QStringLiteral("Europe/Berlin"));
        QCOMPARE(list.first().definition.queueId, m_queue.id);
    }

    void tableTriggersPausesDeletes()
    {
        Ui::SchedulesView view(m_client.get());
        QAbstractItemModelTester tester(view.model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        view.setQueues({{m_queue.id, m_queue.name}});
        QSignalSpy reloaded(&view, &Ui::SchedulesView::reloaded);
        view.show();
        QTRY_COMPARE_WITH_TIMEOUT(view.model()->rowCount(), 1, 10000);
        const auto cell = [&](int column) {
            return view.model()->index(0, column).data().toString();
        };
        QCOMPARE(cell(Ui::SchedulesModel::Name), QStringLiteral("nightly"));
        QCOMPARE(cell(Ui::SchedulesModel::Spec),
                 QStringLiteral("At 02:00 every day, Europe/Berlin"));
        QCOMPARE(cell(Ui::SchedulesModel::Queue), QStringLiteral("batch"));
        QCOMPARE(cell(Ui::SchedulesModel::LastOutcome), QStringLiteral("not fired yet"));
        QVERIFY(!cell(Ui::SchedulesModel::NextFire).isEmpty());
        // The queue card's line: the queue's soonest fire.
        const QString note = view.nextFireNotes().value(m_queue.id);
        QVERIFY2(note.startsWith(QStringLiteral("next: nightly in ")), qPrintable(note));
        Ui::QueueCardWidget card;
        card.setScheduleNote(note);
        QCOMPARE(card.scheduleNote(), note);

        view.selectRow(0);
        view.triggerSelected();
        QTRY_VERIFY_WITH_TIMEOUT(cell(Ui::SchedulesModel::LastOutcome).startsWith(u"started"),
                                 10000);
        view.togglePausedSelected();
        QTRY_COMPARE_WITH_TIMEOUT(cell(Ui::SchedulesModel::Paused), QStringLiteral("paused"),
                                  10000);
        QVERIFY(view.nextFireNotes().isEmpty()); // a paused schedule announces nothing
        QCOMPARE(cell(Ui::SchedulesModel::NextFire), QStringLiteral("paused"));
        view.togglePausedSelected();
        QTRY_COMPARE_WITH_TIMEOUT(cell(Ui::SchedulesModel::Paused), QStringLiteral("active"),
                                  10000);
        view.deleteSelected();
        QTRY_COMPARE_WITH_TIMEOUT(view.model()->rowCount(), 0, 10000);
        QD_AWAIT(list, m_server.engine().scheduler().list());
        QCOMPARE(list.size(), 0);
    }
};

QTEST_MAIN(TestSchedulesView)
#include "tst_schedulesview.moc"
