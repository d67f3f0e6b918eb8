// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The dashboard against a real server in this process, offscreen: chips and cards follow the
// server, each card gets the API's connect command, and a lost server shows the banner until it
// is back.

#include "apiserver.h"
#include "dashboardcontroller.h"
#include "dashboardview.h"
#include "engine.h"
#include "enginefixture.h"
#include "queuecardwidget.h"

#include <QApplication>
#include <QLineEdit>
#include <QTemporaryDir>

using namespace QueueDeck;
using namespace QueueDeck::Testing;

class TestDashboard final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void followsTheServerAndItsConnection()
    {
        QTemporaryDir dir;
        EngineOptions engineOptions;
        engineOptions.dataDirectory = dir.path();
        Engine engine(engineOptions);
        QVERIFY(engine.start().has_value());
        QD_AWAIT(token, engine.initAdminToken(false));
        Api::ApiOptions apiOptions;
        apiOptions.port = 0;
        auto api = std::make_unique<Api::ApiServer>(engine, apiOptions);
        QCOMPARE(api->start(), QString());
        const quint16 port = api->port();
        const QUrl url(QStringLiteral("http://127.0.0.1:%1").arg(port));
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
        auto *line = card->findChild<QLineEdit *>();
        QTRY_COMPARE_WITH_TIMEOUT(line->text(), command.value(QStringLiteral("command")).toString(),
                                  10000);
        QD_AWAIT_VOID(admin.enqueue(queue.id, job()));
        QTRY_VERIFY_WITH_TIMEOUT(card->warningText().contains(u"no worker is online"), 10000);
        QVERIFY(!view.bannerShown());

        api->stop();
        api.reset();
        QTRY_VERIFY_WITH_TIMEOUT(view.bannerShown(), 10000);
        apiOptions.port = port;
        api = std::make_unique<Api::ApiServer>(engine, apiOptions);
        QCOMPARE(api->start(), QString());
        QTRY_VERIFY_WITH_TIMEOUT(!view.bannerShown(), 20000); // reconnected by itself
        api->stop();
    }
};

QTEST_MAIN(TestDashboard)
#include "tst_dashboard.moc"
