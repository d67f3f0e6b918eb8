// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The dashboard against a real server in this process, offscreen: chips and cards follow the
// server, each card gets the API's connect command, and a lost server shows the banner until it
// is back.

#include "apifixture.h"
#include "commandview.h"
#include "dashboardcontroller.h"
#include "dashboardview.h"
#include "queuecardwidget.h"

#include <QApplication>

using namespace QueueDeck;
using namespace QueueDeck::Testing;

class TestDashboard final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void followsTheServerAndItsConnection()
    {
        ApiFixture server;
        QVERIFY(server.start());
        const quint16 port = server.port();
        const QUrl url = server.url();
        const QString token = server.token();
        Client::QueueDeckClient admin({url, token});

        Ui::DashboardView view;
        view.resize(1280, 800);
        view.show();
        Ui::DashboardController controller({url, token}, &view);
        controller.start();
        QTRY_COMPARE_WITH_TIMEOUT(view.chip(QStringLiteral("Queues")), QStringLiteral("1"), 10000);

        QueueSettings settings;
        settings.maxWorkers = 3;
        QD_AWAIT(queue,
                 admin.createQueue(QStringLiteral("default"), QStringLiteral("mail"), settings));
        QTRY_COMPARE_WITH_TIMEOUT(view.chip(QStringLiteral("Queues")), QStringLiteral("2"), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(view.card(queue.id) != nullptr, 10000);
        Ui::QueueCardWidget *card = view.card(queue.id);
        QCOMPARE(card->capacityText(), QStringLiteral("0 / 3 workers"));
        QD_AWAIT(command, admin.workerCommand(queue.id));
        auto *line = card->findChild<Ui::CommandView *>();
        QTRY_COMPARE_WITH_TIMEOUT(line->command(),
                                  command.value(QStringLiteral("command")).toString(), 10000);
        QD_AWAIT_VOID(admin.enqueue(queue.id, job()));
        QTRY_VERIFY_WITH_TIMEOUT(card->warningText().contains(u"no worker is online"), 10000);
        QVERIFY(!view.bannerShown());

        server.stopListening();
        QTRY_VERIFY_WITH_TIMEOUT(view.bannerShown(), 10000);
        QVERIFY(server.listen(port));
        QTRY_VERIFY_WITH_TIMEOUT(!view.bannerShown(), 20000); // reconnected by itself
    }
};

QTEST_MAIN(TestDashboard)
#include "tst_dashboard.moc"
