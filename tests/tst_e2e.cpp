// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// End to end, offscreen: the app's window on its server; a queue created through the New Queue
// dialog; its connect command copied from the card and run (the handler placeholder replaced) in
// a shell with no qdeck on its PATH, as a real `qdeck worker` (the command names the qdeck beside
// the app, as the desktop app's own server does); the card shows 1 / max and Active; tasks
// enqueued move the depth chart and the worker's counters; the worker killed with SIGKILL is
// shown as lost and the card goes Idle.

#include "apifixture.h"
#include "chartsview.h"
#include "dashboardcontroller.h"
#include "dashboardview.h"
#include "mainwindow.h"
#include "queuecardwidget.h"
#include "queuedeckclient.h"
#include "queuedialog.h"
#include "workerprogram.h"
#include "workersmodel.h"
#include "workersview.h"

#include <QAbstractButton>
#include <QApplication>
#include <QClipboard>
#include <QFile>
#include <QFileInfo>
#include <QMessageBox>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTimer>
#include <QToolButton>

#include <csignal>

using namespace QueueDeck;
using namespace QueueDeck::Testing;

class TestEndToEnd final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void queueWorkerTasksAndALostWorker()
    {
        // The server as the desktop app starts it: no qdeck on the PATH (as after
        // scripts/dev.sh run), so its commands name the qdeck beside the app.
        const QByteArray path = qgetenv("PATH");
        const QString qdeckDir = QFileInfo(QStringLiteral(QDECK_PATH)).absolutePath();
        qputenv("PATH", "/usr/bin:/bin");
        const QString program = Api::workerProgramBeside(qdeckDir);
        qputenv("PATH", QFile::encodeName(qdeckDir) + ":/usr/bin:/bin");
        QVERIFY2(Api::workerProgramBeside(qdeckDir).isEmpty(), "a qdeck on the PATH is used");
        qputenv("PATH", path);
        QCOMPARE(program, QFileInfo(QStringLiteral(QDECK_PATH)).absoluteFilePath());
        ApiFixture server;
        server.setWorkerProgram(program);
        QVERIFY(server.start());
        Client::QueueDeckClient admin({server.url(), server.token()});
        Ui::MainWindow window;
        window.connectTo({server.url(), server.token(), true});
        window.resize(1280, 800);
        window.show();
        QTRY_COMPARE_WITH_TIMEOUT(window.controller()->lastSnapshot().queueCount, 1, 10000);

        // New Queue, through the dialog.
        window.newQueue();
        auto *dialog = window.findChild<Ui::QueueDialog *>();
        QVERIFY(dialog);
        Ui::QueueDraft draft = dialog->draft();
        draft.name = QStringLiteral("e2e");
        draft.settings.maxWorkers = 2;
        draft.settings.workerTimeoutS = 5; // the shortest: a killed worker is lost soon
        dialog->setDraft(draft);
        dialog->accept();
        QTRY_VERIFY_WITH_TIMEOUT(window.findChild<Ui::QueueDialog *>() == nullptr ||
                                     !window.findChild<Ui::QueueDialog *>()->isVisible(),
                                 10000);
        QString queueId;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (const QueueCard &card : window.controller()->lastSnapshot().cards) {
                    if (card.queue.name == u"e2e")
                        queueId = card.queue.id;
                }
                return !queueId.isEmpty() && window.dashboard()->card(queueId);
            }(),
            10000);
        Ui::QueueCardWidget *card = window.dashboard()->card(queueId);
        QCOMPARE(card->capacityText(), QStringLiteral("0 / 2 workers"));
        QCOMPARE(card->statusText(), QStringLiteral("Idle"));

        // Copy puts exactly the API's command on the clipboard.
        auto expected = admin.workerCommand(queueId).result();
        QVERIFY(expected.has_value());
        const QString apiCommand = expected->value(QStringLiteral("command")).toString();
        QTRY_COMPARE_WITH_TIMEOUT(card->connectCommand(), apiCommand, 10000);
        QGuiApplication::clipboard()->clear();
        QTest::mouseClick(card->findChild<QToolButton *>(QStringLiteral("copy")), Qt::LeftButton);
        const QString copied = QGuiApplication::clipboard()->text();
        QCOMPARE(copied, apiCommand);

        // Run it with a real handler in place of the placeholder.
        QTemporaryDir dir;
        const QString handler = dir.filePath(QStringLiteral("handle-task"));
        {
            QFile file(handler);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("#!/bin/sh\ncat >/dev/null\nsleep 0.1\necho '{\"ok\":true}'\n");
        }
        QFile::setPermissions(handler, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        const QString placeholder =
            expected->value(QStringLiteral("handler_placeholder")).toString();
        QVERIFY(copied.endsWith(placeholder));
        const QString command = copied.left(copied.size() - placeholder.size()) + handler;
        // Pasted as it is into a shell whose PATH has no qdeck.
        QProcess worker;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("PATH"), QStringLiteral("/usr/bin:/bin"));
        worker.setProcessEnvironment(environment);
        worker.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        // bash runs a single command in place of itself: the process is the worker.
        worker.start(QStringLiteral("/bin/bash"), {QStringLiteral("-c"), command});
        QVERIFY(worker.waitForStarted());

        QTRY_COMPARE_WITH_TIMEOUT(card->capacityText(), QStringLiteral("1 / 2 workers"), 15000);
        QTRY_COMPARE_WITH_TIMEOUT(card->statusText(), QStringLiteral("Active"), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(window.workers()->visibleRows(), 1, 10000);

        // Tasks: the depth chart rises, the worker's Done counter reaches them all.
        Ui::ChartsView *charts = window.charts();
        charts->setScope(queueId);
        for (int i = 0; i < 25; ++i)
            QVERIFY(admin.enqueue(queueId, job()).result().has_value());
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const QList<QPointF> points = charts->points(QStringLiteral("Depth"));
                return std::any_of(points.cbegin(), points.cend(),
                                   [](const QPointF &p) { return p.y() > 0; });
            }(),
            15000);
        const QModelIndex done = window.workers()->model()->index(0, Ui::WorkersModel::Done);
        QTRY_COMPARE_WITH_TIMEOUT(done.data(Ui::WorkersModel::SortRole).toLongLong(), qint64(25),
                                  30000);
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const QList<QPointF> points = charts->points(QStringLiteral("Depth"));
                return !points.isEmpty() && points.last().y() == 0;
            }(),
            10000);

        // Closing the window while a worker is attached asks first; keeping on serving leaves the
        // server and the window's process alive.
        QSignalSpy quit(&window, &Ui::MainWindow::quitRequested);
        QString question;
        QTimer::singleShot(300, this, [&question] {
            auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
            if (!box)
                return;
            question = box->text();
            for (QAbstractButton *button : box->buttons()) {
                if (button->text().startsWith(u"Keep Serving"))
                    button->click();
            }
        });
        window.close();
        QVERIFY2(question.contains(u"attached to this computer's server"), qPrintable(question));
        QCOMPARE(quit.size(), 0);
        QVERIFY(admin.listWorkers(queueId).result().has_value());
        window.showNormal();

        // SIGKILL: no goodbye. Lost after the worker timeout; the card goes Idle.
        ::kill(pid_t(worker.processId()), SIGKILL);
        QVERIFY(worker.waitForFinished(5000));
        const QModelIndex state = window.workers()->model()->index(0, Ui::WorkersModel::State);
        QTRY_COMPARE_WITH_TIMEOUT(state.data().toString(), QStringLiteral("lost"), 20000);
        QTRY_COMPARE_WITH_TIMEOUT(card->statusText(), QStringLiteral("Idle"), 10000);
        QCOMPARE(card->capacityText(), QStringLiteral("0 / 2 workers"));
        QVERIFY2(card->warningText().contains(u"lost"), qPrintable(card->warningText()));
    }
};

QTEST_MAIN(TestEndToEnd)
#include "tst_e2e.moc"
